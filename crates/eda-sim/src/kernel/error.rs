//! Why a run could not go on or a command could not run, and what a crash or restart did.

use crate::kernel::time::SimTime;
use std::fmt;

/// Why the simulation could not go on, or a command could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// The trace reached [`crate::kernel::limits::MAX_TRACE_RECORDS`]; the run stops here.
    TraceFull { limit: usize },
    /// Scheduled events plus queued messages reached [`crate::kernel::limits::MAX_PENDING_EVENTS`]; the run stops here.
    TooManyPending { limit: usize },
    /// A command named an entity that does not exist or is of another kind.
    UnknownEntity { name: String, expected: &'static str },
    /// A command named an event type that does not exist.
    UnknownEventType { name: String },
    /// [`crate::kernel::limits::MAX_EVENTS_PER_INSTANT`] events happened without virtual time moving: the model loops.
    StuckAtInstant { at: SimTime, limit: u64 },
    /// What grows with the run reached its memory limit
    /// ([`crate::kernel::limits::MAX_RETAINED_BYTES`]); `entity` holds the most, in `items`.
    TooMuchRetained {
        entity: String,
        items: u64,
        bytes: u64,
        limit_bytes: u64,
    },
    /// A crash or restart named an entity of a kind that cannot crash.
    CannotCrash { name: String, kind: &'static str },
    /// A failover named a topic whose partitions have no followers.
    NoFollowers { topic: String },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::TraceFull { limit } => write!(
                f,
                "the run stopped after {limit} trace records, the most one run may keep; shorten the run or lower the rates"
            ),
            SimError::TooMuchRetained {
                entity,
                items,
                bytes,
                limit_bytes,
            } => write!(
                f,
                "the run stopped: what it holds grew to about {} MB, past the {} MB a run may keep in memory; {entity:?} holds the most, {items} items (a topic keeps every record, an event store every event, the broker every message not yet settled): shorten the run or slow what feeds it",
                bytes.div_ceil(1 << 20),
                limit_bytes >> 20
            ),
            SimError::TooManyPending { limit } => write!(
                f,
                "the run stopped: {limit} events are waiting at once, the most the simulation allows; consumers cannot keep up with the arrival rate"
            ),
            SimError::UnknownEntity { name, expected } => write!(f, "there is no {expected} named {:?}", name),
            SimError::StuckAtInstant { at, limit } => write!(
                f,
                "the run stopped at {at}: {limit} events happened there without time moving on, so something repeats at one instant (a zero delay in a loop)"
            ),
            SimError::UnknownEventType { name } => write!(f, "there is no event type named {:?}", name),
            SimError::CannotCrash { name, kind } => write!(
                f,
                "{name:?} is {} {kind}, which cannot crash or restart",
                crate::kernel::entity::article(kind)
            ),
            SimError::NoFollowers { topic } => write!(
                f,
                "{topic:?} has no followers to fail over to; give it \"replicas\": 2 or more"
            ),
        }
    }
}

impl std::error::Error for SimError {}

/// What a crash or restart did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    /// This kind of entity cannot crash.
    Unsupported,
    /// It already was in that state: nothing happened, nothing is recorded.
    Unchanged,
    /// It crashed or restarted.
    Switched,
}
