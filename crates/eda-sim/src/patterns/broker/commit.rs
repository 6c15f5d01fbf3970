//! Committed offsets of consumer groups: where a group resumes a partition. Auto-commit on a
//! timer (and on graceful revocation), or manual commit after each processed record; a
//! transactional member's commit is its transaction's (see `transaction`).

use super::Ctx;
use super::{BrokerPending, BrokerRecord, BrokerWorld, CommitPolicy, Guarantee, Role};

impl BrokerWorld {
    /// Starts a group's auto-commit timer if it is not running (it runs while there is progress
    /// to commit, so a quiet group lets a run end).
    pub(super) fn arm_auto_commit(&mut self, ctx: &mut Ctx, group: usize) {
        let g = &mut self.groups[group];
        if let (CommitPolicy::Auto { interval }, false) = (&g.commit, g.commit_timer_armed) {
            g.commit_timer_armed = true;
            ctx.schedule(*interval, BrokerPending::AutoCommit { group });
        }
    }

    /// The auto-commit timer: commits every live member's positions, and runs again while the
    /// group is busy or has progress left to commit.
    pub(super) fn auto_commit(&mut self, ctx: &mut Ctx, group: usize) {
        self.groups[group].commit_timer_armed = false;
        self.commit_all(ctx, group);
        let busy = self.groups[group].members.iter().any(|&m| {
            let c = &self.consumers[m];
            c.working.is_some() || c.fetching || self.has_work(m)
        });
        if busy || self.uncommitted(group) {
            self.arm_auto_commit(ctx, group);
        }
    }

    pub(super) fn commit(&mut self, ctx: &mut Ctx, group: usize, partition: u32, offset: u64) {
        let g = &mut self.groups[group];
        let slot = &mut g.committed[partition as usize];
        if *slot == Some(offset) {
            return;
        }
        *slot = Some(offset);
        ctx.record(BrokerRecord::Committed {
            group: g.entity,
            partition,
            offset,
        });
    }

    pub(super) fn commit_all(&mut self, ctx: &mut Ctx, group: usize) {
        if self.down {
            return;
        }
        let members = self.groups[group].members.clone();
        for m in members {
            // A member cut off by a partition cannot reach the group's coordinator.
            if self.consumers[m].down || self.consumers[m].cut_off {
                continue;
            }
            self.commit_positions(ctx, group, m);
        }
    }

    /// Commits a member's positions; a transactional member commits them in its transaction.
    fn commit_positions(&mut self, ctx: &mut Ctx, group: usize, member: usize) {
        if self.consumers[member].guarantee == Guarantee::Transactional {
            self.commit_member(ctx, member);
            return;
        }
        let positions: Vec<(u32, u64)> = self.consumers[member].positions.iter().map(|(&p, &o)| (p, o)).collect();
        for (p, offset) in positions {
            self.commit(ctx, group, p, offset);
        }
    }

    /// True when a live member's position is ahead of the group's committed offset.
    pub(super) fn uncommitted(&self, group: usize) -> bool {
        let g = &self.groups[group];
        g.members.iter().any(|&m| {
            let c = &self.consumers[m];
            !c.down
                && c.positions
                    .iter()
                    .any(|(&p, &pos)| g.committed[p as usize] != Some(pos))
        })
    }

    /// Members whose manual commit failed commit their positions now that they can reach the
    /// broker (it restarted, or the network healed).
    pub(super) fn retry_failed_commits(&mut self, ctx: &mut Ctx) {
        if self.down {
            return;
        }
        for m in 0..self.consumers.len() {
            let c = &self.consumers[m];
            let Role::Group(group) = c.role else { continue };
            if !c.commit_failed || c.down || c.cut_off || !c.in_group {
                continue;
            }
            self.consumers[m].commit_failed = false;
            self.commit_positions(ctx, group, m);
        }
    }
}
