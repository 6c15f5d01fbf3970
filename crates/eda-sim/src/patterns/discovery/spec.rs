//! The `discovery` section of a scenario: registries, providers and clients as the user writes
//! them, with their defaults and limits.

use crate::kernel::rng::Distribution;
use crate::kernel::time::SimDuration;
use serde::{Deserialize, Serialize};

/// Most operations one provider may offer.
pub const MAX_OPERATIONS: usize = 32;
/// Most names one client may watch at once.
pub const MAX_WATCHES: usize = 64;

/// The `discovery` section of a scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoverySpec {
    /// Where names are registered, looked up and watched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registries: Vec<RegistrySpec>,
    /// The services: each registers one name at one endpoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<ProviderSpec>,
    /// The callers: they look names up, watch them and call them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<DiscoveryClientSpec>,
}

/// A registry: an in-memory table name → endpoint, lost when the registry crashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySpec {
    pub id: String,
    /// Time from a change (registration, deregistration, expiry) until each watcher hears of it.
    #[serde(default = "default_propagation_delay")]
    pub propagation_delay: Distribution,
    /// One-way delay of every message to or from this registry, and of calls between the
    /// clients and providers that use it.
    #[serde(default = "default_network_delay")]
    pub network_delay: Distribution,
}

/// A provider: offers operations under a name at an endpoint, and keeps its entry alive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSpec {
    pub id: String,
    /// The service name it registers (`foo`); several providers may try the same name.
    pub name: String,
    /// Where it answers calls (`tcp://10.0.0.1:1234`).
    pub endpoint: String,
    /// The registry it registers at.
    pub registry: String,
    /// Operations it answers; each echoes the request's payload back.
    #[serde(default = "default_operations")]
    pub operations: Vec<String>,
    /// Gap between two heartbeats while it is registered and up.
    #[serde(default = "default_heartbeat_every")]
    pub heartbeat_every: Distribution,
    /// The registry drops its entry this long after the last heartbeat; must be longer than
    /// `heartbeat_every`.
    #[serde(default = "default_ttl")]
    pub ttl: SimDuration,
    /// When it registers by itself; if absent, only when a `register` command says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register_at: Option<SimDuration>,
    /// How long answering one call takes.
    #[serde(default = "default_service_time")]
    pub service_time: Distribution,
}

/// A client: a cache name → endpoint, filled by lookups and by notifications of watched names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoveryClientSpec {
    pub id: String,
    /// The registry it asks.
    pub registry: String,
    /// Names it watches from time 0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub watch: Vec<String>,
    /// How long it waits for the answer to a call before giving up.
    #[serde(default = "default_call_timeout")]
    pub call_timeout: SimDuration,
}

fn default_propagation_delay() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(50))
}
fn default_network_delay() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(1))
}
fn default_operations() -> Vec<String> {
    vec!["echo".to_string()]
}
fn default_heartbeat_every() -> Distribution {
    Distribution::Constant(SimDuration::from_secs(1))
}
fn default_ttl() -> SimDuration {
    SimDuration::from_secs(3)
}
fn default_service_time() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(1))
}
fn default_call_timeout() -> SimDuration {
    SimDuration::from_millis(500)
}

impl DiscoverySpec {
    pub fn is_empty(&self) -> bool {
        self.registries.is_empty() && self.providers.is_empty() && self.clients.is_empty()
    }
}
