//! The scenario: every input of a run (seed, entities, parameters, timed script) as one
//! versioned JSON document. Loading checks all of it and reports every problem with its JSON
//! path, so a hand-written or shared scenario either runs exactly or says precisely why not.

use crate::limits::*;
use crate::rng::Distribution;
use crate::time::SimDuration;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The scenario format this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

/// A complete, self-contained description of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; always [`SCENARIO_VERSION`] when written by this build.
    pub version: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Seed of the simulation's random generator.
    #[serde(default)]
    pub seed: u64,
    /// The event-bus pattern: a type hierarchy, buses, sources and listeners.
    #[serde(default, skip_serializing_if = "EventBusSpec::is_empty")]
    pub event_bus: EventBusSpec,
    /// Commands that run at given instants, in this order on ties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<ScriptEntry>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBusSpec {
    #[serde(default)]
    pub event_types: Vec<EventTypeSpec>,
    #[serde(default)]
    pub buses: Vec<BusSpec>,
    #[serde(default)]
    pub sources: Vec<SourceSpec>,
    #[serde(default)]
    pub listeners: Vec<ListenerSpec>,
}

impl EventBusSpec {
    pub fn is_empty(&self) -> bool {
        self.event_types.is_empty()
            && self.buses.is_empty()
            && self.sources.is_empty()
            && self.listeners.is_empty()
    }
}

/// An event type; a listener subscribed to a type also receives all of its subtypes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTypeSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusSpec {
    pub id: String,
    /// Time from publication until a copy reaches a listener's inbox.
    #[serde(default = "default_dispatch_delay")]
    pub dispatch_delay: Distribution,
}

/// Publishes events: by script, by hand from the UI, or by its emitters at a rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    pub id: String,
    /// The bus this source publishes to.
    pub bus: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emits: Vec<EmitSpec>,
}

/// A stream of events of one type with gaps drawn from `every`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmitSpec {
    pub event_type: String,
    /// The gap between two events (exponential gaps make a Poisson stream).
    pub every: Distribution,
    /// When the first event is published; by default one gap after time 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<SimDuration>,
    /// How many events to publish; by default no end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

/// Handles one event at a time; others wait in its inbox in arrival order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenerSpec {
    pub id: String,
    /// The bus this listener subscribes at.
    pub bus: String,
    /// Event types subscribed to from time 0 (each includes its subtypes).
    #[serde(default)]
    pub subscriptions: Vec<String>,
    /// How long handling one event takes.
    #[serde(default = "default_processing_time")]
    pub processing_time: Distribution,
}

/// A command that runs at a given instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptEntry {
    pub at: SimDuration,
    #[serde(rename = "do")]
    pub command: Command,
}

/// An action from outside the model: from the script, the UI or a test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    Publish {
        source: String,
        event_type: String,
    },
    Subscribe {
        listener: String,
        event_type: String,
    },
    Unsubscribe {
        listener: String,
        event_type: String,
    },
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Publish { source, event_type } => write!(f, "{source} publishes {event_type}"),
            Command::Subscribe {
                listener,
                event_type,
            } => write!(f, "{listener} subscribes to {event_type}"),
            Command::Unsubscribe {
                listener,
                event_type,
            } => write!(f, "{listener} unsubscribes from {event_type}"),
        }
    }
}

pub fn default_dispatch_delay() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(5))
}

pub fn default_processing_time() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(100))
}

/// One thing wrong with a scenario, located by its JSON path (`event_bus.listeners[0].bus`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Why a scenario could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    /// The text is not JSON at all.
    NotJson { message: String },
    /// The document's `version` is missing or not one this build reads.
    UnsupportedVersion { found: String },
    /// The JSON has the wrong shape (a missing field, a number where text belongs…).
    Shape(Problem),
    /// The document is well-formed but describes something impossible or over the limits.
    Invalid(Vec<Problem>),
}

impl ScenarioError {
    /// Every problem as path + message, for reports and the UI.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            ScenarioError::NotJson { message } => vec![Problem {
                path: String::new(),
                message: message.clone(),
            }],
            ScenarioError::UnsupportedVersion { found } => vec![Problem {
                path: "version".into(),
                message: format!(
                    "this playground reads scenario version {SCENARIO_VERSION}, not {found}"
                ),
            }],
            ScenarioError::Shape(problem) => vec![problem.clone()],
            ScenarioError::Invalid(problems) => problems.clone(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::NotJson { message } => {
                write!(f, "the scenario is not valid JSON: {message}")
            }
            ScenarioError::UnsupportedVersion { .. } | ScenarioError::Shape(_) => {
                write!(f, "the scenario cannot be read: {}", self.problems()[0])
            }
            ScenarioError::Invalid(problems) => {
                write!(
                    f,
                    "the scenario has {} problem{}:",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// An empty scenario of the current version.
    pub fn empty(seed: u64) -> Self {
        Scenario {
            version: SCENARIO_VERSION,
            name: String::new(),
            description: String::new(),
            seed,
            event_bus: EventBusSpec::default(),
            script: Vec::new(),
        }
    }

    /// Reads and validates a scenario from JSON text.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ScenarioError::NotJson {
                message: e.to_string(),
            })?;
        match value.get("version") {
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(SCENARIO_VERSION as u64) => {}
            Some(other) => {
                return Err(ScenarioError::UnsupportedVersion {
                    found: other.to_string(),
                })
            }
            None if value.is_object() => {
                return Err(ScenarioError::Shape(Problem {
                    path: "version".into(),
                    message: format!(
                        "missing; a scenario starts with \"version\": {SCENARIO_VERSION}"
                    ),
                }))
            }
            None => {
                return Err(ScenarioError::Shape(Problem {
                    path: String::new(),
                    message: "a scenario is a JSON object".into(),
                }))
            }
        }
        let scenario: Scenario = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            ScenarioError::Shape(Problem {
                path: if path == "." { String::new() } else { path },
                message: e.into_inner().to_string(),
            })
        })?;
        scenario.validate().map_err(ScenarioError::Invalid)?;
        Ok(scenario)
    }

    /// The scenario as pretty-printed JSON (the format `from_json` reads).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Checks references, names, parameters and limits; returns every problem found.
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        let mut report = |path: String, message: String| problems.push(Problem { path, message });

        if self.version != SCENARIO_VERSION {
            report(
                "version".into(),
                format!(
                    "this playground reads scenario version {SCENARIO_VERSION}, not {}",
                    self.version
                ),
            );
        }
        let bus = &self.event_bus;

        // Event types: unique names, known parents, no cycles, bounded depth.
        if bus.event_types.len() > MAX_EVENT_TYPES {
            report(
                "event_bus.event_types".into(),
                format!(
                    "{} event types; at most {MAX_EVENT_TYPES} are allowed",
                    bus.event_types.len()
                ),
            );
        }
        let mut type_index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, t) in bus.event_types.iter().enumerate() {
            let path = format!("event_bus.event_types[{i}].name");
            if let Some(message) = name_problem(&t.name) {
                report(path, message);
            } else if type_index.insert(&t.name, i).is_some() {
                report(path, format!("event type {:?} is defined twice", t.name));
            }
        }
        for (i, t) in bus.event_types.iter().enumerate() {
            if let Some(parent) = &t.parent {
                if !type_index.contains_key(parent.as_str()) {
                    report(
                        format!("event_bus.event_types[{i}].parent"),
                        format!("unknown event type {parent:?}"),
                    );
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
                        .and_then(|&j| bus.event_types[j].parent.as_deref());
                }
                if current == Some(t.name.as_str()) {
                    report(
                        format!("event_bus.event_types[{i}].parent"),
                        format!("event type {:?} is its own ancestor", t.name),
                    );
                } else if depth > MAX_TYPE_DEPTH {
                    report(
                        format!("event_bus.event_types[{i}].parent"),
                        format!(
                            "the hierarchy above {:?} is deeper than {MAX_TYPE_DEPTH} levels",
                            t.name
                        ),
                    );
                }
            }
        }

        // Entities: one namespace for all ids.
        let entity_count = bus.buses.len() + bus.sources.len() + bus.listeners.len();
        if entity_count > MAX_ENTITIES {
            report(
                "event_bus".into(),
                format!("{entity_count} entities; at most {MAX_ENTITIES} are allowed"),
            );
        }
        let mut ids: BTreeMap<&str, &'static str> = BTreeMap::new();
        let named = bus
            .buses
            .iter()
            .enumerate()
            .map(|(i, b)| (format!("event_bus.buses[{i}].id"), b.id.as_str(), "bus"));
        let named = named.chain(bus.sources.iter().enumerate().map(|(i, s)| {
            (
                format!("event_bus.sources[{i}].id"),
                s.id.as_str(),
                "source",
            )
        }));
        let named = named.chain(bus.listeners.iter().enumerate().map(|(i, l)| {
            (
                format!("event_bus.listeners[{i}].id"),
                l.id.as_str(),
                "listener",
            )
        }));
        for (path, id, kind) in named {
            if let Some(message) = name_problem(id) {
                report(path, message);
            } else if let Some(existing) = ids.insert(id, kind) {
                report(path, format!("id {id:?} is already used by a {existing}"));
            }
        }
        for (i, b) in bus.buses.iter().enumerate() {
            check_distribution(
                &mut report,
                format!("event_bus.buses[{i}].dispatch_delay"),
                &b.dispatch_delay,
                false,
            );
        }
        let bus_ids: BTreeSet<&str> = bus.buses.iter().map(|b| b.id.as_str()).collect();
        let source_ids: BTreeSet<&str> = bus.sources.iter().map(|s| s.id.as_str()).collect();
        let listener_ids: BTreeSet<&str> = bus.listeners.iter().map(|l| l.id.as_str()).collect();
        let unknown_bus = |name: &str| {
            if bus_ids.is_empty() {
                format!("unknown bus {name:?}: the scenario defines no bus")
            } else {
                format!("unknown bus {name:?}")
            }
        };
        for (i, s) in bus.sources.iter().enumerate() {
            if !bus_ids.contains(s.bus.as_str()) {
                report(format!("event_bus.sources[{i}].bus"), unknown_bus(&s.bus));
            }
            if s.emits.len() > MAX_EMITS_PER_SOURCE {
                report(
                    format!("event_bus.sources[{i}].emits"),
                    format!(
                        "{} emitters; at most {MAX_EMITS_PER_SOURCE} per source",
                        s.emits.len()
                    ),
                );
            }
            for (j, e) in s.emits.iter().enumerate() {
                let path = format!("event_bus.sources[{i}].emits[{j}]");
                if !type_index.contains_key(e.event_type.as_str()) {
                    report(
                        format!("{path}.event_type"),
                        format!("unknown event type {:?}", e.event_type),
                    );
                }
                check_distribution(&mut report, format!("{path}.every"), &e.every, true);
                if let Some(start) = e.start {
                    if start.0 > MAX_DURATION_US {
                        report(
                            format!("{path}.start"),
                            format!("{start} is later than the longest allowed span (1 day)"),
                        );
                    }
                }
            }
        }
        for (i, l) in bus.listeners.iter().enumerate() {
            if !bus_ids.contains(l.bus.as_str()) {
                report(format!("event_bus.listeners[{i}].bus"), unknown_bus(&l.bus));
            }
            for (j, t) in l.subscriptions.iter().enumerate() {
                if !type_index.contains_key(t.as_str()) {
                    report(
                        format!("event_bus.listeners[{i}].subscriptions[{j}]"),
                        format!("unknown event type {t:?}"),
                    );
                }
            }
            check_distribution(
                &mut report,
                format!("event_bus.listeners[{i}].processing_time"),
                &l.processing_time,
                false,
            );
        }

        // Script: bounded, every reference known.
        if self.script.len() > MAX_SCRIPT_ENTRIES {
            report(
                "script".into(),
                format!(
                    "{} script entries; at most {MAX_SCRIPT_ENTRIES} are allowed",
                    self.script.len()
                ),
            );
        }
        for (i, entry) in self.script.iter().enumerate() {
            let path = format!("script[{i}].do");
            let (who, who_kind, known, event_type) = match &entry.command {
                Command::Publish { source, event_type } => {
                    (source, "source", &source_ids, event_type)
                }
                Command::Subscribe {
                    listener,
                    event_type,
                } => (listener, "listener", &listener_ids, event_type),
                Command::Unsubscribe {
                    listener,
                    event_type,
                } => (listener, "listener", &listener_ids, event_type),
            };
            let variant = match &entry.command {
                Command::Publish { .. } => "publish",
                Command::Subscribe { .. } => "subscribe",
                Command::Unsubscribe { .. } => "unsubscribe",
            };
            if !known.contains(who.as_str()) {
                report(
                    format!("{path}.{variant}.{who_kind}"),
                    format!("unknown {who_kind} {who:?}"),
                );
            }
            if !type_index.contains_key(event_type.as_str()) {
                report(
                    format!("{path}.{variant}.event_type"),
                    format!("unknown event type {event_type:?}"),
                );
            }
        }

        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        Some("must not be empty".into())
    } else if name.len() > MAX_NAME_BYTES {
        Some(format!(
            "is {} bytes long; at most {MAX_NAME_BYTES} are allowed",
            name.len()
        ))
    } else if name.chars().any(|c| c.is_control()) {
        Some("must not contain control characters".into())
    } else {
        None
    }
}

fn check_distribution(
    report: &mut dyn FnMut(String, String),
    path: String,
    d: &Distribution,
    is_gap: bool,
) {
    let (low, high) = match *d {
        Distribution::Constant(x) => (x, x),
        Distribution::Uniform { min, max } => (min, max),
        Distribution::Exponential { mean } => (mean, mean),
    };
    if low > high {
        report(
            path.clone(),
            format!("uniform min {low} is greater than max {high}"),
        );
    }
    if high.0 > MAX_DURATION_US {
        report(
            path.clone(),
            format!("{high} is longer than the longest allowed span (1 day)"),
        );
    }
    if is_gap && d.is_always_zero() {
        report(
            path,
            "a gap of zero would publish forever at one instant; use at least 1us".into(),
        );
    }
}
