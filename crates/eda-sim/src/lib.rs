//! EDA Playground's simulation core: a deterministic discrete-event simulator of
//! event-driven architectures. It has no web, UI or wall-clock dependencies, so it builds and
//! tests natively and runs unchanged in the browser as WebAssembly.
//!
//! Data flow: a [`Scenario`] (all inputs) builds a [`Sim`]; `step`/`run_until` process
//! pending events in `(time, sequence)` order; every effect lands in the [`Trace`], whose hash
//! fingerprints the run.

pub mod command;
pub mod engine;
pub mod kernel;
pub mod patterns;
pub mod scenario;
pub mod trace;
pub mod view;
pub mod world;

// Kernel modules at their former paths, while the patterns move onto the kernel's paths.
pub use kernel::{collections, limits, queue, report, rng, stats, time};

pub use engine::{Entity, EntityKind, RunProgress, Sim, SimError};
pub use report::{EntityReport, Report};
pub use rng::{Distribution, SimRng};
pub use scenario::{Command, Problem, Scenario, ScenarioError, SCENARIO_VERSION};
pub use time::{SimDuration, SimTime};
pub use trace::{format_hash, EntityId, EventId, EventTypeId, Trace, TraceKind, TraceRecord};
