//! Publication on the event bus: a store may publish every appended event through a bus source,
//! as the bus event type of the same name.

use super::records::StoreRecord;
use super::spec::EventStoreSpec;
use super::state::EventStoreWorld;
use super::store::Store;
use super::Ctx;
use crate::kernel::effect::Effect;
use crate::kernel::entity::Entities;
use crate::kernel::ids::{EntityId, EventTypeId};
use crate::patterns::event_bus::EventBusWorld;

/// A resolved [`PublishToSpec`](super::PublishToSpec).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublishTarget {
    /// The source's index in the event bus's table.
    pub source: usize,
    pub entity: EntityId,
}

impl EventStoreWorld {
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
        self.bus_types = crate::kernel::collections::map_of(
            bus.types
                .names
                .iter()
                .filter_map(|name| Some((name.clone(), bus.types.id(name)?))),
        );
    }
}

impl Store {
    /// Publishes an appended event on the bus, if this store publishes; an event whose type the
    /// bus does not define is recorded as not published.
    pub(super) fn publish_appended(
        &mut self,
        ctx: &mut Ctx,
        bus_types: &litemap::LiteMap<String, EventTypeId>,
        stream_name: &str,
        version: u64,
        position: u64,
        event_type: &str,
    ) {
        let Some(target) = self.publish_to else {
            return;
        };
        match bus_types.get(event_type) {
            Some(&ty) => {
                ctx.cause = Some(crate::kernel::ids::MessageKey::StoreEvent {
                    store: self.entity.0,
                    position,
                });
                ctx.effect(Effect::PublishEvent {
                    source: target.source,
                    event_type: ty,
                });
                ctx.cause = None;
            }
            None => {
                self.not_published += 1;
                ctx.record(StoreRecord::NotPublished {
                    store: self.entity,
                    source: target.entity,
                    stream: stream_name.to_string(),
                    version,
                    event_type: event_type.to_string(),
                });
            }
        }
    }
}
