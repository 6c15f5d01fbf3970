//! The event-sourcing section of a scenario: stores (with snapshots and publication on the bus)
//! and the projections that follow them, as written in a scenario file.

use crate::kernel::link::LinkFaults;
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimDuration;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventStoreSpec {
    /// Event stores: each holds an append-only log split into streams.
    #[serde(default)]
    pub stores: Vec<StoreSpec>,
    /// Read models fed asynchronously from a store's log.
    #[serde(default)]
    pub projections: Vec<ProjectionSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSpec {
    pub id: String,
    /// Keep a snapshot of a stream's state after every this many of its events (versions N,
    /// 2N…); replays start from the nearest one. No snapshots if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_every: Option<u64>,
    /// Publish every appended event on the event bus through this source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_to: Option<PublishToSpec>,
}

/// Where a store publishes what it appends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishToSpec {
    /// The event-bus source that publishes; each event goes out as the bus event type of the
    /// same name (an event whose type the bus does not define is recorded as not published).
    pub source: String,
    /// Faults of the link from the store to the bus (a bus in another process): it may lose,
    /// double and delay what the store publishes. Default: a perfect link, as in one process.
    #[serde(default, skip_serializing_if = "LinkFaults::is_unset")]
    pub link: LinkFaults,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectionSpec {
    pub id: String,
    /// The store whose log this projection follows.
    pub store: String,
    /// How long after an append the projection applies the event (never overtaking an earlier one).
    #[serde(default = "default_lag")]
    pub lag: Distribution,
}

fn default_lag() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(100))
}

impl EventStoreSpec {
    pub fn is_empty(&self) -> bool {
        self.stores.is_empty() && self.projections.is_empty()
    }
}
