//! Network partitions, one situation each (given / when / then): a group member cut off from
//! the broker, a provider cut off from its registry, a client cut off from its service, a queue
//! consumer cut off from its queue; and what a partition may name.

use crate::support::number;
use eda_sim::patterns::broker::BrokerRecord;
use eda_sim::patterns::request_reply::RpcRecord;
use eda_sim::{Command, Scenario, Sim, SimTime, TraceKind};

fn sim(json: &str) -> Sim {
    let scenario = Scenario::from_json(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    Sim::new(&scenario).unwrap()
}

fn s(n: f64) -> SimTime {
    SimTime((n * 1_000_000.0) as u64)
}

fn split(sim: &mut Sim, sides: &[&[&str]]) {
    let sides = sides
        .iter()
        .map(|side| side.iter().map(|n| n.to_string()).collect())
        .collect();
    sim.apply(&Command::Partition { sides }).unwrap();
}

fn heal(sim: &mut Sim) {
    sim.apply(&Command::Heal {}).unwrap();
}

fn broker_count(sim: &Sim, what: impl Fn(&BrokerRecord) -> bool) -> usize {
    sim.trace()
        .records()
        .iter()
        .filter(|r| matches!(&r.kind, TraceKind::Broker(b) if what(b)))
        .count()
}

const GROUP: &str = r#"{"version": 1, "seed": 2, "broker": {
    "network_delay": {"constant": "1ms"},
    "topics": [{"id": "t", "partitions": 2}],
    "groups": [{"id": "g", "topic": "t", "session_timeout": "2s", "auto_offset_reset": "earliest"}],
    "producers": [{"id": "p", "topic": "t", "emits": {"every": {"constant": "10ms"}, "count": 600}}],
    "consumers": [{"id": "m1", "group": "g", "processing_time": {"constant": "1ms"}},
                  {"id": "m2", "group": "g", "processing_time": {"constant": "1ms"}}]}}"#;

#[test]
fn a_member_cut_off_is_declared_dead_after_its_session_and_rejoins_when_the_network_heals() {
    let mut sim = sim(GROUP);
    sim.run_until(s(1.0)).unwrap();
    split(&mut sim, &[&["broker"], &["m2"]]);
    sim.run_until(s(2.9)).unwrap();
    assert_eq!(number(&sim, "g", "members"), 2.0, "still a member within its session");
    sim.run_until(s(3.1)).unwrap();
    assert_eq!(number(&sim, "g", "members"), 1.0, "silent for 2 s: declared dead");
    assert_eq!(number(&sim, "m2", "down"), 0.0, "it never crashed");
    let fetches_failed = broker_count(&sim, |r| matches!(r, BrokerRecord::BrokerUnavailable { .. }));
    assert!(fetches_failed > 0, "its fetches fail while it is cut off");
    heal(&mut sim);
    sim.run_until(s(3.5)).unwrap();
    assert_eq!(number(&sim, "g", "members"), 2.0, "it joins again");
    assert_eq!(
        number(&sim, "g", "rebalances"),
        3.0,
        "start, declared dead, joined again"
    );
    sim.run_until(s(10.0)).unwrap();
    // m1 re-read m2's partition from the last auto-commit (5 s interval: none yet at 1 s).
    assert!(
        number(&sim, "m1", "duplicates") > 0.0,
        "what m2 had processed is processed again"
    );
}

#[test]
fn a_partition_that_heals_within_the_session_costs_no_rebalance() {
    let mut sim = sim(GROUP);
    sim.run_until(s(1.0)).unwrap();
    split(&mut sim, &[&["broker"], &["m2"]]);
    sim.run_until(s(2.0)).unwrap();
    heal(&mut sim);
    sim.run_until(s(8.0)).unwrap();
    assert_eq!(number(&sim, "g", "rebalances"), 1.0);
    assert_eq!(number(&sim, "m1", "duplicates") + number(&sim, "m2", "duplicates"), 0.0);
}

#[test]
fn a_provider_cut_off_from_its_registry_expires_at_its_ttl_and_registers_again_after_the_heal() {
    let mut sim = sim(r#"{"version": 1, "discovery": {
        "registries": [{"id": "reg", "network_delay": {"constant": "1ms"}}],
        "providers": [{"id": "pay", "name": "payment", "endpoint": "tcp://a:1", "registry": "reg",
                       "heartbeat_every": {"constant": "1s"}, "ttl": "3s", "register_at": "0s"}],
        "clients": [{"id": "watcher", "registry": "reg", "watch": ["payment"]}]}}"#);
    sim.run_until(s(1.5)).unwrap();
    assert_eq!(number(&sim, "reg", "registered"), 1.0);
    split(&mut sim, &[&["reg"], &["pay"]]);
    sim.run_until(s(3.9)).unwrap();
    assert_eq!(number(&sim, "reg", "registered"), 1.0, "within its TTL");
    sim.run_until(s(5.0)).unwrap();
    assert_eq!(number(&sim, "reg", "registered"), 0.0, "no heartbeat for 3 s: expired");
    assert_eq!(number(&sim, "reg", "expired"), 1.0);
    assert_eq!(number(&sim, "pay", "up"), 1.0, "the provider itself is fine");
    assert_eq!(
        number(&sim, "watcher", "notifications_received"),
        2.0,
        "registered, then gone"
    );
    heal(&mut sim);
    sim.run_until(s(6.5)).unwrap();
    assert_eq!(
        number(&sim, "reg", "registered"),
        1.0,
        "its next heartbeat registers it again"
    );
    assert_eq!(number(&sim, "watcher", "notifications_received"), 3.0);
}

#[test]
fn a_client_cut_off_from_its_service_times_out_and_retries_after_the_heal() {
    let mut sim = sim(r#"{"version": 1, "request_reply": {
        "services": [{"id": "svc", "service_time": {"constant": "5ms"}}],
        "clients": [{"id": "cli", "service": "svc", "timeout": "100ms", "retries": 3, "backoff": "200ms",
                     "network_delay": {"constant": "1ms"}}]}}"#);
    split(&mut sim, &[&["svc"], &["cli"]]);
    sim.apply(&Command::Request { client: "cli".into() }).unwrap();
    sim.run_until(s(0.15)).unwrap();
    let cut = |sim: &Sim| {
        sim.trace()
            .records()
            .iter()
            .filter(|r| matches!(&r.kind, TraceKind::Rpc(RpcRecord::Unreachable { .. })))
            .count()
    };
    assert_eq!(cut(&sim), 1);
    assert_eq!(number(&sim, "cli", "timeouts"), 1.0);
    heal(&mut sim);
    sim.run_until(s(2.0)).unwrap();
    assert_eq!(
        number(&sim, "cli", "succeeded"),
        1.0,
        "the retry after the heal gets through"
    );
    let (sent, accounted) = sim.request_reply().request_accounting();
    assert_eq!(sent, accounted);
}

#[test]
fn a_queue_consumer_cut_off_gets_nothing_and_what_it_held_goes_to_the_others() {
    let mut sim = sim(r#"{"version": 1, "broker": {"network_delay": {"constant": "1ms"},
        "queues": [{"id": "q", "consumer_timeout": "1s"}],
        "producers": [{"id": "p", "queue": "q"}],
        "consumers": [{"id": "c", "queue": "q", "processing_time": {"constant": "5ms"}}]}}"#);
    split(&mut sim, &[&["broker"], &["c"]]);
    sim.apply(&Command::Produce {
        producer: "p".into(),
        key: None,
        payload: None,
    })
    .unwrap();
    sim.run_until(s(0.5)).unwrap();
    assert_eq!(number(&sim, "c", "handled"), 0.0);
    assert_eq!(
        number(&sim, "q", "ready"),
        1.0,
        "its channel is closed: nothing is sent to it"
    );
    heal(&mut sim);
    sim.run_until(s(3.0)).unwrap();
    assert_eq!(number(&sim, "c", "handled"), 1.0, "delivered once the network heals");
    assert_eq!(number(&sim, "q", "lost"), 0.0);
}

#[test]
fn a_consumer_cut_off_while_it_holds_a_message_leaves_it_to_the_others_and_its_ack_is_lost() {
    let mut sim = sim(r#"{"version": 1, "broker": {"network_delay": {"constant": "1ms"},
        "queues": [{"id": "q"}],
        "producers": [{"id": "p", "queue": "q"}],
        "consumers": [{"id": "c1", "queue": "q", "processing_time": {"constant": "100ms"}},
                      {"id": "c2", "queue": "q", "processing_time": {"constant": "100ms"}}]}}"#);
    sim.apply(&Command::Produce {
        producer: "p".into(),
        key: None,
        payload: None,
    })
    .unwrap();
    sim.run_until(s(0.05)).unwrap();
    split(&mut sim, &[&["broker"], &["c1"]]);
    sim.run_until(s(1.0)).unwrap();
    // c1 finished it (a zombie's work) but its ack never arrived; c2 got it again.
    assert_eq!(number(&sim, "c1", "handled"), 1.0);
    assert_eq!(number(&sim, "c2", "handled"), 1.0);
    assert_eq!(number(&sim, "c1", "unreachable"), 1.0, "its ack");
    assert_eq!(number(&sim, "q", "duplicates"), 1.0, "processed twice");
    assert_eq!(number(&sim, "q", "unacked"), 0.0);
}

#[test]
fn a_partition_names_networked_entities_on_two_sides_at_least() {
    let problems = |sides: &str| {
        let json = format!(
            r#"{{"version": 1, "broker": {{"queues": [{{"id": "q"}}], "producers": [{{"id": "p", "queue": "q"}}],
            "consumers": [{{"id": "c", "queue": "q", "processing_time": {{"constant": "1ms"}}}}]}},
            "script": [{{"at": "1s", "do": {{"partition": {{"sides": {sides}}}}}}}]}}"#
        );
        Scenario::from_json(&json)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(problems(r#"[["broker"], ["c"]]"#), "");
    assert_eq!(
        problems(r#"[[], ["c", "p"]]"#),
        "",
        "everyone not named is on the first side"
    );
    assert!(
        problems(r#"[["broker"], ["q"]]"#).contains("queue"),
        "a queue lives on its broker"
    );
    assert!(problems(r#"[["broker", "c"]]"#).contains("second side"));
    assert!(problems(r#"[["c"], ["c"]]"#).contains("on two sides"));
}
