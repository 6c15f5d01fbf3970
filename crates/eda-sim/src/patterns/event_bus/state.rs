//! All state of the event-bus pattern in one place, and how it is built from a validated
//! scenario section (registering its buses, sources and listeners as entities).

use super::bus::{Bus, InFlight};
use super::listener::Listener;
use super::source::{Emitter, Source};
use super::spec::EventBusSpec;
use super::types::TypeHierarchy;
use crate::kernel::collections::IdMap;
use crate::kernel::entity::Entities;
use crate::kernel::entity::EntityKind;
use crate::kernel::ids::EventTypeId;

/// All state of the event-bus pattern.
#[derive(Clone, Debug, Default)]
pub struct EventBusWorld {
    pub types: TypeHierarchy,
    pub buses: Vec<Bus>,
    pub sources: Vec<Source>,
    pub listeners: Vec<Listener>,
    /// Events published so far (the next event's id). Published events themselves are not
    /// kept: each copy carries what a listener needs, and goes when it is handled.
    pub published_total: u64,
    /// Copies in flight, keyed by dispatch number (so in dispatch order).
    pub in_flight: IdMap<InFlight>,
    pub(super) next_flight: u64,
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
            world.listeners[index].link = l.link.clone();
            for ty in l.subscriptions.iter().filter_map(|t| world.types.id(t)) {
                world.listeners[index].subscriptions.insert(ty);
            }
        }
        world
    }

    /// The source's index by entity name (for links from other patterns).
    pub fn source_index(&self, entities: &Entities, name: &str) -> Option<usize> {
        entities.index_of(name, EntityKind::EventSource).ok()
    }
}
