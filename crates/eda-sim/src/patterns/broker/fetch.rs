//! What group members do: fetch the next record of an owned partition, process it, and move
//! their position on (committing it at once under manual commit). An at-most-once member
//! commits when it fetches, before processing; an idempotent one skips a record the group's
//! dedupe store has seen; a read-process-write one writes what it processed to its output topic
//! (in its transaction, if it is transactional); a read-committed one passes over aborted records.

use super::consumer::{amount, body_matches};
use super::dedupe::dedupe_id;
use super::Ctx;
use super::{AbortReason, BrokerPending, BrokerRecord, BrokerWorld, CommitPolicy, Guarantee, Isolation, Role};
use crate::kernel::time::SimDuration;

/// How long a group member waits before fetching again after the broker refused a fetch.
pub const FETCH_RETRY: SimDuration = SimDuration(100_000);

impl BrokerWorld {
    /// An idle member with an owned partition that has unread records fetches the next one.
    pub(super) fn wake(&mut self, ctx: &mut Ctx, consumer: usize) {
        let c = &self.consumers[consumer];
        let Role::Group(group) = c.role else { return };
        if c.down || !c.in_group || c.fetching || c.working.is_some() || c.positions.is_empty() {
            return;
        }
        if !self.has_work(consumer) {
            return;
        }
        let generation = self.groups[group].generation;
        let c = &mut self.consumers[consumer];
        c.fetching = true;
        let delay = self.network_delay.sample(ctx.rng());
        ctx.schedule(
            delay,
            BrokerPending::Fetch {
                consumer,
                epoch: c.epoch,
                generation,
            },
        );
    }

    /// A member whose fetch the broker refused looks for work again.
    pub(super) fn retry_fetch(&mut self, ctx: &mut Ctx, consumer: usize, epoch: u64) {
        if self.consumers[consumer].epoch == epoch {
            self.consumers[consumer].fetching = false;
            self.wake(ctx, consumer);
        }
    }

    pub(super) fn has_work(&self, consumer: usize) -> bool {
        let c = &self.consumers[consumer];
        let Role::Group(group) = c.role else { return false };
        let topic = self.groups[group].topic;
        c.positions
            .iter()
            .any(|(&p, &pos)| pos < self.readable_end(topic, p, c.isolation))
    }

    pub(super) fn fetched(&mut self, ctx: &mut Ctx, consumer: usize, epoch: u64, generation: u64) {
        let c = &self.consumers[consumer];
        let Role::Group(group) = c.role else { return };
        if c.epoch != epoch || c.down || !c.fetching {
            return;
        }
        if self.groups[group].generation != generation {
            self.consumers[consumer].fetching = false;
            self.wake(ctx, consumer);
            return;
        }
        if self.down || c.cut_off {
            ctx.record(BrokerRecord::BrokerUnavailable { consumer: c.entity });
            ctx.schedule(FETCH_RETRY, BrokerPending::Wake { consumer, epoch });
            return;
        }
        let topic_index = self.groups[group].topic;
        let isolation = c.isolation;
        // Round-robin over owned partitions that have records, starting after the last one read.
        let owned: Vec<(u32, u64)> = c.positions.iter().map(|(&p, &o)| (p, o)).collect();
        let start = owned.iter().position(|&(p, _)| p >= c.cursor).unwrap_or(0);
        let pick = (0..owned.len())
            .map(|i| owned[(start + i) % owned.len()])
            .find(|&(p, pos)| pos < self.readable_end(topic_index, p, isolation));
        let c = &mut self.consumers[consumer];
        c.fetching = false;
        let Some((partition, offset)) = pick else { return };
        c.cursor = partition + 1;
        let topic = &self.topics[topic_index];
        let entry = &topic.partitions[partition as usize].log[offset as usize];
        // Read committed: a record of an aborted transaction is passed over.
        if isolation == Isolation::ReadCommitted && self.aborted(entry.transaction) {
            let message = entry.message;
            let c = &mut self.consumers[consumer];
            c.aborted_skipped += 1;
            ctx.record(BrokerRecord::AbortedSkipped {
                message,
                consumer: c.entity,
            });
            self.move_on(ctx, consumer, group, partition, offset);
            return;
        }
        let c = &mut self.consumers[consumer];
        let (message, id) = (
            entry.message,
            dedupe_id(c.dedupe_on.as_deref(), entry.record_id(), &entry.payload),
        );
        ctx.record(BrokerRecord::Fetched {
            message,
            consumer: c.entity,
            topic: topic.entity,
            partition,
            offset,
        });
        // Commit before processing: the position moves on now, so a crash before the record
        // is processed loses it (no member reads it again).
        if c.guarantee == Guarantee::AtMostOnce {
            c.positions.insert(partition, offset + 1);
            self.commit(ctx, group, partition, offset + 1);
        }
        // Seen before by a member of the group: done without processing it again.
        if self.caught_repeat(ctx, consumer, message, id) {
            self.move_on(ctx, consumer, group, partition, offset);
            return;
        }
        let c = &mut self.consumers[consumer];
        c.working = Some((partition, offset));
        c.busy_since = ctx.now;
        let took = c.processing_time.sample(ctx.rng());
        ctx.schedule(
            took,
            BrokerPending::RecordDone {
                consumer,
                partition,
                offset,
                epoch,
            },
        );
    }

    pub(super) fn record_done(&mut self, ctx: &mut Ctx, consumer: usize, partition: u32, offset: u64, epoch: u64) {
        let c = &mut self.consumers[consumer];
        let Role::Group(group) = c.role else { return };
        if c.epoch != epoch || c.working != Some((partition, offset)) {
            return;
        }
        c.working = None;
        c.busy_us += ctx.now.since(c.busy_since).0;
        let topic = self.groups[group].topic;
        let entry = &self.topics[topic].partitions[partition as usize].log[offset as usize];
        let (message, record, from_tracked) = (entry.message, entry.record_id(), entry.has_copies());
        let id = dedupe_id(self.consumers[consumer].dedupe_on.as_deref(), record, &entry.payload);
        // A member whose output cannot reach the broker has not done the record: a transaction
        // fails and is aborted; without one it keeps its position and does the record again.
        let c = &self.consumers[consumer];
        if c.output.topic.is_some() && (self.down || c.cut_off) {
            ctx.record(BrokerRecord::BrokerUnavailable { consumer: c.entity });
            let reason = if self.down {
                AbortReason::BrokerDown
            } else {
                AbortReason::CutOff
            };
            if c.output.open.is_some() {
                self.abort_transaction(ctx, consumer, reason);
            } else {
                ctx.schedule(FETCH_RETRY, BrokerPending::Wake { consumer, epoch });
            }
            return;
        }
        // An idempotent member writes the record's id with its effects in one transaction: if
        // another member wrote it meanwhile (it read the record while this one, revoked, was
        // still at it), the transaction is refused and nothing is done twice.
        if self.caught_repeat(ctx, consumer, message, id) {
            let owns = self.groups[group].owners[partition as usize] == Some(consumer)
                && self.consumers[consumer].positions.contains_key(&partition);
            if owns {
                self.move_on(ctx, consumer, group, partition, offset);
            } else {
                self.wake(ctx, consumer);
            }
            return;
        }
        self.remember_processed(consumer, id);
        let c = &mut self.consumers[consumer];
        let g = &mut self.groups[group];
        c.handled += 1;
        let transactional = c.guarantee == Guarantee::Transactional;
        // A second processing of this offset, or of another copy of the producer's record. A
        // transaction's processing counts when it commits (an aborted one did nothing).
        let duplicate = if transactional {
            g.processed[partition as usize].contains(offset)
                || (from_tracked && g.origins_processed.contains_key(&record))
        } else {
            let again = g.processed[partition as usize].insert(offset);
            let copy_again = from_tracked && g.origins_processed.insert(record, ()).is_some();
            again || copy_again
        };
        if duplicate && !transactional {
            c.duplicates += 1;
        }
        ctx.record(BrokerRecord::Processed {
            message,
            consumer: c.entity,
            partition,
            offset,
            duplicate,
        });
        let entry = &self.topics[g.topic].partitions[partition as usize].log[offset as usize];
        let summed = c.sum_field.as_deref().and_then(|f| amount(&entry.payload, f));
        if let (Some(x), false) = (summed, transactional) {
            c.sum += x;
            if duplicate {
                c.sum_repeated += x;
            }
        }
        if c.notify_when
            .as_ref()
            .is_some_and(|rule| body_matches(rule, &entry.payload))
        {
            c.notified += 1;
            ctx.record(BrokerRecord::Notified {
                message: entry.message,
                consumer: c.entity,
            });
        }
        let owns = g.owners[partition as usize] == Some(consumer) && c.positions.contains_key(&partition);
        let entity = c.entity;
        if transactional {
            self.consumed_in_transaction(consumer, (partition, offset), from_tracked.then_some(record), summed);
        }
        self.write_output(ctx, consumer, partition, offset);
        if owns {
            self.move_on(ctx, consumer, group, partition, offset);
        } else if transactional {
            // A zombie: its commit would carry a generation that is no longer current.
            ctx.record(BrokerRecord::ProcessedAfterRevoke {
                message,
                consumer: entity,
                partition,
                offset,
            });
            self.abort_transaction(ctx, consumer, AbortReason::Fenced);
        } else {
            ctx.record(BrokerRecord::ProcessedAfterRevoke {
                message,
                consumer: entity,
                partition,
                offset,
            });
            self.arm_auto_commit(ctx, group);
            self.wake(ctx, consumer);
        }
    }

    /// A member is done with the record at `offset` (processed, or found in the dedupe store):
    /// its position moves past it, committed at once under manual commit; then it looks for
    /// the next record.
    fn move_on(&mut self, ctx: &mut Ctx, consumer: usize, group: usize, partition: u32, offset: u64) {
        let c = &mut self.consumers[consumer];
        c.positions.insert(partition, offset + 1);
        if self.groups[group].commit == CommitPolicy::Manual {
            if self.down || c.cut_off {
                c.commit_failed = true;
                ctx.record(BrokerRecord::BrokerUnavailable { consumer: c.entity });
            } else if c.guarantee == Guarantee::Transactional {
                self.commit_member(ctx, consumer);
            } else {
                self.commit(ctx, group, partition, offset + 1);
            }
        }
        self.arm_auto_commit(ctx, group);
        self.wake(ctx, consumer);
    }
}
