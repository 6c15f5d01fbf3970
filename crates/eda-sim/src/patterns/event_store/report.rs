//! The event-sourcing report: counters per store and projection.

use super::state::EventStoreWorld;
use crate::kernel::entity::Entities;
use crate::kernel::report::EntityReport;
use crate::kernel::time::SimTime;

impl EventStoreWorld {
    /// Counters per store and projection.
    pub fn report(&self, entities: &Entities, _now: SimTime) -> Vec<EntityReport> {
        let mut out = Vec::new();
        for s in &self.stores {
            let mut r = EntityReport::new(entities.name(s.entity), "event store")
                .with("streams", s.streams.len() as u64)
                .with("events", s.log.len() as u64)
                .with("conflicts", s.conflicts)
                .with("snapshots", s.snapshots);
            if let Some(target) = &s.publish_to {
                r = r.with("not_published", s.not_published);
                if !target.link.is_perfect() {
                    r = r.with("link_lost", target.lost).with("link_doubled", target.doubled);
                }
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
