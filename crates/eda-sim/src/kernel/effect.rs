//! What one pattern asks of another: the only way patterns compose. A handler asks; the world
//! carries the effect out at the same instant, right after the handler returns.

use crate::kernel::ids::EventTypeId;

/// Something one pattern asks of another (composition), carried out at the same instant right
/// after the handler that asked for it returns, in the order asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// An event-bus source publishes an event of this type.
    PublishEvent { source: usize, event_type: EventTypeId },
    /// A broker producer publishes a message with this key and body.
    Produce {
        producer: usize,
        key: String,
        payload: serde_json::Map<String, serde_json::Value>,
    },
    /// An event store appends an event to a stream (no expected version).
    Append {
        store: usize,
        stream: String,
        event_type: String,
        data: serde_json::Map<String, serde_json::Value>,
    },
}
