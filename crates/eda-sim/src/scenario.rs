//! The scenario: every input of a run (seed, entities, parameters, timed script) as one
//! versioned JSON document. Loading checks all of it and reports every problem with its JSON
//! path, so a hand-written or shared scenario either runs exactly or says precisely why not.

pub use crate::command::Command;
use crate::kernel::limits::{MAX_ARRIVALS_PER_RUN, MAX_ENTITIES, MAX_SCENARIO_FILE_BYTES, MAX_SCRIPT_ENTRIES};
pub use crate::kernel::stream::StreamSpec;
pub use crate::kernel::validate::{name_problem, Problem, Validator};
use crate::patterns::broker::BrokerSpec;
use crate::patterns::discovery::DiscoverySpec;
// The event-bus section lives with its pattern; its names stay here for the format's readers.
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimDuration;
pub use crate::patterns::event_bus::spec::{
    default_dispatch_delay, default_processing_time, BusSpec, EmitSpec, EventBusSpec, EventTypeSpec, ListenerSpec,
    SourceSpec,
};
use crate::patterns::event_store::EventStoreSpec;
use crate::patterns::request_reply::RequestReplySpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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
    /// How long a headless run (`eda run`) lasts when no `--until` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<SimDuration>,
    /// The event-bus pattern: a type hierarchy, buses, sources and listeners.
    #[serde(default, skip_serializing_if = "EventBusSpec::is_empty")]
    pub event_bus: EventBusSpec,
    /// Request-response: services (workers, queue, replicas) and the clients calling them.
    #[serde(default, skip_serializing_if = "RequestReplySpec::is_empty")]
    pub request_reply: RequestReplySpec,
    /// The message broker: exchanges, queues, topics, consumer groups, producers, consumers.
    #[serde(default, skip_serializing_if = "BrokerSpec::is_empty")]
    pub broker: BrokerSpec,
    /// Publish-subscribe service discovery: registries, providers and clients.
    #[serde(default, skip_serializing_if = "DiscoverySpec::is_empty")]
    pub discovery: DiscoverySpec,
    /// Event sourcing: event stores (streams, snapshots) and projections.
    #[serde(default, skip_serializing_if = "EventStoreSpec::is_empty")]
    pub event_store: EventStoreSpec,
    /// Commands that run at given instants, in this order on ties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<ScriptEntry>,
    /// Where the diagram draws the entities a user placed by hand (entity name → position);
    /// the others are laid out automatically. Not an input of the run: it never changes a
    /// trace. Names that are not entities are ignored.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub positions: BTreeMap<String, Position>,
}

/// A node's top-left corner in the diagram, in diagram units (the width of a node is 160).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub x: i32,
    pub y: i32,
}

/// How far from the origin a placed node may be, in diagram units.
pub const POSITION_MAX: i32 = 20_000;

/// A command that runs at a given instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptEntry {
    pub at: SimDuration,
    #[serde(rename = "do")]
    pub command: Command,
}

/// The JSON path of a value as the playground writes it (`broker.consumers[0].queue`; `""` for
/// the document itself), from the path serde_path_to_error tracked while reading.
pub fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut text = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => text.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    text
}

/// A reading error with the path of the value at fault in front (`path: message`), or the
/// message alone for the document itself.
pub fn path_message(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    match json_path(error.path()).as_str() {
        "" => error.inner().to_string(),
        path => format!("{path}: {}", error.inner()),
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
    /// Every problem, its path under `prefix` (`scenario`, `a`…): a scenario inside a link or a
    /// lesson names its problems where they are in the enclosing document.
    pub fn problems_under(&self, prefix: &str) -> Vec<Problem> {
        self.problems()
            .into_iter()
            .map(|p| Problem {
                path: if p.path.is_empty() {
                    prefix.to_string()
                } else {
                    format!("{prefix}.{}", p.path)
                },
                message: p.message,
            })
            .collect()
    }

    /// Every problem as path + message, for reports and the UI.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            ScenarioError::NotJson { message } => vec![Problem {
                path: String::new(),
                message: message.clone(),
            }],
            ScenarioError::UnsupportedVersion { found } => vec![Problem {
                path: "version".into(),
                message: format!("this playground reads scenario version {SCENARIO_VERSION}, not {found}"),
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

/// Why a file the user picked cannot be loaded: its size, its reading, or its content (`E`).
#[derive(Clone, Debug, PartialEq)]
pub enum FileError<E> {
    /// Over [`MAX_SCENARIO_FILE_BYTES`]; `what` names the kind of file (`scenario`, `lesson`).
    TooBig {
        size_bytes: u64,
        what: &'static str,
    },
    /// The browser or the system could not read it.
    Unreadable,
    /// Nothing but white space.
    Empty,
    Content(E),
}

impl<E> FileError<E> {
    /// The file's text when its size and reading allow it.
    pub fn check<'t>(size_bytes: u64, text: Option<&'t str>, what: &'static str) -> Result<&'t str, FileError<E>> {
        if size_bytes > MAX_SCENARIO_FILE_BYTES {
            return Err(FileError::TooBig { size_bytes, what });
        }
        let text = text.ok_or(FileError::Unreadable)?;
        if text.trim().is_empty() {
            return Err(FileError::Empty);
        }
        Ok(text)
    }

    /// A size as people read it: `600 KB`, `2.0 MB`.
    pub fn size_words(size_bytes: u64) -> String {
        if size_bytes >= 1_048_576 {
            format!("{:.1} MB", size_bytes as f64 / 1_048_576.0)
        } else {
            format!("{} KB", size_bytes / 1024)
        }
    }
}

impl<E: fmt::Display> fmt::Display for FileError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::TooBig { size_bytes, what } => write!(
                f,
                "it is {}; {what} files are at most {} KB.",
                FileError::<E>::size_words(*size_bytes),
                MAX_SCENARIO_FILE_BYTES / 1024
            ),
            FileError::Unreadable => f.write_str("it could not be read."),
            FileError::Empty => f.write_str("the file is empty."),
            FileError::Content(e) => write!(f, "{e}"),
        }
    }
}

/// A key written twice in one object is a shape problem at that object: a parser would keep the
/// last one silently.
pub fn refuse_duplicate_keys(text: &str) -> Result<(), ScenarioError> {
    match crate::kernel::unique_keys::first_duplicate_key(text) {
        None => Ok(()),
        Some((path, key)) => Err(ScenarioError::Shape(Problem {
            path,
            message: format!("the key {key:?} is written twice in this object; keep one"),
        })),
    }
}

impl Scenario {
    /// An empty scenario of the current version.
    pub fn empty(seed: u64) -> Self {
        Scenario {
            version: SCENARIO_VERSION,
            name: String::new(),
            description: String::new(),
            seed,
            duration: None,
            event_bus: EventBusSpec::default(),
            request_reply: RequestReplySpec::default(),
            broker: BrokerSpec::default(),
            discovery: DiscoverySpec::default(),
            event_store: EventStoreSpec::default(),
            script: Vec::new(),
            positions: BTreeMap::new(),
        }
    }

    /// Reads a scenario file of `size_bytes` whose text is `text` (`None`: not read, or not
    /// readable). The message says what is wrong with the file in the words the playground's
    /// Import and `eda` both use: too big (checked before reading), unreadable, empty, not
    /// JSON, or the scenario's problems.
    pub fn from_file(size_bytes: u64, text: Option<&str>) -> Result<Scenario, String> {
        Scenario::read_file(size_bytes, text).map_err(|e| match e {
            FileError::Content(ScenarioError::NotJson { message }) => format!("it is not JSON ({message})."),
            other => other.to_string(),
        })
    }

    /// [`Scenario::from_file`] with the reason as data, for callers that word it themselves.
    pub fn read_file(size_bytes: u64, text: Option<&str>) -> Result<Scenario, FileError<ScenarioError>> {
        let text = FileError::check(size_bytes, text, "scenario")?;
        Scenario::from_json(text).map_err(FileError::Content)
    }

    /// Reads and validates a scenario from JSON text.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ScenarioError::NotJson { message: e.to_string() })?;
        refuse_duplicate_keys(text)?;
        Scenario::from_value(value)
    }

    /// Reads and validates a scenario from a parsed JSON document.
    pub fn from_value(value: serde_json::Value) -> Result<Scenario, ScenarioError> {
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
                    message: format!("missing; a scenario starts with \"version\": {SCENARIO_VERSION}"),
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
            ScenarioError::Shape(Problem {
                path: json_path(e.path()),
                message: e.inner().to_string(),
            })
        })?;
        scenario.validate().map_err(ScenarioError::Invalid)?;
        Ok(scenario)
    }

    /// The scenario as compact JSON (the format `from_json` reads).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a scenario is always valid JSON")
    }

    /// The scenario as pretty-printed JSON, fields in declaration order (as written to files).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario is always valid JSON")
    }

    /// Checks references, names, parameters and limits; returns every problem found.
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut v = Validator::default();
        if self.version != SCENARIO_VERSION {
            v.report(
                "version",
                format!(
                    "this playground reads scenario version {SCENARIO_VERSION}, not {}",
                    self.version
                ),
            );
        }
        // First every id, so references in any section can be checked against all of them.
        self.event_bus.claim_ids(&mut v);
        self.request_reply.claim_ids(&mut v);
        self.broker.claim_ids(&mut v);
        self.discovery.claim_ids(&mut v);
        self.event_store.claim_ids(&mut v);
        if v.claimed() > MAX_ENTITIES {
            v.report(
                "",
                format!("{} entities; at most {MAX_ENTITIES} are allowed", v.claimed()),
            );
        }
        self.event_bus.validate(&mut v);
        let bus_has_type = |name: &str| self.event_bus.has_type(name);
        self.request_reply.validate(&mut v, &bus_has_type);
        self.broker.validate(&mut v);
        self.discovery.validate(&mut v);
        self.event_store.validate(&mut v);

        if self.script.len() > MAX_SCRIPT_ENTRIES {
            v.report(
                "script",
                format!(
                    "{} script entries; at most {MAX_SCRIPT_ENTRIES} are allowed",
                    self.script.len()
                ),
            );
        }
        if let Some(duration) = self.duration {
            v.instant("duration".into(), duration);
        }
        if self.positions.len() > MAX_ENTITIES {
            v.report(
                "positions",
                format!("{} positions; at most {MAX_ENTITIES} are allowed", self.positions.len()),
            );
        }
        for (name, p) in &self.positions {
            if !(0..=POSITION_MAX).contains(&p.x) || !(0..=POSITION_MAX).contains(&p.y) {
                v.report(
                    format!("positions.{name}"),
                    format!(
                        "({}, {}) is off the diagram: x and y run from 0 to {POSITION_MAX}",
                        p.x, p.y
                    ),
                );
            }
        }
        for (i, entry) in self.script.iter().enumerate() {
            v.instant(format!("script[{i}].at"), entry.at);
            let path = format!("script[{i}].do.{}", entry.command.verb());
            for (field, name, kinds) in entry.command.targets() {
                v.expect(format!("{path}.{field}"), name, kinds);
            }
            match &entry.command {
                Command::Publish { event_type, .. }
                | Command::Subscribe { event_type, .. }
                | Command::Unsubscribe { event_type, .. }
                    if !self.event_bus.has_type(event_type) =>
                {
                    v.report(
                        format!("{path}.event_type"),
                        format!("unknown event type {:?}", event_type),
                    );
                }
                Command::Join { consumer } | Command::Leave { consumer }
                    if self
                        .broker
                        .consumers
                        .iter()
                        .any(|c| &c.id == consumer && c.group.is_none()) =>
                {
                    v.report(
                        format!("{path}.consumer"),
                        format!(
                            "{:?} reads a queue; join and leave are for consumer-group members",
                            consumer
                        ),
                    );
                }
                Command::FailOver { topic } if self.broker.topics.iter().any(|t| &t.id == topic && t.replicas < 2) => {
                    v.report(
                        format!("{path}.topic"),
                        format!("{topic:?} has no followers to fail over to; give it \"replicas\": 2 or more"),
                    );
                }
                Command::Partition { sides } => {
                    if sides.iter().skip(1).all(Vec::is_empty) {
                        v.report(
                            format!("{path}.sides"),
                            "name the entities cut off in a second side at least, e.g. [[\"broker\"], [\"worker-2\"]]",
                        );
                    }
                    let mut seen: Vec<&str> = Vec::new();
                    for name in sides.iter().flatten() {
                        if seen.contains(&name.as_str()) {
                            v.report(format!("{path}.sides"), format!("{name:?} is on two sides"));
                        }
                        seen.push(name);
                    }
                }
                Command::Append { stream, event_type, .. } => {
                    if let Some(problem) = name_problem(stream) {
                        v.report(format!("{path}.stream"), problem);
                    }
                    if let Some(problem) = name_problem(event_type) {
                        v.report(format!("{path}.event_type"), problem);
                    }
                }
                Command::Lookup { name, .. } | Command::Watch { name, .. } | Command::Call { name, .. } => {
                    if let Some(problem) = name_problem(name) {
                        v.report(format!("{path}.name"), problem);
                    }
                }
                _ => {}
            }
        }
        if let Some(duration) = self.duration {
            let arrivals = self.estimated_arrivals(duration);
            if arrivals > MAX_ARRIVALS_PER_RUN as f64 {
                v.report(
                    "duration",
                    format!(
                        "the streams, users and heartbeats (rate × duration) would start about {:.0} messages, events, requests and heartbeats in {duration}; at most {MAX_ARRIVALS_PER_RUN} fit in a run: shorten the duration or slow the streams",
                        arrivals
                    ),
                );
            }
        }
        v.finish()
    }

    /// About how many arrivals every source of events together starts within `duration`: for
    /// each source emitter, producer and open-loop client, (duration − start) / mean gap, capped
    /// by its count; for closed-loop users, users × duration / their mean cycle without
    /// queueing; for providers, their heartbeats.
    pub fn estimated_arrivals(&self, duration: SimDuration) -> f64 {
        let stream = |every: &Distribution, start: Option<SimDuration>, count: Option<u64>| {
            let span = duration.0.saturating_sub(start.map_or(0, |s| s.0)) as f64;
            let n = span / every.mean_us().max(1.0);
            count.map_or(n, |c| n.min(c as f64))
        };
        let emitters = self
            .event_bus
            .sources
            .iter()
            .flat_map(|s| &s.emits)
            .map(|e| stream(&e.every, e.start, e.count));
        let producers = self
            .broker
            .producers
            .iter()
            .filter_map(|p| p.emits.as_ref())
            .map(|e| stream(&e.every, e.start, e.count));
        let clients = self
            .request_reply
            .clients
            .iter()
            .filter_map(|c| c.arrivals.as_ref())
            .map(|a| stream(&a.every, a.start, a.count));
        // Closed-loop users ask again one round trip, one service and one think time after
        // their last answer (their mean cycle, as if they never queued).
        let users = self.request_reply.clients.iter().filter_map(|c| {
            let users = c.users.as_ref()?;
            let service_us = self
                .request_reply
                .services
                .iter()
                .find(|s| s.id == c.service)
                .map_or(0.0, |s| s.service_time.mean_us());
            let cycle_us = users.think_time.mean_us() + 2.0 * c.network_delay.mean_us() + service_us;
            Some(f64::from(users.count) * duration.0 as f64 / cycle_us.max(1.0))
        });
        // Providers heartbeat from their registration on.
        let heartbeats = self
            .discovery
            .providers
            .iter()
            .map(|p| stream(&p.heartbeat_every, p.register_at, None));
        emitters
            .chain(producers)
            .chain(clients)
            .chain(users)
            .chain(heartbeats)
            .sum()
    }
}
