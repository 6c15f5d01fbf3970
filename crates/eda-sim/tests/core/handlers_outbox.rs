//! The dual-write problem and the transactional outbox, one situation each (given / when /
//! then): an order service whose write and event go together atomically, by a dual write either
//! way round, or through an outbox and its relay, crashing at the worst moment for each.

use crate::support::{at_ms, number};
use eda_sim::patterns::request_reply::RpcRecord;
use eda_sim::{Command, Scenario, Sim, TraceKind};

/// Given: an order service (one worker, 10 ms per request) whose OrderCreated goes to a queue
/// read by a billing consumer (`consumer_extra`: more consumer fields), with these `events`.
fn given(events: &str, consumer_extra: &str) -> Sim {
    let events = if events.is_empty() {
        String::new()
    } else {
        format!(r#", "events": {events}"#)
    };
    let json = format!(
        r#"{{"version": 1, "seed": 5,
        "request_reply": {{
          "services": [{{"id": "orders", "workers": 1, "service_time": {{"constant": "10ms"}},
            "orders": {{"validity": "1h", "on_created": [{{"produce": {{"producer": "events"}}}}]{events}}}}}],
          "clients": [{{"id": "shop", "service": "orders", "network_delay": {{"constant": "1ms"}},
                        "confirm_after": {{"constant": "10h"}}}}]}},
        "broker": {{"network_delay": {{"constant": "1ms"}},
          "queues": [{{"id": "q"}}], "producers": [{{"id": "events", "queue": "q"}}],
          "consumers": [{{"id": "billing", "queue": "q", "processing_time": {{"constant": "1ms"}}{consumer_extra}}}]}}}}"#
    );
    let scenario = Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    Sim::new(&scenario).unwrap()
}

fn run(sim: &mut Sim, command: Command) {
    sim.apply(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
}

fn order(sim: &mut Sim) {
    run(sim, Command::Request { client: "shop".into() });
}

fn crash(sim: &mut Sim) {
    run(
        sim,
        Command::Crash {
            entity: "orders".into(),
        },
    );
}

fn restart(sim: &mut Sim) {
    run(
        sim,
        Command::Restart {
            entity: "orders".into(),
        },
    );
}

fn count(sim: &Sim, what: impl Fn(&RpcRecord) -> bool) -> usize {
    sim.trace()
        .records()
        .iter()
        .filter(|r| matches!(&r.kind, TraceKind::Rpc(x) if what(x)))
        .count()
}

/// The request reaches the service at 1 ms and its write is done at 11 ms.
const WRITTEN_AT: u64 = 11;

#[test]
fn atomically_every_written_order_is_heard_of_whatever_the_crash() {
    let mut sim = given("", "");
    order(&mut sim);
    sim.run_until(at_ms(WRITTEN_AT + 1)).unwrap();
    crash(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(number(&sim, "orders", "orders_created"), 1.0);
    assert_eq!(number(&sim, "billing", "handled"), 1.0);
    assert!(sim.report().entity("orders").unwrap().counters.get("events").is_none());
}

#[test]
fn a_dual_write_loses_the_event_when_the_crash_comes_between_the_write_and_the_publish() {
    let mut sim = given(r#"{"dual_write": {"publish_time": {"constant": "20ms"}}}"#, "");
    order(&mut sim);
    sim.run_until(at_ms(WRITTEN_AT + 5)).unwrap();
    assert_eq!(number(&sim, "orders", "orders_created"), 1.0, "the database has it");
    crash(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(count(&sim, |r| matches!(r, RpcRecord::EventLost { .. })), 1);
    assert_eq!(number(&sim, "orders", "events_lost"), 1.0);
    assert_eq!(number(&sim, "billing", "handled"), 0.0, "nobody hears of the order");
    // Restarted, the next order's event goes out as usual.
    restart(&mut sim);
    order(&mut sim);
    sim.run_until(at_ms(1_000)).unwrap();
    assert_eq!(number(&sim, "billing", "handled"), 1.0);
    let written = number(&sim, "orders", "events_written");
    let published = number(&sim, "orders", "events_published");
    assert_eq!(written, published + number(&sim, "orders", "events_lost"));
}

#[test]
fn publishing_first_invents_an_event_when_the_crash_comes_before_the_write() {
    let mut sim = given(r#"{"publish_first": {"commit_time": {"constant": "20ms"}}}"#, "");
    order(&mut sim);
    sim.run_until(at_ms(WRITTEN_AT + 5)).unwrap();
    crash(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(count(&sim, |r| matches!(r, RpcRecord::EventInvented { .. })), 1);
    assert_eq!(
        number(&sim, "orders", "orders_created"),
        0.0,
        "the database never had it"
    );
    assert_eq!(
        number(&sim, "billing", "handled"),
        1.0,
        "billing heard of it all the same"
    );
    assert_eq!(number(&sim, "orders", "events_invented"), 1.0);
}

#[test]
fn a_crash_during_the_relays_publish_publishes_the_row_again_and_an_idempotent_consumer_catches_it() {
    let outbox = r#"{"outbox": {"relay_interval": "100ms", "publish_time": {"constant": "50ms"}}}"#;
    let mut sim = given(outbox, r#", "guarantee": "idempotent", "dedupe_on": "event_id""#);
    order(&mut sim);
    // Written at 11 ms; the relay reads the outbox at 111 ms and marks the row at 161 ms.
    sim.run_until(at_ms(120)).unwrap();
    assert_eq!(number(&sim, "billing", "handled"), 1.0);
    crash(&mut sim);
    sim.run_until(at_ms(130)).unwrap();
    restart(&mut sim);
    sim.run_until(at_ms(1_000)).unwrap();
    assert_eq!(
        count(&sim, |r| matches!(r, RpcRecord::RelayPublished { again: true, .. })),
        1
    );
    assert_eq!(number(&sim, "orders", "events_repeated"), 1.0);
    assert_eq!(number(&sim, "orders", "events_lost"), 0.0);
    assert_eq!(
        number(&sim, "billing", "deduplicated"),
        1.0,
        "the same event id, caught"
    );
    assert_eq!(number(&sim, "billing", "handled"), 1.0);
    assert_eq!(number(&sim, "orders", "events_pending"), 0.0);
}

#[test]
fn without_an_event_id_to_key_on_the_republished_row_is_processed_twice() {
    let outbox = r#"{"outbox": {"relay_interval": "100ms", "publish_time": {"constant": "50ms"}}}"#;
    let mut sim = given(outbox, r#", "guarantee": "idempotent""#);
    order(&mut sim);
    sim.run_until(at_ms(120)).unwrap();
    crash(&mut sim);
    restart(&mut sim);
    sim.run_until(at_ms(1_000)).unwrap();
    assert_eq!(number(&sim, "billing", "handled"), 2.0, "two messages, two message ids");
    assert_eq!(number(&sim, "billing", "deduplicated"), 0.0);
}

#[test]
fn outbox_settings_that_cannot_work_are_refused_with_the_reason() {
    let problems = |events: &str, consumer_extra: &str| {
        let json = format!(
            r#"{{"version": 1,
            "request_reply": {{"services": [{{"id": "s", "service_time": {{"constant": "1ms"}},
                "orders": {{"validity": "1s", "events": {events}}}}}]}},
            "broker": {{"queues": [{{"id": "q"}}], "consumers": [
                {{"id": "a", "queue": "q", "processing_time": {{"constant": "1ms"}}{consumer_extra}}},
                {{"id": "b", "queue": "q", "processing_time": {{"constant": "1ms"}}, "guarantee": "idempotent"}}]}}}}"#
        );
        Scenario::from_json(&json)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let zero = problems(
        r#"{"outbox": {"relay_interval": "0s", "publish_time": {"constant": "1ms"}}}"#,
        "",
    );
    assert!(zero.contains("relay_interval"), "{zero}");
    let not_idempotent = problems(r#""atomic""#, r#", "dedupe_on": "event_id""#);
    assert!(
        not_idempotent.contains("applies to idempotent consumers only"),
        "{not_idempotent}"
    );
    let mixed = problems(r#""atomic""#, r#", "guarantee": "idempotent", "dedupe_on": "event_id""#);
    assert!(mixed.contains("same dedupe_on"), "{mixed}");
    assert_eq!(problems(r#""atomic""#, ""), "");
}

#[test]
fn a_relay_publish_the_broker_refuses_is_not_marked_and_goes_out_at_the_next_read() {
    let outbox = r#"{"outbox": {"relay_interval": "100ms", "publish_time": {"constant": "5ms"}}}"#;
    let mut sim = given(outbox, "");
    order(&mut sim);
    sim.run_until(at_ms(100)).unwrap();
    run(
        &mut sim,
        Command::Crash {
            entity: "broker".into(),
        },
    );
    sim.run_until(at_ms(150)).unwrap();
    assert_eq!(
        number(&sim, "orders", "events_refused"),
        1.0,
        "the relay's read at 111 ms"
    );
    run(
        &mut sim,
        Command::Restart {
            entity: "broker".into(),
        },
    );
    sim.run_until(at_ms(1_000)).unwrap();
    assert_eq!(number(&sim, "billing", "handled"), 1.0, "published again at 211 ms");
    assert_eq!(
        number(&sim, "orders", "events_repeated"),
        0.0,
        "the broker never had it twice"
    );
    assert_eq!(number(&sim, "orders", "events_pending"), 0.0);
}
