//! Removing an entity together with everything that cannot work without it (and the script
//! commands that name them).

use super::entries::{entries, entry_name, get_path, kind_or_panic, problems_text, set_path, shape, to_value};
use super::{items, kinds, FieldType, Item, KindSpec};
use crate::scenario::Scenario;
use serde_json::Value;

/// What removing an entity also removes: entities that cannot work without it.
pub fn dependents(scenario: &Scenario, kind: &KindSpec, name: &str) -> Vec<Item> {
    let mut gone: Vec<Item> = vec![Item {
        kind: kind_or_panic(kind.id),
        name: name.to_string(),
    }];
    let all = items(scenario);
    let root = to_value(scenario);
    // Follow cascading references until nothing new is found (the list only grows).
    let mut i = 0;
    while i < gone.len() {
        let target = gone[i].clone();
        for item in &all {
            if gone.contains(item) {
                continue;
            }
            let Some(entry) = entries(&root, item.kind)
                .into_iter()
                .find(|e| entry_name(e, item.kind) == item.name)
            else {
                continue;
            };
            let needs = item.kind.fields.iter().any(|f| match f.ty {
                FieldType::Reference(r) => {
                    r.cascade
                        && r.kinds.contains(&target.kind.id)
                        && get_path(entry, f.key).and_then(Value::as_str) == Some(target.name.as_str())
                }
                _ => false,
            });
            if needs {
                gone.push(item.clone());
            }
        }
        i += 1;
    }
    gone.remove(0);
    gone
}

/// Removes the entity, the entities that need it ([`dependents`]) and every mention of them:
/// optional links, bindings, subscriptions, order links and timed commands.
pub fn remove_entity(scenario: &Scenario, kind: &KindSpec, name: &str) -> Result<Scenario, String> {
    if kind.list.is_none() {
        return Err(format!(
            "the {} goes when its last part is removed",
            kind.label.to_ascii_lowercase()
        ));
    }
    let mut gone = dependents(scenario, kind, name);
    gone.insert(
        0,
        Item {
            kind: kind_or_panic(kind.id),
            name: name.to_string(),
        },
    );
    let is_gone = |kind_id: &str, n: &str| gone.iter().any(|g| g.kind.id == kind_id && g.name == n);
    let mut root = to_value(scenario);
    for k in kinds() {
        if k.list.is_none() {
            continue;
        }
        let Some(list) = root
            .get_mut(k.section)
            .and_then(|s| s.get_mut(k.list.unwrap_or_default()))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        list.retain(|e| !is_gone(k.id, &entry_name(e, k)));
        for entry in list.iter_mut() {
            for f in k.fields {
                match f.ty {
                    FieldType::Reference(r) => {
                        let points_at_gone = get_path(entry, f.key)
                            .and_then(Value::as_str)
                            .is_some_and(|t| r.kinds.iter().any(|kind| is_gone(kind, t)));
                        if points_at_gone {
                            set_path(entry, f.key, None);
                        }
                    }
                    FieldType::Bindings => {
                        if let Some(bindings) = entry.get_mut(f.key).and_then(Value::as_array_mut) {
                            bindings.retain(|b| {
                                !b.get("queue")
                                    .and_then(Value::as_str)
                                    .is_some_and(|q| is_gone("queue", q))
                            });
                        }
                    }
                    FieldType::EventTypes => {
                        if let Some(types) = entry.get_mut(f.key).and_then(Value::as_array_mut) {
                            types.retain(|t| !t.as_str().is_some_and(|t| is_gone("event-type", t)));
                        }
                    }
                    _ => {}
                }
            }
            // A source's streams of a removed event type go with it.
            if let Some(emits) = entry.get_mut("emits").and_then(Value::as_array_mut) {
                emits.retain(|e| {
                    !e.get("event_type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| is_gone("event-type", t))
                });
            }
            // Order links to a removed source, store or producer.
            if let Some(orders) = entry.get_mut("orders").and_then(Value::as_object_mut) {
                for outcome in ["on_created", "on_paid", "on_rejected"] {
                    if let Some(links) = orders.get_mut(outcome).and_then(Value::as_array_mut) {
                        links.retain(|link| {
                            let target = |kind: &str, key: &str| {
                                link.get(kind)
                                    .and_then(|l| l.get(key))
                                    .and_then(Value::as_str)
                                    .map(|t| t.to_string())
                            };
                            !(target("publish", "source").is_some_and(|t| is_gone("event-source", &t))
                                || target("append", "store").is_some_and(|t| is_gone("event-store", &t))
                                || target("produce", "producer").is_some_and(|t| is_gone("producer", &t)))
                        });
                    }
                }
            }
        }
    }
    let mut next = shape(root)?;
    next.script.retain(|entry| !mentions(&entry.command, &gone));
    next.validate().map_err(problems_text)?;
    Ok(next)
}

fn mentions(command: &crate::scenario::Command, gone: &[Item]) -> bool {
    use crate::scenario::Command;
    let targets = command.targets();
    let event_type = match command {
        Command::Publish { event_type, .. }
        | Command::Subscribe { event_type, .. }
        | Command::Unsubscribe { event_type, .. } => Some(event_type.as_str()),
        _ => None,
    };
    gone.iter().any(|g| {
        if g.kind.id == "event-type" {
            event_type == Some(g.name.as_str())
        } else {
            targets.iter().any(|(_, target, _)| g.name == *target)
        }
    })
}
