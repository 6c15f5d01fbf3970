//! Snapshots: a stream's state kept every N of its events, so that a replay starts from the
//! nearest one instead of version 1.

use super::fold::Fields;
use super::records::StoreRecord;
use super::store::Store;
use super::Ctx;
use crate::kernel::time::SimTime;

use serde::Serialize;

/// A stream's state as it was after its event `version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub version: u64,
    pub taken_at: SimTime,
    pub state: Fields,
}

impl Store {
    /// Keeps the state of `stream_name` as a snapshot when `version` is a multiple of the store's
    /// `snapshot_every`.
    pub(super) fn snapshot_if_due(&mut self, ctx: &mut Ctx, stream_name: &str, version: u64) {
        if !self.snapshot_every.is_some_and(|n| version.is_multiple_of(n)) {
            return;
        }
        let Some(stream) = self.streams.get_mut(stream_name) else {
            return;
        };
        stream.snapshots.push(Snapshot {
            version,
            taken_at: ctx.now,
            state: stream.state.clone(),
        });
        self.snapshots += 1;
        ctx.record(StoreRecord::Snapshot {
            store: self.entity,
            stream: stream_name.to_string(),
            version,
        });
    }
}
