//! The trace: everything that happened in a run, in the order it happened, with a stable
//! 64-bit fingerprint. Same scenario + seed ⇒ same trace ⇒ same hash, on every platform.
//!
//! The hash is FNV-1a (64-bit; offset basis 0xcbf29ce484222325, prime 0x100000001b3) over a
//! canonical encoding of each record: the time and every field as little-endian `u64`, the
//! record kind as one byte. It is updated as records are appended, so reading it is O(1).
//! `DefaultHasher` is not used because its algorithm may change between Rust releases.

use crate::time::SimTime;
use serde::Serialize;

/// Index of an entity (source, bus, listener…) in the simulation's entity table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntityId(pub u32);

/// Index of an event type in the scenario's type hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EventTypeId(pub u32);

/// Identity of one published event (its publication number, from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EventId(pub u64);

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceKind {
    /// A source handed an event to a bus, which addressed it to `recipients` listeners.
    Published {
        event: EventId,
        event_type: EventTypeId,
        source: EntityId,
        bus: EntityId,
        recipients: u32,
    },
    /// A published event matched no subscription: recorded, never lost silently.
    Unrouted {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
    },
    /// The bus sent a copy of the event towards a listener; it arrives at `arrives_at`.
    Dispatched {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
        listener: EntityId,
        arrives_at: SimTime,
    },
    /// The copy reached the listener's inbox; `queue_len` messages now wait there.
    Delivered {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
        listener: EntityId,
        queue_len: u32,
    },
    /// The listener took the event out of its inbox and began processing it.
    HandlingStarted {
        event: EventId,
        event_type: EventTypeId,
        listener: EntityId,
    },
    /// The listener finished processing the event (e.g. the SMS was sent).
    Handled {
        event: EventId,
        event_type: EventTypeId,
        listener: EntityId,
    },
    /// The listener now receives events of this type and of all its subtypes.
    Subscribed {
        listener: EntityId,
        event_type: EventTypeId,
    },
    /// The listener no longer receives events through this subscription.
    Unsubscribed {
        listener: EntityId,
        event_type: EventTypeId,
    },
}

impl TraceKind {
    /// A short verb naming the kind, as shown in the event log.
    pub fn verb(&self) -> &'static str {
        match self {
            TraceKind::Published { .. } => "Published",
            TraceKind::Unrouted { .. } => "Unrouted",
            TraceKind::Dispatched { .. } => "Dispatched",
            TraceKind::Delivered { .. } => "Delivered",
            TraceKind::HandlingStarted { .. } => "Handling",
            TraceKind::Handled { .. } => "Handled",
            TraceKind::Subscribed { .. } => "Subscribed",
            TraceKind::Unsubscribed { .. } => "Unsubscribed",
        }
    }

    /// The published event this record is about, if any.
    pub fn event(&self) -> Option<EventId> {
        match *self {
            TraceKind::Published { event, .. }
            | TraceKind::Unrouted { event, .. }
            | TraceKind::Dispatched { event, .. }
            | TraceKind::Delivered { event, .. }
            | TraceKind::HandlingStarted { event, .. }
            | TraceKind::Handled { event, .. } => Some(event),
            TraceKind::Subscribed { .. } | TraceKind::Unsubscribed { .. } => None,
        }
    }

    /// The event type this record is about.
    pub fn event_type(&self) -> EventTypeId {
        match *self {
            TraceKind::Published { event_type, .. }
            | TraceKind::Unrouted { event_type, .. }
            | TraceKind::Dispatched { event_type, .. }
            | TraceKind::Delivered { event_type, .. }
            | TraceKind::HandlingStarted { event_type, .. }
            | TraceKind::Handled { event_type, .. }
            | TraceKind::Subscribed { event_type, .. }
            | TraceKind::Unsubscribed { event_type, .. } => event_type,
        }
    }

    /// The entities involved, as (from, to): who acted and who was acted upon.
    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            TraceKind::Published { source, bus, .. } => (source, Some(bus)),
            TraceKind::Unrouted { bus, .. } => (bus, None),
            TraceKind::Dispatched { bus, listener, .. }
            | TraceKind::Delivered { bus, listener, .. } => (bus, Some(listener)),
            TraceKind::HandlingStarted { listener, .. }
            | TraceKind::Handled { listener, .. }
            | TraceKind::Subscribed { listener, .. }
            | TraceKind::Unsubscribed { listener, .. } => (listener, None),
        }
    }

    /// The canonical encoding that the trace hash is computed over.
    fn encode(&self, out: &mut Vec<u64>) -> u8 {
        match *self {
            TraceKind::Published {
                event,
                event_type,
                source,
                bus,
                recipients,
            } => {
                out.extend([
                    event.0,
                    event_type.0 as u64,
                    source.0 as u64,
                    bus.0 as u64,
                    recipients as u64,
                ]);
                1
            }
            TraceKind::Unrouted {
                event,
                event_type,
                bus,
            } => {
                out.extend([event.0, event_type.0 as u64, bus.0 as u64]);
                2
            }
            TraceKind::Dispatched {
                event,
                event_type,
                bus,
                listener,
                arrives_at,
            } => {
                out.extend([
                    event.0,
                    event_type.0 as u64,
                    bus.0 as u64,
                    listener.0 as u64,
                    arrives_at.0,
                ]);
                3
            }
            TraceKind::Delivered {
                event,
                event_type,
                bus,
                listener,
                queue_len,
            } => {
                out.extend([
                    event.0,
                    event_type.0 as u64,
                    bus.0 as u64,
                    listener.0 as u64,
                    queue_len as u64,
                ]);
                4
            }
            TraceKind::HandlingStarted {
                event,
                event_type,
                listener,
            } => {
                out.extend([event.0, event_type.0 as u64, listener.0 as u64]);
                5
            }
            TraceKind::Handled {
                event,
                event_type,
                listener,
            } => {
                out.extend([event.0, event_type.0 as u64, listener.0 as u64]);
                6
            }
            TraceKind::Subscribed {
                listener,
                event_type,
            } => {
                out.extend([listener.0 as u64, event_type.0 as u64]);
                8
            }
            TraceKind::Unsubscribed {
                listener,
                event_type,
            } => {
                out.extend([listener.0 as u64, event_type.0 as u64]);
                9
            }
        }
    }
}

/// One record of the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceRecord {
    pub time: SimTime,
    #[serde(flatten)]
    pub kind: TraceKind,
}

/// The ordered record of a run, with its running hash.
#[derive(Clone, Debug)]
pub struct Trace {
    records: Vec<TraceRecord>,
    hasher: Fnv1a64,
    scratch: Vec<u64>,
}

/// FNV-1a, 64-bit: for each byte, `hash ^= byte; hash *= 0x100000001b3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fnv1a64(u64);

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a64 {
    pub fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= byte as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Trace {
    fn default() -> Self {
        Trace {
            records: Vec::new(),
            hasher: Fnv1a64::default(),
            scratch: Vec::with_capacity(8),
        }
    }
}

impl Trace {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, time: SimTime, kind: TraceKind) {
        self.scratch.clear();
        let tag = kind.encode(&mut self.scratch);
        self.hasher.write(&time.0.to_le_bytes());
        self.hasher.write(&[tag]);
        for field in &self.scratch {
            self.hasher.write(&field.to_le_bytes());
        }
        self.records.push(TraceRecord { time, kind });
    }

    pub fn records(&self) -> &[TraceRecord] {
        &self.records
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The FNV-1a 64 fingerprint of every record so far (see the module docs).
    pub fn hash(&self) -> u64 {
        self.hasher.finish()
    }
}

/// Formats a trace hash the way reports and the UI show it: 16 lowercase hex digits.
pub fn format_hash(hash: u64) -> String {
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::Fnv1a64;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        let hash = |text: &str| {
            let mut h = Fnv1a64::default();
            h.write(text.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf29ce484222325);
        assert_eq!(hash("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(hash("foobar"), 0x85944171f73967e8);
    }
}
