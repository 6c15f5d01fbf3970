//! Event sourcing: streams, optimistic concurrency, snapshots, replay to a point in time,
//! projections that lag and can be rebuilt, publication on the bus, appends from other patterns.

use eda_sim::patterns::event_store::{fold, At, Change, EventStoreWorld, FieldChange, Fields, StoreRecord, StoreSpec};
use eda_sim::scenario::ScriptEntry;
use eda_sim::{Command, Scenario, Sim, SimDuration, SimError, SimRng, SimTime, TraceKind};
use serde_json::{json, Value};

const DAY_S: u64 = 86_400;

fn secs(s: u64) -> SimTime {
    SimTime(s * 1_000_000)
}

fn millis(ms: u64) -> SimTime {
    SimTime(ms * 1_000)
}

fn fields(value: Value) -> Fields {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn append(stream: &str, event_type: &str, data: Value, expected_version: Option<u64>) -> Command {
    Command::Append {
        store: "profiles".into(),
        stream: stream.into(),
        event_type: event_type.into(),
        data: fields(data),
        expected_version,
    }
}

/// The store records of a run, with their times.
fn store_records(sim: &Sim) -> Vec<(SimTime, &StoreRecord)> {
    sim.trace()
        .records()
        .iter()
        .filter_map(|r| match &r.kind {
            TraceKind::Store(record) => Some((r.time, record)),
            _ => None,
        })
        .collect()
}

/// Log positions a projection applied one by one, in order.
fn projected_positions(sim: &Sim) -> Vec<u64> {
    store_records(sim)
        .into_iter()
        .filter_map(|(_, r)| match r {
            StoreRecord::Projected { position, .. } => Some(*position),
            _ => None,
        })
        .collect()
}

fn counter(sim: &Sim, entity: &str, name: &str) -> f64 {
    sim.report()
        .entity(entity)
        .and_then(|e| e.number(name))
        .unwrap_or_else(|| panic!("{entity} has no counter {name}"))
}

fn world(sim: &Sim) -> &EventStoreWorld {
    sim.event_store()
}

fn change(field: &str, old: Option<Value>, new: Option<Value>) -> FieldChange {
    FieldChange {
        field: field.into(),
        old,
        new,
    }
}

/// The state of every stream of store 0, folded by the test from the store's log.
fn fresh_fold(sim: &Sim) -> std::collections::BTreeMap<String, Fields> {
    let mut streams: std::collections::BTreeMap<String, Fields> = Default::default();
    for event in &world(sim).stores[0].log {
        fold(streams.entry(event.stream.clone()).or_default(), &event.data);
    }
    streams
}

const PROFILE: &str = r#"{
  "version": 1, "seed": 1,
  "event_store": {"stores": [{"id": "profiles", "snapshot_every": 2}]},
  "script": [
    {"at": "0s",      "do": {"append": {"store": "profiles", "stream": "user-42", "event_type": "Registered",
                                        "data": {"name": "Ada", "email": "ada@old.example"}}}},
    {"at": "3600s",   "do": {"append": {"store": "profiles", "stream": "user-42", "event_type": "PhoneAdded",
                                        "data": {"phone": "555-0100"}}}},
    {"at": "86400s",  "do": {"append": {"store": "profiles", "stream": "user-42", "event_type": "EmailChanged",
                                        "data": {"email": "ada@new.example"}}}},
    {"at": "172800s", "do": {"append": {"store": "profiles", "stream": "user-42", "event_type": "MovedHouse",
                                        "data": {"address": "1 Analytical Way"}}}},
    {"at": "176400s", "do": {"append": {"store": "profiles", "stream": "user-42", "event_type": "PhoneRemoved",
                                        "data": {"phone": null}}}},
    {"at": "259200s", "do": {"append": {"store": "profiles", "stream": "user-42", "event_type": "NameChanged",
                                        "data": {"name": "Ada L."}}}}
  ]
}"#;

#[test]
fn replaying_a_profile_to_a_given_day_shows_it_as_it_was_and_which_event_changed_which_field() {
    // Given a user profile edited over four days
    let mut sim = Sim::new(&Scenario::from_json(PROFILE).unwrap()).unwrap();
    sim.run_until(secs(5 * DAY_S)).unwrap();
    let store = world(&sim).store_index("profiles").unwrap();
    // When it is replayed to noon of the third day
    let noon_day_3 = At::Time(secs(2 * DAY_S + 43_200));
    let then = world(&sim).state_at(store, "user-42", noon_day_3).unwrap();
    // Then it shows that day's profile: new e-mail, moved, phone removed, old name
    assert_eq!(then.version, 5);
    assert_eq!(
        then.state,
        fields(json!({"name": "Ada", "email": "ada@new.example", "address": "1 Analytical Way"}))
    );
    // and the full history says which event changed which field, from what to what.
    let full = world(&sim).state_at_full_replay(store, "user-42", noon_day_3).unwrap();
    assert_eq!(full.state, then.state);
    let s = |v: &str| Some(Value::from(v));
    assert_eq!(
        full.history,
        vec![
            Change {
                version: 1,
                appended_at: secs(0),
                event_type: "Registered".into(),
                fields: vec![
                    change("email", None, s("ada@old.example")),
                    change("name", None, s("Ada"))
                ],
            },
            Change {
                version: 2,
                appended_at: secs(3_600),
                event_type: "PhoneAdded".into(),
                fields: vec![change("phone", None, s("555-0100"))],
            },
            Change {
                version: 3,
                appended_at: secs(DAY_S),
                event_type: "EmailChanged".into(),
                fields: vec![change("email", s("ada@old.example"), s("ada@new.example"))],
            },
            Change {
                version: 4,
                appended_at: secs(2 * DAY_S),
                event_type: "MovedHouse".into(),
                fields: vec![change("address", None, s("1 Analytical Way"))],
            },
            Change {
                version: 5,
                appended_at: secs(2 * DAY_S + 3_600),
                event_type: "PhoneRemoved".into(),
                fields: vec![change("phone", s("555-0100"), None)],
            },
        ]
    );
    // The snapshot at v4 spared replaying four events: only v5 was replayed.
    assert_eq!(then.from_snapshot, Some(4));
    assert_eq!(then.history, full.history[4..]);
    // On the second day the profile still had its phone and the new address was unknown.
    let day_2 = world(&sim)
        .state_at(store, "user-42", At::Time(secs(DAY_S + 1)))
        .unwrap();
    assert_eq!(
        day_2.state,
        fields(json!({"name": "Ada", "email": "ada@new.example", "phone": "555-0100"}))
    );
    // Before the first event the stream was empty; today it holds the latest state.
    let before = world(&sim).state_at(store, "user-42", At::Version(0)).unwrap();
    assert_eq!((before.version, before.state.len()), (0, 0));
    let now = world(&sim).state_at(store, "user-42", At::Time(sim.now())).unwrap();
    assert_eq!(now.state, world(&sim).stores[store].streams["user-42"].state);
    assert_eq!(now.state["name"], "Ada L.");
    // A stream or store that does not exist has no state.
    assert!(world(&sim).state_at(store, "user-7", At::Version(1)).is_none());
    assert!(world(&sim).state_at(9, "user-42", At::Version(1)).is_none());
}

fn store_only(snapshot_every: Option<u64>) -> Scenario {
    let mut s = Scenario::empty(3);
    s.event_store.stores.push(StoreSpec {
        id: "profiles".into(),
        snapshot_every,
        publish_to: None,
    });
    s
}

#[test]
fn two_writers_appending_with_the_same_expected_version_the_second_gets_a_recorded_conflict() {
    // Given a stream at version 1
    let mut sim = Sim::new(&store_only(None)).unwrap();
    sim.apply(&append("user-42", "Registered", json!({"email": "a@x"}), Some(0)))
        .unwrap();
    // When two writers, both having read version 1, append at the same instant
    sim.run_until(secs(1)).unwrap();
    sim.apply(&append("user-42", "EmailChanged", json!({"email": "user@x"}), Some(1)))
        .unwrap();
    sim.apply(&append(
        "user-42",
        "EmailChanged",
        json!({"email": "support@x"}),
        Some(1),
    ))
    .unwrap();
    // Then the first wins, the second is refused with both versions recorded
    let stream = &world(&sim).stores[0].streams["user-42"];
    assert_eq!(stream.version(), 2, "the conflict appended nothing");
    assert_eq!(stream.state["email"], "user@x");
    let conflicts: Vec<_> = store_records(&sim)
        .into_iter()
        .filter(|(_, r)| matches!(r, StoreRecord::Conflict { .. }))
        .collect();
    assert_eq!(conflicts.len(), 1);
    let (at, record) = conflicts[0];
    assert_eq!(at, secs(1));
    assert!(matches!(
        record,
        StoreRecord::Conflict {
            expected: 1,
            actual: 2,
            ..
        }
    ));
    assert_eq!(record.subject(&sim), "conflict on user-42: expected v1, at v2");
    assert_eq!(counter(&sim, "profiles", "conflicts"), 1.0);
    assert_eq!(counter(&sim, "profiles", "events"), 2.0);
    // Expected version 0 means "create": refused on a stream that exists.
    sim.apply(&append("user-42", "Registered", json!({}), Some(0))).unwrap();
    assert_eq!(counter(&sim, "profiles", "conflicts"), 2.0);
    // Without an expected version an append always lands.
    sim.apply(&append("user-42", "EmailChanged", json!({"email": "late@x"}), None))
        .unwrap();
    assert_eq!(world(&sim).stores[0].streams["user-42"].version(), 3);
    let appended = store_records(&sim)
        .into_iter()
        .rev()
        .find(|(_, r)| matches!(r, StoreRecord::Appended { .. }))
        .unwrap()
        .1;
    assert_eq!(appended.subject(&sim), "user-42 v3 EmailChanged");
    // Unknown names are refused with a typed error, nothing else changes.
    let unknown = Command::Append {
        store: "nowhere".into(),
        stream: "s".into(),
        event_type: "E".into(),
        data: Fields::new(),
        expected_version: None,
    };
    assert!(matches!(sim.apply(&unknown), Err(SimError::UnknownEntity { .. })));
    let unknown = Command::RebuildProjection {
        projection: "profiles".into(),
    };
    assert!(matches!(sim.apply(&unknown), Err(SimError::UnknownEntity { .. })));
    assert_eq!(counter(&sim, "profiles", "events"), 3.0);
}

#[test]
fn snapshots_are_taken_every_n_events_and_replay_from_them_equals_a_full_replay() {
    // Given a store that snapshots every 3 events of a stream, and 10 events on one stream
    let mut sim = Sim::new(&store_only(Some(3))).unwrap();
    for i in 0..10u64 {
        sim.run_until(secs(i)).unwrap();
        let data = match i % 4 {
            3 => json!({"tag": null, "n": i}),
            _ => json!({"n": i, "tag": format!("t{}", i % 3)}),
        };
        sim.apply(&append("s", "Changed", data, None)).unwrap();
    }
    // Then snapshots were recorded at versions 3, 6 and 9
    let versions: Vec<u64> = store_records(&sim)
        .into_iter()
        .filter_map(|(_, r)| match r {
            StoreRecord::Snapshot { version, .. } => Some(*version),
            _ => None,
        })
        .collect();
    assert_eq!(versions, [3, 6, 9]);
    assert_eq!(counter(&sim, "profiles", "snapshots"), 3.0);
    // and from every version, starting at the nearest snapshot gives what a full replay gives.
    for v in 0..=10 {
        let quick = world(&sim).state_at(0, "s", At::Version(v)).unwrap();
        let full = world(&sim).state_at_full_replay(0, "s", At::Version(v)).unwrap();
        assert_eq!((&quick.state, quick.version), (&full.state, full.version), "v{v}");
        let snapshot = (v / 3 * 3).min(9);
        assert_eq!(quick.from_snapshot, (snapshot > 0).then_some(snapshot), "v{v}");
        assert_eq!(quick.history, full.history[snapshot as usize..], "v{v}");
        assert_eq!(full.from_snapshot, None);
    }
    // A version past the end gives the latest state.
    let past = world(&sim).state_at(0, "s", At::Version(99)).unwrap();
    assert_eq!(past.version, 10);
    assert_eq!(past.state, world(&sim).stores[0].streams["s"].state);
}

/// The state of `stream` after its first `version` events, folded by the test itself.
fn oracle(events: &[(SimTime, String, Fields)], stream: &str, version: usize) -> Fields {
    let mut state = Fields::new();
    for (_, _, data) in events.iter().filter(|(_, s, _)| s == stream).take(version) {
        for (k, v) in data {
            if v.is_null() {
                state.remove(k);
            } else {
                state.insert(k.clone(), v.clone());
            }
        }
    }
    state
}

#[test]
fn for_200_random_histories_snapshot_replay_equals_full_replay_at_every_version_and_time() {
    for seed in 0..200u64 {
        // Given a random history: streams, fields set, overwritten with the same value, removed
        let mut rng = SimRng::new(seed);
        let mut s = store_only(Some(1 + rng.below(5)));
        let mut events: Vec<(SimTime, String, Fields)> = Vec::new();
        let mut t = 0;
        for _ in 0..1 + rng.below(40) {
            t += rng.below(3) * 1_000_000;
            let stream = ["a", "b", "c"][rng.below(3) as usize].to_string();
            let mut data = Fields::new();
            for _ in 0..1 + rng.below(3) {
                let field = ["name", "email", "phone", "address"][rng.below(4) as usize];
                let value = if rng.below(4) == 0 {
                    Value::Null
                } else {
                    Value::from(rng.below(4))
                };
                data.insert(field.into(), value);
            }
            s.script.push(ScriptEntry {
                at: SimDuration(t),
                command: append(&stream, "Changed", Value::Object(data.clone()), None),
            });
            events.push((SimTime(t), stream, data));
        }
        let mut sim = Sim::new(&s).unwrap();
        sim.run_until(SimTime(t + 1)).unwrap();
        let w = world(&sim);
        // Then at every version both replays agree with each other and with the test's own fold
        for (name, stream) in &w.stores[0].streams {
            for v in 0..=stream.version() {
                let quick = w.state_at(0, name, At::Version(v)).unwrap();
                let full = w.state_at_full_replay(0, name, At::Version(v)).unwrap();
                assert_eq!(quick.state, full.state, "seed {seed} {name} v{v}");
                assert_eq!(quick.version, v);
                assert_eq!(full.version, v);
                assert_eq!(full.state, oracle(&events, name, v as usize), "seed {seed} {name} v{v}");
                let start = quick.from_snapshot.unwrap_or(0) as usize;
                assert_eq!(quick.history, full.history[start..], "seed {seed} {name} v{v}");
            }
            // and at instants on, just before and between the appends.
            for probe in 0..6 {
                let second = rng.below(t / 1_000_000 + 2);
                let at = SimTime(second * 1_000_000 + [0, 999_999][probe % 2]);
                let quick = w.state_at(0, name, At::Time(at)).unwrap();
                let full = w.state_at_full_replay(0, name, At::Time(at)).unwrap();
                let expected_version = events.iter().filter(|(time, s, _)| s == name && *time <= at).count();
                assert_eq!(quick.version, expected_version as u64, "seed {seed} {name} at {at}");
                assert_eq!((&quick.state, quick.version), (&full.state, full.version));
                assert_eq!(quick.state, oracle(&events, name, expected_version));
            }
        }
    }
}

fn with_projection(lag: &str, snapshot_every: &str) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{"version": 1, "seed": 5,
            "event_store": {{"stores": [{{"id": "profiles"{snapshot_every}}}],
                             "projections": [{{"id": "profile-view", "store": "profiles", "lag": {lag}}}]}}}}"#
    ))
    .unwrap()
}

#[test]
fn a_projection_applies_events_only_after_its_lag_then_matches_the_store() {
    // Given a projection 200 ms behind its store
    let mut sim = Sim::new(&with_projection(r#"{"constant": "200ms"}"#, "")).unwrap();
    // When two profiles change at 1 s and 1.05 s
    sim.run_until(millis(1_000)).unwrap();
    sim.apply(&append("user-1", "Registered", json!({"name": "Ann"}), None))
        .unwrap();
    sim.run_until(millis(1_050)).unwrap();
    sim.apply(&append("user-2", "Registered", json!({"name": "Bo"}), None))
        .unwrap();
    // Then 100 ms later the projection has applied neither: two events behind
    sim.run_until(millis(1_100)).unwrap();
    assert_eq!(counter(&sim, "profile-view", "behind"), 2.0);
    assert!(world(&sim).projections[0].streams.is_empty());
    assert!(projected_positions(&sim).is_empty());
    // at 1.2 s it has the first, at 1.25 s both, each at its append time + lag
    sim.run_until(millis(1_200)).unwrap();
    assert_eq!(counter(&sim, "profile-view", "behind"), 1.0);
    sim.run_until(millis(1_250)).unwrap();
    assert_eq!(counter(&sim, "profile-view", "behind"), 0.0);
    assert_eq!(counter(&sim, "profile-view", "applied"), 2.0);
    let times: Vec<SimTime> = store_records(&sim)
        .into_iter()
        .filter(|(_, r)| matches!(r, StoreRecord::Projected { .. }))
        .map(|(t, _)| t)
        .collect();
    assert_eq!(times, [millis(1_200), millis(1_250)]);
    // and its state is the store's aggregate state, with a count per event type.
    let projection = &world(&sim).projections[0];
    assert_eq!(projection.streams, fresh_fold(&sim));
    assert_eq!(projection.streams["user-2"]["name"], "Bo");
    assert_eq!(projection.event_counts.get("Registered").copied().unwrap_or(0), 2);
}

#[test]
fn a_projection_with_a_random_lag_still_applies_the_log_in_order_exactly_once() {
    // Given a lag anywhere between 1 ms and 500 ms, and 60 appends 10 ms apart
    let mut sim = Sim::new(&with_projection(r#"{"uniform": {"min": "1ms", "max": "500ms"}}"#, "")).unwrap();
    for i in 0..60u64 {
        sim.run_until(millis(10 * i)).unwrap();
        sim.apply(&append(&format!("user-{}", i % 7), "Changed", json!({"n": i}), None))
            .unwrap();
    }
    sim.run_until(secs(5)).unwrap();
    // Then no later event overtook an earlier one: positions 1..=60, in order, once each.
    assert_eq!(projected_positions(&sim), (1..=60).collect::<Vec<u64>>());
    let projection = &world(&sim).projections[0];
    assert_eq!((projection.applied, projection.duplicates_ignored), (60, 0));
    assert_eq!(world(&sim).projections[0].streams, fresh_fold(&sim));
}

#[test]
fn a_rebuild_replays_the_whole_log_and_events_in_flight_are_not_applied_twice() {
    // Given a projection 500 ms behind, and three appends at 0, 100 and 200 ms
    let mut sim = Sim::new(&with_projection(r#"{"constant": "500ms"}"#, "")).unwrap();
    for (i, who) in ["ann", "bo", "ann"].iter().enumerate() {
        sim.run_until(millis(100 * i as u64)).unwrap();
        sim.apply(&append(who, "Changed", json!({"step": i}), None)).unwrap();
    }
    // When the projection is rebuilt at 300 ms, while all three are still in flight
    sim.run_until(millis(300)).unwrap();
    sim.apply(&Command::RebuildProjection {
        projection: "profile-view".into(),
    })
    .unwrap();
    // Then it is caught up at once, equal to a fresh fold of the log
    assert_eq!(counter(&sim, "profile-view", "behind"), 0.0);
    assert_eq!(world(&sim).projections[0].streams, fresh_fold(&sim));
    assert!(store_records(&sim)
        .iter()
        .any(|(_, r)| matches!(r, StoreRecord::RebuildFinished { replayed: 3, .. })));
    // and when a fourth event follows and everything in flight lands
    sim.run_until(millis(400)).unwrap();
    sim.apply(&append("bo", "Changed", json!({"step": 3}), None)).unwrap();
    sim.run_until(secs(2)).unwrap();
    // the three old deliveries are ignored as duplicates, the fourth applied once.
    let ignored: Vec<u64> = store_records(&sim)
        .into_iter()
        .filter_map(|(_, r)| match r {
            StoreRecord::DuplicateIgnored { position, .. } => Some(*position),
            _ => None,
        })
        .collect();
    assert_eq!(ignored, [1, 2, 3]);
    assert_eq!(projected_positions(&sim), [4]);
    let projection = &world(&sim).projections[0];
    assert_eq!(projection.streams, fresh_fold(&sim));
    assert_eq!(projection.event_counts.get("Changed").copied().unwrap_or(0), 4);
    assert_eq!(
        (projection.replayed, projection.applied, projection.duplicates_ignored),
        (3, 1, 3)
    );
    assert_eq!(counter(&sim, "profile-view", "rebuilds"), 1.0);
}

#[test]
fn after_rebuilds_amid_random_lags_every_position_is_applied_exactly_once() {
    let mut s = with_projection(r#"{"uniform": {"min": "1ms", "max": "300ms"}}"#, "");
    s.seed = 17;
    let mut sim = Sim::new(&s).unwrap();
    let mut last_rebuild_replayed = 0;
    let mut projected_before_rebuild = 0;
    for i in 0..80u64 {
        sim.run_until(millis(7 * i)).unwrap();
        sim.apply(&append(
            &format!("user-{}", i % 5),
            "Changed",
            json!({"n": i, "odd": (i % 2 == 1).then_some(i)}),
            None,
        ))
        .unwrap();
        if i == 30 || i == 55 {
            sim.apply(&Command::RebuildProjection {
                projection: "profile-view".into(),
            })
            .unwrap();
            last_rebuild_replayed = i + 1;
            projected_before_rebuild = projected_positions(&sim).len();
        }
    }
    sim.run_until(secs(3)).unwrap();
    // Positions applied one by one after the last rebuild continue exactly where it stopped.
    let after: Vec<u64> = projected_positions(&sim)[projected_before_rebuild..].to_vec();
    assert_eq!(after, (last_rebuild_replayed + 1..=80).collect::<Vec<u64>>());
    let projection = &world(&sim).projections[0];
    assert_eq!(projection.streams, fresh_fold(&sim));
    assert_eq!(
        projection.event_counts.get("Changed").copied().unwrap_or(0),
        80,
        "each event counted once"
    );
    assert_eq!(counter(&sim, "profile-view", "behind"), 0.0);
}

#[test]
fn a_store_publishes_appended_events_on_the_bus_and_records_those_it_cannot() {
    // Given a store publishing through a source whose bus knows EmailChanged but not NameChanged
    let s = Scenario::from_json(
        r#"{"version": 1,
            "event_bus": {"event_types": [{"name": "ProfileEvent"}, {"name": "EmailChanged", "parent": "ProfileEvent"}],
                          "buses": [{"id": "bus", "dispatch_delay": {"constant": "5ms"}}],
                          "sources": [{"id": "profile-events", "bus": "bus"}],
                          "listeners": [{"id": "mailer", "bus": "bus", "subscriptions": ["ProfileEvent"]}]},
            "event_store": {"stores": [{"id": "profiles", "publish_to": {"source": "profile-events"}}]},
            "script": [
              {"at": "1s", "do": {"append": {"store": "profiles", "stream": "u", "event_type": "EmailChanged", "data": {"email": "e"}}}},
              {"at": "2s", "do": {"append": {"store": "profiles", "stream": "u", "event_type": "NameChanged", "data": {"name": "n"}}}}
            ]}"#,
    )
    .unwrap();
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(secs(3)).unwrap();
    // Then the listener handled EmailChanged, published at the append's instant
    assert_eq!(sim.event_bus().listeners[0].handled, 1);
    let published = sim
        .trace()
        .records()
        .iter()
        .find(|r| r.kind.verb() == "Published")
        .unwrap();
    assert_eq!(published.time, secs(1));
    // and NameChanged, which the bus does not define, is recorded as not published.
    let not_published: Vec<_> = store_records(&sim)
        .into_iter()
        .filter(|(_, r)| matches!(r, StoreRecord::NotPublished { .. }))
        .collect();
    assert_eq!(not_published.len(), 1);
    assert_eq!(not_published[0].0, secs(2));
    assert!(not_published[0].1.subject(&sim).contains("NameChanged"));
    assert_eq!(counter(&sim, "profiles", "not_published"), 1.0);
    assert_eq!(counter(&sim, "profiles", "events"), 2.0);
}

#[test]
fn an_order_service_appends_its_outcomes_to_one_stream_per_order() {
    // Given an order service that appends OrderCreated and OrderPaid to `order-{id}`
    let s = Scenario::from_json(
        r#"{"version": 1, "seed": 9,
            "request_reply": {
              "services": [{"id": "shop", "service_time": {"constant": "10ms"},
                            "orders": {"validity": "10s",
                                       "on_created": [{"append": {"store": "orders", "stream": "order-{id}"}}],
                                       "on_paid": [{"append": {"store": "orders", "stream": "order-{id}"}}]}}],
              "clients": [{"id": "shopper", "service": "shop", "confirm_after": {"constant": "2s"},
                           "arrivals": {"every": {"constant": "1s"}, "count": 2}}]},
            "event_store": {"stores": [{"id": "orders"}]}}"#,
    )
    .unwrap();
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(secs(10)).unwrap();
    // Then each of the two orders has its own stream: created, then paid
    let store = &world(&sim).stores[0];
    assert_eq!(store.streams.len(), 2);
    for (name, stream) in &store.streams {
        assert!(name.starts_with("order-"), "{name}");
        assert_eq!(stream.version(), 2);
        assert_eq!(stream.state["status"], "OrderPaid");
        let created = world(&sim).state_at(0, name, At::Version(1)).unwrap();
        assert_eq!(created.state["status"], "OrderCreated");
        assert_eq!(created.history[0].event_type, "OrderCreated");
    }
}

#[test]
fn invalid_event_store_sections_are_reported_at_their_json_paths() {
    let text = r#"{"version": 1,
        "event_bus": {"buses": [{"id": "bus"}], "listeners": [{"id": "l", "bus": "bus"}]},
        "event_store": {
          "stores": [{"id": "profiles", "snapshot_every": 0, "publish_to": {"source": "ghost"}},
                     {"id": "orders", "publish_to": {"source": "l"}}],
          "projections": [{"id": "view", "store": "nowhere"},
                          {"id": "other", "store": "profiles", "lag": {"uniform": {"min": "5ms", "max": "1ms"}}},
                          {"id": "profiles", "store": "orders"}]}}"#;
    let problems = Scenario::from_json(text).unwrap_err().problems();
    let at = |path: &str| {
        problems
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("no problem at {path}: {problems:?}"))
            .message
            .clone()
    };
    assert!(at("event_store.stores[0].snapshot_every").contains("at least 1"));
    assert!(at("event_store.stores[0].publish_to.source").contains("unknown source \"ghost\""));
    assert!(at("event_store.stores[1].publish_to.source").contains("is a listener"));
    assert!(at("event_store.projections[0].store").contains("unknown event store \"nowhere\""));
    assert!(at("event_store.projections[1].lag").contains("greater than"));
    assert!(at("event_store.projections[2].id").contains("already used"));
    assert_eq!(problems.len(), 6, "{problems:?}");
    // An unknown field is refused with its path too.
    let text = r#"{"version": 1, "event_store": {"stores": [{"id": "s", "append_latency": "1ms"}]}}"#;
    let problem = &Scenario::from_json(text).unwrap_err().problems()[0];
    assert_eq!(problem.path, "event_store.stores[0].append_latency");
}

#[test]
fn the_same_event_sourcing_scenario_twice_gives_the_same_trace_hash() {
    let run = |seed: u64| {
        let mut s = with_projection(
            r#"{"uniform": {"min": "1ms", "max": "300ms"}}"#,
            r#", "snapshot_every": 2"#,
        );
        s.seed = seed;
        for i in 0..50u64 {
            let expected = (i % 9 == 4).then_some(0);
            s.script.push(ScriptEntry {
                at: SimDuration::from_millis(20 * i),
                command: append(&format!("u{}", i % 4), "Changed", json!({"n": i}), expected),
            });
        }
        s.script.push(ScriptEntry {
            at: SimDuration::from_millis(500),
            command: Command::RebuildProjection {
                projection: "profile-view".into(),
            },
        });
        let mut sim = Sim::new(&s).unwrap();
        sim.run_until(secs(3)).unwrap();
        (sim.trace_hash(), sim.trace().len())
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1).0, run(2).0, "the lag draws come from the seeded generator");
}

#[test]
fn the_built_in_user_profile_scenario_replays_to_the_third_day() {
    let s = Scenario::from_json(include_str!("../../../../static/scenarios/event-sourcing.json")).unwrap();
    assert_eq!(Scenario::from_json(&s.to_json_pretty()).unwrap(), s);
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(secs(6 * DAY_S)).unwrap();
    let store = world(&sim).store_index("profiles").unwrap();
    // At the end of the third day: the new e-mail (the support desk's write was refused), the
    // corrected address, the phone still there.
    let day_3 = world(&sim)
        .state_at(store, "user-42", At::Time(SimTime(3 * DAY_S * 1_000_000 - 1)))
        .unwrap();
    assert_eq!(day_3.version, 5);
    assert_eq!(
        day_3.state,
        fields(json!({
            "name": "Li Wei",
            "email": "wei.li@newmail.example",
            "phone": "+86 138 0000 0001",
            "address": "21 West Lake Road, Hangzhou"
        }))
    );
    assert_eq!(day_3.from_snapshot, Some(3));
    let history = world(&sim)
        .state_at_full_replay(store, "user-42", At::Time(SimTime(3 * DAY_S * 1_000_000 - 1)))
        .unwrap()
        .history;
    let corrected = &history[3];
    assert_eq!(corrected.event_type, "AddressCorrected");
    assert_eq!(
        corrected.fields,
        [change(
            "address",
            Some("12 West Lake Road, Hangzhou".into()),
            Some("21 West Lake Road, Hangzhou".into())
        )]
    );
    // By the end the phone is gone, the projection was rebuilt and matches the store.
    let latest = &world(&sim).stores[store].streams["user-42"];
    assert_eq!(latest.version(), 8);
    assert!(!latest.state.contains_key("phone"));
    assert_eq!(counter(&sim, "profiles", "conflicts"), 1.0);
    assert_eq!(counter(&sim, "profiles", "snapshots"), 2.0);
    assert_eq!(counter(&sim, "profiles", "not_published"), 0.0);
    assert_eq!(counter(&sim, "profile-view", "rebuilds"), 1.0);
    assert_eq!(counter(&sim, "profile-view", "behind"), 0.0);
    assert_eq!(world(&sim).projections[0].streams["user-42"], latest.state);
    // The mailing list heard of the registration and the e-mail change.
    assert_eq!(sim.event_bus().listeners[0].handled, 2);
}
