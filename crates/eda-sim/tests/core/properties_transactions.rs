//! Properties of read-process-write with Kafka's transactions under random faults: two
//! transactional members of a group read a topic and write each record to an output topic
//! (perhaps replicated), read by a read-committed and a read-uncommitted reader, while members
//! and the broker crash and restart, members are cut off by partitions, and the output topic's
//! leaders fail over. Whatever the faults, once they are over:
//! - the run is deterministic and every record is accounted for;
//! - the read-committed reader processes every input record exactly once: neither lost nor
//!   doubled, its total the inputs' total;
//! - the read-uncommitted reader misses none, and what it counts twice is what aborted
//!   transactions wrote;
//! - no transaction is left open.

use eda_sim::trace::Retention;
use eda_sim::{Scenario, Sim};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Faults {
    seed: u64,
    records: u32,
    input_partitions: u32,
    output_partitions: u32,
    output_replicas: u32,
    /// Commit interval in ms; 0: commit after each record.
    commit_ms: u64,
    /// (what, at, for) in ms: 0–1 crash member w-1/w-2, 2 crash the broker, 3–4 cut member
    /// w-1/w-2 off, 5 fail the output's leaders over.
    faults: Vec<(usize, u64, u64)>,
}

fn faults() -> impl Strategy<Value = Faults> {
    (
        any::<u64>(),
        1u32..80,
        1u32..4,
        1u32..4,
        prop_oneof![Just(1u32), Just(3u32)],
        prop_oneof![Just(0u64), 10u64..200],
        prop::collection::vec((0usize..6, 0u64..400, 1u64..300), 0..6),
    )
        .prop_map(
            |(seed, records, input_partitions, output_partitions, output_replicas, commit_ms, faults)| Faults {
                seed,
                records,
                input_partitions,
                output_partitions,
                output_replicas,
                commit_ms,
                faults,
            },
        )
}

fn scenario(f: &Faults) -> Scenario {
    let everyone = r#""broker", "shop", "w-1", "w-2", "committed", "uncommitted""#;
    let mut script = Vec::new();
    for &(what, at, lasts) in &f.faults {
        let (start, end) = match what {
            0 | 1 => {
                let who = format!("w-{}", what + 1);
                (
                    format!(r#"{{"crash": {{"entity": "{who}"}}}}"#),
                    Some(format!(r#"{{"restart": {{"entity": "{who}"}}}}"#)),
                )
            }
            2 => (
                r#"{"crash": {"entity": "broker"}}"#.to_string(),
                Some(r#"{"restart": {"entity": "broker"}}"#.to_string()),
            ),
            3 | 4 => {
                let who = format!("w-{}", what - 2);
                let rest = everyone.replace(&format!(", \"{who}\""), "");
                (
                    format!(r#"{{"partition": {{"sides": [[{rest}], ["{who}"]]}}}}"#),
                    Some(r#"{"heal": {}}"#.to_string()),
                )
            }
            _ if f.output_replicas > 1 => (r#"{"fail_over": {"topic": "ledger"}}"#.to_string(), None),
            _ => continue,
        };
        script.push(format!(r#"{{"at": "{at}ms", "do": {start}}}"#));
        if let Some(end) = end {
            script.push(format!(r#"{{"at": "{}ms", "do": {end}}}"#, at + lasts));
        }
    }
    let commit = if f.commit_ms == 0 {
        r#""manual""#.to_string()
    } else {
        format!(r#"{{"auto": {{"interval": "{}ms"}}}}"#, f.commit_ms)
    };
    let member = |id: &str| {
        format!(
            r#"{{"id": "{id}", "group": "convert", "writes_to": "ledger", "guarantee": "transactional",
                "processing_time": {{"exponential": {{"mean": "3ms"}}}}}}"#
        )
    };
    let text = format!(
        r#"{{"version": 1, "name": "transactions under faults", "seed": {seed},
        "broker": {{
            "network_delay": {{"constant": "1ms"}},
            "topics": [{{"id": "payments", "partitions": {ip}}},
                       {{"id": "ledger", "partitions": {op}, "replicas": {replicas},
                         "replication_delay": {{"uniform": {{"min": "1ms", "max": "30ms"}}}}}}],
            "groups": [{{"id": "convert", "topic": "payments", "auto_offset_reset": "earliest",
                         "commit": {commit}, "session_timeout": "100ms"}},
                       {{"id": "audit-c", "topic": "ledger", "auto_offset_reset": "earliest", "commit": "manual"}},
                       {{"id": "audit-u", "topic": "ledger", "auto_offset_reset": "earliest", "commit": "manual"}}],
            "producers": [{{"id": "shop", "topic": "payments", "payloads": [{{"amount": 1}}],
                            "emits": {{"every": {{"constant": "4ms"}}, "count": {records}}}}}],
            "consumers": [{w1}, {w2},
                {{"id": "committed", "group": "audit-c", "isolation": "read_committed", "sum_field": "amount",
                  "processing_time": {{"constant": "1ms"}}}},
                {{"id": "uncommitted", "group": "audit-u", "sum_field": "amount",
                  "processing_time": {{"constant": "1ms"}}}}]
        }},
        "script": [{script}]}}"#,
        seed = f.seed,
        ip = f.input_partitions,
        op = f.output_partitions,
        replicas = f.output_replicas,
        records = f.records,
        w1 = member("w-1"),
        w2 = member("w-2"),
        script = script.join(", "),
    );
    Scenario::from_json(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn run(f: &Faults) -> Sim {
    let mut sim = Sim::with_retention(&scenario(f), Retention::HashOnly).unwrap();
    assert!(sim.run_to_end(5_000_000).unwrap().reached, "the run ends");
    sim
}

fn counter(sim: &Sim, entity: &str, name: &str) -> f64 {
    let report = sim.report();
    let e = report.entities.iter().find(|e| e.name == entity).unwrap();
    e.counters[name].as_f64().unwrap_or_else(|| panic!("{entity}.{name}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn read_committed_sees_each_input_exactly_once_whatever_the_faults(f in faults()) {
        let sim = run(&f);
        let (created, accounted) = sim.broker().message_accounting();
        prop_assert_eq!(created, accounted, "every record is somewhere or gone for a reason");
        // What the shop got in (a broker crash refuses some produces) is what is owed.
        let inputs = counter(&sim, "payments", "records");
        for w in ["w-1", "w-2"] {
            prop_assert_eq!(counter(&sim, w, "transaction_open"), 0.0, "{} left a transaction open", w);
            prop_assert_eq!(counter(&sim, w, "duplicates"), 0.0, "a committed processing is never repeated");
        }
        prop_assert_eq!(counter(&sim, "committed", "handled"), inputs, "each input once");
        prop_assert_eq!(counter(&sim, "committed", "duplicates"), 0.0);
        prop_assert_eq!(counter(&sim, "committed", "sum"), inputs);
        prop_assert_eq!(counter(&sim, "ledger", "sum_expected"), inputs);
        let repeats = counter(&sim, "uncommitted", "duplicates");
        prop_assert_eq!(counter(&sim, "uncommitted", "handled") - repeats, inputs, "none missed");
        // Every repeat it read was written by a transaction that was aborted.
        prop_assert!(repeats <= counter(&sim, "committed", "aborted_skipped"));
        prop_assert_eq!(counter(&sim, "audit-c", "lag_total"), 0.0);
    }

    #[test]
    fn transactions_under_faults_are_deterministic(f in faults()) {
        prop_assert_eq!(run(&f).trace_hash(), run(&f).trace_hash());
    }
}
