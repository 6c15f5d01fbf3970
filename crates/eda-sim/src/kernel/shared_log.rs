//! An append-only log whose copies share what they have in common. A topic's partitions and an
//! event store's log only grow at their end, and a timeline keeps copies of the whole simulation
//! (snapshots) every so many events: with a plain vector each copy would hold the whole log
//! again. Here the log is a row of full chunks, never changed once full and shared between
//! copies, and a short tail of its newest entries: copying costs the tail and a pointer per
//! chunk, whatever the log's length.

use std::ops::Index;
use std::sync::Arc;

/// Entries per shared chunk.
const CHUNK: usize = 1_024;

#[derive(Debug)]
pub struct SharedLog<T> {
    full: Vec<Arc<[T]>>,
    tail: Vec<T>,
}

impl<T> Default for SharedLog<T> {
    fn default() -> Self {
        SharedLog {
            full: Vec::new(),
            tail: Vec::new(),
        }
    }
}

impl<T: Clone> Clone for SharedLog<T> {
    fn clone(&self) -> Self {
        SharedLog {
            full: self.full.clone(),
            tail: self.tail.clone(),
        }
    }
}

impl<T> SharedLog<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.full.len() * CHUNK + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry at `index` (0 is the oldest).
    pub fn get(&self, index: usize) -> Option<&T> {
        let chunk = index / CHUNK;
        match chunk.cmp(&self.full.len()) {
            std::cmp::Ordering::Less => self.full[chunk].get(index % CHUNK),
            std::cmp::Ordering::Equal => self.tail.get(index % CHUNK),
            std::cmp::Ordering::Greater => None,
        }
    }

    /// Appends an entry; a full tail becomes a shared chunk.
    pub fn push(&mut self, entry: T) {
        self.tail.push(entry);
        if self.tail.len() == CHUNK {
            let chunk: Arc<[T]> = std::mem::take(&mut self.tail).into();
            self.full.push(chunk);
        }
    }

    /// Every entry, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.full.iter().flat_map(|chunk| chunk.iter()).chain(self.tail.iter())
    }

    pub fn last(&self) -> Option<&T> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Keeps the first `len` entries and returns the others, oldest first (a replicated
    /// partition's new leader lacks what only the old one had). Chunks past `len` are copied
    /// out of sharing: at most the entries removed and one chunk.
    pub fn truncate(&mut self, len: usize) -> Vec<T>
    where
        T: Clone,
    {
        if len >= self.len() {
            return Vec::new();
        }
        let keep_full = len / CHUNK;
        let mut rest: Vec<T> = self
            .full
            .drain(keep_full..)
            .flat_map(|chunk| chunk.iter().cloned().collect::<Vec<T>>())
            .collect();
        rest.append(&mut self.tail);
        let removed = rest.split_off(len % CHUNK);
        self.tail = rest;
        removed
    }
}

impl<T> Index<usize> for SharedLog<T> {
    type Output = T;

    /// Like a vector's: an index past the end is a bug of the caller.
    fn index(&self, index: usize) -> &T {
        self.get(index).expect("an index within the log")
    }
}

impl<'a, T> IntoIterator for &'a SharedLog<T> {
    type Item = &'a T;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = &'a T> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_reads_like_the_vector_it_replaces_and_copies_share_full_chunks() {
        let mut log = SharedLog::new();
        let mut plain = Vec::new();
        for i in 0..(CHUNK * 3 + 17) {
            log.push(i);
            plain.push(i);
        }
        assert_eq!(log.len(), plain.len());
        assert!(log.iter().eq(plain.iter()));
        assert!((&log).into_iter().rev().eq(plain.iter().rev()));
        for i in [0, 1, CHUNK - 1, CHUNK, CHUNK * 3, plain.len() - 1] {
            assert_eq!(log.get(i), plain.get(i));
            assert_eq!(log[i], plain[i]);
        }
        assert_eq!(log.get(plain.len()), None);
        assert_eq!(log.last(), plain.last());
        let mut copy = log.clone();
        assert!(Arc::ptr_eq(&copy.full[0], &log.full[0]), "full chunks are shared");
        copy.push(99);
        assert_eq!((copy.len(), log.len()), (plain.len() + 1, plain.len()));
        assert!(SharedLog::<u8>::new().is_empty());
    }

    #[test]
    fn truncating_keeps_a_prefix_returns_the_rest_and_leaves_copies_alone() {
        for (total, keep) in [
            (CHUNK * 3 + 17, CHUNK * 2 + 5),
            (CHUNK * 2, CHUNK),
            (40, 10),
            (40, 40),
            (5, 0),
        ] {
            let mut log = SharedLog::new();
            (0..total).for_each(|i| log.push(i));
            let before = log.clone();
            let removed = log.truncate(keep);
            assert_eq!(removed, (keep..total).collect::<Vec<_>>(), "{total}/{keep}");
            assert!(log.iter().copied().eq(0..keep));
            assert_eq!(log.len(), keep);
            log.push(7);
            assert_eq!((log.len(), log.last()), (keep + 1, Some(&7)));
            assert!(before.iter().copied().eq(0..total), "a copy keeps what it had");
        }
    }
}
