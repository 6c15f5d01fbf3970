//! Values keyed by id (messages, requests, calls in flight), in id order: what a
//! `BTreeMap<u64, V>` gives, made cheap for how the simulator uses it. Ids are handed out in
//! increasing order and most entries leave soon, roughly first in first out, so recent ids live
//! in a window (a ring buffer indexed by `id − base`) where insert, find and remove are one
//! index. Ids that fall behind the window (a message nobody acknowledges, an id reused from
//! long ago) move to a tree. Every `IdMap` shares one tree type, `BTreeMap<u64, u32>` (id →
//! slot), with the values in a vector of slots: a `BTreeMap` per value type put about 5 KB of
//! tree code per type into the wasm.

use std::collections::{BTreeMap, VecDeque};

/// Holes the window may hold beyond one per live entry before its oldest entries move to the
/// tree; also the largest jump past the window's end that still extends it.
const WINDOW_SLACK: usize = 64;

#[derive(Clone, Debug)]
pub struct IdMap<V> {
    /// `window[i]` holds the value of id `base + i`; the front is never a hole.
    window: VecDeque<Option<V>>,
    base: u64,
    /// Values in the window.
    in_window: usize,
    /// Ids below `base`: id → slot in `values`.
    slots: BTreeMap<u64, u32>,
    values: Vec<Option<V>>,
    /// Slots whose value was removed, reused before the vector grows.
    free: Vec<u32>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            window: VecDeque::new(),
            base: 0,
            in_window: 0,
            slots: BTreeMap::new(),
            values: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<V> IdMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.in_window + self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains_key(&self, id: &u64) -> bool {
        self.get(id).is_some()
    }

    /// Where `id` sits in the window, if it is at or past the window's start.
    fn offset(&self, id: u64) -> Option<usize> {
        id.checked_sub(self.base).and_then(|off| usize::try_from(off).ok())
    }

    pub fn get(&self, id: &u64) -> Option<&V> {
        if *id >= self.base {
            return self.window.get(self.offset(*id)?)?.as_ref();
        }
        let slot = *self.slots.get(id)?;
        self.values[slot as usize].as_ref()
    }

    pub fn get_mut(&mut self, id: &u64) -> Option<&mut V> {
        if *id >= self.base {
            let offset = self.offset(*id)?;
            return self.window.get_mut(offset)?.as_mut();
        }
        let slot = *self.slots.get(id)?;
        self.values[slot as usize].as_mut()
    }

    /// Stores `value` under `id`, returning the value it replaces.
    pub fn insert(&mut self, id: u64, value: V) -> Option<V> {
        if id < self.base {
            return self.insert_behind(id, value);
        }
        if self.window.is_empty() {
            self.base = id;
        }
        match self.offset(id) {
            Some(offset) if offset < self.window.len() => {}
            Some(offset) if offset - self.window.len() <= WINDOW_SLACK => self.window.resize_with(offset + 1, || None),
            _ => {
                // Far past the window: everything in it is older, so it all moves behind.
                self.retire_all();
                self.base = id;
                self.window.push_back(None);
            }
        }
        let offset = self.offset(id).expect("the window reaches id");
        let slot = &mut self.window[offset];
        let replaced = slot.replace(value);
        if replaced.is_none() {
            self.in_window += 1;
        }
        // The front stays a value (an empty window starts at `id`); only the holes may need
        // trimming.
        if self.too_many_holes() {
            self.tidy();
        }
        replaced
    }

    pub fn remove(&mut self, id: &u64) -> Option<V> {
        if *id >= self.base {
            let offset = self.offset(*id)?;
            let value = self.window.get_mut(offset)?.take()?;
            self.in_window -= 1;
            // Only taking the front leaves a hole there.
            if offset == 0 || self.too_many_holes() {
                self.tidy();
            }
            return Some(value);
        }
        let slot = self.slots.remove(id)?;
        self.free.push(slot);
        self.values[slot as usize].take()
    }

    pub fn clear(&mut self) {
        *self = IdMap::default();
    }

    /// `(id, value)` in id order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (u64, &V)> + '_ {
        let behind = self
            .slots
            .iter()
            .filter_map(|(&id, &slot)| Some((id, self.values[slot as usize].as_ref()?)));
        let base = self.base;
        let recent = self
            .window
            .iter()
            .enumerate()
            .filter_map(move |(i, value)| Some((base + i as u64, value.as_ref()?)));
        behind.chain(recent)
    }

    /// The values in id order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + '_ {
        self.iter().map(|(_, value)| value)
    }

    /// The values in no particular order (for changes that do not depend on order).
    pub fn values_mut_unordered(&mut self) -> impl Iterator<Item = &mut V> + '_ {
        self.values.iter_mut().flatten().chain(self.window.iter_mut().flatten())
    }

    fn insert_behind(&mut self, id: u64, value: V) -> Option<V> {
        if let Some(&slot) = self.slots.get(&id) {
            return self.values[slot as usize].replace(value);
        }
        let slot = match self.free.pop() {
            Some(slot) => {
                self.values[slot as usize] = Some(value);
                slot
            }
            None => {
                self.values.push(Some(value));
                (self.values.len() - 1) as u32
            }
        };
        self.slots.insert(id, slot);
        None
    }

    /// Moves the window's oldest entry behind it, or drops the hole there.
    fn retire_front(&mut self) {
        if let Some(front) = self.window.pop_front() {
            if let Some(value) = front {
                self.in_window -= 1;
                let id = self.base;
                self.insert_behind(id, value);
            }
            self.base += 1;
        }
    }

    fn retire_all(&mut self) {
        while !self.window.is_empty() {
            self.retire_front();
        }
    }

    fn too_many_holes(&self) -> bool {
        self.window.len() > 2 * self.in_window + WINDOW_SLACK
    }

    /// Keeps the window's front a value and its holes few: at most one per value plus
    /// [`WINDOW_SLACK`], so the window's memory stays proportional to what it holds.
    fn tidy(&mut self) {
        loop {
            match self.window.front() {
                Some(None) => {
                    self.window.pop_front();
                    self.base += 1;
                }
                Some(Some(_)) if self.too_many_holes() => self.retire_front(),
                _ => break,
            }
        }
    }
}

impl<V: PartialEq> PartialEq for IdMap<V> {
    /// Equal when they hold the same values under the same ids (where each is kept does not
    /// matter).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    /// Checked against `BTreeMap` on random operations (proptest runs natively only).
    #[cfg(not(target_arch = "wasm32"))]
    mod against_a_btree_map {
        use super::*;
        use proptest::prelude::*;

        /// An operation on the map: ids mostly near the newest one handed out, sometimes far back
        /// or far ahead, as the simulator's ids are.
        #[derive(Clone, Debug)]
        enum Op {
            InsertNext(u8),
            InsertAt(u64),
            Remove(u64),
            RemoveOldest,
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                6 => (0u8..4).prop_map(Op::InsertNext),
                1 => (0u64..100_000).prop_map(Op::InsertAt),
                3 => (0u64..600).prop_map(Op::Remove),
                3 => Just(Op::RemoveOldest),
            ]
        }

        proptest! {
            #[test]
            fn behaves_as_an_ordered_map(ops in proptest::collection::vec(op(), 0..600)) {
                let mut map = IdMap::new();
                let mut model = BTreeMap::new();
                let mut next = 0u64;
                for op in ops {
                    match op {
                        Op::InsertNext(skip) => {
                            next += skip as u64;
                            prop_assert_eq!(map.insert(next, next * 10), model.insert(next, next * 10));
                            next += 1;
                        }
                        Op::InsertAt(id) => prop_assert_eq!(map.insert(id, id), model.insert(id, id)),
                        Op::Remove(back) => {
                            let id = next.saturating_sub(back);
                            prop_assert_eq!(map.remove(&id), model.remove(&id));
                        }
                        Op::RemoveOldest => {
                            let oldest = model.keys().next().copied();
                            if let Some(id) = oldest {
                                prop_assert_eq!(map.remove(&id), model.remove(&id));
                            }
                        }
                    }
                    prop_assert_eq!(map.len(), model.len());
                    prop_assert!(map.window.len() <= 2 * map.in_window + 2 * WINDOW_SLACK + 1);
                }
                let got: Vec<(u64, u64)> = map.iter().map(|(id, &v)| (id, v)).collect();
                let want: Vec<(u64, u64)> = model.iter().map(|(&id, &v)| (id, v)).collect();
                prop_assert_eq!(&got, &want);
                let back: Vec<u64> = map.iter().rev().map(|(id, _)| id).collect();
                let want_back: Vec<u64> = model.keys().rev().copied().collect();
                prop_assert_eq!(back, want_back);
                for id in 0..next + 2 {
                    prop_assert_eq!(map.get(&id), model.get(&id));
                }
            }
        }
    }

    #[test]
    fn an_id_map_behaves_like_a_btree_map() {
        let mut map = IdMap::new();
        let mut tree = BTreeMap::new();
        // Inserts, replacements and removals in a scrambled but fixed order.
        for step in 0..2_000u64 {
            let id = (step * 7_919) % 257;
            if step % 3 == 0 {
                assert_eq!(map.remove(&id), tree.remove(&id));
            } else {
                assert_eq!(map.insert(id, step), tree.insert(id, step));
            }
            assert_eq!(map.len(), tree.len());
        }
        assert!(map.iter().map(|(k, v)| (k, *v)).eq(tree.iter().map(|(k, v)| (*k, *v))));
        assert!(map.values().eq(tree.values()));
        for id in [0, 5, 256, 1_000] {
            assert_eq!(map.get(&id), tree.get(&id));
            assert_eq!(map.contains_key(&id), tree.contains_key(&id));
        }
        for value in map.values_mut_unordered() {
            *value += 1;
        }
        assert!(map.values().eq(tree.values().map(|v| v + 1).collect::<Vec<_>>().iter()));
        // Freed slots are reused: the vectors never grow past the most values held at once.
        assert!(map.values.len() + map.window.len() <= 257 + 2 * WINDOW_SLACK);
        let copy = map.clone();
        assert_eq!(copy, map);
        map.clear();
        assert!(map.is_empty() && map.get(&5).is_none());
    }

    #[test]
    fn a_long_lived_entry_does_not_keep_the_window_growing() {
        let mut map = IdMap::new();
        map.insert(0, 0u64);
        for id in 1..100_000u64 {
            map.insert(id, id);
            map.remove(&id);
        }
        assert_eq!(map.len(), 1);
        assert!(map.window.len() <= WINDOW_SLACK + 2, "{}", map.window.len());
        assert_eq!(map.get(&0), Some(&0));
    }
}
