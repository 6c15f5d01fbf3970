//! A stream, the events of one aggregate, and appending to it: versions within the stream,
//! positions in the store's log, and optimistic concurrency (an expected version).

use super::fold::{fold, Fields};
use super::records::StoreRecord;
use super::snapshot::Snapshot;
use super::state::EventStoreWorld;
use super::store::StoredEvent;
use super::Ctx;

/// The events of one aggregate (a user profile, an order).
#[derive(Clone, Debug, Default)]
pub struct Stream {
    /// Log positions of the stream's events, version 1 first.
    pub positions: Vec<u64>,
    /// The current state: the fold of every event.
    pub state: Fields,
    /// Snapshots in version order.
    pub snapshots: Vec<Snapshot>,
}

impl Stream {
    /// The version of the stream's latest event (0 before the first).
    pub fn version(&self) -> u64 {
        self.positions.len() as u64
    }
}

impl EventStoreWorld {
    /// Another pattern appends (e.g. an order service recording `OrderCreated`): no expected version.
    pub fn append_effect(&mut self, ctx: &mut Ctx, store: usize, stream: String, event_type: String, data: Fields) {
        self.append(ctx, store, &stream, &event_type, &data, None);
    }

    /// Appends an event now, unless `expected_version` is given and the stream is elsewhere.
    /// Returns the new version, or `None` if the append was refused (or the store is unknown).
    pub fn append(
        &mut self,
        ctx: &mut Ctx,
        store_index: usize,
        stream_name: &str,
        event_type: &str,
        data: &Fields,
        expected_version: Option<u64>,
    ) -> Option<u64> {
        let store = self.stores.get_mut(store_index)?;
        let current = store.streams.get(stream_name).map_or(0, Stream::version);
        if let Some(expected) = expected_version.filter(|&e| e != current) {
            store.conflicts += 1;
            ctx.record(StoreRecord::Conflict {
                store: store.entity,
                stream: stream_name.to_string(),
                event_type: event_type.to_string(),
                expected,
                actual: current,
            });
            return None;
        }
        let version = current + 1;
        let position = store.log.len() as u64 + 1;
        let stream = store.streams.entry(stream_name.to_string()).or_default();
        fold(&mut stream.state, data);
        stream.positions.push(position);
        store.log.push(StoredEvent {
            stream: stream_name.to_string(),
            version,
            position,
            event_type: event_type.to_string(),
            data: data.clone(),
            appended_at: ctx.now,
        });
        ctx.record(StoreRecord::Appended {
            store: store.entity,
            stream: stream_name.to_string(),
            version,
            position,
            event_type: event_type.to_string(),
            data: data.clone(),
        });
        store.snapshot_if_due(ctx, stream_name, version);
        store.publish_appended(ctx, &self.bus_types, stream_name, version, position, event_type);
        self.send_to_projections(ctx, store_index, position);
        Some(version)
    }
}
