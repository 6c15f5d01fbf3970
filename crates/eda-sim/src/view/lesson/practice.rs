//! Doing a lesson without a page: a scenario, its run up to a moment and the record in the
//! inspector, changed by a step's moves exactly as the playground's controls change them. It
//! gives a step opened by its link the state the earlier steps leave, and checks that a lesson
//! works: each goal refused before its step's moves and met after them.

use super::format::{field_of, Lesson, Move, RecordMatch};
use super::goal::{Moment, Verdict};
use super::EVENTS_PER_MOVE_MAX;
use crate::kernel::time::{SimDuration, SimTime};
use crate::scenario::{Scenario, ScriptEntry};
use crate::view::builder;
use crate::view::timeline::Timeline;

/// A lesson's scenario as a learner has changed it, its run and the inspector.
pub struct Practice {
    pub scenario: Scenario,
    pub timeline: Timeline,
    pub inspected: Option<usize>,
}

impl Practice {
    /// A fresh run of `scenario` at time 0.
    pub fn new(scenario: Scenario) -> Result<Practice, String> {
        let timeline = Timeline::new(&scenario).map_err(|e| e.to_string())?;
        Ok(Practice {
            scenario,
            timeline,
            inspected: None,
        })
    }

    /// Where step `step` (from 0) starts when opened by its link: the lesson's scenario after
    /// the moves of every earlier step.
    pub fn at_step(lesson: &Lesson, step: usize) -> Result<Practice, String> {
        let mut practice = Practice::new(lesson.scenario.clone())?;
        for (i, earlier) in lesson.steps.iter().enumerate().take(step) {
            for one in &earlier.moves {
                practice
                    .apply(one)
                    .map_err(|why| format!("step {} could not be set up: {why}", i + 1))?;
            }
        }
        Ok(practice)
    }

    /// What goals are checked against.
    pub fn moment(&self) -> Moment<'_> {
        Moment {
            scenario: &self.scenario,
            timeline: &self.timeline,
            inspected: self.inspected,
        }
    }

    /// Makes one move; on error nothing changed.
    pub fn apply(&mut self, one: &Move) -> Result<(), String> {
        match one {
            Move::Set { entity, field, to } => {
                let kind = builder::kind_of(&self.scenario, entity).ok_or_else(|| format!("there is no {entity}"))?;
                let spec = field_of(kind.id, field).ok_or_else(|| super::format::unknown_field(kind.id, field))?;
                let next = builder::set_field(&self.scenario, kind, entity, spec, to)
                    .map_err(|why| format!("{entity}'s {}: {why}", spec.label.to_lowercase()))?;
                self.replace(next)
            }
            Move::Add { kind, name } => {
                let spec = builder::kind(kind).ok_or_else(|| format!("there is no kind {kind:?}"))?;
                let (next, _) = builder::add_entity(&self.scenario, spec, name)?;
                self.replace(next)
            }
            Move::Command(command) => {
                let mut next = self.scenario.clone();
                next.script.push(ScriptEntry {
                    at: SimDuration(self.timeline.sim().now().0),
                    command: command.clone(),
                });
                self.replace(next)
            }
            Move::RunTo(at) => {
                let target = SimTime(at.0);
                let progress = self
                    .timeline
                    .seek_to_time(target, EVENTS_PER_MOVE_MAX)
                    .map_err(|e| e.to_string())?;
                if !progress.reached {
                    return Err(format!(
                        "{target} lies more than {EVENTS_PER_MOVE_MAX} events ahead; stopped at {}",
                        self.timeline.sim().now()
                    ));
                }
                // A record after the new moment is no longer open in the inspector.
                let end = self.timeline.records_start() + self.timeline.records().len();
                self.inspected = self.inspected.filter(|&i| i < end);
                Ok(())
            }
            Move::Inspect(wanted) => {
                let index = find_record(&self.timeline, wanted)
                    .ok_or_else(|| format!("no record up to {} is {}", self.timeline.sim().now(), wanted.text()))?;
                let event = self.timeline.event_of_record(index);
                self.timeline.seek_to_event(event).map_err(|e| e.to_string())?;
                self.inspected = Some(index);
                Ok(())
            }
        }
    }

    /// Runs `next` instead, to the instant looked at (a run not started stays at its start), as
    /// the playground does after an edit.
    fn replace(&mut self, next: Scenario) -> Result<(), String> {
        // As the playground decides: a run still at its very start stays there.
        let started = self.timeline.sim().events_processed() > 0 || self.timeline.sim().now() > SimTime::ZERO;
        let target = self.timeline.sim().now();
        let mut timeline = Timeline::new(&next).map_err(|e| e.to_string())?;
        if started {
            let progress = timeline
                .run_until(target, EVENTS_PER_MOVE_MAX)
                .map_err(|e| e.to_string())?;
            if !progress.reached {
                return Err(format!(
                    "re-running to {target} takes more than {EVENTS_PER_MOVE_MAX} events"
                ));
            }
        }
        self.scenario = next;
        self.timeline = timeline;
        self.inspected = None;
        Ok(())
    }
}

/// The newest record up to the moment looked at that matches, as an index into the history.
pub fn find_record(timeline: &Timeline, wanted: &RecordMatch) -> Option<usize> {
    let records = timeline.records();
    records
        .iter()
        .rposition(|r| wanted.matches(timeline.sim(), r))
        .map(|at| timeline.records_start() + at)
}

/// One step of a lesson checked: its goal before and after its moves.
#[derive(Clone, Debug, PartialEq)]
pub struct StepCheck {
    pub before: Verdict,
    /// The goal after the moves, or why a move could not be made.
    pub after: Result<Verdict, String>,
}

impl StepCheck {
    /// The step teaches something: its goal is refused before and met after its moves.
    pub fn works(&self) -> bool {
        !self.before.met && self.after.as_ref().is_ok_and(|v| v.met)
    }
}

/// Follows a lesson from its start, step after step, checking each goal before and after the
/// step's moves. Stops at the first step whose moves fail.
pub fn check_lesson(lesson: &Lesson) -> Result<Vec<StepCheck>, String> {
    let mut practice = Practice::new(lesson.scenario.clone())?;
    let mut checks = Vec::new();
    for step in &lesson.steps {
        let before = step.goal.check(&practice.moment());
        let mut outcome = Ok(());
        for one in &step.moves {
            outcome = practice.apply(one);
            if outcome.is_err() {
                break;
            }
        }
        let failed = outcome.is_err();
        checks.push(StepCheck {
            before,
            after: outcome.map(|()| step.goal.check(&practice.moment())),
        });
        if failed {
            break;
        }
    }
    Ok(checks)
}
