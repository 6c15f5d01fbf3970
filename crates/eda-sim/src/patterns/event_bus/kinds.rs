//! The kinds of entity of this pattern that the builder can add and edit, with their editable
//! fields, in the order the builder lists them.

use crate::kernel::kinds::{field, reference, FieldType, KindSpec};

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
            field!(
                "link.loss_percent",
                "Link loss (%)",
                FieldType::Count,
                false,
                "a listener in another process: share of events the link from the bus loses"
            ),
            field!(
                "link.duplicate_percent",
                "Link duplicates (%)",
                FieldType::Count,
                false,
                "share of events the link delivers twice (the listener handles them twice)"
            ),
            field!(
                "link.delay",
                "Link extra delay",
                FieldType::Distribution,
                true,
                "added to the bus's dispatch delay; empty for none"
            ),
            field!(
                "link.reorder_window",
                "Link reorder window",
                FieldType::Duration,
                true,
                "events sent closer than this may arrive in the other order; empty for none"
            ),
        ],
    },
];
