//! Publish-subscribe service discovery: providers announce a service name and its endpoint to a
//! registry and keep the entry alive with heartbeats; clients look names up, watch them for
//! changes, and call whatever endpoint they hold. It exists to show both sides of a registry:
//! callers find services by name and hear of changes without polling, but an entry of a dead
//! provider lingers until its TTL runs out, a crashed registry forgets every entry, and clients
//! keep calling the endpoints they cached, stale or not.
//!
//! The seed's Python example is built in: providers `foo` and `bar` offer `echo`, which answers
//! with the request's own payload; registering a held name at a different endpoint is refused
//! with "Name already registered"; looking up an unknown name fails with "Name not found".

use crate::collections::{IdMap, Set};
use crate::engine::{Ctx, Entities, EntityKind, Pending, Sim, SimError, Switch};
use crate::report::EntityReport;
use crate::rng::Distribution;
use crate::scenario::{Command, Validator};
use crate::time::{SimDuration, SimTime};
use crate::trace::{EntityId, TraceKind};
use litemap::LiteMap;
use serde::{Deserialize, Serialize};

/// Most operations one provider may offer.
pub const MAX_OPERATIONS: usize = 32;
/// Most names one client may watch at once.
pub const MAX_WATCHES: usize = 64;

/// The registry refused a registration: the name is held at another endpoint.
pub const NAME_ALREADY_REGISTERED: &str = "Name already registered";
/// A lookup (or the lookup before a call) found no entry for the name.
pub const NAME_NOT_FOUND: &str = "Name not found";
/// The registry was down when the message reached it: the connection failed.
pub const REGISTRY_UNAVAILABLE: &str = "Registry unavailable";
/// No live provider of the name answered at the endpoint before the call timeout.
pub const PROVIDER_UNREACHABLE: &str = "Provider unreachable";
/// The provider answered but does not offer the operation.
pub const UNKNOWN_OPERATION: &str = "Unknown operation";
/// A provider took the call but its answer did not come back before the call timeout.
pub const CALL_TIMED_OUT: &str = "Call timed out";
/// The client was down when asked to act.
pub const CLIENT_DOWN: &str = "Client down";
/// The client crashed while the request was outstanding.
pub const CLIENT_CRASHED: &str = "Client crashed";
/// The client already watches [`MAX_WATCHES`] names.
pub const TOO_MANY_WATCHES: &str = "Too many watched names";

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

    pub fn claim_ids(&self, v: &mut Validator) {
        for (i, r) in self.registries.iter().enumerate() {
            v.claim(
                format!("discovery.registries[{i}].id"),
                &r.id,
                EntityKind::ServiceRegistry,
            );
        }
        for (i, p) in self.providers.iter().enumerate() {
            v.claim(format!("discovery.providers[{i}].id"), &p.id, EntityKind::Provider);
        }
        for (i, c) in self.clients.iter().enumerate() {
            v.claim(format!("discovery.clients[{i}].id"), &c.id, EntityKind::DiscoveryClient);
        }
    }

    pub fn validate(&self, v: &mut Validator) {
        for (i, r) in self.registries.iter().enumerate() {
            let path = format!("discovery.registries[{i}]");
            v.distribution(format!("{path}.propagation_delay"), &r.propagation_delay, false);
            v.distribution(format!("{path}.network_delay"), &r.network_delay, false);
        }
        for (i, p) in self.providers.iter().enumerate() {
            let path = format!("discovery.providers[{i}]");
            v.name(format!("{path}.name"), &p.name);
            v.name(format!("{path}.endpoint"), &p.endpoint);
            v.expect(format!("{path}.registry"), &p.registry, &[EntityKind::ServiceRegistry]);
            if p.operations.len() > MAX_OPERATIONS {
                v.report(
                    format!("{path}.operations"),
                    format!(
                        "{} operations; at most {MAX_OPERATIONS} per provider",
                        p.operations.len()
                    ),
                );
            }
            for (j, op) in p.operations.iter().enumerate() {
                v.name(format!("{path}.operations[{j}]"), op);
            }
            v.distribution(format!("{path}.heartbeat_every"), &p.heartbeat_every, true);
            v.duration(format!("{path}.ttl"), p.ttl);
            // The longest gap a live provider may leave between heartbeats (the mean when the
            // gaps are unbounded): the TTL must outlast it or a healthy entry would expire.
            let (longest, what) = match p.heartbeat_every.max() {
                Some(max) => (max, "the longest heartbeat gap"),
                None => (
                    SimDuration(p.heartbeat_every.mean_us() as u64),
                    "the mean heartbeat gap",
                ),
            };
            if p.ttl <= longest {
                v.report(
                    format!("{path}.ttl"),
                    format!(
                        "ttl {} must be longer than heartbeat_every ({what} is {longest}), or a live provider would expire between two heartbeats",
                        p.ttl
                    ),
                );
            }
            if let Some(at) = p.register_at {
                v.duration(format!("{path}.register_at"), at);
            }
            v.distribution(format!("{path}.service_time"), &p.service_time, false);
        }
        for (i, c) in self.clients.iter().enumerate() {
            let path = format!("discovery.clients[{i}]");
            v.expect(format!("{path}.registry"), &c.registry, &[EntityKind::ServiceRegistry]);
            if c.watch.len() > MAX_WATCHES {
                v.report(
                    format!("{path}.watch"),
                    format!("{} names; a client watches at most {MAX_WATCHES}", c.watch.len()),
                );
            }
            for (j, name) in c.watch.iter().enumerate() {
                v.name(format!("{path}.watch[{j}]"), name);
            }
            if c.call_timeout.0 == 0 {
                v.report(
                    format!("{path}.call_timeout"),
                    "a call timeout of zero would fail every call",
                );
            }
            v.duration(format!("{path}.call_timeout"), c.call_timeout);
        }
    }
}

/// What a provider was doing when the registry answered with an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderAction {
    Register,
    Heartbeat,
    Deregister,
}

/// What service discovery records in the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscoveryRecord {
    /// A provider sent its name and endpoint to its registry.
    Register {
        provider: EntityId,
        registry: EntityId,
        name: String,
        endpoint: String,
    },
    /// A provider sent a heartbeat for its name.
    Heartbeat {
        provider: EntityId,
        registry: EntityId,
        name: String,
    },
    /// A provider asked its registry to remove its name.
    Deregister {
        provider: EntityId,
        registry: EntityId,
        name: String,
    },
    /// The registry holds the name at the endpoint for the provider. `renewed`: it already held
    /// that endpoint (an idempotent re-registration, not a change); `by_heartbeat`: a heartbeat
    /// for a name it did not hold (after a registry restart) counted as a registration.
    Registered {
        registry: EntityId,
        provider: EntityId,
        name: String,
        endpoint: String,
        renewed: bool,
        by_heartbeat: bool,
    },
    /// The registry refused a registration: `holder` holds the name at another endpoint.
    Refused {
        registry: EntityId,
        provider: EntityId,
        holder: EntityId,
        name: String,
        endpoint: String,
        error: String,
    },
    /// The registry handled a deregistration; `removed` is false if the provider held nothing.
    Deregistered {
        registry: EntityId,
        provider: EntityId,
        name: String,
        removed: bool,
    },
    /// No heartbeat for the TTL: the registry dropped the entry.
    Expired {
        registry: EntityId,
        provider: EntityId,
        name: String,
        last_heartbeat: SimTime,
    },
    /// A provider learnt that the registry refused or could not be reached.
    ProviderFailed {
        provider: EntityId,
        registry: EntityId,
        name: String,
        action: ProviderAction,
        error: String,
    },
    /// A client sent a lookup.
    Lookup {
        request: u64,
        client: EntityId,
        registry: EntityId,
        name: String,
    },
    /// The client got the endpoint and cached it.
    Found {
        request: u64,
        client: EntityId,
        registry: EntityId,
        name: String,
        endpoint: String,
    },
    /// The lookup failed ("Name not found", "Registry unavailable", …).
    LookupFailed {
        request: u64,
        client: EntityId,
        registry: EntityId,
        name: String,
        error: String,
    },
    /// A client asked to be told of changes to a name.
    Watch {
        client: EntityId,
        registry: EntityId,
        name: String,
    },
    /// The registry added the client to the name's watchers.
    Watching {
        registry: EntityId,
        client: EntityId,
        name: String,
    },
    /// A watch request failed.
    WatchFailed {
        client: EntityId,
        registry: EntityId,
        name: String,
        error: String,
    },
    /// The registry sent a change to a watcher: the new endpoint, or none when the name went.
    Notify {
        registry: EntityId,
        client: EntityId,
        name: String,
        endpoint: Option<String>,
    },
    /// The watcher received the change and updated its cache.
    Notified {
        client: EntityId,
        registry: EntityId,
        name: String,
        endpoint: Option<String>,
    },
    /// The watcher was down (or had restarted) when the change arrived: nobody heard it.
    NotificationLost {
        client: EntityId,
        registry: EntityId,
        name: String,
    },
    /// A client sent `name.operation(payload)` to the endpoint it holds; `provider` is whoever
    /// is configured at that endpoint, if anyone.
    Call {
        request: u64,
        client: EntityId,
        provider: Option<EntityId>,
        name: String,
        operation: String,
        payload: String,
        endpoint: String,
    },
    /// A provider handled a call; `known` is false for an operation it does not offer.
    Served {
        request: u64,
        provider: EntityId,
        client: EntityId,
        name: String,
        operation: String,
        known: bool,
    },
    /// The answer reached the client: the payload came back.
    Replied {
        request: u64,
        client: EntityId,
        provider: EntityId,
        name: String,
        operation: String,
        payload: String,
    },
    /// The call failed ("Provider unreachable", "Name not found", "Unknown operation", …).
    CallFailed {
        request: u64,
        client: EntityId,
        provider: Option<EntityId>,
        name: String,
        operation: String,
        error: String,
    },
}

impl DiscoveryRecord {
    pub fn verb(&self) -> &'static str {
        match self {
            DiscoveryRecord::Register { .. } => "Register",
            DiscoveryRecord::Heartbeat { .. } => "Heartbeat",
            DiscoveryRecord::Deregister { .. } => "Deregister",
            DiscoveryRecord::Registered { .. } => "Registered",
            DiscoveryRecord::Refused { .. } => "Refused",
            DiscoveryRecord::Deregistered { .. } => "Deregistered",
            DiscoveryRecord::Expired { .. } => "Expired",
            DiscoveryRecord::ProviderFailed { action, .. } => match action {
                ProviderAction::Register => "Register failed",
                ProviderAction::Heartbeat => "Heartbeat failed",
                ProviderAction::Deregister => "Deregister failed",
            },
            DiscoveryRecord::Lookup { .. } => "Lookup",
            DiscoveryRecord::Found { .. } => "Found",
            DiscoveryRecord::LookupFailed { .. } => "Lookup failed",
            DiscoveryRecord::Watch { .. } => "Watch",
            DiscoveryRecord::Watching { .. } => "Watching",
            DiscoveryRecord::WatchFailed { .. } => "Watch failed",
            DiscoveryRecord::Notify { .. } => "Notify",
            DiscoveryRecord::Notified { .. } => "Notified",
            DiscoveryRecord::NotificationLost { .. } => "Notification lost",
            DiscoveryRecord::Call { .. } => "Call",
            DiscoveryRecord::Served { .. } => "Served",
            DiscoveryRecord::Replied { .. } => "Replied",
            DiscoveryRecord::CallFailed { .. } => "Call failed",
        }
    }

    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            DiscoveryRecord::Register { provider, registry, .. }
            | DiscoveryRecord::Heartbeat { provider, registry, .. }
            | DiscoveryRecord::Deregister { provider, registry, .. }
            | DiscoveryRecord::ProviderFailed { provider, registry, .. } => (provider, Some(registry)),
            DiscoveryRecord::Registered { registry, provider, .. }
            | DiscoveryRecord::Refused { registry, provider, .. }
            | DiscoveryRecord::Deregistered { registry, provider, .. }
            | DiscoveryRecord::Expired { registry, provider, .. } => (registry, Some(provider)),
            DiscoveryRecord::Lookup { client, registry, .. }
            | DiscoveryRecord::Found { client, registry, .. }
            | DiscoveryRecord::LookupFailed { client, registry, .. }
            | DiscoveryRecord::Watch { client, registry, .. }
            | DiscoveryRecord::WatchFailed { client, registry, .. }
            | DiscoveryRecord::Notified { client, registry, .. }
            | DiscoveryRecord::NotificationLost { client, registry, .. } => (client, Some(registry)),
            DiscoveryRecord::Watching { registry, client, .. } | DiscoveryRecord::Notify { registry, client, .. } => {
                (registry, Some(client))
            }
            DiscoveryRecord::Call { client, provider, .. } | DiscoveryRecord::CallFailed { client, provider, .. } => {
                (client, provider)
            }
            DiscoveryRecord::Served { provider, client, .. } => (provider, Some(client)),
            DiscoveryRecord::Replied { client, provider, .. } => (client, Some(provider)),
        }
    }

    pub fn subject(&self, _sim: &Sim) -> String {
        match self {
            DiscoveryRecord::Register { name, endpoint, .. }
            | DiscoveryRecord::Registered { name, endpoint, .. }
            | DiscoveryRecord::Found { name, endpoint, .. } => format!("{name} → {endpoint}"),
            DiscoveryRecord::Refused {
                name, endpoint, error, ..
            } => format!("{name} → {endpoint}: {error}"),
            DiscoveryRecord::Heartbeat { name, .. }
            | DiscoveryRecord::Deregister { name, .. }
            | DiscoveryRecord::Lookup { name, .. }
            | DiscoveryRecord::Watch { name, .. }
            | DiscoveryRecord::Watching { name, .. }
            | DiscoveryRecord::NotificationLost { name, .. } => name.clone(),
            DiscoveryRecord::Deregistered { name, removed, .. } => {
                if *removed {
                    format!("{name} removed")
                } else {
                    format!("{name} (not held)")
                }
            }
            DiscoveryRecord::Expired {
                name, last_heartbeat, ..
            } => {
                format!("{name} (last heartbeat at {last_heartbeat})")
            }
            DiscoveryRecord::ProviderFailed { name, error, .. }
            | DiscoveryRecord::LookupFailed { name, error, .. }
            | DiscoveryRecord::WatchFailed { name, error, .. } => format!("{name}: {error}"),
            DiscoveryRecord::Notify { name, endpoint, .. } | DiscoveryRecord::Notified { name, endpoint, .. } => {
                match endpoint {
                    Some(endpoint) => format!("{name} → {endpoint}"),
                    None => format!("{name} gone"),
                }
            }
            DiscoveryRecord::Call {
                name,
                operation,
                payload,
                ..
            } => format!("{name}.{operation}({})", quoted(payload)),
            DiscoveryRecord::Served {
                name, operation, known, ..
            } => {
                if *known {
                    format!("{name}.{operation}")
                } else {
                    format!("{name}.{operation}: {UNKNOWN_OPERATION}")
                }
            }
            DiscoveryRecord::Replied {
                name,
                operation,
                payload,
                ..
            } => format!("{name}.{operation} → {}", quoted(payload)),
            DiscoveryRecord::CallFailed {
                name, operation, error, ..
            } => format!("{name}.{operation}: {error}"),
        }
    }
}

/// A payload as shown in the log: quoted, and cut short if long.
fn quoted(payload: &str) -> String {
    const SHOWN_CHARS: usize = 40;
    if payload.chars().count() > SHOWN_CHARS {
        let head: String = payload.chars().take(SHOWN_CHARS).collect();
        format!("{:?}…", &head)
    } else {
        format!("{payload:?}")
    }
}

/// A message from a provider or a client to a registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ToRegistry {
    Register { provider: usize, generation: u64 },
    Heartbeat { provider: usize, generation: u64 },
    Deregister { provider: usize },
    Lookup { request: u64 },
    Watch { client: usize, name: String, epoch: u64 },
}

/// Pending events of this pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscoveryPending {
    /// A provider's `register_at` instant.
    AutoRegister { provider: usize },
    /// A provider's next heartbeat; void once the provider's generation has moved on.
    Heartbeat { provider: usize, generation: u64 },
    /// A message reaches its registry.
    Arrive { registry: usize, message: ToRegistry },
    /// The registry checks whether entry `serial` of `name` outlived its TTL.
    ExpiryCheck { registry: usize, name: String, serial: u64 },
    /// A refusal reaches the provider that tried to register.
    Refusal {
        provider: usize,
        action: ProviderAction,
        generation: u64,
    },
    /// A lookup's answer reaches the client: the endpoint, or an error.
    LookupAnswer {
        request: u64,
        answer: Result<String, String>,
    },
    /// A registry re-establishes the watches of a client after restarting.
    Rewatch { client: usize },
    /// A change reaches a watcher (`epoch`: the client's life when it was sent).
    Notification {
        registry: usize,
        client: usize,
        name: String,
        endpoint: Option<String>,
        epoch: u64,
    },
    /// A call reaches its endpoint.
    CallArrive { request: u64 },
    /// A provider finishes a call.
    CallServed { request: u64 },
    /// A call's answer reaches the client.
    CallAnswer { request: u64 },
    /// A client's call timeout fires.
    CallTimeout { request: u64 },
}

fn pending(p: DiscoveryPending) -> Pending {
    Pending::Discovery(p)
}

fn record(ctx: &mut Ctx, r: DiscoveryRecord) {
    ctx.record(TraceKind::Discovery(r));
}

/// One name held by a registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub endpoint: String,
    /// The provider that registered it last. Heartbeats of any provider at this endpoint keep
    /// it alive: an entry stands for the name at an address, not for one process.
    pub provider: usize,
    pub last_heartbeat: SimTime,
    pub ttl: SimDuration,
    /// Identity of this registration, so an expiry check of an older one does nothing.
    pub serial: u64,
}

#[derive(Clone, Debug)]
pub struct Registry {
    pub entity: EntityId,
    pub propagation_delay: Distribution,
    pub network_delay: Distribution,
    pub down: bool,
    /// Name → entry; emptied by a crash.
    pub entries: litemap::LiteMap<String, Entry>,
    /// Name → clients to notify of its changes; emptied by a crash.
    pub watchers: LiteMap<String, Set<usize>>,
    pub registrations: u64,
    pub refused: u64,
    pub lookups: u64,
    pub not_found: u64,
    pub notifications: u64,
    pub expired: u64,
}

#[derive(Clone, Debug)]
pub struct Provider {
    pub entity: EntityId,
    pub name: String,
    pub endpoint: String,
    pub registry: usize,
    pub operations: Vec<String>,
    pub heartbeat_every: Distribution,
    pub ttl: SimDuration,
    pub register_at: Option<SimDuration>,
    pub service_time: Distribution,
    pub up: bool,
    /// Offers its service: told to register, and neither deregistered nor refused since. An
    /// active provider heartbeats and answers calls while up, and registers again on restart.
    pub active: bool,
    /// Bumped by every (re)registration, crash, deregistration and refusal: voids older heartbeats.
    pub generation: u64,
    pub heartbeats: u64,
    pub calls_served: u64,
}

#[derive(Clone, Debug)]
pub struct DiscoveryClient {
    pub entity: EntityId,
    pub registry: usize,
    pub call_timeout: SimDuration,
    pub up: bool,
    /// Bumped by every crash: requests and notifications of an earlier life are void.
    pub epoch: u64,
    /// Name → endpoint, from lookups and notifications; lost in a crash.
    pub cache: litemap::LiteMap<String, String>,
    /// Names this client watches (re-established whenever it or its registry restarts).
    pub watching: Set<String>,
    pub lookups: u64,
    pub not_found: u64,
    pub calls: u64,
    pub call_ok: u64,
    pub call_failed: u64,
    pub notifications_received: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupRequest {
    pub client: usize,
    pub name: String,
    pub epoch: u64,
    /// The call waiting for this lookup, if any.
    pub call: Option<u64>,
}

/// Where a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallState {
    /// Waiting for the lookup of its name.
    Resolving,
    /// On its way to the endpoint.
    Travelling,
    /// Nobody (alive, offering the name) was at the endpoint, or the provider crashed.
    Unreachable,
    InService {
        provider: usize,
    },
    /// Answered; the answer is on its way back.
    Answering {
        provider: usize,
        known: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRequest {
    pub client: usize,
    pub name: String,
    pub operation: String,
    pub payload: String,
    pub epoch: u64,
    /// The endpoint it was sent to (empty while resolving).
    pub endpoint: String,
    pub state: CallState,
}

/// All state of service discovery.
#[derive(Clone, Debug, Default)]
pub struct DiscoveryWorld {
    pub registries: Vec<Registry>,
    pub providers: Vec<Provider>,
    pub clients: Vec<DiscoveryClient>,
    /// Lookups not yet answered, by request id.
    pub lookups: IdMap<LookupRequest>,
    /// Calls not yet settled, by request id.
    pub calls: IdMap<CallRequest>,
    next_request: u64,
    next_serial: u64,
}

const NO_ENTITY: EntityId = EntityId(u32::MAX);

/// The entity of registry `r` (a placeholder for a registry that does not exist).
fn entity_of(registries: &[Registry], r: usize) -> EntityId {
    registries.get(r).map_or(NO_ENTITY, |r| r.entity)
}

impl DiscoveryWorld {
    pub fn build(spec: &DiscoverySpec, entities: &mut Entities) -> Self {
        let mut world = DiscoveryWorld::default();
        for r in &spec.registries {
            let entity = entities.add(&r.id, EntityKind::ServiceRegistry, world.registries.len());
            world.registries.push(Registry {
                entity,
                propagation_delay: r.propagation_delay.clone(),
                network_delay: r.network_delay.clone(),
                down: false,
                entries: litemap::LiteMap::new_vec(),
                watchers: LiteMap::new_vec(),
                registrations: 0,
                refused: 0,
                lookups: 0,
                not_found: 0,
                notifications: 0,
                expired: 0,
            });
        }
        // A validated scenario always resolves; otherwise the index points nowhere and every
        // use of it is a no-op.
        let registry_of = |id: &str| spec.registries.iter().position(|r| r.id == id).unwrap_or(usize::MAX);
        for p in &spec.providers {
            let entity = entities.add(&p.id, EntityKind::Provider, world.providers.len());
            world.providers.push(Provider {
                entity,
                name: p.name.clone(),
                endpoint: p.endpoint.clone(),
                registry: registry_of(&p.registry),
                operations: p.operations.clone(),
                heartbeat_every: p.heartbeat_every.clone(),
                ttl: p.ttl,
                register_at: p.register_at,
                service_time: p.service_time.clone(),
                up: true,
                active: false,
                generation: 0,
                heartbeats: 0,
                calls_served: 0,
            });
        }
        for c in &spec.clients {
            let index = world.clients.len();
            let entity = entities.add(&c.id, EntityKind::DiscoveryClient, index);
            let registry = registry_of(&c.registry);
            let watching: Set<String> = crate::collections::set_of(c.watch.iter().cloned());
            if let Some(r) = world.registries.get_mut(registry) {
                for name in watching.iter() {
                    r.watchers.entry(name.clone()).or_default().insert(index);
                }
            }
            world.clients.push(DiscoveryClient {
                entity,
                registry,
                call_timeout: c.call_timeout,
                up: true,
                epoch: 0,
                cache: litemap::LiteMap::new_vec(),
                watching,
                lookups: 0,
                not_found: 0,
                calls: 0,
                call_ok: 0,
                call_failed: 0,
                notifications_received: 0,
            });
        }
        world
    }

    /// Schedules every provider's own registration.
    pub fn start(&mut self, ctx: &mut Ctx) {
        for (p, provider) in self.providers.iter().enumerate() {
            if let Some(at) = provider.register_at {
                ctx.schedule(at, pending(DiscoveryPending::AutoRegister { provider: p }));
            }
        }
    }

    pub fn handle(&mut self, ctx: &mut Ctx, event: DiscoveryPending) {
        match event {
            DiscoveryPending::AutoRegister { provider } => self.register(ctx, provider),
            DiscoveryPending::Heartbeat { provider, generation } => self.heartbeat(ctx, provider, generation),
            DiscoveryPending::Arrive { registry, message } => self.arrive(ctx, registry, message),
            DiscoveryPending::ExpiryCheck { registry, name, serial } => self.expiry_check(ctx, registry, name, serial),
            DiscoveryPending::Refusal {
                provider,
                action,
                generation,
            } => self.refusal(ctx, provider, action, generation),
            DiscoveryPending::LookupAnswer { request, answer } => self.lookup_answer(ctx, request, answer),
            DiscoveryPending::Rewatch { client } => self.rewatch(ctx, client),
            DiscoveryPending::Notification {
                registry,
                client,
                name,
                endpoint,
                epoch,
            } => self.notification(ctx, registry, client, name, endpoint, epoch),
            DiscoveryPending::CallArrive { request } => self.call_arrive(ctx, request),
            DiscoveryPending::CallServed { request } => self.call_served(ctx, request),
            DiscoveryPending::CallAnswer { request } => self.call_answer(ctx, request),
            DiscoveryPending::CallTimeout { request } => self.call_timeout(ctx, request),
        }
    }

    /// Runs `register`, `deregister`, `lookup`, `watch` and `call`; other commands are not ours.
    pub fn command(&mut self, ctx: &mut Ctx, entities: &Entities, command: &Command) -> Result<(), SimError> {
        match command {
            Command::Register { provider } => {
                let p = entities.index_of(provider, EntityKind::Provider)?;
                self.register(ctx, p);
            }
            Command::Deregister { provider } => {
                let p = entities.index_of(provider, EntityKind::Provider)?;
                self.deregister(ctx, p);
            }
            Command::Lookup { client, name } => {
                let c = entities.index_of(client, EntityKind::DiscoveryClient)?;
                self.lookup(ctx, c, name, None);
            }
            Command::Watch { client, name } => {
                let c = entities.index_of(client, EntityKind::DiscoveryClient)?;
                self.watch(ctx, c, name);
            }
            Command::Call {
                client,
                name,
                operation,
                payload,
            } => {
                let c = entities.index_of(client, EntityKind::DiscoveryClient)?;
                self.call(ctx, c, name, operation, payload);
            }
            _ => {}
        }
        Ok(())
    }

    /// Crashes (`down`) or restarts a registry, provider or client. A registry forgets every
    /// entry and watch; a provider stops heartbeating and drops the calls it holds; a client
    /// loses its cache. On restart a provider registers again and a client (or every client of
    /// a restarted registry) re-establishes its watches.
    pub fn set_down(&mut self, ctx: &mut Ctx, kind: EntityKind, index: usize, down: bool) -> Switch {
        match kind {
            EntityKind::ServiceRegistry => {
                let Some(registry) = self.registries.get_mut(index) else {
                    return Switch::Unsupported;
                };
                if registry.down == down {
                    return Switch::Unchanged;
                }
                registry.down = down;
                if down {
                    registry.entries.clear();
                    registry.watchers.clear();
                } else {
                    for (c, client) in self.clients.iter().enumerate() {
                        if client.registry == index && client.up && !client.watching.is_empty() {
                            ctx.schedule(SimDuration::ZERO, pending(DiscoveryPending::Rewatch { client: c }));
                        }
                    }
                }
                Switch::Switched
            }
            EntityKind::Provider => {
                let Some(provider) = self.providers.get_mut(index) else {
                    return Switch::Unsupported;
                };
                if provider.up != down {
                    return Switch::Unchanged;
                }
                provider.up = !down;
                if down {
                    provider.generation += 1;
                    for call in self.calls.values_mut_unordered() {
                        if call.state == (CallState::InService { provider: index }) {
                            call.state = CallState::Unreachable;
                        }
                    }
                } else if provider.active {
                    self.register(ctx, index);
                }
                Switch::Switched
            }
            EntityKind::DiscoveryClient => {
                let Some(client) = self.clients.get_mut(index) else {
                    return Switch::Unsupported;
                };
                if client.up != down {
                    return Switch::Unchanged;
                }
                client.up = !down;
                if down {
                    client.epoch += 1;
                    client.cache.clear();
                    // Its watch connections closed with it.
                    if let Some(registry) = self.registries.get_mut(client.registry) {
                        for (_, watchers) in registry.watchers.iter_mut() {
                            watchers.remove(&index);
                        }
                    }
                } else {
                    self.rewatch(ctx, index);
                }
                Switch::Switched
            }
            _ => Switch::Unsupported,
        }
    }

    /// Counters per registry, provider and client.
    pub fn report(&self, entities: &Entities, _now: SimTime) -> Vec<EntityReport> {
        let flag = |b: bool| if b { 1u64 } else { 0 };
        let mut out = Vec::new();
        for r in &self.registries {
            out.push(
                EntityReport::new(entities.name(r.entity), EntityKind::ServiceRegistry.label())
                    .with("registered", r.entries.len() as u64)
                    .with("registrations", r.registrations)
                    .with("refused", r.refused)
                    .with("lookups", r.lookups)
                    .with("not_found", r.not_found)
                    .with("notifications", r.notifications)
                    .with("expired", r.expired)
                    .with("down", flag(r.down)),
            );
        }
        for p in &self.providers {
            out.push(
                EntityReport::new(entities.name(p.entity), EntityKind::Provider.label())
                    .with("heartbeats", p.heartbeats)
                    .with("calls_served", p.calls_served)
                    .with("up", flag(p.up)),
            );
        }
        for c in &self.clients {
            out.push(
                EntityReport::new(entities.name(c.entity), EntityKind::DiscoveryClient.label())
                    .with("lookups", c.lookups)
                    .with("not_found", c.not_found)
                    .with("calls", c.calls)
                    .with("call_ok", c.call_ok)
                    .with("call_failed", c.call_failed)
                    .with("notifications_received", c.notifications_received)
                    .with("cache_size", c.cache.len() as u64),
            );
        }
        out
    }

    // ----- helpers -----

    fn registry_entity(&self, registry: usize) -> EntityId {
        entity_of(&self.registries, registry)
    }

    /// One draw of the registry's network delay (zero for a registry that does not exist).
    fn network_delay(&self, ctx: &mut Ctx, registry: usize) -> SimDuration {
        self.registries
            .get(registry)
            .map_or(SimDuration::ZERO, |r| r.network_delay.sample(ctx.rng))
    }

    fn next_request(&mut self) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    /// The provider offering `name` at `endpoint`: the first one configured there, or with
    /// `serving`, the first one that is up and active (the one actually listening).
    fn provider_at(&self, name: &str, endpoint: &str, serving: bool) -> Option<usize> {
        self.providers
            .iter()
            .position(|p| p.name == name && p.endpoint == endpoint && (!serving || (p.up && p.active)))
    }

    fn provider_entity(&self, provider: usize) -> Option<EntityId> {
        self.providers.get(provider).map(|p| p.entity)
    }

    // ----- providers -----

    /// The provider registers now (or, if down, as soon as it restarts) and starts heartbeating.
    fn register(&mut self, ctx: &mut Ctx, p: usize) {
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        provider.active = true;
        if !provider.up {
            return;
        }
        provider.generation += 1;
        let generation = provider.generation;
        let registry = provider.registry;
        let gap = provider.heartbeat_every.sample(ctx.rng);
        record(
            ctx,
            DiscoveryRecord::Register {
                provider: provider.entity,
                registry: entity_of(&self.registries, registry),
                name: provider.name.clone(),
                endpoint: provider.endpoint.clone(),
            },
        );
        ctx.schedule(
            gap,
            pending(DiscoveryPending::Heartbeat {
                provider: p,
                generation,
            }),
        );
        let delay = self.network_delay(ctx, registry);
        let message = ToRegistry::Register {
            provider: p,
            generation,
        };
        ctx.schedule(delay, pending(DiscoveryPending::Arrive { registry, message }));
    }

    /// The provider stops offering its service: no more heartbeats or calls; the registry is
    /// asked to drop the name.
    fn deregister(&mut self, ctx: &mut Ctx, p: usize) {
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        provider.active = false;
        if !provider.up {
            return;
        }
        provider.generation += 1;
        let registry = provider.registry;
        record(
            ctx,
            DiscoveryRecord::Deregister {
                provider: provider.entity,
                registry: entity_of(&self.registries, registry),
                name: provider.name.clone(),
            },
        );
        let delay = self.network_delay(ctx, registry);
        let message = ToRegistry::Deregister { provider: p };
        ctx.schedule(delay, pending(DiscoveryPending::Arrive { registry, message }));
    }

    fn heartbeat(&mut self, ctx: &mut Ctx, p: usize, generation: u64) {
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        if provider.generation != generation || !provider.up || !provider.active {
            return;
        }
        provider.heartbeats += 1;
        let registry = provider.registry;
        let gap = provider.heartbeat_every.sample(ctx.rng);
        record(
            ctx,
            DiscoveryRecord::Heartbeat {
                provider: provider.entity,
                registry: entity_of(&self.registries, registry),
                name: provider.name.clone(),
            },
        );
        ctx.schedule(
            gap,
            pending(DiscoveryPending::Heartbeat {
                provider: p,
                generation,
            }),
        );
        let delay = self.network_delay(ctx, registry);
        let message = ToRegistry::Heartbeat {
            provider: p,
            generation,
        };
        ctx.schedule(delay, pending(DiscoveryPending::Arrive { registry, message }));
    }

    /// The registry's refusal reaches the provider: it gives up offering the name.
    fn refusal(&mut self, ctx: &mut Ctx, p: usize, action: ProviderAction, generation: u64) {
        let registry_entity = self
            .providers
            .get(p)
            .map_or(NO_ENTITY, |provider| self.registry_entity(provider.registry));
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        if !provider.up {
            return; // the answer reached a dead process
        }
        record(
            ctx,
            DiscoveryRecord::ProviderFailed {
                provider: provider.entity,
                registry: registry_entity,
                name: provider.name.clone(),
                action,
                error: NAME_ALREADY_REGISTERED.to_string(),
            },
        );
        if provider.generation == generation {
            provider.active = false;
            provider.generation += 1;
        }
    }

    // ----- the registry -----

    fn arrive(&mut self, ctx: &mut Ctx, r: usize, message: ToRegistry) {
        let Some(registry) = self.registries.get(r) else {
            return;
        };
        if registry.down {
            self.unavailable(ctx, r, message);
            return;
        }
        match message {
            ToRegistry::Register { provider, generation } => {
                self.accept(ctx, r, provider, generation, ProviderAction::Register);
            }
            ToRegistry::Heartbeat { provider, generation } => {
                let Some(p) = self.providers.get(provider) else {
                    return;
                };
                let now = ctx.now;
                let held = self.registries[r]
                    .entries
                    .get_mut(&p.name)
                    .filter(|e| e.endpoint == p.endpoint);
                match held {
                    Some(entry) => entry.last_heartbeat = now,
                    // A heartbeat for a name the registry does not hold at this endpoint (it
                    // restarted, or the entry expired) is taken as a registration.
                    None => self.accept(ctx, r, provider, generation, ProviderAction::Heartbeat),
                }
            }
            ToRegistry::Deregister { provider } => self.remove(ctx, r, provider),
            ToRegistry::Lookup { request } => {
                let Some(lookup) = self.lookups.get(&request) else {
                    return;
                };
                let registry = &mut self.registries[r];
                registry.lookups += 1;
                let answer = match registry.entries.get(&lookup.name) {
                    Some(entry) => Ok(entry.endpoint.clone()),
                    None => {
                        registry.not_found += 1;
                        Err(NAME_NOT_FOUND.to_string())
                    }
                };
                let delay = self.network_delay(ctx, r);
                ctx.schedule(delay, pending(DiscoveryPending::LookupAnswer { request, answer }));
            }
            ToRegistry::Watch { client, name, epoch } => {
                let Some(c) = self.clients.get(client) else {
                    return;
                };
                if !c.up || c.epoch != epoch {
                    return; // the connection that asked is gone
                }
                let registry = &mut self.registries[r];
                registry.watchers.entry(name.clone()).or_default().insert(client);
                record(
                    ctx,
                    DiscoveryRecord::Watching {
                        registry: registry.entity,
                        client: c.entity,
                        name,
                    },
                );
            }
        }
    }

    /// A message reached a dead registry: the sender's connection fails now.
    fn unavailable(&mut self, ctx: &mut Ctx, r: usize, message: ToRegistry) {
        let registry = self.registry_entity(r);
        let error = REGISTRY_UNAVAILABLE.to_string();
        let (provider, action) = match message {
            ToRegistry::Register { provider, .. } => (provider, ProviderAction::Register),
            ToRegistry::Heartbeat { provider, .. } => (provider, ProviderAction::Heartbeat),
            ToRegistry::Deregister { provider } => (provider, ProviderAction::Deregister),
            ToRegistry::Lookup { request } => {
                self.lookup_answer(ctx, request, Err(error));
                return;
            }
            ToRegistry::Watch { client, name, epoch } => {
                if let Some(c) = self.clients.get(client).filter(|c| c.up && c.epoch == epoch) {
                    record(
                        ctx,
                        DiscoveryRecord::WatchFailed {
                            client: c.entity,
                            registry,
                            name,
                            error,
                        },
                    );
                }
                return;
            }
        };
        if let Some(p) = self.providers.get(provider).filter(|p| p.up) {
            record(
                ctx,
                DiscoveryRecord::ProviderFailed {
                    provider: p.entity,
                    registry,
                    name: p.name.clone(),
                    action,
                    error,
                },
            );
        }
    }

    /// A registration (or a heartbeat standing for one) at a live registry.
    fn accept(&mut self, ctx: &mut Ctx, r: usize, p: usize, generation: u64, action: ProviderAction) {
        let Some(provider) = self.providers.get(p) else {
            return;
        };
        let Some(registry) = self.registries.get_mut(r) else {
            return;
        };
        let now = ctx.now;
        let by_heartbeat = action == ProviderAction::Heartbeat;
        let registry_entity = registry.entity;
        let registered = |renewed| DiscoveryRecord::Registered {
            registry: registry_entity,
            provider: provider.entity,
            name: provider.name.clone(),
            endpoint: provider.endpoint.clone(),
            renewed,
            by_heartbeat,
        };
        match registry.entries.get_mut(&provider.name) {
            Some(entry) if entry.endpoint != provider.endpoint => {
                registry.refused += 1;
                let holder = self.providers.get(entry.provider).map_or(NO_ENTITY, |h| h.entity);
                record(
                    ctx,
                    DiscoveryRecord::Refused {
                        registry: registry.entity,
                        provider: provider.entity,
                        holder,
                        name: provider.name.clone(),
                        endpoint: provider.endpoint.clone(),
                        error: NAME_ALREADY_REGISTERED.to_string(),
                    },
                );
                let delay = registry.network_delay.sample(ctx.rng);
                let refusal = DiscoveryPending::Refusal {
                    provider: p,
                    action,
                    generation,
                };
                ctx.schedule(delay, pending(refusal));
            }
            Some(entry) => {
                // The same endpoint again: idempotent, not a change watchers need to hear of.
                registry.registrations += 1;
                let record_it = registered(true);
                let new_ttl = entry.ttl != provider.ttl;
                entry.provider = p;
                entry.last_heartbeat = now;
                entry.ttl = provider.ttl;
                if new_ttl {
                    // The entry lives by another TTL now: a fresh expiry check replaces the old.
                    entry.serial = self.next_serial;
                    self.next_serial += 1;
                    let check = DiscoveryPending::ExpiryCheck {
                        registry: r,
                        name: provider.name.clone(),
                        serial: entry.serial,
                    };
                    ctx.schedule(provider.ttl, pending(check));
                }
                record(ctx, record_it);
            }
            None => {
                registry.registrations += 1;
                let serial = self.next_serial;
                self.next_serial += 1;
                let record_it = registered(false);
                registry.entries.insert(
                    provider.name.clone(),
                    Entry {
                        endpoint: provider.endpoint.clone(),
                        provider: p,
                        last_heartbeat: now,
                        ttl: provider.ttl,
                        serial,
                    },
                );
                record(ctx, record_it);
                let check = DiscoveryPending::ExpiryCheck {
                    registry: r,
                    name: provider.name.clone(),
                    serial,
                };
                ctx.schedule(provider.ttl, pending(check));
                let (name, endpoint) = (provider.name.clone(), provider.endpoint.clone());
                self.notify(ctx, r, &name, Some(endpoint));
            }
        }
    }

    /// A deregistration at a live registry: the name goes if it is held at this provider's
    /// endpoint (the address is leaving, whoever registered it last).
    fn remove(&mut self, ctx: &mut Ctx, r: usize, p: usize) {
        let Some(provider) = self.providers.get(p) else {
            return;
        };
        let name = provider.name.clone();
        let registry = &mut self.registries[r];
        let removed = registry
            .entries
            .get(&name)
            .is_some_and(|e| e.endpoint == provider.endpoint);
        if removed {
            registry.entries.remove(&name);
        }
        record(
            ctx,
            DiscoveryRecord::Deregistered {
                registry: registry.entity,
                provider: provider.entity,
                name: name.clone(),
                removed,
            },
        );
        if removed {
            self.notify(ctx, r, &name, None);
        }
    }

    fn expiry_check(&mut self, ctx: &mut Ctx, r: usize, name: String, serial: u64) {
        let Some(registry) = self.registries.get_mut(r) else {
            return;
        };
        let Some(entry) = registry.entries.get(&name).filter(|e| e.serial == serial) else {
            return; // gone, or replaced by a later registration with its own check
        };
        let due = entry.last_heartbeat.saturating_add(entry.ttl);
        if due > ctx.now {
            let check = DiscoveryPending::ExpiryCheck {
                registry: r,
                name,
                serial,
            };
            ctx.schedule(due.since(ctx.now), pending(check));
            return;
        }
        let Some(entry) = registry.entries.remove(&name) else {
            return;
        };
        registry.expired += 1;
        let provider = self.providers.get(entry.provider).map_or(NO_ENTITY, |p| p.entity);
        record(
            ctx,
            DiscoveryRecord::Expired {
                registry: registry.entity,
                provider,
                name: name.clone(),
                last_heartbeat: entry.last_heartbeat,
            },
        );
        self.notify(ctx, r, &name, None);
    }

    /// Sends a change of `name` to every watcher; each hears of it after the propagation delay.
    fn notify(&mut self, ctx: &mut Ctx, r: usize, name: &str, endpoint: Option<String>) {
        let Some(registry) = self.registries.get_mut(r) else {
            return;
        };
        let Some(watchers) = registry.watchers.get(name) else {
            return;
        };
        for &c in watchers.iter() {
            let Some(client) = self.clients.get(c) else {
                continue;
            };
            registry.notifications += 1;
            record(
                ctx,
                DiscoveryRecord::Notify {
                    registry: registry.entity,
                    client: client.entity,
                    name: name.to_string(),
                    endpoint: endpoint.clone(),
                },
            );
            let after = registry.propagation_delay.sample(ctx.rng);
            let note = DiscoveryPending::Notification {
                registry: r,
                client: c,
                name: name.to_string(),
                endpoint: endpoint.clone(),
                epoch: client.epoch,
            };
            ctx.schedule(after, pending(note));
        }
    }

    // ----- clients -----

    fn notification(&mut self, ctx: &mut Ctx, r: usize, c: usize, name: String, endpoint: Option<String>, epoch: u64) {
        let registry = self.registry_entity(r);
        let Some(client) = self.clients.get_mut(c) else {
            return;
        };
        if !client.up || client.epoch != epoch {
            record(
                ctx,
                DiscoveryRecord::NotificationLost {
                    client: client.entity,
                    registry,
                    name,
                },
            );
            return;
        }
        client.notifications_received += 1;
        match &endpoint {
            Some(e) => client.cache.insert(name.clone(), e.clone()),
            None => client.cache.remove(&name),
        };
        record(
            ctx,
            DiscoveryRecord::Notified {
                client: client.entity,
                registry,
                name,
                endpoint,
            },
        );
    }

    /// The client asks its registry for `name`; `call` is the call waiting for the answer.
    fn lookup(&mut self, ctx: &mut Ctx, c: usize, name: &str, call: Option<u64>) {
        let request = self.next_request();
        let Some(client) = self.clients.get_mut(c) else {
            return;
        };
        let registry = client.registry;
        let registry_entity = self.registries.get(registry).map_or(NO_ENTITY, |r| r.entity);
        if !client.up {
            record(
                ctx,
                DiscoveryRecord::LookupFailed {
                    request,
                    client: client.entity,
                    registry: registry_entity,
                    name: name.to_string(),
                    error: CLIENT_DOWN.to_string(),
                },
            );
            return;
        }
        client.lookups += 1;
        record(
            ctx,
            DiscoveryRecord::Lookup {
                request,
                client: client.entity,
                registry: registry_entity,
                name: name.to_string(),
            },
        );
        self.lookups.insert(
            request,
            LookupRequest {
                client: c,
                name: name.to_string(),
                epoch: client.epoch,
                call,
            },
        );
        let delay = self.network_delay(ctx, registry);
        let message = ToRegistry::Lookup { request };
        ctx.schedule(delay, pending(DiscoveryPending::Arrive { registry, message }));
    }

    fn lookup_answer(&mut self, ctx: &mut Ctx, request: u64, answer: Result<String, String>) {
        let Some(lookup) = self.lookups.remove(&request) else {
            return;
        };
        let Some(client) = self.clients.get_mut(lookup.client) else {
            return;
        };
        let registry = self.registries.get(client.registry).map_or(NO_ENTITY, |r| r.entity);
        let answer = if client.epoch != lookup.epoch {
            Err(CLIENT_CRASHED.to_string())
        } else {
            answer
        };
        match answer {
            Ok(endpoint) => {
                client.cache.insert(lookup.name.clone(), endpoint.clone());
                record(
                    ctx,
                    DiscoveryRecord::Found {
                        request,
                        client: client.entity,
                        registry,
                        name: lookup.name,
                        endpoint: endpoint.clone(),
                    },
                );
                if let Some(call) = lookup.call {
                    self.send_call(ctx, call, endpoint);
                }
            }
            Err(error) => {
                if error == NAME_NOT_FOUND {
                    client.not_found += 1;
                }
                record(
                    ctx,
                    DiscoveryRecord::LookupFailed {
                        request,
                        client: client.entity,
                        registry,
                        name: lookup.name,
                        error: error.clone(),
                    },
                );
                if let Some(call) = lookup.call {
                    self.fail_call(ctx, call, &error);
                }
            }
        }
    }

    fn watch(&mut self, ctx: &mut Ctx, c: usize, name: &str) {
        let registry = self
            .clients
            .get(c)
            .map_or(NO_ENTITY, |client| self.registry_entity(client.registry));
        let Some(client) = self.clients.get_mut(c) else {
            return;
        };
        if client.watching.contains(name) {
            // Already asked for: ask again only if it is up (the registry may have forgotten).
        } else if client.watching.len() >= MAX_WATCHES {
            record(
                ctx,
                DiscoveryRecord::WatchFailed {
                    client: client.entity,
                    registry,
                    name: name.to_string(),
                    error: TOO_MANY_WATCHES.to_string(),
                },
            );
            return;
        } else {
            client.watching.insert(name.to_string());
        }
        if client.up {
            self.send_watch(ctx, c, name);
        }
    }

    fn send_watch(&mut self, ctx: &mut Ctx, c: usize, name: &str) {
        let Some(client) = self.clients.get(c) else {
            return;
        };
        let registry = client.registry;
        record(
            ctx,
            DiscoveryRecord::Watch {
                client: client.entity,
                registry: self.registry_entity(registry),
                name: name.to_string(),
            },
        );
        let message = ToRegistry::Watch {
            client: c,
            name: name.to_string(),
            epoch: client.epoch,
        };
        let delay = self.network_delay(ctx, registry);
        ctx.schedule(delay, pending(DiscoveryPending::Arrive { registry, message }));
    }

    /// The client asks again for every name it watches (after it or its registry restarted).
    fn rewatch(&mut self, ctx: &mut Ctx, c: usize) {
        let Some(client) = self.clients.get(c) else {
            return;
        };
        if !client.up {
            return;
        }
        let names: Vec<String> = client.watching.iter().cloned().collect();
        for name in names {
            self.send_watch(ctx, c, &name);
        }
    }

    fn call(&mut self, ctx: &mut Ctx, c: usize, name: &str, operation: &str, payload: &str) {
        let request = self.next_request();
        let Some(client) = self.clients.get_mut(c) else {
            return;
        };
        client.calls += 1;
        self.calls.insert(
            request,
            CallRequest {
                client: c,
                name: name.to_string(),
                operation: operation.to_string(),
                payload: payload.to_string(),
                epoch: client.epoch,
                endpoint: String::new(),
                state: CallState::Resolving,
            },
        );
        if !client.up {
            self.fail_call(ctx, request, CLIENT_DOWN);
            return;
        }
        match client.cache.get(name) {
            Some(endpoint) => {
                let endpoint = endpoint.clone();
                self.send_call(ctx, request, endpoint);
            }
            None => self.lookup(ctx, c, name, Some(request)),
        }
    }

    /// Sends a resolved call to `endpoint` and starts its timeout.
    fn send_call(&mut self, ctx: &mut Ctx, request: u64, endpoint: String) {
        let Some(call) = self.calls.get(&request) else {
            return;
        };
        let Some(client) = self.clients.get(call.client) else {
            return;
        };
        let provider = self
            .provider_at(&call.name, &endpoint, false)
            .and_then(|p| self.provider_entity(p));
        record(
            ctx,
            DiscoveryRecord::Call {
                request,
                client: client.entity,
                provider,
                name: call.name.clone(),
                operation: call.operation.clone(),
                payload: call.payload.clone(),
                endpoint: endpoint.clone(),
            },
        );
        let (registry, timeout) = (client.registry, client.call_timeout);
        let delay = self.network_delay(ctx, registry);
        ctx.schedule(delay, pending(DiscoveryPending::CallArrive { request }));
        ctx.schedule(timeout, pending(DiscoveryPending::CallTimeout { request }));
        if let Some(call) = self.calls.get_mut(&request) {
            call.endpoint = endpoint;
            call.state = CallState::Travelling;
        }
    }

    fn call_arrive(&mut self, ctx: &mut Ctx, request: u64) {
        let Some(call) = self.calls.get(&request) else {
            return;
        };
        if call.state != CallState::Travelling {
            return;
        }
        let target = self.provider_at(&call.name, &call.endpoint, true);
        let state = match target {
            Some(p) => {
                let took = self.providers[p].service_time.sample(ctx.rng);
                ctx.schedule(took, pending(DiscoveryPending::CallServed { request }));
                CallState::InService { provider: p }
            }
            // Nobody is listening there for this name: the client hears nothing until its timeout.
            None => CallState::Unreachable,
        };
        if let Some(call) = self.calls.get_mut(&request) {
            call.state = state;
        }
    }

    fn call_served(&mut self, ctx: &mut Ctx, request: u64) {
        let Some(call) = self.calls.get_mut(&request) else {
            return;
        };
        let CallState::InService { provider: p } = call.state else {
            return; // the provider crashed meanwhile
        };
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        provider.calls_served += 1;
        let known = provider.operations.contains(&call.operation);
        call.state = CallState::Answering { provider: p, known };
        let client = self.clients.get(call.client).map_or(NO_ENTITY, |c| c.entity);
        record(
            ctx,
            DiscoveryRecord::Served {
                request,
                provider: provider.entity,
                client,
                name: call.name.clone(),
                operation: call.operation.clone(),
                known,
            },
        );
        let registry = self.clients.get(call.client).map_or(usize::MAX, |c| c.registry);
        let delay = self.network_delay(ctx, registry);
        ctx.schedule(delay, pending(DiscoveryPending::CallAnswer { request }));
    }

    fn call_answer(&mut self, ctx: &mut Ctx, request: u64) {
        let Some(call) = self.calls.get(&request) else {
            return; // the client gave up already
        };
        let CallState::Answering { provider: p, known } = call.state else {
            return;
        };
        let crashed = self.clients.get(call.client).is_none_or(|c| c.epoch != call.epoch);
        if crashed {
            self.fail_call(ctx, request, CLIENT_CRASHED);
        } else if !known {
            self.fail_call(ctx, request, UNKNOWN_OPERATION);
        } else {
            let Some(call) = self.calls.remove(&request) else {
                return;
            };
            let provider = self.provider_entity(p).unwrap_or(NO_ENTITY);
            let Some(client) = self.clients.get_mut(call.client) else {
                return;
            };
            client.call_ok += 1;
            // Echo: the answer carries the request's payload back.
            record(
                ctx,
                DiscoveryRecord::Replied {
                    request,
                    client: client.entity,
                    provider,
                    name: call.name,
                    operation: call.operation,
                    payload: call.payload,
                },
            );
        }
    }

    fn call_timeout(&mut self, ctx: &mut Ctx, request: u64) {
        let Some(call) = self.calls.get(&request) else {
            return; // settled already
        };
        let crashed = self.clients.get(call.client).is_none_or(|c| c.epoch != call.epoch);
        let error = match call.state {
            _ if crashed => CLIENT_CRASHED,
            CallState::InService { .. } | CallState::Answering { .. } => CALL_TIMED_OUT,
            CallState::Resolving | CallState::Travelling | CallState::Unreachable => PROVIDER_UNREACHABLE,
        };
        if error == PROVIDER_UNREACHABLE {
            // The cached endpoint led nowhere: forget it, so the next call looks the name up.
            let (name, endpoint) = (call.name.clone(), call.endpoint.clone());
            if let Some(client) = self.clients.get_mut(call.client) {
                if client.cache.get(&name) == Some(&endpoint) {
                    client.cache.remove(&name);
                }
            }
        }
        self.fail_call(ctx, request, error);
    }

    /// Settles a call as failed with `error`.
    fn fail_call(&mut self, ctx: &mut Ctx, request: u64, error: &str) {
        let Some(call) = self.calls.remove(&request) else {
            return;
        };
        let provider = match call.state {
            CallState::InService { provider } | CallState::Answering { provider, .. } => Some(provider),
            _ => self.provider_at(&call.name, &call.endpoint, false),
        }
        .and_then(|p| self.provider_entity(p));
        let Some(client) = self.clients.get_mut(call.client) else {
            return;
        };
        client.call_failed += 1;
        record(
            ctx,
            DiscoveryRecord::CallFailed {
                request,
                client: client.entity,
                provider,
                name: call.name,
                operation: call.operation,
                error: error.to_string(),
            },
        );
    }
}
