//! Read-process-write, and Kafka's transactions that make it exactly-once within the broker.
//!
//! A group member with `writes_to` writes a record to that topic for each record it processes,
//! as a stream processor does. Without transactions the write and the consumed offset are two
//! steps: a crash between them makes the member's successor process the record again and write
//! it twice. A transactional member writes its records and its offsets in one transaction,
//! committed at the group's commit (after each record, or every interval). A crash, a fenced
//! zombie, a broker crash or a leader failover under its records aborts the transaction: its
//! records stay in the log, marked aborted, and the member (or its successor) starts again from
//! the offsets committed last. Readers that read committed records only never see an open
//! transaction's records (they stop at the last stable offset) nor an aborted one's; readers
//! that read uncommitted see both, so a crash still doubles what they count.

use super::Ctx;
use super::{
    partition_for_key, AbortReason, BrokerRecord, BrokerWorld, Guarantee, Isolation, LogEntry, OffsetReset, Role,
};

/// How a transaction ended, or that it has not yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionOutcome {
    Open,
    Committed,
    Aborted,
}

/// A member's transaction in progress.
#[derive(Clone, Debug, Default)]
pub struct OpenTransaction {
    pub id: u64,
    /// The group's generation when it began: a commit in a later one is a zombie's, fenced.
    generation: u64,
    /// Records written in it.
    pub records: u32,
    /// Partitions of its output topic it wrote to, each once, with the offset of the last
    /// record it wrote there.
    touched: Vec<(u32, u64)>,
    /// Records it consumed: (partition, offset, producer's id for copies if any, amount summed).
    inputs: Vec<(u32, u64, Option<u64>, Option<f64>)>,
}

/// What a read-process-write member writes, and its transactions.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// The topic it writes to.
    pub topic: Option<usize>,
    pub open: Option<OpenTransaction>,
    /// Its commit waits for the followers of an output partition to copy its records.
    pub(super) commit_waiting: bool,
    pub written: u64,
    pub committed: u64,
    pub aborted: u64,
}

impl BrokerWorld {
    /// A member processed the record at `offset` of `partition` (of its group's topic): it
    /// writes one record to its output topic, within its transaction if it is transactional.
    /// The copies written for one input record share one id, so their readers tell a repeat.
    pub(super) fn write_output(&mut self, ctx: &mut Ctx, consumer: usize, partition: u32, offset: u64) {
        let c = &self.consumers[consumer];
        let (Some(out), Role::Group(group)) = (c.output.topic, c.role.clone()) else {
            return;
        };
        let input = &self.topics[self.groups[group].topic].partitions[partition as usize].log[offset as usize];
        let (input_id, key, payload) = (input.record_id(), input.key.clone(), input.payload.clone());
        let partitions = self.topics[out].partitions.len() as u32;
        let to = match &key {
            Some(k) => partition_for_key(k, partitions),
            None => partition % partitions,
        };
        let shared = match self.groups[group].derived.get(&input_id) {
            Some(&id) => id,
            None => {
                let id = self.take_message_id();
                self.groups[group].derived.insert(input_id, id);
                self.count_expected(out, &payload);
                id
            }
        };
        let transaction =
            (self.consumers[consumer].guarantee == Guarantee::Transactional).then(|| self.open_transaction(consumer));
        let message = self.take_message_id();
        let mut entry = LogEntry::new(message, key, payload);
        entry.derived = Some(shared);
        entry.transaction = transaction;
        let entity = self.consumers[consumer].entity;
        let at = self.append_at(ctx, entity, (out, to), entry);
        let o = &mut self.consumers[consumer].output;
        o.written += 1;
        if let Some(open) = o.open.as_mut().filter(|_| transaction.is_some()) {
            open.records += 1;
            match open.touched.iter_mut().find(|(p, _)| *p == to) {
                Some(last) => last.1 = at,
                None => open.touched.push((to, at)),
            }
        }
    }

    /// The member's open transaction (one is begun if none is).
    fn open_transaction(&mut self, consumer: usize) -> u64 {
        if let Some(t) = &self.consumers[consumer].output.open {
            return t.id;
        }
        let id = self.transactions.len() as u64;
        self.transactions.push(TransactionOutcome::Open);
        let generation = match self.consumers[consumer].role {
            Role::Group(g) => self.groups[g].generation,
            Role::Queue(_) => 0,
        };
        self.consumers[consumer].output.open = Some(OpenTransaction {
            id,
            generation,
            ..Default::default()
        });
        id
    }

    /// A transactional member processed a record: what processing it counts for (a second
    /// processing, the amount it adds) counts when its transaction commits, not before.
    pub(super) fn consumed_in_transaction(
        &mut self,
        consumer: usize,
        (partition, offset): (u32, u64),
        copies: Option<u64>,
        amount: Option<f64>,
    ) {
        self.open_transaction(consumer);
        if let Some(open) = self.consumers[consumer].output.open.as_mut() {
            open.inputs.push((partition, offset, copies, amount));
        }
    }

    /// The end of what `isolation` lets a member read of a partition: the high watermark, or
    /// for read committed, the first record of a transaction still open if that is lower.
    pub(super) fn readable_end(&self, topic: usize, partition: u32, isolation: Isolation) -> u64 {
        let part = &self.topics[topic].partitions[partition as usize];
        match isolation {
            Isolation::ReadCommitted => part.last_stable_offset(),
            Isolation::ReadUncommitted => part.high_watermark,
        }
    }

    /// Whether a record belongs to a transaction still open.
    pub fn open(&self, transaction: Option<u64>) -> bool {
        transaction.is_some_and(|t| self.transactions.get(t as usize) == Some(&TransactionOutcome::Open))
    }

    /// Whether a record belongs to a transaction that was aborted.
    pub fn aborted(&self, transaction: Option<u64>) -> bool {
        transaction.is_some_and(|t| self.transactions.get(t as usize) == Some(&TransactionOutcome::Aborted))
    }

    /// Commits a member's offsets, and for a transactional one its transaction with them: its
    /// records become readable to read-committed readers, and what it processed counts. A
    /// member that cannot reach the broker commits nothing; one whose records the followers
    /// have not yet all copied commits once they have; one whose transaction began before a
    /// rebalance is a zombie, and its transaction is aborted.
    pub(super) fn commit_member(&mut self, ctx: &mut Ctx, consumer: usize) {
        let c = &self.consumers[consumer];
        let Role::Group(group) = c.role else { return };
        if c.down {
            return;
        }
        if self.down || c.cut_off {
            // It commits once it can reach the broker again.
            self.consumers[consumer].commit_failed = true;
            return;
        }
        if c.output
            .open
            .as_ref()
            .is_some_and(|t| t.generation != self.groups[group].generation)
        {
            // Begun before a rebalance it missed: the coordinator refuses a stale generation.
            self.abort_transaction(ctx, consumer, AbortReason::Fenced);
            return;
        }
        if let (Some(open), Some(out)) = (&c.output.open, c.output.topic) {
            let parts = &self.topics[out].partitions;
            let unreplicated = open
                .touched
                .iter()
                .any(|&(p, last)| parts[p as usize].high_watermark <= last);
            if unreplicated {
                self.consumers[consumer].output.commit_waiting = true;
                return;
            }
        }
        let positions: Vec<(u32, u64)> = c.positions.iter().map(|(&p, &o)| (p, o)).collect();
        for (p, offset) in positions {
            self.commit(ctx, group, p, offset);
        }
        let c = &mut self.consumers[consumer];
        c.output.commit_waiting = false;
        let Some(open) = c.output.open.take() else { return };
        c.output.committed += 1;
        let g = &mut self.groups[group];
        for &(partition, offset, copies, amount) in &open.inputs {
            let again = g.processed[partition as usize].insert(offset);
            let copy_again = copies.is_some_and(|id| g.origins_processed.insert(id, ()).is_some());
            let duplicate = again || copy_again;
            c.duplicates += u64::from(duplicate);
            if let Some(x) = amount {
                c.sum += x;
                if duplicate {
                    c.sum_repeated += x;
                }
            }
        }
        ctx.record(BrokerRecord::TransactionCommitted {
            consumer: c.entity,
            transaction: open.id,
            records: open.records,
        });
        self.end_transaction(ctx, consumer, &open, TransactionOutcome::Committed);
    }

    /// Aborts a member's open transaction: its records stay in the log, marked aborted, and
    /// nothing it processed in it counts. A member still running starts again from its group's
    /// committed offsets (what it is processing now is dropped).
    pub(super) fn abort_transaction(&mut self, ctx: &mut Ctx, consumer: usize, reason: AbortReason) {
        if !self.drop_transaction(ctx, consumer, reason) {
            return;
        }
        let c = &mut self.consumers[consumer];
        let Role::Group(group) = c.role else { return };
        if c.down {
            return;
        }
        if c.working.take().is_some() {
            c.busy_us += ctx.now.since(c.busy_since).0;
        }
        let owned: Vec<u32> = c.positions.keys().copied().collect();
        for p in owned {
            let start = self.start_position(group, p);
            self.consumers[consumer].positions.insert(p, start);
        }
        self.wake(ctx, consumer);
    }

    /// Aborts a member's open transaction, if it has one (returns whether it had), for a member
    /// that is leaving its group or coming back as a new member: it reads its positions again.
    pub(super) fn drop_transaction(&mut self, ctx: &mut Ctx, consumer: usize, reason: AbortReason) -> bool {
        let c = &mut self.consumers[consumer];
        let Some(open) = c.output.open.take() else { return false };
        c.output.aborted += 1;
        c.output.commit_waiting = false;
        ctx.record(BrokerRecord::TransactionAborted {
            consumer: c.entity,
            transaction: open.id,
            records: open.records,
            reason,
        });
        self.end_transaction(ctx, consumer, &open, TransactionOutcome::Aborted);
        true
    }

    /// Where a group's member starts reading a partition: the committed offset, else as its
    /// offset reset says.
    pub(super) fn start_position(&self, group: usize, partition: u32) -> u64 {
        let g = &self.groups[group];
        g.committed[partition as usize].unwrap_or_else(|| match g.reset {
            OffsetReset::Earliest => 0,
            OffsetReset::Latest => self.topics[g.topic].partitions[partition as usize].high_watermark,
        })
    }

    fn end_transaction(&mut self, ctx: &mut Ctx, consumer: usize, open: &OpenTransaction, outcome: TransactionOutcome) {
        self.transactions[open.id as usize] = outcome;
        let Some(out) = self.consumers[consumer].output.topic else {
            return;
        };
        for &(p, _) in &open.touched {
            self.topics[out].partitions[p as usize]
                .open_records
                .retain(|&(_, t)| t != open.id);
            // The last stable offset moved: read-committed readers may go on.
            self.wake_owners(ctx, out, p);
        }
    }

    /// The broker went down: every open transaction fails and is aborted.
    pub(super) fn abort_all_transactions(&mut self, ctx: &mut Ctx) {
        for c in 0..self.consumers.len() {
            self.abort_transaction(ctx, c, AbortReason::BrokerDown);
        }
    }

    /// A leader failover removed records past the high watermark of `topic`: the transactions
    /// that wrote any of them cannot commit them and are aborted.
    pub(super) fn abort_truncated_transactions(&mut self, ctx: &mut Ctx, topic: usize) {
        for c in 0..self.consumers.len() {
            let o = &self.consumers[c].output;
            let hit = o.topic == Some(topic)
                && o.open.as_ref().is_some_and(|open| {
                    // Its last record there is gone (a failover removes a log's end).
                    open.touched
                        .iter()
                        .any(|&(p, last)| last >= self.topics[topic].partitions[p as usize].log.len() as u64)
                });
            if hit {
                self.abort_transaction(ctx, c, AbortReason::LeaderFailedOver);
            }
        }
    }

    /// The followers copied records of `topic`: members whose commit waited for them commit.
    pub(super) fn commit_waiting(&mut self, ctx: &mut Ctx, topic: usize) {
        for c in 0..self.consumers.len() {
            let o = &self.consumers[c].output;
            if o.commit_waiting && o.topic == Some(topic) {
                self.commit_member(ctx, c);
            }
        }
    }
}
