//! Kafka-like topics: partitioned append-only logs; producing appends a record to the partition
//! its key (or round-robin) picks, and once every replica has it (at once without followers)
//! wakes that partition's owner in every group.

use super::Ctx;
use super::{partition_for_key, BrokerPending, BrokerRecord, BrokerWorld};
use crate::kernel::collections::IdMap;
use crate::kernel::ids::EntityId;
use crate::kernel::rng::Distribution;
use crate::kernel::shared_log::SharedLog;
use crate::kernel::time::SimTime;
use serde_json::{Map, Value};

#[derive(Clone, Debug, Default)]
pub struct Partition {
    pub log: SharedLog<LogEntry>,
    /// Records every replica has: consumers read only below it (the log's length without
    /// followers).
    pub high_watermark: u64,
    /// Bumped by each leader failover: a follower's copy for an older leader is void.
    pub leader_epoch: u64,
    /// acks all: records appended but not yet on every replica, with whom to acknowledge.
    pub(super) waiting_acks: Vec<(u64, usize, u64)>,
    /// Records of producers that wait for acknowledgements: each producer message id and the
    /// offset of its first copy here (how an idempotent producer's repeat is recognised).
    pub(super) origins: IdMap<u64>,
    /// Records of transactions still open, in offset order, with their transaction: the first
    /// is the last stable offset, where read-committed readers stop.
    pub(super) open_records: std::collections::VecDeque<(u64, u64)>,
}

impl Partition {
    /// Records of transactions still open here.
    pub fn open_records(&self) -> usize {
        self.open_records.len()
    }

    /// Where read-committed readers stop: the first record of a transaction still open, else
    /// the high watermark.
    pub fn last_stable_offset(&self) -> u64 {
        self.open_records
            .front()
            .map_or(self.high_watermark, |&(first, _)| first.min(self.high_watermark))
    }
}

#[derive(Clone, Debug)]
pub struct LogEntry {
    pub message: u64,
    pub key: Option<String>,
    pub payload: Map<String, Value>,
    pub time: SimTime,
    /// For producers that wait for acknowledgements: (producer, the producer's message id),
    /// shared by every copy its retries and its link make.
    pub origin: Option<(usize, u64)>,
    /// For records a read-process-write member wrote: the id shared by every record written
    /// for one input record (a member that processes it again writes it again).
    pub derived: Option<u64>,
    /// The transaction that wrote it, if one did.
    pub transaction: Option<u64>,
}

impl LogEntry {
    /// A record as its writer hands it over (its time is set when it is appended).
    pub(super) fn new(message: u64, key: Option<String>, payload: Map<String, Value>) -> Self {
        LogEntry {
            message,
            key,
            payload,
            time: SimTime::ZERO,
            origin: None,
            derived: None,
            transaction: None,
        }
    }

    /// Written by a producer that waits for acknowledgements, under its id `id` for it.
    pub(super) fn written_by_producer(mut self, producer: usize, id: u64) -> Self {
        self.origin = Some((producer, id));
        self
    }

    /// The id that says which copies are one record: the producer's id for it, if its producer
    /// waits for acknowledgements (retries make copies), or the id shared by what a
    /// read-process-write member wrote for one input record; else the record's own.
    pub fn record_id(&self) -> u64 {
        self.origin.map(|(_, id)| id).or(self.derived).unwrap_or(self.message)
    }

    /// Whether other records may be copies of it (see [`LogEntry::record_id`]).
    pub fn has_copies(&self) -> bool {
        self.origin.is_some() || self.derived.is_some()
    }
}

#[derive(Clone, Debug)]
pub struct Topic {
    pub entity: EntityId,
    pub partitions: Vec<Partition>,
    pub groups: Vec<usize>,
    pub replicas: u32,
    pub replication_delay: Distribution,
    /// Records a leader failover removed before every replica had them.
    pub truncated: u64,
    pub failovers: u64,
    /// The body field its readers add up (the first member that names one), and what the
    /// records its producers count as written add up to: the total its readers should reach.
    pub sum_field: Option<String>,
    pub sum_expected: f64,
    /// What the records its producers count as written and no copy of which is left add up to.
    pub sum_lost: f64,
}

impl BrokerWorld {
    /// A new message id (a queue copy's, a record's, or a producer's id for a record).
    pub(super) fn take_message_id(&mut self) -> u64 {
        self.next_message += 1;
        self.next_message - 1
    }

    /// The partition a producer's next record goes to: its key's, or the next in turn.
    pub(super) fn pick_partition(&mut self, producer: usize, topic: usize, key: Option<&str>) -> u32 {
        let partitions = self.topics[topic].partitions.len() as u32;
        let p = &mut self.producers[producer];
        match key {
            Some(k) => partition_for_key(k, partitions),
            None => {
                let next = p.next_partition % partitions;
                p.next_partition = (next + 1) % partitions;
                next
            }
        }
    }

    pub(super) fn append_record(
        &mut self,
        ctx: &mut Ctx,
        producer: usize,
        topic: usize,
        key: Option<String>,
        payload: Map<String, Value>,
    ) {
        let partition = self.pick_partition(producer, topic, key.as_deref());
        let message = self.take_message_id();
        self.count_expected(topic, &payload);
        let by = self.producers[producer].entity;
        self.append_at(ctx, by, (topic, partition), LogEntry::new(message, key, payload));
    }

    /// A record its producer counts as written (accepted, acknowledged, or sent with acks none)
    /// adds to what the topic's readers should add up to.
    pub(super) fn count_expected(&mut self, topic: usize, payload: &Map<String, Value>) {
        let t = &mut self.topics[topic];
        if let Some(x) = t.sum_field.as_deref().and_then(|f| super::consumer::amount(payload, f)) {
            t.sum_expected += x;
        }
    }

    /// A record its producer counts as written is lost (`sign` 1.0), or found again (-1.0).
    pub(super) fn count_lost(&mut self, topic: usize, payload: &Map<String, Value>, sign: f64) {
        let t = &mut self.topics[topic];
        if let Some(x) = t.sum_field.as_deref().and_then(|f| super::consumer::amount(payload, f)) {
            t.sum_lost += sign * x;
        }
    }

    /// Appends a record written by `by` (a producer, or a read-process-write member) to a
    /// partition of a topic and returns its offset. Without followers it is readable at once;
    /// with them, once they have copied it.
    pub(super) fn append_at(
        &mut self,
        ctx: &mut Ctx,
        by: EntityId,
        (topic, partition): (usize, u32),
        mut entry: LogEntry,
    ) -> u64 {
        self.created += 1;
        let t = &mut self.topics[topic];
        let part = &mut t.partitions[partition as usize];
        let offset = part.log.len() as u64;
        entry.time = ctx.now;
        let (message, key, origin) = (entry.message, entry.key.clone(), entry.origin);
        if let Some(tx) = entry.transaction {
            part.open_records.push_back((offset, tx));
        }
        part.log.push(entry);
        if let Some((_, id)) = origin {
            if !part.origins.contains_key(&id) {
                part.origins.insert(id, offset);
            }
        }
        ctx.record(BrokerRecord::Produced {
            message,
            producer: by,
            topic: t.entity,
            partition,
            offset,
            key,
        });
        if t.replicas > 1 {
            let leader_epoch = part.leader_epoch;
            let after = t.replication_delay.sample(ctx.rng());
            ctx.schedule(
                after,
                BrokerPending::Replicate {
                    topic,
                    partition,
                    offset,
                    leader_epoch,
                },
            );
        } else {
            part.high_watermark = offset + 1;
            self.wake_owners(ctx, topic, partition);
        }
        offset
    }

    /// Wakes the idle owner of the partition in every group reading this topic.
    pub(super) fn wake_owners(&mut self, ctx: &mut Ctx, topic: usize, partition: u32) {
        for i in 0..self.topics[topic].groups.len() {
            let g = self.topics[topic].groups[i];
            if let Some(owner) = self.groups[g].owners[partition as usize] {
                self.wake(ctx, owner);
            }
        }
    }
}
