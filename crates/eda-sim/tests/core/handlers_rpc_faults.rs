//! Request-response over a faulty link, one situation each (given / when / then): an answer that
//! comes after the client's timeout makes its retry create a second order; a link that doubles
//! requests makes the service create two; an order service keeping idempotency keys creates one
//! and answers the repeats with it.

use crate::support::{at_ms, number};
use eda_sim::patterns::request_reply::RpcRecord;
use eda_sim::{Command, Scenario, Sim, TraceKind};

/// Given: an order service (5 ms per request) and a client with a 50 ms timeout and one retry,
/// with these link faults and order-flow extras.
fn given(link: &str, orders_extra: &str) -> Sim {
    let json = format!(
        r#"{{"version": 1, "seed": 9, "request_reply": {{
        "services": [{{"id": "orders", "service_time": {{"constant": "5ms"}},
                       "orders": {{"validity": "1h"{orders_extra}}}}}],
        "clients": [{{"id": "shop", "service": "orders", "timeout": "50ms", "retries": 1, "backoff": "10ms",
                      "network_delay": {{"constant": "1ms"}}, "confirm_after": {{"constant": "10h"}},
                      "link": {link}}}]}}}}"#
    );
    let scenario = Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    Sim::new(&scenario).unwrap()
}

fn order(sim: &mut Sim) {
    sim.apply(&Command::Request { client: "shop".into() }).unwrap();
}

fn count(sim: &Sim, what: impl Fn(&RpcRecord) -> bool) -> usize {
    sim.trace()
        .records()
        .iter()
        .filter(|r| matches!(&r.kind, TraceKind::Rpc(x) if what(x)))
        .count()
}

/// 40 ms each way: the answer comes at about 91 ms, after the 50 ms timeout.
const SLOW: &str = r#"{"delay": {"constant": "40ms"}}"#;

#[test]
fn a_retry_after_an_answer_that_came_too_late_creates_a_second_order() {
    let mut sim = given(SLOW, "");
    order(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    // The retry's answer is as slow: the client gives up, having made two orders.
    assert_eq!(number(&sim, "shop", "timeouts"), 2.0);
    assert_eq!(number(&sim, "shop", "failed"), 1.0);
    assert_eq!(number(&sim, "orders", "orders_created"), 2.0);
    assert_eq!(number(&sim, "orders", "orders_duplicated"), 1.0);
    assert_eq!(
        count(&sim, |r| matches!(
            r,
            RpcRecord::DuplicateOrder { order: 1, first: 0, .. }
        )),
        1
    );
    let (sent, accounted) = sim.request_reply().request_accounting();
    assert_eq!(sent, accounted);
}

#[test]
fn with_idempotency_keys_the_retry_gets_the_order_its_first_attempt_created() {
    let mut sim = given(SLOW, r#", "idempotency_keys": true"#);
    order(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(number(&sim, "orders", "orders_created"), 1.0);
    assert_eq!(number(&sim, "orders", "orders_replayed"), 1.0);
    assert_eq!(
        count(&sim, |r| matches!(r, RpcRecord::IdempotentReplay { order: 0, .. })),
        1
    );
    assert_eq!(
        number(&sim, "shop", "failed"),
        1.0,
        "it still hears nothing in time: one order all the same"
    );
}

#[test]
fn a_link_that_doubles_requests_makes_two_orders_unless_the_service_keeps_keys() {
    let doubling = r#"{"duplicate_percent": 100}"#;
    let mut sim = given(doubling, "");
    order(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(number(&sim, "orders", "orders_created"), 2.0);
    assert_eq!(number(&sim, "orders", "orders_duplicated"), 1.0);
    assert_eq!(
        number(&sim, "shop", "succeeded"),
        1.0,
        "the client asked once and heard once"
    );
    assert!(number(&sim, "shop", "link_doubled") >= 1.0);
    let (sent, accounted) = sim.request_reply().request_accounting();
    assert_eq!(sent, accounted);

    let mut keyed = given(doubling, r#", "idempotency_keys": true"#);
    order(&mut keyed);
    keyed.run_until(at_ms(500)).unwrap();
    assert_eq!(number(&keyed, "orders", "orders_created"), 1.0);
    assert_eq!(number(&keyed, "orders", "orders_replayed"), 1.0);
}

#[test]
fn a_lost_request_is_settled_by_the_timeout_and_its_retry() {
    let mut sim = given(r#"{"loss_percent": 99}"#, "");
    order(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(number(&sim, "shop", "timeouts"), 2.0, "both attempts lost");
    assert_eq!(number(&sim, "shop", "failed"), 1.0);
    assert_eq!(number(&sim, "orders", "orders_created"), 0.0);
    assert_eq!(count(&sim, |r| matches!(r, RpcRecord::LinkLost { .. })), 2);
    let (sent, accounted) = sim.request_reply().request_accounting();
    assert_eq!(sent, accounted);
}

#[test]
fn a_repeat_answered_from_its_key_publishes_no_second_event() {
    let json = r#"{"version": 1, "seed": 9,
        "request_reply": {
          "services": [{"id": "orders", "service_time": {"constant": "5ms"},
            "orders": {"validity": "1h", "idempotency_keys": true,
                       "on_created": [{"produce": {"producer": "events"}}],
                       "events": {"publish_first": {"commit_time": {"constant": "5ms"}}}}}],
          "clients": [{"id": "shop", "service": "orders", "timeout": "1s", "network_delay": {"constant": "1ms"},
                       "confirm_after": {"constant": "10h"}, "link": {"duplicate_percent": 100}}]},
        "broker": {"queues": [{"id": "q"}], "producers": [{"id": "events", "queue": "q"}],
          "consumers": [{"id": "billing", "queue": "q", "processing_time": {"constant": "1ms"}}]}}"#;
    let mut sim = Sim::new(&Scenario::from_json(json).unwrap()).unwrap();
    order(&mut sim);
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(number(&sim, "orders", "orders_created"), 1.0);
    assert_eq!(number(&sim, "orders", "orders_replayed"), 1.0);
    assert_eq!(
        number(&sim, "orders", "events_published"),
        1.0,
        "the repeat wrote nothing"
    );
    assert_eq!(number(&sim, "orders", "events_pending"), 0.0);
    assert_eq!(number(&sim, "billing", "handled"), 1.0);
}
