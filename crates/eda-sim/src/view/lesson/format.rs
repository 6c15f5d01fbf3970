//! A lesson as written: its JSON shape, reading it (the scenario through the scenario loader, the
//! rest with serde), and every check a lesson file must pass before it is offered, each problem
//! with its JSON path.

use super::goal::Goal;
use super::{GOAL_CONDITIONS_MAX, GOAL_DEPTH_MAX, HINTS_PER_STEP_MAX, MOVES_PER_STEP_MAX, STEPS_MAX, TEXT_CHARS_MAX};
use crate::command::Command;
use crate::kernel::time::SimDuration;
use crate::scenario::{Problem, Scenario, ScenarioError};
use crate::view::builder;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The lesson format this build reads and writes.
pub const LESSON_VERSION: u32 = 1;

/// A guided lesson: a scenario and the steps that teach with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lesson {
    pub version: u32,
    /// Stable id: lowercase letters, digits and dashes (what links and completion are kept by).
    pub id: String,
    pub title: String,
    /// One or two sentences for the list of lessons.
    pub summary: String,
    pub scenario: Scenario,
    pub steps: Vec<Step>,
}

/// One step: what to read, what to look at, what to do, and how the simulator knows it is done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: String,
    /// A few sentences: the idea of this step.
    pub text: String,
    /// The entities the step is about: highlighted in the diagram.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlight: Vec<String>,
    /// What to do, in words.
    pub task: String,
    /// What the run must show for the step to be done.
    pub goal: Goal,
    /// Shown one at a time, on request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// The moves that do the task ("Show me"); a step opened by its link starts after the
    /// moves of every step before it.
    #[serde(default, rename = "do", skip_serializing_if = "Vec::is_empty")]
    pub moves: Vec<Move>,
}

/// One thing a user does in the playground, as a lesson writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Move {
    /// Type `to` into a field of an entity's properties (`workers`, `processing_time`…).
    Set { entity: String, field: String, to: String },
    /// Add an entity of a builder kind (`consumer`, `listener`…), wired to what is there.
    Add { kind: String, name: String },
    /// Run a command now (crash, restart, join, subscribe…), as the entity panels do.
    Command(Command),
    /// Move the run to this instant (forward, or back).
    RunTo(SimDuration),
    /// Open the newest record up to now that matches in the inspector (moving to it).
    Inspect(RecordMatch),
}

/// Which trace record is meant: every given part must match (the verb and the text
/// case-insensitively, the entity exactly).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordMatch {
    /// The record's verb as the event log shows it (`Appended`, `Delivered`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
    /// An entity the record is from or to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Text in the record's line (its verb, subject and entities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Why a lesson could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LessonError {
    /// The text is not JSON at all.
    NotJson { message: String },
    /// `version` is missing or not one this build reads.
    UnsupportedVersion { found: String },
    /// Read, but wrong: each problem with its JSON path.
    Invalid(Vec<Problem>),
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LessonError::NotJson { message } => write!(f, "the lesson is not JSON ({message})."),
            LessonError::UnsupportedVersion { found } => write!(
                f,
                "this playground reads lesson format {LESSON_VERSION}, not {found} (a lesson starts with \"version\": {LESSON_VERSION})."
            ),
            LessonError::Invalid(problems) => {
                let listed: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                let s = if problems.len() == 1 { "" } else { "s" };
                write!(f, "the lesson has {} problem{s}: {}.", problems.len(), listed.join("; "))
            }
        }
    }
}

impl std::error::Error for LessonError {}

/// A lesson without its scenario, as read by serde.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonRest {
    /// Checked before the rest is read.
    #[serde(rename = "version")]
    _version: Value,
    id: String,
    title: String,
    #[serde(default)]
    summary: String,
    steps: Vec<Step>,
}

impl Lesson {
    /// Reads a lesson file of `size_bytes` (`text`: `None` when unreadable), in the words Import
    /// uses for scenarios.
    pub fn from_file(size_bytes: u64, text: Option<&str>) -> Result<Lesson, String> {
        Lesson::read_file(size_bytes, text).map_err(|e| e.to_string())
    }

    /// [`Lesson::from_file`] with the reason as data, for callers that word it themselves.
    pub fn read_file(size_bytes: u64, text: Option<&str>) -> Result<Lesson, crate::scenario::FileError<LessonError>> {
        let text = crate::scenario::FileError::check(size_bytes, text, "lesson")?;
        Lesson::from_json(text).map_err(crate::scenario::FileError::Content)
    }

    /// Reads and checks a lesson from JSON text.
    pub fn from_json(text: &str) -> Result<Lesson, LessonError> {
        let value: Value = serde_json::from_str(text).map_err(|e| LessonError::NotJson { message: e.to_string() })?;
        crate::scenario::refuse_duplicate_keys(text).map_err(|e| LessonError::Invalid(e.problems()))?;
        Lesson::from_value(value)
    }

    /// Reads and checks a lesson from a parsed JSON document.
    pub fn from_value(value: Value) -> Result<Lesson, LessonError> {
        let Value::Object(mut map) = value else {
            return Err(invalid("", "a lesson is a JSON object"));
        };
        match map.get("version") {
            Some(Value::Number(n)) if n.as_u64() == Some(LESSON_VERSION as u64) => {}
            Some(other) => {
                return Err(LessonError::UnsupportedVersion {
                    found: other.to_string(),
                })
            }
            None => {
                return Err(invalid(
                    "version",
                    &format!("missing; a lesson starts with \"version\": {LESSON_VERSION}"),
                ))
            }
        }
        let scenario = map
            .remove("scenario")
            .ok_or_else(|| invalid("scenario", "missing; a lesson has the scenario it teaches with"))?;
        let scenario = Scenario::from_value(scenario).map_err(|e| scenario_problems(&e))?;
        let rest: LessonRest = serde_path_to_error::deserialize(Value::Object(map))
            .map_err(|e| invalid("", &crate::scenario::path_message(&e)))?;
        let lesson = Lesson {
            version: LESSON_VERSION,
            id: rest.id,
            title: rest.title,
            summary: rest.summary,
            scenario,
            steps: rest.steps,
        };
        let problems = lesson.problems();
        if problems.is_empty() {
            Ok(lesson)
        } else {
            Err(LessonError::Invalid(problems))
        }
    }

    /// The lesson as a file (pretty JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a lesson is always valid JSON")
    }

    /// Everything wrong with the lesson beyond its shape: bounds, empty texts, names that are
    /// not in the scenario (or added by an earlier step), fields and counters that do not exist.
    fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut problem = |path: String, message: String| out.push(Problem { path, message });
        if self.id.is_empty()
            || self.id.len() > 64
            || !self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            problem("id".into(), "1 to 64 lowercase letters, digits and dashes".into());
        }
        text_check(&mut problem, "title", &self.title, true);
        text_check(&mut problem, "summary", &self.summary, false);
        if self.steps.is_empty() || self.steps.len() > STEPS_MAX {
            problem(
                "steps".into(),
                format!("a lesson has 1 to {STEPS_MAX} steps, not {}", self.steps.len()),
            );
        }
        // Names known at each step: the scenario's, then those earlier steps add.
        let mut known: Vec<(String, &'static str)> = builder::items(&self.scenario)
            .iter()
            .map(|item| (item.name.clone(), item.kind.id))
            .collect();
        let start = crate::Sim::new(&self.scenario).map(|sim| sim.report()).ok();
        for (i, step) in self.steps.iter().enumerate().take(STEPS_MAX) {
            let at = format!("steps[{i}]");
            text_check(&mut problem, &format!("{at}.title"), &step.title, true);
            text_check(&mut problem, &format!("{at}.text"), &step.text, true);
            text_check(&mut problem, &format!("{at}.task"), &step.task, true);
            if step.hints.len() > HINTS_PER_STEP_MAX {
                problem(format!("{at}.hints"), format!("at most {HINTS_PER_STEP_MAX} hints"));
            }
            for (h, hint) in step.hints.iter().enumerate() {
                text_check(&mut problem, &format!("{at}.hints[{h}]"), hint, true);
            }
            for (h, name) in step.highlight.iter().enumerate() {
                if !known.iter().any(|(n, _)| n == name) {
                    problem(format!("{at}.highlight[{h}]"), format!("there is no entity {name:?}"));
                }
            }
            if step.moves.len() > MOVES_PER_STEP_MAX {
                problem(format!("{at}.do"), format!("at most {MOVES_PER_STEP_MAX} moves a step"));
            }
            for (m, one) in step.moves.iter().enumerate().take(MOVES_PER_STEP_MAX) {
                let path = format!("{at}.do[{m}]");
                match one {
                    Move::Set { entity, field, .. } => match known.iter().find(|(n, _)| n == entity) {
                        None => problem(format!("{path}.set.entity"), format!("there is no entity {entity:?}")),
                        Some((_, kind)) => {
                            if field_of(kind, field).is_none() {
                                problem(format!("{path}.set.field"), unknown_field(kind, field));
                            }
                        }
                    },
                    Move::Add { kind, name } => match builder::kind(kind) {
                        Some(spec) if spec.addable => {
                            if name.trim().is_empty() || known.iter().any(|(n, _)| n == name) {
                                problem(
                                    format!("{path}.add.name"),
                                    format!("{name:?} is empty or already taken"),
                                );
                            }
                            known.push((name.clone(), spec.id));
                        }
                        _ => problem(
                            format!("{path}.add.kind"),
                            format!("{kind:?} is not a kind that can be added ({})", addable_kinds()),
                        ),
                    },
                    Move::Inspect(wanted) => {
                        if wanted == &RecordMatch::default() {
                            problem(
                                format!("{path}.inspect"),
                                "name a verb, an entity or a text to look for".into(),
                            );
                        }
                    }
                    Move::Command(_) | Move::RunTo(_) => {}
                }
            }
            // The goal is checked after the step's moves: it may name what they added.
            let conditions = step.goal.conditions();
            if step.goal.depth() > GOAL_DEPTH_MAX || conditions > GOAL_CONDITIONS_MAX {
                problem(
                    format!("{at}.goal"),
                    format!(
                        "a goal has at most {GOAL_CONDITIONS_MAX} conditions, nested at most {GOAL_DEPTH_MAX} deep"
                    ),
                );
            } else {
                step.goal
                    .problems(&format!("{at}.goal"), &known, start.as_ref(), &mut problem);
            }
        }
        out
    }
}

/// The kind's field with this key.
pub(super) fn field_of(kind: &str, key: &str) -> Option<&'static builder::FieldSpec> {
    builder::kind(kind)?.fields.iter().find(|f| f.key == key)
}

/// "workers is not a field of a service (its fields: …)".
pub(super) fn unknown_field(kind: &str, key: &str) -> String {
    let fields: Vec<&str> = builder::kind(kind)
        .map(|k| k.fields.iter().map(|f| f.key).collect())
        .unwrap_or_default();
    format!("{key:?} is not a field of a {kind} (its fields: {})", fields.join(", "))
}

fn addable_kinds() -> String {
    builder::kinds()
        .filter(|k| k.addable)
        .map(|k| k.id)
        .collect::<Vec<_>>()
        .join(", ")
}

fn text_check(problem: &mut impl FnMut(String, String), path: &str, text: &str, required: bool) {
    if required && text.trim().is_empty() {
        problem(path.into(), "empty; write something here".into());
    } else if text.chars().count() > TEXT_CHARS_MAX {
        problem(path.into(), format!("longer than {TEXT_CHARS_MAX} characters"));
    }
}

fn invalid(path: &str, message: &str) -> LessonError {
    LessonError::Invalid(vec![Problem {
        path: path.into(),
        message: message.into(),
    }])
}

/// A scenario's problems, their paths under `scenario`.
fn scenario_problems(error: &ScenarioError) -> LessonError {
    LessonError::Invalid(error.problems_under("scenario"))
}
