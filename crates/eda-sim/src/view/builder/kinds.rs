//! Every kind of entity the builder can add and edit, with its editable fields, grouped by
//! pattern in the order the builder lists them.

use super::{FieldSpec, FieldType, KindSpec, Reference};

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
