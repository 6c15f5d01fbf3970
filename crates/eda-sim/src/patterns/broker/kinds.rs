//! The kinds of entity of this pattern that the builder can add and edit, with their editable
//! fields, in the order the builder lists them.

use crate::kernel::kinds::{field, reference, FieldType, KindSpec, DISTRIBUTION_HELP};

pub static KINDS: &[KindSpec] = &[
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
            field!(
                "consumer_timeout",
                "Consumer timeout",
                FieldType::Duration,
                true,
                "a delivery unacknowledged this long closes its consumer's channel and is redelivered; empty: wait forever"
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
        fields: &[
            field!(
                "partitions",
                "Partitions",
                FieldType::Count,
                false,
                "records with the same key go to the same partition"
            ),
            field!(
                "replicas",
                "Replicas",
                FieldType::Count,
                true,
                "copies of each partition, a leader and its followers (1 to 7); empty for 1"
            ),
            field!(
                "replication_delay",
                "Replication delay",
                FieldType::Distribution,
                true,
                "how long followers take to copy a record (consumers read only what all have); empty for 2ms"
            ),
        ],
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
            field!(
                "acks",
                "Acks",
                FieldType::Choice(&["all", "leader", "none"]),
                false,
                "acknowledged once every replica has it, once the leader has, or never (queues: publisher confirms)"
            ),
            field!(
                "retries",
                "Retries",
                FieldType::Count,
                true,
                "times a message not acknowledged within the request timeout is sent again; empty for none"
            ),
            field!(
                "request_timeout",
                "Request timeout",
                FieldType::Duration,
                true,
                "how long to wait for an acknowledgement before retrying; empty for 1 s"
            ),
            field!(
                "idempotent",
                "Idempotent producer",
                FieldType::Switch,
                true,
                "the broker discards copies its retries make (producer id and sequence; needs acks all)"
            ),
            field!(
                "link.loss_percent",
                "Link loss (%)",
                FieldType::Count,
                false,
                "share of messages and acks the link to the broker loses"
            ),
            field!(
                "link.duplicate_percent",
                "Link duplicates (%)",
                FieldType::Count,
                false,
                "share of records and acks the link delivers twice"
            ),
            field!(
                "link.delay",
                "Link extra delay",
                FieldType::Distribution,
                true,
                "added to the broker's network delay; empty for none"
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
            field!(
                "guarantee",
                "Delivery guarantee",
                FieldType::Choice(&["at_least_once", "at_most_once", "idempotent", "transactional"]),
                false,
                "at-least-once: ack or commit after processing; at-most-once: auto-ack on sending, or commit on fetching; idempotent: at-least-once with a dedupe store; transactional: group members writing to a topic commit those records and their offsets together"
            ),
            field!(
                "writes_to",
                "Writes to topic",
                reference!(["topic"], false, true, "writes to"),
                true,
                "group members: write each processed record to this topic (read-process-write)"
            ),
            field!(
                "isolation",
                "Isolation",
                FieldType::Choice(&["read_uncommitted", "read_committed"]),
                false,
                "group members: read committed waits before records of open transactions and skips those of aborted ones"
            ),
            field!(
                "dedupe_window",
                "Dedupe window",
                FieldType::Count,
                true,
                "idempotent consumers: message ids the store remembers (shared by the queue or group); empty for 10,000"
            ),
            field!(
                "dedupe_on",
                "Dedupe on field",
                FieldType::Text,
                true,
                "idempotent consumers: key the store on this body field (e.g. event_id) instead of the message id"
            ),
            field!(
                "sum_field",
                "Adds up field",
                FieldType::Text,
                true,
                "a numeric body field to total (e.g. amount), shown beside what its queue accepted or its topic's producers count as written"
            ),
            field!(
                "link.loss_percent",
                "Link loss (%)",
                FieldType::Count,
                false,
                "share of deliveries and acks the link to the broker loses"
            ),
            field!(
                "link.duplicate_percent",
                "Link duplicates (%)",
                FieldType::Count,
                false,
                "share of deliveries and acks the link delivers twice"
            ),
            field!(
                "link.delay",
                "Link extra delay",
                FieldType::Distribution,
                true,
                "added to the broker's network delay; empty for none"
            ),
            field!(
                "link.reorder_window",
                "Link reorder window",
                FieldType::Duration,
                true,
                "messages sent closer than this may arrive in the other order; empty for none"
            ),
        ],
    },
];
