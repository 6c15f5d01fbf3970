//! RabbitMQ-like queues: messages wait in order, go to competing consumers round-robin within
//! their prefetch, are settled, requeued, expired by TTL, dead-lettered or dropped when full.

use super::Ctx;
use super::{
    BrokerPending, BrokerRecord, BrokerWorld, DedupeStore, DropReason, Guarantee, Overflow, Settlement, SettlementKey,
};
use crate::kernel::collections::IdMap;
use crate::kernel::ids::EntityId;
use crate::kernel::time::{SimDuration, SimTime};
use serde_json::{Map, Value};
use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct Message {
    pub producer: usize,
    pub key: String,
    pub payload: Map<String, Value>,
    /// Deliveries so far.
    pub deliveries: u32,
    /// Times a consumer processed it successfully (more than one: a duplicate).
    pub processed: u32,
    /// When it expires, if its queue has a message TTL.
    pub expires_at: Option<SimTime>,
    /// Copies on their way to a consumer or in a consumer's hands (two when a link doubled the
    /// delivery): a message acknowledged meanwhile stays known until the last copy is done, so
    /// that a second processing is seen as the duplicate it is.
    pub in_hands: u32,
    /// The broker is done with it (acknowledged, or auto-acknowledged when sent); kept only for
    /// the copies still in hands.
    pub settled: bool,
    /// For a producer that waits for confirms: its id for the message, shared by the copies its
    /// retries and its link make (a second processing of any of them is a duplicate).
    pub origin: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct Queue {
    pub entity: EntityId,
    pub capacity: Option<u32>,
    pub overflow: Overflow,
    pub ttl: Option<SimDuration>,
    pub max_deliveries: Option<u32>,
    pub dead_letter: Option<usize>,
    pub ready: VecDeque<u64>,
    /// Delivered, not yet settled: message → consumer.
    pub unacked: VecDeque<(u64, usize)>,
    pub consumers: Vec<usize>,
    pub(super) cursor: usize,
    pub enqueued: u64,
    pub delivered: u64,
    pub redelivered: u64,
    pub acked: u64,
    pub dead_lettered: u64,
    pub dropped: litemap::LiteMap<DropReason, u64>,
    pub depth_max: u32,
    pub consumer_timeout: Option<SimDuration>,
    /// The dedupe store of the queue's idempotent consumers, if it has any.
    pub dedupe: Option<DedupeStore>,
    /// Messages processed successfully at least once (each counted once).
    pub processed: u64,
    /// Second and later successful processings of one message.
    pub duplicates: u64,
    /// Acknowledged messages that will never be processed (at-most-once consumers).
    pub lost: u64,
    pub channels_closed: u64,
    /// The body field its consumers add up (the first that names one), and what the messages
    /// it accepted add up to: the total its consumers should reach.
    pub sum_field: Option<String>,
    pub sum_expected: f64,
    /// Producers' ids of the messages processed so far, and of those it took (with a summing
    /// consumer), for producers that wait for confirms.
    pub origins_processed: IdMap<()>,
    pub origins_taken: IdMap<()>,
}

impl BrokerWorld {
    /// A new queue message (`origin`: its producer's id for it, when the producer waits for
    /// confirms).
    pub(super) fn new_message(
        &mut self,
        producer: usize,
        key: String,
        payload: Map<String, Value>,
        origin: Option<u64>,
    ) -> u64 {
        let id = self.next_message;
        self.next_message += 1;
        self.created += 1;
        self.messages.insert(
            id,
            Message {
                producer,
                key,
                payload,
                deliveries: 0,
                processed: 0,
                expires_at: None,
                in_hands: 0,
                settled: false,
                origin,
            },
        );
        id
    }

    pub(super) fn drop_message(&mut self, ctx: &mut Ctx, at: EntityId, message: u64, reason: DropReason) {
        self.messages.remove(&message);
        self.dropped_total += 1;
        ctx.record(BrokerRecord::Dropped { message, at, reason });
    }

    /// Puts a message at the tail of a queue, applying its capacity rule.
    pub(super) fn enqueue(&mut self, ctx: &mut Ctx, queue: usize, message: u64, publisher: Option<usize>) {
        let q = &mut self.queues[queue];
        if q.capacity.is_some_and(|cap| q.ready.len() as u32 >= cap) {
            match q.overflow {
                Overflow::RejectPublish => {
                    *q.dropped.entry(DropReason::QueueFull).or_insert(0) += 1;
                    let at = q.entity;
                    if let Some(p) = publisher {
                        self.producers[p].refused += 1;
                    }
                    self.drop_message(ctx, at, message, DropReason::QueueFull);
                    return;
                }
                Overflow::DropHead => {
                    if let Some(oldest) = q.ready.pop_front() {
                        self.dead_letter(ctx, queue, oldest, DropReason::Overflow);
                    }
                }
            }
        }
        let q = &mut self.queues[queue];
        q.ready.push_back(message);
        q.enqueued += 1;
        if let Some(field) = q.sum_field.as_deref() {
            // A copy of a confirmed producer's message (a retry) adds nothing more to expect.
            let m = self.messages.get(&message);
            let first = m.is_none_or(|m| m.origin.is_none_or(|o| q.origins_taken.insert(o, ()).is_none()));
            if let (true, Some(x)) = (first, m.and_then(|m| super::consumer::amount(&m.payload, field))) {
                q.sum_expected += x;
            }
        }
        let depth = q.ready.len() as u32;
        q.depth_max = q.depth_max.max(depth);
        ctx.record(BrokerRecord::Enqueued {
            message,
            queue: q.entity,
            depth,
        });
        if let Some(ttl) = q.ttl {
            if let Some(m) = self.messages.get_mut(&message) {
                m.expires_at = Some(ctx.now.saturating_add(ttl));
            }
            ctx.schedule(ttl, BrokerPending::Expire { queue, message });
        }
        self.dispatch(ctx, queue);
    }

    pub(super) fn expired(&self, message: u64, now: SimTime) -> bool {
        self.messages
            .get(&message)
            .and_then(|m| m.expires_at)
            .is_some_and(|at| at <= now)
    }

    /// A message's TTL runs out: if it is still waiting, it is dead-lettered (or dropped).
    pub(super) fn expire(&mut self, ctx: &mut Ctx, queue: usize, message: u64) {
        // Out with a consumer now: if it comes back after its expiry, requeue expires it.
        let expired = self.expired(message, ctx.now);
        let q = &mut self.queues[queue];
        if let (true, Some(pos)) = (expired, q.ready.iter().position(|&m| m == message)) {
            q.ready.remove(pos);
            self.dead_letter(ctx, queue, message, DropReason::Expired);
        }
    }

    /// Sends a message to the queue's dead-letter queue, or drops it (recorded) if it has none.
    pub(super) fn dead_letter(&mut self, ctx: &mut Ctx, queue: usize, message: u64, reason: DropReason) {
        let q = &mut self.queues[queue];
        match q.dead_letter {
            Some(dlq) => {
                q.dead_lettered += 1;
                let (from, to) = (q.entity, self.queues[dlq].entity);
                ctx.record(BrokerRecord::DeadLettered {
                    message,
                    from,
                    to,
                    reason,
                });
                if let Some(m) = self.messages.get_mut(&message) {
                    m.deliveries = 0;
                    m.expires_at = None;
                }
                self.enqueue(ctx, dlq, message, None);
            }
            None => {
                *q.dropped.entry(reason).or_insert(0) += 1;
                let at = q.entity;
                self.drop_message(ctx, at, message, reason);
            }
        }
    }

    /// Delivers ready messages to consumers with prefetch room, round-robin.
    pub(super) fn dispatch(&mut self, ctx: &mut Ctx, queue: usize) {
        if self.down {
            return;
        }
        loop {
            let q = &self.queues[queue];
            if q.ready.is_empty() || q.consumers.is_empty() {
                return;
            }
            let n = q.consumers.len();
            // At-most-once consumers hold nothing unacknowledged: no prefetch limit applies.
            let pick = (0..n).map(|i| (q.cursor + i) % n).find(|&i| {
                let c = &self.consumers[q.consumers[i]];
                !c.down && !c.cut_off && (c.holding < c.prefetch || c.guarantee == Guarantee::AtMostOnce)
            });
            let Some(slot) = pick else { return };
            let q = &mut self.queues[queue];
            q.cursor = (slot + 1) % n;
            let consumer = q.consumers[slot];
            let Some(message) = q.ready.pop_front() else { return };
            let auto_ack = self.consumers[consumer].guarantee == Guarantee::AtMostOnce;
            if !auto_ack {
                q.unacked.push_back((message, consumer));
            }
            q.delivered += 1;
            let delivery = match self.messages.get_mut(&message) {
                Some(m) => {
                    m.deliveries += 1;
                    m.deliveries
                }
                None => 1,
            };
            if delivery > 1 {
                q.redelivered += 1;
            }
            let c = &mut self.consumers[consumer];
            if !auto_ack {
                c.holding += 1;
            }
            ctx.record(BrokerRecord::Delivered {
                message,
                queue: q.entity,
                consumer: c.entity,
                delivery,
            });
            self.send_delivery(ctx, queue, consumer, message, delivery);
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn settle(
        &mut self,
        ctx: &mut Ctx,
        queue: usize,
        consumer: usize,
        message: u64,
        settlement: SettlementKey,
        epoch: u64,
        broker_epoch: u64,
    ) {
        let c = &self.consumers[consumer];
        let current = !self.down && broker_epoch == self.epoch && c.epoch == epoch;
        // Settlements mostly come back in delivery order: the search is short.
        let held = self.queues[queue].unacked.iter().position(|&(m, _)| m == message);
        let held = held.filter(|&pos| self.queues[queue].unacked[pos].1 == consumer);
        let (true, Some(pos)) = (current, held) else {
            ctx.record(BrokerRecord::SettlementLost {
                message,
                consumer: c.entity,
            });
            return;
        };
        let q = &mut self.queues[queue];
        q.unacked.remove(pos);
        let (queue_entity, consumer_entity) = (q.entity, c.entity);
        self.consumers[consumer].holding -= 1;
        let public = match settlement {
            SettlementKey::Ack => Settlement::Ack,
            SettlementKey::Requeue => Settlement::Requeue,
            SettlementKey::Reject => Settlement::Reject,
        };
        ctx.record(BrokerRecord::Settled {
            message,
            queue: queue_entity,
            consumer: consumer_entity,
            settlement: public,
        });
        match settlement {
            SettlementKey::Ack => {
                self.queues[queue].acked += 1;
                self.acked_total += 1;
                self.acknowledged(message);
            }
            SettlementKey::Requeue => {
                let deliveries = self.messages.get(&message).map(|m| m.deliveries).unwrap_or(0);
                if self.queues[queue].max_deliveries.is_some_and(|max| deliveries >= max) {
                    self.dead_letter(ctx, queue, message, DropReason::DeliveryLimit);
                } else {
                    self.requeue(ctx, queue, message);
                }
            }
            SettlementKey::Reject => self.dead_letter(ctx, queue, message, DropReason::Rejected),
        }
        self.dispatch(ctx, queue);
    }

    /// Everything `consumer` holds unacknowledged goes back to the head of the queue, in the
    /// order it was delivered (its channel closed: a crash, or a partition cutting it off).
    pub(super) fn requeue_held_by(&mut self, ctx: &mut Ctx, queue: usize, consumer: usize) {
        let q = &mut self.queues[queue];
        let held: Vec<u64> = q
            .unacked
            .iter()
            .filter(|&&(_, who)| who == consumer)
            .map(|&(m, _)| m)
            .collect();
        q.unacked.retain(|&(_, who)| who != consumer);
        for m in held.into_iter().rev() {
            self.requeue(ctx, queue, m);
        }
    }

    /// Puts an unacknowledged message back at the head of its queue.
    pub(super) fn requeue(&mut self, ctx: &mut Ctx, queue: usize, message: u64) {
        if self.expired(message, ctx.now) {
            self.dead_letter(ctx, queue, message, DropReason::Expired);
            return;
        }
        let q = &mut self.queues[queue];
        q.ready.push_front(message);
        ctx.record(BrokerRecord::Requeued {
            message,
            queue: q.entity,
        });
    }
}
