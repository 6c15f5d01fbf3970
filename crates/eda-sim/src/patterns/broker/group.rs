//! Kafka-like consumer groups: members join and leave (or are declared dead after the session
//! timeout), and every change of membership rebalances the group's partitions.

use super::Ctx;
use super::{
    assign, AbortReason, Assignor, BrokerRecord, BrokerWorld, CommitPolicy, DedupeStore, Guarantee, OffsetReset, Role,
    Topic,
};
use crate::kernel::ids::EntityId;
use crate::kernel::time::SimDuration;

#[derive(Clone, Debug)]
pub struct Group {
    pub entity: EntityId,
    pub topic: usize,
    pub assignor: Assignor,
    pub reset: OffsetReset,
    pub commit: CommitPolicy,
    pub session_timeout: SimDuration,
    /// Members in the group now, sorted by id.
    pub members: Vec<usize>,
    pub owners: Vec<Option<usize>>,
    pub committed: Vec<Option<u64>>,
    /// The offsets processed so far, per partition: one bit per record of the log (to spot a
    /// second processing exactly, whatever the order members finish records in).
    pub processed: Vec<ProcessedOffsets>,
    /// Producer ids of records processed so far, for producers whose retries make copies: a
    /// copy at another offset processed again is a duplicate too.
    pub origins_processed: crate::kernel::collections::IdMap<()>,
    pub generation: u64,
    pub rebalances: u64,
    /// Whether the auto-commit timer is pending.
    pub commit_timer_armed: bool,
    /// The dedupe store of its idempotent members, if it has any (keyed by record id).
    pub dedupe: Option<DedupeStore>,
    /// Records committed past before any member processed them (at-most-once members).
    pub lost: u64,
    /// Read-process-write: each input record's id → the id every record its members write for
    /// it shares (so that a record written again is a copy, and counts once as expected).
    pub(super) derived: crate::kernel::collections::IdMap<u64>,
}

/// A set of offsets of one partition, one bit each: as long as the partition's log, which the
/// broker holds anyway, divided by 64.
#[derive(Clone, Debug, Default)]
pub struct ProcessedOffsets {
    words: Vec<u64>,
}

impl ProcessedOffsets {
    pub fn contains(&self, offset: u64) -> bool {
        let (word, bit) = ((offset / 64) as usize, offset % 64);
        self.words.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }

    /// Adds `offset`; returns whether it was there already.
    pub fn insert(&mut self, offset: u64) -> bool {
        let (word, bit) = ((offset / 64) as usize, offset % 64);
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        let had = self.words[word] & (1 << bit) != 0;
        self.words[word] |= 1 << bit;
        had
    }
}

impl Group {
    /// Records not yet committed, per partition.
    pub fn lag(&self, topic: &Topic) -> Vec<u64> {
        topic
            .partitions
            .iter()
            .zip(&self.committed)
            .map(|(p, c)| p.log.len() as u64 - c.unwrap_or(0).min(p.log.len() as u64))
            .collect()
    }
}

impl BrokerWorld {
    pub(super) fn add_member(&mut self, ctx: &mut Ctx, group: usize, consumer: usize) {
        let c = &mut self.consumers[consumer];
        c.in_group = true;
        let entity = c.entity;
        let g = &mut self.groups[group];
        g.members.push(consumer);
        crate::kernel::collections::sort_by_key(&mut g.members, |&m| m);
        ctx.record(BrokerRecord::Membership {
            group: g.entity,
            consumer: entity,
            left: false,
        });
    }

    pub(super) fn remove_member(&mut self, ctx: &mut Ctx, group: usize, consumer: usize) {
        let c = &mut self.consumers[consumer];
        c.in_group = false;
        let entity = c.entity;
        let g = &mut self.groups[group];
        g.members.retain(|&m| m != consumer);
        ctx.record(BrokerRecord::Membership {
            group: g.entity,
            consumer: entity,
            left: true,
        });
    }

    /// A member joins its group now (script or UI).
    pub fn join_now(&mut self, ctx: &mut Ctx, consumer: usize) {
        self.join(ctx, consumer);
    }

    pub(super) fn join(&mut self, ctx: &mut Ctx, consumer: usize) {
        let c = &self.consumers[consumer];
        // Cut off by a partition, it cannot reach the group's coordinator: it joins at the heal.
        if c.in_group || c.down || c.cut_off {
            return;
        }
        if let Role::Group(g) = c.role {
            self.add_member(ctx, g, consumer);
            self.rebalance(ctx, g, None);
        }
    }

    /// A member leaves gracefully: with auto-commit its positions are committed first.
    pub fn leave(&mut self, ctx: &mut Ctx, consumer: usize) {
        let c = &self.consumers[consumer];
        if !c.in_group {
            return;
        }
        if let Role::Group(g) = c.role {
            self.remove_member(ctx, g, consumer);
            self.rebalance(ctx, g, Some(consumer));
        }
    }

    /// A crashed member stayed silent for the whole session timeout: the group drops it and
    /// rebalances.
    pub(super) fn session_expired(&mut self, ctx: &mut Ctx, consumer: usize, epoch: u64) {
        let c = &self.consumers[consumer];
        if c.down && c.epoch == epoch && c.in_group {
            if let Role::Group(g) = c.role {
                // Its open transaction times out with it.
                self.drop_transaction(ctx, consumer, AbortReason::TimedOut);
                self.remove_member(ctx, g, consumer);
                self.rebalance(ctx, g, None);
            }
        }
    }

    /// Reassigns the group's partitions. Members that are still alive commit the positions of
    /// the partitions they give up (graceful revocation) when the group auto-commits;
    /// `graceful_leaver` is a member that left politely and commits too.
    pub(super) fn rebalance(&mut self, ctx: &mut Ctx, group: usize, graceful_leaver: Option<usize>) {
        // Transactional members still running commit before they give partitions up (as Kafka
        // Streams does on revocation), so their successors start after what they wrote.
        let members = self.groups[group].members.clone();
        for m in members.into_iter().chain(graceful_leaver) {
            if self.consumers[m].guarantee != Guarantee::Transactional {
                continue;
            }
            self.commit_member(ctx, m);
            // One whose commit must wait for followers cannot carry it past the rebalance; one
            // leaving that could not commit (down, or cut off) leaves it to time out.
            let c = &self.consumers[m];
            if c.output.open.is_some() && graceful_leaver == Some(m) {
                self.drop_transaction(ctx, m, AbortReason::TimedOut);
            } else if c.output.open.is_some() && !c.down && !c.cut_off && !self.down {
                self.abort_transaction(ctx, m, AbortReason::Fenced);
            }
        }
        let g = &self.groups[group];
        let partitions = g.owners.len() as u32;
        let new_owners = assign(g.assignor, partitions, &g.members, &g.owners);
        let auto = matches!(g.commit, CommitPolicy::Auto { .. });
        let eager = g.assignor != Assignor::CooperativeSticky;
        let old_owners = g.owners.clone();
        for (p, (&old, &new)) in old_owners.iter().zip(&new_owners).enumerate() {
            let Some(old) = old else { continue };
            if Some(old) == new && !eager {
                continue; // cooperative: a partition that stays is not revoked
            }
            let alive = !self.consumers[old].down
                && !self.consumers[old].cut_off
                && (self.consumers[old].in_group || graceful_leaver == Some(old));
            if let Some(position) = self.consumers[old].positions.remove(&(p as u32)) {
                let transactional = self.consumers[old].guarantee == Guarantee::Transactional;
                if auto && alive && !transactional {
                    self.commit(ctx, group, p as u32, position);
                }
            }
        }
        let g = &mut self.groups[group];
        g.owners = new_owners;
        g.generation += 1;
        g.rebalances += 1;
        let owners = g.owners.clone();
        let owner_entities = owners.iter().map(|o| o.map(|c| self.consumers[c].entity)).collect();
        ctx.record(BrokerRecord::Rebalanced {
            group: g.entity,
            generation: g.generation,
            owners: owner_entities,
        });
        for (p, owner) in owners.iter().enumerate() {
            let Some(owner) = *owner else { continue };
            let start = self.start_position(group, p as u32);
            self.consumers[owner].positions.entry(p as u32).or_insert(start);
        }
        // A fetch in flight belongs to the old generation; let every member look for work.
        let members = self.groups[group].members.clone();
        for m in members {
            self.consumers[m].fetching = false;
            self.wake(ctx, m);
        }
    }
}
