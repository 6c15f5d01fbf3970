//! The pending-event queue. Events run in order of virtual time; events scheduled for the
//! same instant run in the order they were scheduled (a sequence number breaks ties), never
//! by memory address or hash, so every run of a scenario takes the same path.

use crate::kernel::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A heap key: the payload itself lives in a slab, so the heap moves only 24-byte keys.
#[derive(Clone, Copy, Debug)]
struct Entry {
    time: SimTime,
    seq: u64,
    slot: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
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
        (other.time, other.seq).cmp(&(self.time, self.seq))
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

    /// Schedules `payload` at `time` and returns its sequence number.
    pub fn push(&mut self, time: SimTime, payload: E) -> u64 {
        self.push_from(time, time, payload)
    }

    /// Schedules `payload` at `time`, noting that it was scheduled at `now`.
    pub fn push_from(&mut self, now: SimTime, time: SimTime, payload: E) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(payload);
                self.scheduled_at[slot as usize] = now;
                slot
            }
            None => {
                self.slots.push(Some(payload));
                self.scheduled_at.push(now);
                (self.slots.len() - 1) as u32
            }
        };
        self.heap.push(Entry { time, seq, slot });
        seq
    }

    /// Removes and returns the earliest entry: `(time, seq, payload)`.
    pub fn pop(&mut self) -> Option<(SimTime, u64, E)> {
        let entry = self.heap.pop()?;
        self.free.push(entry.slot);
        let payload = self.slots[entry.slot as usize].take()?;
        Some((entry.time, entry.seq, payload))
    }

    /// The time of the earliest entry, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| e.time)
    }

    /// Every pending entry as (scheduled at, due at, payload), in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (SimTime, SimTime, &E)> {
        self.heap.iter().filter_map(|e| {
            let payload = self.slots[e.slot as usize].as_ref()?;
            Some((self.scheduled_at[e.slot as usize], e.time, payload))
        })
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
