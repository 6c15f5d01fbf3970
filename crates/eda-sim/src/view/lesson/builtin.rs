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

/// Every built-in lesson, in order, read and checked once (one that does not load is left out;
/// a test checks they all do): the list of lessons is drawn on every redraw, and links name
/// built-in lessons by id.
pub fn builtins() -> &'static [Lesson] {
    static LESSONS: std::sync::OnceLock<Vec<Lesson>> = std::sync::OnceLock::new();
    LESSONS.get_or_init(|| BUILTIN.iter().filter_map(|json| Lesson::from_json(json).ok()).collect())
}

/// The built-in lesson with this id.
pub fn builtin(id: &str) -> Option<Lesson> {
    builtins().iter().find(|lesson| lesson.id == id).cloned()
}
