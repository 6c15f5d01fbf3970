//! The event bus's records in words, for the event log and the inspector.

use crate::kernel::names::Names;
use crate::patterns::event_bus::BusRecord;

impl BusRecord {
    pub fn verb(&self) -> &'static str {
        match self {
            BusRecord::Published { .. } => "Published",
            BusRecord::Unrouted { .. } => "Unrouted",
            BusRecord::Dispatched { .. } => "Dispatched",
            BusRecord::Delivered { .. } => "Delivered",
            BusRecord::HandlingStarted { .. } => "Handling",
            BusRecord::Handled { .. } => "Handled",
            BusRecord::Subscribed { .. } => "Subscribed",
            BusRecord::Unsubscribed { .. } => "Unsubscribed",
            BusRecord::LinkLost { .. } => "Lost on the link",
            BusRecord::LinkDoubled { .. } => "Doubled on the link",
            BusRecord::Reordered { .. } => "Arrived out of order",
            BusRecord::HandledAgain { .. } => "Handled again",
            BusRecord::Unreachable { .. } => "Cut off by the partition",
        }
    }

    /// `OrderPaid #1`, or just the type for subscription changes.
    pub fn subject(&self, names: &dyn Names) -> String {
        let type_name = names.event_type_name(self.event_type());
        match self.event() {
            Some(id) => format!("{type_name} #{}", id.0),
            None => type_name.to_string(),
        }
    }
}
