//! What the event bus tells about itself: counters per bus, source and listener, and the
//! conservation check that every dispatched copy is in exactly one place.

use super::state::EventBusWorld;
use crate::kernel::entity::Entities;
use crate::kernel::report::EntityReport;
use crate::kernel::time::SimTime;

impl EventBusWorld {
    /// Counters per bus, source and listener.
    pub fn report(&self, entities: &Entities, now: SimTime) -> Vec<EntityReport> {
        let mut out = Vec::new();
        for b in &self.buses {
            out.push(
                EntityReport::new(entities.name(b.entity), "bus")
                    .with("published", b.published)
                    .with("dispatched", b.dispatched)
                    .with("unrouted", b.unrouted),
            );
        }
        for s in &self.sources {
            out.push(EntityReport::new(entities.name(s.entity), "source").with("published", s.published));
        }
        for l in &self.listeners {
            let busy_us = l.busy_us + l.in_service.map(|_| now.since(l.busy_since).0).unwrap_or(0);
            let utilisation = if now.0 == 0 { 0.0 } else { busy_us as f64 / now.0 as f64 };
            let mut r = EntityReport::new(entities.name(l.entity), "listener")
                .with("delivered", l.delivered)
                .with("handled", l.handled)
                .with("queued", l.inbox.len() as u64)
                .with("in_service", u64::from(l.in_service.is_some()))
                .with("queue_len_max", l.queue_len_max)
                .with("utilisation", utilisation);
            if !l.link.is_perfect() || l.unreachable > 0 {
                r = r
                    .with("unreachable", l.unreachable)
                    .with("link_lost", l.link_lost)
                    .with("link_doubled", l.link_doubled)
                    .with("reordered", l.reordered)
                    .with("duplicates", l.duplicates);
            }
            out.push(r);
        }
        out
    }

    /// Conservation check: every dispatched copy is in exactly one place. Returns
    /// (dispatched + the copies faulty links made, in flight + queued + in service + handled +
    /// lost on a link or stopped by a partition).
    pub fn copy_accounting(&self) -> (u64, u64) {
        let dispatched: u64 = self.buses.iter().map(|b| b.dispatched).sum::<u64>()
            + self.listeners.iter().map(|l| l.link_doubled).sum::<u64>();
        let accounted = self.in_flight.len() as u64
            + self
                .listeners
                .iter()
                .map(|l| {
                    l.inbox.len() as u64 + u64::from(l.in_service.is_some()) + l.handled + l.link_lost + l.unreachable
                })
                .sum::<u64>();
        (dispatched, accounted)
    }
}
