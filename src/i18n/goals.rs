//! A lesson goal's lines in the reader's language: each condition and what the run shows now.
//! The core words them in English (`eda lesson` prints that) and gives each as data too; a
//! test keeps the English catalogue saying exactly what the core says, over every line of
//! every built-in lesson, before and after its moves.

use super::{current, Lang};
use crate::tr;
use eda_sim::view::lesson::{number_text, time_text, Bound, Condition, GoalLine, RecordMatch};
use eda_sim::view::timeline::Timeline;
use eda_sim::Scenario;

/// `at most 200`, `at least 1 and at most 4`, `0`.
fn bound(b: &Bound) -> String {
    let mut parts = Vec::new();
    if let Some(e) = b.equals {
        parts.push(number_text(e));
    }
    if let Some(least) = b.at_least {
        parts.push(tr!("goal-at-least", value = number_text(least)));
    }
    if let Some(most) = b.at_most {
        parts.push(tr!("goal-at-most", value = number_text(most)));
    }
    parts.join(&tr!("goal-and"))
}

/// The record a goal asks for (`an Appended record of profiles mentioning "EmailChanged"`).
fn wanted(m: &RecordMatch) -> String {
    let verb = m.verb.as_deref().map(super::records::verb_words);
    // English chooses its article by the verb's first letter.
    let an = m
        .verb
        .as_deref()
        .is_some_and(|v| v.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']));
    let mut out = match verb {
        Some(verb) => tr!(if an { "goal-an-record" } else { "goal-a-record" }, verb = verb),
        None => tr!("goal-any-record"),
    };
    if let Some(entity) = &m.entity {
        out = tr!("goal-record-of", record = out, entity = entity.clone());
    }
    if let Some(text) = &m.text {
        out = tr!("goal-record-mentioning", record = out, text = text.clone());
    }
    out
}

/// A record as one line: `Appended user-42 v7 EmailChanged (profiles)`.
fn record_line(timeline: &Timeline, index: usize) -> Option<String> {
    let sim = timeline.sim();
    let record = timeline.record(index)?;
    let (from, to) = record.kind.endpoints();
    let route = match to {
        Some(to) => format!("{} → {}", sim.entity_name(from), sim.entity_name(to)),
        None => sim.entity_name(from).to_string(),
    };
    Some(format!(
        "{} {} ({route})",
        super::records::verb(&record.kind),
        super::records::subject(&record.kind, sim)
    ))
}

/// One line of a goal's verdict in the reader's language.
pub fn line(line: &GoalLine, scenario: &Scenario, timeline: &Timeline) -> String {
    match &line.condition {
        Condition::All => tr!("goal-all"),
        Condition::Any => tr!("goal-any"),
        Condition::Time { at_least, at_most, now } => {
            let wanted = match (at_least, at_most) {
                (Some(least), Some(most)) => {
                    tr!(
                        "goal-time-between",
                        least = time_text(least.0),
                        most = time_text(most.0)
                    )
                }
                (Some(least), None) => tr!("goal-time-reached", least = time_text(least.0)),
                (None, Some(most)) => tr!("goal-time-before", most = time_text(most.0)),
                (None, None) => tr!("goal-time-anywhere"),
            };
            tr!("goal-time", wanted = wanted, now = time_text(now.0))
        }
        Condition::Counter {
            entity,
            counter,
            bound: b,
            now,
        } => {
            // English names the counter as `eda run --json` does; other languages in words.
            let counter = if current() == Lang::En {
                counter.clone()
            } else {
                super::core_words::counter(counter)
            };
            tr!(
                "goal-counter",
                entity = entity.clone(),
                counter = counter,
                bound = bound(b),
                now = now.map_or_else(|| tr!("goal-no-figure"), number_text)
            )
        }
        Condition::Setting {
            entity,
            field,
            label,
            is,
            bound: b,
            now,
        } => {
            let label = eda_sim::view::builder::kind_of(scenario, entity)
                .and_then(|kind| {
                    let spec = kind.fields.iter().find(|f| f.key == field.as_str())?;
                    Some(super::field_label(kind, spec).to_lowercase())
                })
                .unwrap_or_else(|| label.clone());
            tr!(
                "goal-setting",
                entity = entity.clone(),
                label = label,
                wanted = is.clone().unwrap_or_else(|| bound(b)),
                now = if now.is_empty() {
                    tr!("goal-not-set")
                } else {
                    now.clone()
                }
            )
        }
        Condition::Inspected { wanted: m, shown } => {
            let now = shown
                .and_then(|i| record_line(timeline, i))
                .map_or_else(|| tr!("goal-nothing-open"), |r| tr!("goal-it-shows", record = r));
            tr!("goal-inspected", wanted = wanted(m), now = now)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::set;
    use super::*;
    use eda_sim::view::lesson::{builtins, Moment, Practice};

    /// Every line of every built-in lesson's goals, before and after each step's moves, reads
    /// in English as the core words it, and in Chinese differently.
    #[test]
    fn the_english_catalogue_words_every_goal_line_as_the_core_does() {
        for lesson in builtins() {
            for step in 0..lesson.steps.len() {
                let mut practice = Practice::at_step(lesson, step).expect("a built-in lesson opens");
                for moved in [false, true] {
                    if moved {
                        for one in &lesson.steps[step].moves {
                            practice.apply(one).expect("its moves work");
                        }
                    }
                    let verdict = lesson.steps[step].goal.check(&Moment {
                        scenario: &practice.scenario,
                        timeline: &practice.timeline,
                        inspected: practice.inspected,
                    });
                    for l in &verdict.lines {
                        set(Lang::En);
                        assert_eq!(line(l, &practice.scenario, &practice.timeline), l.text, "{}", lesson.id);
                        set(Lang::Zh);
                        assert_ne!(line(l, &practice.scenario, &practice.timeline), l.text, "{}", lesson.id);
                    }
                }
            }
        }
        set(Lang::En);
    }
}
