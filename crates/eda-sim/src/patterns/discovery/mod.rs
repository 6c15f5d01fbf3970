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
//!
//! One file per concept: `spec`, `kinds`, `validate`, `records` (their text is in `view::describe`), `errors`,
//! `pending` (events), `world` (state and dispatch), `registry`, `provider`, `client` (cache and
//! lookups), `watch`, `calls`, `crash` (crash and restart) and `report`.

mod calls;
mod client;
mod crash;
mod errors;
mod kinds;
mod pending;
mod provider;
mod records;
mod registry;
mod report;
mod spec;
mod validate;
mod watch;
mod world;

pub use calls::{CallRequest, CallState};
pub use client::{DiscoveryClient, LookupRequest};
pub use errors::{
    CALL_TIMED_OUT, CLIENT_CRASHED, CLIENT_DOWN, NAME_ALREADY_REGISTERED, NAME_NOT_FOUND, PROVIDER_UNREACHABLE,
    REGISTRY_UNAVAILABLE, TOO_MANY_WATCHES, UNKNOWN_OPERATION,
};
pub use kinds::KINDS;
pub use pending::{DiscoveryPending, ToRegistry};
pub use provider::Provider;
pub use records::{DiscoveryRecord, ProviderAction};
pub use registry::{Entry, Registry};
pub use spec::{DiscoveryClientSpec, DiscoverySpec, ProviderSpec, RegistrySpec, MAX_OPERATIONS, MAX_WATCHES};
pub use world::DiscoveryWorld;

/// The context this pattern's handlers work with: they schedule [`DiscoveryPending`]s and write
/// [`DiscoveryRecord`]s, and ask other patterns for effects.
pub type Ctx<'a> = crate::kernel::ctx::Ctx<'a, DiscoveryPending, DiscoveryRecord>;
