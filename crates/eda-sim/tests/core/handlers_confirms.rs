//! Publisher confirms for queues (given / when / then): a queue's publisher that waits for the
//! broker's confirm retries what it hears nothing about, so a late confirm makes a second copy,
//! which the queue's consumer processes as a duplicate of the same message, unless it is
//! idempotent; a full queue sends no confirm.

use crate::support::{at_ms, count, number};
use eda_sim::patterns::broker::BrokerRecord;
use eda_sim::{Command, Scenario, Sim};

/// Given: a queue read by one consumer (`consumer_extra`), and a producer with these extras.
fn given(producer_extra: &str, consumer_extra: &str, queue_extra: &str) -> Sim {
    let json = format!(
        r#"{{"version": 1, "seed": 4, "broker": {{"network_delay": {{"constant": "1ms"}},
        "queues": [{{"id": "q"{queue_extra}}}],
        "producers": [{{"id": "p", "queue": "q"{producer_extra}}}],
        "consumers": [{{"id": "c", "queue": "q", "processing_time": {{"constant": "1ms"}}{consumer_extra}}}]}}}}"#
    );
    let scenario = Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    Sim::new(&scenario).unwrap()
}

fn produce(sim: &mut Sim) {
    sim.apply(&Command::Produce {
        producer: "p".into(),
        key: None,
        payload: None,
    })
    .unwrap();
}

/// The confirm comes back after about 22 ms, the producer waits 15 ms: it publishes again.
const LATE_CONFIRM: &str = r#", "retries": 1, "request_timeout": "15ms", "link": {"delay": {"constant": "10ms"}}"#;

#[test]
fn a_retry_after_a_late_confirm_is_processed_again_as_the_same_message() {
    let mut sim = given(LATE_CONFIRM, "", "");
    produce(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(count(&sim, |r| matches!(r, BrokerRecord::Published { .. })), 2);
    assert_eq!(number(&sim, "c", "handled"), 2.0);
    assert_eq!(number(&sim, "c", "duplicates"), 1.0, "two copies of one message");
    assert_eq!(number(&sim, "q", "processed"), 1.0);
    assert_eq!(number(&sim, "q", "duplicates"), 1.0);
    assert_eq!(number(&sim, "p", "confirmed"), 1.0);
}

#[test]
fn an_idempotent_consumer_catches_the_retried_copy_by_the_producers_id() {
    let mut sim = given(LATE_CONFIRM, r#", "guarantee": "idempotent""#, "");
    produce(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(number(&sim, "c", "handled"), 1.0);
    assert_eq!(number(&sim, "c", "deduplicated"), 1.0);
    assert_eq!(number(&sim, "q", "duplicates"), 0.0);
}

#[test]
fn a_full_queue_sends_no_confirm_and_the_producer_gives_up() {
    let mut sim = given(
        r#", "request_timeout": "50ms""#,
        r#", "prefetch": 1"#,
        r#", "capacity": 1"#,
    );
    run_burst(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    let refused = number(&sim, "p", "refused");
    assert!(refused >= 1.0, "the full queue refused some");
    assert_eq!(
        number(&sim, "p", "gave_up"),
        refused,
        "each refused one times out unconfirmed"
    );
    assert_eq!(number(&sim, "p", "confirmed") + refused, 4.0);
}

fn run_burst(sim: &mut Sim) {
    for _ in 0..4 {
        produce(sim);
    }
}

#[test]
fn a_retried_copy_adds_nothing_to_what_the_queue_expects() {
    let mut sim = given(
        &format!(r#"{LATE_CONFIRM}, "payloads": [{{"amount": 30}}]"#),
        r#", "sum_field": "amount", "guarantee": "idempotent""#,
        "",
    );
    produce(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(number(&sim, "q", "sum_expected"), 30.0, "one message, sent twice");
    assert_eq!(number(&sim, "q", "sum_processed"), 30.0);
}
