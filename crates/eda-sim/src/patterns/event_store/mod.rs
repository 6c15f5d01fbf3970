//! Event sourcing (the seed's user-profile history): instead of overwriting a record, every
//! change is appended as an event to the record's stream, and the current state is only ever
//! the fold of those events. So the state at any earlier instant can be rebuilt, together with
//! which event changed which field, from what to what.
//!
//! Modelled here: streams created by their first append; per-stream versions and a global log
//! position; optimistic concurrency (an append naming the version it expects is refused when the
//! stream has moved on); snapshots every N events of a stream, from which a replay may start;
//! asynchronous projections (read models) that see each event after a lag, in log order, and
//! can be rebuilt from the whole log. Appends take effect at the instant they are asked for.
//!
//! One file per concept: the scenario section (`spec.rs`, checked in `validate.rs`), the state
//! (`state.rs`), a store and its log (`store.rs`), streams and appends with expected versions
//! (`stream.rs`), snapshots (`snapshot.rs`), rebuilding a stream at a point of its history
//! (`replay.rs`), how events fold into state (`fold.rs`), projections (`projection.rs`),
//! publication on the bus (`publish.rs`), the pending events (`pending.rs`), the trace records
//! (`records.rs`; their text is in `view::describe`), the kinds the builder edits (`kinds.rs`) and the report (`report.rs`).

mod fold;
mod kinds;
mod pending;
mod projection;
mod publish;
mod records;
mod replay;
mod report;
mod snapshot;
mod spec;
mod state;
mod store;
mod stream;
mod validate;

pub use fold::{fold, fold_tracking, FieldChange, Fields};
pub use kinds::KINDS;
pub use pending::StorePending;
pub use projection::Projection;
pub use publish::PublishTarget;
pub use records::StoreRecord;
pub use replay::{At, Change, StateAt};
pub use snapshot::Snapshot;
pub use spec::{EventStoreSpec, ProjectionSpec, PublishToSpec, StoreSpec};
pub use state::EventStoreWorld;
pub use store::{Store, StoredEvent};
pub use stream::Stream;

/// The context this pattern's handlers work with: they schedule [`StorePending`]s and write
/// [`StoreRecord`]s, and ask other patterns for effects.
pub type Ctx<'a> = crate::kernel::ctx::Ctx<'a, StorePending, StoreRecord>;
