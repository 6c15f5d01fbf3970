//! The records of a run, by pattern: the sum of every pattern's record type, what identifies
//! one message across its records, crashes and restarts, and the causal path of a record.
pub use crate::kernel::hash::{format_hash, hash_record, HASH_START};
pub use crate::kernel::ids::{EntityId, EventId, EventTypeId, MessageKey};
pub use crate::kernel::trace::Retention;
use serde::Serialize;

/// One record of the trace of a run.
pub type TraceRecord = crate::kernel::trace::Record<TraceKind>;

/// The trace of a run.
pub type Trace = crate::kernel::trace::Trace<TraceKind>;

/// One thing that happened, by pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceKind {
    Bus(crate::patterns::event_bus::BusRecord),
    Rpc(crate::patterns::request_reply::RpcRecord),
    Broker(crate::patterns::broker::BrokerRecord),
    Discovery(crate::patterns::discovery::DiscoveryRecord),
    Store(crate::patterns::event_store::StoreRecord),
    Fault(FaultRecord),
}

/// Each pattern's own record, as the trace holds it.
/// The index is the variant's place in [`TraceKind`] (serde's variant index); a test checks it.
macro_rules! from_pattern {
    ($($variant:ident($ty:ty) = $index:literal),*) => {
        $(impl From<$ty> for TraceKind {
            #[inline]
            fn from(record: $ty) -> TraceKind {
                TraceKind::$variant(record)
            }
        }
        impl crate::kernel::trace::Holds<$ty> for TraceKind {
            /// An externally tagged newtype variant: its index, then the record.
            #[inline]
            fn hash_as_held(hash: u64, record: &$ty) -> u64 {
                hash_record(hash_record(hash, &($index as u32)), record)
            }
        })*
    };
}

from_pattern!(
    Bus(crate::patterns::event_bus::BusRecord) = 0,
    Rpc(crate::patterns::request_reply::RpcRecord) = 1,
    Broker(crate::patterns::broker::BrokerRecord) = 2,
    Discovery(crate::patterns::discovery::DiscoveryRecord) = 3,
    Store(crate::patterns::event_store::StoreRecord) = 4
);

/// Crashes and restarts, whatever the pattern of the entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultRecord {
    Crashed {
        entity: EntityId,
    },
    Restarted {
        entity: EntityId,
    },
    /// The network split: each side (the first also holds every entity not named) cannot reach
    /// the others.
    Partitioned {
        sides: Vec<Vec<EntityId>>,
    },
    /// The network is whole again (`sides`: as it was split).
    Healed {
        sides: Vec<Vec<EntityId>>,
    },
}

impl TraceKind {
    /// The entities involved, as (who acted, whom it reached).
    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match self {
            TraceKind::Bus(r) => r.endpoints(),
            TraceKind::Rpc(r) => r.endpoints(),
            TraceKind::Broker(r) => r.endpoints(),
            TraceKind::Discovery(r) => r.endpoints(),
            TraceKind::Store(r) => r.endpoints(),
            TraceKind::Fault(FaultRecord::Crashed { entity } | FaultRecord::Restarted { entity }) => (*entity, None),
            // An entity of the first side named, and one cut off from it.
            TraceKind::Fault(FaultRecord::Partitioned { sides } | FaultRecord::Healed { sides }) => {
                let first = sides.first().and_then(|s| s.first());
                let cut = sides.iter().skip(1).flatten().next();
                match (first, cut) {
                    (Some(&a), b) => (a, b.copied()),
                    (None, Some(&b)) => (b, None),
                    (None, None) => (EntityId(0), None),
                }
            }
        }
    }

    /// The thing this record is about, so that every record of one message, event or request
    /// can be found: its path through the system.
    pub fn message_key(&self) -> Option<MessageKey> {
        match self {
            TraceKind::Bus(r) => r.event().map(|e| MessageKey::BusEvent(e.0)),
            TraceKind::Rpc(r) => Some(MessageKey::Request(r.request())),
            TraceKind::Broker(r) => r.message().map(MessageKey::BrokerMessage),
            TraceKind::Store(
                crate::patterns::event_store::StoreRecord::Appended { store, position, .. }
                | crate::patterns::event_store::StoreRecord::Projected { store, position, .. },
            ) => Some(MessageKey::StoreEvent {
                store: store.0,
                position: *position,
            }),
            TraceKind::Discovery(_) | TraceKind::Store(_) | TraceKind::Fault(_) => None,
        }
    }
}

/// Most hops followed back from a record to its first cause.
pub const MAX_CAUSAL_HOPS: usize = 32;

/// The whole path of the record at `index` so far: every earlier record about the same
/// message, event or request, and, through causes, those of what set it off (the order whose
/// outcome was appended, the append that was published…), in order.
pub fn causal_path(records: &[TraceRecord], index: usize) -> Vec<usize> {
    causal_path_from(records, 0, index)
}

/// Like [`causal_path`], over the run's records from number `start` on (`records[0]` is record
/// `start`): indices in and out are the run's record numbers; what lies before `start` is not
/// followed.
pub fn causal_path_from(records: &[TraceRecord], start: usize, index: usize) -> Vec<usize> {
    let mut path = crate::kernel::collections::Set::new();
    let mut next = vec![index];
    let mut hops = 0;
    let end = start + records.len();
    let at_number = |i: usize| &records[i - start];
    while let Some(at) = next.pop() {
        if at < start || at >= end || path.contains(&at) || hops > MAX_CAUSAL_HOPS {
            continue;
        }
        hops += 1;
        let group: Vec<usize> = match at_number(at).kind.message_key() {
            Some(key) => (start..=at.min(index))
                .filter(|&i| at_number(i).kind.message_key() == Some(key))
                .chain(std::iter::once(at))
                .collect(),
            None => vec![at],
        };
        for i in group {
            if path.insert(i) {
                if let Some(cause) = at_number(i).cause {
                    next.push(cause as usize);
                }
            }
        }
    }
    path.iter().copied().collect()
}
