//! What only a user interface needs, kept apart from the simulation: building a scenario by
//! hand, what is moving at an instant (for drawing), moving along a run (seek, step back),
//! share links and the built-in examples. The simulation never imports this module.

pub mod builder;
pub mod compare;
pub mod describe;
pub mod flow;
pub mod lesson;
pub mod presets;
pub mod repair;
pub mod share;
pub mod timeline;
