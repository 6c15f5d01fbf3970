//! Building a scenario by hand: the kinds of entity a user can add, a sensible new entity of
//! each kind wired to what is already there, the editable fields of every kind, the links
//! between entities (for the diagram) and drawing a new one, and removal of an entity with everything that needs it.
//! The UI's builder is this module plus forms, so all of it is tested natively.
//!
//! Edits work on the scenario's JSON form and go back through the same loader and validator as
//! a file, so a hand-built scenario is exactly as valid as a written one.

mod add;
mod connect;
mod entries;
mod fields;
mod graph;
mod kinds;
mod remove;

pub use crate::kernel::kinds::{FieldSpec, FieldType, KindSpec, Reference};
pub use add::add_entity;
pub use connect::{connect, connection, Connection};
pub use fields::{
    binding_pairs, bindings_waiting, candidates, distribution_text, entity_fields, parse_distribution, set_field,
    set_listed_type, typed_number, FieldView,
};
pub use graph::{items, links, Item, Link};
pub use kinds::kinds;
pub use remove::{dependents, remove_entity};

use crate::scenario::Scenario;
use entries::{entries, entry_name, to_value};

/// The kind with this id.
pub fn kind(id: &str) -> Option<&'static KindSpec> {
    kinds().find(|k| k.id == id)
}

/// The kind of the entity named `name`, if any (event types are looked up only when asked).
pub fn kind_of(scenario: &Scenario, name: &str) -> Option<&'static KindSpec> {
    let root = to_value(scenario);
    kinds()
        .filter(|k| k.id != "event-type")
        .find(|k| entries(&root, k).iter().any(|e| entry_name(e, k) == name))
}
