//! Built-in scenarios, embedded at compile time from `static/scenarios/`, so the UI, the tests
//! and any future CLI run exactly the same inputs.

/// The seed's Java example: order state changes published on an event bus, an SMS listener.
pub const ORDER_EVENTS_SMS: &str = include_str!("../../../static/scenarios/order-events-sms.json");
