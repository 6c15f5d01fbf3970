//! Deleting an entity: what it takes along (its dependents, an event type's uses) and the
//! question asked first when it has traffic or dependents, then the removal itself, which
//! forgets the selection, filters and source that named what went.

use super::*;

impl Model {
    /// Records of the run so far that involve the entity.
    pub(super) fn traffic_of(&self, name: &str) -> usize {
        let Some(id) = self.sim().entity_id(name) else {
            return 0;
        };
        self.timeline
            .records()
            .iter()
            .filter(|r| {
                let (from, to) = r.kind.endpoints();
                from == id || to == Some(id)
            })
            .count()
    }

    pub(super) fn delete_entity(&mut self) {
        let Some((kind_id, name)) = self.editing.clone() else {
            return;
        };
        let Some(kind) = builder::kind(&kind_id) else {
            return;
        };
        let dependents = builder::dependents(&self.scenario, kind, &name);
        let is_type = kind.id == "event-type";
        // An event type has no traffic of its own; what matters is who uses it.
        let traffic = if is_type { 0 } else { self.traffic_of(&name) };
        let uses = if is_type { self.uses_of_type(&name) } else { Vec::new() };
        if dependents.is_empty() && traffic == 0 && uses.is_empty() {
            self.remove_now(&kind_id, &name);
            return;
        }
        let mut detail = Vec::new();
        if traffic > 0 {
            detail.push(crate::tr!("confirm-delete-traffic", count = traffic));
        }
        if !uses.is_empty() {
            detail.push(crate::tr!("confirm-delete-uses", uses = uses.join(", ")));
        }
        if !dependents.is_empty() {
            let names: Vec<String> = dependents
                .iter()
                .map(|d| format!("{} {}", crate::i18n::kind_name(d.kind).to_lowercase(), d.name))
                .collect();
            detail.push(crate::tr!("confirm-delete-dependents", names = names.join(", ")));
        }
        self.confirmation = Some(Confirmation::Delete {
            question: crate::tr!(
                "confirm-delete-question",
                kind = crate::i18n::kind_name(kind).to_lowercase(),
                name = name.clone()
            ),
            detail: detail.join(" "),
            kind: kind_id,
            name,
        });
    }

    /// Who uses an event type: subscriptions, streams, child types, timed commands.
    pub(super) fn uses_of_type(&self, event_type: &str) -> Vec<String> {
        let bus = &self.scenario.event_bus;
        let mut uses: Vec<String> = Vec::new();
        for l in bus
            .listeners
            .iter()
            .filter(|l| l.subscriptions.iter().any(|t| t == event_type))
        {
            uses.push(crate::tr!("use-subscription", name = l.id.clone()));
        }
        for s in bus
            .sources
            .iter()
            .filter(|s| s.emits.iter().any(|e| e.event_type == event_type))
        {
            uses.push(crate::tr!("use-stream", name = s.id.clone()));
        }
        for t in bus
            .event_types
            .iter()
            .filter(|t| t.parent.as_deref() == Some(event_type))
        {
            uses.push(crate::tr!("use-subtype", name = t.name.clone()));
        }
        let commands = self
            .scenario
            .script
            .iter()
            .filter(|entry| match &entry.command {
                Command::Publish { event_type: t, .. }
                | Command::Subscribe { event_type: t, .. }
                | Command::Unsubscribe { event_type: t, .. } => t == event_type,
                _ => false,
            })
            .count();
        if commands > 0 {
            uses.push(crate::tr!("use-commands", count = commands));
        }
        uses
    }

    pub(super) fn remove_now(&mut self, kind_id: &str, name: &str) {
        let Some(kind) = builder::kind(kind_id) else {
            return;
        };
        let removed_names: Vec<String> = std::iter::once(name.to_string())
            .chain(
                builder::dependents(&self.scenario, kind, name)
                    .into_iter()
                    .map(|d| d.name),
            )
            .collect();
        // Event types are not entities: selections and filters name entities only.
        let gone: Vec<String> = if kind.id == "event-type" {
            Vec::new()
        } else {
            removed_names.clone()
        };
        match builder::remove_entity(&self.scenario, kind, name) {
            Ok(mut next) => {
                next.positions.retain(|n, _| !gone.contains(n));
                if self.replace_scenario(next) {
                    self.editing = None;
                    self.property_error = None;
                    self.selected.retain(|n| !gone.contains(n));
                    if gone.contains(&self.log_entity) {
                        self.log_entity.clear();
                    }
                    if self.selected_source.as_ref().is_some_and(|s| gone.contains(s)) {
                        self.selected_source = self.scenario.event_bus.sources.first().map(|s| s.id.clone());
                    }
                    self.announcement = crate::tr!("said-deleted", names = removed_names.join(", "));
                }
            }
            Err(message) => {
                self.error = Some(crate::tr!(
                    "error-not-deleted",
                    name = name.to_string(),
                    why = crate::i18n::problems::words(&message)
                ))
            }
        }
    }
}
