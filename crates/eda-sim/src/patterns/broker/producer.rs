//! Producers: a stream of messages, or one message on command, published to an exchange, a
//! queue or a topic; a broker that is down refuses them. Topic producers with acks, retries,
//! idempotence, a faulty link or replicated partitions, and queue producers with confirms, go
//! through [`super::publishing`].

use super::Ctx;
use super::{Acks, BrokerPending, BrokerRecord, BrokerWorld, DropReason, EmitsSpec, LinkFaults};
use crate::kernel::collections::IdMap;
use crate::kernel::ids::EntityId;
use crate::kernel::time::SimDuration;
use serde_json::{Map, Value};

#[derive(Clone, Debug)]
pub struct Producer {
    pub entity: EntityId,
    pub target: Target,
    pub keys: Vec<String>,
    pub payloads: Vec<Map<String, Value>>,
    pub emits: Option<EmitsSpec>,
    pub remaining: Option<u64>,
    pub sent: u64,
    pub refused: u64,
    /// Kafka's producer settings (publisher confirms for queues), and whether it waits for acknowledgements
    /// at all: only when one of them makes a difference, so that a plain producer publishes
    /// exactly as before.
    pub acks: Acks,
    pub retries: u32,
    pub request_timeout: SimDuration,
    pub idempotent: bool,
    pub link: LinkFaults,
    pub tracked: bool,
    /// Records sent and not yet settled (acknowledged, given up, or on their way with acks none).
    pub in_flight: IdMap<InFlight>,
    pub confirmed: u64,
    pub retried: u64,
    pub gave_up: u64,
    /// Copies of its records an idempotent broker discarded.
    pub discarded: u64,
    /// Records and acknowledgements its link lost or doubled.
    pub link_lost: u64,
    pub link_doubled: u64,
    /// Records and acknowledgements a network partition stopped.
    pub unreachable: u64,
    /// Ids of its records it heard were written (producers with acks), and of those among them
    /// of which no copy is left (a leader failover removed them): lost.
    pub confirmed_ids: IdMap<()>,
    pub lost_ids: IdMap<()>,
    pub(super) next_key: usize,
    pub(super) next_payload: usize,
    pub(super) next_partition: u32,
}

/// A record a producer that waits for acknowledgements has sent and not yet settled.
#[derive(Clone, Debug)]
pub struct InFlight {
    pub partition: u32,
    pub key: Option<String>,
    pub payload: Map<String, Value>,
    /// Sendings so far (1: the first).
    pub attempt: u32,
    /// Copies on their way to the broker (two when the link doubled one).
    pub arriving: u32,
    /// The producer is done with it (acknowledged, given up, or sent with acks none): it stays
    /// only while copies are on their way.
    pub settled: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Exchange(usize),
    Queue(usize),
    Topic(usize),
}

impl BrokerWorld {
    /// A producer's stream publishes its next message and schedules the one after.
    pub(super) fn emit(&mut self, ctx: &mut Ctx, producer: usize) {
        let p = &mut self.producers[producer];
        if p.remaining == Some(0) {
            return;
        }
        if let Some(n) = p.remaining.as_mut() {
            *n -= 1;
        }
        let more = p.remaining != Some(0);
        let gap = p.emits.as_ref().map(|e| e.every.clone());
        self.publish(ctx, producer, None, None);
        if let (true, Some(gap)) = (more, gap) {
            let after = gap.sample(ctx.rng());
            ctx.schedule(after, BrokerPending::Emit { producer });
        }
    }

    /// A producer publishes one message now (`key`/`payload` override its own lists); returns
    /// whether the broker took it (a producer that waits for acknowledgements has it in hand:
    /// taken).
    pub fn produce(
        &mut self,
        ctx: &mut Ctx,
        producer: usize,
        key: Option<String>,
        payload: Option<Map<String, Value>>,
    ) -> bool {
        let refused = self.producers[producer].refused;
        self.publish(ctx, producer, key, payload);
        self.producers[producer].refused == refused
    }

    fn publish(&mut self, ctx: &mut Ctx, producer: usize, key: Option<String>, payload: Option<Map<String, Value>>) {
        let p = &mut self.producers[producer];
        let key = key.or_else(|| {
            let k = p.keys.get(p.next_key % p.keys.len().max(1)).cloned();
            p.next_key += 1;
            k
        });
        let payload = payload.unwrap_or_else(|| {
            let body = p
                .payloads
                .get(p.next_payload % p.payloads.len().max(1))
                .cloned()
                .unwrap_or_default();
            p.next_payload += 1;
            body
        });
        p.sent += 1;
        if p.tracked {
            self.send_first(ctx, producer, key, payload);
            return;
        }
        let (producer_entity, target) = (p.entity, p.target);
        let to = self.target_entity(producer);
        let cut = self.entity.is_some_and(|b| !ctx.reachable(producer_entity, b));
        if self.down || cut {
            self.producers[producer].refused += 1;
            let reason = if self.down {
                DropReason::BrokerDown
            } else {
                DropReason::Unreachable
            };
            ctx.record(BrokerRecord::Refused {
                producer: producer_entity,
                to,
                reason,
            });
            return;
        }
        match target {
            Target::Topic(t) => self.append_record(ctx, producer, t, key, payload),
            _ => self.publish_to_queues(ctx, producer, key, payload, None),
        }
    }

    /// Publishes to the producer's queue, or through its exchange, at a broker that is up
    /// (`origin`: the producer's id for the message, which every queue copy carries, when it
    /// waits for confirms).
    pub(super) fn publish_to_queues(
        &mut self,
        ctx: &mut Ctx,
        producer: usize,
        key: Option<String>,
        payload: Map<String, Value>,
        origin: Option<u64>,
    ) {
        let p = &self.producers[producer];
        let producer_entity = p.entity;
        match p.target {
            Target::Queue(q) => {
                let to = self.queues[q].entity;
                let message = self.new_message(producer, key.clone().unwrap_or_default(), payload, origin);
                ctx.record(BrokerRecord::Published {
                    message,
                    producer: producer_entity,
                    to,
                    key: key.unwrap_or_default(),
                });
                self.enqueue(ctx, q, message, Some(producer));
            }
            Target::Exchange(x) => {
                self.publish_to_exchange(ctx, producer, x, (key.unwrap_or_default(), payload), origin)
            }
            Target::Topic(_) => {}
        }
    }

    /// The entity a producer publishes to.
    pub(super) fn target_entity(&self, producer: usize) -> EntityId {
        match self.producers[producer].target {
            Target::Exchange(x) => self.exchanges[x].entity,
            Target::Queue(q) => self.queues[q].entity,
            Target::Topic(t) => self.topics[t].entity,
        }
    }
}
