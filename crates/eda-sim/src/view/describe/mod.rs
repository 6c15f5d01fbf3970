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
            TraceKind::Fault(_) => String::new(),
        }
    }
}
