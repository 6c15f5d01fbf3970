//! The panels of the page. Each reads the model and emits [`crate::state::Action`]s; none
//! holds a rule of its own.

pub mod builder;
pub mod charts;
pub mod diagram;
pub mod editor;
pub mod entities;
pub mod event_log;
pub mod inspector;
pub mod lanes;
pub mod replay;
pub mod share;
pub mod toolbar;
