//! Consumers and what queue consumers do: take deliveries into a buffer, process one at a time,
//! count duplicates and notifications, and settle each with ack, nack-and-requeue or reject.

use super::Ctx;
use super::{BrokerPending, BrokerRecord, BrokerWorld, FailureAction, SettlementKey};
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
}

pub(super) fn body_matches(rule: &Map<String, Value>, body: &Map<String, Value>) -> bool {
    rule.iter().all(|(k, v)| body.get(k) == Some(v))
}

impl BrokerWorld {
    /// A delivery reaches its consumer, which buffers it and starts on it if idle.
    pub(super) fn arrive(&mut self, ctx: &mut Ctx, consumer: usize, message: u64, epoch: u64, broker_epoch: u64) {
        let c = &mut self.consumers[consumer];
        if c.down || c.epoch != epoch || broker_epoch != self.epoch {
            return; // its delivery was already requeued by the crash
        }
        c.buffer.push_back(message);
        self.start_processing(ctx, consumer);
    }

    pub(super) fn start_processing(&mut self, ctx: &mut Ctx, consumer: usize) {
        let c = &mut self.consumers[consumer];
        if c.processing.is_some() {
            return;
        }
        let Some(message) = c.buffer.pop_front() else { return };
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
        let (duplicate, notify) = match self.messages.get_mut(&message) {
            Some(m) => {
                // A failed attempt did not do the work: only a second success is a duplicate.
                let duplicate = ok && m.processed > 0;
                if ok {
                    m.processed += 1;
                }
                let rule = c.notify_when.as_ref();
                (duplicate, ok && rule.is_some_and(|r| body_matches(r, &m.payload)))
            }
            None => (false, false),
        };
        if ok {
            c.handled += 1;
        } else {
            c.failed += 1;
        }
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
        let settlement = match (ok, c.on_failure) {
            (true, _) => SettlementKey::Ack,
            (false, FailureAction::Requeue) => SettlementKey::Requeue,
            (false, FailureAction::Reject) => SettlementKey::Reject,
        };
        let delay = self.network_delay.sample(ctx.rng());
        let pending = BrokerPending::Settle {
            queue,
            consumer,
            message,
            settlement,
            epoch,
            broker_epoch: self.epoch,
        };
        ctx.schedule(delay, pending);
        self.start_processing(ctx, consumer);
    }
}
