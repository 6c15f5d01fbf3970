//! The event-driven patterns the playground simulates, one folder each, over the kernel. Each
//! pattern owns its scenario section, its validation, its state, its pending events and its
//! trace records, and reacts to its own pending events through a context of its own types
//! ([`crate::kernel::ctx::Ctx`]): it never does I/O, reads no clock and draws randomness only
//! from the simulation's generator. No pattern imports the engine or the world; request-response
//! and event sourcing read the event bus's type names to resolve their links to it.

pub mod broker;
pub mod discovery;
pub mod event_bus;
pub mod event_store;
pub mod request_reply;
