//! Commands: actions from outside the model (the scenario's script, the UI, a test), each
//! naming the entity it acts on. Written in scenario files as `{"verb": {fields}}`.

use crate::kernel::entity::EntityKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An action from outside the model: from the script, the UI or a test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// An event-bus source publishes an event now.
    Publish {
        source: String,
        event_type: String,
    },
    /// A listener subscribes to an event type (and so its subtypes).
    Subscribe {
        listener: String,
        event_type: String,
    },
    Unsubscribe {
        listener: String,
        event_type: String,
    },
    /// An entity stops: what it held only in memory is lost, as its pattern defines.
    Crash {
        entity: String,
    },
    /// A crashed entity starts again.
    Restart {
        entity: String,
    },
    /// A request-response client sends one request (or starts one order) now.
    Request {
        client: String,
    },
    /// A producer publishes one message now (with this key and body, or its own next ones).
    Produce {
        producer: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payload: Option<serde_json::Map<String, serde_json::Value>>,
    },
    /// A consumer joins its consumer group (a rebalance follows).
    Join {
        consumer: String,
    },
    /// A consumer leaves its group gracefully (commits, then a rebalance follows).
    Leave {
        consumer: String,
    },
    /// A provider registers its name and endpoint at its registry.
    Register {
        provider: String,
    },
    /// A provider removes its name from its registry.
    Deregister {
        provider: String,
    },
    /// A discovery client looks a name up at its registry.
    Lookup {
        client: String,
        name: String,
    },
    /// A discovery client asks to be told of every change to a name.
    Watch {
        client: String,
        name: String,
    },
    /// A discovery client calls `name.operation(payload)` at the endpoint it has for the name.
    Call {
        client: String,
        name: String,
        operation: String,
        #[serde(default)]
        payload: String,
    },
    /// Appends an event to a stream of an event store.
    Append {
        store: String,
        stream: String,
        event_type: String,
        /// The fields this event sets (a JSON object; `null` removes a field).
        #[serde(default)]
        data: serde_json::Map<String, serde_json::Value>,
        /// Refuse the append unless the stream is at exactly this version (optimistic concurrency).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected_version: Option<u64>,
    },
    /// Empties a projection and rebuilds it from the whole log.
    RebuildProjection {
        projection: String,
    },
    /// The leader of every partition of a topic fails; an in-sync follower takes over (records
    /// only the old leader had are gone).
    FailOver {
        topic: String,
    },
    /// The network splits: the entities of each side reach only each other (the first side
    /// also holds every entity not named). Replaces an earlier partition.
    Partition {
        sides: Vec<Vec<String>>,
    },
    /// The network is whole again.
    Heal {},
}

impl Command {
    /// The command's name as written in JSON.
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Publish { .. } => "publish",
            Command::Subscribe { .. } => "subscribe",
            Command::Unsubscribe { .. } => "unsubscribe",
            Command::Crash { .. } => "crash",
            Command::Restart { .. } => "restart",
            Command::Request { .. } => "request",
            Command::Produce { .. } => "produce",
            Command::Join { .. } => "join",
            Command::Leave { .. } => "leave",
            Command::Register { .. } => "register",
            Command::Deregister { .. } => "deregister",
            Command::Lookup { .. } => "lookup",
            Command::Watch { .. } => "watch",
            Command::Call { .. } => "call",
            Command::Append { .. } => "append",
            Command::RebuildProjection { .. } => "rebuild_projection",
            Command::FailOver { .. } => "fail_over",
            Command::Partition { .. } => "partition",
            Command::Heal {} => "heal",
        }
    }

    /// The entities the command names: (path of the field within the command, entity name,
    /// kinds it may be). One for most commands; every entity of a partition; none to heal.
    pub fn targets(&self) -> Vec<(String, &str, &'static [EntityKind])> {
        use EntityKind as K;
        fn one<'a>(
            field: &str,
            name: &'a str,
            kinds: &'static [EntityKind],
        ) -> Vec<(String, &'a str, &'static [EntityKind])> {
            vec![(field.to_string(), name, kinds)]
        }
        match self {
            Command::Publish { source, .. } => one("source", source, &[K::EventSource]),
            Command::Subscribe { listener, .. } | Command::Unsubscribe { listener, .. } => {
                one("listener", listener, &[K::Listener])
            }
            Command::Crash { entity } | Command::Restart { entity } => one(
                "entity",
                entity,
                &[
                    K::Service,
                    K::Broker,
                    K::Consumer,
                    K::ServiceRegistry,
                    K::Provider,
                    K::DiscoveryClient,
                ],
            ),
            Command::Request { client } => one("client", client, &[K::Client]),
            Command::Produce { producer, .. } => one("producer", producer, &[K::Producer]),
            Command::Join { consumer } | Command::Leave { consumer } => one("consumer", consumer, &[K::Consumer]),
            Command::Register { provider } | Command::Deregister { provider } => {
                one("provider", provider, &[K::Provider])
            }
            Command::Lookup { client, .. } | Command::Watch { client, .. } | Command::Call { client, .. } => {
                one("client", client, &[K::DiscoveryClient])
            }
            Command::Append { store, .. } => one("store", store, &[K::EventStore]),
            Command::RebuildProjection { projection } => one("projection", projection, &[K::Projection]),
            Command::FailOver { topic } => one("topic", topic, &[K::Topic]),
            Command::Partition { sides } => sides
                .iter()
                .enumerate()
                .flat_map(|(i, side)| {
                    side.iter()
                        .enumerate()
                        .map(move |(j, name)| (format!("sides[{i}][{j}]"), name.as_str(), NETWORKED))
                })
                .collect(),
            Command::Heal {} => vec![],
        }
    }
}

/// The kinds of entity that talk over a network, and so may be named in a partition (queues,
/// topics, exchanges and groups live on their broker; buses, sources, stores and projections are
/// in-process; a listener may be in another process, cut off from its bus).
pub const NETWORKED: &[EntityKind] = &[
    EntityKind::Broker,
    EntityKind::Producer,
    EntityKind::Consumer,
    EntityKind::Service,
    EntityKind::Client,
    EntityKind::ServiceRegistry,
    EntityKind::Provider,
    EntityKind::DiscoveryClient,
    EntityKind::Listener,
];

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Publish { source, event_type } => write!(f, "{source} publishes {event_type}"),
            Command::Subscribe { listener, event_type } => write!(f, "{listener} subscribes to {event_type}"),
            Command::Unsubscribe { listener, event_type } => write!(f, "{listener} unsubscribes from {event_type}"),
            Command::Crash { entity } => write!(f, "{entity} crashes"),
            Command::Restart { entity } => write!(f, "{entity} restarts"),
            Command::Request { client } => write!(f, "{client} sends a request"),
            Command::Produce { producer, .. } => write!(f, "{producer} publishes a message"),
            Command::Join { consumer } => write!(f, "{consumer} joins its group"),
            Command::Leave { consumer } => write!(f, "{consumer} leaves its group"),
            Command::Register { provider } => write!(f, "{provider} registers"),
            Command::Deregister { provider } => write!(f, "{provider} deregisters"),
            Command::Lookup { client, name } => write!(f, "{client} looks up {name}"),
            Command::Watch { client, name } => write!(f, "{client} watches {name}"),
            Command::Call {
                client,
                name,
                operation,
                ..
            } => write!(f, "{client} calls {name}.{operation}"),
            Command::Append {
                store,
                stream,
                event_type,
                ..
            } => write!(f, "{event_type} appended to {store}/{stream}"),
            Command::RebuildProjection { projection } => write!(f, "{projection} is rebuilt"),
            Command::FailOver { topic } => write!(f, "{topic}'s partition leaders fail over"),
            Command::Partition { sides } => {
                let sides: Vec<String> = sides.iter().map(|s| s.join(", ")).collect();
                write!(f, "the network splits: {}", sides.join(" | "))
            }
            Command::Heal {} => write!(f, "the network heals"),
        }
    }
}
