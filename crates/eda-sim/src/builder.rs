//! Building a scenario by hand: the kinds of entity a user can add, a sensible new entity of
//! each kind wired to what is already there, the editable fields of every kind, the links
//! between entities (for the diagram), and removal of an entity with everything that needs it.
//! The UI's builder is this module plus forms, so all of it is tested natively.
//!
//! Edits work on the scenario's JSON form and go back through the same loader and validator as
//! a file, so a hand-built scenario is exactly as valid as a written one.

use crate::rng::Distribution;
use crate::scenario::{name_problem, Scenario};
use crate::time::SimDuration;
use serde::Deserialize;
use serde_json::{Map, Value};

/// How a field is shown and read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Free text (a name, an endpoint).
    Text,
    /// A whole number.
    Count,
    /// A span like `250ms` or `1.5s`.
    Duration,
    /// A random span: `30ms`, `exp 30ms` or `20ms..80ms`.
    Distribution,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Another entity, of one of these kinds (ids of [`KindSpec`]).
    Reference(&'static Reference),
    /// Event types, chosen one by one (a listener's subscriptions).
    EventTypes,
    /// Words separated by commas (keys, operations, watched names).
    Words,
    /// An exchange's bindings: `queue:key` separated by commas.
    Bindings,
    /// A consumer group's commit policy: `manual` or `auto 5s`.
    Commit,
    /// A JSON value (message bodies, order links).
    Json,
}

/// A field naming another entity, and what that link means.
#[derive(Debug, PartialEq, Eq)]
pub struct Reference {
    pub kinds: &'static [&'static str],
    /// Removing the target removes this entity too (it cannot work without it).
    pub cascade: bool,
    /// Messages flow from this entity to the target (otherwise from the target to this one).
    pub flows_to_target: bool,
    /// The link's name in the diagram (`subscribes`, `reads`…).
    pub relation: &'static str,
}

/// One editable field of an entity.
#[derive(Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// Its place in the entity's JSON object; a dot goes one object deeper (`arrivals.every`).
    pub key: &'static str,
    pub label: &'static str,
    pub ty: FieldType,
    /// May be left empty (the key is then left out).
    pub optional: bool,
    pub help: &'static str,
}

/// A kind of entity the builder can add and edit.
#[derive(Debug, PartialEq, Eq)]
pub struct KindSpec {
    /// Stable id used by the UI (`queue`, `consumer-group`…).
    pub id: &'static str,
    /// Shown in menus: `Queue`, `Consumer group`.
    pub label: &'static str,
    pub pattern: &'static str,
    /// The scenario section and the list in it; no list means the section itself.
    pub section: &'static str,
    pub list: Option<&'static str>,
    /// The key holding the entity's name.
    pub id_key: &'static str,
    pub addable: bool,
    pub fields: &'static [FieldSpec],
}

macro_rules! field {
    ($key:literal, $label:literal, $ty:expr, $optional:literal, $help:expr) => {
        FieldSpec {
            key: $key,
            label: $label,
            ty: $ty,
            optional: $optional,
            help: $help,
        }
    };
}

macro_rules! reference {
    ([$($kind:literal),+], $cascade:literal, $to:literal, $relation:literal) => {
        FieldType::Reference(&Reference {
            kinds: &[$($kind),+],
            cascade: $cascade,
            flows_to_target: $to,
            relation: $relation,
        })
    };
}

const DISTRIBUTION_HELP: &str = "30ms (always), exp 30ms (exponential mean), 20ms..80ms (uniform)";

/// Every kind, in the order the builder lists them (grouped by pattern).
pub static KINDS: &[KindSpec] = &[
    KindSpec {
        id: "event-type",
        label: "Event type",
        pattern: "Event bus",
        section: "event_bus",
        list: Some("event_types"),
        id_key: "name",
        addable: true,
        fields: &[field!(
            "parent",
            "Parent type",
            reference!(["event-type"], false, false, "extends"),
            true,
            "listeners of the parent also receive this type"
        )],
    },
    KindSpec {
        id: "event-bus",
        label: "Event bus",
        pattern: "Event bus",
        section: "event_bus",
        list: Some("buses"),
        id_key: "id",
        addable: true,
        fields: &[field!(
            "dispatch_delay",
            "Dispatch delay",
            FieldType::Distribution,
            false,
            "time from publication to a listener's inbox"
        )],
    },
    KindSpec {
        id: "event-source",
        label: "Event source",
        pattern: "Event bus",
        section: "event_bus",
        list: Some("sources"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "bus",
                "Publishes to bus",
                reference!(["event-bus"], true, true, "publishes to"),
                false,
                ""
            ),
            field!(
                "emits",
                "Event streams (JSON)",
                FieldType::Json,
                true,
                "e.g. [{\"event_type\": \"OrderCreated\", \"every\": {\"constant\": \"1s\"}}]"
            ),
        ],
    },
    KindSpec {
        id: "listener",
        label: "Listener",
        pattern: "Event bus",
        section: "event_bus",
        list: Some("listeners"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "bus",
                "Listens on bus",
                reference!(["event-bus"], true, false, "delivers to"),
                false,
                ""
            ),
            field!(
                "subscriptions",
                "Subscribed to",
                FieldType::EventTypes,
                true,
                "each type includes its subtypes"
            ),
            field!(
                "processing_time",
                "Processing time",
                FieldType::Distribution,
                false,
                "how long handling one event takes"
            ),
        ],
    },
    KindSpec {
        id: "broker",
        label: "Broker",
        pattern: "Message broker",
        section: "broker",
        list: None,
        id_key: "id",
        addable: false,
        fields: &[field!(
            "network_delay",
            "Network delay",
            FieldType::Distribution,
            false,
            "one-way delay between the broker and its consumers"
        )],
    },
    KindSpec {
        id: "exchange",
        label: "Exchange",
        pattern: "Message broker",
        section: "broker",
        list: Some("exchanges"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "type",
                "Exchange type",
                FieldType::Choice(&["direct", "fanout", "topic"]),
                false,
                "direct: key equals; fanout: every queue; topic: patterns with * and #"
            ),
            field!(
                "bindings",
                "Bindings",
                FieldType::Bindings,
                true,
                "queue:key pairs separated by commas, e.g. work:job.#, audit:"
            ),
        ],
    },
    KindSpec {
        id: "queue",
        label: "Queue",
        pattern: "Message broker",
        section: "broker",
        list: Some("queues"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "capacity",
                "Capacity",
                FieldType::Count,
                true,
                "most messages waiting; empty for no limit"
            ),
            field!(
                "overflow",
                "When full",
                FieldType::Choice(&["reject_publish", "drop_head"]),
                false,
                ""
            ),
            field!(
                "message_ttl",
                "Message TTL",
                FieldType::Duration,
                true,
                "a message waiting longer expires; empty for none"
            ),
            field!(
                "max_deliveries",
                "Delivery limit",
                FieldType::Count,
                true,
                "after this many deliveries a requeued message is dead-lettered"
            ),
            field!(
                "dead_letter",
                "Dead-letter queue",
                reference!(["queue"], false, true, "dead-letters to"),
                true,
                "where rejected, expired and overflowed messages go; empty: dropped"
            ),
        ],
    },
    KindSpec {
        id: "topic",
        label: "Topic",
        pattern: "Message broker",
        section: "broker",
        list: Some("topics"),
        id_key: "id",
        addable: true,
        fields: &[field!(
            "partitions",
            "Partitions",
            FieldType::Count,
            false,
            "records with the same key go to the same partition"
        )],
    },
    KindSpec {
        id: "consumer-group",
        label: "Consumer group",
        pattern: "Message broker",
        section: "broker",
        list: Some("groups"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "topic",
                "Reads topic",
                reference!(["topic"], true, false, "feeds"),
                false,
                ""
            ),
            field!(
                "assignor",
                "Assignor",
                FieldType::Choice(&["range", "round_robin", "cooperative_sticky"]),
                false,
                "which member gets which partition"
            ),
            field!(
                "auto_offset_reset",
                "Offset reset",
                FieldType::Choice(&["latest", "earliest"]),
                false,
                "where to start without a committed offset"
            ),
            field!(
                "commit",
                "Commit",
                FieldType::Commit,
                false,
                "manual (after each record) or auto with an interval, e.g. auto 5s"
            ),
            field!(
                "session_timeout",
                "Session timeout",
                FieldType::Duration,
                false,
                "how long before a silent member is declared dead"
            ),
        ],
    },
    KindSpec {
        id: "producer",
        label: "Producer",
        pattern: "Message broker",
        section: "broker",
        list: Some("producers"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "exchange",
                "Publishes to exchange",
                reference!(["exchange"], true, true, "publishes to"),
                true,
                "one of exchange, queue or topic"
            ),
            field!(
                "queue",
                "Publishes to queue",
                reference!(["queue"], true, true, "publishes to"),
                true,
                ""
            ),
            field!(
                "topic",
                "Publishes to topic",
                reference!(["topic"], true, true, "publishes to"),
                true,
                ""
            ),
            field!(
                "keys",
                "Keys",
                FieldType::Words,
                true,
                "routing or record keys used in turn, separated by commas"
            ),
            field!(
                "payloads",
                "Bodies (JSON)",
                FieldType::Json,
                true,
                "a list of JSON objects used in turn"
            ),
            field!(
                "emits.every",
                "Gap between messages",
                FieldType::Distribution,
                true,
                "empty: publish only by hand"
            ),
            field!(
                "emits.start",
                "First message at",
                FieldType::Duration,
                true,
                "empty: one gap after time 0"
            ),
            field!(
                "emits.count",
                "Messages in all",
                FieldType::Count,
                true,
                "empty: no end"
            ),
        ],
    },
    KindSpec {
        id: "consumer",
        label: "Consumer",
        pattern: "Message broker",
        section: "broker",
        list: Some("consumers"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "queue",
                "Reads queue",
                reference!(["queue"], true, false, "delivers to"),
                true,
                "a queue or a consumer group"
            ),
            field!(
                "group",
                "Member of group",
                reference!(["consumer-group"], true, false, "assigns to"),
                true,
                ""
            ),
            field!(
                "prefetch",
                "Prefetch",
                FieldType::Count,
                false,
                "unacknowledged messages held at once"
            ),
            field!(
                "processing_time",
                "Processing time",
                FieldType::Distribution,
                false,
                DISTRIBUTION_HELP
            ),
            field!(
                "fail_percent",
                "Failures (%)",
                FieldType::Count,
                false,
                "share of messages whose processing fails"
            ),
            field!(
                "on_failure",
                "On failure",
                FieldType::Choice(&["requeue", "reject"]),
                false,
                "requeue for another try, or reject (dead-letter)"
            ),
            field!(
                "notify_when",
                "Notify when (JSON)",
                FieldType::Json,
                true,
                "count a notification for bodies with these fields, e.g. {\"new_status\": 1}"
            ),
            field!(
                "join_at",
                "Joins group at",
                FieldType::Duration,
                true,
                "group members: empty for time 0"
            ),
        ],
    },
    KindSpec {
        id: "service",
        label: "Service",
        pattern: "Request-response",
        section: "request_reply",
        list: Some("services"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "workers",
                "Workers",
                FieldType::Count,
                false,
                "requests one replica handles at once"
            ),
            field!(
                "service_time",
                "Service time",
                FieldType::Distribution,
                false,
                DISTRIBUTION_HELP
            ),
            field!(
                "queue_capacity",
                "Queue capacity",
                FieldType::Count,
                true,
                "waiting requests per replica before 503; empty for no limit"
            ),
            field!(
                "replicas",
                "Replicas",
                FieldType::Count,
                false,
                "copies behind the load balancer"
            ),
            field!(
                "load_balancer",
                "Load balancer",
                FieldType::Choice(&["round_robin", "least_outstanding", "random"]),
                false,
                ""
            ),
            field!(
                "orders.validity",
                "Order code validity",
                FieldType::Duration,
                true,
                "set to make this an order service (POST /orders, then confirm)"
            ),
            field!(
                "orders.on_created",
                "On order created (JSON)",
                FieldType::Json,
                true,
                "e.g. [{\"append\": {\"store\": \"orders\", \"stream\": \"order-{id}\"}}]"
            ),
            field!(
                "orders.on_paid",
                "On order paid (JSON)",
                FieldType::Json,
                true,
                "e.g. [{\"produce\": {\"producer\": \"order-status\"}}]"
            ),
            field!(
                "orders.on_rejected",
                "On order rejected (JSON)",
                FieldType::Json,
                true,
                "e.g. [{\"publish\": {\"source\": \"feed\"}}]"
            ),
        ],
    },
    KindSpec {
        id: "client",
        label: "Client",
        pattern: "Request-response",
        section: "request_reply",
        list: Some("clients"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "service",
                "Calls service",
                reference!(["service"], true, true, "calls"),
                false,
                ""
            ),
            field!(
                "arrivals.every",
                "Gap between requests",
                FieldType::Distribution,
                true,
                "open loop; empty: send by hand"
            ),
            field!(
                "arrivals.start",
                "First request at",
                FieldType::Duration,
                true,
                "empty: one gap after time 0"
            ),
            field!(
                "arrivals.count",
                "Requests in all",
                FieldType::Count,
                true,
                "empty: no end"
            ),
            field!(
                "users.count",
                "Users (closed loop)",
                FieldType::Count,
                true,
                "each waits for its answer, thinks, asks again"
            ),
            field!(
                "users.think_time",
                "Think time",
                FieldType::Distribution,
                true,
                "closed loop: pause between answer and next request"
            ),
            field!(
                "timeout",
                "Timeout",
                FieldType::Duration,
                true,
                "give up waiting after this long; empty for none"
            ),
            field!(
                "retries",
                "Retries",
                FieldType::Count,
                false,
                "further attempts after a timeout or a 503"
            ),
            field!(
                "backoff",
                "Backoff",
                FieldType::Duration,
                false,
                "wait before the first retry (doubles each time)"
            ),
            field!(
                "network_delay",
                "Network delay",
                FieldType::Distribution,
                false,
                DISTRIBUTION_HELP
            ),
            field!(
                "confirm_after",
                "Confirms after",
                FieldType::Distribution,
                false,
                "order services: how long the user takes to confirm"
            ),
            field!(
                "wrong_code_percent",
                "Wrong codes (%)",
                FieldType::Count,
                false,
                "order services: confirmations with a wrong code"
            ),
        ],
    },
    KindSpec {
        id: "registry",
        label: "Service registry",
        pattern: "Service discovery",
        section: "discovery",
        list: Some("registries"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "propagation_delay",
                "Propagation delay",
                FieldType::Distribution,
                false,
                "time until watchers hear of a change"
            ),
            field!(
                "network_delay",
                "Network delay",
                FieldType::Distribution,
                false,
                DISTRIBUTION_HELP
            ),
        ],
    },
    KindSpec {
        id: "provider",
        label: "Provider",
        pattern: "Service discovery",
        section: "discovery",
        list: Some("providers"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "name",
                "Service name",
                FieldType::Text,
                false,
                "the name it registers, e.g. foo"
            ),
            field!(
                "endpoint",
                "Endpoint",
                FieldType::Text,
                false,
                "e.g. tcp://10.0.0.1:1234"
            ),
            field!(
                "registry",
                "Registers at",
                reference!(["registry"], true, true, "registers at"),
                false,
                ""
            ),
            field!(
                "operations",
                "Operations",
                FieldType::Words,
                false,
                "separated by commas; each echoes its payload"
            ),
            field!(
                "heartbeat_every",
                "Heartbeat every",
                FieldType::Distribution,
                false,
                DISTRIBUTION_HELP
            ),
            field!(
                "ttl",
                "Entry TTL",
                FieldType::Duration,
                false,
                "dropped this long after the last heartbeat"
            ),
            field!(
                "register_at",
                "Registers at time",
                FieldType::Duration,
                true,
                "empty: only when told to register"
            ),
            field!(
                "service_time",
                "Service time",
                FieldType::Distribution,
                false,
                DISTRIBUTION_HELP
            ),
        ],
    },
    KindSpec {
        id: "discovery-client",
        label: "Discovery client",
        pattern: "Service discovery",
        section: "discovery",
        list: Some("clients"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "registry",
                "Asks registry",
                reference!(["registry"], true, true, "looks up at"),
                false,
                ""
            ),
            field!(
                "watch",
                "Watches",
                FieldType::Words,
                true,
                "service names watched from time 0, separated by commas"
            ),
            field!(
                "call_timeout",
                "Call timeout",
                FieldType::Duration,
                false,
                "how long it waits for an answer"
            ),
        ],
    },
    KindSpec {
        id: "event-store",
        label: "Event store",
        pattern: "Event sourcing",
        section: "event_store",
        list: Some("stores"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "snapshot_every",
                "Snapshot every",
                FieldType::Count,
                true,
                "events per stream between snapshots; empty for none"
            ),
            field!(
                "publish_to.source",
                "Publishes through source",
                reference!(["event-source"], false, true, "publishes through"),
                true,
                "an event-bus source that publishes every appended event"
            ),
        ],
    },
    KindSpec {
        id: "projection",
        label: "Projection",
        pattern: "Event sourcing",
        section: "event_store",
        list: Some("projections"),
        id_key: "id",
        addable: true,
        fields: &[
            field!(
                "store",
                "Projects store",
                reference!(["event-store"], true, false, "projects to"),
                false,
                ""
            ),
            field!(
                "lag",
                "Lag",
                FieldType::Distribution,
                false,
                "how long after an append the projection applies it"
            ),
        ],
    },
];

/// The kind with this id.
pub fn kind(id: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.id == id)
}

/// The kind of the entity named `name`, if any (event types are looked up only when asked).
pub fn kind_of(scenario: &Scenario, name: &str) -> Option<&'static KindSpec> {
    let root = to_value(scenario);
    KINDS
        .iter()
        .filter(|k| k.id != "event-type")
        .find(|k| entries(&root, k).iter().any(|e| entry_name(e, k) == name))
}

/// One entity the builder knows, for lists and the diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: &'static KindSpec,
    pub name: String,
}

/// Every entity (and event type) of the scenario, in the builder's order.
pub fn items(scenario: &Scenario) -> Vec<Item> {
    let root = to_value(scenario);
    KINDS
        .iter()
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
}

/// Every connection of the scenario (subscriptions, bindings, publish-to, calls, registrations,
/// projections, dead-letter queues, order links), without repeats.
pub fn links(scenario: &Scenario) -> Vec<Link> {
    let root = to_value(scenario);
    let mut out: Vec<Link> = Vec::new();
    let mut push = |from: &str, to: &str, relation: &str| {
        let link = Link {
            from: from.to_string(),
            to: to.to_string(),
            relation: relation.to_string(),
        };
        if from != to && !out.contains(&link) {
            out.push(link);
        }
    };
    for k in KINDS.iter().filter(|k| k.id != "event-type") {
        for entry in entries(&root, k) {
            let name = entry_name(entry, k);
            for f in k.fields {
                match f.ty {
                    FieldType::Reference(r) => {
                        if let Some(Value::String(target)) = get_path(entry, f.key) {
                            if r.flows_to_target {
                                push(&name, target, r.relation);
                            } else {
                                push(target, &name, r.relation);
                            }
                        }
                    }
                    FieldType::Bindings => {
                        for binding in get_path(entry, f.key).and_then(Value::as_array).into_iter().flatten() {
                            if let Some(queue) = binding.get("queue").and_then(Value::as_str) {
                                push(&name, queue, "binds");
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
                push(&service.id, target, relation);
            }
        }
    }
    out
}

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
            for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let (queue, key) = pair.split_once(':').unwrap_or((pair, ""));
                let mut binding = Map::new();
                binding.insert("queue".into(), Value::String(queue.trim().to_string()));
                binding.insert("key".into(), Value::String(key.trim().to_string()));
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

/// Adds a new entity of `kind` named `name` (or `kind-N` when empty), connected to the first
/// entity of each kind it needs. Says what to add first when something it needs is missing.
pub fn add_entity(scenario: &Scenario, kind: &KindSpec, name: &str) -> Result<(Scenario, String), String> {
    if !kind.addable {
        return Err(format!(
            "a {} is created with its first part",
            kind.label.to_ascii_lowercase()
        ));
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
        first(kinds).ok_or_else(|| format!("Add {what} first: a {} needs one.", kind.label.to_ascii_lowercase()))
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
    for k in KINDS {
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
    let (_, target, _) = command.target();
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
            g.name == target
        }
    })
}

fn problems_text(problems: Vec<crate::scenario::Problem>) -> String {
    problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ")
}

/// Reads the edited JSON back through the scenario loader (shape, then every rule).
fn load(root: Value) -> Result<Scenario, String> {
    let scenario = shape(root)?;
    scenario.validate().map_err(problems_text)?;
    Ok(scenario)
}

/// Reads JSON into a scenario, checking only its shape.
fn shape(root: Value) -> Result<Scenario, String> {
    serde_path_to_error::deserialize(root).map_err(|e| crate::scenario::path_message(&e))
}

fn to_value(scenario: &Scenario) -> Value {
    serde_json::to_value(scenario).unwrap_or(Value::Null)
}

fn kind_or_panic(id: &str) -> &'static KindSpec {
    // Only called with ids from the table above.
    kind(id).unwrap_or(&KINDS[0])
}

fn entry_name(entry: &Value, kind: &KindSpec) -> String {
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

fn entries<'a>(root: &'a Value, kind: &KindSpec) -> Vec<&'a Value> {
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

fn entry_mut<'a>(root: &'a mut Value, kind: &KindSpec, name: &str) -> Option<&'a mut Value> {
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

fn push_entry(root: &mut Value, kind: &KindSpec, entry: Value) {
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

fn get_path<'a>(entry: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(entry, |v, k| v.get(k))
}

/// Sets (or with `None` removes) a dotted key; objects on the way are created, and emptied
/// ones removed, so clearing `arrivals.every` leaves no empty `arrivals`.
fn set_path(entry: &mut Value, key: &str, value: Option<Value>) {
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
