//! Projections (read models): each follows a store's log, applies every event after a lag and in
//! log order, and can be rebuilt by replaying the whole log.

use super::fold::{fold, Fields};
use super::pending::StorePending;
use super::records::StoreRecord;
use super::state::EventStoreWorld;
use super::store::StoredEvent;
use super::Ctx;
use crate::kernel::ids::EntityId;
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimTime;
use std::collections::BTreeMap;

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
    pub(super) last_arrival: SimTime,
}

impl Projection {
    fn apply(&mut self, event: &StoredEvent) {
        fold(self.streams.entry(event.stream.clone()).or_default(), &event.data);
        *self.event_counts.entry(event.event_type.clone()).or_insert(0) += 1;
        self.position = event.position;
    }
}

impl EventStoreWorld {
    /// Sends the event at `position` of a store's log to every projection that follows that
    /// store, each after its lag.
    pub(super) fn send_to_projections(&mut self, ctx: &mut Ctx, store_index: usize, position: u64) {
        for (p, projection) in self.projections.iter_mut().enumerate() {
            if projection.store != store_index {
                continue;
            }
            // A projection reads the log in order: an event never arrives before an earlier one.
            let arrives_at = ctx
                .now
                .saturating_add(projection.lag.sample(ctx.rng()))
                .max(projection.last_arrival);
            projection.last_arrival = arrives_at;
            ctx.schedule(
                arrives_at.since(ctx.now),
                StorePending::Deliver {
                    projection: p,
                    position,
                },
            );
        }
    }

    /// The event at `position` reaches a projection: applied once, in log order.
    pub(super) fn deliver(&mut self, ctx: &mut Ctx, projection: usize, position: u64) {
        let Some(p) = self.projections.get_mut(projection) else {
            return;
        };
        let Some(store) = self.stores.get(p.store) else {
            return;
        };
        if position <= p.position {
            p.duplicates_ignored += 1;
            ctx.record(StoreRecord::DuplicateIgnored {
                store: store.entity,
                projection: p.entity,
                position,
            });
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
            ctx.record(StoreRecord::Projected {
                store: store.entity,
                projection: p.entity,
                stream: event.stream.clone(),
                version: event.version,
                position: event.position,
                event_type: event.event_type.clone(),
            });
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
        ctx.record(StoreRecord::RebuildStarted {
            projection: p.entity,
            store: store.entity,
            discarded: p.position,
        });
        p.position = 0;
        p.streams.clear();
        p.event_counts.clear();
        for event in &store.log {
            p.apply(event);
        }
        let replayed = store.log.len() as u64;
        p.replayed += replayed;
        p.rebuilds += 1;
        ctx.record(StoreRecord::RebuildFinished {
            projection: p.entity,
            store: store.entity,
            replayed,
        });
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
}
