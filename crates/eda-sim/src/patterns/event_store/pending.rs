//! The pending events of event sourcing: an appended event on its way to a projection.

/// Pending events of this pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorePending {
    /// The event at global `position` of its store's log reaches a projection.
    Deliver { projection: usize, position: u64 },
    /// The event at `position` of the store (entity id `store`) reaches the bus over a slow
    /// link, to go out through `source` as `event_type`.
    Publish {
        store: u32,
        position: u64,
        source: usize,
        event_type: crate::kernel::ids::EventTypeId,
    },
}
