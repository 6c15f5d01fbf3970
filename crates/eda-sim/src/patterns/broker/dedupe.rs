//! An idempotent consumer's dedupe store: the ids of the messages processed lately, written
//! together with the processing's own effects (as an inbox table in the service's database), so
//! a message seen again is acknowledged without being processed twice. It remembers the last
//! `window` ids: a repeat older than that is processed again, which is what a real store with a
//! retention limit does, and what the window is there to show.

use crate::kernel::collections::IdMap;
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
}
