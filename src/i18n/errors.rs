//! The core's errors in the reader's language: a broken link, a file that is not a scenario, a
//! lesson that cannot be opened, a run that stopped. The core says them in English for the CLI;
//! here each kind of error is a catalogue message, and a test keeps the English ones saying
//! what the core does. The problems a scenario's checks find keep the JSON path they name.

use crate::tr;
use eda_sim::kernel::error::SimError;
use eda_sim::scenario::FileError;
use eda_sim::view::lesson::LessonError;
use eda_sim::view::share::{LinkError, MAX_INFLATED_BYTES, MAX_LINK_BYTES};
use eda_sim::{Problem, ScenarioError};

/// A JSON parser's complaint, with where it is when the parser says so (`… at line 3 column 7`).
fn not_json(message: &str) -> String {
    let place = message.rsplit_once(" at line ").and_then(|(_, place)| {
        let (line, column) = place.split_once(" column ")?;
        Some((line.parse::<u64>().ok()?, column.trim().parse::<u64>().ok()?))
    });
    match place {
        Some((line, column)) if super::current() != super::Lang::En => {
            tr!("error-json-at", line = line, column = column)
        }
        _ => message.to_string(),
    }
}

/// One problem, after the JSON path it is at.
pub fn problem(p: &Problem) -> String {
    let message = super::problems::words(&p.message);
    if p.path.is_empty() {
        message
    } else {
        format!("{}: {message}", p.path)
    }
}

fn problems(list: &[Problem]) -> String {
    list.iter().map(problem).collect::<Vec<_>>().join("; ")
}

/// Why a scenario (a file's, a link's or an example's) cannot be loaded.
pub fn scenario(e: &ScenarioError) -> String {
    match e {
        ScenarioError::NotJson { message } => tr!("error-scenario-not-json", message = not_json(message)),
        ScenarioError::UnsupportedVersion { .. } | ScenarioError::Shape(_) => {
            tr!("error-scenario-unreadable", problem = problem(&e.problems()[0]))
        }
        ScenarioError::Invalid(list) => tr!(
            "error-scenario-problems",
            count = list.len(),
            problems = list.iter().map(|p| format!("\n  {}", problem(p))).collect::<String>()
        ),
    }
}

/// Why a file the user picked is not a scenario (or a lesson) to load.
pub fn file<E>(e: &FileError<E>, content: impl Fn(&E) -> String) -> String {
    match e {
        FileError::TooBig { size_bytes, what } => tr!(
            if *what == "lesson" {
                "error-file-too-big-lesson"
            } else {
                "error-file-too-big"
            },
            size = FileError::<E>::size_words(*size_bytes),
            limit = eda_sim::kernel::limits::MAX_SCENARIO_FILE_BYTES / 1024
        ),
        FileError::Unreadable => tr!("error-file-unreadable"),
        FileError::Empty => tr!("error-file-empty"),
        FileError::Content(e) => content(e),
    }
}

/// Why a scenario file cannot be loaded.
pub fn scenario_file(e: &FileError<ScenarioError>) -> String {
    file(e, |e| match e {
        ScenarioError::NotJson { message } => tr!("error-file-not-json", message = not_json(message)),
        other => scenario(other),
    })
}

/// Why a link does not open.
pub fn link(e: &LinkError) -> String {
    match e {
        LinkError::Empty => tr!("error-link-empty"),
        LinkError::TooLong { bytes } => tr!("error-link-too-long", bytes = *bytes, limit = MAX_LINK_BYTES),
        LinkError::NotOurFormat => tr!(
            "error-link-not-ours",
            version = eda_sim::view::share::LINK_VERSION,
            lesson = eda_sim::view::lesson::LESSON_LINK_PREFIX,
            comparison = eda_sim::view::compare::COMPARISON_LINK_PREFIX
        ),
        LinkError::FutureVersion { version } => tr!(
            "error-link-future",
            version = *version,
            newest = eda_sim::view::share::LINK_VERSION
        ),
        LinkError::UnknownVersion { text } => tr!("error-link-unknown-version", text = text.clone()),
        LinkError::BadBase64 { position, character } => {
            tr!(
                "error-link-base64",
                position = *position,
                character = character.to_string()
            )
        }
        LinkError::Truncated => tr!("error-link-truncated"),
        LinkError::Corrupt => tr!("error-link-corrupt"),
        LinkError::TooBig => tr!("error-link-too-big", limit = MAX_INFLATED_BYTES / 1024),
        LinkError::WrongChecksum { expected, found } => tr!(
            "error-link-checksum",
            expected = format!("{expected:08x}"),
            found = format!("{found:08x}")
        ),
        LinkError::NotJson { message } => tr!("error-link-not-json", message = not_json(message)),
        LinkError::InvalidScenario(list) => {
            tr!("error-link-problems", count = list.len(), problems = problems(list))
        }
        LinkError::UnknownLesson { id } => tr!("error-link-unknown-lesson", id = format!("{id:?}")),
        LinkError::InvalidLesson { message } => tr!("error-link-lesson", message = message.clone()),
        LinkError::NoSuchStep { step, steps } => tr!("error-link-no-step", step = *step, steps = *steps),
    }
}

/// Why a lesson file or link cannot be opened.
pub fn lesson(e: &LessonError) -> String {
    match e {
        LessonError::NotJson { message } => tr!("error-lesson-not-json", message = not_json(message)),
        LessonError::UnsupportedVersion { found } => tr!(
            "error-lesson-version",
            found = found.clone(),
            version = eda_sim::view::lesson::LESSON_VERSION
        ),
        LessonError::Invalid(list) => tr!("error-lesson-problems", count = list.len(), problems = problems(list)),
    }
}

/// Why a run stopped.
pub fn sim(e: &SimError) -> String {
    match e {
        SimError::TraceFull { limit } => tr!("error-sim-trace-full", limit = *limit),
        SimError::TooMuchRetained {
            entity,
            items,
            bytes,
            limit_bytes,
        } => tr!(
            "error-sim-retained",
            megabytes = bytes.div_ceil(1 << 20),
            limit = limit_bytes >> 20,
            entity = format!("{entity:?}"),
            items = *items
        ),
        SimError::TooManyPending { limit } => tr!("error-sim-pending", limit = *limit),
        SimError::UnknownEntity { name, expected } => tr!(
            "error-sim-unknown-entity",
            kind = super::core_words::kind_words(expected),
            name = format!("{name:?}")
        ),
        SimError::StuckAtInstant { at, limit } => {
            tr!("error-sim-stuck", at = at.to_string(), limit = *limit)
        }
        SimError::UnknownEventType { name } => tr!("error-sim-unknown-type", name = format!("{name:?}")),
        SimError::CannotCrash { name, kind } => tr!(
            "error-sim-cannot-crash",
            name = format!("{name:?}"),
            // English puts an article before the kind; Chinese has none.
            kind = if super::current() == super::Lang::En {
                format!("{} {kind}", eda_sim::kernel::entity::article(kind))
            } else {
                super::core_words::kind_words(kind)
            }
        ),
        SimError::NoFollowers { topic } => tr!("error-sim-no-followers", topic = format!("{topic:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{set, Lang};
    use super::*;

    /// In English, every error reads as the core words it.
    #[test]
    fn the_english_catalogue_words_every_error_as_the_core_does() {
        set(Lang::En);
        let problem = Problem {
            path: "broker.queues[0].capacity".into(),
            message: "must be at least 1".into(),
        };
        let links = [
            LinkError::Empty,
            LinkError::TooLong { bytes: 70_000 },
            LinkError::NotOurFormat,
            LinkError::FutureVersion { version: 9 },
            LinkError::UnknownVersion { text: "v0".into() },
            LinkError::BadBase64 {
                position: 12,
                character: '!',
            },
            LinkError::Truncated,
            LinkError::Corrupt,
            LinkError::TooBig,
            LinkError::WrongChecksum {
                expected: 0xabc,
                found: 0x12,
            },
            LinkError::NotJson {
                message: "expected value at line 1 column 1".into(),
            },
            LinkError::InvalidScenario(vec![problem.clone()]),
            LinkError::InvalidScenario(vec![problem.clone(), problem.clone()]),
            LinkError::UnknownLesson { id: "x".into() },
            LinkError::InvalidLesson {
                message: "the lesson is not JSON (oops).".into(),
            },
            LinkError::NoSuchStep { step: 4, steps: 1 },
            LinkError::NoSuchStep { step: 4, steps: 3 },
        ];
        for e in &links {
            assert_eq!(link(e), e.to_string());
        }
        let scenarios = [
            ScenarioError::NotJson {
                message: "EOF while parsing a value at line 1 column 0".into(),
            },
            ScenarioError::Shape(problem.clone()),
            ScenarioError::Invalid(vec![problem.clone()]),
            ScenarioError::Invalid(vec![problem.clone(), problem.clone()]),
        ];
        for e in &scenarios {
            assert_eq!(scenario(e), e.to_string());
        }
        for e in [
            FileError::TooBig {
                size_bytes: 3_000_000,
                what: "scenario",
            },
            FileError::TooBig {
                size_bytes: 600_000,
                what: "scenario",
            },
            FileError::Unreadable,
            FileError::Empty,
            FileError::Content(scenarios[0].clone()),
            FileError::Content(scenarios[2].clone()),
        ] {
            // As the core's `Scenario::from_file` words it.
            let english = match &e {
                FileError::Content(ScenarioError::NotJson { message }) => format!("it is not JSON ({message})."),
                other => other.to_string(),
            };
            assert_eq!(scenario_file(&e), english);
        }
        let lesson_file: FileError<LessonError> = FileError::TooBig {
            size_bytes: 5 << 20,
            what: "lesson",
        };
        assert_eq!(file(&lesson_file, lesson), lesson_file.to_string());
        for e in [
            LessonError::NotJson { message: "oops".into() },
            LessonError::UnsupportedVersion { found: "7".into() },
            LessonError::Invalid(vec![problem.clone(), problem]),
        ] {
            assert_eq!(lesson(&e), e.to_string());
        }
        for e in [
            SimError::TraceFull { limit: 10 },
            SimError::TooManyPending { limit: 10 },
            SimError::UnknownEntity {
                name: "q".into(),
                expected: "queue",
            },
            SimError::StuckAtInstant {
                at: eda_sim::SimTime(5),
                limit: 9,
            },
            SimError::UnknownEventType { name: "T".into() },
            SimError::CannotCrash {
                name: "x".into(),
                kind: "exchange",
            },
            SimError::NoFollowers { topic: "t".into() },
            SimError::TooMuchRetained {
                entity: "t".into(),
                items: 5,
                bytes: 3 << 20,
                limit_bytes: 256 << 20,
            },
        ] {
            assert_eq!(sim(&e), e.to_string());
        }
    }

    /// In Chinese, a parser's complaint says where, in Chinese.
    #[test]
    fn a_json_complaint_says_where_in_chinese() {
        set(Lang::Zh);
        let said = link(&LinkError::NotJson {
            message: "expected value at line 3 column 7".into(),
        });
        set(Lang::En);
        assert!(
            said.contains('3') && said.contains('7') && !said.contains("expected"),
            "{said}"
        );
    }
}
