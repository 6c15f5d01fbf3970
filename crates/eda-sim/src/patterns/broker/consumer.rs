//! Consumers and what queue consumers do: take deliveries into a buffer, process one at a time,
//! count duplicates and notifications, and settle each with ack, nack-and-requeue or reject.

use super::Ctx;
use super::{
    BrokerPending, BrokerRecord, BrokerWorld, FailureAction, Guarantee, LinkFaults, LossReason, SettlementKey,
};
use crate::kernel::collections::IdMap;
use crate::kernel::ids::EntityId;
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimTime;
use serde_json::{Map, Value};
use std::collections::VecDeque;

/// What a consumer reads from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Queue(usize),
    Group(usize),
}

#[derive(Clone, Debug)]
pub struct Consumer {
    pub entity: EntityId,
    pub role: Role,
    pub prefetch: u32,
    pub processing_time: Distribution,
    pub fail_percent: u32,
    pub on_failure: FailureAction,
    pub notify_when: Option<Map<String, Value>>,
    pub down: bool,
    pub epoch: u64,
    /// Queue consumers: deliveries held (in flight, buffered or in processing), and the buffer.
    pub holding: u32,
    pub buffer: VecDeque<u64>,
    pub processing: Option<u64>,
    /// Group members: owned partitions and the next offset to read in each.
    pub positions: litemap::LiteMap<u32, u64>,
    pub cursor: u32,
    pub fetching: bool,
    pub working: Option<(u32, u64)>,
    pub in_group: bool,
    pub handled: u64,
    pub failed: u64,
    pub duplicates: u64,
    pub notified: u64,
    pub busy_us: u64,
    pub(super) busy_since: SimTime,
    /// Queue consumers: the guarantee in force and the link to the broker.
    pub guarantee: Guarantee,
    pub link: LinkFaults,
    /// The last delivery tag the broker gave this consumer, and the highest that has arrived.
    pub(super) next_tag: u64,
    pub(super) tag_arrived_max: u64,
    /// Tags of doubled deliveries of which one arrival has come (the other is the copy).
    pub(super) doubled_pending: IdMap<()>,
    /// Acknowledged messages it held that will never be processed.
    pub lost: u64,
    /// Repeats its dedupe store caught (idempotent consumers), and the body field it keys the
    /// store on instead of the message id, if any.
    pub deduplicated: u64,
    pub dedupe_on: Option<String>,
    /// A network partition cuts it off from the broker (since network generation
    /// `cut_generation`); what it sends or is sent meanwhile is lost on the way (`unreachable`).
    pub cut_off: bool,
    pub(super) cut_generation: u64,
    pub unreachable: u64,
    /// Deliveries that arrived after one the broker sent later.
    pub reordered: u64,
    /// Deliveries and settlements its link lost or doubled.
    pub link_lost: u64,
    pub link_doubled: u64,
    /// The body field it adds up, the total of what it processed (repeats included), the part
    /// of it that repeats added, and what the messages it lost would have added.
    pub sum_field: Option<String>,
    pub sum: f64,
    pub sum_repeated: f64,
    pub sum_lost: f64,
    /// Group members: what they write to another topic (read-process-write), which records
    /// they read, and the records of aborted transactions they passed over.
    pub output: super::Output,
    pub isolation: super::Isolation,
    pub aborted_skipped: u64,
    /// A manual commit of its failed (broker down, or cut off): it commits again once it can.
    pub(super) commit_failed: bool,
    /// Restarted while cut off: a new incarnation the group has not met, which joins at the
    /// heal (replacing its old self, if the group has not yet declared that dead).
    pub(super) rejoin_at_heal: bool,
}

/// The number in `body[field]`, if it is one.
pub(super) fn amount(body: &Map<String, Value>, field: &str) -> Option<f64> {
    body.get(field).and_then(Value::as_f64)
}

pub(super) fn body_matches(rule: &Map<String, Value>, body: &Map<String, Value>) -> bool {
    rule.iter().all(|(k, v)| body.get(k) == Some(v))
}

impl BrokerWorld {
    /// A delivery reaches its consumer, which buffers it and starts on it if idle. `epochs` are
    /// the consumer's and the broker's when it was sent: a delivery of an earlier incarnation
    /// was already requeued (or, auto-acknowledged, is lost with what the consumer held).
    ///
    /// The second arrival of a doubled delivery (same tag) is a copy. An at-most-once consumer
    /// took the delivery as done when it first received it (its position moved on before it
    /// processed), so it drops the copy; the others process it again, as any repeat.
    pub(super) fn arrive(
        &mut self,
        ctx: &mut Ctx,
        consumer: usize,
        message: u64,
        epochs: (u64, u64),
        tag: u64,
        doubled: bool,
    ) {
        let c = &mut self.consumers[consumer];
        if c.down || c.epoch != epochs.0 {
            self.release(ctx, consumer, message, LossReason::ConsumerDown);
            return;
        }
        if epochs.1 != self.epoch {
            self.release(ctx, consumer, message, LossReason::ConnectionLost);
            return;
        }
        // Sent before a partition cut it off, it is lost on the way.
        if c.cut_off {
            self.release(ctx, consumer, message, LossReason::Partition);
            return;
        }
        let copy = doubled && c.doubled_pending.remove(&tag).is_some();
        if doubled && !copy {
            c.doubled_pending.insert(tag, ());
        }
        if copy && c.guarantee == Guarantee::AtMostOnce {
            self.release(ctx, consumer, message, LossReason::ConsumerDown);
            return;
        }
        if !copy {
            if tag < c.tag_arrived_max {
                c.reordered += 1;
                ctx.record(BrokerRecord::Reordered {
                    message,
                    consumer: c.entity,
                });
            } else {
                c.tag_arrived_max = tag;
            }
        }
        c.buffer.push_back(message);
        self.start_processing(ctx, consumer);
    }

    /// Starts on the next buffered message, if idle. An idempotent consumer first looks the id up
    /// in its dedupe store: a repeat is acknowledged at once, without processing.
    pub(super) fn start_processing(&mut self, ctx: &mut Ctx, consumer: usize) {
        loop {
            let c = &mut self.consumers[consumer];
            if c.processing.is_some() {
                return;
            }
            let Some(message) = c.buffer.pop_front() else { return };
            let (role, epoch) = (c.role.clone(), c.epoch);
            let id = self.queued_dedupe_id(consumer, message);
            if let (Role::Queue(queue), true) = (role, self.caught_repeat(ctx, consumer, message, id)) {
                self.release(ctx, consumer, message, LossReason::ConsumerDown);
                self.send_settlement(ctx, queue, consumer, message, SettlementKey::Ack, epoch);
                continue;
            }
            let c = &mut self.consumers[consumer];
            c.processing = Some(message);
            c.busy_since = ctx.now;
            let took = c.processing_time.sample(ctx.rng());
            ctx.schedule(
                took,
                BrokerPending::Done {
                    consumer,
                    message,
                    epoch: c.epoch,
                },
            );
            return;
        }
    }

    pub(super) fn done(&mut self, ctx: &mut Ctx, consumer: usize, message: u64, epoch: u64) {
        let c = &mut self.consumers[consumer];
        if c.epoch != epoch || c.processing != Some(message) {
            return;
        }
        c.processing = None;
        c.busy_us += ctx.now.since(c.busy_since).0;
        let ok = ctx.rng().below(100) >= c.fail_percent as u64;
        let Role::Queue(queue) = c.role else { return };
        // Its id is written with its effects in one transaction: had another copy's processing
        // written it meanwhile, this one is refused and acknowledged without being done twice.
        let id = self.queued_dedupe_id(consumer, message);
        if ok && self.caught_repeat(ctx, consumer, message, id) {
            self.release(ctx, consumer, message, LossReason::ConsumerDown);
            self.send_settlement(ctx, queue, consumer, message, SettlementKey::Ack, epoch);
            self.start_processing(ctx, consumer);
            return;
        }
        if ok {
            self.remember_processed(consumer, id);
        }
        let c = &mut self.consumers[consumer];
        let q = &mut self.queues[queue];
        let (duplicate, first, notify) = match self.messages.get_mut(&message) {
            Some(m) => {
                // A failed attempt did not do the work: only a second success is a duplicate
                // (of this copy, or of another copy of the producer's message).
                let copy_again = match (ok, m.origin) {
                    (true, Some(origin)) => q.origins_processed.insert(origin, ()).is_some(),
                    _ => false,
                };
                let again = m.processed > 0 || copy_again;
                let duplicate = ok && again;
                let first = ok && !again;
                if ok {
                    m.processed += 1;
                    if let Some(x) = c.sum_field.as_deref().and_then(|f| amount(&m.payload, f)) {
                        c.sum += x;
                        if duplicate {
                            c.sum_repeated += x;
                        }
                    }
                }
                let rule = c.notify_when.as_ref();
                (
                    duplicate,
                    first,
                    ok && rule.is_some_and(|r| body_matches(r, &m.payload)),
                )
            }
            None => (false, false, false),
        };
        if ok {
            c.handled += 1;
        } else {
            c.failed += 1;
        }
        q.processed += u64::from(first);
        q.duplicates += u64::from(duplicate);
        if duplicate {
            c.duplicates += 1;
        }
        ctx.record(BrokerRecord::Handled {
            message,
            consumer: c.entity,
            ok,
            duplicate,
        });
        if notify {
            c.notified += 1;
            ctx.record(BrokerRecord::Notified {
                message,
                consumer: c.entity,
            });
        }
        let (auto_ack, on_failure) = (c.guarantee == Guarantee::AtMostOnce, c.on_failure);
        self.release(ctx, consumer, message, LossReason::ProcessingFailed);
        if !auto_ack {
            let settlement = match (ok, on_failure) {
                (true, _) => SettlementKey::Ack,
                (false, FailureAction::Requeue) => SettlementKey::Requeue,
                (false, FailureAction::Reject) => SettlementKey::Reject,
            };
            self.send_settlement(ctx, queue, consumer, message, settlement, epoch);
        }
        self.start_processing(ctx, consumer);
    }
}
