//! The pending-event queue. Events run in order of virtual time; events scheduled for the
//! same instant run in the order they were scheduled (a sequence number breaks ties), never
//! by memory address or hash, so every run of a scenario takes the same path.

use crate::kernel::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Bits of [`Entry::order`] that hold the payload's slot: at most 2^24 (16.7 million) events
/// pending at once, far above the engine's limit ([`crate::kernel::limits::MAX_PENDING_EVENTS`]).
const SLOT_BITS: u32 = 24;
const SLOT_MASK: u64 = (1 << SLOT_BITS) - 1;
/// Sequence numbers run below this (2^40, about 1.1 × 10^12 events scheduled); when they reach
/// it, the pending entries are renumbered in their order, which keeps the order exact.
const SEQ_END: u64 = 1 << (64 - SLOT_BITS);

/// A heap key: the payload itself lives in a slab, so the heap moves only 16-byte keys (a key
/// of one size, read and written whole, which the processor forwards from store to load; a
/// 24-byte key was read back in halves of other sizes and stalled every pop).
#[derive(Clone, Copy, Debug)]
struct Entry {
    time: SimTime,
    /// The sequence number above the slot's bits: compared, it orders by sequence (sequence
    /// numbers are unique, so the slot never decides).
    order: u64,
}

impl Entry {
    fn slot(self) -> usize {
        (self.order & SLOT_MASK) as usize
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.order == other.order
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed, so that the max-heap pops the earliest (time, seq) first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.order).cmp(&(self.time, self.order))
    }
}

/// A min-queue of payloads keyed by `(time, sequence number)`.
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry>,
    slots: Vec<Option<E>>,
    /// When each slot's payload was scheduled (to draw a message's trip from start to end).
    scheduled_at: Vec<SimTime>,
    free: Vec<u32>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            scheduled_at: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Schedules `payload` at `time`.
    pub fn push(&mut self, time: SimTime, payload: E) {
        self.push_from(time, time, payload)
    }

    /// Schedules `payload` at `time`, noting that it was scheduled at `now`. Inlined, so that
    /// the payload goes to its slot without another copy through a frame (docs/performance.md).
    #[inline(always)]
    pub fn push_from(&mut self, now: SimTime, time: SimTime, payload: E) {
        if self.next_seq == SEQ_END {
            self.renumber();
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(payload);
                self.scheduled_at[slot as usize] = now;
                slot as u64
            }
            None => {
                assert!(self.slots.len() as u64 <= SLOT_MASK, "more than 2^24 events pending");
                self.slots.push(Some(payload));
                self.scheduled_at.push(now);
                (self.slots.len() - 1) as u64
            }
        };
        self.heap.push(Entry {
            time,
            order: seq << SLOT_BITS | slot,
        });
    }

    /// Removes and returns the earliest entry: `(time, payload)`.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let entry = self.heap.pop()?;
        let slot = entry.slot();
        self.free.push(slot as u32);
        let payload = self.slots[slot].take()?;
        Some((entry.time, payload))
    }

    /// Gives the pending entries sequence numbers from 0 in the order they have, so that
    /// numbering can go on (see [`SEQ_END`]).
    fn renumber(&mut self) {
        let mut entries = std::mem::take(&mut self.heap).into_sorted_vec();
        // Sorted ascending by the reversed order: latest first.
        entries.reverse();
        for (seq, entry) in entries.iter_mut().enumerate() {
            entry.order = (seq as u64) << SLOT_BITS | entry.order & SLOT_MASK;
        }
        self.next_seq = entries.len() as u64;
        self.heap = BinaryHeap::from(entries);
    }

    /// Moves the next sequence number near its end (tests of renumbering).
    #[doc(hidden)]
    pub fn skip_to_seq_end_minus(&mut self, left: u64) {
        self.next_seq = self.next_seq.max(SEQ_END - left);
    }

    /// The time of the earliest entry, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| e.time)
    }

    /// Every pending entry as (scheduled at, due at, payload), in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (SimTime, SimTime, &E)> {
        self.heap.iter().filter_map(|e| {
            let payload = self.slots[e.slot()].as_ref()?;
            Some((self.scheduled_at[e.slot()], e.time, payload))
        })
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
