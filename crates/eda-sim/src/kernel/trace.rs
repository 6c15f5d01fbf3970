//! The trace: every record of a run, in the order it happened, with the running hash
//! ([`crate::kernel::hash`]). Generic over what a record says, so the kernel keeps the trace of
//! a world whose records it does not know.

use crate::kernel::hash::{hash_record, HASH_START};
use crate::kernel::time::SimTime;
use serde::Serialize;

/// One record of the trace: when, what, and what set it off.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Record<K> {
    pub time: SimTime,
    pub kind: K,
    /// The index of the record in another pattern that set this one off (an order's outcome
    /// for the append it caused, an append for the event it published). Not part of the hash:
    /// it is derived from what the records already say.
    #[serde(skip)]
    pub cause: Option<u64>,
}

/// A record type that holds records of type `R` (a world's records hold each pattern's; a
/// pattern's hold themselves): how to fold one into the hash exactly as the holder built from it
/// would be, so a run that keeps only the hash need not build the holder.
pub trait Holds<R>: From<R> {
    fn hash_as_held(hash: u64, record: &R) -> u64;
}

impl<R: Serialize> Holds<R> for R {
    #[inline]
    fn hash_as_held(hash: u64, record: &R) -> u64 {
        hash_record(hash, record)
    }
}

/// How much of the trace a run keeps. The hash always covers every record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retention {
    /// Keep every record (the UI's log, inspection); at most [`crate::kernel::limits::MAX_TRACE_RECORDS`].
    Full,
    /// Keep only the count and the hash (headless runs and benchmarks): no record limit.
    HashOnly,
}

/// The ordered records of a run, with their running hash.
#[derive(Clone, Debug)]
pub struct Trace<K> {
    records: Vec<Record<K>>,
    retention: Retention,
    count: u64,
    hash: u64,
    /// The cause given to records pushed now (while carrying out another pattern's effect).
    cause: Option<u64>,
}

impl<K> Default for Trace<K> {
    fn default() -> Self {
        Trace::new(Retention::Full)
    }
}

impl<K> Trace<K> {
    pub fn new(retention: Retention) -> Self {
        Trace {
            records: Vec::new(),
            retention,
            count: 0,
            hash: HASH_START,
            cause: None,
        }
    }

    /// Appends a record at `time`, folding it into the hash.
    pub fn push(&mut self, time: SimTime, kind: K)
    where
        K: Serialize,
    {
        let record = Record {
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

    /// Appends a held record at `time`: the same as `push(time, K::from(record))`, but a trace
    /// that keeps only the hash folds in the words `K`'s record would give without building it.
    #[inline]
    pub fn push_part<R>(&mut self, time: SimTime, record: R)
    where
        K: Holds<R> + Serialize,
        R: Serialize,
    {
        if self.retention == Retention::HashOnly {
            self.hash = K::hash_as_held(hash_record(self.hash, &time), &record);
            self.count += 1;
        } else {
            self.push(time, K::from(record));
        }
    }

    /// Records pushed from now on were caused by the record at this index (or by nothing).
    pub fn set_cause(&mut self, cause: Option<u64>) {
        self.cause = cause;
    }

    /// The index of the newest kept record for which `about` holds, looking back at most
    /// `depth` records.
    pub fn last_index_where(&self, depth: usize, about: impl Fn(&K) -> bool) -> Option<u64> {
        let first = self.count - self.records.len() as u64;
        self.records
            .iter()
            .enumerate()
            .rev()
            .take(depth)
            .find(|(_, r)| about(&r.kind))
            .map(|(i, _)| first + i as u64)
    }

    /// Removes and returns the records kept so far; the count and the hash go on.
    pub fn take_records(&mut self) -> Vec<Record<K>> {
        std::mem::take(&mut self.records)
    }

    /// The records kept (all of them with [`Retention::Full`], none with `HashOnly`).
    pub fn records(&self) -> &[Record<K>] {
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

    /// The fingerprint of every record so far (see [`crate::kernel::hash`]).
    pub fn hash(&self) -> u64 {
        self.hash
    }
}
