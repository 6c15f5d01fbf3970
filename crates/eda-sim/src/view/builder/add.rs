//! Adding an entity: a sensible new one of each kind, wired to the first entity of each kind it
//! needs, or a message saying what to add first.

use super::entries::{kind_or_panic, load, push_entry, set_path, to_value};
use super::{items, KindSpec};
use crate::kernel::entity::article;
use crate::scenario::{name_problem, Scenario};
use serde_json::Value;

/// Adds a new entity of `kind` named `name` (or `kind-N` when empty), connected to the first
/// entity of each kind it needs. Says what to add first when something it needs is missing.
pub fn add_entity(scenario: &Scenario, kind: &KindSpec, name: &str) -> Result<(Scenario, String), String> {
    if !kind.addable {
        let label = kind.label.to_ascii_lowercase();
        return Err(format!("{} {label} is created with its first part", article(&label)));
    }
    let existing = items(scenario);
    let taken = |n: &str| {
        existing
            .iter()
            .any(|i| i.name == n && (i.kind.id == "event-type") == (kind.id == "event-type"))
    };
    let name = match name.trim() {
        "" => (1..)
            .map(|n| format!("{}-{n}", kind.id))
            .find(|n| !taken(n))
            .unwrap_or_default(),
        wanted => wanted.to_string(),
    };
    if let Some(problem) = name_problem(&name) {
        return Err(format!("The name {problem}."));
    }
    if taken(&name) {
        let other = existing
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.kind.label)
            .unwrap_or("");
        return Err(format!(
            "The name {:?} is already used by the {} {name}.",
            &name,
            other.to_ascii_lowercase()
        ));
    }
    let first = |kinds: &[&str]| {
        existing
            .iter()
            .find(|i| kinds.contains(&i.kind.id))
            .map(|i| i.name.clone())
    };
    let need = |kinds: &[&str], what: &str| {
        first(kinds).ok_or_else(|| {
            let label = kind.label.to_ascii_lowercase();
            format!("Add {what} first: {} {label} needs one.", article(&label))
        })
    };
    let mut root = to_value(scenario);
    let mut object = serde_json::json!({ kind.id_key: name });
    let set = |object: &mut Value, key: &str, value: Value| set_path(object, key, Some(value));
    match kind.id {
        "event-source" | "listener" => {
            let bus = match first(&["event-bus"]) {
                Some(bus) => bus,
                None => {
                    // A bus is implied: the pattern has no meaning without one.
                    let bus = if taken("event-bus") {
                        format!("{name}-bus")
                    } else {
                        "event-bus".into()
                    };
                    push_entry(&mut root, kind_or_panic("event-bus"), serde_json::json!({ "id": bus }));
                    bus
                }
            };
            set(&mut object, "bus", Value::String(bus));
        }
        "exchange" => {
            set(&mut object, "type", Value::String("fanout".into()));
            let bindings: Vec<Value> = first(&["queue"])
                .map(|q| serde_json::json!({ "queue": q, "key": "" }))
                .into_iter()
                .collect();
            set(&mut object, "bindings", Value::Array(bindings));
        }
        "topic" => set(&mut object, "partitions", Value::from(3)),
        "consumer-group" => {
            set(&mut object, "topic", Value::String(need(&["topic"], "a topic")?));
            set(&mut object, "auto_offset_reset", Value::String("earliest".into()));
        }
        "producer" => {
            let (key, target) = ["exchange", "queue", "topic"]
                .iter()
                .find_map(|k| first(&[k]).map(|t| (*k, t)))
                .ok_or_else(|| "Add a queue, an exchange or a topic first: a producer publishes to one.".to_string())?;
            set(&mut object, key, Value::String(target));
            if key == "topic" {
                set(&mut object, "keys", serde_json::json!(["key-1", "key-2", "key-3"]));
            }
        }
        "consumer" => {
            let (key, source) = [("queue", "queue"), ("group", "consumer-group")]
                .iter()
                .find_map(|(k, kind)| first(&[kind]).map(|s| (*k, s)))
                .ok_or_else(|| "Add a queue or a consumer group first: a consumer reads from one.".to_string())?;
            set(&mut object, key, Value::String(source));
            set(
                &mut object,
                "processing_time",
                serde_json::json!({ "constant": "100ms" }),
            );
        }
        "service" => set(
            &mut object,
            "service_time",
            serde_json::json!({ "exponential": { "mean": "50ms" } }),
        ),
        "client" => {
            let service = need(&["service"], "a service")?;
            set(&mut object, "service", Value::String(service));
            set(&mut object, "timeout", Value::String("2s".into()));
        }
        "provider" => {
            set(
                &mut object,
                "registry",
                Value::String(need(&["registry"], "a service registry")?),
            );
            set(&mut object, "name", Value::String(name.clone()));
            // The first address no provider uses yet.
            let used: Vec<String> = scenario
                .discovery
                .providers
                .iter()
                .map(|p| p.endpoint.clone())
                .collect();
            let endpoint = (1..)
                .map(|n| format!("tcp://10.0.{}.{}:9000", n / 250, n % 250 + 1))
                .find(|e| !used.contains(e))
                .unwrap_or_default();
            set(&mut object, "endpoint", Value::String(endpoint));
            set(&mut object, "register_at", Value::String("0s".into()));
        }
        "discovery-client" => {
            set(
                &mut object,
                "registry",
                Value::String(need(&["registry"], "a service registry")?),
            );
        }
        "projection" => set(
            &mut object,
            "store",
            Value::String(need(&["event-store"], "an event store")?),
        ),
        _ => {}
    }
    push_entry(&mut root, kind, object);
    load(root).map(|s| (s, name))
}
