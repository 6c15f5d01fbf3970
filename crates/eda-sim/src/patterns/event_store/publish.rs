//! Publication on the event bus: a store may publish every appended event through a bus source,
//! as the bus event type of the same name, over a link that may lose, double and delay it (a bus
//! in another process).

use super::records::StoreRecord;
use super::spec::EventStoreSpec;
use super::state::EventStoreWorld;
use super::store::Store;
use super::Ctx;
use super::StorePending;
use crate::kernel::effect::Effect;
use crate::kernel::entity::Entities;
use crate::kernel::ids::{EntityId, EventTypeId};
use crate::kernel::link::{Fate, LinkFaults};
use crate::kernel::time::SimDuration;
use crate::patterns::event_bus::EventBusWorld;

/// A resolved [`PublishToSpec`](super::PublishToSpec).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishTarget {
    /// The source's index in the event bus's table.
    pub source: usize,
    pub entity: EntityId,
    /// The link to the bus, and what it lost and doubled.
    pub link: LinkFaults,
    pub lost: u64,
    pub doubled: u64,
}

impl EventStoreWorld {
    /// Resolves each store's event-bus source and learns the bus's event types.
    pub fn link(&mut self, spec: &EventStoreSpec, entities: &Entities, bus: &EventBusWorld) {
        for (store, s) in self.stores.iter_mut().zip(&spec.stores) {
            store.publish_to = s.publish_to.as_ref().and_then(|p| {
                Some(PublishTarget {
                    source: bus.source_index(entities, &p.source)?,
                    entity: entities.id(&p.source)?,
                    link: p.link.clone(),
                    lost: 0,
                    doubled: 0,
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

/// Hands the event at `position` of `store` to the bus's source (its publication's cause).
pub(super) fn publish_now(ctx: &mut Ctx, (store, position): (EntityId, u64), source: usize, event_type: EventTypeId) {
    ctx.cause = Some(crate::kernel::ids::MessageKey::StoreEvent {
        store: store.0,
        position,
    });
    ctx.effect(Effect::PublishEvent { source, event_type });
    ctx.cause = None;
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
        let Some(target) = self.publish_to.as_mut() else {
            return;
        };
        match bus_types.get(event_type) {
            Some(&ty) => {
                // A perfect link (one process) draws nothing and publishes at once.
                let fate = target.link.fate(ctx.rng());
                let (store, source) = (self.entity, target.source);
                let publish_after = |ctx: &mut Ctx, after: SimDuration| {
                    if after == SimDuration::ZERO {
                        publish_now(ctx, (store, position), source, ty);
                    } else {
                        let on_the_way = StorePending::Publish {
                            store: store.0,
                            position,
                            source,
                            event_type: ty,
                        };
                        ctx.schedule(after, on_the_way);
                    }
                };
                let what = || (target.entity, stream_name.to_string(), version, event_type.to_string());
                match fate {
                    Fate::Lost => {
                        let (source, stream, version, event_type) = what();
                        target.lost += 1;
                        ctx.record(StoreRecord::PublishLost {
                            store,
                            source,
                            stream,
                            version,
                            event_type,
                        });
                    }
                    Fate::Arrives { extra } => publish_after(ctx, extra),
                    Fate::Doubled { extra, copy_extra } => {
                        let (source, stream, version, event_type) = what();
                        target.doubled += 1;
                        ctx.record(StoreRecord::PublishDoubled {
                            store,
                            source,
                            stream,
                            version,
                            event_type,
                        });
                        publish_after(ctx, extra);
                        publish_after(ctx, copy_extra);
                    }
                }
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
