//! A bus: at publication it resolves the recipients and sends each a copy that arrives after
//! the bus's dispatch delay; an event that matches no subscription is recorded as unrouted.

use super::pending::BusPending;
use super::records::BusRecord;
use super::state::EventBusWorld;
use super::Ctx;
use crate::kernel::ids::{EntityId, EventId, EventTypeId};
use crate::kernel::link::Fate;
use crate::kernel::rng::Distribution;
use crate::kernel::time::{SimDuration, SimTime};

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

/// One copy of an event as a listener holds it: which event, and of what type; `doubled`: its
/// faulty link delivers the event twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusCopy {
    pub event: EventId,
    pub event_type: EventTypeId,
    pub doubled: bool,
}

/// A copy of an event on its way from a bus to a listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub event: EventId,
    pub event_type: EventTypeId,
    pub listener: usize,
    pub sent_at: SimTime,
    pub arrives_at: SimTime,
    /// The order the bus sent it in (both copies of a doubled event share it), and whether its
    /// link doubled it.
    pub sent_order: u64,
    pub doubled: bool,
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
            // A perfect link (one process) draws nothing more.
            let fate = self.listeners[listener].link.fate(ctx.rng());
            let order = self.next_flight;
            self.buses[bus_index].dispatched += 1;
            let listener_entity = self.listeners[listener].entity;
            let (extra, copy_extra) = match fate {
                Fate::Lost => (None, None),
                Fate::Arrives { extra } => (Some(extra), None),
                Fate::Doubled { extra, copy_extra } => (Some(extra), Some(copy_extra)),
            };
            let arrives_at = ctx.now.saturating_add(delay).saturating_add(extra.unwrap_or_default());
            ctx.record(BusRecord::Dispatched {
                event,
                event_type,
                bus: bus_entity,
                listener: listener_entity,
                arrives_at,
            });
            // A network partition between the bus and a listener in another process.
            if !ctx.reachable(bus_entity, listener_entity) {
                self.next_flight += 1;
                self.listeners[listener].unreachable += 1;
                ctx.record(BusRecord::Unreachable {
                    event,
                    event_type,
                    bus: bus_entity,
                    listener: listener_entity,
                });
                continue;
            }
            let Some(extra) = extra else {
                self.listeners[listener].link_lost += 1;
                self.next_flight += 1;
                ctx.record(BusRecord::LinkLost {
                    event,
                    event_type,
                    bus: bus_entity,
                    listener: listener_entity,
                });
                continue;
            };
            self.send_copy(
                ctx,
                (event, event_type, listener),
                order,
                (SimDuration(delay.0.saturating_add(extra.0)), copy_extra.is_some()),
            );
            if let Some(copy_extra) = copy_extra {
                self.listeners[listener].link_doubled += 1;
                ctx.record(BusRecord::LinkDoubled {
                    event,
                    event_type,
                    bus: bus_entity,
                    listener: listener_entity,
                });
                self.send_copy(
                    ctx,
                    (event, event_type, listener),
                    order,
                    (SimDuration(delay.0.saturating_add(copy_extra.0)), true),
                );
            }
        }
        event
    }

    /// Puts a copy of `event` on its way to `listener`, arriving after `after`.
    fn send_copy(
        &mut self,
        ctx: &mut Ctx,
        (event, event_type, listener): (EventId, EventTypeId, usize),
        sent_order: u64,
        (after, doubled): (SimDuration, bool),
    ) {
        let flight = self.next_flight;
        self.next_flight += 1;
        self.in_flight.insert(
            flight,
            InFlight {
                event,
                event_type,
                listener,
                sent_at: ctx.now,
                arrives_at: ctx.now.saturating_add(after),
                sent_order,
                doubled,
            },
        );
        ctx.schedule(after, BusPending::Arrive { flight });
    }
}
