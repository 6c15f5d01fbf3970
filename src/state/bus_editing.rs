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
            self.announcement = crate::tr!("said-added-source", name = name.clone());
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
            self.announcement = crate::tr!("said-added-listener", name = name.clone());
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
            self.announcement = crate::tr!("said-removed", name = name.to_string());
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
            return Err(crate::tr!(
                "error-name-long",
                most = eda_sim::kernel::limits::MAX_NAME_BYTES
            ));
        }
        if let Some(id) = self.sim().entity_id(name) {
            let kind = crate::i18n::kind_label(self.sim().entity(id).kind);
            return Err(crate::tr!("error-name-used", name = name.to_string(), kind = kind));
        }
        Ok(())
    }
}

/// Reads a whole number of milliseconds typed into a field (0 to one day).
pub fn parse_ms(text: &str) -> Result<SimDuration, String> {
    let value: u64 = text
        .trim()
        .parse()
        .map_err(|_| crate::tr!("error-not-ms", text = text.trim().to_string()))?;
    if value > eda_sim::kernel::limits::MAX_DURATION_US / 1_000 {
        return Err(crate::tr!("error-ms-day"));
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
