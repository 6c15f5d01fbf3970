//! EDA Playground's simulation core: a deterministic discrete-event simulator of
//! event-driven architectures. It has no web, UI or wall-clock dependencies, so it builds and
//! tests natively and runs unchanged in the browser as WebAssembly.
//!
//! Data flow: a [`Scenario`] (all inputs) builds a [`Sim`]; `step`/`run_until` process
//! pending events in `(time, sequence)` order; every effect lands in the [`Trace`], whose hash
//! fingerprints the run.
//!
//! Layers, each importing only those above it:
//! - [`kernel`]: time, the queue, the generator, ids and the entity table, validation, the
//!   trace and its hash, the handler context; it knows no pattern;
//! - [`patterns`]: one folder per pattern over the kernel (spec, kinds, records, handlers,
//!   report), plus [`command`], the commands from outside;
//! - [`scenario`], [`trace`] and [`world`]: the sums of the patterns' specs, records and
//!   states, and the one dispatch;
//! - [`engine`]: [`Sim`], which runs the world over the kernel;
//! - [`view`]: what only a user interface needs (builder, flow, timeline, share links,
//!   built-in examples).

pub mod command;
pub mod engine;
pub mod kernel;
pub mod patterns;
pub mod scenario;
pub mod trace;
pub mod view;
pub mod world;

pub use engine::{Entity, EntityKind, RunProgress, Sim, SimError};
pub use kernel::report::{EntityReport, Report};
pub use kernel::rng::{Distribution, SimRng};
pub use kernel::time::{SimDuration, SimTime};
pub use scenario::{Command, Problem, Scenario, ScenarioError, SCENARIO_VERSION};
pub use trace::{format_hash, EntityId, EventId, EventTypeId, Trace, TraceKind, TraceRecord};
