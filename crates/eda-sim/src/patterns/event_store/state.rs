//! All state of event sourcing: how it is built from its scenario section, and where its pending
//! events and commands are handled.

use super::pending::StorePending;
use super::projection::Projection;
use super::spec::EventStoreSpec;
use super::store::Store;
use super::Ctx;
use crate::command::Command;
use crate::kernel::entity::Entities;
use crate::kernel::entity::EntityKind;
use crate::kernel::error::SimError;
use crate::kernel::ids::EventTypeId;
use crate::kernel::time::SimTime;
use std::collections::BTreeMap;

/// All state of the event-sourcing pattern.
#[derive(Clone, Debug, Default)]
pub struct EventStoreWorld {
    pub stores: Vec<Store>,
    pub projections: Vec<Projection>,
    /// The event bus's types by name, to publish appended events as.
    pub(super) bus_types: litemap::LiteMap<String, EventTypeId>,
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
                log: Default::default(),
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

    /// Nothing runs on its own: events come from commands and from other patterns.
    pub fn start(&mut self, _ctx: &mut Ctx) {}

    pub fn handle(&mut self, ctx: &mut Ctx, pending: StorePending) {
        match pending {
            StorePending::Deliver { projection, position } => self.deliver(ctx, projection, position),
            StorePending::Publish {
                store,
                position,
                source,
                event_type,
            } => super::publish::publish_now(ctx, (crate::kernel::ids::EntityId(store), position), source, event_type),
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
}
