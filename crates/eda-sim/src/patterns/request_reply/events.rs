//! How an order service's database write and its events go together: at once (an idealisation),
//! by a dual write (database first: a crash in between loses the event; events first: a crash in
//! between invents one), or through a transactional outbox and its relay (never lost, published
//! again after a crash). Every lost, invented and repeated event is counted and recorded.

use super::links::fire;
use super::pending::RpcPending;
use super::records::{OrderEvent, RpcRecord};
use super::spec::EventWrite;
use super::state::RequestReplyWorld;
use super::Ctx;
use crate::kernel::collections::IdMap;
use crate::kernel::effect::Receipt;

/// A row of a service's outbox table, written with the order in one transaction.
#[derive(Clone, Debug)]
pub struct OutboxRow {
    pub request: u64,
    pub order: u64,
    pub event: OrderEvent,
    /// Times the relay has published it, and times the broker took it.
    pub published: u32,
    pub taken: u32,
    /// Published and not yet marked sent.
    pub in_flight: bool,
}

/// A service's events on their way, and what became of them.
#[derive(Clone, Debug, Default)]
pub struct ServiceEvents {
    /// Dual write: written, not yet published (request, order, event), by entry.
    pub unpublished: IdMap<(u64, u64, OrderEvent)>,
    /// Publish first: published, not yet written (order, event), by request.
    pub unwritten: IdMap<(u64, OrderEvent)>,
    pub outbox: IdMap<OutboxRow>,
    pub(super) next_entry: u64,
    pub(super) relay_armed: bool,
    /// Incarnations of the service: what an earlier one scheduled is void.
    pub(super) epoch: u64,
    /// Events written (with their outcome, to the database or its outbox), and published.
    pub written: u64,
    pub published: u64,
    pub lost: u64,
    pub invented: u64,
    pub repeated: u64,
    /// Relay publishes the broker refused (published again later).
    pub refused: u64,
}

impl ServiceEvents {
    /// Events on their way: written and not yet published (dual write, outbox rows the relay
    /// has not published yet), or published and not yet written (publish first). Then, with
    /// `written` the outcomes the database has: dual write, written = published + lost +
    /// pending; publish first, published = written + invented + pending; outbox, published =
    /// written + repeated + refused − pending.
    pub fn pending(&self) -> u64 {
        let unrelayed = self.outbox.values().filter(|row| row.published == 0).count();
        (self.unpublished.len() + self.unwritten.len() + unrelayed) as u64
    }
}

impl RequestReplyWorld {
    /// The order's event, written to the database: published now, soon, or by the relay.
    /// An outcome without links has no event to publish.
    pub(super) fn emit(&mut self, ctx: &mut Ctx, service: usize, request: u64, order: u64, event: OrderEvent) {
        let s = &mut self.services[service];
        if s.links(event).is_empty() {
            return;
        }
        s.events.written += 1;
        match s.event_write.clone() {
            EventWrite::Atomic => self.publish(ctx, service, (order, request), event),
            EventWrite::DualWrite { publish_time } => {
                let e = &mut s.events;
                let entry = e.next_entry;
                e.next_entry += 1;
                e.unpublished.insert(entry, (request, order, event));
                let epoch = e.epoch;
                let after = publish_time.sample(ctx.rng());
                ctx.schedule(after, RpcPending::PublishDue { service, entry, epoch });
            }
            // Published before the write (see `publish_first`).
            EventWrite::PublishFirst { .. } => {
                s.events.unwritten.remove(&request);
            }
            EventWrite::Outbox { .. } => {
                let e = &mut s.events;
                let row = e.next_entry;
                e.next_entry += 1;
                e.outbox.insert(
                    row,
                    OutboxRow {
                        request,
                        order,
                        event,
                        published: 0,
                        taken: 0,
                        in_flight: false,
                    },
                );
                self.arm_relay(ctx, service);
            }
        }
    }

    /// Publish first: the events of a decided outcome go out before its write commits.
    pub(super) fn publish_first(&mut self, ctx: &mut Ctx, service: usize, request: u64, order: u64, event: OrderEvent) {
        let s = &mut self.services[service];
        if s.links(event).is_empty() {
            return;
        }
        s.events.unwritten.insert(request, (order, event));
        self.publish(ctx, service, (order, request), event);
    }

    fn publish(&mut self, ctx: &mut Ctx, service: usize, (order, request): (u64, u64), event: OrderEvent) {
        self.publish_with(ctx, service, (order, request), event, None);
    }

    fn publish_with(
        &mut self,
        ctx: &mut Ctx,
        service: usize,
        ids: (u64, u64),
        event: OrderEvent,
        receipt: Option<Receipt>,
    ) {
        let s = &mut self.services[service];
        s.events.published += 1;
        fire(ctx, s.links(event), ids, event.name(), receipt);
    }

    /// Dual write: the publish after the write goes out, unless a crash came first.
    pub(super) fn publish_due(&mut self, ctx: &mut Ctx, service: usize, entry: u64, epoch: u64) {
        let e = &mut self.services[service].events;
        if e.epoch != epoch {
            return;
        }
        if let Some((request, order, event)) = e.unpublished.remove(&entry) {
            self.publish(ctx, service, (order, request), event);
        }
    }

    fn arm_relay(&mut self, ctx: &mut Ctx, service: usize) {
        let s = &mut self.services[service];
        let EventWrite::Outbox { relay_interval, .. } = s.event_write else {
            return;
        };
        if s.events.relay_armed || s.down || s.events.outbox.is_empty() {
            return;
        }
        s.events.relay_armed = true;
        let epoch = s.events.epoch;
        ctx.schedule(relay_interval, RpcPending::RelayPoll { service, epoch });
    }

    /// The relay reads the outbox: every row not on its way is published, in the order written,
    /// and marked sent once the broker has it.
    pub(super) fn relay_poll(&mut self, ctx: &mut Ctx, service: usize, epoch: u64) {
        let s = &mut self.services[service];
        let EventWrite::Outbox { publish_time, .. } = s.event_write.clone() else {
            return;
        };
        if s.events.epoch != epoch {
            return;
        }
        s.events.relay_armed = false;
        let entity = s.entity;
        let due: Vec<u64> = s
            .events
            .outbox
            .iter()
            .filter(|(_, row)| !row.in_flight)
            .map(|(id, _)| id)
            .collect();
        for row in due {
            let Some(r) = self.services[service].events.outbox.get_mut(&row) else {
                continue;
            };
            r.in_flight = true;
            r.published += 1;
            // Again: the broker took an earlier publish of it.
            let (request, order, event, again) = (r.request, r.order, r.event, r.taken > 0);
            let publish = r.published;
            let e = &mut self.services[service].events;
            e.repeated += u64::from(again);
            ctx.record(RpcRecord::RelayPublished {
                request,
                service: entity,
                order,
                event,
                again,
            });
            let receipt = Receipt { service, row, publish };
            self.publish_with(ctx, service, (order, request), event, Some(receipt));
            let after = publish_time.sample(ctx.rng());
            ctx.schedule(
                after,
                RpcPending::RelayMarked {
                    service,
                    row,
                    epoch,
                    publish,
                },
            );
        }
        self.arm_relay(ctx, service);
    }

    /// The relay marks a published row sent, unless the service crashed since, or the broker
    /// refused that publish (the row waits for the next read of the outbox).
    pub(super) fn relay_marked(&mut self, ctx: &mut Ctx, service: usize, (row, publish): (u64, u32), epoch: u64) {
        let e = &mut self.services[service].events;
        let current = e
            .outbox
            .get(&row)
            .is_some_and(|r| r.in_flight && r.published == publish);
        if e.epoch == epoch && current {
            e.outbox.remove(&row);
        }
        self.arm_relay(ctx, service);
    }

    /// Whether the broker took a publish of an outbox row: refused (broker down, queue full, cut
    /// off), the row is not marked and the relay publishes it again at its next read.
    pub fn relay_receipt(&mut self, ctx: &mut Ctx, receipt: Receipt, taken: bool) {
        let Some(s) = self.services.get_mut(receipt.service) else {
            return;
        };
        let Some(row) = s.events.outbox.get_mut(&receipt.row) else {
            return;
        };
        if row.published != receipt.publish {
            return;
        }
        if taken {
            row.taken += 1;
        } else {
            row.in_flight = false;
            s.events.refused += 1;
            self.arm_relay(ctx, receipt.service);
        }
    }

    /// The service crashed: what was written and not yet published is lost (dual write); what
    /// was published and not yet written was invented (publish first); outbox rows stay in the
    /// table, unmarked, to be published again after the restart.
    pub(super) fn events_at_crash(&mut self, ctx: &mut Ctx, service: usize) {
        let s = &mut self.services[service];
        let entity = s.entity;
        let e = &mut s.events;
        e.epoch += 1;
        e.relay_armed = false;
        for (_, &(request, order, event)) in e.unpublished.iter() {
            e.lost += 1;
            ctx.record(RpcRecord::EventLost {
                request,
                service: entity,
                order,
                event,
            });
        }
        e.unpublished.clear();
        for (request, &(order, event)) in e.unwritten.iter() {
            e.invented += 1;
            ctx.record(RpcRecord::EventInvented {
                request,
                service: entity,
                order,
                event,
            });
        }
        e.unwritten.clear();
        for row in e.outbox.values_mut_unordered() {
            row.in_flight = false;
        }
    }

    /// The service is back: its relay reads the outbox again.
    pub(super) fn events_at_restart(&mut self, ctx: &mut Ctx, service: usize) {
        self.arm_relay(ctx, service);
    }
}
