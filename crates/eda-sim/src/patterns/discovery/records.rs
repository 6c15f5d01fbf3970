//! What service discovery writes to the trace: one record per message sent, handled or lost.

use crate::kernel::ids::EntityId;
use crate::kernel::time::SimTime;
use serde::Serialize;

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
}
