//! The event-driven patterns the playground simulates. Each pattern owns its scenario section,
//! its state and its trace records, and reacts to its own pending events through a
//! [`crate::engine::Ctx`]: it never does I/O, reads no clock and draws randomness only from the
//! simulation's generator.

pub mod broker;
pub mod discovery;
pub mod event_bus;
pub mod event_store;
pub mod request_reply;
