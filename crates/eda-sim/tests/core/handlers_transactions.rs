//! Read-process-write and Kafka's transactions, one situation each (given / when / then): what
//! read-committed and read-uncommitted readers see of an open, a committed and an aborted
//! transaction; a crash, a broker crash and a silent member each aborting one; and the same
//! crash doubling what an at-least-once processor writes.

use crate::support::{at_ms, count, number, when};
use eda_sim::patterns::broker::{AbortReason, BrokerRecord};
use eda_sim::{Command, Scenario, Sim};

/// Given: records produced to `in` are read by `w` (group `g`, commit every 100 ms, session
/// timeout 1 s) with `guarantee`, which writes each to `out`; `out` is read by `r-c` (read
/// committed, group `rc`) and `r-u` (read uncommitted, group `ru`). One partition each, a 1 ms
/// network, 1 ms of processing.
fn given(guarantee: &str) -> Sim {
    let json = format!(
        r#"{{"version": 1, "seed": 5, "broker": {{
        "network_delay": {{"constant": "1ms"}},
        "topics": [{{"id": "in", "partitions": 1}}, {{"id": "out", "partitions": 1}}],
        "groups": [
          {{"id": "g", "topic": "in", "commit": {{"auto": {{"interval": "100ms"}}}},
            "auto_offset_reset": "earliest", "session_timeout": "1s"}},
          {{"id": "rc", "topic": "out", "commit": "manual", "auto_offset_reset": "earliest"}},
          {{"id": "ru", "topic": "out", "commit": "manual", "auto_offset_reset": "earliest"}}],
        "producers": [{{"id": "p", "topic": "in", "payloads": [{{"amount": 10}}]}}],
        "consumers": [
          {{"id": "w", "group": "g", "writes_to": "out", "guarantee": "{guarantee}",
            "processing_time": {{"constant": "1ms"}}}},
          {{"id": "r-c", "group": "rc", "isolation": "read_committed", "sum_field": "amount",
            "processing_time": {{"constant": "1ms"}}}},
          {{"id": "r-u", "group": "ru", "sum_field": "amount", "processing_time": {{"constant": "1ms"}}}}]}}}}"#
    );
    let scenario = Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    Sim::new(&scenario).unwrap()
}

fn produce(sim: &mut Sim, n: usize) {
    for _ in 0..n {
        when(
            sim,
            Command::Produce {
                producer: "p".into(),
                key: None,
                payload: None,
            },
        );
    }
}

fn aborted(sim: &Sim, reason: AbortReason) -> usize {
    count(
        sim,
        |r| matches!(r, BrokerRecord::TransactionAborted { reason: why, .. } if *why == reason),
    )
}

#[test]
fn read_committed_sees_a_transactions_records_only_once_it_commits() {
    let mut sim = given("transactional");
    produce(&mut sim, 3);
    sim.run_until(at_ms(50)).unwrap();
    assert_eq!(number(&sim, "w", "written"), 3.0);
    assert_eq!(
        number(&sim, "r-u", "handled"),
        3.0,
        "read uncommitted reads an open transaction"
    );
    assert_eq!(
        number(&sim, "r-c", "handled"),
        0.0,
        "read committed stops at the last stable offset"
    );
    assert_eq!(number(&sim, "w", "transaction_open"), 1.0);
    sim.run_until(at_ms(150)).unwrap();
    assert_eq!(number(&sim, "w", "transactions_committed"), 1.0, "the commit at 100 ms");
    assert_eq!(number(&sim, "r-c", "handled"), 3.0);
    assert_eq!(
        number(&sim, "g", "lag_total"),
        0.0,
        "its offsets committed with its records"
    );
}

#[test]
fn a_restart_aborts_the_open_transaction_and_only_the_second_writing_counts_for_read_committed() {
    let mut sim = given("transactional");
    produce(&mut sim, 3);
    sim.run_until(at_ms(50)).unwrap();
    when(&mut sim, Command::Crash { entity: "w".into() });
    sim.run_until(at_ms(60)).unwrap();
    assert_eq!(
        aborted(&sim, AbortReason::Fenced),
        0,
        "open until its member comes back"
    );
    when(&mut sim, Command::Restart { entity: "w".into() });
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(
        aborted(&sim, AbortReason::Fenced),
        1,
        "the new incarnation fences the old"
    );
    assert_eq!(
        number(&sim, "w", "written"),
        6.0,
        "read again from the committed offset 0"
    );
    assert_eq!(
        number(&sim, "w", "duplicates"),
        0.0,
        "the aborted processing did nothing"
    );
    assert_eq!(number(&sim, "r-c", "handled"), 3.0);
    assert_eq!(number(&sim, "r-c", "aborted_skipped"), 3.0);
    assert_eq!(number(&sim, "r-c", "sum"), 30.0, "exact");
    assert_eq!(
        number(&sim, "r-u", "duplicates"),
        3.0,
        "read uncommitted counts the aborted copies"
    );
    assert_eq!(number(&sim, "r-u", "sum_repeated"), 30.0);
}

#[test]
fn the_same_crash_makes_an_at_least_once_processor_write_twice_for_every_reader() {
    let mut sim = given("at_least_once");
    produce(&mut sim, 3);
    sim.run_until(at_ms(50)).unwrap();
    when(&mut sim, Command::Crash { entity: "w".into() });
    sim.run_until(at_ms(60)).unwrap();
    when(&mut sim, Command::Restart { entity: "w".into() });
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(number(&sim, "w", "written"), 6.0);
    assert_eq!(number(&sim, "w", "duplicates"), 3.0);
    assert_eq!(
        number(&sim, "r-c", "duplicates"),
        3.0,
        "no transaction: nothing to skip"
    );
    assert_eq!(number(&sim, "r-c", "aborted_skipped"), 0.0);
    assert_eq!(number(&sim, "r-c", "sum_repeated"), 30.0);
}

#[test]
fn a_crashed_members_open_transaction_holds_read_committed_readers_until_it_times_out() {
    let mut sim = given("transactional");
    produce(&mut sim, 3);
    sim.run_until(at_ms(50)).unwrap();
    when(&mut sim, Command::Crash { entity: "w".into() });
    sim.run_until(at_ms(900)).unwrap();
    assert_eq!(number(&sim, "r-c", "handled"), 0.0, "held at the last stable offset");
    assert_eq!(aborted(&sim, AbortReason::TimedOut), 0);
    sim.run_until(at_ms(1_200)).unwrap();
    assert_eq!(
        aborted(&sim, AbortReason::TimedOut),
        1,
        "declared dead after its 1 s session"
    );
    assert_eq!(
        number(&sim, "r-c", "aborted_skipped"),
        3.0,
        "the reader moves past the aborted records"
    );
    assert_eq!(number(&sim, "r-c", "handled"), 0.0);
}

#[test]
fn a_broker_crash_aborts_the_transaction_and_the_member_starts_again_from_its_committed_offsets() {
    let mut sim = given("transactional");
    produce(&mut sim, 3);
    sim.run_until(at_ms(150)).unwrap();
    assert_eq!(number(&sim, "w", "transactions_committed"), 1.0);
    produce(&mut sim, 2);
    sim.run_until(at_ms(170)).unwrap();
    when(
        &mut sim,
        Command::Crash {
            entity: "broker".into(),
        },
    );
    assert_eq!(aborted(&sim, AbortReason::BrokerDown), 1);
    sim.run_until(at_ms(180)).unwrap();
    when(
        &mut sim,
        Command::Restart {
            entity: "broker".into(),
        },
    );
    sim.run_until(at_ms(600)).unwrap();
    assert_eq!(
        number(&sim, "w", "written"),
        7.0,
        "the two of the aborted transaction, again"
    );
    assert_eq!(number(&sim, "r-c", "handled"), 5.0);
    assert_eq!(number(&sim, "r-c", "duplicates"), 0.0);
    assert_eq!(number(&sim, "r-c", "sum"), 50.0);
    assert_eq!(number(&sim, "r-u", "duplicates"), 2.0);
}

#[test]
fn a_scenario_that_cannot_mean_read_process_write_is_refused_with_the_reason() {
    let refused = |consumers: &str, extra_topics: &str| {
        let json = format!(
            r#"{{"version": 1, "broker": {{
            "topics": [{{"id": "in", "partitions": 1}}, {{"id": "out", "partitions": 1}}{extra_topics}],
            "queues": [{{"id": "q"}}],
            "groups": [{{"id": "g", "topic": "in"}}, {{"id": "h", "topic": "out"}}],
            "consumers": [{consumers}]}}}}"#
        );
        Scenario::from_json(&json)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let member = |id: &str, group: &str, extra: &str| {
        format!(r#"{{"id": "{id}", "group": "{group}", "processing_time": {{"constant": "1ms"}}{extra}}}"#)
    };
    let e = refused(&member("w", "g", r#", "guarantee": "transactional""#), "");
    assert!(e.contains("writes_to"), "{e}");
    let e = refused(
        r#"{"id": "w", "queue": "q", "writes_to": "out", "processing_time": {"constant": "1ms"}}"#,
        "",
    );
    assert!(e.contains("consumer-group members only"), "{e}");
    let loop_back = format!(
        "{}, {}",
        member("w", "g", r#", "writes_to": "out""#),
        member("v", "h", r#", "writes_to": "in""#)
    );
    let e = refused(&loop_back, "");
    assert!(e.contains("round for ever"), "{e}");
    let e = refused(&member("w", "g", r#", "writes_to": "nowhere""#), "");
    assert!(e.contains("nowhere"), "{e}");
    assert_eq!(refused(&member("w", "g", r#", "writes_to": "out""#), ""), "");
}
