//! Properties over randomly generated scenarios that mix all five patterns and crash things
//! at random: (a) determinism — the same seed gives the same trace hash; (b) conservation —
//! every message, copy and request is in exactly one place, or gone for a recorded reason.

use eda_sim::trace::Retention;
use eda_sim::{Scenario, Sim, SimTime};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Mix {
    seed: u64,
    dispatch_ms: u64,
    emit_mean_ms: u64,
    workers: u32,
    queue_capacity: Option<u32>,
    arrival_mean_ms: u64,
    timeout_ms: Option<u64>,
    retries: u32,
    prefetch: u32,
    fail_percent: u32,
    reject: bool,
    partitions: u32,
    assignor: &'static str,
    crashes: Vec<(usize, u64, u64)>,
    /// The sms listener's link from its bus: loss %, duplication %, reorder window in ms.
    sms_link: (u32, u32, u64),
}

const CRASHABLE: [&str; 6] = ["order-service", "broker", "worker", "member-1", "registry", "payments"];

fn mix() -> impl Strategy<Value = Mix> {
    (
        (
            any::<u64>(),
            0u64..20,
            5u64..80,
            1u32..4,
            prop::option::of(1u32..15),
            5u64..60,
            prop::option::of(20u64..400),
        ),
        (
            0u32..3,
            1u32..5,
            0u32..60,
            any::<bool>(),
            1u32..5,
            prop::sample::select(vec!["range", "round_robin", "cooperative_sticky"]),
        ),
        prop::collection::vec((0usize..6, 0u64..4_000, 50u64..2_000), 0..4),
        (0u32..30, 0u32..30, 0u64..30),
    )
        .prop_map(|(a, b, crashes, sms_link)| Mix {
            seed: a.0,
            dispatch_ms: a.1,
            emit_mean_ms: a.2,
            workers: a.3,
            queue_capacity: a.4,
            arrival_mean_ms: a.5,
            timeout_ms: a.6,
            retries: b.0,
            prefetch: b.1,
            fail_percent: b.2,
            reject: b.3,
            partitions: b.4,
            assignor: b.5,
            crashes,
            sms_link,
        })
}

fn scenario(m: &Mix) -> Scenario {
    let capacity = m
        .queue_capacity
        .map(|c| format!(r#", "queue_capacity": {c}, "capacity_note": 0"#))
        .unwrap_or_default();
    let capacity = capacity.replace(r#", "capacity_note": 0"#, "");
    let timeout = m
        .timeout_ms
        .map(|t| format!(r#""timeout": "{t}ms", "#))
        .unwrap_or_default();
    let mut script = Vec::new();
    for &(target, at, down_for) in &m.crashes {
        let who = CRASHABLE[target];
        script.push(format!(
            r#"{{"at": "{at}ms", "do": {{"crash": {{"entity": "{who}"}}}}}}"#
        ));
        script.push(format!(
            r#"{{"at": "{}ms", "do": {{"restart": {{"entity": "{who}"}}}}}}"#,
            at + down_for
        ));
    }
    script.push(r#"{"at": "300ms", "do": {"call": {"client": "checkout", "name": "pay", "operation": "echo", "payload": "x"}}}"#.into());
    script.push(
        r#"{"at": "3s", "do": {"call": {"client": "checkout", "name": "pay", "operation": "echo", "payload": "y"}}}"#
            .into(),
    );
    let json = format!(
        r#"{{"version": 1, "seed": {seed},
        "event_bus": {{
            "event_types": [{{"name": "OrderStateChanged"}}, {{"name": "OrderCreated", "parent": "OrderStateChanged"}},
                            {{"name": "OrderPaid", "parent": "OrderStateChanged"}}, {{"name": "OrderRejected", "parent": "OrderStateChanged"}}],
            "buses": [{{"id": "bus", "dispatch_delay": {{"uniform": {{"min": "0ms", "max": "{dispatch}ms"}}}}}}],
            "sources": [{{"id": "feed", "bus": "bus", "emits": [{{"event_type": "OrderCreated", "every": {{"exponential": {{"mean": "{emit}ms"}}}}}}]}}],
            "listeners": [{{"id": "sms", "bus": "bus", "subscriptions": ["OrderStateChanged"], "processing_time": {{"exponential": {{"mean": "{emit}ms"}}}},
                            "link": {{"loss_percent": {loss}, "duplicate_percent": {dup}, "reorder_window": "{reorder}ms"}}}},
                          {{"id": "audit", "bus": "bus", "subscriptions": ["OrderPaid"], "processing_time": {{"constant": "1ms"}}}}]
        }},
        "request_reply": {{
            "services": [{{"id": "order-service", "workers": {workers}, "service_time": {{"exponential": {{"mean": "20ms"}}}}{capacity},
                           "orders": {{"validity": "2s", "on_created": [{{"append": {{"store": "orders", "stream": "order-{{id}}"}}}}],
                                       "on_paid": [{{"produce": {{"producer": "status"}}}}, {{"publish": {{"source": "feed"}}}}],
                                       "on_rejected": [{{"append": {{"store": "orders", "stream": "order-{{id}}"}}}}]}}}}],
            "clients": [{{"id": "shoppers", "service": "order-service", {timeout}"retries": {retries}, "backoff": "30ms",
                          "confirm_after": {{"uniform": {{"min": "100ms", "max": "3s"}}}}, "wrong_code_percent": 10,
                          "arrivals": {{"every": {{"exponential": {{"mean": "{arrival}ms"}}}}}}}}]
        }},
        "broker": {{
            "queues": [{{"id": "work", "capacity": 30, "overflow": "drop_head", "max_deliveries": 3, "dead_letter": "parked", "message_ttl": "2s"}},
                       {{"id": "parked", "capacity": 10}}],
            "exchanges": [{{"id": "jobs", "type": "topic", "bindings": [{{"queue": "work", "key": "job.#"}}]}}],
            "topics": [{{"id": "order-topic", "partitions": {partitions}}}],
            "groups": [{{"id": "group", "topic": "order-topic", "assignor": "{assignor}", "auto_offset_reset": "earliest",
                         "commit": {{"auto": {{"interval": "300ms"}}}}, "session_timeout": "500ms"}}],
            "producers": [{{"id": "jobs-in", "exchange": "jobs", "keys": ["job.a", "job.b.c", "noise"], "emits": {{"every": {{"exponential": {{"mean": "{emit}ms"}}}}}}}},
                          {{"id": "status", "topic": "order-topic"}}],
            "consumers": [{{"id": "worker", "queue": "work", "prefetch": {prefetch}, "fail_percent": {fail}, "on_failure": "{on_failure}",
                            "processing_time": {{"exponential": {{"mean": "30ms"}}}}}},
                          {{"id": "member-1", "group": "group", "processing_time": {{"constant": "5ms"}}}},
                          {{"id": "member-2", "group": "group", "processing_time": {{"constant": "5ms"}}, "join_at": "1s"}}]
        }},
        "discovery": {{
            "registries": [{{"id": "registry"}}],
            "providers": [{{"id": "payments", "name": "pay", "endpoint": "tcp://pay:1", "registry": "registry", "register_at": "0s"}}],
            "clients": [{{"id": "checkout", "registry": "registry", "watch": ["pay"]}}]
        }},
        "event_store": {{
            "stores": [{{"id": "orders", "snapshot_every": 3}}],
            "projections": [{{"id": "order-view", "store": "orders", "lag": {{"uniform": {{"min": "0ms", "max": "300ms"}}}}}}]
        }},
        "script": [{script}]}}"#,
        seed = m.seed,
        dispatch = m.dispatch_ms,
        emit = m.emit_mean_ms,
        loss = m.sms_link.0,
        dup = m.sms_link.1,
        reorder = m.sms_link.2,
        workers = m.workers,
        arrival = m.arrival_mean_ms,
        retries = m.retries,
        prefetch = m.prefetch,
        fail = m.fail_percent,
        on_failure = if m.reject { "reject" } else { "requeue" },
        partitions = m.partitions,
        assignor = m.assignor,
        script = script.join(", "),
    );
    Scenario::from_json(&json).unwrap_or_else(|e| panic!("generated scenario is invalid: {e}\n{json}"))
}

fn check_conservation(sim: &Sim) -> Result<(), TestCaseError> {
    let at = sim.now();
    let (dispatched, placed) = sim.event_bus().copy_accounting();
    prop_assert_eq!(dispatched, placed, "event-bus copies at {}", at);
    let (created, accounted) = sim.broker().message_accounting();
    prop_assert_eq!(created, accounted, "broker messages at {}", at);
    let (sent, settled) = sim.request_reply().request_accounting();
    prop_assert_eq!(sent, settled, "requests at {}", at);
    let report = sim.report();
    let events = report.entity("orders").and_then(|e| e.number("events")).unwrap_or(0.0);
    let view = report.entity("order-view").unwrap();
    prop_assert_eq!(
        view.number("applied").unwrap() + view.number("behind").unwrap(),
        events,
        "projection at {}",
        at
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_same_seed_gives_the_same_trace_hash(m in mix()) {
        let s = scenario(&m);
        let run = || {
            let mut sim = Sim::with_retention(&s, Retention::HashOnly).unwrap();
            sim.run_until(SimTime(5_000_000)).unwrap();
            (sim.trace_hash(), sim.events_processed())
        };
        let first = run();
        prop_assert_eq!(first, run());
        prop_assert!(first.1 > 100);
    }

    #[test]
    fn a_generated_scenario_survives_being_written_and_read_back(m in mix()) {
        let s = scenario(&m);
        prop_assert_eq!(&Scenario::from_json(&s.to_json()).unwrap(), &s);
        prop_assert_eq!(&Scenario::from_json(&s.to_json_pretty()).unwrap(), &s);
    }

    #[test]
    fn nothing_is_ever_lost_silently(m in mix()) {
        let mut sim = Sim::with_retention(&scenario(&m), Retention::HashOnly).unwrap();
        let mut steps = 0u64;
        while sim.now() < SimTime(5_000_000) && sim.step().unwrap() {
            steps += 1;
            if steps.is_multiple_of(97) {
                check_conservation(&sim)?;
            }
        }
        check_conservation(&sim)?;
    }
}

/// A share link's state for a random scenario: a moment and a selection too.
fn shared(m: &Mix, cursor_ms: Option<u64>, selected: Vec<String>) -> eda_sim::view::share::SharedState {
    let mut state = eda_sim::view::share::SharedState::new(scenario(m));
    state.cursor = cursor_ms.map(eda_sim::SimDuration::from_millis);
    state.selected = selected;
    state
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// decode(encode(s)) == s for random scenarios, moments and selections.
    #[test]
    fn a_link_decodes_to_exactly_what_was_encoded(
        m in mix(),
        cursor in prop::option::of(0u64..100_000),
        selected in prop::collection::vec("[a-z-]{1,12}", 0..3),
    ) {
        let state = shared(&m, cursor, selected);
        let link = eda_sim::view::share::encode(&state);
        prop_assert_eq!(eda_sim::view::share::decode(&link), Ok(state));
    }

    /// Random text after "#v1." never panics: it is always a typed error (or, by a miracle, a link).
    #[test]
    fn random_data_is_a_typed_error(data in "[A-Za-z0-9_\\-*.~ ]{0,400}", version in 0u64..4) {
        let _ = eda_sim::view::share::decode(&format!("#v{version}.{data}"));
        let _ = eda_sim::view::share::decode(&data);
    }

    /// Random bytes, even when they are valid base64url, never panic.
    #[test]
    fn random_bytes_are_a_typed_error(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        use base64::Engine;
        let link = format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes));
        prop_assert!(eda_sim::view::share::decode(&link).is_err());
    }

    /// Any one character of a valid link changed, or any cut, is caught: never a panic, and
    /// never a different scenario passed off as the original.
    #[test]
    fn a_mutated_link_never_panics(m in mix(), at in any::<prop::sample::Index>(), with in "[A-Za-z0-9_\\-]", cut in any::<bool>()) {
        let state = shared(&m, Some(1_000), vec![]);
        let link = eda_sim::view::share::encode(&state);
        let i = at.index(link.len());
        let mutated = if cut {
            link[..i].to_string()
        } else {
            format!("{}{}{}", &link[..i], with, &link[i + 1..])
        };
        if let Ok(decoded) = eda_sim::view::share::decode(&mutated) {
            prop_assert!(decoded == state || mutated == link || i < 3);
        }
    }
}
