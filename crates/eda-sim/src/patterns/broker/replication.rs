//! Replicated partitions, as Kafka keeps them: the leader appends, its followers copy each record
//! after the replication delay, and the high watermark (what every replica has) is what
//! consumers may read and what `acks all` waits for. A leader failover hands the partition to a
//! follower, which lacks whatever was past the high watermark: those records are gone, and
//! those already acknowledged to their producer (`acks leader`) are lost.

use super::Ctx;
use super::{BrokerRecord, BrokerWorld};

impl BrokerWorld {
    /// The followers have the record at `offset` (and, copying in order, all before it): the
    /// high watermark moves past it, waiting acknowledgements go out and consumers may read it.
    pub(super) fn replicated(&mut self, ctx: &mut Ctx, topic: usize, partition: u32, offset: u64, leader_epoch: u64) {
        let part = &mut self.topics[topic].partitions[partition as usize];
        if part.leader_epoch != leader_epoch || offset < part.high_watermark {
            return;
        }
        part.high_watermark = offset + 1;
        let mut ready = Vec::new();
        part.waiting_acks.retain(|&(at, producer, origin)| {
            let now = at <= offset;
            if now {
                ready.push((producer, origin));
            }
            !now
        });
        // A broker that is down answers nobody.
        if !self.down {
            for (producer, origin) in ready {
                self.send_ack(ctx, producer, origin);
            }
        }
        self.commit_waiting(ctx, topic);
        self.wake_owners(ctx, topic, partition);
    }

    /// The leader of every partition of `topic` fails and an in-sync follower takes over at
    /// once: the records past the high watermark, which only the old leader had, are removed
    /// (each recorded, with whether its producer had been told it was written), and the
    /// acknowledgements still waiting for them never come (their producers time out and retry).
    pub fn fail_over(&mut self, ctx: &mut Ctx, topic: usize) {
        let t = &mut self.topics[topic];
        t.failovers += 1;
        let topic_entity = t.entity;
        for partition in 0..t.partitions.len() {
            let part = &mut self.topics[topic].partitions[partition];
            part.leader_epoch += 1;
            part.waiting_acks.clear();
            let leader_epoch = part.leader_epoch;
            let first_removed = part.high_watermark;
            let removed = part.log.truncate(first_removed as usize);
            for (i, entry) in removed.iter().enumerate() {
                let offset = first_removed + i as u64;
                let part = &mut self.topics[topic].partitions[partition];
                // Lost if this was the record's last copy here and its producer had heard it was
                // written (one that hears it later loses it then).
                let acknowledged = entry.origin.is_some_and(|(producer, id)| {
                    let last = part.origins.get(&id) == Some(&offset);
                    if last {
                        part.origins.remove(&id);
                    }
                    let p = &mut self.producers[producer];
                    let lost = last && p.confirmed_ids.contains_key(&id);
                    if lost {
                        p.lost_ids.insert(id, ());
                    }
                    lost
                });
                if acknowledged {
                    self.count_lost(topic, &entry.payload, 1.0);
                }
                ctx.record(BrokerRecord::Truncated {
                    message: entry.message,
                    topic: topic_entity,
                    partition: partition as u32,
                    offset,
                    acknowledged,
                });
            }
            self.topics[topic].truncated += removed.len() as u64;
            ctx.record(BrokerRecord::LeaderFailedOver {
                topic: topic_entity,
                partition: partition as u32,
                leader_epoch,
                truncated: removed.len() as u64,
            });
        }
        self.abort_truncated_transactions(ctx, topic);
        // Commits that waited for records the failover kept may go ahead now.
        self.commit_waiting(ctx, topic);
    }
}
