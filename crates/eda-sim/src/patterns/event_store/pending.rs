//! The pending events of event sourcing: an appended event on its way to a projection.

/// Pending events of this pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorePending {
    /// The event at global `position` of its store's log reaches a projection.
    Deliver { projection: usize, position: u64 },
}
