//! Specification tests of the simulation core, one module per concern, in one test binary.

mod determinism;
mod engine;
mod event_bus;
mod limits;
mod rng;
mod scenario;
mod support;
