//! Builds small ordered maps and sets one entry at a time.
//!
//! `collect()` into a map or set sorts its items first, and every key/value type then brings
//! its own copy of the standard sort into the wasm (about 4 KB each). Small maps (an entry per
//! entity, partition or event type) are `LiteMap`s, sorted vectors: each key/value type costs
//! far less code than a `BTreeMap`'s, and a binary search over a few dozen keys is as fast.
//! The maps built here are small, so inserting one by one costs nothing noticeable.

use litemap::LiteMap;
use std::collections::BTreeSet;

/// A map of `pairs`; a later pair replaces an earlier one with the same key, as with `collect`.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> LiteMap<K, V> {
    let mut map = LiteMap::new_vec();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// A set of `items`.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_same_map_and_set_as_collect() {
        let pairs = [(3, "c"), (1, "a"), (3, "z"), (2, "b")];
        let expected: std::collections::BTreeMap<_, _> = pairs.into_iter().collect();
        assert!(map_of(pairs).iter().map(|(k, v)| (*k, *v)).eq(expected.into_iter()));
        let items = [5, 1, 5, 0];
        assert_eq!(set_of(items), items.into_iter().collect::<BTreeSet<_>>());
    }
}
