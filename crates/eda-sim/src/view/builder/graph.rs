//! The entities of a scenario and the connections between them, oriented the way messages
//! flow: what the builder lists and the diagram draws.

use super::entries::{entries, entry_name, get_path, to_value};
use super::{kinds, FieldType, KindSpec};
use crate::scenario::Scenario;
use serde_json::Value;

/// One entity the builder knows, for lists and the diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: &'static KindSpec,
    pub name: String,
}

/// Every entity (and event type) of the scenario, in the builder's order.
pub fn items(scenario: &Scenario) -> Vec<Item> {
    let root = to_value(scenario);
    kinds()
        .flat_map(|k| {
            entries(&root, k)
                .into_iter()
                .map(move |e| Item {
                    kind: k,
                    name: entry_name(e, k),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A connection between two entities, oriented the way messages flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub from: String,
    pub to: String,
    pub relation: String,
    /// What selects the messages that take it, when something does: an exchange binding's
    /// keys (`order.*, #.paid`), written on the link in the diagram.
    pub keys: Vec<String>,
    /// The faults of the network link it stands for, if it is not perfect (a queue's link to a
    /// consumer): `loses 3 % · doubles 3 % · reorders within 20ms`.
    pub faults: Option<crate::kernel::link::LinkFaults>,
}

/// Every connection of the scenario (subscriptions, bindings, publish-to, calls, registrations,
/// projections, dead-letter queues, order links), without repeats.
pub fn links(scenario: &Scenario) -> Vec<Link> {
    let root = to_value(scenario);
    let mut out: Vec<Link> = Vec::new();
    let mut push_keyed = |from: &str, to: &str, relation: &str, key: Option<&str>| {
        if from == to {
            return;
        }
        let at = out
            .iter()
            .position(|l| l.from == from && l.to == to && l.relation == relation);
        let link = match at {
            Some(i) => &mut out[i],
            None => {
                out.push(Link {
                    from: from.to_string(),
                    to: to.to_string(),
                    relation: relation.to_string(),
                    keys: Vec::new(),
                    faults: None,
                });
                out.last_mut().expect("just pushed")
            }
        };
        if let Some(key) = key.filter(|k| !k.is_empty() && !link.keys.iter().any(|x| x == k)) {
            link.keys.push(key.to_string());
        }
    };
    for k in kinds().filter(|k| k.id != "event-type") {
        for entry in entries(&root, k) {
            let name = entry_name(entry, k);
            for f in k.fields {
                match f.ty {
                    FieldType::Reference(r) => {
                        if let Some(Value::String(target)) = get_path(entry, f.key) {
                            if r.flows_to_target {
                                push_keyed(&name, target, r.relation, None);
                            } else {
                                push_keyed(target, &name, r.relation, None);
                            }
                        }
                    }
                    FieldType::Bindings => {
                        for binding in get_path(entry, f.key).and_then(Value::as_array).into_iter().flatten() {
                            if let Some(queue) = binding.get("queue").and_then(Value::as_str) {
                                let key = binding.get("key").and_then(Value::as_str);
                                push_keyed(&name, queue, "binds", key);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for service in &scenario.request_reply.services {
        if let Some(orders) = &service.orders {
            for link in orders
                .on_created
                .iter()
                .chain(&orders.on_paid)
                .chain(&orders.on_rejected)
            {
                use crate::patterns::request_reply::LinkSpec;
                let (target, relation) = match link {
                    LinkSpec::Publish { source, .. } => (source, "publishes through"),
                    LinkSpec::Append { store, .. } => (store, "appends to"),
                    LinkSpec::Produce { producer } => (producer, "produces through"),
                };
                push_keyed(&service.id, target, relation, None);
            }
        }
    }
    // A queue consumer's link to the broker is the queue's link to it.
    for consumer in &scenario.broker.consumers {
        let (Some(queue), false) = (&consumer.queue, consumer.link.is_perfect()) else {
            continue;
        };
        if let Some(link) = out.iter_mut().find(|l| &l.from == queue && l.to == consumer.id) {
            link.faults = Some(consumer.link.clone());
        }
    }
    // A listener's link from its bus (a listener in another process).
    for listener in &scenario.event_bus.listeners {
        if listener.link.is_perfect() {
            continue;
        }
        if let Some(link) = out.iter_mut().find(|l| l.from == listener.bus && l.to == listener.id) {
            link.faults = Some(listener.link.clone());
        }
    }
    // A store's link to the bus it publishes on (through a source).
    for store in &scenario.event_store.stores {
        let Some(publish) = store.publish_to.as_ref().filter(|p| !p.link.is_perfect()) else {
            continue;
        };
        if let Some(link) = out.iter_mut().find(|l| l.from == store.id && l.to == publish.source) {
            link.faults = Some(publish.link.clone());
        }
    }
    // A client's link to its service.
    for client in &scenario.request_reply.clients {
        if client.link.is_perfect() {
            continue;
        }
        if let Some(link) = out.iter_mut().find(|l| l.from == client.id && l.to == client.service) {
            link.faults = Some(client.link.clone());
        }
    }
    // So is a producer's link to the broker its link to its topic, queue or exchange.
    for producer in &scenario.broker.producers {
        let target = producer
            .topic
            .as_ref()
            .or(producer.queue.as_ref())
            .or(producer.exchange.as_ref());
        let (Some(target), false) = (target, producer.link.is_perfect()) else {
            continue;
        };
        if let Some(link) = out.iter_mut().find(|l| l.from == producer.id && &l.to == target) {
            link.faults = Some(producer.link.clone());
        }
    }
    out
}
