//! Names for the ids records carry, so a record can be put in words (the event log, the
//! inspector) by whoever holds the names, without knowing the whole simulation.

use crate::kernel::ids::{EntityId, EventTypeId};

/// Looks up the names behind entity and event-type ids.
pub trait Names {
    fn entity_name(&self, id: EntityId) -> &str;
    fn event_type_name(&self, id: EventTypeId) -> &str;
}
