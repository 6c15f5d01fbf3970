//! The event bus (the seed's order → SMS example): sources publish typed events, a bus
//! addresses each one to every listener subscribed to its type or to any ancestor type, and
//! each listener handles one event at a time while the rest wait in its inbox.
//!
//! Timing: the bus resolves the recipients at the instant of publication and sends each a copy
//! that arrives after the bus's dispatch delay. So an event published after an unsubscribe is
//! not sent to that listener, while a copy already dispatched still arrives.

use crate::collections::{IdMap, Set};
use crate::engine::{Ctx, Entities, EntityKind, Pending, Sim};
use crate::report::EntityReport;
use crate::rng::Distribution;
use crate::scenario::EventBusSpec;
use crate::time::SimTime;
use crate::trace::{EntityId, EventId, EventTypeId, TraceKind};
use serde::Serialize;
use std::collections::VecDeque;

/// Pending events of this pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BusPending {
    /// An emitter of a source publishes its next event.
    Emit { source: usize, emitter: usize },
    /// A dispatched copy reaches its listener.
    Arrive { flight: u64 },
    /// A listener finishes the event it is handling.
    HandlingDone { listener: usize },
}

/// What the event bus records in the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BusRecord {
    /// A source handed an event to a bus, which addressed it to `recipients` listeners.
    Published {
        event: EventId,
        event_type: EventTypeId,
        source: EntityId,
        bus: EntityId,
        recipients: u32,
    },
    /// A published event matched no subscription: recorded, never lost silently.
    Unrouted {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
    },
    /// The bus sent a copy of the event towards a listener; it arrives at `arrives_at`.
    Dispatched {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
        listener: EntityId,
        arrives_at: SimTime,
    },
    /// The copy reached the listener's inbox; `queue_len` messages now wait there.
    Delivered {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
        listener: EntityId,
        queue_len: u32,
    },
    /// The listener took the event out of its inbox and began processing it.
    HandlingStarted {
        event: EventId,
        event_type: EventTypeId,
        listener: EntityId,
    },
    /// The listener finished processing the event (e.g. the SMS was sent).
    Handled {
        event: EventId,
        event_type: EventTypeId,
        listener: EntityId,
    },
    /// The listener now receives events of this type and of all its subtypes.
    Subscribed {
        listener: EntityId,
        event_type: EventTypeId,
    },
    /// The listener no longer receives events through this subscription.
    Unsubscribed {
        listener: EntityId,
        event_type: EventTypeId,
    },
}

impl BusRecord {
    pub fn verb(&self) -> &'static str {
        match self {
            BusRecord::Published { .. } => "Published",
            BusRecord::Unrouted { .. } => "Unrouted",
            BusRecord::Dispatched { .. } => "Dispatched",
            BusRecord::Delivered { .. } => "Delivered",
            BusRecord::HandlingStarted { .. } => "Handling",
            BusRecord::Handled { .. } => "Handled",
            BusRecord::Subscribed { .. } => "Subscribed",
            BusRecord::Unsubscribed { .. } => "Unsubscribed",
        }
    }

    /// The published event this record is about, if any.
    pub fn event(&self) -> Option<EventId> {
        match *self {
            BusRecord::Published { event, .. }
            | BusRecord::Unrouted { event, .. }
            | BusRecord::Dispatched { event, .. }
            | BusRecord::Delivered { event, .. }
            | BusRecord::HandlingStarted { event, .. }
            | BusRecord::Handled { event, .. } => Some(event),
            BusRecord::Subscribed { .. } | BusRecord::Unsubscribed { .. } => None,
        }
    }

    pub fn event_type(&self) -> EventTypeId {
        match *self {
            BusRecord::Published { event_type, .. }
            | BusRecord::Unrouted { event_type, .. }
            | BusRecord::Dispatched { event_type, .. }
            | BusRecord::Delivered { event_type, .. }
            | BusRecord::HandlingStarted { event_type, .. }
            | BusRecord::Handled { event_type, .. }
            | BusRecord::Subscribed { event_type, .. }
            | BusRecord::Unsubscribed { event_type, .. } => event_type,
        }
    }

    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            BusRecord::Published { source, bus, .. } => (source, Some(bus)),
            BusRecord::Unrouted { bus, .. } => (bus, None),
            BusRecord::Dispatched { bus, listener, .. } | BusRecord::Delivered { bus, listener, .. } => {
                (bus, Some(listener))
            }
            BusRecord::HandlingStarted { listener, .. }
            | BusRecord::Handled { listener, .. }
            | BusRecord::Subscribed { listener, .. }
            | BusRecord::Unsubscribed { listener, .. } => (listener, None),
        }
    }

    /// `OrderPaid #1`, or just the type for subscription changes.
    pub fn subject(&self, sim: &Sim) -> String {
        let type_name = sim.event_bus().types.name(self.event_type());
        match self.event() {
            Some(id) => format!("{type_name} #{}", id.0),
            None => type_name.to_string(),
        }
    }
}

/// The event-type hierarchy: each type has at most one parent.
#[derive(Clone, Debug, Default)]
pub struct TypeHierarchy {
    pub names: Vec<String>,
    pub parents: Vec<Option<EventTypeId>>,
}

impl TypeHierarchy {
    pub fn id(&self, name: &str) -> Option<EventTypeId> {
        self.names.iter().position(|n| n == name).map(|i| EventTypeId(i as u32))
    }

    pub fn name(&self, id: EventTypeId) -> &str {
        self.names.get(id.0 as usize).map(String::as_str).unwrap_or("?")
    }

    /// `ty` itself, then its parent, grandparent… up to the root.
    pub fn ancestors_inclusive(&self, ty: EventTypeId) -> impl Iterator<Item = EventTypeId> + '_ {
        let mut current = Some(ty);
        std::iter::from_fn(move || {
            let here = current?;
            current = self.parents.get(here.0 as usize).copied().flatten();
            Some(here)
        })
        .take(crate::limits::MAX_TYPE_DEPTH + 1)
    }

    /// True when an event of type `ty` is also an event of type `ancestor`.
    pub fn is_a(&self, ty: EventTypeId, ancestor: EventTypeId) -> bool {
        self.ancestors_inclusive(ty).any(|t| t == ancestor)
    }

    /// Direct subtypes of `ty`, in definition order.
    pub fn children(&self, ty: EventTypeId) -> impl Iterator<Item = EventTypeId> + '_ {
        self.parents
            .iter()
            .enumerate()
            .filter(move |(_, p)| **p == Some(ty))
            .map(|(i, _)| EventTypeId(i as u32))
    }
}

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

#[derive(Clone, Debug)]
pub struct Emitter {
    pub event_type: EventTypeId,
    pub every: Distribution,
    /// Events still to publish; `None` means no end.
    pub remaining: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct Source {
    pub entity: EntityId,
    pub bus: usize,
    pub emitters: Vec<Emitter>,
    pub published: u64,
}

#[derive(Clone, Debug)]
pub struct Listener {
    pub entity: EntityId,
    pub bus: usize,
    pub subscriptions: Set<EventTypeId>,
    pub processing_time: Distribution,
    /// Events waiting to be handled, oldest first.
    pub inbox: VecDeque<EventId>,
    /// The event being handled now, if any.
    pub in_service: Option<EventId>,
    pub delivered: u64,
    pub handled: u64,
    pub queue_len_max: u32,
    /// Total time spent handling events, in microseconds (for utilisation).
    pub busy_us: u64,
    busy_since: SimTime,
}

impl Listener {
    /// Events waiting plus the one in service.
    pub fn backlog(&self) -> usize {
        self.inbox.len() + usize::from(self.in_service.is_some())
    }
}

/// One published event.
#[derive(Clone, Debug)]
pub struct PublishedEvent {
    pub event_type: EventTypeId,
    pub source: usize,
    pub bus: usize,
    pub published_at: SimTime,
}

/// A copy of an event on its way from a bus to a listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub event: EventId,
    pub listener: usize,
    pub sent_at: SimTime,
    pub arrives_at: SimTime,
}

/// All state of the event-bus pattern.
#[derive(Clone, Debug, Default)]
pub struct EventBusWorld {
    pub types: TypeHierarchy,
    pub buses: Vec<Bus>,
    pub sources: Vec<Source>,
    pub listeners: Vec<Listener>,
    pub events: Vec<PublishedEvent>,
    /// Copies in flight, keyed by dispatch number (so in dispatch order).
    pub in_flight: IdMap<InFlight>,
    next_flight: u64,
    /// Messages in all inboxes (counted against the pending-event limit).
    pub queued_total: usize,
}

impl EventBusWorld {
    pub fn new(types: TypeHierarchy) -> Self {
        EventBusWorld {
            types,
            ..Default::default()
        }
    }

    /// Builds the pattern from a validated scenario section, registering its entities.
    pub fn build(spec: &EventBusSpec, entities: &mut Entities) -> Self {
        let position = |name: &str| spec.event_types.iter().position(|t| t.name == name);
        let types = TypeHierarchy {
            names: spec.event_types.iter().map(|t| t.name.clone()).collect(),
            parents: spec
                .event_types
                .iter()
                .map(|t| t.parent.as_deref().and_then(position).map(|i| EventTypeId(i as u32)))
                .collect(),
        };
        let mut world = EventBusWorld::new(types);
        for b in &spec.buses {
            let entity = entities.add(&b.id, EntityKind::EventBus, world.buses.len());
            world.add_bus(entity, b.dispatch_delay.clone());
        }
        let bus_index = |name: &str| spec.buses.iter().position(|b| b.id == name).unwrap_or(0);
        for s in &spec.sources {
            let emitters = s
                .emits
                .iter()
                .map(|e| Emitter {
                    event_type: world.types.id(&e.event_type).unwrap_or(EventTypeId(0)),
                    every: e.every.clone(),
                    remaining: e.count,
                })
                .collect();
            let entity = entities.add(&s.id, EntityKind::EventSource, world.sources.len());
            world.add_source(entity, bus_index(&s.bus), emitters);
        }
        for l in &spec.listeners {
            let entity = entities.add(&l.id, EntityKind::Listener, world.listeners.len());
            let index = world.add_listener(entity, bus_index(&l.bus), l.processing_time.clone());
            for ty in l.subscriptions.iter().filter_map(|t| world.types.id(t)) {
                world.listeners[index].subscriptions.insert(ty);
            }
        }
        world
    }

    /// Schedules every emitter's first event.
    pub fn start(&mut self, ctx: &mut Ctx, spec: &EventBusSpec) {
        for (s, source) in spec.sources.iter().enumerate() {
            for (e, emit) in source.emits.iter().enumerate() {
                self.schedule_first_emit(ctx, s, e, emit.start);
            }
        }
    }

    /// The source's index by entity name (for links from other patterns).
    pub fn source_index(&self, entities: &Entities, name: &str) -> Option<usize> {
        entities.index_of(name, EntityKind::EventSource).ok()
    }

    /// Counters per bus, source and listener.
    pub fn report(&self, entities: &Entities, now: SimTime) -> Vec<EntityReport> {
        let mut out = Vec::new();
        for b in &self.buses {
            out.push(
                EntityReport::new(entities.name(b.entity), "bus")
                    .with("published", b.published)
                    .with("dispatched", b.dispatched)
                    .with("unrouted", b.unrouted),
            );
        }
        for s in &self.sources {
            out.push(EntityReport::new(entities.name(s.entity), "source").with("published", s.published));
        }
        for l in &self.listeners {
            let busy_us = l.busy_us + l.in_service.map(|_| now.since(l.busy_since).0).unwrap_or(0);
            let utilisation = if now.0 == 0 { 0.0 } else { busy_us as f64 / now.0 as f64 };
            out.push(
                EntityReport::new(entities.name(l.entity), "listener")
                    .with("delivered", l.delivered)
                    .with("handled", l.handled)
                    .with("queued", l.inbox.len() as u64)
                    .with("in_service", u64::from(l.in_service.is_some()))
                    .with("queue_len_max", l.queue_len_max)
                    .with("utilisation", utilisation),
            );
        }
        out
    }

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

    pub fn add_source(&mut self, entity: EntityId, bus: usize, emitters: Vec<Emitter>) -> usize {
        self.sources.push(Source {
            entity,
            bus,
            emitters,
            published: 0,
        });
        self.sources.len() - 1
    }

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

    /// Whether `listener` currently receives events of type `ty`.
    pub fn receives(&self, listener: usize, ty: EventTypeId) -> bool {
        let subs = &self.listeners[listener].subscriptions;
        self.types.ancestors_inclusive(ty).any(|t| subs.contains(&t))
    }

    /// Schedules an emitter's first event: at its start, or one gap after time 0.
    pub fn schedule_first_emit(
        &mut self,
        ctx: &mut Ctx,
        source: usize,
        emitter: usize,
        start: Option<crate::time::SimDuration>,
    ) {
        let gap = match start {
            Some(start) => start,
            None => self.sources[source].emitters[emitter].every.sample(ctx.rng),
        };
        if self.sources[source].emitters[emitter].remaining != Some(0) {
            ctx.schedule(gap, Pending::Bus(BusPending::Emit { source, emitter }));
        }
    }

    pub fn handle(&mut self, ctx: &mut Ctx, pending: BusPending) {
        match pending {
            BusPending::Emit { source, emitter } => self.emit(ctx, source, emitter),
            BusPending::Arrive { flight } => self.arrive(ctx, flight),
            BusPending::HandlingDone { listener } => self.finish_handling(ctx, listener),
        }
    }

    fn emit(&mut self, ctx: &mut Ctx, source: usize, emitter: usize) {
        let e = &mut self.sources[source].emitters[emitter];
        if e.remaining == Some(0) {
            return;
        }
        if let Some(n) = e.remaining.as_mut() {
            *n -= 1;
        }
        let (event_type, more) = (e.event_type, e.remaining != Some(0));
        let gap = e.every.clone();
        self.publish(ctx, source, event_type);
        if more {
            let after = gap.sample(ctx.rng);
            ctx.schedule(after, Pending::Bus(BusPending::Emit { source, emitter }));
        }
    }

    /// `source` publishes an event of type `event_type` now.
    pub fn publish(&mut self, ctx: &mut Ctx, source: usize, event_type: EventTypeId) -> EventId {
        let event = EventId(self.events.len() as u64);
        let bus_index = self.sources[source].bus;
        self.events.push(PublishedEvent {
            event_type,
            source,
            bus: bus_index,
            published_at: ctx.now,
        });
        self.sources[source].published += 1;
        let recipients: Vec<usize> = (0..self.listeners.len())
            .filter(|&l| self.listeners[l].bus == bus_index && self.receives(l, event_type))
            .collect();
        let bus = &mut self.buses[bus_index];
        bus.published += 1;
        let bus_entity = bus.entity;
        ctx.record(TraceKind::Bus(BusRecord::Published {
            event,
            event_type,
            source: self.sources[source].entity,
            bus: bus_entity,
            recipients: recipients.len() as u32,
        }));
        if recipients.is_empty() {
            self.buses[bus_index].unrouted += 1;
            ctx.record(TraceKind::Bus(BusRecord::Unrouted {
                event,
                event_type,
                bus: bus_entity,
            }));
        }
        for listener in recipients {
            let delay = self.buses[bus_index].dispatch_delay.sample(ctx.rng);
            let arrives_at = ctx.now.saturating_add(delay);
            let flight = self.next_flight;
            self.next_flight += 1;
            self.in_flight.insert(
                flight,
                InFlight {
                    event,
                    listener,
                    sent_at: ctx.now,
                    arrives_at,
                },
            );
            self.buses[bus_index].dispatched += 1;
            ctx.record(TraceKind::Bus(BusRecord::Dispatched {
                event,
                event_type,
                bus: bus_entity,
                listener: self.listeners[listener].entity,
                arrives_at,
            }));
            ctx.schedule(delay, Pending::Bus(BusPending::Arrive { flight }));
        }
        event
    }

    fn arrive(&mut self, ctx: &mut Ctx, flight: u64) {
        let Some(copy) = self.in_flight.remove(&flight) else {
            return;
        };
        let event_type = self.events[copy.event.0 as usize].event_type;
        let bus = self.buses[self.listeners[copy.listener].bus].entity;
        let listener = &mut self.listeners[copy.listener];
        listener.delivered += 1;
        listener.inbox.push_back(copy.event);
        self.queued_total += 1;
        let waiting = listener.inbox.len() as u32 - u32::from(listener.in_service.is_none());
        listener.queue_len_max = listener.queue_len_max.max(waiting);
        ctx.record(TraceKind::Bus(BusRecord::Delivered {
            event: copy.event,
            event_type,
            bus,
            listener: listener.entity,
            queue_len: waiting,
        }));
        if listener.in_service.is_none() {
            self.start_next(ctx, copy.listener);
        }
    }

    fn start_next(&mut self, ctx: &mut Ctx, listener_index: usize) {
        let listener = &mut self.listeners[listener_index];
        let Some(event) = listener.inbox.pop_front() else {
            return;
        };
        self.queued_total -= 1;
        listener.in_service = Some(event);
        listener.busy_since = ctx.now;
        let event_type = self.events[event.0 as usize].event_type;
        ctx.record(TraceKind::Bus(BusRecord::HandlingStarted {
            event,
            event_type,
            listener: listener.entity,
        }));
        let took = listener.processing_time.sample(ctx.rng);
        ctx.schedule(
            took,
            Pending::Bus(BusPending::HandlingDone {
                listener: listener_index,
            }),
        );
    }

    fn finish_handling(&mut self, ctx: &mut Ctx, listener_index: usize) {
        let listener = &mut self.listeners[listener_index];
        let Some(event) = listener.in_service.take() else {
            return;
        };
        listener.handled += 1;
        listener.busy_us += ctx.now.since(listener.busy_since).0;
        let event_type = self.events[event.0 as usize].event_type;
        ctx.record(TraceKind::Bus(BusRecord::Handled {
            event,
            event_type,
            listener: listener.entity,
        }));
        self.start_next(ctx, listener_index);
    }

    /// Adds a subscription; returns false (and records nothing) if it already existed.
    pub fn subscribe(&mut self, ctx: &mut Ctx, listener: usize, event_type: EventTypeId) -> bool {
        let l = &mut self.listeners[listener];
        if !l.subscriptions.insert(event_type) {
            return false;
        }
        ctx.record(TraceKind::Bus(BusRecord::Subscribed {
            listener: l.entity,
            event_type,
        }));
        true
    }

    /// Removes a subscription; returns false (and records nothing) if there was none.
    pub fn unsubscribe(&mut self, ctx: &mut Ctx, listener: usize, event_type: EventTypeId) -> bool {
        let l = &mut self.listeners[listener];
        if !l.subscriptions.remove(&event_type) {
            return false;
        }
        ctx.record(TraceKind::Bus(BusRecord::Unsubscribed {
            listener: l.entity,
            event_type,
        }));
        true
    }

    /// Conservation check: every dispatched copy is in exactly one place. Returns
    /// (dispatched, in flight + queued + in service + handled).
    pub fn copy_accounting(&self) -> (u64, u64) {
        let dispatched: u64 = self.buses.iter().map(|b| b.dispatched).sum();
        let accounted = self.in_flight.len() as u64
            + self
                .listeners
                .iter()
                .map(|l| l.inbox.len() as u64 + u64::from(l.in_service.is_some()) + l.handled)
                .sum::<u64>();
        (dispatched, accounted)
    }
}
