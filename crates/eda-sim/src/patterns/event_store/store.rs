//! An event store: one append-only log of every event, split into streams by aggregate.

use super::fold::Fields;
use super::publish::PublishTarget;
use super::state::EventStoreWorld;
use super::stream::Stream;
use crate::kernel::ids::EntityId;
use crate::kernel::shared_log::SharedLog;
use crate::kernel::time::SimTime;
use serde::Serialize;
use std::collections::BTreeMap;

/// One event of a store's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    pub stream: String,
    /// 1, 2, 3… within the stream.
    pub version: u64,
    /// 1, 2, 3… across the store's whole log.
    pub position: u64,
    pub event_type: String,
    /// The fields this event sets; a `null` value removes the field.
    pub data: Fields,
    pub appended_at: SimTime,
}

#[derive(Clone, Debug)]
pub struct Store {
    pub entity: EntityId,
    pub name: String,
    pub snapshot_every: Option<u64>,
    /// The event-bus source that publishes appended events, if any.
    pub publish_to: Option<PublishTarget>,
    /// Every event, in append order; the event at position p is `log[p - 1]`.
    pub log: SharedLog<StoredEvent>,
    pub streams: BTreeMap<String, Stream>,
    pub conflicts: u64,
    pub snapshots: u64,
    pub not_published: u64,
}

impl Store {
    pub fn event(&self, position: u64) -> Option<&StoredEvent> {
        position.checked_sub(1).and_then(|i| self.log.get(i as usize))
    }
}

impl EventStoreWorld {
    /// The index of the store called `name`.
    pub fn store_index(&self, name: &str) -> Option<usize> {
        self.stores.iter().position(|s| s.name == name)
    }
}
