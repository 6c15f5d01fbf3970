//! Checking a scenario: every problem with the JSON path of the value at fault, every entity id
//! claimed once in one namespace, references checked against what they must name, and the
//! common checks of names, durations, distributions and streams.

use crate::kernel::entity::{article, EntityKind};
use crate::kernel::limits::{MAX_DURATION_US, MAX_NAME_BYTES, MAX_RUN_US};
use crate::kernel::rng::Distribution;
use crate::kernel::stream::StreamSpec;
use crate::kernel::time::SimDuration;
use serde::Serialize;
use std::fmt;

/// One thing wrong with a scenario, located by its JSON path (`event_bus.listeners[0].bus`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Collects the problems of a scenario and knows every entity id, for checking references.
#[derive(Debug, Default)]
pub struct Validator {
    problems: Vec<Problem>,
    kinds: litemap::LiteMap<String, EntityKind>,
}

impl Validator {
    pub fn report(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    /// Declares an entity id (first pass); reports bad or duplicate names.
    pub fn claim(&mut self, path: String, id: &str, kind: EntityKind) {
        if let Some(message) = name_problem(id) {
            self.report(path, message);
        } else if let Some(existing) = self.kinds.get(id) {
            let label = existing.label();
            let message = format!("id {id:?} is already used by {} {label}", article(label));
            self.report(path, message);
        } else {
            self.kinds.insert(id.to_string(), kind);
        }
    }

    /// How many entity ids have been claimed.
    pub fn claimed(&self) -> usize {
        self.kinds.len()
    }

    /// The kind of the entity called `name`, if any.
    pub fn kind_of(&self, name: &str) -> Option<EntityKind> {
        self.kinds.get(name).copied()
    }

    /// Checks that `name` refers to an entity of one of `kinds`.
    pub fn expect(&mut self, path: String, name: &str, kinds: &[EntityKind]) {
        let wanted = kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(" or ");
        match self.kind_of(name) {
            Some(kind) if kinds.contains(&kind) => {}
            Some(kind) => {
                let label = kind.label();
                let message = format!(
                    "{name:?} is {} {label}, not {} {wanted}",
                    article(label),
                    article(&wanted)
                );
                self.report(path, message)
            }
            None => self.report(path, format!("unknown {wanted} {:?}", name)),
        }
    }

    /// Checks a distribution's bounds; `is_gap` refuses one that is always zero.
    pub fn distribution(&mut self, path: String, d: &Distribution, is_gap: bool) {
        let (low, high) = match *d {
            Distribution::Constant(x) => (x, x),
            Distribution::Uniform { min, max } => (min, max),
            Distribution::Exponential { mean } => (mean, mean),
        };
        if low > high {
            self.report(path.clone(), format!("uniform min {low} is greater than max {high}"));
        }
        if high.0 > MAX_DURATION_US {
            self.report(
                path.clone(),
                format!("{high} is longer than the longest allowed span (1 day)"),
            );
        }
        if is_gap && d.is_always_zero() {
            self.report(
                path,
                "a gap of zero would repeat forever at one instant; use at least 1us",
            );
        }
    }

    /// Checks a stream: a gap that is never zero, a start within the longest span.
    pub fn stream(&mut self, path: &str, stream: &StreamSpec) {
        self.distribution(format!("{path}.every"), &stream.every, true);
        if let Some(start) = stream.start {
            self.duration(format!("{path}.start"), start);
        }
    }

    /// Checks a single duration against the longest allowed span.
    pub fn duration(&mut self, path: String, d: SimDuration) {
        if d.0 > MAX_DURATION_US {
            self.report(path, format!("{d} is longer than the longest allowed span (1 day)"));
        }
    }

    /// Checks an instant of the run (a script entry's time, the run's length) against the
    /// latest one a run may reach, so that no time adds up past what the clock can hold.
    pub fn instant(&mut self, path: String, at: SimDuration) {
        if at.0 > MAX_RUN_US {
            self.report(path, format!("{at} lies past the longest run (10 years)"));
        }
    }

    /// Checks a name that is not an entity id (an event type, a stream, a service name).
    pub fn name(&mut self, path: String, name: &str) {
        if let Some(message) = name_problem(name) {
            self.report(path, message);
        }
    }

    /// Every problem reported, or nothing wrong.
    pub fn finish(self) -> Result<(), Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.problems)
        }
    }
}

/// What is wrong with a name, if anything.
pub fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        Some("must not be empty".into())
    } else if name.len() > MAX_NAME_BYTES {
        Some(format!(
            "is {} bytes long; at most {MAX_NAME_BYTES} are allowed",
            name.len()
        ))
    } else if name.chars().any(|c| c.is_control()) {
        Some("must not contain control characters".into())
    } else {
        name.chars().find(|&c| is_invisible(c)).map(|c| {
            format!(
                "must not contain invisible or text-direction characters (it has U+{:04X})",
                c as u32
            )
        })
    }
}

/// Characters that show nothing or change the direction of the text around them, so that two
/// names that look alike could differ: soft hyphen, zero-width space, the bidirectional marks,
/// embeddings, overrides and isolates, word joiner and invisible operators, byte-order mark,
/// the Hangul fillers, and tags. Zero-width joiner and non-joiner and the variation selectors
/// stay allowed: emoji and Persian or Indic names need them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'
            | '\u{200E}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}
