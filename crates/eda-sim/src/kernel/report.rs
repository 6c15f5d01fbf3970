//! The run report: what a headless run prints (`eda run`), and what tests and the UI read as
//! the counts that matter per entity. Its JSON shape is documented in docs/scenario-format.md.

use serde::Serialize;
use serde_json::{Map, Value};

/// Everything a run reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub scenario: String,
    pub seed: u64,
    pub simulated_time_us: u64,
    /// The same instant, readable (`12.500000 s`).
    pub simulated_time: String,
    pub events_processed: u64,
    pub trace_records: u64,
    /// The trace hash as 16 hex digits.
    pub trace_hash: String,
    /// The limit that stopped the run early, if one did.
    pub stopped_by: Option<String>,
    pub entities: Vec<EntityReport>,
}

/// The counters of one entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityReport {
    pub name: String,
    pub kind: &'static str,
    /// Counter name → value (numbers, or an object for per-partition or per-reason figures).
    pub counters: Map<String, Value>,
}

impl EntityReport {
    pub fn new(name: &str, kind: &'static str) -> Self {
        EntityReport {
            name: name.to_string(),
            kind,
            counters: Map::new(),
        }
    }

    /// Adds a counter (builder style).
    pub fn with(mut self, counter: &str, value: impl Into<Value>) -> Self {
        self.counters.insert(counter.to_string(), value.into());
        self
    }

    /// A counter's value as a number, if it is one.
    pub fn number(&self, counter: &str) -> Option<f64> {
        self.counters.get(counter).and_then(Value::as_f64)
    }
}

impl Report {
    /// The report of the entity called `name`.
    pub fn entity(&self, name: &str) -> Option<&EntityReport> {
        self.entities.iter().find(|e| e.name == name)
    }

    /// A readable multi-line summary (what `eda run` prints without `--json`).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if !self.scenario.is_empty() {
            out.push_str(&format!("scenario          {}\n", self.scenario));
        }
        out.push_str(&format!("seed              {}\n", self.seed));
        out.push_str(&format!("simulated time    {}\n", self.simulated_time));
        out.push_str(&format!("events processed  {}\n", self.events_processed));
        out.push_str(&format!("trace records     {}\n", self.trace_records));
        out.push_str(&format!("trace hash        {}\n", self.trace_hash));
        if let Some(stop) = &self.stopped_by {
            out.push_str(&format!("stopped early     {stop}\n"));
        }
        for entity in &self.entities {
            out.push_str(&format!("\n{} {}\n", entity.kind, entity.name));
            for (counter, value) in &entity.counters {
                let shown = match value {
                    Value::Number(n) if n.is_f64() => format!("{:.3}", n.as_f64().unwrap_or(0.0)),
                    other => other.to_string(),
                };
                out.push_str(&format!("  {counter:<24}{shown}\n"));
            }
        }
        out
    }
}
