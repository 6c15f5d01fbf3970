//! The simulation kernel: everything a discrete-event simulation needs that knows no pattern.
//! Virtual time, the pending-event queue, the one seeded generator, statistics, limits, small
//! ordered collections and the run report. Patterns build on it; it imports none of them.

pub mod collections;
pub mod core;
pub mod ctx;
pub mod effect;
pub mod entity;
pub mod error;
pub mod hash;
pub mod id_map;
pub mod ids;
pub mod kinds;
pub mod limits;
pub mod link;
pub mod names;
pub mod network;
pub mod occupancy;
pub mod queue;
pub mod queueing;
pub mod report;
pub mod rng;
pub mod shared_log;
pub mod stage;
pub mod stats;
pub mod stream;
pub mod time;
pub mod trace;
pub mod unique_keys;
pub mod validate;
