//! The network between entities, and its partitions: at a time, named entities are split into
//! sides that cannot reach each other, until the network heals. Entities not named stay with the
//! first side. Patterns ask [`Network::reachable`] before a message crosses from one entity to
//! another; a whole network (the default) reaches everything and costs one check.

use crate::kernel::collections::IdMap;
use crate::kernel::ids::EntityId;

#[derive(Clone, Debug, Default)]
pub struct Network {
    /// The side of each entity named in the partition (0: the first side).
    sides: IdMap<u32>,
    /// The sides as named, while the network is split.
    pub split: Vec<Vec<EntityId>>,
    /// Bumped at every split and heal: what was scheduled under an older network is void.
    pub generation: u64,
}

impl Network {
    /// Splits the network into these sides (each a list of entities), replacing any partition.
    pub fn split(&mut self, sides: &[Vec<EntityId>]) {
        self.sides.clear();
        self.split = sides.to_vec();
        for (side, members) in sides.iter().enumerate() {
            for e in members {
                self.sides.insert(u64::from(e.0), side as u32);
            }
        }
        self.generation += 1;
    }

    /// Every entity reaches every other again; returns the sides it had.
    pub fn heal(&mut self) -> Vec<Vec<EntityId>> {
        self.sides.clear();
        self.generation += 1;
        std::mem::take(&mut self.split)
    }

    pub fn is_split(&self) -> bool {
        !self.sides.is_empty()
    }

    /// The side an entity is on (0 for entities the partition does not name).
    pub fn side(&self, e: EntityId) -> u32 {
        self.sides.get(&u64::from(e.0)).copied().unwrap_or(0)
    }

    /// Whether a message from `a` can reach `b` now.
    #[inline]
    pub fn reachable(&self, a: EntityId, b: EntityId) -> bool {
        self.sides.is_empty() || self.side(a) == self.side(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_cannot_reach_each_other_and_unnamed_entities_stay_with_the_first() {
        let [a, b, c, d] = [EntityId(0), EntityId(1), EntityId(2), EntityId(3)];
        let mut net = Network::default();
        assert!(net.reachable(a, b));
        net.split(&[vec![a], vec![b, c]]);
        assert!(net.is_split());
        assert!(!net.reachable(a, b) && !net.reachable(c, a));
        assert!(net.reachable(b, c));
        assert!(net.reachable(a, d), "d is not named: it stays with the first side");
        assert!(!net.reachable(d, b));
        assert_eq!(net.heal(), vec![vec![a], vec![b, c]]);
        assert!(net.reachable(a, b) && !net.is_split());
        assert_eq!(net.generation, 2);
    }
}
