//! What the event bus writes in the trace: one record per step of an event's life (published,
//! dispatched, delivered, handled) and per subscription change, with the words the log shows.

use crate::kernel::ids::{EntityId, EventId, EventTypeId};
use crate::kernel::time::SimTime;
use serde::Serialize;

/// What the event bus records in the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BusRecord {
    /// A source handed an event to a bus, which addressed it to `recipients` listeners.
    Published {
        event: EventId,
        event_type: EventTypeId,
        source: EntityId,
        bus: EntityId,
        recipients: u32,
    },
    /// A published event matched no subscription: recorded, never lost silently.
    Unrouted {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
    },
    /// The bus sent a copy of the event towards a listener; it arrives at `arrives_at`.
    Dispatched {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
        listener: EntityId,
        arrives_at: SimTime,
    },
    /// The copy reached the listener's inbox; `queue_len` messages now wait there.
    Delivered {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
        listener: EntityId,
        queue_len: u32,
    },
    /// The listener took the event out of its inbox and began processing it.
    HandlingStarted {
        event: EventId,
        event_type: EventTypeId,
        listener: EntityId,
    },
    /// The listener finished processing the event (e.g. the SMS was sent).
    Handled {
        event: EventId,
        event_type: EventTypeId,
        listener: EntityId,
    },
    /// The listener now receives events of this type and of all its subtypes.
    Subscribed {
        listener: EntityId,
        event_type: EventTypeId,
    },
    /// The listener no longer receives events through this subscription.
    Unsubscribed {
        listener: EntityId,
        event_type: EventTypeId,
    },
    // A listener's faulty link (issue #15). New records go last: a record's variant index is
    // part of the trace hash.
    /// The link from the bus lost the copy: the listener never hears of the event.
    LinkLost {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
        listener: EntityId,
    },
    /// The link delivers the copy twice.
    LinkDoubled {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
        listener: EntityId,
    },
    /// The copy arrived after one the bus sent later.
    Reordered {
        event: EventId,
        event_type: EventTypeId,
        listener: EntityId,
    },
    /// The listener finished handling the link's second copy: the event was handled twice.
    HandledAgain {
        event: EventId,
        event_type: EventTypeId,
        listener: EntityId,
    },
    /// A network partition between the bus and the listener stopped the copy.
    Unreachable {
        event: EventId,
        event_type: EventTypeId,
        bus: EntityId,
        listener: EntityId,
    },
}

impl BusRecord {
    /// The published event this record is about, if any.
    pub fn event(&self) -> Option<EventId> {
        match *self {
            BusRecord::Published { event, .. }
            | BusRecord::Unrouted { event, .. }
            | BusRecord::Dispatched { event, .. }
            | BusRecord::Delivered { event, .. }
            | BusRecord::HandlingStarted { event, .. }
            | BusRecord::Handled { event, .. }
            | BusRecord::LinkLost { event, .. }
            | BusRecord::LinkDoubled { event, .. }
            | BusRecord::Reordered { event, .. }
            | BusRecord::HandledAgain { event, .. }
            | BusRecord::Unreachable { event, .. } => Some(event),
            BusRecord::Subscribed { .. } | BusRecord::Unsubscribed { .. } => None,
        }
    }

    pub fn event_type(&self) -> EventTypeId {
        match *self {
            BusRecord::Published { event_type, .. }
            | BusRecord::Unrouted { event_type, .. }
            | BusRecord::Dispatched { event_type, .. }
            | BusRecord::Delivered { event_type, .. }
            | BusRecord::HandlingStarted { event_type, .. }
            | BusRecord::Handled { event_type, .. }
            | BusRecord::Subscribed { event_type, .. }
            | BusRecord::Unsubscribed { event_type, .. }
            | BusRecord::LinkLost { event_type, .. }
            | BusRecord::LinkDoubled { event_type, .. }
            | BusRecord::Reordered { event_type, .. }
            | BusRecord::HandledAgain { event_type, .. }
            | BusRecord::Unreachable { event_type, .. } => event_type,
        }
    }

    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            BusRecord::Published { source, bus, .. } => (source, Some(bus)),
            BusRecord::Unrouted { bus, .. } => (bus, None),
            BusRecord::Dispatched { bus, listener, .. }
            | BusRecord::Delivered { bus, listener, .. }
            | BusRecord::LinkLost { bus, listener, .. }
            | BusRecord::LinkDoubled { bus, listener, .. }
            | BusRecord::Unreachable { bus, listener, .. } => (bus, Some(listener)),
            BusRecord::Reordered { listener, .. } | BusRecord::HandledAgain { listener, .. } => (listener, None),
            BusRecord::HandlingStarted { listener, .. }
            | BusRecord::Handled { listener, .. }
            | BusRecord::Subscribed { listener, .. }
            | BusRecord::Unsubscribed { listener, .. } => (listener, None),
        }
    }
}
