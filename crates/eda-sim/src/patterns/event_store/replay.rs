//! A stream as it was at any earlier point (a version or an instant): rebuilt from the nearest
//! snapshot plus the events after it, with what each event changed.

use super::fold::{fold_tracking, FieldChange, Fields};
use super::state::EventStoreWorld;
use crate::kernel::time::SimTime;
use serde::Serialize;

/// Which point in a stream's history to rebuild.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum At {
    /// Right after the event with this version (0: before the first; past the end: the latest).
    Version(u64),
    /// After every event appended at or before this instant.
    Time(SimTime),
}

/// One event replayed, and what it changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub version: u64,
    pub appended_at: SimTime,
    pub event_type: String,
    /// Only the fields whose value the event actually changed, by name.
    pub fields: Vec<FieldChange>,
}

/// A stream rebuilt as it was at some point of its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateAt {
    pub state: Fields,
    /// The version reached.
    pub version: u64,
    /// The snapshot the replay started from (its version), if one was used.
    pub from_snapshot: Option<u64>,
    /// The events replayed on top of the starting point (the snapshot, or nothing), in order.
    pub history: Vec<Change>,
}

impl EventStoreWorld {
    /// A stream as it was at `at`, rebuilt from the nearest snapshot at or before that point
    /// plus the events after it. `None` if the store or the stream does not exist.
    pub fn state_at(&self, store: usize, stream: &str, at: At) -> Option<StateAt> {
        self.replay(store, stream, at, true)
    }

    /// The same point rebuilt from version 1, ignoring snapshots: same state and version, and a
    /// history of every event up to that point.
    pub fn state_at_full_replay(&self, store: usize, stream: &str, at: At) -> Option<StateAt> {
        self.replay(store, stream, at, false)
    }

    fn replay(&self, store: usize, stream: &str, at: At, use_snapshots: bool) -> Option<StateAt> {
        let store = self.stores.get(store)?;
        let s = store.streams.get(stream)?;
        let target = match at {
            At::Version(v) => v.min(s.version()),
            // Positions are in append order, hence in time order.
            At::Time(t) => {
                s.positions
                    .partition_point(|&p| store.event(p).is_some_and(|e| e.appended_at <= t)) as u64
            }
        };
        let snapshot = if use_snapshots {
            let after = s.snapshots.partition_point(|snap| snap.version <= target);
            after.checked_sub(1).and_then(|i| s.snapshots.get(i))
        } else {
            None
        };
        let (mut state, start) = snapshot.map_or((Fields::new(), 0), |snap| (snap.state.clone(), snap.version));
        let mut history = Vec::new();
        for &position in s.positions.get(start as usize..target as usize).unwrap_or(&[]) {
            let Some(event) = store.event(position) else {
                continue;
            };
            history.push(Change {
                version: event.version,
                appended_at: event.appended_at,
                event_type: event.event_type.clone(),
                fields: fold_tracking(&mut state, &event.data),
            });
        }
        Some(StateAt {
            state,
            version: target,
            from_snapshot: snapshot.map(|snap| snap.version),
            history,
        })
    }
}
