//! The trace: everything that happened in a run, in the order it happened, with a stable
//! 64-bit fingerprint. Same scenario + seed ⇒ same trace ⇒ same hash, on every platform.
//!
//! The hash ("FNV-1a over words") starts at 0xcbf29ce484222325 and, for each 64-bit word w of a
//! record's canonical encoding, does `h = (h ^ w) × 0x100000001b3 (mod 2^64)`. The canonical
//! encoding is produced by serde from the record itself ([`hash_record`]): the time, then every
//! field in declaration order; integers widen to u64, enum variants are their index (records are
//! externally tagged, so no variant name is hashed), strings are their length followed by their
//! bytes packed little-endian into words. Nothing depends on the
//! platform's word size or on `DefaultHasher`, whose algorithm may change between Rust releases.

use crate::engine::Sim;
use crate::time::SimTime;
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

/// Crashes and restarts, whatever the pattern of the entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultRecord {
    Crashed { entity: EntityId },
    Restarted { entity: EntityId },
}

impl TraceKind {
    /// A short verb naming what happened, as shown in the event log.
    pub fn verb(&self) -> &'static str {
        match self {
            TraceKind::Bus(r) => r.verb(),
            TraceKind::Rpc(r) => r.verb(),
            TraceKind::Broker(r) => r.verb(),
            TraceKind::Discovery(r) => r.verb(),
            TraceKind::Store(r) => r.verb(),
            TraceKind::Fault(FaultRecord::Crashed { .. }) => "Crashed",
            TraceKind::Fault(FaultRecord::Restarted { .. }) => "Restarted",
        }
    }

    /// The entities involved, as (who acted, whom it reached).
    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match self {
            TraceKind::Bus(r) => r.endpoints(),
            TraceKind::Rpc(r) => r.endpoints(),
            TraceKind::Broker(r) => r.endpoints(),
            TraceKind::Discovery(r) => r.endpoints(),
            TraceKind::Store(r) => r.endpoints(),
            TraceKind::Fault(FaultRecord::Crashed { entity } | FaultRecord::Restarted { entity }) => (*entity, None),
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

    /// What the record is about (a message, an event, a request…), in words.
    pub fn subject(&self, sim: &Sim) -> String {
        match self {
            TraceKind::Bus(r) => r.subject(sim),
            TraceKind::Rpc(r) => r.subject(sim),
            TraceKind::Broker(r) => r.subject(sim),
            TraceKind::Discovery(r) => r.subject(sim),
            TraceKind::Store(r) => r.subject(sim),
            TraceKind::Fault(_) => String::new(),
        }
    }
}

/// One record of the trace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceRecord {
    pub time: SimTime,
    pub kind: TraceKind,
    /// The index of the record in another pattern that set this one off (an order's outcome
    /// for the append it caused, an append for the event it published). Not part of the hash:
    /// it is derived from what the records already say.
    #[serde(skip)]
    pub cause: Option<u64>,
}

/// How much of the trace a run keeps. The hash always covers every record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retention {
    /// Keep every record (the UI's log, inspection); at most [`crate::limits::MAX_TRACE_RECORDS`].
    Full,
    /// Keep only the count and the hash (headless runs and benchmarks): no record limit.
    HashOnly,
}

/// The ordered record of a run, with its running hash.
#[derive(Clone, Debug)]
pub struct Trace {
    records: Vec<TraceRecord>,
    retention: Retention,
    count: u64,
    hash: u64,
    /// The cause given to records pushed now (while carrying out another pattern's effect).
    cause: Option<u64>,
}

/// The FNV-1a 64-bit offset basis: the hash of an empty trace.
pub const HASH_START: u64 = 0xcbf2_9ce4_8422_2325;
const HASH_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Default for Trace {
    fn default() -> Self {
        Trace::new(Retention::Full)
    }
}

impl Trace {
    pub fn new(retention: Retention) -> Self {
        Trace {
            records: Vec::new(),
            retention,
            count: 0,
            hash: HASH_START,
            cause: None,
        }
    }

    pub fn push(&mut self, time: SimTime, kind: TraceKind) {
        let record = TraceRecord {
            time,
            kind,
            cause: self.cause,
        };
        self.hash = hash_record(self.hash, &record);
        self.count += 1;
        if self.retention == Retention::Full {
            self.records.push(record);
        }
    }

    /// Records pushed from now on were caused by the record at this index (or by nothing).
    pub fn set_cause(&mut self, cause: Option<u64>) {
        self.cause = cause;
    }

    /// The index of the newest kept record about `key`, looking back at most `depth` records.
    pub fn last_index_of(&self, key: MessageKey, depth: usize) -> Option<u64> {
        let first = self.count - self.records.len() as u64;
        self.records
            .iter()
            .enumerate()
            .rev()
            .take(depth)
            .find(|(_, r)| r.kind.message_key() == Some(key))
            .map(|(i, _)| first + i as u64)
    }

    /// Removes and returns the records kept so far; the count and the hash go on.
    pub fn take_records(&mut self) -> Vec<TraceRecord> {
        std::mem::take(&mut self.records)
    }

    /// The records kept (all of them with [`Retention::Full`], none with `HashOnly`).
    pub fn records(&self) -> &[TraceRecord] {
        &self.records
    }

    pub fn retention(&self) -> Retention {
        self.retention
    }

    /// Keeps records from now on or not; the count and the hash go on either way.
    pub fn set_retention(&mut self, retention: Retention) {
        self.retention = retention;
    }

    /// Records appended so far, kept or not.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Records kept (see [`Trace::records`]).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The fingerprint of every record so far (see the module docs).
    pub fn hash(&self) -> u64 {
        self.hash
    }
}

/// Formats a trace hash the way reports and the UI show it: 16 lowercase hex digits.
pub fn format_hash(hash: u64) -> String {
    format!("{hash:016x}")
}

/// Folds one record into `hash` (see the module docs for the encoding).
pub fn hash_record<T: Serialize + ?Sized>(hash: u64, record: &T) -> u64 {
    let mut hasher = WordHasher(hash);
    // The serializer below cannot fail, so the result carries no information.
    let _ = record.serialize(&mut hasher);
    hasher.0
}

struct WordHasher(u64);

impl WordHasher {
    fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(HASH_PRIME);
    }
    fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.word(u64::from_le_bytes(word));
        }
    }
}

/// The only error the hasher could report; it never does.
#[derive(Debug)]
pub struct NeverFails;

impl std::fmt::Display for NeverFails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("hashing never fails")
    }
}
impl std::error::Error for NeverFails {}
impl serde::ser::Error for NeverFails {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NeverFails
    }
}

macro_rules! hash_as_word {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), NeverFails> {
            self.word(v as u64);
            Ok(())
        })*
    };
}

impl serde::Serializer for &mut WordHasher {
    type Ok = ();
    type Error = NeverFails;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    hash_as_word!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_char: char);

    fn serialize_f32(self, v: f32) -> Result<(), NeverFails> {
        self.word(v.to_bits() as u64);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), NeverFails> {
        self.word(v.to_bits());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), NeverFails> {
        self.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), NeverFails> {
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), NeverFails> {
        self.word(0);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), NeverFails> {
        self.word(1);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), NeverFails> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), NeverFails> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Result<(), NeverFails> {
        self.word(index as u64);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result<(), NeverFails> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), NeverFails> {
        self.word(index as u64);
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, NeverFails> {
        self.word(len.unwrap_or(0) as u64);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, NeverFails> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, NeverFails> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, NeverFails> {
        self.word(index as u64);
        Ok(self)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, NeverFails> {
        self.word(len.unwrap_or(0) as u64);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, NeverFails> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, NeverFails> {
        self.word(index as u64);
        Ok(self)
    }
}

macro_rules! compound {
    ($trait:ident, $method:ident $(, $key:ident)?) => {
        impl serde::ser::$trait for &mut WordHasher {
            type Ok = ();
            type Error = NeverFails;
            fn $method<T: ?Sized + Serialize>(&mut self, $($key: &'static str,)? value: &T) -> Result<(), NeverFails> {
                $(let _ = $key;)?
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), NeverFails> {
                Ok(())
            }
        }
    };
}

compound!(SerializeSeq, serialize_element);
compound!(SerializeTuple, serialize_element);
compound!(SerializeTupleStruct, serialize_field);
compound!(SerializeTupleVariant, serialize_field);
compound!(SerializeStruct, serialize_field, key);
compound!(SerializeStructVariant, serialize_field, key);

impl serde::ser::SerializeMap for &mut WordHasher {
    type Ok = ();
    type Error = NeverFails;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), NeverFails> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), NeverFails> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), NeverFails> {
        Ok(())
    }
}

/// Most hops followed back from a record to its first cause.
pub const MAX_CAUSAL_HOPS: usize = 32;

/// The whole path of the record at `index` so far: every earlier record about the same
/// message, event or request, and, through causes, those of what set it off (the order whose
/// outcome was appended, the append that was published…), in order.
pub fn causal_path(records: &[TraceRecord], index: usize) -> Vec<usize> {
    let mut path = crate::collections::Set::new();
    let mut next = vec![index];
    let mut hops = 0;
    while let Some(at) = next.pop() {
        if at >= records.len() || path.contains(&at) || hops > MAX_CAUSAL_HOPS {
            continue;
        }
        hops += 1;
        let group: Vec<usize> = match records[at].kind.message_key() {
            Some(key) => (0..=at.min(index))
                .filter(|&i| records[i].kind.message_key() == Some(key))
                .chain(std::iter::once(at))
                .collect(),
            None => vec![at],
        };
        for i in group {
            if path.insert(i) {
                if let Some(cause) = records[i].cause {
                    next.push(cause as usize);
                }
            }
        }
    }
    path.iter().copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_hash_follows_its_definition() {
        // One u64 field: h = (basis ^ 7) × prime.
        assert_eq!(
            hash_record(HASH_START, &7u64),
            (HASH_START ^ 7).wrapping_mul(HASH_PRIME)
        );
        // A string is its length then its bytes packed little-endian.
        let mut expected = (HASH_START ^ 3).wrapping_mul(HASH_PRIME);
        expected = (expected ^ u64::from_le_bytes(*b"abc\0\0\0\0\0")).wrapping_mul(HASH_PRIME);
        assert_eq!(hash_record(HASH_START, "abc"), expected);
    }

    #[test]
    fn field_order_and_values_change_the_hash() {
        assert_ne!(
            hash_record(HASH_START, &(1u32, 2u32)),
            hash_record(HASH_START, &(2u32, 1u32))
        );
        assert_ne!(
            hash_record(HASH_START, &Some(0u8)),
            hash_record(HASH_START, &None::<u8>)
        );
    }
}
