//! All state of the broker pattern, built from its scenario section, started, and the one table
//! that hands each pending event to the handler of its concept.

use super::Ctx;
use super::{
    BrokerPending, BrokerSpec, Consumer, DedupeStore, Exchange, Group, Guarantee, Message, Output, Partition, Producer,
    Queue, Role, Target, Topic, TransactionOutcome, DEFAULT_DEDUPE_WINDOW, DEFAULT_REQUEST_TIMEOUT,
};
use crate::kernel::collections::IdMap;
use crate::kernel::entity::Entities;
use crate::kernel::entity::EntityKind;
use crate::kernel::ids::EntityId;
use crate::kernel::rng::Distribution;
use crate::kernel::time::{SimDuration, SimTime};
use std::collections::VecDeque;

/// All state of the broker pattern.
#[derive(Clone, Debug)]
pub struct BrokerWorld {
    pub entity: Option<EntityId>,
    pub network_delay: Distribution,
    pub down: bool,
    pub epoch: u64,
    pub exchanges: Vec<Exchange>,
    pub queues: Vec<Queue>,
    pub topics: Vec<Topic>,
    pub groups: Vec<Group>,
    pub producers: Vec<Producer>,
    pub consumers: Vec<Consumer>,
    /// Queue messages alive (ready, unacked); removed when acked, dropped or dead-lettered out.
    pub messages: IdMap<Message>,
    pub(super) next_message: u64,
    /// Messages created (one per queue copy or topic record): the conservation total.
    pub created: u64,
    pub acked_total: u64,
    pub dropped_total: u64,
    /// Acknowledged messages that will never be processed (at-most-once consumers).
    pub lost_total: u64,
    /// Messages in `messages` that the broker is done with, kept for copies still in hands.
    pub(super) settled_kept: u64,
    /// Join times of members that join later than time 0.
    joins: Vec<(usize, SimDuration)>,
    /// How each transaction of read-process-write members ended (by its id), or that it is open.
    pub transactions: Vec<TransactionOutcome>,
}

impl BrokerWorld {
    pub fn build(spec: &BrokerSpec, entities: &mut Entities) -> Self {
        let mut world = BrokerWorld {
            entity: None,
            network_delay: spec.network_delay.clone(),
            down: false,
            epoch: 0,
            exchanges: Vec::new(),
            queues: Vec::new(),
            topics: Vec::new(),
            groups: Vec::new(),
            producers: Vec::new(),
            consumers: Vec::new(),
            messages: IdMap::new(),
            next_message: 0,
            created: 0,
            acked_total: 0,
            dropped_total: 0,
            lost_total: 0,
            settled_kept: 0,
            joins: Vec::new(),
            transactions: Vec::new(),
        };
        if spec.is_empty() {
            return world;
        }
        world.entity = Some(entities.add(&spec.id, EntityKind::Broker, 0));
        let queue_index = |name: &str| spec.queues.iter().position(|q| q.id == name).unwrap_or(0);
        for q in &spec.queues {
            let entity = entities.add(&q.id, EntityKind::Queue, world.queues.len());
            world.queues.push(Queue {
                entity,
                capacity: q.capacity,
                overflow: q.overflow,
                ttl: q.message_ttl,
                max_deliveries: q.max_deliveries,
                dead_letter: q.dead_letter.as_deref().map(queue_index),
                ready: VecDeque::new(),
                unacked: VecDeque::new(),
                consumers: Vec::new(),
                cursor: 0,
                enqueued: 0,
                delivered: 0,
                redelivered: 0,
                acked: 0,
                dead_lettered: 0,
                dropped: litemap::LiteMap::new_vec(),
                depth_max: 0,
                consumer_timeout: q.consumer_timeout,
                dedupe: None,
                processed: 0,
                duplicates: 0,
                lost: 0,
                channels_closed: 0,
                sum_field: None,
                sum_expected: 0.0,
                origins_processed: IdMap::new(),
                origins_taken: IdMap::new(),
            });
        }
        for x in &spec.exchanges {
            let entity = entities.add(&x.id, EntityKind::Exchange, world.exchanges.len());
            world.exchanges.push(Exchange {
                entity,
                kind: x.kind,
                bindings: x
                    .bindings
                    .iter()
                    .map(|b| (queue_index(&b.queue), b.key.clone()))
                    .collect(),
                routed: 0,
                unroutable: 0,
            });
        }
        for t in &spec.topics {
            let entity = entities.add(&t.id, EntityKind::Topic, world.topics.len());
            world.topics.push(Topic {
                entity,
                partitions: (0..t.partitions).map(|_| Partition::default()).collect(),
                groups: Vec::new(),
                replicas: t.replicas,
                replication_delay: t.replication_delay.clone(),
                truncated: 0,
                failovers: 0,
                sum_field: None,
                sum_expected: 0.0,
                sum_lost: 0.0,
            });
        }
        for g in &spec.groups {
            let entity = entities.add(&g.id, EntityKind::ConsumerGroup, world.groups.len());
            let topic = spec.topics.iter().position(|t| t.id == g.topic).unwrap_or(0);
            let partitions = world.topics[topic].partitions.len();
            world.topics[topic].groups.push(world.groups.len());
            world.groups.push(Group {
                entity,
                topic,
                assignor: g.assignor,
                reset: g.auto_offset_reset,
                commit: g.commit.clone(),
                session_timeout: g.session_timeout,
                members: Vec::new(),
                owners: vec![None; partitions],
                committed: vec![None; partitions],
                processed: vec![Default::default(); partitions],
                origins_processed: IdMap::new(),
                generation: 0,
                rebalances: 0,
                commit_timer_armed: false,
                dedupe: None,
                lost: 0,
                derived: IdMap::new(),
            });
        }
        for p in &spec.producers {
            let entity = entities.add(&p.id, EntityKind::Producer, world.producers.len());
            let target = if let Some(x) = &p.exchange {
                Target::Exchange(spec.exchanges.iter().position(|e| &e.id == x).unwrap_or(0))
            } else if let Some(q) = &p.queue {
                Target::Queue(queue_index(q))
            } else {
                Target::Topic(
                    spec.topics
                        .iter()
                        .position(|t| Some(&t.id) == p.topic.as_ref())
                        .unwrap_or(0),
                )
            };
            let tracked = spec.waits_for_acks(p);
            world.producers.push(Producer {
                entity,
                target,
                acks: p.acks,
                retries: p.retries,
                request_timeout: p.request_timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT),
                idempotent: p.idempotent,
                link: p.link.clone(),
                tracked,
                in_flight: IdMap::new(),
                confirmed: 0,
                retried: 0,
                gave_up: 0,
                discarded: 0,
                link_lost: 0,
                link_doubled: 0,
                unreachable: 0,
                confirmed_ids: IdMap::new(),
                lost_ids: IdMap::new(),
                keys: p.keys.clone(),
                payloads: p.payloads.clone(),
                emits: p.emits.clone(),
                remaining: p.emits.as_ref().and_then(|e| e.count),
                sent: 0,
                refused: 0,
                next_key: 0,
                next_payload: 0,
                next_partition: 0,
            });
        }
        for (i, c) in spec.consumers.iter().enumerate() {
            let entity = entities.add(&c.id, EntityKind::Consumer, i);
            let role = match (&c.queue, &c.group) {
                (Some(q), _) => {
                    let q = queue_index(q);
                    world.queues[q].consumers.push(i);
                    Role::Queue(q)
                }
                (_, g) => Role::Group(spec.groups.iter().position(|x| Some(&x.id) == g.as_ref()).unwrap_or(0)),
            };
            if matches!(role, Role::Group(_)) {
                world.joins.push((i, c.join_at.unwrap_or(SimDuration::ZERO)));
            }
            match (&role, &c.sum_field) {
                (Role::Queue(q), Some(field)) => {
                    world.queues[*q].sum_field.get_or_insert_with(|| field.clone());
                }
                (Role::Group(g), Some(field)) => {
                    let topic = world.groups[*g].topic;
                    world.topics[topic].sum_field.get_or_insert_with(|| field.clone());
                }
                _ => {}
            }
            // The idempotent consumers of a queue, or members of a group, share one store, as
            // large as the largest window.
            if c.guarantee == Guarantee::Idempotent {
                let window = c.dedupe_window.unwrap_or(DEFAULT_DEDUPE_WINDOW);
                let store = match role {
                    Role::Queue(q) => &mut world.queues[q].dedupe,
                    Role::Group(g) => &mut world.groups[g].dedupe,
                };
                if store.as_ref().is_none_or(|s| s.window() < window as usize) {
                    *store = Some(DedupeStore::new(window));
                }
            }
            world.consumers.push(Consumer {
                entity,
                role,
                prefetch: c.prefetch,
                processing_time: c.processing_time.clone(),
                fail_percent: c.fail_percent,
                on_failure: c.on_failure,
                notify_when: c.notify_when.clone(),
                down: false,
                epoch: 0,
                holding: 0,
                buffer: VecDeque::new(),
                processing: None,
                positions: litemap::LiteMap::new_vec(),
                cursor: 0,
                fetching: false,
                working: None,
                in_group: false,
                handled: 0,
                failed: 0,
                duplicates: 0,
                notified: 0,
                busy_us: 0,
                busy_since: SimTime::ZERO,
                guarantee: c.guarantee,
                link: c.link.clone(),
                next_tag: 0,
                tag_arrived_max: 0,
                doubled_pending: IdMap::new(),
                lost: 0,
                deduplicated: 0,
                dedupe_on: c.dedupe_on.clone(),
                cut_off: false,
                cut_generation: 0,
                unreachable: 0,
                reordered: 0,
                link_lost: 0,
                link_doubled: 0,
                sum_field: c.sum_field.clone(),
                sum: 0.0,
                sum_repeated: 0.0,
                sum_lost: 0.0,
                output: Output {
                    topic: c
                        .writes_to
                        .as_ref()
                        .and_then(|t| spec.topics.iter().position(|x| &x.id == t)),
                    ..Default::default()
                },
                isolation: c.isolation,
                aborted_skipped: 0,
                commit_failed: false,
                rejoin_at_heal: false,
            });
        }
        world
    }

    /// Schedules producers' first messages, members' joins and auto-commit timers.
    pub fn start(&mut self, ctx: &mut Ctx) {
        for (p, producer) in self.producers.iter().enumerate() {
            if let Some(e) = &producer.emits {
                if producer.remaining != Some(0) {
                    let first = e.first_delay(ctx.rng());
                    ctx.schedule(first, BrokerPending::Emit { producer: p });
                }
            }
        }
        // Members joining at time 0 join together: one rebalance, as a group starting up.
        let (now, later): (Vec<_>, Vec<_>) = self.joins.iter().partition(|(_, at)| at.0 == 0);
        let mut groups_touched = crate::kernel::collections::Set::new();
        for &(c, _) in &now {
            if let Role::Group(g) = self.consumers[c].role {
                self.add_member(ctx, g, c);
                groups_touched.insert(g);
            }
        }
        for &g in groups_touched.iter() {
            self.rebalance(ctx, g, None);
        }
        for &(c, at) in &later {
            ctx.schedule(at, BrokerPending::Join { consumer: c });
        }
    }

    /// Messages waiting in queues, and in the buffers of at-most-once consumers, which take
    /// whatever is ready (counted against the pending-event limit).
    pub fn queued_total(&self) -> usize {
        let flooded: usize = self
            .consumers
            .iter()
            .filter(|c| c.guarantee == Guarantee::AtMostOnce)
            .map(|c| c.buffer.len())
            .sum();
        self.queues.iter().map(|q| q.ready.len()).sum::<usize>() + flooded
    }

    /// The dispatch table: each pending event goes to the handler of its concept.
    pub fn handle(&mut self, ctx: &mut Ctx, pending: BrokerPending) {
        match pending {
            BrokerPending::Emit { producer } => self.emit(ctx, producer),
            BrokerPending::Arrive {
                consumer,
                message,
                epoch,
                broker_epoch,
                tag,
                doubled,
            } => self.arrive(ctx, consumer, message, (epoch, broker_epoch), tag, doubled),
            BrokerPending::Done {
                consumer,
                message,
                epoch,
            } => self.done(ctx, consumer, message, epoch),
            BrokerPending::Settle {
                queue,
                consumer,
                message,
                settlement,
                epoch,
                broker_epoch,
            } => self.settle(ctx, queue, consumer, message, settlement, epoch, broker_epoch),
            BrokerPending::Expire { queue, message } => self.expire(ctx, queue, message),
            BrokerPending::Fetch {
                consumer,
                epoch,
                generation,
            } => self.fetched(ctx, consumer, epoch, generation),
            BrokerPending::RecordDone {
                consumer,
                partition,
                offset,
                epoch,
            } => self.record_done(ctx, consumer, partition, offset, epoch),
            BrokerPending::Wake { consumer, epoch } => self.retry_fetch(ctx, consumer, epoch),
            BrokerPending::AutoCommit { group } => self.auto_commit(ctx, group),
            BrokerPending::SessionExpired { consumer, epoch } => self.session_expired(ctx, consumer, epoch),
            BrokerPending::Join { consumer } => self.join(ctx, consumer),
            BrokerPending::AckDeadline {
                queue,
                consumer,
                message,
                delivery,
                epoch,
            } => self.ack_deadline(ctx, queue, consumer, message, delivery, epoch),
            BrokerPending::PublishArrive { producer, origin } => self.publish_arrived(ctx, producer, origin),
            BrokerPending::AckArrive { producer, origin } => self.ack_arrived(ctx, producer, origin),
            BrokerPending::RequestTimeout {
                producer,
                origin,
                attempt,
            } => self.request_timed_out(ctx, producer, origin, attempt),
            BrokerPending::SessionSilent { consumer, cut } => self.session_silent(ctx, consumer, cut),
            BrokerPending::Replicate {
                topic,
                partition,
                offset,
                leader_epoch,
            } => self.replicated(ctx, topic, partition, offset, leader_epoch),
        }
    }
}
