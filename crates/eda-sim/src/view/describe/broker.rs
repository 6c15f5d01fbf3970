//! The broker's records as text for people: the verb and subject of each trace line, and the
//! label of each drop reason.

use crate::kernel::names::Names;
use crate::patterns::broker::{BrokerRecord, DropReason, LossReason};

impl DropReason {
    pub fn label(self) -> &'static str {
        match self {
            DropReason::Unroutable => "unroutable",
            DropReason::QueueFull => "queue full",
            DropReason::Overflow => "overflow",
            DropReason::Expired => "expired",
            DropReason::Rejected => "rejected",
            DropReason::DeliveryLimit => "delivery limit",
            DropReason::BrokerDown => "broker down",
            DropReason::Unreachable => "broker unreachable",
        }
    }
}

impl LossReason {
    pub fn label(self) -> &'static str {
        match self {
            LossReason::Link => "the link lost it",
            LossReason::ConsumerDown => "the consumer went down first",
            LossReason::ConnectionLost => "the broker's crash cut the connection",
            LossReason::ProcessingFailed => "its processing failed",
            LossReason::Partition => "a network partition cut it off",
        }
    }
}

impl BrokerRecord {
    pub fn verb(&self) -> &'static str {
        match self {
            BrokerRecord::Published { .. } => "Published",
            BrokerRecord::Refused { .. } => "Refused",
            BrokerRecord::Enqueued { .. } => "Enqueued",
            BrokerRecord::Delivered { .. } => "Delivered",
            BrokerRecord::Handled { .. } => "Handled",
            BrokerRecord::Notified { .. } => "Notified",
            BrokerRecord::Settled { .. } => "Settled",
            BrokerRecord::Requeued { .. } => "Requeued",
            BrokerRecord::SettlementLost { .. } => "Settlement lost",
            BrokerRecord::DeadLettered { .. } => "Dead-lettered",
            BrokerRecord::Dropped { .. } => "Dropped",
            BrokerRecord::Produced { .. } => "Produced",
            BrokerRecord::Fetched { .. } => "Fetched",
            BrokerRecord::Processed { .. } => "Processed",
            BrokerRecord::ProcessedAfterRevoke { .. } => "Processed after revoke",
            BrokerRecord::Committed { .. } => "Committed",
            BrokerRecord::BrokerUnavailable { .. } => "Broker unavailable",
            BrokerRecord::Rebalanced { .. } => "Rebalanced",
            BrokerRecord::Membership { left: false, .. } => "Joined",
            BrokerRecord::Membership { left: true, .. } => "Left",
            BrokerRecord::LinkLost { .. } => "Lost on the link",
            BrokerRecord::LinkDoubled { .. } => "Doubled on the link",
            BrokerRecord::Reordered { .. } => "Arrived out of order",
            BrokerRecord::AutoAcked { .. } => "Auto-acked",
            BrokerRecord::Deduplicated { .. } => "Deduplicated",
            BrokerRecord::Lost { .. } => "Lost",
            BrokerRecord::ChannelClosed { .. } => "Channel closed",
            BrokerRecord::Confirmed { .. } => "Confirmed",
            BrokerRecord::Retried { .. } => "Retried",
            BrokerRecord::GaveUp { .. } => "Gave up",
            BrokerRecord::DuplicateDiscarded { .. } => "Duplicate discarded",
            BrokerRecord::LeaderFailedOver { .. } => "Leader failed over",
            BrokerRecord::Truncated { .. } => "Truncated",
            BrokerRecord::Unreachable { .. } => "Cut off by the partition",
            BrokerRecord::TransactionCommitted { .. } => "Transaction committed",
            BrokerRecord::TransactionAborted { .. } => "Transaction aborted",
            BrokerRecord::AbortedSkipped { .. } => "Skipped aborted record",
        }
    }

    pub fn subject(&self, names: &dyn Names) -> String {
        match self {
            BrokerRecord::Published { message, key, .. } if !key.is_empty() => format!("message #{message} ({key})"),
            BrokerRecord::Published { message, .. } | BrokerRecord::Enqueued { message, .. } => {
                format!("message #{message}")
            }
            BrokerRecord::Refused { reason, .. } => reason.label().to_string(),
            BrokerRecord::Delivered { message, delivery, .. } if *delivery > 1 => {
                format!("message #{message} (redelivery {delivery})")
            }
            BrokerRecord::Handled {
                message, ok, duplicate, ..
            } => format!(
                "message #{message}{}{}",
                if *ok { "" } else { " (failed)" },
                if *duplicate { " — duplicate" } else { "" }
            ),
            BrokerRecord::Settled {
                message, settlement, ..
            } => format!("message #{message}: {settlement:?}").to_ascii_lowercase(),
            BrokerRecord::DeadLettered { message, reason, .. } | BrokerRecord::Dropped { message, reason, .. } => {
                format!("message #{message} ({})", reason.label())
            }
            BrokerRecord::Delivered { message, .. }
            | BrokerRecord::Notified { message, .. }
            | BrokerRecord::Requeued { message, .. }
            | BrokerRecord::SettlementLost { message, .. } => format!("message #{message}"),
            BrokerRecord::Produced {
                partition, offset, key, ..
            } => match key {
                Some(k) => format!("p{partition}@{offset} (key {k})"),
                None => format!("p{partition}@{offset}"),
            },
            BrokerRecord::Fetched { partition, offset, .. }
            | BrokerRecord::ProcessedAfterRevoke { partition, offset, .. } => {
                format!("p{partition}@{offset}")
            }
            BrokerRecord::Processed {
                partition,
                offset,
                duplicate,
                ..
            } => {
                format!("p{partition}@{offset}{}", if *duplicate { " — duplicate" } else { "" })
            }
            BrokerRecord::Committed { partition, offset, .. } => format!("p{partition} → {offset}"),
            BrokerRecord::BrokerUnavailable { .. } => String::new(),
            BrokerRecord::Rebalanced { generation, owners, .. } => {
                let owners: Vec<String> = owners
                    .iter()
                    .enumerate()
                    .map(|(p, o)| format!("p{p}→{}", o.map(|o| names.entity_name(o)).unwrap_or("none")))
                    .collect();
                format!("generation {generation}: {}", owners.join(", "))
            }
            BrokerRecord::Membership { .. } => String::new(),
            BrokerRecord::LinkLost { message, .. }
            | BrokerRecord::Unreachable { message, .. }
            | BrokerRecord::LinkDoubled { message, .. }
            | BrokerRecord::Reordered { message, .. }
            | BrokerRecord::AutoAcked { message, .. } => format!("message #{message}"),
            BrokerRecord::Deduplicated { message, .. } => {
                format!("message #{message} — seen before, not processed again")
            }
            BrokerRecord::Lost { message, reason, .. } => {
                format!("message #{message}, never processed ({})", reason.label())
            }
            BrokerRecord::ChannelClosed { message, .. } => {
                format!("message #{message} unacknowledged past the consumer timeout")
            }
            BrokerRecord::Confirmed { message, .. } => format!("record #{message} acknowledged to its producer"),
            BrokerRecord::Retried { message, attempt, .. } => {
                format!("record #{message}, no acknowledgement in time: sending {attempt}")
            }
            BrokerRecord::GaveUp { message, .. } => {
                format!("record #{message}, retries spent: reported as not sent")
            }
            BrokerRecord::DuplicateDiscarded { message, partition, .. } => {
                format!("record #{message} already in p{partition} (same producer id and sequence)")
            }
            BrokerRecord::LeaderFailedOver {
                partition,
                leader_epoch,
                truncated,
                ..
            } => format!(
                "p{partition}: a follower leads (epoch {leader_epoch}); {truncated} record{} only the old leader had",
                if *truncated == 1 { "" } else { "s" }
            ),
            BrokerRecord::Truncated {
                message,
                partition,
                offset,
                acknowledged,
                ..
            } => format!(
                "message #{message} at p{partition}@{offset}{}",
                if *acknowledged {
                    ", already acknowledged — lost, never processed"
                } else {
                    ""
                }
            ),
            BrokerRecord::TransactionCommitted {
                transaction, records, ..
            } => format!(
                "transaction {transaction}: {records} record{} written and the offsets consumed, together",
                if *records == 1 { "" } else { "s" }
            ),
            BrokerRecord::TransactionAborted {
                transaction,
                records,
                reason,
                ..
            } => format!(
                "transaction {transaction} ({}): its {records} record{} in the log marked aborted; offsets not committed",
                reason.label(),
                if *records == 1 { " stays" } else { "s stay" }
            ),
            BrokerRecord::AbortedSkipped { message, .. } => {
                format!("message #{message}, written by an aborted transaction (read committed)")
            }
        }
    }
}
