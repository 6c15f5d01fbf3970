//! Checks of the event-bus section: entity ids, an event-type hierarchy without duplicates,
//! unknown parents, cycles or excess depth, and every reference to a bus or an event type.

use super::spec::EventBusSpec;
use crate::kernel::entity::EntityKind;
use crate::kernel::limits::{MAX_EMITS_PER_SOURCE, MAX_EVENT_TYPES, MAX_TYPE_DEPTH};
use crate::kernel::validate::{name_problem, Validator};

impl EventBusSpec {
    pub(crate) fn claim_ids(&self, v: &mut Validator) {
        for (i, b) in self.buses.iter().enumerate() {
            v.claim(format!("event_bus.buses[{i}].id"), &b.id, EntityKind::EventBus);
        }
        for (i, s) in self.sources.iter().enumerate() {
            v.claim(format!("event_bus.sources[{i}].id"), &s.id, EntityKind::EventSource);
        }
        for (i, l) in self.listeners.iter().enumerate() {
            v.claim(format!("event_bus.listeners[{i}].id"), &l.id, EntityKind::Listener);
        }
    }

    pub(crate) fn validate(&self, v: &mut Validator) {
        // Event types: unique names, known parents, no cycles, bounded depth.
        if self.event_types.len() > MAX_EVENT_TYPES {
            v.report(
                "event_bus.event_types",
                format!(
                    "{} event types; at most {MAX_EVENT_TYPES} are allowed",
                    self.event_types.len()
                ),
            );
        }
        let mut type_index: litemap::LiteMap<&str, usize> = litemap::LiteMap::new_vec();
        for (i, t) in self.event_types.iter().enumerate() {
            let path = format!("event_bus.event_types[{i}].name");
            if let Some(message) = name_problem(&t.name) {
                v.report(path, message);
            } else if type_index.insert(&t.name, i).is_some() {
                v.report(path, format!("event type {:?} is defined twice", &t.name));
            }
        }
        for (i, t) in self.event_types.iter().enumerate() {
            let Some(parent) = &t.parent else { continue };
            let path = format!("event_bus.event_types[{i}].parent");
            if !type_index.contains_key(parent.as_str()) {
                v.report(path, format!("unknown event type {:?}", parent));
                continue;
            }
            // Walk up the parent chain; a chain longer than the limit is a cycle or too deep.
            let mut depth = 0;
            let mut current = Some(parent.as_str());
            while let Some(name) = current {
                depth += 1;
                if name == t.name || depth > MAX_TYPE_DEPTH {
                    break;
                }
                current = type_index
                    .get(name)
                    .and_then(|&j| self.event_types[j].parent.as_deref());
            }
            if current == Some(t.name.as_str()) {
                v.report(path, format!("event type {:?} is its own ancestor", &t.name));
            } else if depth > MAX_TYPE_DEPTH {
                v.report(
                    path,
                    format!(
                        "the hierarchy above {:?} is deeper than {MAX_TYPE_DEPTH} levels",
                        &t.name
                    ),
                );
            }
        }
        for (i, b) in self.buses.iter().enumerate() {
            v.distribution(format!("event_bus.buses[{i}].dispatch_delay"), &b.dispatch_delay, false);
        }
        for (i, s) in self.sources.iter().enumerate() {
            v.expect(format!("event_bus.sources[{i}].bus"), &s.bus, &[EntityKind::EventBus]);
            if s.emits.len() > MAX_EMITS_PER_SOURCE {
                v.report(
                    format!("event_bus.sources[{i}].emits"),
                    format!("{} emitters; at most {MAX_EMITS_PER_SOURCE} per source", s.emits.len()),
                );
            }
            for (j, e) in s.emits.iter().enumerate() {
                let path = format!("event_bus.sources[{i}].emits[{j}]");
                if !type_index.contains_key(e.event_type.as_str()) {
                    v.report(
                        format!("{path}.event_type"),
                        format!("unknown event type {:?}", &e.event_type),
                    );
                }
                v.distribution(format!("{path}.every"), &e.every, true);
                if let Some(start) = e.start {
                    v.duration(format!("{path}.start"), start);
                }
            }
        }
        for (i, l) in self.listeners.iter().enumerate() {
            v.expect(format!("event_bus.listeners[{i}].bus"), &l.bus, &[EntityKind::EventBus]);
            for (j, t) in l.subscriptions.iter().enumerate() {
                if !type_index.contains_key(t.as_str()) {
                    v.report(
                        format!("event_bus.listeners[{i}].subscriptions[{j}]"),
                        format!("unknown event type {:?}", t),
                    );
                }
            }
            v.distribution(
                format!("event_bus.listeners[{i}].processing_time"),
                &l.processing_time,
                false,
            );
            l.link.validate(v, &format!("event_bus.listeners[{i}].link"));
        }
    }
}
