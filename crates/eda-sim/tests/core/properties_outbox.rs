//! Properties of the dual write and the outbox under random crashes: three order services take
//! orders, one per way of writing and publishing, and crash and restart at random. Whatever the
//! crashes, once the orders have stopped and everything has settled:
//! - the run is deterministic, and every event is accounted for: a dual write publishes what it
//!   wrote except what it lost, publishing first writes what it published except what it
//!   invented, and the outbox publishes everything it wrote, some rows again;
//! - the outbox never loses an event, and its idempotent billing consumer, keyed on the event
//!   id, handles each written order exactly once;
//! - every billing consumer handles exactly what its service published.

use eda_sim::{Scenario, Sim};
use proptest::prelude::*;

const MODES: [(&str, &str); 3] = [
    (
        "dual",
        r#"{"dual_write": {"publish_time": {"exponential": {"mean": "20ms"}}}}"#,
    ),
    (
        "first",
        r#"{"publish_first": {"commit_time": {"exponential": {"mean": "20ms"}}}}"#,
    ),
    (
        "outbox",
        r#"{"outbox": {"relay_interval": "50ms", "publish_time": {"exponential": {"mean": "20ms"}}}}"#,
    ),
];

fn scenario(seed: u64, orders: u32, crashes: &[(u64, u64)]) -> Scenario {
    let mut services = Vec::new();
    let mut clients = Vec::new();
    let mut queues = Vec::new();
    let mut producers = Vec::new();
    let mut consumers = Vec::new();
    let mut script = Vec::new();
    for (name, events) in MODES {
        services.push(format!(
            r#"{{"id": "orders-{name}", "workers": 2, "service_time": {{"exponential": {{"mean": "10ms"}}}},
                "orders": {{"validity": "1h", "on_created": [{{"produce": {{"producer": "events-{name}"}}}}], "events": {events}}}}}"#
        ));
        clients.push(format!(
            r#"{{"id": "shop-{name}", "service": "orders-{name}", "timeout": "1s", "confirm_after": {{"constant": "10h"}},
                "arrivals": {{"every": {{"exponential": {{"mean": "15ms"}}}}, "count": {orders}}}}}"#
        ));
        queues.push(format!(r#"{{"id": "q-{name}"}}"#));
        producers.push(format!(r#"{{"id": "events-{name}", "queue": "q-{name}"}}"#));
        consumers.push(format!(
            r#"{{"id": "billing-{name}", "queue": "q-{name}", "prefetch": 5, "guarantee": "idempotent", "dedupe_on": "event_id",
                "processing_time": {{"constant": "1ms"}}}}"#
        ));
        for (at, down) in crashes {
            script.push(format!(
                r#"{{"at": "{at}ms", "do": {{"crash": {{"entity": "orders-{name}"}}}}}}"#
            ));
            script.push(format!(
                r#"{{"at": "{}ms", "do": {{"restart": {{"entity": "orders-{name}"}}}}}}"#,
                at + down
            ));
        }
    }
    let json = format!(
        r#"{{"version": 1, "seed": {seed},
            "request_reply": {{"services": [{}], "clients": [{}]}},
            "broker": {{"network_delay": {{"constant": "1ms"}}, "queues": [{}], "producers": [{}], "consumers": [{}]}},
            "script": [{}]}}"#,
        services.join(","),
        clients.join(","),
        queues.join(","),
        producers.join(","),
        consumers.join(","),
        script.join(",")
    );
    Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn run(seed: u64, orders: u32, crashes: &[(u64, u64)]) -> Sim {
    let mut sim = Sim::new(&scenario(seed, orders, crashes)).unwrap();
    let progress = sim.run_to_end(5_000_000).unwrap();
    assert!(progress.reached, "the run ends");
    sim
}

fn crashes() -> impl Strategy<Value = Vec<(u64, u64)>> {
    prop::collection::vec((0u64..1_500, 1u64..200), 0..4).prop_map(|mut c| {
        // Crashes of one service do not overlap: each restart comes before the next crash.
        c.sort();
        let mut free_from = 0;
        c.retain(|&(at, down)| {
            let keep = at >= free_from;
            if keep {
                free_from = at + down + 1;
            }
            keep
        });
        c
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_event_is_accounted_for_and_the_outbox_loses_none(seed in any::<u64>(), orders in 1u32..80, c in crashes()) {
        let sim = run(seed, orders, &c);
        let report = sim.report();
        let n = |entity: &str, name: &str| report.entity(entity).and_then(|e| e.number(name)).unwrap();
        for (name, _) in MODES {
            let service = format!("orders-{name}");
            let (written, published) = (n(&service, "events_written"), n(&service, "events_published"));
            prop_assert_eq!(n(&service, "events_pending"), 0.0, "{} settled", name);
            match name {
                "dual" => prop_assert_eq!(written, published + n(&service, "events_lost")),
                "first" => prop_assert_eq!(published, written + n(&service, "events_invented")),
                _ => {
                    // A publish the broker refused (it was down) is published again.
                    let again = n(&service, "events_repeated") + n(&service, "events_refused");
                    prop_assert_eq!(published, written + again);
                    prop_assert_eq!(n(&service, "events_lost") + n(&service, "events_invented"), 0.0);
                    // Keyed on the event id, the outbox's consumer handles each order once.
                    prop_assert_eq!(n("billing-outbox", "handled"), written);
                    prop_assert_eq!(n("billing-outbox", "deduplicated"), n(&service, "events_repeated"));
                }
            }
            if name != "outbox" {
                prop_assert_eq!(n(&format!("billing-{name}"), "handled"), published);
            }
        }
        let (created, accounted) = sim.request_reply().request_accounting();
        prop_assert_eq!(created, accounted);
    }

    #[test]
    fn outbox_runs_are_deterministic(seed in any::<u64>(), orders in 1u32..40, c in crashes()) {
        prop_assert_eq!(run(seed, orders, &c).trace_hash(), run(seed, orders, &c).trace_hash());
    }
}
