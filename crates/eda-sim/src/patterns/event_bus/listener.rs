//! A listener: copies arrive in its inbox, and it handles one event at a time, oldest first,
//! each for its processing time.

use super::bus::BusCopy;
use super::pending::BusPending;
use super::records::BusRecord;
use super::state::EventBusWorld;
use super::Ctx;
use crate::kernel::collections::Set;
use crate::kernel::ids::{EntityId, EventTypeId};
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
        listener.delivered += 1;
        listener.inbox.push_back(BusCopy {
            event: copy.event,
            event_type,
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
        let BusCopy { event, event_type } = copy;
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
        let Some(BusCopy { event, event_type }) = listener.in_service.take() else {
            return;
        };
        listener.handled += 1;
        listener.busy_us += ctx.now.since(listener.busy_since).0;
        ctx.record(BusRecord::Handled {
            event,
            event_type,
            listener: listener.entity,
        });
        self.start_next(ctx, listener_index);
    }
}
