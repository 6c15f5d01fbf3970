//! The text a timeline or log line shows for an event-sourcing record: its verb and subject.

use crate::kernel::names::Names;
use crate::patterns::event_store::StoreRecord;

impl StoreRecord {
    pub fn verb(&self) -> &'static str {
        match self {
            StoreRecord::Appended { .. } => "Appended",
            StoreRecord::Conflict { .. } => "Conflict",
            StoreRecord::Snapshot { .. } => "Snapshot",
            StoreRecord::NotPublished { .. } => "Not published",
            StoreRecord::Projected { .. } => "Projected",
            StoreRecord::DuplicateIgnored { .. } => "Duplicate ignored",
            StoreRecord::RebuildStarted { .. } => "Rebuild started",
            StoreRecord::RebuildFinished { .. } => "Rebuilt",
            StoreRecord::PublishLost { .. } => "Lost on the link",
            StoreRecord::PublishDoubled { .. } => "Doubled on the link",
        }
    }

    /// `user-42 v3 EmailChanged`, `conflict on user-42: expected v2, at v3`…
    pub fn subject(&self, _names: &dyn Names) -> String {
        match self {
            StoreRecord::Appended {
                stream,
                version,
                event_type,
                ..
            } => format!("{stream} v{version} {event_type}"),
            StoreRecord::Conflict {
                stream,
                expected,
                actual,
                ..
            } => format!("conflict on {stream}: expected v{expected}, at v{actual}"),
            StoreRecord::Snapshot { stream, version, .. } => format!("snapshot of {stream} at v{version}"),
            StoreRecord::NotPublished {
                stream,
                version,
                event_type,
                ..
            } => format!(
                "{stream} v{version} {event_type}: the bus has no event type {:?}",
                event_type
            ),
            StoreRecord::Projected {
                stream,
                version,
                position,
                event_type,
                ..
            } => format!("{stream} v{version} {event_type} (#{position})"),
            StoreRecord::DuplicateIgnored { position, .. } => format!("#{position} already applied"),
            StoreRecord::RebuildStarted { discarded, .. } => {
                format!("rebuild: state of {discarded} events discarded")
            }
            StoreRecord::RebuildFinished { replayed, .. } => format!("rebuilt from {replayed} events"),
            StoreRecord::PublishLost {
                stream,
                version,
                event_type,
                ..
            } => format!("{stream} v{version} {event_type}: appended, never published"),
            StoreRecord::PublishDoubled {
                stream,
                version,
                event_type,
                ..
            } => format!("{stream} v{version} {event_type}: published twice"),
        }
    }
}
