//! Properties of the producer's guarantees under random faults: three producers send the same
//! number of records, with acks leader, acks all and the idempotent producer, each to a topic of
//! its own with random replicas and replication delay, over links with the same random loss,
//! duplication, delay and reordering, through random leader failovers, broker crashes and
//! network partitions that cut the producers off.
//! Whatever the faults, once retries have had their chance:
//! - the run is deterministic and every record is accounted for;
//! - a record acknowledged with acks all is never lost: its reader processes it;
//! - the idempotent producer's records are never written twice, so never processed twice;
//! - what acks leader loses is exactly what was acknowledged and removed by a failover.

use eda_sim::patterns::broker::BrokerRecord;
use eda_sim::{Scenario, Sim, TraceKind};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
struct Faults {
    seed: u64,
    records: u32,
    partitions: u32,
    replicas: u32,
    replication_ms: u64,
    retries: u32,
    timeout_ms: u64,
    loss_percent: u32,
    duplicate_percent: u32,
    reorder_ms: u64,
    /// Failovers (ms), broker crashes and network partitions cutting the producers off (at,
    /// lasting; ms).
    failovers: Vec<u64>,
    crashes: Vec<(u64, u64)>,
    cuts: Vec<(u64, u64)>,
}

fn faults() -> impl Strategy<Value = Faults> {
    (
        (any::<u64>(), 1u32..80, 1u32..4, 1u32..4, 1u64..80),
        (0u32..6, 5u64..200, 0u32..30, 0u32..30, 0u64..20),
        prop::collection::vec(0u64..2_000, 0..4),
        prop::collection::vec((0u64..2_000, 1u64..300), 0..2),
        prop::collection::vec((0u64..2_000, 1u64..400), 0..2),
    )
        .prop_map(|(a, b, failovers, crashes, cuts)| Faults {
            seed: a.0,
            records: a.1,
            partitions: a.2,
            replicas: a.3,
            replication_ms: a.4,
            retries: b.0,
            timeout_ms: b.1,
            loss_percent: b.2,
            duplicate_percent: b.3,
            reorder_ms: b.4,
            failovers,
            crashes,
            cuts,
        })
}

const PRODUCERS: [(&str, &str); 3] = [
    ("leader", r#""acks": "leader""#),
    ("all", r#""acks": "all""#),
    ("idempotent", r#""idempotent": true"#),
];

fn scenario(f: &Faults) -> Scenario {
    let link = format!(
        r#"{{"loss_percent": {}, "duplicate_percent": {}, "delay": {{"uniform": {{"min": "0ms", "max": "3ms"}}}}, "reorder_window": "{}ms"}}"#,
        f.loss_percent, f.duplicate_percent, f.reorder_ms
    );
    let retries = if f.retries > 0 {
        format!(r#", "retries": {}, "request_timeout": "{}ms""#, f.retries, f.timeout_ms)
    } else {
        String::new()
    };
    let mut topics = Vec::new();
    let mut groups = Vec::new();
    let mut producers = Vec::new();
    let mut consumers = Vec::new();
    let mut script = Vec::new();
    for (name, settings) in PRODUCERS {
        topics.push(format!(
            r#"{{"id": "t-{name}", "partitions": {}, "replicas": {}, "replication_delay": {{"uniform": {{"min": "0ms", "max": "{}ms"}}}}}}"#,
            f.partitions, f.replicas, f.replication_ms
        ));
        groups.push(format!(
            r#"{{"id": "g-{name}", "topic": "t-{name}", "commit": "manual", "auto_offset_reset": "earliest"}}"#
        ));
        producers.push(format!(
            r#"{{"id": "{name}", "topic": "t-{name}", {settings}{retries}, "link": {link},
                "keys": ["a", "b", "c", "d", "e"],
                "emits": {{"every": {{"exponential": {{"mean": "20ms"}}}}, "count": {}}}}}"#,
            f.records
        ));
        consumers.push(format!(
            r#"{{"id": "reader-{name}", "group": "g-{name}", "processing_time": {{"constant": "1ms"}}}}"#
        ));
        if f.replicas > 1 {
            for at in &f.failovers {
                script.push(format!(
                    r#"{{"at": "{at}ms", "do": {{"fail_over": {{"topic": "t-{name}"}}}}}}"#
                ));
            }
        }
    }
    for (at, down) in &f.crashes {
        script.push(format!(
            r#"{{"at": "{at}ms", "do": {{"crash": {{"entity": "broker"}}}}}}"#
        ));
        script.push(format!(
            r#"{{"at": "{}ms", "do": {{"restart": {{"entity": "broker"}}}}}}"#,
            at + down
        ));
    }
    for (at, lasting) in &f.cuts {
        script.push(format!(
            r#"{{"at": "{at}ms", "do": {{"partition": {{"sides": [[], ["leader", "all", "idempotent"]]}}}}}}"#
        ));
        script.push(format!(r#"{{"at": "{}ms", "do": {{"heal": {{}}}}}}"#, at + lasting));
    }
    let json = format!(
        r#"{{"version": 1, "seed": {}, "broker": {{"network_delay": {{"constant": "1ms"}},
            "topics": [{}], "groups": [{}], "producers": [{}], "consumers": [{}]}}, "script": [{}]}}"#,
        f.seed,
        topics.join(","),
        groups.join(","),
        producers.join(","),
        consumers.join(","),
        script.join(",")
    );
    Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn run(f: &Faults) -> Sim {
    let mut sim = Sim::new(&scenario(f)).unwrap();
    let progress = sim.run_to_end(5_000_000).unwrap();
    assert!(progress.reached, "the run ends");
    sim
}

/// Per producer: the ids it heard were written, how often each id was processed, and the ids
/// its topic removed while they were acknowledged.
#[derive(Default)]
struct Outcome {
    /// Confirmed once each (a second acknowledgement confirms nothing).
    confirmed: Vec<u64>,
    processed: BTreeMap<u64, u32>,
}

fn outcomes(sim: &Sim) -> BTreeMap<String, Outcome> {
    let broker = sim.broker();
    let mut out: BTreeMap<String, Outcome> = BTreeMap::new();
    for r in sim.trace().records() {
        let TraceKind::Broker(b) = &r.kind else { continue };
        match *b {
            BrokerRecord::Confirmed { message, producer } => {
                out.entry(sim.entity_name(producer).to_string())
                    .or_default()
                    .confirmed
                    .push(message);
            }
            BrokerRecord::Processed {
                consumer,
                partition,
                offset,
                ..
            } => {
                let reader = sim.entity_name(consumer);
                let name = reader.trim_start_matches("reader-").to_string();
                let topic = broker
                    .topics
                    .iter()
                    .position(|t| sim.entity_name(t.entity) == format!("t-{name}"))
                    .unwrap();
                // Processed records are below the high watermark: no failover removes them.
                let id = broker.topics[topic].partitions[partition as usize].log[offset as usize].record_id();
                *out.entry(name).or_default().processed.entry(id).or_insert(0) += 1;
            }
            _ => {}
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn each_producer_setting_keeps_its_promise_under_random_faults(f in faults()) {
        let sim = run(&f);
        let (created, accounted) = sim.broker().message_accounting();
        prop_assert_eq!(created, accounted, "every record is in a log or was removed by a failover");
        let report = sim.report();
        let number = |entity: &str, name: &str| report.entity(entity).and_then(|e| e.number(name)).unwrap();
        let outcomes = outcomes(&sim);
        let empty = Outcome::default();
        for (name, _) in PRODUCERS {
            let o = outcomes.get(name).unwrap_or(&empty);
            let lost: Vec<&u64> = o.confirmed.iter().filter(|id| !o.processed.contains_key(id)).collect();
            prop_assert_eq!(lost.len() as f64, number(name, "lost"), "{}: lost means acknowledged and never processed", name);
            if name != "leader" {
                prop_assert!(lost.is_empty(), "{}: acks all never loses an acknowledged record: {:?}", name, lost);
            }
            if f.replicas == 1 {
                prop_assert!(lost.is_empty(), "{}: without followers nothing is removed", name);
            }
        }
        let idempotent = outcomes.get("idempotent").unwrap_or(&empty);
        prop_assert!(idempotent.processed.values().all(|&n| n == 1), "the idempotent producer's records are processed once");
        prop_assert_eq!(number("reader-idempotent", "duplicates"), 0.0);
        // Every repeat the readers processed is counted as a duplicate, and only those.
        for (name, _) in PRODUCERS {
            let o = outcomes.get(name).unwrap_or(&empty);
            let repeats: u32 = o.processed.values().map(|n| n - 1).sum();
            prop_assert_eq!(f64::from(repeats), number(&format!("reader-{name}"), "duplicates"));
        }
    }

    #[test]
    fn producer_faults_are_deterministic(f in faults()) {
        prop_assert_eq!(run(&f).trace_hash(), run(&f).trace_hash());
    }
}

/// Publisher confirms for a queue under the same random link faults and broker crashes: one
/// producer retries what it hears no confirm for, and an idempotent consumer reads the queue.
fn confirms_scenario(f: &Faults) -> Scenario {
    let retries = if f.retries > 0 {
        format!(r#", "retries": {}"#, f.retries)
    } else {
        String::new()
    };
    let crashes: Vec<String> = f
        .crashes
        .iter()
        .flat_map(|(at, down)| {
            [
                format!(r#"{{"at": "{at}ms", "do": {{"crash": {{"entity": "broker"}}}}}}"#),
                format!(
                    r#"{{"at": "{}ms", "do": {{"restart": {{"entity": "broker"}}}}}}"#,
                    at + down
                ),
            ]
        })
        .collect();
    let json = format!(
        r#"{{"version": 1, "seed": {}, "broker": {{"network_delay": {{"constant": "1ms"}},
            "queues": [{{"id": "q", "consumer_timeout": "500ms"}}],
            "producers": [{{"id": "p", "queue": "q"{retries}, "request_timeout": "{}ms",
                "link": {{"loss_percent": {}, "duplicate_percent": {}, "reorder_window": "{}ms"}},
                "emits": {{"every": {{"exponential": {{"mean": "20ms"}}}}, "count": {}}}}}],
            "consumers": [{{"id": "c", "queue": "q", "prefetch": 4, "guarantee": "idempotent",
                "processing_time": {{"constant": "1ms"}}}}]}}, "script": [{}]}}"#,
        f.seed,
        f.timeout_ms,
        f.loss_percent,
        f.duplicate_percent,
        f.reorder_ms,
        f.records,
        crashes.join(",")
    );
    Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_queues_confirmed_messages_are_processed_once_by_an_idempotent_consumer(f in faults()) {
        let mut sim = Sim::new(&confirms_scenario(&f)).unwrap();
        prop_assert!(sim.run_to_end(5_000_000).unwrap().reached);
        let (created, accounted) = sim.broker().message_accounting();
        prop_assert_eq!(created, accounted);
        let report = sim.report();
        let n = |entity: &str, name: &str| report.entity(entity).and_then(|e| e.number(name)).unwrap();
        prop_assert_eq!(n("q", "duplicates"), 0.0, "the producer's id catches every copy");
        prop_assert!(n("q", "processed") >= n("p", "confirmed"), "nothing confirmed is lost");
        prop_assert!(n("q", "processed") <= n("p", "sent"));
        prop_assert_eq!(n("c", "handled"), n("q", "processed"));
    }
}
