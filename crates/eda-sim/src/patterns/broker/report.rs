//! The broker's counters at the end of a run (one report per entity), and the accounting of
//! every message it created.

use super::{BrokerWorld, Guarantee, Isolation, Role};
use crate::kernel::collections::object_of;
use crate::kernel::entity::Entities;
use crate::kernel::report::EntityReport;
use crate::kernel::time::SimTime;
use serde_json::Value;

impl BrokerWorld {
    /// Every message created, by where it is now: (created, accounted for).
    pub fn message_accounting(&self) -> (u64, u64) {
        let topic_records: u64 = self
            .topics
            .iter()
            .flat_map(|t| &t.partitions)
            .map(|p| p.log.len() as u64)
            .sum();
        let truncated: u64 = self.topics.iter().map(|t| t.truncated).sum();
        // Messages the broker is done with but a consumer still holds a copy of are counted as
        // acknowledged (or lost), not as alive.
        let alive = self.messages.len() as u64 - self.settled_kept;
        (
            self.created,
            topic_records + truncated + alive + self.acked_total + self.dropped_total,
        )
    }

    pub fn report(&self, entities: &Entities, now: SimTime) -> Vec<EntityReport> {
        let mut out = Vec::new();
        let Some(entity) = self.entity else { return out };
        out.push(
            EntityReport::new(entities.name(entity), "broker")
                .with("down", u64::from(self.down))
                .with("messages_created", self.created)
                .with("acked", self.acked_total)
                .with("dropped", self.dropped_total)
                .with(
                    "lost",
                    self.lost_total + self.producers.iter().map(|p| p.lost_ids.len() as u64).sum::<u64>(),
                ),
        );
        for x in &self.exchanges {
            out.push(
                EntityReport::new(entities.name(x.entity), "exchange")
                    .with("routed", x.routed)
                    .with("unroutable", x.unroutable),
            );
        }
        for (index, q) in self.queues.iter().enumerate() {
            let dropped = object_of(q.dropped.iter().map(|(r, n)| (r.label().to_string(), Value::from(*n))));
            let mut r = EntityReport::new(entities.name(q.entity), "queue")
                .with("enqueued", q.enqueued)
                .with("ready", q.ready.len() as u64)
                .with("unacked", q.unacked.len() as u64)
                .with("delivered", q.delivered)
                .with("redelivered", q.redelivered)
                .with("acked", q.acked)
                .with("dead_lettered", q.dead_lettered)
                .with("dropped", Value::Object(dropped))
                .with("depth_max", q.depth_max)
                .with("processed", q.processed)
                .with("duplicates", q.duplicates)
                .with("lost", q.lost)
                .with("channels_closed", q.channels_closed);
            if q.sum_field.is_some() {
                // Expected: what the accepted messages add up to; processed: what its consumers
                // counted, repeats included.
                let done: f64 = self
                    .consumers
                    .iter()
                    .filter(|c| c.role == Role::Queue(index) && c.sum_field.is_some())
                    .map(|c| c.sum)
                    .sum();
                r = r.with("sum_expected", q.sum_expected).with("sum_processed", done);
            }
            out.push(r);
        }
        for (index, t) in self.topics.iter().enumerate() {
            let ends = object_of(
                t.partitions
                    .iter()
                    .enumerate()
                    .map(|(p, part)| (p.to_string(), Value::from(part.log.len() as u64))),
            );
            let mut r = EntityReport::new(entities.name(t.entity), "topic")
                .with("records", t.partitions.iter().map(|p| p.log.len() as u64).sum::<u64>())
                .with("log_end_offsets", Value::Object(ends));
            if t.replicas > 1 {
                let marks = object_of(
                    t.partitions
                        .iter()
                        .enumerate()
                        .map(|(p, part)| (p.to_string(), Value::from(part.high_watermark))),
                );
                r = r
                    .with("replicas", u64::from(t.replicas))
                    .with("high_watermarks", Value::Object(marks))
                    .with("failovers", t.failovers)
                    .with("truncated", t.truncated);
            }
            if t.partitions.iter().any(|p| !p.open_records.is_empty())
                || self.consumers.iter().any(|c| c.output.topic == Some(index))
            {
                // Where read-committed readers stop: the first record of an open transaction.
                let stable = object_of((0..t.partitions.len()).map(|p| {
                    let end = self.readable_end(index, p as u32, Isolation::ReadCommitted);
                    (p.to_string(), Value::from(end))
                }));
                r = r.with("last_stable_offsets", Value::Object(stable));
            }
            if t.sum_field.is_some() {
                // Expected: what the records its producers count as written add up to;
                // processed: what its readers counted, repeats included.
                let done: f64 = self
                    .consumers
                    .iter()
                    .filter(|c| matches!(c.role, Role::Group(g) if self.groups[g].topic == index))
                    .map(|c| c.sum)
                    .sum();
                r = r
                    .with("sum_expected", t.sum_expected)
                    .with("sum_processed", done)
                    .with("sum_lost", t.sum_lost);
            }
            out.push(r);
        }
        for (index, g) in self.groups.iter().enumerate() {
            let lag = g.lag(&self.topics[g.topic]);
            let per_partition = |values: Vec<Value>| -> Value {
                Value::Object(object_of(
                    values.into_iter().enumerate().map(|(p, v)| (p.to_string(), v)),
                ))
            };
            let (predicted, measured) = self.lag_growth(index, now);
            out.push(
                EntityReport::new(entities.name(g.entity), "consumer group")
                    .with("predicted_lag_growth_per_s", predicted)
                    .with("lag_growth_per_s", measured)
                    .with("members", g.members.len() as u64)
                    .with("generation", g.generation)
                    .with("rebalances", g.rebalances)
                    .with("lost", g.lost)
                    .with("lag_total", lag.iter().sum::<u64>())
                    .with("lag", per_partition(lag.iter().map(|&l| Value::from(l)).collect()))
                    .with(
                        "committed",
                        per_partition(
                            g.committed
                                .iter()
                                .map(|c| c.map(Value::from).unwrap_or(Value::Null))
                                .collect(),
                        ),
                    )
                    .with(
                        "owners",
                        per_partition(
                            g.owners
                                .iter()
                                .map(|o| {
                                    o.map(|c| Value::from(entities.name(self.consumers[c].entity)))
                                        .unwrap_or(Value::Null)
                                })
                                .collect(),
                        ),
                    ),
            );
        }
        for p in &self.producers {
            let mut r = EntityReport::new(entities.name(p.entity), "producer")
                .with("sent", p.sent)
                .with("refused", p.refused);
            if p.tracked {
                r = r
                    .with("acks", p.acks.label())
                    .with("idempotent", p.idempotent)
                    .with("confirmed", p.confirmed)
                    .with("retried", p.retried)
                    .with("gave_up", p.gave_up)
                    .with(
                        "unconfirmed",
                        p.in_flight.values().filter(|f| !f.settled).count() as u64,
                    )
                    .with("duplicates_discarded", p.discarded)
                    .with("link_lost", p.link_lost)
                    .with("link_doubled", p.link_doubled)
                    .with("unreachable", p.unreachable)
                    .with("lost", p.lost_ids.len() as u64);
            }
            out.push(r);
        }
        for c in &self.consumers {
            let busy = c.busy_us
                + if c.processing.is_some() || c.working.is_some() {
                    now.since(c.busy_since).0
                } else {
                    0
                };
            let mut r = EntityReport::new(entities.name(c.entity), "consumer")
                .with("handled", c.handled)
                .with("failed", c.failed)
                .with("duplicates", c.duplicates)
                .with("notified", c.notified)
                .with("utilisation", if now.0 == 0 { 0.0 } else { busy as f64 / now.0 as f64 })
                .with("down", u64::from(c.down));
            r = r
                .with("guarantee", c.guarantee.label())
                .with("lost", c.lost)
                .with("deduplicated", c.deduplicated);
            if let Role::Group(_) = c.role {
                r = r.with(
                    "partitions",
                    c.positions.keys().map(|p| Value::from(*p)).collect::<Vec<_>>(),
                );
                if c.sum_field.is_some() {
                    r = r.with("sum", c.sum).with("sum_repeated", c.sum_repeated);
                }
                if let Some(out) = c.output.topic {
                    r = r
                        .with("writes_to", entities.name(self.topics[out].entity))
                        .with("written", c.output.written);
                }
                if c.guarantee == Guarantee::Transactional {
                    r = r
                        .with("transactions_committed", c.output.committed)
                        .with("transactions_aborted", c.output.aborted)
                        .with("transaction_open", u64::from(c.output.open.is_some()));
                }
                // Which records it reads, where that matters: it reads committed ones only, or
                // its topic has transactional writers.
                let topic = match c.role {
                    Role::Group(g) => Some(self.groups[g].topic),
                    Role::Queue(_) => None,
                };
                let transactional_topic = self.consumers.iter().any(|o| {
                    o.guarantee == Guarantee::Transactional && o.output.topic.is_some() && o.output.topic == topic
                });
                if c.isolation == Isolation::ReadCommitted || transactional_topic {
                    r = r.with("isolation", c.isolation.label());
                }
                if c.isolation == Isolation::ReadCommitted {
                    r = r.with("aborted_skipped", c.aborted_skipped);
                }
            } else {
                r = r
                    .with("unacked", c.holding)
                    .with("reordered", c.reordered)
                    .with("link_lost", c.link_lost)
                    .with("link_doubled", c.link_doubled)
                    .with("unreachable", c.unreachable);
                if c.sum_field.is_some() {
                    r = r
                        .with("sum", c.sum)
                        .with("sum_repeated", c.sum_repeated)
                        .with("sum_lost", c.sum_lost);
                }
            }
            out.push(r);
        }
        out
    }

    /// How fast a group's lag grows, predicted and measured (records per second). Predicted:
    /// each partition gets an equal share of what its topic's producers send; each member can
    /// read one record at a time (a fetch, which takes the broker's network delay, then its
    /// processing) from the partitions it owns, and falls behind by what its share exceeds that;
    /// a partition nobody owns falls behind by all of its share. Measured: the lag now over the
    /// time so far.
    pub fn lag_growth(&self, group: usize, now: SimTime) -> (f64, f64) {
        let g = &self.groups[group];
        let produced: f64 = self
            .producers
            .iter()
            .filter(|p| matches!(p.target, super::Target::Topic(t) if t == g.topic))
            .filter_map(|p| p.emits.as_ref())
            .map(|e| e.every.mean_us())
            .filter(|&gap| gap > 0.0)
            .map(|gap| 1e6 / gap)
            .sum();
        let per_partition = produced / g.owners.len().max(1) as f64;
        let fetch_us = self.network_delay.mean_us();
        let unowned = g.owners.iter().filter(|o| o.is_none()).count() as f64;
        let behind: f64 = g
            .members
            .iter()
            .map(|&m| {
                let owned = g.owners.iter().filter(|&&o| o == Some(m)).count() as f64;
                let rate = 1e6 / (self.consumers[m].processing_time.mean_us() + fetch_us).max(1.0);
                (per_partition * owned - rate).max(0.0)
            })
            .sum();
        let predicted = behind + per_partition * unowned;
        let seconds = now.0 as f64 / 1e6;
        let lag: u64 = g.lag(&self.topics[g.topic]).iter().sum();
        let measured = if seconds > 0.0 { lag as f64 / seconds } else { 0.0 };
        (predicted, measured)
    }
}
