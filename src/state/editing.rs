//! Editing the scenario: adding, changing and moving entities, and commands (deleting is in
//! `deleting.rs`). Every
//! change re-runs the simulation from time 0 with the same seed up to where the user was
//! (moving a node excepted: where it is drawn is not an input of the run).

use super::*;

/// An edit kept until the entities it names exist (see [`Model::pending`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingEdit {
    /// The edited entity: its builder kind and name, and the field.
    pub kind: String,
    pub name: String,
    pub key: String,
    /// What was typed, applied whole once every name in `waits_for` exists.
    pub text: String,
    pub waits_for: Vec<String>,
}

impl Model {
    /// Changes to the scenario and its commands.
    pub(super) fn edit(&mut self, action: Edit) {
        match action {
            Edit::Unplace { name } => {
                if self.scenario.positions.remove(&name).is_some() {
                    self.positions_changed();
                }
            }
            Edit::MoveNode { name, x, y } => {
                use eda_sim::scenario::{Position, POSITION_MAX};
                if self.sim().entity_id(&name).is_none() {
                    return;
                }
                let place = Position {
                    x: x.clamp(0, POSITION_MAX),
                    y: y.clamp(0, POSITION_MAX),
                };
                if self.scenario.positions.insert(name.clone(), place) != Some(place) {
                    self.positions_changed();
                    self.announcement = crate::tr!("said-moved-node", name = name.clone(), x = place.x, y = place.y);
                }
            }
            Edit::TidyLayout if !self.scenario.positions.is_empty() => {
                self.scenario.positions.clear();
                self.positions_changed();
                self.announcement = crate::tr!("said-tidied");
            }
            Edit::SelectSource(name) => self.selected_source = Some(name),
            Edit::Publish { event_type } => {
                let Some(source) = self
                    .selected_source
                    .clone()
                    .filter(|s| self.sim().entity_id(s).is_some())
                else {
                    self.error = Some(crate::tr!("error-no-source"));
                    return;
                };
                self.add_command(Command::Publish { source, event_type });
            }
            Edit::AddSource(name) => self.add_source(name),
            Edit::AddListener(name) => self.add_listener(name),
            Edit::RemoveEntity(name) => self.remove_entity(&name),
            Edit::SetSubscription {
                listener,
                event_type,
                subscribed,
            } => {
                if self.at_start() {
                    let mut next = self.scenario.clone();
                    if let Some(l) = next.event_bus.listeners.iter_mut().find(|l| l.id == listener) {
                        l.subscriptions.retain(|t| t != &event_type);
                        if subscribed {
                            l.subscriptions.push(event_type.clone());
                        }
                    }
                    self.replace_scenario(next);
                } else if subscribed {
                    self.add_command(Command::Subscribe { listener, event_type });
                } else {
                    self.add_command(Command::Unsubscribe { listener, event_type });
                }
            }
            Edit::SetProcessingTimeMs { listener, text } => match parse_ms(&text) {
                Ok(span) => {
                    let mut next = self.scenario.clone();
                    if let Some(l) = next.event_bus.listeners.iter_mut().find(|l| l.id == listener) {
                        l.processing_time = eda_sim::Distribution::Constant(span);
                    }
                    self.replace_scenario(next);
                }
                Err(message) => {
                    self.field_error = Some((
                        Field::Parameters,
                        crate::tr!("error-processing-time", name = listener.clone(), why = message),
                    ))
                }
            },
            Edit::SetDispatchDelayMs { bus, text } => match parse_ms(&text) {
                Ok(span) => {
                    let mut next = self.scenario.clone();
                    if let Some(b) = next.event_bus.buses.iter_mut().find(|b| b.id == bus) {
                        b.dispatch_delay = eda_sim::Distribution::Constant(span);
                    }
                    self.replace_scenario(next);
                }
                Err(message) => {
                    self.field_error = Some((
                        Field::Parameters,
                        crate::tr!("error-dispatch-delay", name = bus.clone(), why = message),
                    ))
                }
            },
            Edit::RemoveScriptEntry(i) if i < self.scenario.script.len() => {
                let mut next = self.scenario.clone();
                next.script.remove(i);
                self.replace_scenario(next);
            }
            Edit::RunCommand(command) => self.add_command(command),
            Edit::SetClientRate { client, text } => match eda_sim::view::builder::typed_number(&text) {
                Some(rate) if (0.0..=100_000.0).contains(&rate) => {
                    let mut next = self.scenario.clone();
                    if let Some(c) = next.request_reply.clients.iter_mut().find(|c| c.id == client) {
                        c.arrivals = if rate == 0.0 {
                            None
                        } else {
                            // A Poisson stream: exponential gaps with mean 1/rate.
                            let mean_us = (1e6 / rate).round().max(1.0) as u64;
                            let every = eda_sim::Distribution::Exponential {
                                mean: SimDuration(mean_us),
                            };
                            Some(eda_sim::patterns::request_reply::ArrivalSpec {
                                every,
                                start: None,
                                count: None,
                            })
                        };
                        c.users = None;
                    }
                    if self.replace_scenario(next) {
                        self.announcement = crate::tr!("said-rate", name = client.clone(), rate = rate.to_string());
                    }
                }
                _ => {
                    self.field_error = Some((
                        Field::ClientRate,
                        crate::tr!("error-rate", name = client.clone(), text = text.trim().to_string()),
                    ))
                }
            },
            Edit::AddEntity { kind, name } => self.add_entity(&kind, &name),
            Edit::EditEntity(target) => {
                self.property_error = None;
                self.editing = target;
            }
            Edit::SetProperty { key, text } => self.set_property(&key, &text),
            Edit::SetPropertyType { key, event_type, on } => {
                let Some((kind, name, field)) = self.edited_field(&key) else {
                    return;
                };
                match builder::set_listed_type(&self.scenario, kind, &name, field, &event_type, on) {
                    Ok(next) => {
                        if self.replace_scenario(next) {
                            self.announcement = crate::tr!(
                                if on { "said-subscribes" } else { "said-unsubscribes" },
                                name = name.clone(),
                                type = event_type.clone()
                            );
                        }
                    }
                    Err(message) => self.property_error = Some((key, crate::i18n::problems::words(&message))),
                }
            }
            Edit::DeleteEntity => self.delete_entity(),
            Edit::StartEmpty => {
                let entities = builder::items(&self.scenario).len();
                if entities == 0 {
                    self.clear_scenario();
                } else {
                    self.confirmation = Some(Confirmation::Clear {
                        detail: crate::tr!("confirm-clear-detail", count = entities),
                    });
                }
            }
            Edit::Connect { from, to } => match builder::connection(&self.scenario, &from, &to) {
                Ok(builder::Connection::Binding { exchange, queue }) => {
                    self.confirmation = Some(Confirmation::BindingKey { exchange, queue });
                }
                Ok(connection) => self.make_connection(&connection, "", &from, &to),
                Err(e) => {
                    self.error = Some(crate::tr!(
                        "error-not-linked",
                        from = from.clone(),
                        to = to.clone(),
                        why = crate::i18n::problems::words(&e.to_string())
                    ))
                }
            },
            Edit::Bind { exchange, queue, key } => {
                self.confirmation = None;
                let binding = builder::Connection::Binding {
                    exchange: exchange.clone(),
                    queue: queue.clone(),
                };
                self.make_connection(&binding, &key, &exchange, &queue);
            }
            Edit::Confirm(yes) => match self.confirmation.take() {
                Some(Confirmation::Delete { kind, name, .. }) if yes => self.remove_now(&kind, &name),
                Some(Confirmation::Clear { .. }) if yes => self.clear_scenario(),
                Some(_) => self.announcement = crate::tr!("said-cancelled"),
                None => {}
            },
            // Nothing to tidy, or no such command.
            Edit::TidyLayout | Edit::RemoveScriptEntry(_) => {}
        }
    }

    /// After a change of where nodes are drawn: not an input of the run, so nothing is re-run;
    /// the diagram lays out again, and the link and the autosave follow.
    fn positions_changed(&mut self) {
        self.scenario_revision += 1;
        self.edit_revision += 1;
        self.share_link = None;
    }

    /// Makes a link drawn in the diagram and says what it did.
    fn make_connection(&mut self, connection: &builder::Connection, key: &str, from: &str, to: &str) {
        match builder::connect(&self.scenario, connection, key) {
            Ok(next) => {
                if self.replace_scenario(next) {
                    self.announcement = match connection {
                        builder::Connection::Binding { exchange, queue } if key.trim().is_empty() => {
                            crate::tr!("said-bound", queue = queue.clone(), exchange = exchange.clone())
                        }
                        builder::Connection::Binding { exchange, queue } => {
                            crate::tr!(
                                "said-bound-key",
                                queue = queue.clone(),
                                exchange = exchange.clone(),
                                key = key.trim().to_string()
                            )
                        }
                        builder::Connection::Reference {
                            name,
                            kind,
                            field,
                            target,
                            ..
                        } => crate::tr!(
                            "said-reference",
                            name = name.clone(),
                            field = crate::i18n::field_label(kind, field).to_lowercase(),
                            target = target.clone()
                        ),
                    };
                }
            }
            Err(e) => {
                self.error = Some(crate::tr!(
                    "error-not-linked",
                    from = from.to_string(),
                    to = to.to_string(),
                    why = crate::i18n::problems::words(&e.to_string())
                ))
            }
        }
    }

    pub(super) fn add_entity(&mut self, kind_id: &str, name: &str) {
        let Some(kind) = builder::kind(kind_id) else {
            self.field_error = Some((
                Field::NewEntity,
                crate::tr!("error-no-kind", kind = format!("{kind_id:?}")),
            ));
            return;
        };
        match builder::add_entity(&self.scenario, kind, name) {
            Ok((next, name)) => {
                if self.replace_scenario(next) {
                    if kind.id == "event-source" {
                        self.selected_source.get_or_insert(name.clone());
                    }
                    self.announcement = crate::tr!(
                        "said-added",
                        kind = crate::i18n::kind_name(kind).to_lowercase(),
                        name = name.clone()
                    );
                    self.property_error = None;
                    self.editing = Some((kind.id.to_string(), name));
                }
            }
            Err(message) => self.field_error = Some((Field::NewEntity, crate::i18n::problems::words(&message))),
        }
    }

    /// The entity being edited and one of its fields.
    pub(super) fn edited_field(
        &self,
        key: &str,
    ) -> Option<(&'static builder::KindSpec, String, &'static builder::FieldSpec)> {
        let (kind_id, name) = self.editing.as_ref()?;
        let kind = builder::kind(kind_id)?;
        let field = kind.fields.iter().find(|f| f.key == key)?;
        Some((kind, name.clone(), field))
    }

    pub(super) fn set_property(&mut self, key: &str, text: &str) {
        let Some((kind, name, field)) = self.edited_field(key) else {
            return;
        };
        match builder::set_field(&self.scenario, kind, &name, field, text) {
            Ok(next) => {
                if same_scenario(&next, &self.scenario) {
                    self.property_error = None;
                    return;
                }
                if self.replace_scenario(next) {
                    self.property_error = None;
                    self.announcement = crate::tr!(
                        "said-field-set",
                        field = crate::i18n::field_label(kind, field),
                        name = name.to_string(),
                        value = text.trim().to_string()
                    );
                }
            }
            Err(message) => {
                // Bindings to queues not there yet are kept, not lost: those whose queue exists
                // apply now, the whole text as soon as the rest do.
                let (ready, missing) = match field.ty {
                    builder::FieldType::Bindings => builder::bindings_waiting(&self.scenario, text),
                    _ => (String::new(), Vec::new()),
                };
                if missing.is_empty() {
                    self.property_error = Some((key.to_string(), crate::i18n::problems::words(&message)));
                    return;
                }
                if let Ok(next) = builder::set_field(&self.scenario, kind, &name, field, &ready) {
                    if !same_scenario(&next, &self.scenario) {
                        self.replace_scenario(next);
                    }
                }
                self.property_error = None;
                self.pending.retain(|p| !(p.name == name && p.key == key));
                self.announcement = format!(
                    "{} of {name}: kept until {} exist{}.",
                    field.label,
                    missing.join(", "),
                    if missing.len() == 1 { "s" } else { "" }
                );
                self.pending.push(PendingEdit {
                    kind: kind.id.to_string(),
                    name,
                    key: key.to_string(),
                    text: text.trim().to_string(),
                    waits_for: missing,
                });
            }
        }
    }

    /// Applies the pending edits whose entities now exist (after any change of the scenario).
    fn apply_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let names: Vec<String> = builder::items(&self.scenario).into_iter().map(|i| i.name).collect();
        let (ready, waiting): (Vec<PendingEdit>, Vec<PendingEdit>) = std::mem::take(&mut self.pending)
            .into_iter()
            .filter(|p| names.contains(&p.name))
            .partition(|p| p.waits_for.iter().all(|w| names.contains(w)));
        self.pending = waiting;
        for edit in ready {
            let Some(kind) = builder::kind(&edit.kind) else {
                continue;
            };
            let Some(field) = kind.fields.iter().find(|f| f.key == edit.key) else {
                continue;
            };
            match builder::set_field(&self.scenario, kind, &edit.name, field, &edit.text) {
                Ok(next) => {
                    if self.replace_scenario(next) {
                        self.announcement = crate::tr!(
                            "said-field-applied",
                            field = crate::i18n::field_label(kind, field),
                            name = edit.name.clone(),
                            value = edit.text.clone()
                        );
                    }
                }
                Err(message) => {
                    self.error = Some(crate::tr!(
                        "error-pending",
                        field = crate::i18n::field_label(kind, field).to_lowercase(),
                        name = edit.name.clone(),
                        why = crate::i18n::problems::words(&message)
                    ))
                }
            }
        }
    }

    pub(super) fn clear_scenario(&mut self) {
        let mut empty = Scenario::empty(self.scenario.seed);
        empty.name = crate::tr!("new-scenario-name");
        empty.description = crate::tr!("new-scenario-description");
        if self.load(empty, &crate::tr!("error-empty-context")) {
            self.gallery_open = false;
            self.announcement = crate::tr!("said-started-empty");
        }
    }

    /// Adds a timed command at the current instant and re-runs to it.
    pub(super) fn add_command(&mut self, command: Command) {
        let now = self.sim().now();
        let described = crate::i18n::core_words::command(&command);
        let mut next = self.scenario.clone();
        next.script.push(ScriptEntry {
            at: SimDuration(now.0),
            command,
        });
        if self.replace_scenario(next) {
            self.announcement = crate::tr!("said-command", at = now.to_string(), command = described);
        }
    }

    /// Makes `next` the scenario if it is valid, re-running to the current instant. On error
    /// the previous scenario and simulation stay exactly as they were.
    pub(super) fn replace_scenario(&mut self, next: Scenario) -> bool {
        let started = !self.at_start();
        let target = self.sim().now();
        match Timeline::new(&next) {
            Ok(mut timeline) => {
                // Untouched runs stay untouched: nothing at time 0 runs until the user asks.
                let outcome = if started {
                    timeline.run_until(target, u64::MAX).map(|_| ())
                } else {
                    Ok(())
                };
                self.scenario = next;
                self.timeline = timeline;
                self.scenario_revision += 1;
                self.edit_revision += 1;
                self.share_link = None; // it showed the scenario before this change
                self.inspected = None; // record numbers may differ in the new run
                self.field_error = None;
                self.apply_pending();
                if let Err(e) = outcome {
                    self.fail(&e);
                }
                true
            }
            Err(e) => {
                self.error = Some(crate::tr!(
                    "error-change-refused",
                    why = crate::i18n::errors::scenario(&e)
                ));
                false
            }
        }
    }
}
