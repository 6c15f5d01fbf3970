//! Event-sourcing handlers one at a time: given a state built from a scenario section (linked and
//! started as the engine does), when an append, a delivery or a rebuild runs, then what it
//! scheduled, recorded and asked of other patterns, and the state it left.

use crate::support::at_ms;
use eda_sim::engine::Effect;
use eda_sim::patterns::event_bus::EventBusWorld;
use eda_sim::patterns::event_store::{EventStoreSpec, EventStoreWorld, Fields, Snapshot, StorePending, StoreRecord};
use eda_sim::scenario::EventBusSpec;
/// The stage this pattern's handlers run on.
type Stage = eda_sim::kernel::stage::Stage<
    eda_sim::patterns::event_store::StorePending,
    eda_sim::patterns::event_store::StoreRecord,
>;
use eda_sim::trace::MessageKey;
use eda_sim::{Command, Distribution, EntityId, EventTypeId, SimDuration, SimError, SimTime};
use serde_json::{json, Value};

fn fields(value: Value) -> Fields {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// Given: the event-store section `store` on a fresh stage, after the bus section `bus` (the
/// engine's order), linked and started.
fn given_with(bus: &str, store: &str) -> (Stage, EventStoreWorld) {
    let bus_spec: EventBusSpec = serde_json::from_str(bus).unwrap();
    let spec: EventStoreSpec = serde_json::from_str(store).unwrap();
    let mut stage = Stage::new(7);
    let bus = EventBusWorld::build(&bus_spec, &mut stage.entities);
    let mut world = EventStoreWorld::build(&spec, &mut stage.entities);
    world.link(&spec, &stage.entities, &bus);
    world.start(&mut stage.ctx());
    (stage, world)
}

/// The store `profiles` (entity 0, a snapshot every 2 events of a stream) and the projection
/// `search` (entity 1) that follows it 100 ms behind.
fn profiles() -> (Stage, EventStoreWorld) {
    given_with(
        "{}",
        r#"{"stores": [{"id": "profiles", "snapshot_every": 2}],
            "projections": [{"id": "search", "store": "profiles", "lag": {"constant": "100ms"}}]}"#,
    )
}

const PROFILES: EntityId = EntityId(0);
const SEARCH: EntityId = EntityId(1);

fn append(stage: &mut Stage, world: &mut EventStoreWorld, stream: &str, event_type: &str, data: Value) -> Option<u64> {
    world.append(&mut stage.ctx(), 0, stream, event_type, &fields(data), None)
}

/// Runs the earliest pending event (moving the clock to it) and returns it.
fn step(stage: &mut Stage, world: &mut EventStoreWorld) -> StorePending {
    match stage.take_next() {
        Some(pending) => {
            world.handle(&mut stage.ctx(), pending.clone());
            pending
        }
        other => panic!("expected an event-store event, got {other:?}"),
    }
}

/// The event-store records written from the `from`-th record on.
fn records_from(stage: &Stage, from: usize) -> Vec<StoreRecord> {
    stage.records_since(from).into_iter().cloned().collect()
}

fn deliver(projection: usize, position: u64) -> StorePending {
    StorePending::Deliver { projection, position }
}

#[test]
fn an_append_to_a_new_stream_creates_it_at_version_1_logs_it_at_position_1_and_sends_it_to_the_projection() {
    let (mut stage, mut world) = profiles();
    let registered = json!({"name": "Ada", "email": "ada@old.example"});

    let version = append(&mut stage, &mut world, "user-42", "Registered", registered.clone());

    assert_eq!(version, Some(1));
    assert_eq!(
        records_from(&stage, 0),
        [StoreRecord::Appended {
            store: PROFILES,
            stream: "user-42".into(),
            version: 1,
            position: 1,
            event_type: "Registered".into(),
            data: fields(registered.clone()),
        }]
    );
    assert_eq!(stage.scheduled(), [(at_ms(100), deliver(0, 1))]);
    let store = &world.stores[0];
    assert_eq!(store.log.len(), 1);
    assert_eq!(store.log[0].appended_at, SimTime::ZERO);
    let stream = &store.streams["user-42"];
    assert_eq!(stream.version(), 1);
    assert_eq!(stream.state, fields(registered));
    assert_eq!(world.behind(0), 1);
}

#[test]
fn an_append_expecting_a_version_the_stream_has_moved_past_is_refused_as_a_conflict() {
    let (mut stage, mut world) = profiles();
    append(&mut stage, &mut world, "user-42", "Registered", json!({"name": "Ada"}));
    let changed = world.append(
        &mut stage.ctx(),
        0,
        "user-42",
        "EmailChanged",
        &fields(json!({"email": "ada@new.example"})),
        Some(1),
    );
    assert_eq!(changed, Some(2), "the stream was at the expected version");
    let before = stage.records().len();

    let refused = world.append(
        &mut stage.ctx(),
        0,
        "user-42",
        "EmailChanged",
        &fields(json!({"email": "ada@stale.example"})),
        Some(1),
    );

    assert_eq!(refused, None);
    assert_eq!(
        records_from(&stage, before),
        [StoreRecord::Conflict {
            store: PROFILES,
            stream: "user-42".into(),
            event_type: "EmailChanged".into(),
            expected: 1,
            actual: 2,
        }]
    );
    let store = &world.stores[0];
    assert_eq!(store.conflicts, 1);
    assert_eq!(store.log.len(), 2);
    assert_eq!(store.streams["user-42"].state["email"], json!("ada@new.example"));
    assert_eq!(
        stage.scheduled().len(),
        2,
        "nothing sent to the projection for a refused append"
    );
}

#[test]
fn every_second_event_of_a_stream_is_kept_as_a_snapshot_of_its_state() {
    let (mut stage, mut world) = profiles();
    append(&mut stage, &mut world, "user-42", "Registered", json!({"name": "Ada"}));
    append(&mut stage, &mut world, "user-7", "Registered", json!({"name": "Bob"}));
    stage.advance(SimDuration::from_millis(10));
    let before = stage.records().len();

    append(
        &mut stage,
        &mut world,
        "user-42",
        "EmailChanged",
        json!({"email": "ada@new.example"}),
    );

    let appended = records_from(&stage, before);
    assert_eq!(appended.len(), 2);
    assert_eq!(
        appended[1],
        StoreRecord::Snapshot {
            store: PROFILES,
            stream: "user-42".into(),
            version: 2,
        }
    );
    assert_eq!(
        world.stores[0].streams["user-42"].snapshots,
        [Snapshot {
            version: 2,
            taken_at: at_ms(10),
            state: fields(json!({"name": "Ada", "email": "ada@new.example"})),
        }]
    );
    assert!(world.stores[0].streams["user-7"].snapshots.is_empty(), "its own count");
    assert_eq!(world.stores[0].snapshots, 1);

    // Version 3 is no multiple of 2.
    let before = stage.records().len();
    append(
        &mut stage,
        &mut world,
        "user-42",
        "NameChanged",
        json!({"name": "Ada L."}),
    );
    assert_eq!(records_from(&stage, before).len(), 1);
    assert_eq!(world.stores[0].snapshots, 1);
}

#[test]
fn a_projection_receives_each_event_after_its_lag_but_never_before_an_earlier_one() {
    let (mut stage, mut world) = profiles();
    append(&mut stage, &mut world, "user-42", "Registered", json!({"name": "Ada"}));
    // The projection speeds up: the next event alone would arrive at 15 ms.
    world.projections[0].lag = Distribution::Constant(SimDuration::from_millis(10));
    stage.advance(SimDuration::from_millis(5));

    append(
        &mut stage,
        &mut world,
        "user-42",
        "EmailChanged",
        json!({"email": "ada@new.example"}),
    );

    assert_eq!(
        stage.scheduled(),
        [(at_ms(100), deliver(0, 1)), (at_ms(100), deliver(0, 2))]
    );
}

#[test]
fn a_delivered_event_is_applied_to_the_projection_once_and_a_repeat_is_ignored() {
    let (mut stage, mut world) = profiles();
    append(&mut stage, &mut world, "user-42", "Registered", json!({"name": "Ada"}));
    let before = stage.records().len();

    assert_eq!(
        step(&mut stage, &mut world),
        StorePending::Deliver {
            projection: 0,
            position: 1
        }
    );

    assert_eq!(stage.now, at_ms(100));
    assert_eq!(
        records_from(&stage, before),
        [StoreRecord::Projected {
            store: PROFILES,
            projection: SEARCH,
            stream: "user-42".into(),
            version: 1,
            position: 1,
            event_type: "Registered".into(),
        }]
    );
    let search = &world.projections[0];
    assert_eq!(search.position, 1);
    assert_eq!(search.applied, 1);
    assert_eq!(search.streams["user-42"], fields(json!({"name": "Ada"})));
    assert_eq!(search.event_counts.get("Registered"), Some(&1));
    assert_eq!(world.behind(0), 0);

    let before = stage.records().len();
    world.handle(
        &mut stage.ctx(),
        StorePending::Deliver {
            projection: 0,
            position: 1,
        },
    );
    assert_eq!(
        records_from(&stage, before),
        [StoreRecord::DuplicateIgnored {
            store: PROFILES,
            projection: SEARCH,
            position: 1,
        }]
    );
    assert_eq!(world.projections[0].duplicates_ignored, 1);
    assert_eq!(world.projections[0].applied, 1);
}

#[test]
fn rebuilding_a_projection_replays_the_whole_log_and_ignores_deliveries_still_in_flight() {
    let (mut stage, mut world) = profiles();
    append(&mut stage, &mut world, "user-42", "Registered", json!({"name": "Ada"}));
    append(&mut stage, &mut world, "user-7", "Registered", json!({"name": "Bob"}));
    step(&mut stage, &mut world); // position 1 applied; position 2 still in flight
    let before = stage.records().len();
    // The context borrows the whole stage, so the command reads a copy of the entity table.
    let entities = stage.entities.clone();

    let rebuild = Command::RebuildProjection {
        projection: "search".into(),
    };
    world.command(&mut stage.ctx(), &entities, &rebuild).unwrap();

    assert_eq!(
        records_from(&stage, before),
        [
            StoreRecord::RebuildStarted {
                projection: SEARCH,
                store: PROFILES,
                discarded: 1,
            },
            StoreRecord::RebuildFinished {
                projection: SEARCH,
                store: PROFILES,
                replayed: 2,
            },
        ]
    );
    let search = &world.projections[0];
    assert_eq!(search.position, 2);
    assert_eq!(search.rebuilds, 1);
    assert_eq!(search.replayed, 2);
    assert_eq!(
        search.applied, 1,
        "a rebuild replays; it does not count as applied one by one"
    );
    assert_eq!(search.streams.len(), 2);

    let before = stage.records().len();
    step(&mut stage, &mut world);
    assert_eq!(
        records_from(&stage, before),
        [StoreRecord::DuplicateIgnored {
            store: PROFILES,
            projection: SEARCH,
            position: 2,
        }]
    );

    let unknown = Command::RebuildProjection {
        projection: "ghost".into(),
    };
    assert!(matches!(
        world.command(&mut stage.ctx(), &entities, &unknown),
        Err(SimError::UnknownEntity { .. })
    ));
}

#[test]
fn an_append_to_a_publishing_store_asks_the_bus_to_publish_it_as_the_event_type_of_its_name() {
    // Entities: bus 0, source `profile-events` 1, store `profiles` 2.
    let (mut stage, mut world) = given_with(
        r#"{"event_types": [{"name": "EmailChanged"}], "buses": [{"id": "bus"}],
            "sources": [{"id": "profile-events", "bus": "bus"}]}"#,
        r#"{"stores": [{"id": "profiles", "publish_to": {"source": "profile-events"}}]}"#,
    );

    append(
        &mut stage,
        &mut world,
        "user-42",
        "EmailChanged",
        json!({"email": "ada@new.example"}),
    );

    assert_eq!(
        stage.effects(),
        [&Effect::PublishEvent {
            source: 0,
            event_type: EventTypeId(0),
        }]
    );
    assert_eq!(
        stage.effects[0].1,
        Some(MessageKey::StoreEvent { store: 2, position: 1 }),
        "the publication was caused by the stored event"
    );

    // An event type the bus does not define is recorded as not published.
    let before = stage.records().len();
    append(&mut stage, &mut world, "user-42", "Deleted", json!({"email": null}));
    assert_eq!(
        records_from(&stage, before)[1..],
        [StoreRecord::NotPublished {
            store: EntityId(2),
            source: EntityId(1),
            stream: "user-42".into(),
            version: 2,
            event_type: "Deleted".into(),
        }]
    );
    assert_eq!(world.stores[0].not_published, 1);
    assert_eq!(stage.effects().len(), 1);
    assert!(
        world.stores[0].streams["user-42"].state.is_empty(),
        "null removes the field"
    );
}
