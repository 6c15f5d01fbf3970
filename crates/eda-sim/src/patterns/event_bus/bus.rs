//! A bus: at publication it resolves the recipients and sends each a copy that arrives after
//! the bus's dispatch delay; an event that matches no subscription is recorded as unrouted.

use super::pending::BusPending;
use super::records::BusRecord;
use super::state::EventBusWorld;
use super::Ctx;
use crate::kernel::ids::{EntityId, EventId, EventTypeId};
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimTime;

#[derive(Clone, Debug)]
pub struct Bus {
    pub entity: EntityId,
    pub dispatch_delay: Distribution,
    /// Events published to this bus.
    pub published: u64,
    /// Copies sent to listeners.
    pub dispatched: u64,
    /// Events that matched no subscription.
    pub unrouted: u64,
}

/// One copy of an event as a listener holds it: which event, and of what type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusCopy {
    pub event: EventId,
    pub event_type: EventTypeId,
}

/// A copy of an event on its way from a bus to a listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub event: EventId,
    pub event_type: EventTypeId,
    pub listener: usize,
    pub sent_at: SimTime,
    pub arrives_at: SimTime,
}

impl EventBusWorld {
    pub fn add_bus(&mut self, entity: EntityId, dispatch_delay: Distribution) -> usize {
        self.buses.push(Bus {
            entity,
            dispatch_delay,
            published: 0,
            dispatched: 0,
            unrouted: 0,
        });
        self.buses.len() - 1
    }

    /// `source` publishes an event of type `event_type` now.
    pub fn publish(&mut self, ctx: &mut Ctx, source: usize, event_type: EventTypeId) -> EventId {
        let event = EventId(self.published_total);
        self.published_total += 1;
        let bus_index = self.sources[source].bus;
        self.sources[source].published += 1;
        let recipients: Vec<usize> = (0..self.listeners.len())
            .filter(|&l| self.listeners[l].bus == bus_index && self.receives(l, event_type))
            .collect();
        let bus = &mut self.buses[bus_index];
        bus.published += 1;
        let bus_entity = bus.entity;
        ctx.record(BusRecord::Published {
            event,
            event_type,
            source: self.sources[source].entity,
            bus: bus_entity,
            recipients: recipients.len() as u32,
        });
        if recipients.is_empty() {
            self.buses[bus_index].unrouted += 1;
            ctx.record(BusRecord::Unrouted {
                event,
                event_type,
                bus: bus_entity,
            });
        }
        for listener in recipients {
            let delay = self.buses[bus_index].dispatch_delay.sample(ctx.rng());
            let arrives_at = ctx.now.saturating_add(delay);
            let flight = self.next_flight;
            self.next_flight += 1;
            self.in_flight.insert(
                flight,
                InFlight {
                    event,
                    event_type,
                    listener,
                    sent_at: ctx.now,
                    arrives_at,
                },
            );
            self.buses[bus_index].dispatched += 1;
            ctx.record(BusRecord::Dispatched {
                event,
                event_type,
                bus: bus_entity,
                listener: self.listeners[listener].entity,
                arrives_at,
            });
            ctx.schedule(delay, BusPending::Arrive { flight });
        }
        event
    }
}
