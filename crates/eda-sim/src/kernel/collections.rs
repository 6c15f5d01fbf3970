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

pub use crate::kernel::id_map::IdMap;

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
