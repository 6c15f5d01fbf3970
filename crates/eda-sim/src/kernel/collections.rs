//! Builds small ordered maps and sets one entry at a time.
//!
//! `collect()` into a map or set sorts its items first, and every key/value type then brings
//! its own copy of the standard sort into the wasm (about 4 KB each). Small maps (an entry per
//! entity, partition or event type) are `LiteMap`s, sorted vectors: each key/value type costs
//! far less code than a `BTreeMap`'s, and a binary search over a few dozen keys is as fast.
//! The maps built here are small, so inserting one by one costs nothing noticeable.

use litemap::LiteMap;
use serde_json::{Map, Value};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Values keyed by id (messages, requests, calls in flight), in id order: what a
/// `BTreeMap<u64, V>` gives, but every `IdMap` shares one `BTreeMap<u64, u32>` (id → slot) and
/// keeps its values in a vector of slots. A `BTreeMap` per value type put about 5 KB of tree
/// code per type into the wasm; these maps grow large and shrink from anywhere, so a sorted
/// vector would not do.
#[derive(Clone, Debug)]
pub struct IdMap<V> {
    slots: BTreeMap<u64, u32>,
    values: Vec<Option<V>>,
    /// Slots whose value was removed, reused before the vector grows.
    free: Vec<u32>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
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
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn contains_key(&self, id: &u64) -> bool {
        self.slots.contains_key(id)
    }

    pub fn get(&self, id: &u64) -> Option<&V> {
        let slot = *self.slots.get(id)?;
        self.values[slot as usize].as_ref()
    }

    pub fn get_mut(&mut self, id: &u64) -> Option<&mut V> {
        let slot = *self.slots.get(id)?;
        self.values[slot as usize].as_mut()
    }

    /// Stores `value` under `id`, returning the value it replaces.
    pub fn insert(&mut self, id: u64, value: V) -> Option<V> {
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

    pub fn remove(&mut self, id: &u64) -> Option<V> {
        let slot = self.slots.remove(id)?;
        self.free.push(slot);
        self.values[slot as usize].take()
    }

    pub fn clear(&mut self) {
        self.slots.clear();
        self.values.clear();
        self.free.clear();
    }

    /// `(id, value)` in id order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&u64, &V)> + '_ {
        self.slots
            .iter()
            .filter_map(|(id, &slot)| Some((id, self.values[slot as usize].as_ref()?)))
    }

    /// The values in id order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + '_ {
        self.iter().map(|(_, value)| value)
    }

    /// The values in no particular order (for changes that do not depend on order).
    pub fn values_mut_unordered(&mut self) -> impl Iterator<Item = &mut V> + '_ {
        self.values.iter_mut().flatten()
    }
}

impl<V: PartialEq> PartialEq for IdMap<V> {
    /// Equal when they hold the same values under the same ids (slots do not matter).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// A map of `pairs`; a later pair replaces an earlier one with the same key, as with `collect`.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> LiteMap<K, V> {
    let mut map = LiteMap::new_vec();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// A small ordered set (subscriptions, watched names, the records of a path): a sorted vector
/// behind the `BTreeSet` operations the simulator uses. Each element type of a `BTreeSet`
/// brings its own tree code into the wasm; these sets hold a few dozen items, where a binary
/// search is as fast and a copy (for a snapshot) is one allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Set<T> {
    items: LiteMap<T, ()>,
}

impl<T: Ord> Default for Set<T> {
    fn default() -> Self {
        Set {
            items: LiteMap::new_vec(),
        }
    }
}

impl<T: Ord> Set<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`; false if it was already there.
    pub fn insert(&mut self, item: T) -> bool {
        self.items.try_insert(item, ()).is_none()
    }

    /// Removes `item`; false if it was not there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.items.remove(item).is_some()
    }

    pub fn contains<Q: Ord + ?Sized>(&self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.items.contains_key(item)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The items in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.items.keys()
    }
}

/// A set of `items`.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> Set<T> {
    let mut set = Set::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// A JSON object of `pairs` (a later pair replaces an earlier one with the same key).
pub fn object_of(pairs: impl IntoIterator<Item = (String, Value)>) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// Sorts `items` by `key`, stably (items with equal keys keep their order).
///
/// The standard sort compiles to several kilobytes of wasm per element type; this sorts a list
/// of positions through one compiled copy of it, then moves the items into that order.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &|a, b| key(&items[a]).cmp(&key(&items[b])));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&at| slots[at as usize].take()));
}

/// Positions `0..len` in the order `compare` gives them, stably.
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..len as u32).collect();
    order.sort_by(|&a, &b| compare(a as usize, b as usize));
    order
}

#[cfg(test)]
// The standard B-tree set is the reference these tests hold `Set` to.
#[allow(clippy::disallowed_types)]
mod tests {
    use super::*;

    #[test]
    fn sorting_by_key_is_stable_and_matches_the_standard_sort() {
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        for len in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    ((rng % 5) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |&(k, _)| k);
            let mut standard = items.clone();
            standard.sort_by_key(|&(k, _)| k);
            assert_eq!(ours, standard, "length {len}");
        }
    }

    #[test]
    fn objects_keep_the_last_value_of_a_key() {
        let map = object_of([
            ("b".to_string(), Value::from(1)),
            ("a".into(), Value::from(2)),
            ("b".into(), Value::from(3)),
        ]);
        assert_eq!(Value::Object(map), serde_json::json!({"a": 2, "b": 3}));
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
        assert!(map.iter().map(|(k, v)| (*k, *v)).eq(tree.iter().map(|(k, v)| (*k, *v))));
        assert!(map.values().eq(tree.values()));
        for id in [0, 5, 256, 1_000] {
            assert_eq!(map.get(&id), tree.get(&id));
            assert_eq!(map.contains_key(&id), tree.contains_key(&id));
        }
        for value in map.values_mut_unordered() {
            *value += 1;
        }
        assert!(map.values().eq(tree.values().map(|v| v + 1).collect::<Vec<_>>().iter()));
        // Freed slots are reused: the vector never grows past the most values held at once.
        assert!(map.values.len() <= 257);
        let copy = map.clone();
        assert_eq!(copy, map);
        map.clear();
        assert!(map.is_empty() && map.get(&5).is_none());
    }

    #[test]
    fn builds_the_same_map_and_set_as_collect() {
        let pairs = [(3, "c"), (1, "a"), (3, "z"), (2, "b")];
        let expected: std::collections::BTreeMap<_, _> = pairs.into_iter().collect();
        assert!(map_of(pairs).iter().map(|(k, v)| (*k, *v)).eq(expected.into_iter()));
        let items = [5, 1, 5, 0];
        let expected: std::collections::BTreeSet<_> = items.into_iter().collect();
        assert!(set_of(items).iter().eq(expected.iter()));
    }

    #[test]
    fn a_set_behaves_like_a_btree_set() {
        let mut set = Set::new();
        let mut tree = std::collections::BTreeSet::new();
        for step in 0..500u32 {
            let item = (step * 37) % 61;
            if step % 4 == 0 {
                assert_eq!(set.remove(&item), tree.remove(&item));
            } else {
                assert_eq!(set.insert(item), tree.insert(item));
            }
            assert_eq!(set.len(), tree.len());
            assert_eq!(set.contains(&((step * 11) % 61)), tree.contains(&((step * 11) % 61)));
        }
        assert!(set.iter().eq(tree.iter()));
        assert!(set.iter().rev().eq(tree.iter().rev()));
        set.clear();
        assert!(set.is_empty());
    }
}
