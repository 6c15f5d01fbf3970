//! The built-in lessons, embedded at compile time from `docs/lessons/`, in the order the
//! playground offers them: the source article's path from synchronous calls to event sourcing,
//! then delivery guarantees.

use super::format::Lesson;

/// Every built-in lesson's JSON, in order.
pub const BUILTIN: &[&str] = &[
    include_str!("../../../../../docs/lessons/sync-vs-async.json"),
    include_str!("../../../../../docs/lessons/producers-consumers.json"),
    include_str!("../../../../../docs/lessons/competing-consumers.json"),
    include_str!("../../../../../docs/lessons/topics-keys-groups.json"),
    include_str!("../../../../../docs/lessons/event-bus.json"),
    include_str!("../../../../../docs/lessons/request-response.json"),
    include_str!("../../../../../docs/lessons/service-discovery.json"),
    include_str!("../../../../../docs/lessons/event-sourcing.json"),
    include_str!("../../../../../docs/lessons/delivery-guarantees.json"),
];

/// Every built-in lesson, in order (one that does not load is left out; a test checks they all do).
pub fn builtins() -> Vec<Lesson> {
    BUILTIN.iter().filter_map(|json| Lesson::from_json(json).ok()).collect()
}

/// The built-in lesson with this id.
pub fn builtin(id: &str) -> Option<Lesson> {
    // The id is read first, so that only the lesson asked for is checked in full.
    BUILTIN
        .iter()
        .find(|json| {
            serde_json::from_str::<serde_json::Value>(json)
                .ok()
                .is_some_and(|v| v.get("id").and_then(serde_json::Value::as_str) == Some(id))
        })
        .and_then(|json| Lesson::from_json(json).ok())
}
