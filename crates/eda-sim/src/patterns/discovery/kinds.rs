//! The kinds of entity of this pattern that the builder can add and edit, with their editable
//! fields, in the order the builder lists them.

use crate::kernel::kinds::{field, reference, FieldType, KindSpec, DISTRIBUTION_HELP};

pub static KINDS: &[KindSpec] = &[
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
];
