//! The pending events of service discovery: timers, and messages on their way to a registry,
//! a provider or a client.

use super::records::ProviderAction;

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
