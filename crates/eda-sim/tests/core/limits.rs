//! Limits: absurd inputs stop with a typed error, never a hang or a panic.

use crate::support::*;
use eda_sim::kernel::limits::*;
use eda_sim::{Distribution, Scenario, ScenarioError, Sim, SimDuration, SimError, SimTime};

#[test]
fn an_endless_stream_stops_at_the_trace_limit_with_a_typed_error() {
    let mut s = order_world(ms(1));
    emitter(&mut s, "OrderPaid", Distribution::Constant(SimDuration(1)), None);
    let mut sim = Sim::new(&s).unwrap();
    let error = sim.run_until(SimTime(3_600_000_000)).unwrap_err();
    assert_eq!(
        error,
        SimError::TraceFull {
            limit: MAX_TRACE_RECORDS
        }
    );
    let len = sim.trace().len();
    assert!(len <= MAX_TRACE_RECORDS && len > MAX_TRACE_RECORDS - MAX_RECORDS_PER_EVENT);
    // A stopped run stays stopped and unchanged.
    assert_eq!(sim.step().unwrap_err(), error);
    assert_eq!(sim.trace().len(), len);
    assert_eq!(sim.halted(), Some(&error));
    assert!(error
        .to_string()
        .contains(&format!("{MAX_TRACE_RECORDS} trace records")));
}

#[test]
fn a_listener_that_cannot_keep_up_stops_the_run_at_the_pending_limit() {
    let mut s = order_world(ms(1));
    listener(&mut s, "slow", &["OrderPaid"], SimDuration::from_secs(3_600));
    emitter(&mut s, "OrderPaid", Distribution::Constant(SimDuration(10)), None);
    let mut sim = Sim::new(&s).unwrap();
    let error = sim.run_until(SimTime(3_600_000_000)).unwrap_err();
    assert_eq!(
        error,
        SimError::TooManyPending {
            limit: MAX_PENDING_EVENTS
        }
    );
    assert!(sim.pending() <= MAX_PENDING_EVENTS);
}

#[test]
fn too_many_entities_are_refused_when_loading() {
    let mut s = order_world(ms(1));
    for i in 0..MAX_ENTITIES {
        listener(&mut s, &format!("l{i}"), &[], ms(1));
    }
    let error = Sim::new(&s).unwrap_err();
    let ScenarioError::Invalid(problems) = error else {
        panic!("expected Invalid, got {error:?}")
    };
    assert!(
        problems
            .iter()
            .any(|p| p.path.is_empty() && p.message.contains("at most 200")),
        "{problems:?}"
    );
}

#[test]
fn a_zero_gap_emitter_is_refused_because_it_would_never_advance_time() {
    let mut s = order_world(ms(1));
    emitter(&mut s, "OrderPaid", Distribution::Constant(SimDuration::ZERO), None);
    let ScenarioError::Invalid(problems) = Scenario::from_json(&s.to_json_pretty()).unwrap_err() else {
        panic!("expected Invalid")
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path, "event_bus.sources[0].emits[0].every");
    assert!(problems[0].message.contains("gap of zero"));
}

#[test]
fn delays_longer_than_a_day_are_refused() {
    let mut s = order_world(SimDuration::from_secs(86_401));
    listener(&mut s, "sms", &[], ms(1));
    let ScenarioError::Invalid(problems) = Sim::new(&s).unwrap_err() else {
        panic!("expected Invalid")
    };
    assert_eq!(problems[0].path, "event_bus.buses[0].dispatch_delay");
}

#[test]
fn a_loop_that_never_lets_time_pass_is_stopped_with_a_clear_error() {
    // Zero think time, zero service time, zero network delay: requests repeat forever at t = 0.
    let s = Scenario::from_json(
        r#"{"version": 1, "request_reply": {
            "services": [{"id": "svc", "service_time": {"constant": "0ms"}}],
            "clients": [{"id": "c", "service": "svc", "network_delay": {"constant": "0ms"}, "users": {"count": 1, "think_time": {"constant": "0ms"}}}]}}"#,
    )
    .unwrap();
    let mut sim = Sim::with_retention(&s, eda_sim::trace::Retention::HashOnly).unwrap();
    let error = sim.run_until(SimTime(1_000)).unwrap_err();
    assert_eq!(
        error,
        SimError::StuckAtInstant {
            at: SimTime::ZERO,
            limit: MAX_EVENTS_PER_INSTANT
        }
    );
    assert!(error.to_string().contains("repeats at one instant"));
}

#[test]
fn a_log_that_outgrows_memory_stops_the_run_and_names_the_entity_that_holds_it() {
    // A producer appending a record to a topic every 100 µs: the topic keeps every record.
    let scenario = Scenario::from_json(
        r#"{"version": 1, "broker": {
            "topics": [{"id": "orders", "partitions": 2}],
            "producers": [{"id": "shop", "topic": "orders", "emits": {"every": {"constant": "100us"}}}]}}"#,
    )
    .unwrap();
    let mut sim = eda_sim::Sim::with_retention(&scenario, eda_sim::trace::Retention::HashOnly).unwrap();
    let limit_bytes = 5_000 * RETAINED_BYTES_PER_MESSAGE;
    sim.limit_retained_bytes(limit_bytes);
    let error = sim.run_until(SimTime(3_600_000_000)).unwrap_err();
    let SimError::TooMuchRetained {
        entity,
        items,
        bytes,
        limit_bytes: limit,
    } = &error
    else {
        panic!("expected the retained-memory limit, got {error:?}");
    };
    assert_eq!(entity, "orders");
    assert_eq!(*limit, limit_bytes);
    // Checked every RETAINED_CHECK_EVERY events: stopped within one check of the limit.
    assert!(*items > 5_000 && *items <= 5_000 + RETAINED_CHECK_EVERY, "{items}");
    assert_eq!(*bytes, items * RETAINED_BYTES_PER_MESSAGE, "the topic holds everything");
    assert_eq!(sim.retained_items(), *items);
    assert_eq!(sim.retained_bytes(), *bytes);
    assert!(error.to_string().contains("\"orders\" holds the most"), "{error}");
}

#[test]
fn heartbeats_and_closed_loop_users_count_towards_the_load_estimate() {
    // A provider heartbeating every microsecond for 1,000 days: refused up front, with the numbers.
    let heartbeats = r#"{"version": 1, "duration": "1000d",
        "discovery": {"registries": [{"id": "r"}],
                      "providers": [{"id": "p", "registry": "r", "name": "svc", "endpoint": "10.0.0.1",
                                     "register_at": "0s", "heartbeat_every": {"constant": "1us"}, "ttl": "1s"}]}}"#;
    let problems = Scenario::from_json(heartbeats).unwrap_err().problems();
    let duration = problems
        .iter()
        .find(|p| p.path == "duration")
        .expect("refused by its duration");
    assert!(duration.message.contains("heartbeats"), "{}", duration.message);
    // 10,000 closed-loop users with no think time against a 1 ms service, for a day.
    let users = r#"{"version": 1, "duration": "1d",
        "request_reply": {"services": [{"id": "s", "service_time": {"constant": "1ms"}}],
                          "clients": [{"id": "c", "service": "s", "network_delay": {"constant": "0us"},
                                       "users": {"count": 10000, "think_time": {"constant": "0us"}}}]}}"#;
    let scenario: Scenario = serde_json::from_str(users).unwrap();
    let estimate = scenario.estimated_arrivals(SimDuration::from_secs(86_400));
    assert_eq!(estimate, 10_000.0 * 86_400_000_000.0 / 1_000.0);
    assert!(Scenario::from_json(users).is_err());
    // The same users for a second fit.
    let second = users.replace("\"1d\"", "\"1s\"");
    assert!(
        Scenario::from_json(&second).is_ok(),
        "{:?}",
        Scenario::from_json(&second).err()
    );
}
