//! Following a guided lesson: opening one (built in, from a file or a link) at any step, the
//! step's goal checked against the run as it changes, hints one at a time, "Show me" playing
//! the step's moves through the same edits the controls make, and the steps done, kept.

use super::*;
use eda_sim::view::lesson::{self as lessons, Lesson, Moment, Practice, Verdict};

/// A lesson being followed.
#[derive(Clone, Debug)]
pub struct LessonRun {
    pub lesson: Rc<Lesson>,
    /// The step on screen, from 0.
    pub step: usize,
    /// How many of the step's hints are shown.
    pub hints_shown: usize,
    /// The step's goal checked at the moment on screen.
    pub verdict: Option<Verdict>,
    /// The panel revision the verdict was checked at.
    checked_at: u64,
}

impl LessonRun {
    pub fn current(&self) -> &lessons::Step {
        &self.lesson.steps[self.step]
    }
}

impl Model {
    /// What the learner asks of the lesson.
    pub(super) fn lesson_action(&mut self, action: LessonAction) {
        match action {
            LessonAction::ShowList(open) => self.lessons_open = open,
            LessonAction::Start(id) => match lessons::builtin(&id) {
                Some(lesson) => {
                    let step = self.first_step_not_done(&lesson);
                    self.open_lesson(lesson, step);
                }
                None => self.error = Some(crate::tr!("error-no-lesson", id = format!("{id:?}"))),
            },
            LessonAction::OpenFile { name, size_bytes, text } => match Lesson::read_file(size_bytes, text.as_deref()) {
                Ok(lesson) => self.open_lesson(lesson, 0),
                Err(why) => {
                    self.error = Some(crate::tr!(
                        "error-not-a-lesson",
                        name = name.clone(),
                        why = crate::i18n::errors::file(&why, crate::i18n::errors::lesson)
                    ))
                }
            },
            LessonAction::GoTo(step) => {
                if let Some(run) = self.lesson.as_mut().filter(|run| step < run.lesson.steps.len()) {
                    self.share_link = None; // it was the previous step's
                    run.step = step;
                    run.hints_shown = 0;
                    run.verdict = None;
                    self.announcement = crate::tr!(
                        "said-step",
                        step = step + 1,
                        steps = run.lesson.steps.len(),
                        title = crate::i18n::lesson_words(
                            &run.lesson.id,
                            &format!("{}-title", step + 1),
                            &run.current().title
                        )
                    );
                }
            }
            LessonAction::Hint => {
                if let Some(run) = self.lesson.as_mut() {
                    let hints = run.current().hints.len();
                    if run.hints_shown < hints {
                        run.hints_shown += 1;
                        self.announcement = crate::tr!(
                            "said-hint",
                            hint = crate::i18n::lesson_words(
                                &run.lesson.id,
                                &format!("{}-hint{}", run.step + 1, run.hints_shown),
                                &run.current().hints[run.hints_shown - 1]
                            )
                        );
                    }
                }
            }
            LessonAction::ShowMe => self.show_me(),
            LessonAction::Check => {
                self.check_goal(true);
            }
            LessonAction::CopyLink => {
                if let Some(link) = self.lesson_link() {
                    self.offer_link(link, "error-lesson-link-long", "said-step-link-made");
                }
            }
            LessonAction::Leave => {
                self.lesson = None;
                self.announcement = crate::tr!("said-left-lesson");
            }
            LessonAction::RestoreDone(json) => {
                // Merged: a step done while the page opened (a link) is kept.
                if let Ok(done) = serde_json::from_str::<Vec<(String, Vec<usize>)>>(&json) {
                    for (id, steps) in done {
                        for step in steps.into_iter().take(lessons::STEPS_MAX) {
                            self.mark_done(&id, step);
                        }
                    }
                }
            }
        }
    }

    /// Opens a lesson link (already known to be one); on error nothing changes.
    pub(super) fn open_lesson_link(&mut self, link: &str) {
        match lessons::decode_link(link) {
            Ok(opened) => {
                // The sharer's language, unless the reader chose one.
                if let Some(lang) = opened.lang.as_deref().and_then(crate::i18n::Lang::from_tag) {
                    self.set_language(lang, false);
                }
                self.open_lesson(opened.lesson, opened.step)
            }
            Err(e) => self.error = Some(crate::tr!("error-unchanged", why = crate::i18n::errors::link(&e))),
        }
    }

    /// Loads the lesson's scenario after the moves of the steps before `step` (made as `eda
    /// lesson` makes them, each within its event budget), and shows it; on error nothing changes.
    fn open_lesson(&mut self, lesson: Lesson, step: usize) {
        let practice = match Practice::at_step(&lesson, step) {
            Ok(practice) => practice,
            Err(why) => {
                self.error = Some(crate::tr!(
                    "error-lesson-not-opened",
                    why = crate::i18n::problems::words(&why.to_string())
                ));
                return;
            }
        };
        if !self.load(practice.scenario.clone(), &crate::tr!("error-lesson-scenario-context")) {
            return;
        }
        self.install(practice);
        self.gallery_open = false;
        self.lessons_open = false;
        self.announcement = crate::tr!(
            "said-lesson-opened",
            lesson = crate::i18n::lesson_words(&lesson.id, "title", &lesson.title),
            step = step + 1,
            steps = lesson.steps.len(),
            title = crate::i18n::lesson_words(&lesson.id, &format!("{}-title", step + 1), &lesson.steps[step].title)
        );
        self.lesson = Some(LessonRun {
            lesson: Rc::new(lesson),
            step,
            hints_shown: 0,
            verdict: None,
            checked_at: u64::MAX,
        });
        self.check_goal(false);
    }

    /// Makes the current step's moves, as `eda lesson` makes them (each within its event
    /// budget); if one cannot be made, nothing changes and the alert says why.
    fn show_me(&mut self) {
        let Some(run) = &self.lesson else { return };
        let moves = run.current().moves.clone();
        if moves.is_empty() {
            self.announcement = crate::tr!("said-nothing-to-show");
            return;
        }
        let mut practice = Practice {
            scenario: self.scenario.clone(),
            timeline: self.timeline.clone(),
            inspected: self.inspected.as_ref().map(|(index, _)| *index),
        };
        for one in &moves {
            if let Err(why) = practice.apply(one) {
                self.error = Some(crate::tr!(
                    "error-show-me",
                    why = crate::i18n::problems::words(&why.to_string())
                ));
                return;
            }
        }
        if !same_scenario(&practice.scenario, &self.scenario) {
            self.scenario = practice.scenario.clone();
            self.scenario_revision += 1;
        }
        self.install(practice);
        self.check_goal(true);
    }

    /// Shows what a [`Practice`] reached: its run at its moment, its record in the inspector.
    fn install(&mut self, practice: Practice) {
        self.playing = false;
        self.seeking = None;
        self.timeline = practice.timeline;
        self.inspected = None;
        self.selected.clear();
        self.share_link = None;
        // The record in the inspector stays open where the moves left it (if the cursor is still
        // at or after it), without moving the cursor to it.
        let (records, start) = (self.timeline.records(), self.timeline.records_start());
        if let Some(index) = practice.inspected.filter(|&i| i >= start && i < start + records.len()) {
            let path = eda_sim::trace::causal_path_from(records, start, index);
            self.inspected = Some((index, path));
        }
    }

    /// Checks the step's goal at the moment on screen (once per panel revision, unless `asked`);
    /// a goal met marks the step done.
    pub(super) fn check_goal(&mut self, asked: bool) {
        let revision = self.panel_revision;
        let Some(run) = &self.lesson else { return };
        if !asked && run.checked_at == revision {
            return;
        }
        let verdict = run.current().goal.check(&Moment {
            scenario: &self.scenario,
            timeline: &self.timeline,
            inspected: self.inspected.as_ref().map(|(index, _)| *index),
        });
        let (id, step, steps, met) = (run.lesson.id.clone(), run.step, run.lesson.steps.len(), verdict.met);
        let newly_met = met && !run.verdict.as_ref().is_some_and(|v| v.met);
        if let Some(run) = self.lesson.as_mut() {
            run.verdict = Some(verdict);
            run.checked_at = revision;
        }
        if met {
            self.mark_done(&id, step);
        }
        if asked || newly_met {
            self.announcement = match (met, self.lesson_complete()) {
                (true, true) => crate::tr!("said-lesson-complete"),
                (true, false) => crate::tr!("said-step-done", step = step + 1, steps = steps),
                (false, _) => crate::tr!("said-not-yet"),
            };
        }
    }

    fn mark_done(&mut self, id: &str, step: usize) {
        let at = match self.lessons_done.iter().position(|(done, _)| done == id) {
            Some(at) => at,
            None => {
                self.lessons_done.push((id.to_string(), Vec::new()));
                self.lessons_done.len() - 1
            }
        };
        let steps = &mut self.lessons_done[at].1;
        if !steps.contains(&step) {
            steps.push(step);
            steps.sort_unstable();
            self.lessons_done_revision += 1;
        }
    }

    /// The steps of lesson `id` done in this browser, from 0.
    pub fn steps_done(&self, id: &str) -> &[usize] {
        self.lessons_done
            .iter()
            .find(|(done, _)| done == id)
            .map(|(_, steps)| steps.as_slice())
            .unwrap_or(&[])
    }

    /// Whether every step of the lesson on screen is done.
    pub fn lesson_complete(&self) -> bool {
        self.lesson.as_ref().is_some_and(|run| {
            let steps = run.lesson.steps.len();
            self.steps_done(&run.lesson.id).iter().filter(|&&s| s < steps).count() >= steps
        })
    }

    /// Where to start a built-in lesson: the first step not done yet (the first if all are).
    fn first_step_not_done(&self, lesson: &Lesson) -> usize {
        let done = self.steps_done(&lesson.id);
        (0..lesson.steps.len()).find(|s| !done.contains(s)).unwrap_or(0)
    }

    /// The link of the step being followed, in the page's language.
    fn lesson_link(&self) -> Option<String> {
        let run = self.lesson.as_ref()?;
        Some(lessons::encode_link_in(&run.lesson, run.step, Some(self.lang.tag())))
    }

    /// What the address bar carries: the lesson's step while following one, the comparison's
    /// link while comparing, else the share link of this moment.
    pub fn address_link(&self) -> Result<String, String> {
        let special = self.lesson_link().or_else(|| self.comparison_link());
        // A link too long to reopen is not put in the address bar: the scenario's is.
        match special {
            Some(link) if link.len() <= eda_sim::view::share::MAX_LINK_BYTES => Ok(link),
            _ => self.link(),
        }
    }

    /// What is kept in the browser: the steps done, per lesson.
    pub fn lessons_done_json(&self) -> String {
        serde_json::to_string(&self.lessons_done).unwrap_or_default()
    }
}

/// What a learner can ask of lessons.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonAction {
    /// Show or hide the list of lessons.
    ShowList(bool),
    /// Start a built-in lesson (at its first step not done).
    Start(String),
    /// A lesson file picked: its name, size and text (`None` when unreadable).
    OpenFile {
        name: String,
        size_bytes: u64,
        text: Option<String>,
    },
    /// Go to a step (from 0), keeping the scenario as it is.
    GoTo(usize),
    /// Show the next hint.
    Hint,
    /// Make the step's moves.
    ShowMe,
    /// Check the goal now and say the verdict.
    Check,
    /// Make the link of this step.
    CopyLink,
    /// Stop following the lesson (the scenario stays).
    Leave,
    /// The steps done in earlier visits (as kept in the browser).
    RestoreDone(String),
}
