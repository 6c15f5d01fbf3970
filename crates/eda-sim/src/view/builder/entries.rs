//! The scenario's JSON form as the builder edits it: finding, adding and changing an entity's
//! entry, then reading the result back through the loader and validator.

use super::{kind, kinds, KindSpec};
use crate::scenario::Scenario;
use serde_json::{Map, Value};

pub(super) fn problems_text(problems: Vec<crate::scenario::Problem>) -> String {
    problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ")
}

/// Reads the edited JSON back through the scenario loader (shape, then every rule).
pub(super) fn load(root: Value) -> Result<Scenario, String> {
    let scenario = shape(root)?;
    scenario.validate().map_err(problems_text)?;
    Ok(scenario)
}

/// Reads JSON into a scenario, checking only its shape.
pub(super) fn shape(root: Value) -> Result<Scenario, String> {
    serde_path_to_error::deserialize(root).map_err(|e| crate::scenario::path_message(&e))
}

pub(super) fn to_value(scenario: &Scenario) -> Value {
    serde_json::to_value(scenario).unwrap_or(Value::Null)
}

pub(super) fn kind_or_panic(id: &str) -> &'static KindSpec {
    // Only called with ids from the table above.
    kind(id).unwrap_or_else(|| kinds().next().expect("every pattern lists its kinds"))
}

pub(super) fn entry_name(entry: &Value, kind: &KindSpec) -> String {
    match kind.list {
        // The broker: serialized only when it has parts, with its id.
        None => entry
            .get(kind.id_key)
            .and_then(Value::as_str)
            .unwrap_or("broker")
            .to_string(),
        Some(_) => entry.get(kind.id_key).and_then(Value::as_str).unwrap_or("").to_string(),
    }
}

pub(super) fn entries<'a>(root: &'a Value, kind: &KindSpec) -> Vec<&'a Value> {
    let Some(section) = root.get(kind.section) else {
        return vec![];
    };
    match kind.list {
        None => vec![section],
        Some(list) => section
            .get(list)
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
    }
}

pub(super) fn entry_mut<'a>(root: &'a mut Value, kind: &KindSpec, name: &str) -> Option<&'a mut Value> {
    let section = root.get_mut(kind.section)?;
    match kind.list {
        None => Some(section),
        Some(list) => section
            .get_mut(list)?
            .as_array_mut()?
            .iter_mut()
            .find(|e| entry_name(e, kind) == name),
    }
}

pub(super) fn push_entry(root: &mut Value, kind: &KindSpec, entry: Value) {
    let Some(object) = root.as_object_mut() else {
        return;
    };
    let section = object.entry(kind.section).or_insert_with(|| Value::Object(Map::new()));
    if let (Some(section), Some(list)) = (section.as_object_mut(), kind.list) {
        let list = section.entry(list).or_insert_with(|| Value::Array(vec![]));
        if let Some(list) = list.as_array_mut() {
            list.push(entry);
        }
    }
}

pub(super) fn get_path<'a>(entry: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(entry, |v, k| v.get(k))
}

/// Sets (or with `None` removes) a dotted key; objects on the way are created, and emptied
/// ones removed, so clearing `arrivals.every` leaves no empty `arrivals`.
pub(super) fn set_path(entry: &mut Value, key: &str, value: Option<Value>) {
    let Some(object) = entry.as_object_mut() else {
        return;
    };
    match key.split_once('.') {
        None => match value {
            Some(v) => {
                object.insert(key.to_string(), v);
            }
            None => {
                object.remove(key);
            }
        },
        Some((head, rest)) => {
            if value.is_none() && !object.contains_key(head) {
                return;
            }
            let child = object
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            set_path(child, rest, value);
            if child.as_object().is_some_and(Map::is_empty) {
                object.remove(head);
            }
        }
    }
}
