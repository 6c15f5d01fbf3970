//! Event sourcing (the seed's user-profile history): instead of overwriting a record, every
//! change is appended as an event to the record's stream, and the current state is only ever
//! the fold of those events. So the state at any earlier instant can be rebuilt, together with
//! which event changed which field, from what to what.
//!
//! Modelled here: streams created by their first append; per-stream versions and a global log
//! position; optimistic concurrency (an append naming the version it expects is refused when the
//! stream has moved on); snapshots every N events of a stream, from which a replay may start;
//! asynchronous projections (read models) that see each event after a lag, in log order, and
//! can be rebuilt from the whole log. Appends take effect at the instant they are asked for.

use crate::engine::{Ctx, Effect, Entities, EntityKind, Pending, Sim, SimError};
use crate::patterns::event_bus::EventBusWorld;
use crate::report::EntityReport;
use crate::rng::Distribution;
use crate::scenario::{Command, Validator};
use crate::time::{SimDuration, SimTime};
use crate::trace::{EntityId, EventTypeId, TraceKind};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The fields of an aggregate (or the fields an event sets), by name.
pub type Fields = Map<String, Value>;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventStoreSpec {
    /// Event stores: each holds an append-only log split into streams.
    #[serde(default)]
    pub stores: Vec<StoreSpec>,
    /// Read models fed asynchronously from a store's log.
    #[serde(default)]
    pub projections: Vec<ProjectionSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSpec {
    pub id: String,
    /// Keep a snapshot of a stream's state after every this many of its events (versions N,
    /// 2N…); replays start from the nearest one. No snapshots if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_every: Option<u64>,
    /// Publish every appended event on the event bus through this source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_to: Option<PublishToSpec>,
}

/// Where a store publishes what it appends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishToSpec {
    /// The event-bus source that publishes; each event goes out as the bus event type of the
    /// same name (an event whose type the bus does not define is recorded as not published).
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectionSpec {
    pub id: String,
    /// The store whose log this projection follows.
    pub store: String,
    /// How long after an append the projection applies the event (never overtaking an earlier one).
    #[serde(default = "default_lag")]
    pub lag: Distribution,
}

fn default_lag() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(100))
}

impl EventStoreSpec {
    pub fn is_empty(&self) -> bool {
        self.stores.is_empty() && self.projections.is_empty()
    }

    pub fn claim_ids(&self, v: &mut Validator) {
        for (i, s) in self.stores.iter().enumerate() {
            v.claim(format!("event_store.stores[{i}].id"), &s.id, EntityKind::EventStore);
        }
        for (i, p) in self.projections.iter().enumerate() {
            v.claim(
                format!("event_store.projections[{i}].id"),
                &p.id,
                EntityKind::Projection,
            );
        }
    }

    pub fn validate(&self, v: &mut Validator) {
        for (i, s) in self.stores.iter().enumerate() {
            let path = format!("event_store.stores[{i}]");
            if s.snapshot_every == Some(0) {
                v.report(
                    format!("{path}.snapshot_every"),
                    "must be at least 1; leave it out for no snapshots",
                );
            }
            if let Some(publish) = &s.publish_to {
                v.expect(
                    format!("{path}.publish_to.source"),
                    &publish.source,
                    &[EntityKind::EventSource],
                );
            }
        }
        for (i, p) in self.projections.iter().enumerate() {
            let path = format!("event_store.projections[{i}]");
            v.expect(format!("{path}.store"), &p.store, &[EntityKind::EventStore]);
            v.distribution(format!("{path}.lag"), &p.lag, false);
        }
    }
}

/// Pending events of this pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorePending {
    /// The event at global `position` of its store's log reaches a projection.
    Deliver { projection: usize, position: u64 },
}

/// What event sourcing records in the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreRecord {
    /// An event was appended: `version` within its stream, `position` in the store's whole log.
    Appended {
        store: EntityId,
        stream: String,
        version: u64,
        position: u64,
        event_type: String,
        data: Fields,
    },
    /// An append was refused: it expected the stream at `expected`, but it was at `actual`.
    Conflict {
        store: EntityId,
        stream: String,
        event_type: String,
        expected: u64,
        actual: u64,
    },
    /// The stream's state at `version` was kept as a snapshot.
    Snapshot {
        store: EntityId,
        stream: String,
        version: u64,
    },
    /// The appended event could not go out on the bus: the bus has no event type of its name.
    NotPublished {
        store: EntityId,
        source: EntityId,
        stream: String,
        version: u64,
        event_type: String,
    },
    /// A projection applied the event at `position` of its store's log.
    Projected {
        store: EntityId,
        projection: EntityId,
        stream: String,
        version: u64,
        position: u64,
        event_type: String,
    },
    /// An event reached a projection that had already applied it (it was in flight during a
    /// rebuild): ignored.
    DuplicateIgnored {
        store: EntityId,
        projection: EntityId,
        position: u64,
    },
    /// A projection threw away its state (built from `discarded` events) to rebuild from the log.
    RebuildStarted {
        projection: EntityId,
        store: EntityId,
        discarded: u64,
    },
    /// A projection was rebuilt by replaying the `replayed` events of the whole log.
    RebuildFinished {
        projection: EntityId,
        store: EntityId,
        replayed: u64,
    },
}

impl StoreRecord {
    pub fn verb(&self) -> &'static str {
        match self {
            StoreRecord::Appended { .. } => "Appended",
            StoreRecord::Conflict { .. } => "Conflict",
            StoreRecord::Snapshot { .. } => "Snapshot",
            StoreRecord::NotPublished { .. } => "Not published",
            StoreRecord::Projected { .. } => "Projected",
            StoreRecord::DuplicateIgnored { .. } => "Duplicate ignored",
            StoreRecord::RebuildStarted { .. } => "Rebuild started",
            StoreRecord::RebuildFinished { .. } => "Rebuilt",
        }
    }

    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            StoreRecord::Appended { store, .. }
            | StoreRecord::Conflict { store, .. }
            | StoreRecord::Snapshot { store, .. } => (store, None),
            StoreRecord::NotPublished { store, source, .. } => (store, Some(source)),
            StoreRecord::Projected { store, projection, .. }
            | StoreRecord::DuplicateIgnored { store, projection, .. } => (store, Some(projection)),
            StoreRecord::RebuildStarted { projection, store, .. }
            | StoreRecord::RebuildFinished { projection, store, .. } => (projection, Some(store)),
        }
    }

    /// `user-42 v3 EmailChanged`, `conflict on user-42: expected v2, at v3`…
    pub fn subject(&self, _sim: &Sim) -> String {
        match self {
            StoreRecord::Appended {
                stream,
                version,
                event_type,
                ..
            } => format!("{stream} v{version} {event_type}"),
            StoreRecord::Conflict {
                stream,
                expected,
                actual,
                ..
            } => format!("conflict on {stream}: expected v{expected}, at v{actual}"),
            StoreRecord::Snapshot { stream, version, .. } => format!("snapshot of {stream} at v{version}"),
            StoreRecord::NotPublished {
                stream,
                version,
                event_type,
                ..
            } => format!(
                "{stream} v{version} {event_type}: the bus has no event type {:?}",
                event_type
            ),
            StoreRecord::Projected {
                stream,
                version,
                position,
                event_type,
                ..
            } => format!("{stream} v{version} {event_type} (#{position})"),
            StoreRecord::DuplicateIgnored { position, .. } => format!("#{position} already applied"),
            StoreRecord::RebuildStarted { discarded, .. } => {
                format!("rebuild: state of {discarded} events discarded")
            }
            StoreRecord::RebuildFinished { replayed, .. } => format!("rebuilt from {replayed} events"),
        }
    }
}

/// One event of a store's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    pub stream: String,
    /// 1, 2, 3… within the stream.
    pub version: u64,
    /// 1, 2, 3… across the store's whole log.
    pub position: u64,
    pub event_type: String,
    /// The fields this event sets; a `null` value removes the field.
    pub data: Fields,
    pub appended_at: SimTime,
}

/// A stream's state as it was after its event `version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub version: u64,
    pub taken_at: SimTime,
    pub state: Fields,
}

/// The events of one aggregate (a user profile, an order).
#[derive(Clone, Debug, Default)]
pub struct Stream {
    /// Log positions of the stream's events, version 1 first.
    pub positions: Vec<u64>,
    /// The current state: the fold of every event.
    pub state: Fields,
    /// Snapshots in version order.
    pub snapshots: Vec<Snapshot>,
}

impl Stream {
    /// The version of the stream's latest event (0 before the first).
    pub fn version(&self) -> u64 {
        self.positions.len() as u64
    }
}

/// A resolved [`PublishToSpec`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublishTarget {
    /// The source's index in the event bus's table.
    pub source: usize,
    pub entity: EntityId,
}

#[derive(Clone, Debug)]
pub struct Store {
    pub entity: EntityId,
    pub name: String,
    pub snapshot_every: Option<u64>,
    /// The event-bus source that publishes appended events, if any.
    pub publish_to: Option<PublishTarget>,
    /// Every event, in append order; the event at position p is `log[p - 1]`.
    pub log: Vec<StoredEvent>,
    pub streams: BTreeMap<String, Stream>,
    pub conflicts: u64,
    pub snapshots: u64,
    pub not_published: u64,
}

impl Store {
    pub fn event(&self, position: u64) -> Option<&StoredEvent> {
        position.checked_sub(1).and_then(|i| self.log.get(i as usize))
    }
}

#[derive(Clone, Debug)]
pub struct Projection {
    pub entity: EntityId,
    pub name: String,
    /// The store (index) whose log this projection follows.
    pub store: usize,
    pub lag: Distribution,
    /// The log position applied last (0: none); the next event it applies is `position + 1`.
    pub position: u64,
    /// The folded state of every stream seen.
    pub streams: BTreeMap<String, Fields>,
    /// Events applied per event type.
    pub event_counts: litemap::LiteMap<String, u64>,
    /// Events applied one by one as they arrived.
    pub applied: u64,
    /// Events applied by rebuilds.
    pub replayed: u64,
    pub duplicates_ignored: u64,
    pub rebuilds: u64,
    /// When the latest delivery scheduled arrives (a later event never arrives before it).
    last_arrival: SimTime,
}

impl Projection {
    fn apply(&mut self, event: &StoredEvent) {
        fold(self.streams.entry(event.stream.clone()).or_default(), &event.data);
        *self.event_counts.entry(event.event_type.clone()).or_insert(0) += 1;
        self.position = event.position;
    }
}

/// Which point in a stream's history to rebuild.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum At {
    /// Right after the event with this version (0: before the first; past the end: the latest).
    Version(u64),
    /// After every event appended at or before this instant.
    Time(SimTime),
}

/// One field changed by an event: absent (`None`) or a value, before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// One event replayed, and what it changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub version: u64,
    pub appended_at: SimTime,
    pub event_type: String,
    /// Only the fields whose value the event actually changed, by name.
    pub fields: Vec<FieldChange>,
}

/// A stream rebuilt as it was at some point of its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateAt {
    pub state: Fields,
    /// The version reached.
    pub version: u64,
    /// The snapshot the replay started from (its version), if one was used.
    pub from_snapshot: Option<u64>,
    /// The events replayed on top of the starting point (the snapshot, or nothing), in order.
    pub history: Vec<Change>,
}

/// All state of the event-sourcing pattern.
#[derive(Clone, Debug, Default)]
pub struct EventStoreWorld {
    pub stores: Vec<Store>,
    pub projections: Vec<Projection>,
    /// The event bus's types by name, to publish appended events as.
    bus_types: litemap::LiteMap<String, EventTypeId>,
}

impl EventStoreWorld {
    /// Builds the pattern from a validated scenario section, registering its entities.
    pub fn build(spec: &EventStoreSpec, entities: &mut Entities) -> Self {
        let mut world = EventStoreWorld::default();
        for s in &spec.stores {
            let entity = entities.add(&s.id, EntityKind::EventStore, world.stores.len());
            world.stores.push(Store {
                entity,
                name: s.id.clone(),
                snapshot_every: s.snapshot_every.filter(|&n| n > 0),
                publish_to: None,
                log: Vec::new(),
                streams: BTreeMap::new(),
                conflicts: 0,
                snapshots: 0,
                not_published: 0,
            });
        }
        for p in &spec.projections {
            let entity = entities.add(&p.id, EntityKind::Projection, world.projections.len());
            world.projections.push(Projection {
                entity,
                name: p.id.clone(),
                store: spec.stores.iter().position(|s| s.id == p.store).unwrap_or(usize::MAX),
                lag: p.lag.clone(),
                position: 0,
                streams: BTreeMap::new(),
                event_counts: litemap::LiteMap::new_vec(),
                applied: 0,
                replayed: 0,
                duplicates_ignored: 0,
                rebuilds: 0,
                last_arrival: SimTime::ZERO,
            });
        }
        world
    }

    /// Resolves each store's event-bus source and learns the bus's event types.
    pub fn link(&mut self, spec: &EventStoreSpec, entities: &Entities, bus: &EventBusWorld) {
        for (store, s) in self.stores.iter_mut().zip(&spec.stores) {
            store.publish_to = s.publish_to.as_ref().and_then(|p| {
                Some(PublishTarget {
                    source: bus.source_index(entities, &p.source)?,
                    entity: entities.id(&p.source)?,
                })
            });
        }
        self.bus_types = crate::collections::map_of(
            bus.types
                .names
                .iter()
                .filter_map(|name| Some((name.clone(), bus.types.id(name)?))),
        );
    }

    /// Nothing runs on its own: events come from commands and from other patterns.
    pub fn start(&mut self, _ctx: &mut Ctx) {}

    pub fn handle(&mut self, ctx: &mut Ctx, pending: StorePending) {
        match pending {
            StorePending::Deliver { projection, position } => self.deliver(ctx, projection, position),
        }
    }

    pub fn command(&mut self, ctx: &mut Ctx, entities: &Entities, command: &Command) -> Result<(), SimError> {
        match command {
            Command::Append {
                store,
                stream,
                event_type,
                data,
                expected_version,
            } => {
                let store = entities.index_of(store, EntityKind::EventStore)?;
                self.append(ctx, store, stream, event_type, data, *expected_version);
            }
            Command::RebuildProjection { projection } => {
                let projection = entities.index_of(projection, EntityKind::Projection)?;
                self.rebuild_projection(ctx, projection);
            }
            _ => {}
        }
        Ok(())
    }

    /// Another pattern appends (e.g. an order service recording `OrderCreated`): no expected version.
    pub fn append_effect(&mut self, ctx: &mut Ctx, store: usize, stream: String, event_type: String, data: Fields) {
        self.append(ctx, store, &stream, &event_type, &data, None);
    }

    /// Appends an event now, unless `expected_version` is given and the stream is elsewhere.
    /// Returns the new version, or `None` if the append was refused (or the store is unknown).
    pub fn append(
        &mut self,
        ctx: &mut Ctx,
        store_index: usize,
        stream_name: &str,
        event_type: &str,
        data: &Fields,
        expected_version: Option<u64>,
    ) -> Option<u64> {
        let store = self.stores.get_mut(store_index)?;
        let current = store.streams.get(stream_name).map_or(0, Stream::version);
        if let Some(expected) = expected_version.filter(|&e| e != current) {
            store.conflicts += 1;
            ctx.record(TraceKind::Store(StoreRecord::Conflict {
                store: store.entity,
                stream: stream_name.to_string(),
                event_type: event_type.to_string(),
                expected,
                actual: current,
            }));
            return None;
        }
        let version = current + 1;
        let position = store.log.len() as u64 + 1;
        let stream = store.streams.entry(stream_name.to_string()).or_default();
        fold(&mut stream.state, data);
        stream.positions.push(position);
        store.log.push(StoredEvent {
            stream: stream_name.to_string(),
            version,
            position,
            event_type: event_type.to_string(),
            data: data.clone(),
            appended_at: ctx.now,
        });
        ctx.record(TraceKind::Store(StoreRecord::Appended {
            store: store.entity,
            stream: stream_name.to_string(),
            version,
            position,
            event_type: event_type.to_string(),
            data: data.clone(),
        }));
        if store.snapshot_every.is_some_and(|n| version.is_multiple_of(n)) {
            stream.snapshots.push(Snapshot {
                version,
                taken_at: ctx.now,
                state: stream.state.clone(),
            });
            store.snapshots += 1;
            ctx.record(TraceKind::Store(StoreRecord::Snapshot {
                store: store.entity,
                stream: stream_name.to_string(),
                version,
            }));
        }
        if let Some(target) = store.publish_to {
            match self.bus_types.get(event_type) {
                Some(&ty) => {
                    ctx.cause = Some(crate::trace::MessageKey::StoreEvent {
                        store: store.entity.0,
                        position,
                    });
                    ctx.effect(Effect::PublishEvent {
                        source: target.source,
                        event_type: ty,
                    });
                    ctx.cause = None;
                }
                None => {
                    store.not_published += 1;
                    ctx.record(TraceKind::Store(StoreRecord::NotPublished {
                        store: store.entity,
                        source: target.entity,
                        stream: stream_name.to_string(),
                        version,
                        event_type: event_type.to_string(),
                    }));
                }
            }
        }
        for (p, projection) in self.projections.iter_mut().enumerate() {
            if projection.store != store_index {
                continue;
            }
            // A projection reads the log in order: an event never arrives before an earlier one.
            let arrives_at = ctx
                .now
                .saturating_add(projection.lag.sample(ctx.rng))
                .max(projection.last_arrival);
            projection.last_arrival = arrives_at;
            ctx.schedule(
                arrives_at.since(ctx.now),
                Pending::Store(StorePending::Deliver {
                    projection: p,
                    position,
                }),
            );
        }
        Some(version)
    }

    /// The event at `position` reaches a projection: applied once, in log order.
    fn deliver(&mut self, ctx: &mut Ctx, projection: usize, position: u64) {
        let Some(p) = self.projections.get_mut(projection) else {
            return;
        };
        let Some(store) = self.stores.get(p.store) else {
            return;
        };
        if position <= p.position {
            p.duplicates_ignored += 1;
            ctx.record(TraceKind::Store(StoreRecord::DuplicateIgnored {
                store: store.entity,
                projection: p.entity,
                position,
            }));
            return;
        }
        // Deliveries arrive in log order, so this is the next one; were an earlier event ever
        // missing, it is taken from the log first, so that none is skipped.
        while p.position < position {
            let Some(event) = store.event(p.position + 1) else {
                return;
            };
            p.apply(event);
            p.applied += 1;
            ctx.record(TraceKind::Store(StoreRecord::Projected {
                store: store.entity,
                projection: p.entity,
                stream: event.stream.clone(),
                version: event.version,
                position: event.position,
                event_type: event.event_type.clone(),
            }));
        }
    }

    /// Empties a projection and replays its store's whole log into it, now. Deliveries still in
    /// flight then carry positions it already has, and are ignored.
    pub fn rebuild_projection(&mut self, ctx: &mut Ctx, projection: usize) {
        let Some(p) = self.projections.get_mut(projection) else {
            return;
        };
        let Some(store) = self.stores.get(p.store) else {
            return;
        };
        ctx.record(TraceKind::Store(StoreRecord::RebuildStarted {
            projection: p.entity,
            store: store.entity,
            discarded: p.position,
        }));
        p.position = 0;
        p.streams.clear();
        p.event_counts.clear();
        for event in &store.log {
            p.apply(event);
        }
        let replayed = store.log.len() as u64;
        p.replayed += replayed;
        p.rebuilds += 1;
        ctx.record(TraceKind::Store(StoreRecord::RebuildFinished {
            projection: p.entity,
            store: store.entity,
            replayed,
        }));
    }

    /// The index of the store called `name`.
    pub fn store_index(&self, name: &str) -> Option<usize> {
        self.stores.iter().position(|s| s.name == name)
    }

    /// The index of the projection called `name`.
    pub fn projection_index(&self, name: &str) -> Option<usize> {
        self.projections.iter().position(|p| p.name == name)
    }

    /// Store events a projection has not applied yet.
    pub fn behind(&self, projection: usize) -> u64 {
        self.projections.get(projection).map_or(0, |p| {
            let logged = self.stores.get(p.store).map_or(0, |s| s.log.len() as u64);
            logged.saturating_sub(p.position)
        })
    }

    /// A stream as it was at `at`, rebuilt from the nearest snapshot at or before that point
    /// plus the events after it. `None` if the store or the stream does not exist.
    pub fn state_at(&self, store: usize, stream: &str, at: At) -> Option<StateAt> {
        self.replay(store, stream, at, true)
    }

    /// The same point rebuilt from version 1, ignoring snapshots: same state and version, and a
    /// history of every event up to that point.
    pub fn state_at_full_replay(&self, store: usize, stream: &str, at: At) -> Option<StateAt> {
        self.replay(store, stream, at, false)
    }

    fn replay(&self, store: usize, stream: &str, at: At, use_snapshots: bool) -> Option<StateAt> {
        let store = self.stores.get(store)?;
        let s = store.streams.get(stream)?;
        let target = match at {
            At::Version(v) => v.min(s.version()),
            // Positions are in append order, hence in time order.
            At::Time(t) => {
                s.positions
                    .partition_point(|&p| store.event(p).is_some_and(|e| e.appended_at <= t)) as u64
            }
        };
        let snapshot = if use_snapshots {
            let after = s.snapshots.partition_point(|snap| snap.version <= target);
            after.checked_sub(1).and_then(|i| s.snapshots.get(i))
        } else {
            None
        };
        let (mut state, start) = snapshot.map_or((Fields::new(), 0), |snap| (snap.state.clone(), snap.version));
        let mut history = Vec::new();
        for &position in s.positions.get(start as usize..target as usize).unwrap_or(&[]) {
            let Some(event) = store.event(position) else {
                continue;
            };
            history.push(Change {
                version: event.version,
                appended_at: event.appended_at,
                event_type: event.event_type.clone(),
                fields: fold_tracking(&mut state, &event.data),
            });
        }
        Some(StateAt {
            state,
            version: target,
            from_snapshot: snapshot.map(|snap| snap.version),
            history,
        })
    }

    /// Counters per store and projection.
    pub fn report(&self, entities: &Entities, _now: SimTime) -> Vec<EntityReport> {
        let mut out = Vec::new();
        for s in &self.stores {
            let mut r = EntityReport::new(entities.name(s.entity), "event store")
                .with("streams", s.streams.len() as u64)
                .with("events", s.log.len() as u64)
                .with("conflicts", s.conflicts)
                .with("snapshots", s.snapshots);
            if s.publish_to.is_some() {
                r = r.with("not_published", s.not_published);
            }
            out.push(r);
        }
        for (i, p) in self.projections.iter().enumerate() {
            out.push(
                EntityReport::new(entities.name(p.entity), "projection")
                    .with("applied", p.applied)
                    .with("behind", self.behind(i))
                    .with("rebuilds", p.rebuilds)
                    .with("replayed", p.replayed)
                    .with("duplicates_ignored", p.duplicates_ignored)
                    .with("position", p.position)
                    .with("streams", p.streams.len() as u64),
            );
        }
        out
    }
}

/// Applies an event's fields to a state: each set, or removed where the value is `null`.
/// A value replaces the field whole (objects are not merged).
pub fn fold(state: &mut Fields, data: &Fields) {
    for (field, value) in data {
        if value.is_null() {
            state.remove(field);
        } else {
            state.insert(field.clone(), value.clone());
        }
    }
}

/// Like [`fold`], returning the fields whose value changed, with their old and new values.
pub fn fold_tracking(state: &mut Fields, data: &Fields) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for (field, value) in data {
        let new = (!value.is_null()).then(|| value.clone());
        let old = state.get(field).cloned();
        if old == new {
            continue;
        }
        match &new {
            Some(v) => state.insert(field.clone(), v.clone()),
            None => state.remove(field),
        };
        changes.push(FieldChange {
            field: field.clone(),
            old,
            new,
        });
    }
    changes
}
