//! Trace records in the reader's language, for the event log, the inspector and the timeline's
//! hovers: what happened (the verb) and what it is about (the subject). The core words them in
//! English for the CLI and for lessons' goals (`view/describe/`); the page words them here, one
//! catalogue message per kind of subject. A test keeps the English catalogue saying exactly
//! what the core says, record by record, over every example's run.

use super::core_words::{id_of, or_written};
use crate::tr;
use eda_sim::kernel::names::Names;
use eda_sim::patterns::broker::{AbortReason, BrokerRecord, DropReason, LossReason, Settlement};
use eda_sim::patterns::discovery::DiscoveryRecord;
use eda_sim::patterns::event_bus::BusRecord;
use eda_sim::patterns::event_store::StoreRecord;
use eda_sim::patterns::request_reply::{Leg, Operation, Outcome, RpcRecord};
use eda_sim::trace::{FaultRecord, TraceKind};

/// What happened, in a word or two (`Delivered`, `Lost on the link`).
pub fn verb(kind: &TraceKind) -> String {
    verb_words(kind.verb())
}

/// A verb as the core names it (a lesson's goal names one too), in the reader's language.
pub fn verb_words(english: &str) -> String {
    or_written(&id_of("verb", english), english)
}

/// Words that the records of one kind of outcome share, to find them in the event log (a
/// card's counter opens them): each is part of those records' verb or subject in the same
/// language (a test keeps the Chinese ones so).
pub fn find(needle: &str) -> String {
    or_written(&id_of("find", needle), needle)
}

/// Why the broker dropped or refused a message (`queue full`).
pub fn drop_reason(reason: DropReason) -> String {
    or_written(&id_of("drop", reason.label()), reason.label())
}

fn loss_reason(reason: LossReason) -> String {
    or_written(&id_of("loss", reason.label()), reason.label())
}

fn abort_reason(reason: AbortReason) -> String {
    or_written(&id_of("abort", reason.label()), reason.label())
}

/// A service discovery error as the trace records it (`Name not found`).
fn discovery_error(error: &str) -> String {
    or_written(&id_of("discovery-error", error), error)
}

/// What a record is about (a message, an event, a request…), in words.
pub fn subject(kind: &TraceKind, names: &dyn Names) -> String {
    match kind {
        TraceKind::Bus(r) => bus(r, names),
        TraceKind::Rpc(r) => rpc(r),
        TraceKind::Broker(r) => broker(r, names),
        TraceKind::Discovery(r) => discovery(r),
        TraceKind::Store(r) => store(r),
        TraceKind::Fault(FaultRecord::Partitioned { sides } | FaultRecord::Healed { sides }) => sides
            .iter()
            .enumerate()
            .map(|(i, side)| {
                let names: Vec<&str> = side.iter().map(|&e| names.entity_name(e)).collect();
                match (i, names.is_empty()) {
                    (0, true) => tr!("subject-everyone-else"),
                    (0, false) => tr!("subject-and-everyone-else", names = names.join(", ")),
                    _ => names.join(", "),
                }
            })
            .collect::<Vec<_>>()
            .join(" | "),
        TraceKind::Fault(_) => String::new(),
    }
}

fn bus(r: &BusRecord, names: &dyn Names) -> String {
    // An event type and its number are the scenario's words: as the core writes them.
    r.subject(names)
}

fn message(id: u64) -> String {
    tr!("subject-message", message = id)
}

fn broker(r: &BrokerRecord, names: &dyn Names) -> String {
    match r {
        BrokerRecord::Published { message: m, key, .. } if !key.is_empty() => {
            tr!("subject-message-key", message = *m, key = key.clone())
        }
        BrokerRecord::Published { message: m, .. } | BrokerRecord::Enqueued { message: m, .. } => message(*m),
        BrokerRecord::Refused { reason, .. } => drop_reason(*reason),
        BrokerRecord::Delivered {
            message: m, delivery, ..
        } if *delivery > 1 => {
            tr!("subject-redelivery", message = *m, delivery = *delivery)
        }
        BrokerRecord::Handled {
            message: m,
            ok,
            duplicate,
            ..
        } => tr!(
            match (*ok, *duplicate) {
                (true, false) => "subject-message",
                (false, false) => "subject-handled-failed",
                (true, true) => "subject-handled-duplicate",
                (false, true) => "subject-handled-failed-duplicate",
            },
            message = *m
        ),
        BrokerRecord::Settled {
            message: m, settlement, ..
        } => tr!(
            match settlement {
                Settlement::Ack => "subject-settled-ack",
                Settlement::Requeue => "subject-settled-requeue",
                Settlement::Reject => "subject-settled-reject",
            },
            message = *m
        ),
        BrokerRecord::DeadLettered { message: m, reason, .. } | BrokerRecord::Dropped { message: m, reason, .. } => {
            tr!("subject-message-reason", message = *m, reason = drop_reason(*reason))
        }
        BrokerRecord::Delivered { message: m, .. }
        | BrokerRecord::Notified { message: m, .. }
        | BrokerRecord::Requeued { message: m, .. }
        | BrokerRecord::SettlementLost { message: m, .. } => message(*m),
        BrokerRecord::Produced {
            partition,
            offset,
            key: Some(k),
            ..
        } => tr!(
            "subject-produced-key",
            partition = *partition,
            offset = *offset,
            key = k.clone()
        ),
        BrokerRecord::Produced { partition, offset, .. }
        | BrokerRecord::Fetched { partition, offset, .. }
        | BrokerRecord::ProcessedAfterRevoke { partition, offset, .. } => format!("p{partition}@{offset}"),
        BrokerRecord::Processed {
            partition,
            offset,
            duplicate: true,
            ..
        } => tr!("subject-processed-duplicate", partition = *partition, offset = *offset),
        BrokerRecord::Processed { partition, offset, .. } => format!("p{partition}@{offset}"),
        BrokerRecord::Committed { partition, offset, .. } => format!("p{partition} → {offset}"),
        BrokerRecord::BrokerUnavailable { .. } | BrokerRecord::Membership { .. } => String::new(),
        BrokerRecord::Rebalanced { generation, owners, .. } => {
            let owners: Vec<String> = owners
                .iter()
                .enumerate()
                .map(|(p, o)| {
                    format!(
                        "p{p}→{}",
                        o.map_or_else(|| tr!("subject-no-owner"), |o| names.entity_name(o).to_string())
                    )
                })
                .collect();
            tr!(
                "subject-rebalanced",
                generation = *generation,
                owners = owners.join(", ")
            )
        }
        BrokerRecord::LinkLost { message: m, .. }
        | BrokerRecord::Unreachable { message: m, .. }
        | BrokerRecord::LinkDoubled { message: m, .. }
        | BrokerRecord::Reordered { message: m, .. }
        | BrokerRecord::AutoAcked { message: m, .. } => message(*m),
        BrokerRecord::Deduplicated { message: m, .. } => tr!("subject-deduplicated", message = *m),
        BrokerRecord::Lost { message: m, reason, .. } => {
            tr!("subject-lost", message = *m, reason = loss_reason(*reason))
        }
        BrokerRecord::ChannelClosed { message: m, .. } => tr!("subject-channel-closed", message = *m),
        BrokerRecord::Confirmed { message: m, .. } => tr!("subject-confirmed", message = *m),
        BrokerRecord::Retried {
            message: m, attempt, ..
        } => {
            tr!("subject-retried", message = *m, attempt = *attempt)
        }
        BrokerRecord::GaveUp { message: m, .. } => tr!("subject-gave-up", message = *m),
        BrokerRecord::DuplicateDiscarded {
            message: m, partition, ..
        } => tr!("subject-duplicate-discarded", message = *m, partition = *partition),
        BrokerRecord::LeaderFailedOver {
            partition,
            leader_epoch,
            truncated,
            ..
        } => tr!(
            "subject-failed-over",
            partition = *partition,
            epoch = *leader_epoch,
            truncated = *truncated
        ),
        BrokerRecord::Truncated {
            message: m,
            partition,
            offset,
            acknowledged,
            ..
        } => tr!(
            if *acknowledged {
                "subject-truncated-acknowledged"
            } else {
                "subject-truncated"
            },
            message = *m,
            partition = *partition,
            offset = *offset
        ),
        BrokerRecord::TransactionCommitted {
            transaction, records, ..
        } => tr!(
            "subject-transaction-committed",
            transaction = *transaction,
            records = *records
        ),
        BrokerRecord::TransactionAborted {
            transaction,
            records,
            reason,
            ..
        } => tr!(
            "subject-transaction-aborted",
            transaction = *transaction,
            records = *records,
            reason = abort_reason(*reason)
        ),
        BrokerRecord::AbortedSkipped { message: m, .. } => tr!("subject-aborted-skipped", message = *m),
    }
}

fn request(request: u64, leg: &Leg) -> String {
    match leg {
        Leg::Request => tr!("subject-request", request = request),
        Leg::Answer => tr!("subject-answer", request = request),
    }
}

fn rpc(r: &RpcRecord) -> String {
    match r {
        RpcRecord::Sent {
            request,
            operation,
            attempt,
            ..
        } => {
            let op = match operation {
                Operation::Call => tr!("subject-op-call"),
                Operation::CreateOrder => "POST /orders".to_string(),
                Operation::ConfirmOrder { order, .. } => tr!("subject-op-confirm", order = *order),
            };
            if *attempt > 1 {
                tr!("subject-sent-attempt", request = *request, op = op, attempt = *attempt)
            } else {
                tr!("subject-sent", request = *request, op = op)
            }
        }
        RpcRecord::Responded { request, outcome, .. } | RpcRecord::Received { request, outcome, .. } => {
            let outcome = match outcome {
                Outcome::Ok => "outcome-ok",
                Outcome::OrderCreated { .. } => "outcome-order-created",
                Outcome::OrderPaid { .. } => "outcome-order-paid",
                Outcome::OrderExpired { .. } => "outcome-order-expired",
                Outcome::WrongCode { .. } => "outcome-wrong-code",
                Outcome::Rejected => "outcome-rejected",
                Outcome::Refused => "outcome-refused",
            };
            tr!("subject-outcome", request = *request, outcome = tr!(outcome))
        }
        RpcRecord::Arrived { request: q, .. }
        | RpcRecord::Queued { request: q, .. }
        | RpcRecord::Started { request: q, .. }
        | RpcRecord::TimedOut { request: q, .. }
        | RpcRecord::LateResponse { request: q, .. }
        | RpcRecord::Lost { request: q, .. } => request(*q, &Leg::Request),
        RpcRecord::LinkLost { request: q, leg, .. } | RpcRecord::Unreachable { request: q, leg, .. } => {
            request(*q, leg)
        }
        RpcRecord::LinkDoubled { request: q, copy, .. } if copy != q => {
            tr!("subject-doubled-request", request = *q, copy = *copy)
        }
        RpcRecord::LinkDoubled { request: q, .. } => request(*q, &Leg::Answer),
        RpcRecord::DuplicateOrder { order, first, .. } => {
            tr!("subject-duplicate-order", order = *order, first = *first)
        }
        RpcRecord::IdempotentReplay { order, .. } => tr!("subject-idempotent-replay", order = *order),
        RpcRecord::EventLost { order, event, .. } => {
            tr!("subject-event-lost", event = event.name(), order = *order)
        }
        RpcRecord::EventInvented { order, event, .. } => {
            tr!("subject-event-invented", event = event.name(), order = *order)
        }
        RpcRecord::RelayPublished {
            order, event, again, ..
        } => tr!(
            if *again { "subject-relay-again" } else { "subject-relay" },
            event = event.name(),
            order = *order
        ),
    }
}

fn discovery(r: &DiscoveryRecord) -> String {
    let english = || r.subject(&NoNames);
    match r {
        DiscoveryRecord::Refused {
            name, endpoint, error, ..
        } => format!("{name} → {endpoint}: {}", discovery_error(error)),
        DiscoveryRecord::Deregistered { name, removed, .. } => {
            tr!(
                if *removed {
                    "subject-deregistered"
                } else {
                    "subject-not-held"
                },
                name = name.clone()
            )
        }
        DiscoveryRecord::Expired {
            name, last_heartbeat, ..
        } => tr!("subject-expired", name = name.clone(), at = last_heartbeat.to_string()),
        DiscoveryRecord::ProviderFailed { name, error, .. }
        | DiscoveryRecord::LookupFailed { name, error, .. }
        | DiscoveryRecord::WatchFailed { name, error, .. } => format!("{name}: {}", discovery_error(error)),
        DiscoveryRecord::Notify {
            name, endpoint: None, ..
        }
        | DiscoveryRecord::Notified {
            name, endpoint: None, ..
        } => tr!("subject-gone", name = name.clone()),
        DiscoveryRecord::Served {
            name,
            operation,
            known: false,
            ..
        } => format!(
            "{name}.{operation}: {}",
            discovery_error(eda_sim::patterns::discovery::UNKNOWN_OPERATION)
        ),
        DiscoveryRecord::CallFailed {
            name, operation, error, ..
        } => format!("{name}.{operation}: {}", discovery_error(error)),
        // The rest are names, endpoints, operations and payloads: the scenario's words.
        _ => english(),
    }
}

fn store(r: &StoreRecord) -> String {
    match r {
        StoreRecord::Conflict {
            stream,
            expected,
            actual,
            ..
        } => tr!(
            "subject-conflict",
            stream = stream.clone(),
            expected = *expected,
            actual = *actual
        ),
        StoreRecord::Snapshot { stream, version, .. } => {
            tr!("subject-snapshot", stream = stream.clone(), version = *version)
        }
        StoreRecord::NotPublished {
            stream,
            version,
            event_type,
            ..
        } => tr!(
            "subject-not-published",
            stream = stream.clone(),
            version = *version,
            event_type = event_type.clone(),
            quoted = format!("{event_type:?}")
        ),
        StoreRecord::DuplicateIgnored { position, .. } => tr!("subject-already-applied", position = *position),
        StoreRecord::RebuildStarted { discarded, .. } => tr!("subject-rebuild-started", discarded = *discarded),
        StoreRecord::RebuildFinished { replayed, .. } => tr!("subject-rebuilt", replayed = *replayed),
        StoreRecord::PublishLost {
            stream,
            version,
            event_type,
            ..
        } => tr!(
            "subject-publish-lost",
            stream = stream.clone(),
            version = *version,
            event_type = event_type.clone()
        ),
        StoreRecord::PublishDoubled {
            stream,
            version,
            event_type,
            ..
        } => tr!(
            "subject-publish-doubled",
            stream = stream.clone(),
            version = *version,
            event_type = event_type.clone()
        ),
        // A stream, its version and event type: the scenario's words.
        _ => r.subject(&NoNames),
    }
}

/// Discovery and event-store subjects name no entity: the core's words need no names.
struct NoNames;

impl Names for NoNames {
    fn entity_name(&self, _: eda_sim::EntityId) -> &str {
        ""
    }
    fn event_type_name(&self, _: eda_sim::EventTypeId) -> &str {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::super::{set, Lang};
    use super::*;

    /// Every record of every example, in English, reads as the core words it; in Chinese, no
    /// verb is left in English.
    #[test]
    fn the_english_catalogue_words_every_record_as_the_core_does() {
        for preset in eda_sim::view::presets::PRESETS {
            let scenario = eda_sim::Scenario::from_json(preset.json).expect("an example reads");
            let mut sim = eda_sim::Sim::new(&scenario).expect("an example runs");
            sim.run_until(eda_sim::SimTime(60_000_000)).expect("runs");
            for record in sim.trace().records() {
                set(Lang::En);
                assert_eq!(verb(&record.kind), record.kind.verb(), "{}", preset.id);
                assert_eq!(subject(&record.kind, &sim), record.kind.subject(&sim), "{}", preset.id);
                set(Lang::Zh);
                assert_ne!(verb(&record.kind), record.kind.verb(), "{}", preset.id);
            }
        }
        set(Lang::En);
    }

    /// Each Chinese needle of the cards' counters is part of a Chinese verb or subject.
    #[test]
    fn every_needle_is_part_of_a_record_in_its_language() {
        let zh = super::super::CHINESE;
        let words: Vec<&str> = zh
            .lines()
            .filter(|l| l.starts_with("verb-") || l.starts_with("subject-") || l.starts_with("   "))
            .collect();
        let needles: Vec<&str> = zh.lines().filter(|l| l.starts_with("find-")).collect();
        assert!(needles.len() >= 20);
        for line in needles {
            let needle = line.split_once(" = ").map_or("", |(_, text)| text);
            assert!(words.iter().any(|w| w.contains(needle)), "{line}");
        }
    }
}
