//! What the broker writes in the trace: one record per step a message or a group takes, with the
//! reasons a message can leave and the ways a consumer settles a delivery.

use crate::kernel::ids::EntityId;
use serde::Serialize;

/// Why a message left without being processed successfully.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// No binding matched the routing key.
    Unroutable,
    /// The queue was full (reject-publish).
    QueueFull,
    /// The queue was full and this was its oldest message (drop-head).
    Overflow,
    /// It waited longer than the queue's message TTL.
    Expired,
    /// A consumer rejected it without requeue.
    Rejected,
    /// It was requeued more often than the queue's delivery limit.
    DeliveryLimit,
    /// The broker was down when it was published.
    BrokerDown,
}

/// How a consumer settled a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    Ack,
    Requeue,
    Reject,
}

/// What the broker records in the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokerRecord {
    /// A producer published a message (to an exchange or a queue).
    Published {
        message: u64,
        producer: EntityId,
        to: EntityId,
        key: String,
    },
    /// The broker refused a publish or a produce (`reason`); the producer is told.
    Refused {
        producer: EntityId,
        to: EntityId,
        reason: DropReason,
    },
    /// The message is waiting in the queue; `depth` messages are ready there now.
    Enqueued { message: u64, queue: EntityId, depth: u32 },
    /// The broker sent the message to a consumer (redelivered: not its first delivery).
    Delivered {
        message: u64,
        queue: EntityId,
        consumer: EntityId,
        delivery: u32,
    },
    /// The consumer finished processing it (`ok` false: processing failed); `duplicate`: it was processed before.
    Handled {
        message: u64,
        consumer: EntityId,
        ok: bool,
        duplicate: bool,
    },
    /// The consumer's notification rule matched the message body.
    Notified { message: u64, consumer: EntityId },
    /// The broker received the consumer's ack, nack (requeue) or reject.
    Settled {
        message: u64,
        queue: EntityId,
        consumer: EntityId,
        settlement: Settlement,
    },
    /// The message went back to the head of its queue (nack, or its consumer or the broker failed).
    Requeued { message: u64, queue: EntityId },
    /// An ack or nack found no delivery to settle (its consumer or the broker crashed meanwhile).
    SettlementLost { message: u64, consumer: EntityId },
    /// The message moved to a dead-letter queue.
    DeadLettered {
        message: u64,
        from: EntityId,
        to: EntityId,
        reason: DropReason,
    },
    /// The message left the system for good, for this reason.
    Dropped {
        message: u64,
        at: EntityId,
        reason: DropReason,
    },
    /// A record was appended to a partition of a topic.
    Produced {
        message: u64,
        producer: EntityId,
        topic: EntityId,
        partition: u32,
        offset: u64,
        key: Option<String>,
    },
    /// A group member fetched a record (`message`: the record's message id).
    Fetched {
        message: u64,
        consumer: EntityId,
        topic: EntityId,
        partition: u32,
        offset: u64,
    },
    /// A group member processed a record; `duplicate`: the group had processed it before.
    Processed {
        message: u64,
        consumer: EntityId,
        partition: u32,
        offset: u64,
        duplicate: bool,
    },
    /// A member finished a record of a partition it no longer owns: its offset is not committed.
    ProcessedAfterRevoke {
        message: u64,
        consumer: EntityId,
        partition: u32,
        offset: u64,
    },
    /// The group committed `offset` (the next record to read) for a partition.
    Committed {
        group: EntityId,
        partition: u32,
        offset: u64,
    },
    /// A commit or fetch failed because the broker was down.
    BrokerUnavailable { consumer: EntityId },
    /// The group's partitions were (re)assigned; `owners[p]` owns partition p.
    Rebalanced {
        group: EntityId,
        generation: u64,
        owners: Vec<Option<EntityId>>,
    },
    /// A member joined or left its group (`left` false: joined).
    Membership {
        group: EntityId,
        consumer: EntityId,
        left: bool,
    },
}

impl BrokerRecord {
    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            BrokerRecord::Published { producer, to, .. } | BrokerRecord::Refused { producer, to, .. } => {
                (producer, Some(to))
            }
            BrokerRecord::Enqueued { queue, .. } | BrokerRecord::Requeued { queue, .. } => (queue, None),
            BrokerRecord::Delivered { queue, consumer, .. } => (queue, Some(consumer)),
            BrokerRecord::Handled { consumer, .. }
            | BrokerRecord::Notified { consumer, .. }
            | BrokerRecord::SettlementLost { consumer, .. }
            | BrokerRecord::Processed { consumer, .. }
            | BrokerRecord::ProcessedAfterRevoke { consumer, .. }
            | BrokerRecord::BrokerUnavailable { consumer } => (consumer, None),
            BrokerRecord::Settled { queue, consumer, .. } => (consumer, Some(queue)),
            BrokerRecord::DeadLettered { from, to, .. } => (from, Some(to)),
            BrokerRecord::Dropped { at, .. } => (at, None),
            BrokerRecord::Produced { producer, topic, .. } => (producer, Some(topic)),
            BrokerRecord::Fetched { consumer, topic, .. } => (topic, Some(consumer)),
            BrokerRecord::Committed { group, .. } | BrokerRecord::Rebalanced { group, .. } => (group, None),
            BrokerRecord::Membership { group, consumer, .. } => (consumer, Some(group)),
        }
    }

    /// The message this record is about, if any (queue copies and topic records alike).
    pub fn message(&self) -> Option<u64> {
        match *self {
            BrokerRecord::Published { message, .. }
            | BrokerRecord::Enqueued { message, .. }
            | BrokerRecord::Delivered { message, .. }
            | BrokerRecord::Handled { message, .. }
            | BrokerRecord::Notified { message, .. }
            | BrokerRecord::Settled { message, .. }
            | BrokerRecord::Requeued { message, .. }
            | BrokerRecord::SettlementLost { message, .. }
            | BrokerRecord::DeadLettered { message, .. }
            | BrokerRecord::Dropped { message, .. }
            | BrokerRecord::Produced { message, .. }
            | BrokerRecord::Fetched { message, .. }
            | BrokerRecord::Processed { message, .. }
            | BrokerRecord::ProcessedAfterRevoke { message, .. } => Some(message),
            BrokerRecord::Refused { .. }
            | BrokerRecord::Committed { .. }
            | BrokerRecord::BrokerUnavailable { .. }
            | BrokerRecord::Rebalanced { .. }
            | BrokerRecord::Membership { .. } => None,
        }
    }
}
