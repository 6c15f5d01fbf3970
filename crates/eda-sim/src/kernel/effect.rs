//! What one pattern asks of another: the only way patterns compose. A handler asks; the world
//! carries the effect out at the same instant, right after the handler returns.

use crate::kernel::ids::EventTypeId;

/// An order service's outbox row, to be told whether the broker took its publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub service: usize,
    pub row: u64,
    /// Which publish of the row (its count of publishes so far).
    pub publish: u32,
}

/// Something one pattern asks of another (composition), carried out at the same instant right
/// after the handler that asked for it returns, in the order asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// An event-bus source publishes an event of this type.
    PublishEvent { source: usize, event_type: EventTypeId },
    /// A broker producer publishes a message with this key and body; `receipt`: whom to tell
    /// whether the broker took it (an outbox relay marks a row sent only then).
    Produce {
        producer: usize,
        key: String,
        payload: serde_json::Map<String, serde_json::Value>,
        receipt: Option<Receipt>,
    },
    /// An event store appends an event to a stream (no expected version).
    Append {
        store: usize,
        stream: String,
        event_type: String,
        data: serde_json::Map<String, serde_json::Value>,
    },
}
