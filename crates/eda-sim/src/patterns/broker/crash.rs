//! Crash and restart of the broker or a consumer: what was not acknowledged is redelivered, so
//! at-least-once duplicates appear exactly where a real system would produce them; what an
//! at-most-once consumer held is lost, and recorded as lost.

use super::Ctx;
use super::{AbortReason, BrokerPending, BrokerRecord, BrokerWorld, Guarantee, LossReason, Role};
use crate::kernel::entity::EntityKind;
use crate::kernel::error::Switch;

impl BrokerWorld {
    /// Crashes or restarts the broker or a consumer; returns false for other kinds.
    pub fn set_down(&mut self, ctx: &mut Ctx, kind: EntityKind, index: usize, down: bool) -> Switch {
        match kind {
            EntityKind::Broker => {
                if self.down == down {
                    return Switch::Unchanged;
                }
                self.down = down;
                if down {
                    self.epoch += 1;
                    self.abort_all_transactions(ctx);
                    // Producers' connections drop too: acknowledgements waiting for replicas
                    // never go out (the producers time out).
                    for t in &mut self.topics {
                        for p in &mut t.partitions {
                            p.waiting_acks.clear();
                        }
                    }
                    // Connections drop: every unacknowledged delivery returns to its queue
                    // (messages are durable), and consumers lose what they had prefetched.
                    for q in 0..self.queues.len() {
                        let unacked = std::mem::take(&mut self.queues[q].unacked);
                        // Back to the head in their delivery order.
                        for (message, _) in unacked.into_iter().rev() {
                            self.requeue(ctx, q, message);
                        }
                    }
                    for i in 0..self.consumers.len() {
                        let c = &mut self.consumers[i];
                        if matches!(c.role, Role::Queue(_)) {
                            c.holding = 0;
                            let buffered = std::mem::take(&mut c.buffer);
                            for message in buffered {
                                self.release(ctx, i, message, LossReason::ConnectionLost);
                            }
                        }
                    }
                } else {
                    self.retry_failed_commits(ctx);
                    for q in 0..self.queues.len() {
                        self.dispatch(ctx, q);
                    }
                    for c in 0..self.consumers.len() {
                        self.consumers[c].fetching = false;
                        self.wake(ctx, c);
                    }
                }
                Switch::Switched
            }
            EntityKind::Consumer => {
                let c = &mut self.consumers[index];
                if c.down == down {
                    return Switch::Unchanged;
                }
                c.down = down;
                c.epoch += 1;
                c.doubled_pending.clear();
                let mut dropped: Vec<u64> = std::mem::take(&mut c.buffer).into();
                let processing = c.processing.take();
                let working = c.working;
                if processing.is_some() || c.working.take().is_some() {
                    c.busy_us += ctx.now.since(c.busy_since).0;
                }
                // What it was processing first, then its buffer: copies that leave its hands.
                dropped.splice(0..0, processing);
                for message in dropped {
                    self.release(ctx, index, message, LossReason::ConsumerDown);
                }
                let c = &mut self.consumers[index];
                c.fetching = false;
                c.holding = 0;
                match c.role.clone() {
                    Role::Queue(queue) => {
                        if down {
                            self.requeue_held_by(ctx, queue, index);
                        }
                        self.dispatch(ctx, queue);
                    }
                    Role::Group(group) => {
                        if down {
                            if let Some((partition, offset)) = working {
                                self.lose_if_committed_past(ctx, index, group, partition, offset);
                            }
                            // Silent until the session times out: its partitions stall meanwhile.
                            let session = self.groups[group].session_timeout;
                            let epoch = self.consumers[index].epoch;
                            ctx.schedule(session, BrokerPending::SessionExpired { consumer: index, epoch });
                        } else {
                            // A restarted process is a new member: the old one leaves, it joins
                            // (when the network lets it reach the group: else at the heal).
                            // Its new incarnation fences the old one's open transaction.
                            self.drop_transaction(ctx, index, AbortReason::Fenced);
                            let reachable = !self.consumers[index].cut_off;
                            if self.consumers[index].in_group && reachable {
                                self.remove_member(ctx, group, index);
                            }
                            let c = &mut self.consumers[index];
                            c.positions.clear();
                            // A new incarnation: nothing of its old self to commit or rejoin.
                            c.commit_failed = false;
                            c.rejoin_at_heal = false;
                            if reachable {
                                self.add_member(ctx, group, index);
                                self.rebalance(ctx, group, None);
                            } else {
                                self.consumers[index].rejoin_at_heal = true;
                            }
                        }
                    }
                }
                Switch::Switched
            }
            _ => Switch::Unsupported,
        }
    }

    /// A member went down while processing the record at `offset`: if it was at-most-once and
    /// the group has committed past the record that nobody processed, no member will read it
    /// again: it is lost.
    fn lose_if_committed_past(&mut self, ctx: &mut Ctx, consumer: usize, group: usize, partition: u32, offset: u64) {
        let g = &self.groups[group];
        let p = partition as usize;
        let committed_past = g.committed[p].is_some_and(|c| c > offset);
        let processed = g.processed[p].contains(offset);
        if self.consumers[consumer].guarantee != Guarantee::AtMostOnce || !committed_past || processed {
            return;
        }
        let message = self.topics[g.topic].partitions[p].log[offset as usize].message;
        self.groups[group].lost += 1;
        self.lost_total += 1;
        let c = &mut self.consumers[consumer];
        c.lost += 1;
        ctx.record(BrokerRecord::Lost {
            message,
            consumer: c.entity,
            reason: LossReason::ConsumerDown,
        });
    }
}
