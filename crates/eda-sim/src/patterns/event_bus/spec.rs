//! The event-bus section of the scenario format: event types, buses, sources with their
//! emitters, and listeners, as read from and written to JSON (serde).

use crate::kernel::link::LinkFaults;
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimDuration;
use serde::{Deserialize, Serialize};

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
        self.event_types.is_empty() && self.buses.is_empty() && self.sources.is_empty() && self.listeners.is_empty()
    }

    /// True when `name` is one of the bus's event types.
    pub fn has_type(&self, name: &str) -> bool {
        self.event_types.iter().any(|t| t.name == name)
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
    /// Faults of the link from the bus to this listener (a listener in another process): it
    /// may lose, double, delay and reorder copies. Default: a perfect link, as in one process.
    #[serde(default, skip_serializing_if = "LinkFaults::is_unset")]
    pub link: LinkFaults,
}

pub fn default_dispatch_delay() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(5))
}

pub fn default_processing_time() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(100))
}
