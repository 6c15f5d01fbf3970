//! Every kind of entity the builder can add and edit, each pattern's own list in the order the
//! builder shows the patterns.

use crate::kernel::kinds::KindSpec;
use crate::patterns::{broker, discovery, event_bus, event_store, request_reply};

/// The patterns' kind lists, in the builder's order.
static BY_PATTERN: [&[KindSpec]; 5] = [
    event_bus::KINDS,
    broker::KINDS,
    request_reply::KINDS,
    discovery::KINDS,
    event_store::KINDS,
];

/// Every kind, in the order the builder lists them (grouped by pattern).
pub fn kinds() -> impl Iterator<Item = &'static KindSpec> + Clone {
    BY_PATTERN.iter().flat_map(|kinds| kinds.iter())
}
