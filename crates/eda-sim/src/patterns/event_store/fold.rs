//! State is a fold over events: how an event's fields set or remove the fields of a state, and
//! what each event changed.

use serde::Serialize;
use serde_json::{Map, Value};

/// The fields of an aggregate (or the fields an event sets), by name.
pub type Fields = Map<String, Value>;
/// One field changed by an event: absent (`None`) or a value, before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// Applies an event's fields to a state: each set, or removed where the value is `null`.
/// A value replaces the field whole (objects are not merged).
pub fn fold(state: &mut Fields, data: &Fields) {
    for (field, value) in data {
        if value.is_null() {
            state.remove(field);
        } else {
            state.insert(field.clone(), value.clone());
        }
    }
}

/// Like [`fold`], returning the fields whose value changed, with their old and new values.
pub fn fold_tracking(state: &mut Fields, data: &Fields) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for (field, value) in data {
        let new = (!value.is_null()).then(|| value.clone());
        let old = state.get(field).cloned();
        if old == new {
            continue;
        }
        match &new {
            Some(v) => state.insert(field.clone(), v.clone()),
            None => state.remove(field),
        };
        changes.push(FieldChange {
            field: field.clone(),
            old,
            new,
        });
    }
    changes
}
