//! Kafka-like topics: partitioned append-only logs; producing appends a record to the partition
//! its key (or round-robin) picks and wakes that partition's owner in every group.

use super::Ctx;
use super::{partition_for_key, BrokerRecord, BrokerWorld};
use crate::kernel::ids::EntityId;
use crate::kernel::shared_log::SharedLog;
use crate::kernel::time::SimTime;
use serde_json::{Map, Value};

#[derive(Clone, Debug)]
pub struct Partition {
    pub log: SharedLog<LogEntry>,
}

#[derive(Clone, Debug)]
pub struct LogEntry {
    pub message: u64,
    pub key: Option<String>,
    pub payload: Map<String, Value>,
    pub time: SimTime,
}

#[derive(Clone, Debug)]
pub struct Topic {
    pub entity: EntityId,
    pub partitions: Vec<Partition>,
    pub groups: Vec<usize>,
}

impl BrokerWorld {
    pub(super) fn append_record(
        &mut self,
        ctx: &mut Ctx,
        producer: usize,
        topic: usize,
        key: Option<String>,
        payload: Map<String, Value>,
    ) {
        let partitions = self.topics[topic].partitions.len() as u32;
        let p = &mut self.producers[producer];
        let partition = match &key {
            Some(k) => partition_for_key(k, partitions),
            None => {
                let next = p.next_partition % partitions;
                p.next_partition = (next + 1) % partitions;
                next
            }
        };
        let message = self.next_message;
        self.next_message += 1;
        self.created += 1;
        let t = &mut self.topics[topic];
        let log = &mut t.partitions[partition as usize].log;
        let offset = log.len() as u64;
        log.push(LogEntry {
            message,
            key: key.clone(),
            payload,
            time: ctx.now,
        });
        let topic_entity = t.entity;
        ctx.record(BrokerRecord::Produced {
            message,
            producer: p.entity,
            topic: topic_entity,
            partition,
            offset,
            key,
        });
        // Wake the idle owner of the partition in every group reading this topic.
        let groups = self.topics[topic].groups.clone();
        for g in groups {
            if let Some(owner) = self.groups[g].owners[partition as usize] {
                self.wake(ctx, owner);
            }
        }
    }
}
