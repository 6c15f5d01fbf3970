//! Properties of the delivery guarantees under random faults: one producer publishes through a
//! fanout exchange to three queues, read by an at-most-once, an at-least-once and an idempotent
//! consumer over links with the same random loss, duplication, delay and reordering, while the
//! consumers and the broker crash and restart at random. Whatever the faults:
//! - the run is deterministic and every message is accounted for;
//! - at-most-once never processes a message twice;
//! - at-least-once never loses one: once the faults are over, every accepted message has been
//!   processed;
//! - the idempotent consumer neither loses nor processes twice.

use eda_sim::trace::Retention;
use eda_sim::{Scenario, Sim};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Faults {
    seed: u64,
    messages: u32,
    gap_ms: u64,
    loss_percent: u32,
    duplicate_percent: u32,
    reorder_ms: u64,
    prefetch: u32,
    /// (which of the four, crash at, down for), in ms.
    crashes: Vec<(usize, u64, u64)>,
}

const CRASHABLE: [&str; 4] = ["at-most-once", "at-least-once", "idempotent", "broker"];

fn faults() -> impl Strategy<Value = Faults> {
    (
        any::<u64>(),
        1u32..60,
        1u64..30,
        0u32..40,
        0u32..40,
        0u64..50,
        1u32..5,
        prop::collection::vec((0usize..4, 0u64..1_500, 1u64..400), 0..5),
    )
        .prop_map(
            |(seed, messages, gap_ms, loss_percent, duplicate_percent, reorder_ms, prefetch, crashes)| Faults {
                seed,
                messages,
                gap_ms,
                loss_percent,
                duplicate_percent,
                reorder_ms,
                prefetch,
                crashes,
            },
        )
}

fn scenario(f: &Faults) -> Scenario {
    let link = format!(
        r#"{{"loss_percent": {}, "duplicate_percent": {}, "delay": {{"uniform": {{"min": "0ms", "max": "3ms"}}}}, "reorder_window": "{}ms"}}"#,
        f.loss_percent, f.duplicate_percent, f.reorder_ms
    );
    let consumer = |id: &str, guarantee: &str| {
        format!(
            r#"{{"id": "{id}", "queue": "{id}-queue", "prefetch": {}, "processing_time": {{"exponential": {{"mean": "4ms"}}}},
                "guarantee": "{guarantee}", "link": {link}}}"#,
            f.prefetch
        )
    };
    let mut script = Vec::new();
    for &(which, at, down_for) in &f.crashes {
        let entity = CRASHABLE[which];
        script.push(format!(
            r#"{{"at": "{at}ms", "do": {{"crash": {{"entity": "{entity}"}}}}}}"#
        ));
        script.push(format!(
            r#"{{"at": "{}ms", "do": {{"restart": {{"entity": "{entity}"}}}}}}"#,
            at + down_for
        ));
    }
    let text = format!(
        r#"{{"version": 1, "name": "guarantees under faults", "seed": {seed},
        "broker": {{
            "network_delay": {{"constant": "1ms"}},
            "exchanges": [{{"id": "orders", "type": "fanout", "bindings": [
                {{"queue": "at-most-once-queue"}}, {{"queue": "at-least-once-queue"}}, {{"queue": "idempotent-queue"}}]}}],
            "queues": [{{"id": "at-most-once-queue"}},
                       {{"id": "at-least-once-queue", "consumer_timeout": "100ms"}},
                       {{"id": "idempotent-queue", "consumer_timeout": "100ms"}}],
            "producers": [{{"id": "shop", "exchange": "orders",
                            "emits": {{"every": {{"constant": "{gap}ms"}}, "count": {count}}}}}],
            "consumers": [{a}, {b}, {c}]
        }},
        "script": [{script}]}}"#,
        seed = f.seed,
        gap = f.gap_ms,
        count = f.messages,
        a = consumer("at-most-once", "at_most_once"),
        b = consumer("at-least-once", "at_least_once"),
        c = consumer("idempotent", "idempotent"),
        script = script.join(", "),
    );
    Scenario::from_json(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Runs to the end: every crash healed, every retry and timeout had its chance.
fn run(f: &Faults) -> Sim {
    let mut sim = Sim::with_retention(&scenario(f), Retention::HashOnly).unwrap();
    let progress = sim.run_to_end(5_000_000).unwrap();
    assert!(progress.reached, "the run ends");
    sim
}

fn counter(sim: &Sim, entity: &str, name: &str) -> u64 {
    let report = sim.report();
    let e = report.entities.iter().find(|e| e.name == entity).unwrap();
    e.counters[name].as_u64().unwrap_or_else(|| panic!("{entity}.{name}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn each_guarantee_keeps_its_promise_under_random_faults(f in faults()) {
        let sim = run(&f);
        let broker = sim.broker();
        let (created, accounted) = broker.message_accounting();
        prop_assert_eq!(created, accounted, "every message is somewhere or gone for a reason");

        // Broker crashes while the producer publishes refuse some publishes: what each queue
        // accepted is what it must answer for.
        let accepted = |queue: &str| counter(&sim, queue, "enqueued");
        prop_assert_eq!(counter(&sim, "at-most-once", "duplicates"), 0, "at-most-once never duplicates");
        prop_assert_eq!(counter(&sim, "at-least-once", "lost"), 0);
        prop_assert_eq!(
            counter(&sim, "at-least-once-queue", "processed"),
            accepted("at-least-once-queue"),
            "at-least-once processes every accepted message"
        );
        prop_assert_eq!(counter(&sim, "idempotent", "lost"), 0);
        prop_assert_eq!(counter(&sim, "idempotent", "duplicates"), 0, "the idempotent consumer never duplicates");
        prop_assert_eq!(
            counter(&sim, "idempotent-queue", "processed"),
            accepted("idempotent-queue")
        );
        // At-most-once: what it did not process, it lost, with a recorded reason.
        prop_assert_eq!(
            counter(&sim, "at-most-once-queue", "processed") + counter(&sim, "at-most-once", "lost"),
            accepted("at-most-once-queue")
        );
    }

    #[test]
    fn faults_are_deterministic(f in faults()) {
        prop_assert_eq!(run(&f).trace_hash(), run(&f).trace_hash());
    }
}
