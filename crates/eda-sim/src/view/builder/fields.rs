//! One entity's editable fields as text: what a properties form shows, and reading what a
//! person typed back into the scenario (numbers, durations, distributions, lists, bindings).

use super::entries::{entries, entry_mut, entry_name, get_path, load, set_path, to_value};
use super::{items, FieldSpec, FieldType, KindSpec, Reference};
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimDuration;
use crate::scenario::Scenario;
use serde::Deserialize;
use serde_json::{Map, Value};

/// A finite number as a person types it (`12`, `+0.5`, `.5`, `1e3`, spaces around allowed);
/// `None` for anything else, `inf` and `NaN` included.
pub fn typed_number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A field's value as typed in its input.
fn value_text(field: &FieldSpec, value: &Value) -> String {
    match field.ty {
        FieldType::Distribution => Distribution::deserialize(value)
            .map(|d| distribution_text(&d))
            .unwrap_or_default(),
        FieldType::Words | FieldType::EventTypes => value
            .as_array()
            .map(|items| items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
            .unwrap_or_default(),
        FieldType::Bindings => value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|b| {
                        format!(
                            "{}:{}",
                            b.get("queue").and_then(Value::as_str).unwrap_or(""),
                            b.get("key").and_then(Value::as_str).unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        FieldType::Commit => match value {
            Value::String(s) => s.clone(),
            other => other
                .pointer("/auto/interval")
                .and_then(Value::as_str)
                .map(|i| format!("auto {i}"))
                .unwrap_or_default(),
        },
        FieldType::Json => value.to_string(),
        _ => match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    }
}

/// What a properties form shows for one field: its text, its ticked items (lists) and the
/// entities it may name (references).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldView {
    pub text: String,
    pub list: Vec<String>,
    pub candidates: Vec<String>,
}

/// Every field of one entity for its properties form, reading the scenario once (the form is
/// redrawn on every seek; reading it per field would serialize the scenario a dozen times).
pub fn entity_fields(scenario: &Scenario, kind: &KindSpec, name: &str) -> Vec<FieldView> {
    let root = to_value(scenario);
    let all = items(scenario);
    let entry = entries(&root, kind).into_iter().find(|e| entry_name(e, kind) == name);
    kind.fields
        .iter()
        .map(|field| {
            let value = entry.and_then(|e| get_path(e, field.key));
            FieldView {
                text: value.map(|v| value_text(field, v)).unwrap_or_default(),
                list: value
                    .and_then(Value::as_array)
                    .map(|items| items.iter().filter_map(Value::as_str).map(str::to_string).collect())
                    .unwrap_or_default(),
                candidates: match field.ty {
                    FieldType::Reference(r) => all
                        .iter()
                        .filter(|i| r.kinds.contains(&i.kind.id) && i.name != name)
                        .map(|i| i.name.clone())
                        .collect(),
                    _ => Vec::new(),
                },
            }
        })
        .collect()
}

/// The candidates a reference field may name: entities of its kinds other than `name` itself.
pub fn candidates(scenario: &Scenario, reference: &Reference, name: &str) -> Vec<String> {
    items(scenario)
        .into_iter()
        .filter(|i| reference.kinds.contains(&i.kind.id) && i.name != name)
        .map(|i| i.name)
        .collect()
}

/// Distribution as typed in a field: `30ms`, `exp 30ms`, `20ms..80ms`.
pub fn distribution_text(d: &Distribution) -> String {
    match d {
        Distribution::Constant(span) => span.to_string(),
        Distribution::Exponential { mean } => format!("exp {mean}"),
        Distribution::Uniform { min, max } => format!("{min}..{max}"),
    }
}

/// Reads `30ms` (constant), `exp 30ms` (exponential with that mean) or `20ms..80ms` (uniform).
pub fn parse_distribution(text: &str) -> Result<Distribution, String> {
    let text = text.trim();
    let span = |t: &str| t.trim().parse::<SimDuration>().map_err(|e| e.to_string());
    if let Some(mean) = text
        .strip_prefix("exponential")
        .or_else(|| text.strip_prefix("exp"))
        .filter(|rest| rest.starts_with(' '))
    {
        return Ok(Distribution::Exponential { mean: span(mean)? });
    }
    if let Some((min, max)) = text.split_once("..") {
        let (min, max) = (span(min)?, span(max)?);
        if min > max {
            return Err(format!(
                "the range {min}..{max} runs backwards; write the smaller first"
            ));
        }
        return Ok(Distribution::Uniform { min, max });
    }
    span(text)
        .map(Distribution::Constant)
        .map_err(|e| format!("{e} (or write exp 30ms, or 20ms..80ms)"))
}

/// The `queue:key` pairs of an exchange's bindings as typed, trimmed (no colon: an empty key).
pub fn binding_pairs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split(',').map(str::trim).filter(|p| !p.is_empty()).map(|pair| {
        let (queue, key) = pair.split_once(':').unwrap_or((pair, ""));
        (queue.trim(), key.trim())
    })
}

/// A bindings text split into the bindings whose queue exists (as text to apply now) and the
/// queues it names that the scenario does not have yet.
pub fn bindings_waiting(scenario: &Scenario, text: &str) -> (String, Vec<String>) {
    let queues: Vec<String> = items(scenario)
        .into_iter()
        .filter(|i| i.kind.id == "queue")
        .map(|i| i.name)
        .collect();
    let mut ready = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for (queue, key) in binding_pairs(text) {
        if queues.iter().any(|q| q == queue) {
            ready.push(format!("{queue}:{key}"));
        } else if !missing.iter().any(|m| m == queue) {
            missing.push(queue.to_string());
        }
    }
    (ready.join(", "), missing)
}

/// Sets one field from the text typed for it; the whole scenario is then checked. The error
/// names what is wrong; the scenario passed in is never changed.
pub fn set_field(
    scenario: &Scenario,
    kind: &KindSpec,
    name: &str,
    field: &FieldSpec,
    text: &str,
) -> Result<Scenario, String> {
    let value = parse_field(scenario, field, text)?;
    let mut root = to_value(scenario);
    if kind.list.is_none() && root.get(kind.section).is_none() {
        return Err(format!("there is no {} to edit", kind.label.to_ascii_lowercase()));
    }
    let entry = entry_mut(&mut root, kind, name).ok_or_else(|| format!("{name} no longer exists"))?;
    let setting = value.is_some();
    set_path(entry, field.key, value);
    keep_together(kind.id, field.key, setting, entry);
    load(root)
}

/// Fields that go together, so that each edit leaves a valid entity: a producer publishes to
/// one exchange, queue or topic; a consumer reads one queue or group; a client is open loop
/// (arrivals) or closed loop (users), each group complete or absent.
fn keep_together(kind: &str, key: &str, setting: bool, entry: &mut Value) {
    let one_of: &[&str] = match kind {
        "producer" => &["exchange", "queue", "topic"],
        "consumer" => &["queue", "group"],
        _ => &[],
    };
    if setting && one_of.contains(&key) {
        for other in one_of.iter().filter(|k| **k != key) {
            set_path(entry, other, None);
        }
    }
    if kind == "client" {
        let group = key.split('.').next().unwrap_or("");
        match (group, setting) {
            ("arrivals", true) => set_path(entry, "users", None),
            ("users", true) => {
                set_path(entry, "arrivals", None);
                if get_path(entry, "users.count").is_none() {
                    set_path(entry, "users.count", Some(Value::from(1)));
                }
                if get_path(entry, "users.think_time").is_none() {
                    set_path(entry, "users.think_time", Some(serde_json::json!({ "constant": "1s" })));
                }
            }
            // Without its gap or its count the rest of the group means nothing: it goes.
            ("arrivals", false) if key == "arrivals.every" => set_path(entry, "arrivals", None),
            ("users", false) => set_path(entry, "users", None),
            _ => {}
        }
    }
}

/// Sets or clears one event type in a listener's subscriptions (or any event-type list field).
pub fn set_listed_type(
    scenario: &Scenario,
    kind: &KindSpec,
    name: &str,
    field: &FieldSpec,
    event_type: &str,
    on: bool,
) -> Result<Scenario, String> {
    let mut root = to_value(scenario);
    let entry = entry_mut(&mut root, kind, name).ok_or_else(|| format!("{name} no longer exists"))?;
    let mut list: Vec<Value> = get_path(entry, field.key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.retain(|v| v.as_str() != Some(event_type));
    if on {
        list.push(Value::String(event_type.to_string()));
    }
    set_path(entry, field.key, Some(Value::Array(list)));
    load(root)
}

fn parse_field(scenario: &Scenario, field: &FieldSpec, text: &str) -> Result<Option<Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return if field.optional {
            Ok(None)
        } else {
            Err(format!("{} is required", field.label))
        };
    }
    let value = match field.ty {
        FieldType::Text => Value::String(text.to_string()),
        FieldType::Count => Value::from(
            text.parse::<u64>()
                .map_err(|_| format!("{:?} is not a whole number", text))?,
        ),
        FieldType::Duration => Value::String(text.parse::<SimDuration>().map_err(|e| e.to_string())?.to_string()),
        FieldType::Distribution => serde_json::to_value(parse_distribution(text)?).map_err(|e| e.to_string())?,
        FieldType::Switch => match text {
            "true" | "on" | "yes" => Value::Bool(true),
            "false" | "off" | "no" => return Ok(None),
            other => return Err(format!("{other:?} is neither on nor off")),
        },
        FieldType::Choice(options) => {
            if !options.contains(&text) {
                return Err(format!("choose one of {}", options.join(", ")));
            }
            Value::String(text.to_string())
        }
        FieldType::Reference(r) => {
            if !candidates(scenario, r, "").iter().any(|c| c == text) {
                return Err(format!(
                    "there is no {} named {:?}",
                    r.kinds.join(" or ").replace('-', " "),
                    text
                ));
            }
            Value::String(text.to_string())
        }
        FieldType::Words | FieldType::EventTypes => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(|w| Value::String(w.to_string()))
                .collect(),
        ),
        FieldType::Bindings => {
            let mut bindings = Vec::new();
            for (queue, key) in binding_pairs(text) {
                let mut binding = Map::new();
                binding.insert("queue".into(), Value::String(queue.to_string()));
                binding.insert("key".into(), Value::String(key.to_string()));
                bindings.push(Value::Object(binding));
            }
            Value::Array(bindings)
        }
        FieldType::Commit => match text {
            "manual" => Value::String("manual".into()),
            other => {
                let interval = other.strip_prefix("auto").unwrap_or(other).trim();
                let interval: SimDuration = interval
                    .parse()
                    .map_err(|_| format!("{:?}: write manual, or auto with an interval such as auto 5s", other))?;
                serde_json::json!({ "auto": { "interval": interval.to_string() } })
            }
        },
        FieldType::Json => serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?,
    };
    Ok(Some(value))
}
