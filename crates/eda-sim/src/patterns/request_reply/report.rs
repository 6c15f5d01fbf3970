//! The request-response report: counters and response-time statistics per service and client.

use super::state::RequestReplyWorld;
use crate::kernel::entity::Entities;
use crate::kernel::report::EntityReport;
use crate::kernel::time::SimTime;

impl RequestReplyWorld {
    /// Counters and statistics per service and client.
    pub fn report(&self, entities: &Entities, now: SimTime) -> Vec<EntityReport> {
        let seconds = now.0 as f64 / 1e6;
        let ms = |us: u64| us as f64 / 1_000.0;
        let mut out = Vec::new();
        for (index, s) in self.services.iter().enumerate() {
            let mut r = EntityReport::new(entities.name(s.entity), "service")
                .with("arrived", s.arrived)
                .with("completed", s.completed)
                .with(
                    "throughput_per_s",
                    if seconds > 0.0 {
                        s.completed as f64 / seconds
                    } else {
                        0.0
                    },
                )
                .with("utilisation", s.utilisation(now))
                .with("response_ms_mean", s.response_times.mean_us() / 1_000.0)
                .with("response_ms_p50", ms(s.response_times.quantile_us(0.50)))
                .with("response_ms_p95", ms(s.response_times.quantile_us(0.95)))
                .with("response_ms_p99", ms(s.response_times.quantile_us(0.99)))
                .with("rejected", s.rejected)
                .with("refused", s.refused)
                .with("timeouts", s.timeouts)
                .with("lost", s.lost)
                .with("queued", s.replicas.iter().map(|r| r.waiting.len() as u64).sum::<u64>())
                .with("queue_len_max", s.queue_len_max)
                .with("down", u64::from(s.down));
            if s.order_validity.is_some() {
                r = r
                    .with("orders_created", s.orders_created)
                    .with("orders_paid", s.orders_paid)
                    .with("orders_expired", s.orders_expired)
                    .with("orders_wrong_code", s.orders_wrong_code)
                    .with("orders_duplicated", s.orders_duplicated)
                    .with("orders_replayed", s.orders_replayed)
                    .with(
                        "orders_pending",
                        self.orders
                            .values()
                            .filter(|o| std::ptr::eq(&self.services[o.service], s))
                            .count() as u64,
                    );
            }
            if !s.event_write.is_atomic() {
                // Events the writes should have published, against what became of them.
                let e = &s.events;
                r = r
                    .with("events", s.event_write.label())
                    .with("events_written", e.written)
                    .with("events_published", e.published)
                    .with("events_lost", e.lost)
                    .with("events_invented", e.invented)
                    .with("events_repeated", e.repeated)
                    .with("events_refused", e.refused)
                    .with("events_pending", e.pending());
            }
            out.push(self.with_theory(index, r, now));
        }
        for c in &self.clients {
            out.push(
                EntityReport::new(entities.name(c.entity), "client")
                    .with("sent", c.sent)
                    .with("succeeded", c.succeeded)
                    .with("failed", c.failed)
                    .with("timeouts", c.timed_out)
                    .with("retries", c.retried)
                    .with("late_responses", c.late_responses)
                    .with("link_lost", c.link_lost)
                    .with("link_doubled", c.link_doubled)
                    .with("response_ms_mean", c.response_times.mean_us() / 1_000.0)
                    .with("response_ms_p99", ms(c.response_times.quantile_us(0.99))),
            );
        }
        out
    }
}
