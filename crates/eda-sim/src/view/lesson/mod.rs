//! Guided lessons: a scenario and a list of steps, each with a few sentences, the diagram
//! elements it is about, a task, a goal the simulator checks from the run itself, hints, and
//! the moves that do the task (what "Show me" plays, and how a lesson is checked to work).
//! Lessons are data in the format documented in docs/lesson-format.md, so teachers can write
//! their own and share them as a file or a link.

mod builtin;
mod format;
mod goal;
mod link;
mod practice;

pub use builtin::{builtin, builtins, BUILTIN};
pub use format::{Lesson, LessonError, Move, RecordMatch, Step, LESSON_VERSION};
pub use goal::{number_text, record_line, time_text, Bound, Condition, Goal, GoalLine, Moment, Verdict};
pub use link::{decode_link, encode_link, encode_link_in, is_lesson_link, LessonLink, LESSON_LINK_PREFIX};
pub use practice::{check_lesson, find_record, Practice, StepCheck};

/// Most steps a lesson may have.
pub const STEPS_MAX: usize = 40;
/// Most moves one step's "Show me" may make.
pub const MOVES_PER_STEP_MAX: usize = 20;
/// Most hints one step may offer.
pub const HINTS_PER_STEP_MAX: usize = 10;
/// Deepest nesting of `all` and `any` in a goal.
pub const GOAL_DEPTH_MAX: usize = 4;
/// Most conditions one goal may have, nested ones included.
pub const GOAL_CONDITIONS_MAX: usize = 24;
/// Longest text (a title, a paragraph, a hint) in characters.
pub const TEXT_CHARS_MAX: usize = 2_000;
/// Most simulation events one move (or opening a step) may run: a lesson never freezes a tab.
pub const EVENTS_PER_MOVE_MAX: u64 = 5_000_000;
