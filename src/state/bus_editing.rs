//! Editing the event bus from its own panels, by name: sources and listeners added and removed,
//! the bus created with the first of them, and the milliseconds typed for a processing time or
//! a dispatch delay.

use super::*;

impl Model {
    pub(super) fn add_source(&mut self, name: String) {
        let name = self.fresh_name(name.trim(), "source");
        if let Err(message) = self.name_is_free(&name) {
            self.field_error = Some((Field::NewSource, message));
            return;
        }
        let mut next = self.scenario.clone();
        let bus = ensure_bus(&mut next);
        next.event_bus.sources.push(SourceSpec {
            id: name.clone(),
            bus,
            emits: vec![],
        });
        if self.replace_scenario(next) {
            self.selected_source.get_or_insert(name.clone());
            self.announcement = format!("Added source {name}.");
        }
    }

    pub(super) fn add_listener(&mut self, name: String) {
        let name = self.fresh_name(name.trim(), "listener");
        if let Err(message) = self.name_is_free(&name) {
            self.field_error = Some((Field::NewListener, message));
            return;
        }
        let mut next = self.scenario.clone();
        let bus = ensure_bus(&mut next);
        next.event_bus.listeners.push(ListenerSpec {
            id: name.clone(),
            bus,
            subscriptions: vec![],
            processing_time: eda_sim::scenario::default_processing_time(),
            link: Default::default(),
        });
        if self.replace_scenario(next) {
            self.announcement = format!("Added listener {name}.");
        }
    }

    pub(super) fn remove_entity(&mut self, name: &str) {
        let mut next = self.scenario.clone();
        let spec = &mut next.event_bus;
        spec.sources.retain(|s| s.id != name);
        spec.listeners.retain(|l| l.id != name);
        // Timed commands aimed at the removed entity go with it.
        next.script
            .retain(|entry| entry.command.targets().iter().all(|(_, target, _)| *target != name));
        if self.replace_scenario(next) {
            if self.selected_source.as_deref() == Some(name) {
                self.selected_source = self.scenario.event_bus.sources.first().map(|s| s.id.clone());
            }
            self.announcement = format!("Removed {name}.");
            if self.log_entity == name {
                self.log_entity.clear();
            }
            self.selected.retain(|n| n != name);
        }
    }

    /// `wanted`, or the first free `kind-N` when `wanted` is empty.
    pub(super) fn fresh_name(&self, wanted: &str, kind: &str) -> String {
        if !wanted.is_empty() {
            return wanted.to_string();
        }
        (1..)
            .map(|n| format!("{kind}-{n}"))
            .find(|n| self.sim().entity_id(n).is_none())
            .unwrap_or_default()
    }

    pub(super) fn name_is_free(&self, name: &str) -> Result<(), String> {
        if name.len() > eda_sim::kernel::limits::MAX_NAME_BYTES {
            return Err(format!(
                "Names are at most {} characters.",
                eda_sim::kernel::limits::MAX_NAME_BYTES
            ));
        }
        if let Some(id) = self.sim().entity_id(name) {
            let kind = self.sim().entity(id).kind.label();
            return Err(format!("The name \"{name}\" is already used by a {kind}."));
        }
        Ok(())
    }
}

/// Reads a whole number of milliseconds typed into a field (0 to one day).
pub fn parse_ms(text: &str) -> Result<SimDuration, String> {
    let value: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("\"{}\" is not a whole number of milliseconds.", text.trim()))?;
    if value > eda_sim::kernel::limits::MAX_DURATION_US / 1_000 {
        return Err("at most one day (86400000 ms).".into());
    }
    Ok(SimDuration::from_millis(value))
}

/// The id of the scenario's first bus, creating one if there is none.
fn ensure_bus(scenario: &mut Scenario) -> String {
    if scenario.event_bus.buses.is_empty() {
        scenario.event_bus.buses.push(BusSpec {
            id: "event-bus".into(),
            dispatch_delay: eda_sim::scenario::default_dispatch_delay(),
        });
    }
    scenario.event_bus.buses[0].id.clone()
}
