//! Hard limits on everything a scenario can ask for. Each is enforced with a typed error so
//! that no input (a hand-written file, a shared link, a slider pushed to the end) can freeze a
//! browser tab or exhaust its memory.

/// Entities of all kinds (sources, buses, listeners, …) in one scenario.
pub const MAX_ENTITIES: usize = 200;
/// Event types in the type hierarchy.
pub const MAX_EVENT_TYPES: usize = 100;
/// Depth of the event-type hierarchy (a chain of parents).
pub const MAX_TYPE_DEPTH: usize = 16;
/// Timed commands in a scenario's script.
pub const MAX_SCRIPT_ENTRIES: usize = 10_000;
/// Emission generators per source.
pub const MAX_EMITS_PER_SOURCE: usize = 32;
/// Scheduled events plus messages waiting in inboxes, at any instant.
pub const MAX_PENDING_EVENTS: usize = 100_000;
/// Records in the trace of one run (each is a few dozen bytes).
pub const MAX_TRACE_RECORDS: usize = 1_500_000;
/// Length of an entity or event-type name, in bytes.
pub const MAX_NAME_BYTES: usize = 64;
/// Longest delay or processing time a distribution may name (one day).
pub const MAX_DURATION_US: u64 = 86_400_000_000;
/// The latest instant a scenario may name (a script entry, the run's `duration`): ten years.
/// With delays of at most [`MAX_DURATION_US`], no time a scenario names, nor one a day later,
/// comes near what the clock can hold (about 584,000 years).
pub const MAX_RUN_US: u64 = 10 * 365 * 86_400_000_000;
/// Records one processed event may add at most (a publish fans out to every listener).
pub const MAX_RECORDS_PER_EVENT: usize = MAX_ENTITIES + 4;
/// Memory a run may hold in what grows with it (topic records, stored events with their
/// streams' state and projections, live broker messages), estimated per item below: 1 GiB. A
/// run that would hold more stops with a message naming the entity that holds the most.
pub const MAX_RETAINED_BYTES: u64 = 1 << 30;
/// What one topic record or live broker message costs, about (key, body, bookkeeping).
pub const RETAINED_BYTES_PER_MESSAGE: u64 = 256;
/// What one stored event costs, about: the event and its fields, its share of its stream's
/// state and snapshots, and a projection's copy (measured: a day of the order-system example
/// holds 1.7 million stored events in 3.6 GB).
pub const RETAINED_BYTES_PER_STORED_EVENT: u64 = 2_048;
/// Events between two checks of the items a run holds (counting them walks every topic's
/// partitions and every store).
pub const RETAINED_CHECK_EVERY: u64 = 1024;
/// Events one virtual instant may hold: more means the model loops without time passing.
pub const MAX_EVENTS_PER_INSTANT: u64 = 1_000_000;
/// Most arrivals (messages, events, requests started by streams) a scenario with a `duration`
/// may ask for: rates × duration above it are refused when the scenario is loaded.
pub const MAX_ARRIVALS_PER_RUN: u64 = 10_000_000;
/// Largest scenario file read (the playground's Import, `eda run`): a scenario of the largest
/// allowed size is far smaller.
pub const MAX_SCENARIO_FILE_BYTES: u64 = 1024 * 1024;
