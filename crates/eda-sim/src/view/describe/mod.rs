//! Records in words: a short verb for each record and what it is about, for the event log and
//! the inspector. Display text only; the simulation never reads it.

mod broker;
mod discovery;
mod event_bus;
mod event_store;
mod request_reply;

use crate::kernel::names::Names;
use crate::trace::{FaultRecord, TraceKind};

impl TraceKind {
    /// A short verb naming what happened, as shown in the event log.
    pub fn verb(&self) -> &'static str {
        match self {
            TraceKind::Bus(r) => r.verb(),
            TraceKind::Rpc(r) => r.verb(),
            TraceKind::Broker(r) => r.verb(),
            TraceKind::Discovery(r) => r.verb(),
            TraceKind::Store(r) => r.verb(),
            TraceKind::Fault(FaultRecord::Crashed { .. }) => "Crashed",
            TraceKind::Fault(FaultRecord::Restarted { .. }) => "Restarted",
            TraceKind::Fault(FaultRecord::Partitioned { .. }) => "Network partitioned",
            TraceKind::Fault(FaultRecord::Healed { .. }) => "Network healed",
        }
    }

    /// What the record is about (a message, an event, a request…), in words.
    pub fn subject(&self, names: &dyn Names) -> String {
        match self {
            TraceKind::Bus(r) => r.subject(names),
            TraceKind::Rpc(r) => r.subject(names),
            TraceKind::Broker(r) => r.subject(names),
            TraceKind::Discovery(r) => r.subject(names),
            TraceKind::Store(r) => r.subject(names),
            TraceKind::Fault(FaultRecord::Partitioned { sides } | FaultRecord::Healed { sides }) => sides
                .iter()
                .enumerate()
                .map(|(i, side)| {
                    let names: Vec<&str> = side.iter().map(|&e| names.entity_name(e)).collect();
                    match (i, names.is_empty()) {
                        (0, true) => "everyone else".to_string(),
                        (0, false) => format!("{} and everyone else", names.join(", ")),
                        _ => names.join(", "),
                    }
                })
                .collect::<Vec<_>>()
                .join(" | "),
            TraceKind::Fault(_) => String::new(),
        }
    }
}
