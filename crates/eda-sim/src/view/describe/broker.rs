//! The broker's records as text for people: the verb and subject of each trace line, and the
//! label of each drop reason.

use crate::kernel::names::Names;
use crate::patterns::broker::{BrokerRecord, DropReason};

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
        }
    }
}
