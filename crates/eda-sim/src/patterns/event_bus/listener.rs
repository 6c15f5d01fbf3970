//! A listener: copies arrive in its inbox, and it handles one event at a time, oldest first,
//! each for its processing time.

use super::bus::BusCopy;
use super::pending::BusPending;
use super::records::BusRecord;
use super::state::EventBusWorld;
use super::Ctx;
use crate::kernel::collections::{IdMap, Set};
use crate::kernel::ids::{EntityId, EventTypeId};
use crate::kernel::link::LinkFaults;
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimTime;
use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct Listener {
    pub entity: EntityId,
    pub bus: usize,
    pub subscriptions: Set<EventTypeId>,
    pub processing_time: Distribution,
    /// Events waiting to be handled, oldest first.
    pub inbox: VecDeque<BusCopy>,
    /// The event being handled now, if any.
    pub in_service: Option<BusCopy>,
    pub delivered: u64,
    pub handled: u64,
    pub queue_len_max: u32,
    /// Total time spent handling events, in microseconds (for utilisation).
    pub busy_us: u64,
    pub(super) busy_since: SimTime,
    /// The link from the bus (perfect unless the listener is in another process), what it lost
    /// and doubled, copies that arrived after one sent later, and copies handled a second time.
    pub link: LinkFaults,
    pub link_lost: u64,
    pub link_doubled: u64,
    pub reordered: u64,
    pub duplicates: u64,
    pub(super) arrived_order_max: Option<u64>,
    /// Copies a network partition stopped between the bus and it.
    pub unreachable: u64,
    /// Doubled events of which one copy has arrived, and of which one has been handled.
    pub(super) doubled_arrived: IdMap<()>,
    pub(super) doubled_handled: IdMap<()>,
}

impl Listener {
    /// Events waiting plus the one in service.
    pub fn backlog(&self) -> usize {
        self.inbox.len() + usize::from(self.in_service.is_some())
    }
}

impl EventBusWorld {
    pub fn add_listener(&mut self, entity: EntityId, bus: usize, processing_time: Distribution) -> usize {
        self.listeners.push(Listener {
            entity,
            bus,
            subscriptions: Set::new(),
            processing_time,
            inbox: VecDeque::new(),
            in_service: None,
            delivered: 0,
            handled: 0,
            queue_len_max: 0,
            busy_us: 0,
            busy_since: SimTime::ZERO,
            link: LinkFaults::default(),
            link_lost: 0,
            link_doubled: 0,
            reordered: 0,
            duplicates: 0,
            arrived_order_max: None,
            unreachable: 0,
            doubled_arrived: IdMap::new(),
            doubled_handled: IdMap::new(),
        });
        self.listeners.len() - 1
    }

    pub(super) fn arrive(&mut self, ctx: &mut Ctx, flight: u64) {
        let Some(copy) = self.in_flight.remove(&flight) else {
            return;
        };
        let event_type = copy.event_type;
        let bus = self.buses[self.listeners[copy.listener].bus].entity;
        let listener = &mut self.listeners[copy.listener];
        // Sent before a partition cut the listener off: lost on the way.
        if !ctx.reachable(bus, listener.entity) {
            listener.unreachable += 1;
            ctx.record(BusRecord::Unreachable {
                event: copy.event,
                event_type,
                bus,
                listener: listener.entity,
            });
            return;
        }
        // Only a faulty link reorders (a random dispatch delay alone overtakes as it always did).
        let first_of_pair = !copy.doubled || listener.doubled_arrived.remove(&copy.event.0).is_none();
        if copy.doubled && first_of_pair {
            listener.doubled_arrived.insert(copy.event.0, ());
        }
        if !listener.link.is_perfect() && first_of_pair {
            if listener.arrived_order_max.is_some_and(|m| copy.sent_order < m) {
                listener.reordered += 1;
                ctx.record(BusRecord::Reordered {
                    event: copy.event,
                    event_type,
                    listener: listener.entity,
                });
            } else {
                listener.arrived_order_max = Some(copy.sent_order);
            }
        }
        listener.delivered += 1;
        listener.inbox.push_back(BusCopy {
            event: copy.event,
            event_type,
            doubled: copy.doubled,
        });
        self.queued_total += 1;
        let waiting = listener.inbox.len() as u32 - u32::from(listener.in_service.is_none());
        listener.queue_len_max = listener.queue_len_max.max(waiting);
        ctx.record(BusRecord::Delivered {
            event: copy.event,
            event_type,
            bus,
            listener: listener.entity,
            queue_len: waiting,
        });
        if listener.in_service.is_none() {
            self.start_next(ctx, copy.listener);
        }
    }

    fn start_next(&mut self, ctx: &mut Ctx, listener_index: usize) {
        let listener = &mut self.listeners[listener_index];
        let Some(copy) = listener.inbox.pop_front() else {
            return;
        };
        self.queued_total -= 1;
        listener.in_service = Some(copy);
        listener.busy_since = ctx.now;
        let BusCopy { event, event_type, .. } = copy;
        ctx.record(BusRecord::HandlingStarted {
            event,
            event_type,
            listener: listener.entity,
        });
        let took = listener.processing_time.sample(ctx.rng());
        ctx.schedule(
            took,
            BusPending::HandlingDone {
                listener: listener_index,
            },
        );
    }

    pub(super) fn finish_handling(&mut self, ctx: &mut Ctx, listener_index: usize) {
        let listener = &mut self.listeners[listener_index];
        let Some(BusCopy {
            event,
            event_type,
            doubled,
        }) = listener.in_service.take()
        else {
            return;
        };
        listener.handled += 1;
        listener.busy_us += ctx.now.since(listener.busy_since).0;
        // Of the two copies of a doubled event, the second handled (whichever arrived first;
        // if a partition stopped one, the other is handled once).
        let again = doubled && listener.doubled_handled.remove(&event.0).is_some();
        if doubled && !again {
            listener.doubled_handled.insert(event.0, ());
        }
        if again {
            // The same event handled a second time.
            listener.duplicates += 1;
            ctx.record(BusRecord::HandledAgain {
                event,
                event_type,
                listener: listener.entity,
            });
        } else {
            ctx.record(BusRecord::Handled {
                event,
                event_type,
                listener: listener.entity,
            });
        }
        self.start_next(ctx, listener_index);
    }
}
