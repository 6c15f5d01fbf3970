//! The kinds of entity of this pattern that the builder can add and edit, with their editable
//! fields, in the order the builder lists them.

use crate::kernel::kinds::{field, reference, FieldType, KindSpec, DISTRIBUTION_HELP};

pub static KINDS: &[KindSpec] = &[
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
            field!(
                "orders.idempotency_keys",
                "Idempotency keys",
                FieldType::Switch,
                true,
                "a retried or doubled POST /orders gets the order its first attempt created"
            ),
            field!(
                "orders.events",
                "Write and events (JSON)",
                FieldType::Json,
                true,
                "how the order's write and its events go together: empty (atomic), {\"dual_write\": {\"publish_time\": \"exp 20ms\"}}, {\"publish_first\": {\"commit_time\": \"20ms\"}} or {\"outbox\": {\"relay_interval\": \"200ms\", \"publish_time\": \"5ms\"}}"
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
            field!(
                "link.loss_percent",
                "Link loss (%)",
                FieldType::Count,
                false,
                "share of requests and answers the link to the service loses"
            ),
            field!(
                "link.duplicate_percent",
                "Link duplicates (%)",
                FieldType::Count,
                false,
                "share of requests and answers the link delivers twice"
            ),
            field!(
                "link.delay",
                "Link extra delay",
                FieldType::Distribution,
                true,
                "added to the network delay both ways; empty for none"
            ),
        ],
    },
];
