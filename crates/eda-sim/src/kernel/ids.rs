//! The identities the kernel hands out and records carry: entities, event types and published
//! events, each a plain number that hashes the same on every platform.

use serde::Serialize;

/// Index of an entity (source, bus, listener, queue, service…) in the simulation's entity table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct EntityId(pub u32);

/// Index of an event type in the event bus's type hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct EventTypeId(pub u32);

/// Identity of one published bus event (its publication number, from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct EventId(pub u64);

/// Identifies one message, event or request across the records about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageKey {
    BusEvent(u64),
    Request(u64),
    BrokerMessage(u64),
    /// An event of an event store, by store and position in its log.
    StoreEvent {
        store: u32,
        position: u64,
    },
}
