//! What event sourcing writes in the trace: appends, conflicts, snapshots, publication, and what
//! projections apply, ignore and rebuild.

use super::fold::Fields;
use crate::kernel::ids::EntityId;
use serde::Serialize;

/// What event sourcing records in the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreRecord {
    /// An event was appended: `version` within its stream, `position` in the store's whole log.
    Appended {
        store: EntityId,
        stream: String,
        version: u64,
        position: u64,
        event_type: String,
        data: Fields,
    },
    /// An append was refused: it expected the stream at `expected`, but it was at `actual`.
    Conflict {
        store: EntityId,
        stream: String,
        event_type: String,
        expected: u64,
        actual: u64,
    },
    /// The stream's state at `version` was kept as a snapshot.
    Snapshot {
        store: EntityId,
        stream: String,
        version: u64,
    },
    /// The appended event could not go out on the bus: the bus has no event type of its name.
    NotPublished {
        store: EntityId,
        source: EntityId,
        stream: String,
        version: u64,
        event_type: String,
    },
    /// A projection applied the event at `position` of its store's log.
    Projected {
        store: EntityId,
        projection: EntityId,
        stream: String,
        version: u64,
        position: u64,
        event_type: String,
    },
    /// An event reached a projection that had already applied it (it was in flight during a
    /// rebuild): ignored.
    DuplicateIgnored {
        store: EntityId,
        projection: EntityId,
        position: u64,
    },
    /// A projection threw away its state (built from `discarded` events) to rebuild from the log.
    RebuildStarted {
        projection: EntityId,
        store: EntityId,
        discarded: u64,
    },
    /// A projection was rebuilt by replaying the `replayed` events of the whole log.
    RebuildFinished {
        projection: EntityId,
        store: EntityId,
        replayed: u64,
    },
    // The store's faulty link to the bus (issue #15). New records go last: a record's variant
    // index is part of the trace hash.
    /// The link to the bus lost the appended event: the bus never publishes it.
    PublishLost {
        store: EntityId,
        source: EntityId,
        stream: String,
        version: u64,
        event_type: String,
    },
    /// The link delivers the appended event twice: the bus publishes it twice.
    PublishDoubled {
        store: EntityId,
        source: EntityId,
        stream: String,
        version: u64,
        event_type: String,
    },
}

impl StoreRecord {
    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            StoreRecord::Appended { store, .. }
            | StoreRecord::Conflict { store, .. }
            | StoreRecord::Snapshot { store, .. } => (store, None),
            StoreRecord::NotPublished { store, source, .. }
            | StoreRecord::PublishLost { store, source, .. }
            | StoreRecord::PublishDoubled { store, source, .. } => (store, Some(source)),
            StoreRecord::Projected { store, projection, .. }
            | StoreRecord::DuplicateIgnored { store, projection, .. } => (store, Some(projection)),
            StoreRecord::RebuildStarted { projection, store, .. }
            | StoreRecord::RebuildFinished { projection, store, .. } => (projection, Some(store)),
        }
    }
}
