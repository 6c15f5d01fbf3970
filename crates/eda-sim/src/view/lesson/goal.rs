//! A step's goal and how the simulator checks it: conditions on the run at the moment looked
//! at (its counters, the scenario's settings, the time reached, the record in the inspector),
//! combined with `all` and `any`. The verdict says, condition by condition, what the run shows
//! now, so "not yet" always comes with the reason.

use super::format::{field_of, unknown_field, RecordMatch};
use crate::kernel::report::Report;
use crate::kernel::time::{SimDuration, SimTime};
use crate::scenario::Scenario;
use crate::view::builder;
use crate::view::timeline::Timeline;
use crate::TraceRecord;
use serde::{Deserialize, Serialize};

/// What the run must show for a step to be done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Goal {
    /// Every condition holds.
    All(Vec<Goal>),
    /// At least one holds.
    Any(Vec<Goal>),
    /// The run stands at or after `at_least`, and at or before `at_most` (each if given).
    Time {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_least: Option<SimDuration>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_most: Option<SimDuration>,
    },
    /// A counter of an entity's report (as `eda run` prints it) is within bounds.
    Counter {
        entity: String,
        counter: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_least: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_most: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        equals: Option<f64>,
    },
    /// A field of an entity's properties is `is` as typed (a choice, a word), or within bounds
    /// (a number, or a duration in milliseconds).
    Setting {
        entity: String,
        field: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        is: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_least: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_most: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        equals: Option<f64>,
    },
    /// The inspector shows a record that matches.
    Inspected(RecordMatch),
}

/// Bounds on a number (a goal's `at_least`, `at_most` and `equals`): every one given must hold.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bound {
    pub at_least: Option<f64>,
    pub at_most: Option<f64>,
    pub equals: Option<f64>,
}

impl Bound {
    fn holds(&self, value: f64) -> bool {
        self.at_least.is_none_or(|least| value >= least)
            && self.at_most.is_none_or(|most| value <= most)
            && self.equals.is_none_or(|e| (value - e).abs() < 1e-9)
    }

    /// "at most 200", "at least 1 and at most 4", "0".
    pub fn text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(e) = self.equals {
            parts.push(number_text(e));
        }
        if let Some(least) = self.at_least {
            parts.push(format!("at least {}", number_text(least)));
        }
        if let Some(most) = self.at_most {
            parts.push(format!("at most {}", number_text(most)));
        }
        parts.join(" and ")
    }

    fn problem(&self) -> Option<String> {
        let all = [self.at_least, self.at_most, self.equals];
        if all.iter().all(Option::is_none) {
            return Some("give at_least, at_most or equals".into());
        }
        if all.iter().flatten().any(|n| !n.is_finite()) {
            return Some("bounds are finite numbers".into());
        }
        match (self.at_least, self.at_most) {
            (Some(least), Some(most)) if least > most => Some(format!("at_least {least} is over at_most {most}")),
            _ => None,
        }
    }
}

/// What a goal is checked against: the scenario, the run up to the moment looked at, and the
/// record open in the inspector (an index into the run's history).
pub struct Moment<'a> {
    pub scenario: &'a Scenario,
    pub timeline: &'a Timeline,
    pub inspected: Option<usize>,
}

/// One condition of a goal in words, with what the run shows now.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalLine {
    pub met: bool,
    /// 0 for the goal itself; one more inside each `all` or `any`.
    pub depth: usize,
    pub text: String,
    /// The same as data, for a page that words it in its reader's language.
    pub condition: Condition,
}

/// A condition of a goal and what the run shows now, as data ([`GoalLine::text`] in words).
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    All,
    Any,
    Time {
        at_least: Option<SimDuration>,
        at_most: Option<SimDuration>,
        now: SimTime,
    },
    Counter {
        entity: String,
        counter: String,
        bound: Bound,
        now: Option<f64>,
    },
    /// `label`: the field's label as the core names it; `now`: the field as its form shows it.
    Setting {
        entity: String,
        field: String,
        label: String,
        is: Option<String>,
        bound: Bound,
        now: String,
    },
    /// `shown`: the record open in the inspector, if any.
    Inspected {
        wanted: RecordMatch,
        shown: Option<usize>,
    },
}

/// A goal checked: met or not, and why, condition by condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub met: bool,
    pub lines: Vec<GoalLine>,
}

impl Goal {
    /// Checks the goal at `moment`.
    pub fn check(&self, moment: &Moment) -> Verdict {
        let report = moment.timeline.sim().report();
        let mut lines = Vec::new();
        let met = self.eval(moment, &report, 0, &mut lines);
        Verdict { met, lines }
    }

    fn eval(&self, moment: &Moment, report: &Report, depth: usize, lines: &mut Vec<GoalLine>) -> bool {
        let (met, text, condition) = match self {
            Goal::All(goals) | Goal::Any(goals) => {
                let at = lines.len();
                lines.push(GoalLine {
                    met: false,
                    depth,
                    text: String::new(),
                    condition: Condition::All,
                });
                let results: Vec<bool> = goals.iter().map(|g| g.eval(moment, report, depth + 1, lines)).collect();
                let (met, text, condition) = if matches!(self, Goal::All(_)) {
                    (results.iter().all(|r| *r), "All of these:", Condition::All)
                } else {
                    (results.iter().any(|r| *r), "One of these:", Condition::Any)
                };
                lines[at] = GoalLine {
                    met,
                    depth,
                    text: text.into(),
                    condition,
                };
                return met;
            }
            Goal::Time { at_least, at_most } => {
                let now = moment.timeline.sim().now();
                let met = at_least.is_none_or(|t| now >= SimTime(t.0)) && at_most.is_none_or(|t| now <= SimTime(t.0));
                let wanted = match (at_least, at_most) {
                    (Some(least), Some(most)) => {
                        format!("stands between {} and {}", time_text(least.0), time_text(most.0))
                    }
                    (Some(least), None) => format!("has reached {}", time_text(least.0)),
                    (None, Some(most)) => format!("stands at {} or before", time_text(most.0)),
                    (None, None) => "stands anywhere".into(),
                };
                (
                    met,
                    format!("the run {wanted} (now {})", time_text(now.0)),
                    Condition::Time {
                        at_least: *at_least,
                        at_most: *at_most,
                        now,
                    },
                )
            }
            Goal::Counter { entity, counter, .. } => {
                let bound = self.bound();
                let value = report.entity(entity).and_then(|e| e.number(counter));
                let now = value.map_or_else(|| "no figure yet".to_string(), number_text);
                (
                    value.is_some_and(|v| bound.holds(v)),
                    format!("{entity} {counter} is {} (now {now})", bound.text()),
                    Condition::Counter {
                        entity: entity.clone(),
                        counter: counter.clone(),
                        bound,
                        now: value,
                    },
                )
            }
            Goal::Setting { entity, field, is, .. } => {
                let (label, text, value) = setting(moment.scenario, entity, field);
                let now = if text.trim().is_empty() {
                    "not set".to_string()
                } else {
                    text.clone()
                };
                let bound = self.bound();
                let condition = Condition::Setting {
                    entity: entity.clone(),
                    field: field.clone(),
                    label: label.clone(),
                    is: is.clone(),
                    bound,
                    now: text.trim().to_string(),
                };
                match is {
                    Some(wanted) => (
                        text.trim().eq_ignore_ascii_case(wanted.trim()),
                        format!("{entity}'s {label} is {wanted} (now {now})"),
                        condition,
                    ),
                    None => (
                        value.is_some_and(|v| bound.holds(v)),
                        format!("{entity}'s {label} is {} (now {now})", bound.text()),
                        condition,
                    ),
                }
            }
            Goal::Inspected(wanted) => {
                let timeline = moment.timeline;
                let shown = moment.inspected.and_then(|i| timeline.record(i));
                let met = shown.is_some_and(|r| wanted.matches(timeline.sim(), r));
                let now = match shown {
                    Some(record) => format!("it shows {}", record_line(timeline.sim(), record)),
                    None => "nothing is open in it".into(),
                };
                (
                    met,
                    format!("the inspector shows {} (now {now})", wanted.text()),
                    Condition::Inspected {
                        wanted: wanted.clone(),
                        shown: moment.inspected.filter(|_| shown.is_some()),
                    },
                )
            }
        };
        lines.push(GoalLine {
            met,
            depth,
            text,
            condition,
        });
        met
    }

    /// The bounds of a counter or setting condition (none for the others).
    pub fn bound(&self) -> Bound {
        match *self {
            Goal::Counter {
                at_least,
                at_most,
                equals,
                ..
            }
            | Goal::Setting {
                at_least,
                at_most,
                equals,
                ..
            } => Bound {
                at_least,
                at_most,
                equals,
            },
            _ => Bound::default(),
        }
    }

    /// How deep `all` and `any` nest (a single condition: 1).
    pub fn depth(&self) -> usize {
        match self {
            Goal::All(goals) | Goal::Any(goals) => 1 + goals.iter().map(Goal::depth).max().unwrap_or(0),
            _ => 1,
        }
    }

    /// How many conditions, nested ones included.
    pub fn conditions(&self) -> usize {
        match self {
            Goal::All(goals) | Goal::Any(goals) => 1 + goals.iter().map(Goal::conditions).sum::<usize>(),
            _ => 1,
        }
    }

    /// Names and bounds that cannot work: entities not `known`, counters the entity does not
    /// report at the start (`start`), fields its kind does not have.
    pub(super) fn problems(
        &self,
        path: &str,
        known: &[(String, &'static str)],
        start: Option<&Report>,
        problem: &mut impl FnMut(String, String),
    ) {
        let kind_of = |name: &str| known.iter().find(|(n, _)| n == name).map(|(_, k)| *k);
        match self {
            Goal::All(goals) | Goal::Any(goals) => {
                let word = if matches!(self, Goal::All(_)) { "all" } else { "any" };
                if goals.is_empty() {
                    problem(format!("{path}.{word}"), "list at least one condition".into());
                }
                for (i, goal) in goals.iter().enumerate() {
                    goal.problems(&format!("{path}.{word}[{i}]"), known, start, problem);
                }
            }
            Goal::Time { at_least, at_most } => match (at_least, at_most) {
                (None, None) => problem(format!("{path}.time"), "give at_least, at_most or both".into()),
                (Some(least), Some(most)) if least > most => problem(
                    format!("{path}.time"),
                    format!("at_least {least} is after at_most {most}"),
                ),
                _ => {}
            },
            Goal::Inspected(_) => {}
            Goal::Counter { entity, counter, .. } => {
                if let Some(why) = self.bound().problem() {
                    problem(format!("{path}.counter"), why);
                }
                match (kind_of(entity), start.and_then(|r| r.entity(entity))) {
                    (None, _) => problem(
                        format!("{path}.counter.entity"),
                        format!("there is no entity {entity:?}"),
                    ),
                    (Some(_), Some(reported)) if !reported.counters.contains_key(counter) => {
                        let names: Vec<&str> = reported.counters.keys().map(String::as_str).collect();
                        problem(
                            format!("{path}.counter.counter"),
                            format!("{entity} has no counter {counter:?} (it has {})", names.join(", ")),
                        )
                    }
                    _ => {}
                }
            }
            Goal::Setting { entity, field, is, .. } => {
                let bound = self.bound();
                let bounded = bound.at_least.is_some() || bound.at_most.is_some() || bound.equals.is_some();
                match (is, bound.problem()) {
                    (Some(_), _) if bounded => {
                        problem(format!("{path}.setting"), "give either is or bounds, not both".into())
                    }
                    (None, Some(why)) => problem(format!("{path}.setting"), why),
                    _ => {}
                }
                match kind_of(entity) {
                    None => problem(
                        format!("{path}.setting.entity"),
                        format!("there is no entity {entity:?}"),
                    ),
                    Some(kind) if field_of(kind, field).is_none() => {
                        problem(format!("{path}.setting.field"), unknown_field(kind, field))
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

impl RecordMatch {
    /// Whether `record` is the one meant.
    pub fn matches(&self, sim: &crate::Sim, record: &TraceRecord) -> bool {
        let verb = record.kind.verb();
        let (from, to) = record.kind.endpoints();
        let from = sim.entity_name(from);
        let to = to.map(|t| sim.entity_name(t)).unwrap_or("");
        self.verb.as_deref().is_none_or(|v| v.eq_ignore_ascii_case(verb))
            && self.entity.as_deref().is_none_or(|e| e == from || e == to)
            && self
                .text
                .as_deref()
                .is_none_or(|text| record_line(sim, record).to_lowercase().contains(&text.to_lowercase()))
    }

    /// "an Appended record of profiles mentioning \"EmailChanged\"".
    pub fn text(&self) -> String {
        let mut out = match &self.verb {
            Some(verb) if verb.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) => {
                format!("an {verb} record")
            }
            Some(verb) => format!("a {verb} record"),
            None => "a record".to_string(),
        };
        if let Some(entity) = &self.entity {
            out.push_str(&format!(" of {entity}"));
        }
        if let Some(text) = &self.text {
            out.push_str(&format!(" mentioning \"{text}\""));
        }
        out
    }
}

/// A record as one line: `Appended user-42 v7 EmailChanged (profiles)`.
pub fn record_line(sim: &crate::Sim, record: &TraceRecord) -> String {
    let (from, to) = record.kind.endpoints();
    let route = match to {
        Some(to) => format!("{} → {}", sim.entity_name(from), sim.entity_name(to)),
        None => sim.entity_name(from).to_string(),
    };
    format!("{} {} ({route})", record.kind.verb(), record.kind.subject(sim))
}

/// A field's label, its text as its form shows it, and its value as a number (a duration in
/// milliseconds, an exponential one by its mean), if it has one.
fn setting(scenario: &Scenario, entity: &str, key: &str) -> (String, String, Option<f64>) {
    let Some(kind) = builder::kind_of(scenario, entity) else {
        return (key.to_string(), String::new(), None);
    };
    let Some(at) = kind.fields.iter().position(|f| f.key == key) else {
        return (key.to_string(), String::new(), None);
    };
    let fields = builder::entity_fields(scenario, kind, entity);
    let text = fields.get(at).map(|f| f.text.clone()).unwrap_or_default();
    let value = builder::typed_number(&text).or_else(|| {
        let spread = text.trim().trim_start_matches("exp ").trim();
        spread.parse::<SimDuration>().ok().map(|d| d.0 as f64 / 1_000.0)
    });
    (kind.fields[at].label.to_lowercase(), text, value)
}

/// `1234.5`, `4`, `0.625`.
pub fn number_text(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `300 ms`, `60 s`, `5 min`, `1.5 d`: the largest unit of which there are at least two.
pub fn time_text(us: u64) -> String {
    let seconds = us as f64 / 1e6;
    let (value, unit) = match seconds {
        s if s < 1.0 => (s * 1_000.0, "ms"),
        s if s < 120.0 => (s, "s"),
        s if s < 7_200.0 => (s / 60.0, "min"),
        s if s < 172_800.0 => (s / 3_600.0, "h"),
        s => (s / 86_400.0, "d"),
    };
    format!("{} {unit}", number_text(value))
}
