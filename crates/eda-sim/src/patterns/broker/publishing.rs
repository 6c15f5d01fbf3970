//! Publishing with acknowledgements, as Kafka's producer does it (and, for queues, RabbitMQ's
//! publisher confirms): a record crosses the producer's link to its partition's leader (or queue); the broker acknowledges it when `acks` says (never, when the
//! leader has appended it, or once every replica has it); the acknowledgement crosses the link
//! back; a producer that hears nothing within its request timeout sends the record again, up to
//! its retries. Every copy carries the producer's id for the record, so a duplicate is seen for
//! what it is; the broker of an idempotent producer (producer id and sequence number) discards a
//! copy it already has and acknowledges it instead, so retries and a doubling link add nothing.

use super::Ctx;
use super::{Acks, BrokerPending, BrokerRecord, BrokerWorld, DropReason, InFlight, LogEntry, Target};
use crate::kernel::ids::EntityId;
use crate::kernel::link::Fate;
use crate::kernel::time::SimDuration;
use serde_json::{Map, Value};

impl BrokerWorld {
    /// A producer that waits for acknowledgements sends a new record: it takes the next message
    /// id as its own id for the record (the first copy appended keeps it).
    pub(super) fn send_first(
        &mut self,
        ctx: &mut Ctx,
        producer: usize,
        key: Option<String>,
        payload: Map<String, Value>,
    ) {
        let topic = match self.producers[producer].target {
            Target::Topic(t) => Some(t),
            _ => None,
        };
        let partition = topic.map_or(0, |t| self.pick_partition(producer, t, key.as_deref()));
        let origin = self.take_message_id();
        // Fire and forget: it counts as written as soon as it is sent.
        if let (Some(t), Acks::None) = (topic, self.producers[producer].acks) {
            self.count_expected(t, &payload);
        }
        let record = InFlight {
            partition,
            key,
            payload,
            attempt: 1,
            arriving: 0,
            settled: false,
        };
        self.producers[producer].in_flight.insert(origin, record);
        self.send_attempt(ctx, producer, origin);
    }

    /// Sends the record (again) through the producer's link, after the broker's network delay,
    /// and starts waiting for its acknowledgement (unless acks none): at the request timeout it
    /// retries, or, its retries spent, gives up.
    fn send_attempt(&mut self, ctx: &mut Ctx, producer: usize, origin: u64) {
        let to = self.target_entity(producer);
        let p = &self.producers[producer];
        let Some(attempt) = p.in_flight.get(&origin).map(|f| f.attempt) else {
            return;
        };
        let entity = p.entity;
        if p.acks != Acks::None {
            let timeout = p.request_timeout;
            ctx.schedule(
                timeout,
                BrokerPending::RequestTimeout {
                    producer,
                    origin,
                    attempt,
                },
            );
        }
        if self.down {
            let p = &mut self.producers[producer];
            p.refused += 1;
            ctx.record(BrokerRecord::Refused {
                producer: entity,
                to,
                reason: DropReason::BrokerDown,
            });
            // Told at once; only a producer with retries tries again (when its timeout runs out).
            // Sent and forgotten, it counted as written: it is lost.
            let (acks_none, retries) = (p.acks == Acks::None, p.retries);
            if acks_none {
                self.lose_unsent(producer, origin);
            }
            if retries == 0 {
                self.settle_record(producer, origin);
            }
            return;
        }
        let delay = self.network_delay.sample(ctx.rng());
        let extras = self.cross_link(ctx, producer, origin, (entity, to));
        for extra in extras.iter().flatten() {
            ctx.schedule(
                SimDuration(delay.0.saturating_add(extra.0)),
                BrokerPending::PublishArrive { producer, origin },
            );
        }
        let p = &mut self.producers[producer];
        let acks_none = p.acks == Acks::None;
        let arriving = extras.iter().flatten().count() as u32;
        if let Some(f) = p.in_flight.get_mut(&origin) {
            f.arriving += arriving;
        }
        if acks_none && arriving == 0 {
            self.lose_unsent(producer, origin);
        }
        // Fire and forget: the producer is done with it as soon as it has sent it.
        if acks_none {
            self.settle_record(producer, origin);
        }
    }

    /// A copy of a record reaches the broker: the partition's leader appends it (or, for an
    /// idempotent producer, discards it if it has the record already) and acknowledges it as
    /// the producer's `acks` asks.
    pub(super) fn publish_arrived(&mut self, ctx: &mut Ctx, producer: usize, origin: u64) {
        let to = self.target_entity(producer);
        let p = &mut self.producers[producer];
        let target = p.target;
        let Some(f) = p.in_flight.get_mut(&origin) else { return };
        f.arriving = f.arriving.saturating_sub(1);
        let (partition, key, payload) = (f.partition, f.key.clone(), f.payload.clone());
        let (entity, acks, idempotent) = (p.entity, p.acks, p.idempotent);
        if self.down {
            self.producers[producer].refused += 1;
            ctx.record(BrokerRecord::Refused {
                producer: entity,
                to,
                reason: DropReason::BrokerDown,
            });
            if acks == Acks::None {
                self.lose_unsent(producer, origin);
            }
            self.forget_record_if_done(producer, origin);
            return;
        }
        let Target::Topic(topic) = target else {
            // Publisher confirms: the broker confirms what its queues took (a full queue that
            // refuses it sends none: the producer's timeout tells it).
            let refused = self.producers[producer].refused;
            self.publish_to_queues(ctx, producer, key, payload, Some(origin));
            if acks != Acks::None && self.producers[producer].refused == refused {
                self.send_ack(ctx, producer, origin);
            }
            self.forget_record_if_done(producer, origin);
            return;
        };
        let existing = self.topics[topic].partitions[partition as usize]
            .origins
            .get(&origin)
            .copied();
        let offset = match existing {
            Some(offset) if idempotent => {
                self.producers[producer].discarded += 1;
                ctx.record(BrokerRecord::DuplicateDiscarded {
                    message: origin,
                    producer: entity,
                    topic: to,
                    partition,
                });
                offset
            }
            _ => {
                // The first copy keeps the producer's id; a repeat is a record of its own.
                let message = match existing {
                    Some(_) => self.take_message_id(),
                    None => origin,
                };
                let entry = LogEntry::new(message, key, payload).written_by_producer(producer, origin);
                // A copy written again after a failover removed the others: not lost after all.
                if self.producers[producer].lost_ids.remove(&origin).is_some() {
                    self.count_lost(topic, &entry.payload, -1.0);
                }
                self.append_at(ctx, entity, (topic, partition), entry)
            }
        };
        match acks {
            Acks::None => {}
            Acks::Leader => self.send_ack(ctx, producer, origin),
            Acks::All => {
                let part = &mut self.topics[topic].partitions[partition as usize];
                if offset < part.high_watermark {
                    self.send_ack(ctx, producer, origin);
                } else {
                    part.waiting_acks.push((offset, producer, origin));
                }
            }
        }
        self.forget_record_if_done(producer, origin);
    }

    /// The broker acknowledges a record to its producer, through the producer's link.
    pub(super) fn send_ack(&mut self, ctx: &mut Ctx, producer: usize, origin: u64) {
        let delay = self.network_delay.sample(ctx.rng());
        let (from, to) = (self.target_entity(producer), self.producers[producer].entity);
        for extra in self.cross_link(ctx, producer, origin, (from, to)).iter().flatten() {
            ctx.schedule(
                SimDuration(delay.0.saturating_add(extra.0)),
                BrokerPending::AckArrive { producer, origin },
            );
        }
    }

    /// What the producer's link does with one crossing (`ends`: from, to; either way): the
    /// extra delays of its arrivals (none, one, or two when it doubles), each loss and
    /// doubling counted and recorded.
    fn cross_link(
        &mut self,
        ctx: &mut Ctx,
        producer: usize,
        origin: u64,
        (from, to): (EntityId, EntityId),
    ) -> [Option<SimDuration>; 2] {
        let broker = self.entity;
        let p = &mut self.producers[producer];
        // The topic lives on the broker: a partition between the producer and the broker cuts it.
        if broker.is_some_and(|b| !ctx.reachable(p.entity, b)) {
            p.unreachable += 1;
            ctx.record(BrokerRecord::Unreachable {
                message: origin,
                from,
                to,
            });
            return [None, None];
        }
        match p.link.fate(ctx.rng()) {
            Fate::Lost => {
                p.link_lost += 1;
                ctx.record(BrokerRecord::LinkLost {
                    message: origin,
                    from,
                    to,
                });
                [None, None]
            }
            Fate::Arrives { extra } => [Some(extra), None],
            Fate::Doubled { extra, copy_extra } => {
                p.link_doubled += 1;
                ctx.record(BrokerRecord::LinkDoubled {
                    message: origin,
                    from,
                    to,
                });
                [Some(extra), Some(copy_extra)]
            }
        }
    }

    /// An acknowledgement reaches the producer: the record is confirmed (a second one, or one
    /// for a record it gave up on, changes nothing).
    pub(super) fn ack_arrived(&mut self, ctx: &mut Ctx, producer: usize, origin: u64) {
        let p = &mut self.producers[producer];
        let Some(partition) = p.in_flight.get(&origin).filter(|f| !f.settled).map(|f| f.partition) else {
            return;
        };
        p.confirmed += 1;
        // Only acks leader acknowledges what a failover may still remove.
        if p.acks == Acks::Leader && matches!(p.target, Target::Topic(_)) {
            p.confirmed_ids.insert(origin, ());
        }
        ctx.record(BrokerRecord::Confirmed {
            message: origin,
            producer: p.entity,
        });
        // What follows is a topic's: a queue confirms what it took, and keeps it.
        let Target::Topic(topic) = p.target else {
            self.settle_record(producer, origin);
            return;
        };
        let payload = match self.topics[topic].sum_field {
            Some(_) => p.in_flight.get(&origin).map(|f| f.payload.clone()).unwrap_or_default(),
            None => Default::default(),
        };
        self.count_expected(topic, &payload);
        // Told it is written after a failover removed it: lost.
        if !self.topics[topic].partitions[partition as usize]
            .origins
            .contains_key(&origin)
        {
            self.producers[producer].lost_ids.insert(origin, ());
            self.count_lost(topic, &payload, 1.0);
        }
        self.settle_record(producer, origin);
    }

    /// The producer's wait for an acknowledgement of its `attempt`th sending ran out: it sends
    /// the record again, or, its retries spent, reports it as not sent.
    pub(super) fn request_timed_out(&mut self, ctx: &mut Ctx, producer: usize, origin: u64, attempt: u32) {
        let p = &mut self.producers[producer];
        let retries = p.retries;
        let entity = p.entity;
        let Some(f) = p.in_flight.get_mut(&origin) else { return };
        if f.settled || f.attempt != attempt {
            return;
        }
        if attempt <= retries {
            f.attempt += 1;
            p.retried += 1;
            ctx.record(BrokerRecord::Retried {
                message: origin,
                producer: entity,
                attempt: attempt + 1,
            });
            self.send_attempt(ctx, producer, origin);
        } else {
            p.gave_up += 1;
            ctx.record(BrokerRecord::GaveUp {
                message: origin,
                producer: entity,
            });
            self.settle_record(producer, origin);
        }
    }

    /// A record sent with acks none that never reached the broker: it counted as written, and
    /// what it adds up to is lost (for the topic's expected total).
    fn lose_unsent(&mut self, producer: usize, origin: u64) {
        let Target::Topic(topic) = self.producers[producer].target else {
            return;
        };
        let payload = match (
            &self.topics[topic].sum_field,
            self.producers[producer].in_flight.get(&origin),
        ) {
            (Some(_), Some(f)) => f.payload.clone(),
            _ => return,
        };
        self.count_lost(topic, &payload, 1.0);
    }

    /// The producer is done with a record; it is forgotten once no copy is on its way.
    fn settle_record(&mut self, producer: usize, origin: u64) {
        if let Some(f) = self.producers[producer].in_flight.get_mut(&origin) {
            f.settled = true;
        }
        self.forget_record_if_done(producer, origin);
    }

    fn forget_record_if_done(&mut self, producer: usize, origin: u64) {
        let in_flight = &mut self.producers[producer].in_flight;
        if in_flight.get(&origin).is_some_and(|f| f.settled && f.arriving == 0) {
            in_flight.remove(&origin);
        }
    }
}
