//! What crosses the link between a queue and its consumer, and the guarantee that decides when
//! the broker is done with a message: deliveries out and settlements back through the
//! consumer's [`LinkFaults`], the copies of a message still in a consumer's hands, the losses of
//! at-most-once consumers, and the consumer timeout that closes a channel whose delivery was never
//! acknowledged.

use super::Ctx;
use super::{BrokerPending, BrokerRecord, BrokerWorld, Guarantee, LossReason, SettlementKey};
use crate::kernel::entity::EntityKind;
use crate::kernel::link::Fate;
use crate::kernel::time::SimDuration;

impl BrokerWorld {
    /// Sends a delivery to its consumer through the consumer's link (after the broker's network
    /// delay, drawn first as it always was). At-most-once: the broker counts it acknowledged now.
    #[inline]
    pub(super) fn send_delivery(&mut self, ctx: &mut Ctx, queue: usize, consumer: usize, message: u64, delivery: u32) {
        let delay = self.network_delay.sample(ctx.rng());
        let c = &mut self.consumers[consumer];
        c.next_tag += 1;
        let (tag, epoch, entity) = (c.next_tag, c.epoch, c.entity);
        let auto_ack = c.guarantee == Guarantee::AtMostOnce;
        let queue_entity = self.queues[queue].entity;
        if auto_ack {
            ctx.record(BrokerRecord::AutoAcked {
                message,
                queue: queue_entity,
                consumer: entity,
            });
            self.queues[queue].acked += 1;
            self.acked_total += 1;
            if let Some(m) = self.messages.get_mut(&message) {
                m.settled = true;
                self.settled_kept += 1;
            }
        }
        // Cut off by a partition, it is lost on the way (nothing drawn for the link).
        let cut = self.consumers[consumer].cut_off;
        let fate = if cut {
            Fate::Lost
        } else {
            self.consumers[consumer].link.fate(ctx.rng())
        };
        let broker_epoch = self.epoch;
        let arrival = |doubled| BrokerPending::Arrive {
            consumer,
            message,
            epoch,
            broker_epoch,
            tag,
            doubled,
        };
        // The extra delays of the arrivals: none (lost), one, or two (doubled).
        let (first, copy) = match fate {
            Fate::Lost if cut => {
                self.consumers[consumer].unreachable += 1;
                ctx.record(BrokerRecord::Unreachable {
                    message,
                    from: queue_entity,
                    to: entity,
                });
                (None, None)
            }
            Fate::Lost => {
                self.consumers[consumer].link_lost += 1;
                ctx.record(BrokerRecord::LinkLost {
                    message,
                    from: queue_entity,
                    to: entity,
                });
                (None, None)
            }
            Fate::Arrives { extra } => (Some(extra), None),
            Fate::Doubled { extra, copy_extra } => {
                self.consumers[consumer].link_doubled += 1;
                ctx.record(BrokerRecord::LinkDoubled {
                    message,
                    from: queue_entity,
                    to: entity,
                });
                (Some(extra), Some(copy_extra))
            }
        };
        let doubled = copy.is_some();
        let arrivals = u32::from(first.is_some()) + u32::from(doubled);
        // Copies in hands matter only when the broker may be done with the message before the
        // consumer is (auto-ack, or a copy still on its way after the ack): otherwise the ack
        // always comes after the one copy is done, and counting costs a lookup per message.
        if auto_ack || doubled {
            if let Some(m) = self.messages.get_mut(&message) {
                m.in_hands += arrivals;
            }
        }
        for extra in first.into_iter().chain(copy) {
            ctx.schedule(SimDuration(delay.0.saturating_add(extra.0)), arrival(doubled));
        }
        if arrivals == 0 && auto_ack {
            // Nothing is on its way: the broker has forgotten a message nobody will process.
            let reason = if cut { LossReason::Partition } else { LossReason::Link };
            self.forget_if_done(ctx, consumer, message, reason);
        }
        if let (false, Some(timeout)) = (auto_ack, self.queues[queue].consumer_timeout) {
            ctx.schedule(
                timeout,
                BrokerPending::AckDeadline {
                    queue,
                    consumer,
                    message,
                    delivery,
                    epoch,
                },
            );
        }
    }

    /// Sends a consumer's settlement back to the queue through its link.
    #[inline]
    pub(super) fn send_settlement(
        &mut self,
        ctx: &mut Ctx,
        queue: usize,
        consumer: usize,
        message: u64,
        settlement: SettlementKey,
        epoch: u64,
    ) {
        let delay = self.network_delay.sample(ctx.rng());
        let settle = BrokerPending::Settle {
            queue,
            consumer,
            message,
            settlement,
            epoch,
            broker_epoch: self.epoch,
        };
        let c = &mut self.consumers[consumer];
        let (from, to) = (c.entity, self.queues[queue].entity);
        if c.cut_off {
            c.unreachable += 1;
            ctx.record(BrokerRecord::Unreachable { message, from, to });
            return;
        }
        match c.link.fate(ctx.rng()) {
            Fate::Lost => {
                c.link_lost += 1;
                ctx.record(BrokerRecord::LinkLost { message, from, to });
            }
            Fate::Arrives { extra } => ctx.schedule(SimDuration(delay.0.saturating_add(extra.0)), settle),
            Fate::Doubled { extra, copy_extra } => {
                c.link_doubled += 1;
                ctx.record(BrokerRecord::LinkDoubled { message, from, to });
                ctx.schedule(SimDuration(delay.0.saturating_add(extra.0)), settle.clone());
                ctx.schedule(SimDuration(delay.0.saturating_add(copy_extra.0)), settle);
            }
        }
    }

    /// One copy of `message` left `consumer`'s hands (processed, deduplicated, or dropped with
    /// the consumer's or the broker's crash). When no copy is left and the broker is done with
    /// the message, it is forgotten; if it was never processed, it is lost for `reason`.
    pub(super) fn release(&mut self, ctx: &mut Ctx, consumer: usize, message: u64, reason: LossReason) {
        let Some(m) = self.messages.get_mut(&message) else {
            return;
        };
        if m.in_hands == 0 {
            return; // not counted (see `send_delivery`), or its last copy already went
        }
        m.in_hands -= 1;
        self.forget_if_done(ctx, consumer, message, reason);
    }

    fn forget_if_done(&mut self, ctx: &mut Ctx, consumer: usize, message: u64, reason: LossReason) {
        let Some(m) = self.messages.get(&message) else { return };
        if m.in_hands > 0 || !m.settled {
            return;
        }
        let never_processed = m.processed == 0;
        let c = &self.consumers[consumer];
        let worth = c
            .sum_field
            .as_deref()
            .and_then(|f| super::consumer::amount(&m.payload, f));
        self.messages.remove(&message);
        self.settled_kept -= 1;
        if never_processed {
            let c = &mut self.consumers[consumer];
            c.sum_lost += worth.unwrap_or(0.0);
            c.lost += 1;
            self.lost_total += 1;
            if let super::Role::Queue(q) = c.role {
                self.queues[q].lost += 1;
            }
            ctx.record(BrokerRecord::Lost {
                message,
                consumer: c.entity,
                reason,
            });
        }
    }

    /// The broker received an ack for `message`: it is done with it, and forgets it once no
    /// copy is left in a consumer's hands.
    pub(super) fn acknowledged(&mut self, message: u64) {
        let Some(m) = self.messages.get_mut(&message) else {
            return;
        };
        if m.in_hands == 0 {
            self.messages.remove(&message);
        } else if !m.settled {
            m.settled = true;
            self.settled_kept += 1;
        }
    }

    /// A delivery's consumer timeout runs out: if it is still unacknowledged by that consumer,
    /// the broker closes the consumer's channel. What the consumer held goes back to the queue
    /// (as on a crash) and the consumer reconnects at once.
    pub(super) fn ack_deadline(
        &mut self,
        ctx: &mut Ctx,
        queue: usize,
        consumer: usize,
        message: u64,
        delivery: u32,
        epoch: u64,
    ) {
        let c = &self.consumers[consumer];
        if self.down || c.down || c.epoch != epoch {
            return;
        }
        let held = self.queues[queue]
            .unacked
            .iter()
            .any(|&(m, who)| m == message && who == consumer);
        let same_delivery = self.messages.get(&message).is_some_and(|m| m.deliveries == delivery);
        if !(held && same_delivery) {
            return;
        }
        self.queues[queue].channels_closed += 1;
        ctx.record(BrokerRecord::ChannelClosed {
            message,
            queue: self.queues[queue].entity,
            consumer: c.entity,
        });
        self.set_down(ctx, EntityKind::Consumer, consumer, true);
        self.set_down(ctx, EntityKind::Consumer, consumer, false);
    }
}
