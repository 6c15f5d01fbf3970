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
    /// A network partition cut the producer off from the broker.
    Unreachable,
}

/// Why an acknowledged message was never processed (at-most-once consumers only: the broker
/// forgot it when it sent it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LossReason {
    /// The link to the consumer lost the delivery.
    Link,
    /// The consumer crashed (or its channel was closed) before processing it.
    ConsumerDown,
    /// The broker's crash dropped the consumer's connection and what it had not yet processed.
    ConnectionLost,
    /// Its processing failed, and an acknowledged message cannot be tried again.
    ProcessingFailed,
    /// A network partition cut the consumer off from the broker.
    Partition,
}

/// Why a transaction was aborted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AbortReason {
    /// Its member crashed and stayed silent until the transaction timed out (the group's
    /// session timeout here), or was cut off as long.
    TimedOut,
    /// Its member came back (a new incarnation fences the old one's transaction), or a zombie's
    /// commit carried a group generation that is no longer current.
    Fenced,
    /// The broker crashed.
    BrokerDown,
    /// A leader failover removed records it had written.
    LeaderFailedOver,
    /// A network partition cut its member off from the broker while it wrote.
    CutOff,
}

impl AbortReason {
    pub fn label(self) -> &'static str {
        match self {
            AbortReason::TimedOut => "its member was silent until it timed out",
            AbortReason::Fenced => "its member was fenced",
            AbortReason::BrokerDown => "the broker crashed",
            AbortReason::LeaderFailedOver => "a leader failover removed its records",
            AbortReason::CutOff => "its member was cut off from the broker",
        }
    }
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
    // Delivery guarantees and link faults (issue #15). New records go last: a record's variant
    // index is part of the trace hash.
    /// The link lost a delivery (queue → consumer) or a settlement (consumer → queue).
    LinkLost { message: u64, from: EntityId, to: EntityId },
    /// The link delivered a delivery or a settlement twice.
    LinkDoubled { message: u64, from: EntityId, to: EntityId },
    /// A delivery reached its consumer after one the broker sent later.
    Reordered { message: u64, consumer: EntityId },
    /// At-most-once: the broker counted the delivery as acknowledged when it sent it.
    AutoAcked {
        message: u64,
        queue: EntityId,
        consumer: EntityId,
    },
    /// An idempotent consumer found the message's id in its dedupe store: acknowledged, not
    /// processed again.
    Deduplicated { message: u64, consumer: EntityId },
    /// An acknowledged message will never be processed.
    Lost {
        message: u64,
        consumer: EntityId,
        reason: LossReason,
    },
    /// The broker closed a consumer's channel: a delivery stayed unacknowledged past the
    /// queue's consumer timeout. What the consumer held goes back to the queue.
    ChannelClosed {
        message: u64,
        queue: EntityId,
        consumer: EntityId,
    },
    /// A producer heard that the broker has its record (`message`: the producer's id for it,
    /// which every copy its retries make shares).
    Confirmed { message: u64, producer: EntityId },
    /// No acknowledgement came within the request timeout: the producer sends the record again.
    Retried {
        message: u64,
        producer: EntityId,
        attempt: u32,
    },
    /// The producer's retries ran out: it reports the record as not sent.
    GaveUp { message: u64, producer: EntityId },
    /// An idempotent producer's record the partition already has (same producer id and
    /// sequence): the copy is discarded, and acknowledged.
    DuplicateDiscarded {
        message: u64,
        producer: EntityId,
        topic: EntityId,
        partition: u32,
    },
    /// A partition's leader failed and an in-sync follower took over; the records past the high
    /// watermark, which only the old leader had, are gone.
    LeaderFailedOver {
        topic: EntityId,
        partition: u32,
        leader_epoch: u64,
        truncated: u64,
    },
    /// A failover removed this record before every replica had it. `acknowledged`: its producer
    /// was told it was written (acks leader) and has no other copy: it is lost.
    Truncated {
        message: u64,
        topic: EntityId,
        partition: u32,
        offset: u64,
        acknowledged: bool,
    },
    /// A network partition stopped a delivery, a settlement, a record or an acknowledgement
    /// between `from` and `to`.
    Unreachable { message: u64, from: EntityId, to: EntityId },
    /// A read-process-write member committed its transaction: the `records` it wrote and the
    /// offsets it consumed, together.
    TransactionCommitted {
        consumer: EntityId,
        transaction: u64,
        records: u32,
    },
    /// A member's transaction was aborted: the `records` it wrote stay in the log, marked
    /// aborted, and its offsets were not committed.
    TransactionAborted {
        consumer: EntityId,
        transaction: u64,
        records: u32,
        reason: AbortReason,
    },
    /// A read-committed member passed over a record of an aborted transaction.
    AbortedSkipped { message: u64, consumer: EntityId },
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
            BrokerRecord::LinkLost { from, to, .. } | BrokerRecord::LinkDoubled { from, to, .. } => (from, Some(to)),
            BrokerRecord::Reordered { consumer, .. }
            | BrokerRecord::Deduplicated { consumer, .. }
            | BrokerRecord::Lost { consumer, .. } => (consumer, None),
            BrokerRecord::AutoAcked { queue, consumer, .. } => (queue, Some(consumer)),
            BrokerRecord::ChannelClosed { queue, consumer, .. } => (queue, Some(consumer)),
            BrokerRecord::Confirmed { producer, .. }
            | BrokerRecord::Retried { producer, .. }
            | BrokerRecord::GaveUp { producer, .. } => (producer, None),
            BrokerRecord::DuplicateDiscarded { producer, topic, .. } => (producer, Some(topic)),
            BrokerRecord::LeaderFailedOver { topic, .. } | BrokerRecord::Truncated { topic, .. } => (topic, None),
            BrokerRecord::Unreachable { from, to, .. } => (from, Some(to)),
            BrokerRecord::TransactionCommitted { consumer, .. }
            | BrokerRecord::TransactionAborted { consumer, .. }
            | BrokerRecord::AbortedSkipped { consumer, .. } => (consumer, None),
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
            | BrokerRecord::ProcessedAfterRevoke { message, .. }
            | BrokerRecord::LinkLost { message, .. }
            | BrokerRecord::LinkDoubled { message, .. }
            | BrokerRecord::Reordered { message, .. }
            | BrokerRecord::AutoAcked { message, .. }
            | BrokerRecord::Deduplicated { message, .. }
            | BrokerRecord::Lost { message, .. }
            | BrokerRecord::ChannelClosed { message, .. }
            | BrokerRecord::Confirmed { message, .. }
            | BrokerRecord::Retried { message, .. }
            | BrokerRecord::GaveUp { message, .. }
            | BrokerRecord::DuplicateDiscarded { message, .. }
            | BrokerRecord::Truncated { message, .. }
            | BrokerRecord::Unreachable { message, .. }
            | BrokerRecord::AbortedSkipped { message, .. } => Some(message),
            BrokerRecord::LeaderFailedOver { .. }
            | BrokerRecord::Refused { .. }
            | BrokerRecord::Committed { .. }
            | BrokerRecord::BrokerUnavailable { .. }
            | BrokerRecord::Rebalanced { .. }
            | BrokerRecord::Membership { .. }
            | BrokerRecord::TransactionCommitted { .. }
            | BrokerRecord::TransactionAborted { .. } => None,
        }
    }
}
