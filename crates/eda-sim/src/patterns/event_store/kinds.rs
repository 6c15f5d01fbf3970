//! The kinds of entity of this pattern that the builder can add and edit, with their editable
//! fields, in the order the builder lists them.

use crate::kernel::kinds::{field, reference, FieldType, KindSpec};

pub static KINDS: &[KindSpec] = &[
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
            field!(
                "publish_to.link.loss_percent",
                "Link to the bus: loss (%)",
                FieldType::Count,
                true,
                "a bus in another process: share of appended events the link loses (never published); empty for none"
            ),
            field!(
                "publish_to.link.duplicate_percent",
                "Link to the bus: duplicates (%)",
                FieldType::Count,
                true,
                "share of appended events the link delivers twice (published twice); empty for none"
            ),
            field!(
                "publish_to.link.delay",
                "Link to the bus: extra delay",
                FieldType::Distribution,
                true,
                "how long publication takes on the way; empty for none"
            ),
            field!(
                "publish_to.link.reorder_window",
                "Link to the bus: reorder window",
                FieldType::Duration,
                true,
                "appended events sent closer than this may be published in the other order; empty for none"
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
