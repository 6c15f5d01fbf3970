//! The counters service discovery reports per registry, provider and client at the end of a run.

use super::world::DiscoveryWorld;
use crate::kernel::entity::Entities;
use crate::kernel::entity::EntityKind;
use crate::kernel::report::EntityReport;
use crate::kernel::time::SimTime;

impl DiscoveryWorld {
    /// Counters per registry, provider and client.
    pub fn report(&self, entities: &Entities, _now: SimTime) -> Vec<EntityReport> {
        let flag = |b: bool| if b { 1u64 } else { 0 };
        let mut out = Vec::new();
        for r in &self.registries {
            out.push(
                EntityReport::new(entities.name(r.entity), EntityKind::ServiceRegistry.label())
                    .with("registered", r.entries.len() as u64)
                    .with("registrations", r.registrations)
                    .with("refused", r.refused)
                    .with("lookups", r.lookups)
                    .with("not_found", r.not_found)
                    .with("notifications", r.notifications)
                    .with("expired", r.expired)
                    .with("down", flag(r.down)),
            );
        }
        for p in &self.providers {
            out.push(
                EntityReport::new(entities.name(p.entity), EntityKind::Provider.label())
                    .with("heartbeats", p.heartbeats)
                    .with("calls_served", p.calls_served)
                    .with("up", flag(p.up)),
            );
        }
        for c in &self.clients {
            out.push(
                EntityReport::new(entities.name(c.entity), EntityKind::DiscoveryClient.label())
                    .with("lookups", c.lookups)
                    .with("not_found", c.not_found)
                    .with("calls", c.calls)
                    .with("call_ok", c.call_ok)
                    .with("call_failed", c.call_failed)
                    .with("notifications_received", c.notifications_received)
                    .with("cache_size", c.cache.len() as u64),
            );
        }
        out
    }
}
