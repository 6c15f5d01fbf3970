//! The event bus (the seed's order → SMS example): sources publish typed events, a bus
//! addresses each one to every listener subscribed to its type or to any ancestor type, and
//! each listener handles one event at a time while the rest wait in its inbox.
//!
//! Timing: the bus resolves the recipients at the instant of publication and sends each a copy
//! that arrives after the bus's dispatch delay. So an event published after an unsubscribe is
//! not sent to that listener, while a copy already dispatched still arrives.
//!
//! Where things are: `spec` (the scenario section) and `validate` (its checks); `types` (the
//! event-type hierarchy); `state` (all state, built from the spec); `pending` (what waits in the
//! queue, and the handler table); `source`, `bus`, `listener` and `subscription` (the handlers,
//! by who acts); `records` (what the trace says); `report` (counters).

mod bus;
mod kinds;
mod listener;
mod pending;
mod records;
mod report;
mod source;
pub mod spec;
mod state;
mod subscription;
mod types;
mod validate;

pub use bus::{Bus, BusCopy, InFlight};
pub use kinds::KINDS;
pub use listener::Listener;
pub use pending::BusPending;
pub use records::BusRecord;
pub use source::{Emitter, Source};
pub use spec::{
    default_dispatch_delay, default_processing_time, BusSpec, EmitSpec, EventBusSpec, EventTypeSpec, ListenerSpec,
    SourceSpec,
};
pub use state::EventBusWorld;
pub use types::TypeHierarchy;

/// The context this pattern's handlers work with: they schedule [`BusPending`]s and write
/// [`BusRecord`]s, and ask other patterns for effects.
pub type Ctx<'a> = crate::kernel::ctx::Ctx<'a, BusPending, BusRecord>;
