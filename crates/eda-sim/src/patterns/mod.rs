//! The event-driven patterns the playground simulates. Each pattern owns its state and reacts
//! to its own pending events through a [`crate::engine::Ctx`]: it never does I/O, reads no
//! clock and draws randomness only from the simulation's generator.

pub mod event_bus;
