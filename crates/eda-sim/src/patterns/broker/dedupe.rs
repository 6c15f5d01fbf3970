//! An idempotent consumer's dedupe store: the ids of the messages processed lately, written
//! together with the processing's own effects (as an inbox table in the service's database), so
//! a message seen again is acknowledged without being processed twice. It remembers the last
//! `window` ids: a repeat older than that is processed again, which is what a real store with a
//! retention limit does, and what the window is there to show.

use super::Ctx;
use super::{BrokerRecord, BrokerWorld, Guarantee, Role};
use crate::kernel::collections::IdMap;
use serde_json::{Map, Value};
use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct DedupeStore {
    window: usize,
    /// Ids in the order they were written (the oldest leaves first).
    order: VecDeque<u64>,
    ids: IdMap<()>,
}

impl DedupeStore {
    pub fn new(window: u32) -> Self {
        DedupeStore {
            window: window.max(1) as usize,
            order: VecDeque::new(),
            ids: IdMap::new(),
        }
    }

    pub fn contains(&self, id: u64) -> bool {
        self.ids.contains_key(&id)
    }

    /// Notes that `id` was processed, forgetting the oldest id beyond the window.
    pub fn insert(&mut self, id: u64) {
        if self.ids.insert(id, ()).is_some() {
            return;
        }
        self.order.push_back(id);
        if self.order.len() > self.window {
            if let Some(oldest) = self.order.pop_front() {
                self.ids.remove(&oldest);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn window(&self) -> usize {
        self.window
    }
}

/// What an idempotent consumer's store keys a message on: the value of its `dedupe_on` body
/// field (an event id its producer wrote in), hashed; else `id`, the message's own.
pub(super) fn dedupe_id(dedupe_on: Option<&str>, id: u64, body: &Map<String, Value>) -> u64 {
    match dedupe_on.and_then(|f| body.get(f)) {
        Some(value) => value_key(value),
        None => id,
    }
}

/// A 64-bit key for a JSON value: the CRC-64 of its text. (The trace hash folds whole words
/// and let two event ids that differ in two places collide; a CRC spreads every byte.) Bitwise,
/// without a table: the keys are a few dozen bytes, and a table would add 2 KB to the wasm.
fn value_key(value: &Value) -> u64 {
    const KEYS: crc::Crc<u64, crc::NoTable> = crc::Crc::<u64, crc::NoTable>::new(&crc::CRC_64_XZ);
    KEYS.checksum(value.to_string().as_bytes())
}

impl BrokerWorld {
    /// [`dedupe_id`] of a queue's message.
    pub(super) fn queued_dedupe_id(&self, consumer: usize, message: u64) -> u64 {
        // A producer that waits for confirms gives every copy of a message its own id for it.
        match (&self.consumers[consumer].dedupe_on, self.messages.get(&message)) {
            (Some(field), Some(m)) => dedupe_id(Some(field), m.origin.unwrap_or(message), &m.payload),
            (None, Some(m)) => m.origin.unwrap_or(message),
            _ => message,
        }
    }

    /// The dedupe store an idempotent consumer writes to: its queue's, or its group's.
    fn store_of(&mut self, consumer: usize) -> Option<&mut DedupeStore> {
        let c = &self.consumers[consumer];
        if c.guarantee != Guarantee::Idempotent {
            return None;
        }
        match c.role {
            Role::Queue(q) => self.queues[q].dedupe.as_mut(),
            Role::Group(g) => self.groups[g].dedupe.as_mut(),
        }
    }

    /// Whether an idempotent consumer's store holds `message` already: if so, the repeat is
    /// caught (counted and recorded) and must not be processed. Asked before processing (to
    /// skip the work) and again when its effects are written (another copy or member may have
    /// written the id meanwhile; the transaction is then refused).
    ///
    /// `id` is what the store keys on: the message's own id, or for a record of a producer
    /// that waits for acknowledgements, the producer's id for it (shared by its retried copies).
    pub(super) fn caught_repeat(&mut self, ctx: &mut Ctx, consumer: usize, message: u64, id: u64) -> bool {
        if !self.store_of(consumer).is_some_and(|s| s.contains(id)) {
            return false;
        }
        let c = &mut self.consumers[consumer];
        c.deduplicated += 1;
        ctx.record(BrokerRecord::Deduplicated {
            message,
            consumer: c.entity,
        });
        true
    }

    /// An idempotent consumer processed `message`: its id goes into the store with the effects.
    pub(super) fn remember_processed(&mut self, consumer: usize, id: u64) {
        if let Some(store) = self.store_of(consumer) {
            store.insert(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_remembers_the_last_window_ids_only() {
        let mut store = DedupeStore::new(3);
        for id in [10, 11, 12] {
            store.insert(id);
        }
        assert!(store.contains(10) && store.contains(12));
        store.insert(11); // already there: nothing moves
        assert_eq!(store.len(), 3);
        store.insert(13);
        assert!(!store.contains(10), "the oldest id left the window");
        assert!(store.contains(11) && store.contains(13));
        assert_eq!(store.len(), 3);
    }

    #[test]
    fn event_ids_that_differ_anywhere_have_different_keys() {
        let mut keys = std::collections::BTreeMap::new();
        for order in 0..300 {
            for request in 0..300 {
                let id = Value::from(format!("order-{order}-OrderCreated-{request}"));
                assert!(keys.insert(value_key(&id), (order, request)).is_none(), "{id}");
            }
        }
    }
}
