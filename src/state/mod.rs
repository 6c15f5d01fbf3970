//! The playground's state and every action a user can take, as a reducer. It holds the
//! scenario (the inputs) and the simulation derived from it; it has no DOM code, so its rules
//! are tested natively like the core. Editing the scenario re-runs the simulation from time 0
//! with the same seed up to the instant the user was looking at.

use eda_sim::scenario::{BusSpec, ListenerSpec, ScriptEntry, SourceSpec};
use eda_sim::view::builder;
use eda_sim::view::timeline::Timeline;
use eda_sim::{Command, Scenario, Sim, SimDuration, SimError, SimTime};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// Playback speeds (virtual seconds per wall-clock second), on a log scale.
pub const SPEEDS: [f64; 11] = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 1_000.0, 10_000.0];
/// Index of 1× in [`SPEEDS`].
pub const SPEED_REAL_TIME: usize = 4;
/// Most simulation events processed in one animation frame, so a frame never freezes the tab.
pub const MAX_EVENTS_PER_FRAME: u64 = 5_000;
/// Longest wall-clock gap one frame may account for (a background tab resumes gently).
pub const MAX_FRAME_MS: f64 = 100.0;
/// Most events one seek may run forward past the furthest point reached.
pub const MAX_EVENTS_PER_SEEK: u64 = 2_000_000;
/// Most events a jump runs within the action itself; a longer jump goes on over the following
/// frames ([`Model::seeking`]), with its progress shown and a way to stop it.
pub const JUMP_EVENTS_AT_ONCE: u64 = 100_000;
/// Most events one long jump runs in all, over its frames.
pub const MAX_EVENTS_PER_JUMP: u64 = 50_000_000;
/// Wall-clock milliseconds of simulation a frame of a long jump may do (the page stays
/// responsive, at a lower frame rate, while it catches up).
pub const JUMP_FRAME_WORK_MS_MAX: f64 = 40.0;
/// Frames over which the event rate is measured while playing (about a second).
pub const RATE_SAMPLES_MAX: usize = 60;
/// Records a log filter searches at most (newest first).
pub const LOG_SEARCH_DEPTH: usize = 20_000;
/// While playing, the detailed panels (counters, charts, log) refresh at most this often…
pub const PANEL_REFRESH_MS: f64 = 100.0;
/// …and at most once in this many frames: when frames are slow, refreshing on each would
/// make every frame slow (refreshing is most of a busy frame's work).
pub const PANEL_REFRESH_FRAMES_MIN: u32 = 6;
/// Wall-clock milliseconds of simulation one frame may do before it stops and lets the page
/// draw (the clock then runs slower than chosen and says so): a frame stays within budget
/// whatever the speed.
pub const FRAME_WORK_MS_MAX: f64 = 8.0;
/// Events run between two looks at the wall clock within a frame.
const EVENTS_BETWEEN_CLOCK_CHECKS: u64 = 250;
/// Largest scenario file accepted by Import (files over it are refused unread).
pub const MAX_IMPORT_BYTES: u64 = eda_sim::kernel::limits::MAX_SCENARIO_FILE_BYTES;
/// Rows of the event log on screen (the newest up to the cursor). Every row changes on a seek
/// or a refresh while playing; at 40 rows laying out and painting the table alone took more
/// than half a frame. Older records are a filter, a scrub or a click on the lanes away.
pub const LOG_ROWS: usize = 20;

mod action;
mod bus_editing;
mod comparison;
mod deleting;
mod editing;
#[cfg(test)]
mod editing_tests;
mod inspection;
#[cfg(test)]
mod lesson_tests;
mod lessons;
mod playback;
mod sharing;
#[cfg(test)]
mod tests;

pub use action::{Action, Confirmation, Edit, Field, Inspect, Playback, Share};
pub use bus_editing::parse_ms;
pub use comparison::{CompareAction, Comparison, DIVERGENCE_EVENTS_IN_PAGE};
pub use editing::PendingEdit;
pub use inspection::LogRow;
pub use lessons::{LessonAction, LessonRun};
pub use playback::Seeking;
pub use sharing::RepairedLink;

/// Everything the page shows, and the simulation behind it.
pub struct Model {
    pub scenario: Scenario,
    /// The run as a timeline: the cursor's simulation, the history, snapshots for seeking.
    pub timeline: Timeline,
    pub playing: bool,
    pub speed_index: usize,
    /// True while playback cannot keep up with the chosen speed (the frame budget ran out).
    pub behind: bool,
    /// Virtual seconds per wall second in the last frame: below the chosen speed while a
    /// message's trip is slowed down to be seen (see [`crate::motion`]).
    pub effective_speed: f64,
    /// What the player skipped last ("Skipped 9 h with nothing scheduled"), until the next
    /// action.
    pub skip_note: Option<String>,
    /// (clock, events processed) at recent frames while playing, to measure the event rate.
    rate_samples: std::collections::VecDeque<(SimTime, u64)>,
    pub selected_source: Option<String>,
    /// The last error, shown in the page's alert region until dismissed.
    pub error: Option<String>,
    /// A validation message and the form it belongs to.
    pub field_error: Option<(Field, String)>,
    /// A short sentence for the live region: what the last user action did.
    pub announcement: String,
    /// The event log shows only records involving this entity (empty: all).
    pub log_entity: String,
    /// The event log shows only records containing this text (empty: all).
    pub log_text: String,
    /// Entities selected by clicking an event (highlighted).
    pub selected: Vec<String>,
    /// Whether the keyboard-shortcut list is open.
    pub show_shortcuts: bool,
    /// Presentation mode: the diagram full-screen with large text and the playback controls.
    pub presenting: bool,
    /// The record shown in the inspector (an index into the run's history), and the records of
    /// the same message, event or request up to the moment it was picked: its path so far.
    pub inspected: Option<(usize, Vec<usize>)>,
    /// Changes whenever the detailed panels must redraw: on every user action, and while
    /// playing every [`PANEL_REFRESH_MS`] of wall time (the clock and diagram redraw every frame).
    pub panel_revision: u64,
    /// Changes whenever the scenario (and so the run) is replaced: caches of the run compare it.
    pub scenario_revision: u64,
    /// Changes only when the user changes the working scenario (an edit, an import), not when
    /// an example or a link is opened: the autosave follows this one, so opening someone's link
    /// never overwrites one's own work.
    pub edit_revision: u64,
    wall_ms_since_refresh: f64,
    frames_since_refresh: u32,
    /// The entity whose properties are open: builder kind id and name.
    pub editing: Option<(String, String)>,
    /// A message for one property of the entity being edited: field key and message.
    pub property_error: Option<(String, String)>,
    /// Edits that name entities not there yet (a binding to a queue still to be added): kept,
    /// shown with a note, and applied as soon as what they wait for exists.
    pub pending: Vec<PendingEdit>,
    /// The panels folded away (their ids), so the diagram can have the screen.
    pub collapsed: Vec<String>,
    /// A long jump on its way over the frames: the instant it goes to, where it started, and
    /// the events it may still run.
    pub seeking: Option<Seeking>,
    /// The question of a destructive action, until answered.
    pub confirmation: Option<Confirmation>,
    /// Whether the gallery of built-in scenarios is open (it is on a first visit).
    pub gallery_open: bool,
    /// The share link made last, shown for copying.
    pub share_link: Option<String>,
    /// A scenario from an earlier visit the user may restore.
    pub restore_offer: Option<Scenario>,
    /// What was repaired in the offered scenario, when the saved copy no longer loads as it is
    /// (see [`eda_sim::view::repair`]); empty when it loads unchanged.
    pub restore_repairs: Vec<String>,
    /// A link the stricter loading rules refused, repaired: what it opens and what changed.
    /// Offered only while [`Model::error`] still says why that link was refused.
    pub repaired_link: Option<RepairedLink>,
    /// The guided lesson being followed, if any.
    pub lesson: Option<LessonRun>,
    /// Whether the list of lessons is open.
    pub lessons_open: bool,
    /// The steps done (from 0) per lesson id, in this browser.
    pub lessons_done: Vec<(String, Vec<usize>)>,
    /// Changes whenever a step is newly done: the browser's copy follows it.
    pub lessons_done_revision: u64,
    /// The A/B comparison on screen, if any.
    pub comparison: Option<Comparison>,
    /// The language of the page (also in force in [`crate::i18n`]).
    pub lang: crate::i18n::Lang,
    /// Whether the user chose it (a link's language then does not replace it).
    pub lang_chosen: bool,
}

impl Model {
    /// A model of a valid scenario at time 0.
    pub fn new(scenario: Scenario) -> Result<Model, String> {
        let timeline = Timeline::new(&scenario).map_err(|e| crate::i18n::errors::scenario(&e))?;
        let selected_source = scenario.event_bus.sources.first().map(|s| s.id.clone());
        Ok(Model {
            scenario,
            timeline,
            playing: false,
            speed_index: SPEED_REAL_TIME,
            behind: false,
            effective_speed: SPEEDS[SPEED_REAL_TIME],
            skip_note: None,
            rate_samples: std::collections::VecDeque::new(),
            selected_source,
            error: None,
            field_error: None,
            announcement: String::new(),
            log_entity: String::new(),
            log_text: String::new(),
            selected: Vec::new(),
            show_shortcuts: false,
            presenting: false,
            inspected: None,
            panel_revision: 0,
            scenario_revision: 0,
            edit_revision: 0,
            wall_ms_since_refresh: 0.0,
            frames_since_refresh: 0,
            editing: None,
            property_error: None,
            pending: Vec::new(),
            collapsed: Vec::new(),
            seeking: None,
            confirmation: None,
            gallery_open: false,
            share_link: None,
            restore_offer: None,
            restore_repairs: Vec::new(),
            repaired_link: None,
            lesson: None,
            lessons_open: false,
            lessons_done: Vec::new(),
            lessons_done_revision: 0,
            comparison: None,
            lang: crate::i18n::current(),
            lang_chosen: false,
        })
    }

    /// The built-in example: order events → SMS.
    pub fn order_example() -> Model {
        let scenario =
            Scenario::from_json(eda_sim::view::presets::ORDER_EVENTS_SMS).unwrap_or_else(|_| Scenario::empty(1));
        Model::new(scenario.clone())
            .unwrap_or_else(|_| Model::new(Scenario::empty(scenario.seed)).expect("the empty scenario is valid"))
    }

    pub fn speed(&self) -> f64 {
        SPEEDS[self.speed_index.min(SPEEDS.len() - 1)]
    }

    pub fn apply(&mut self, action: Action) {
        if !matches!(action, Action::Playback(Playback::Tick { .. })) {
            // Anything the user does stops a long jump (a new jump starts its own).
            self.seeking = None;
            // The rate and the pace are measured afresh after anything the user does.
            self.rate_samples.clear();
            self.skip_note = None;
            self.effective_speed = self.speed();
        }
        match action {
            Action::TogglePanel(id) => {
                if let Some(at) = self.collapsed.iter().position(|c| *c == id) {
                    self.collapsed.remove(at);
                } else {
                    self.collapsed.push(id);
                }
            }
            Action::SetLanguage { lang, chosen } => self.set_language(lang, chosen),
            Action::ShowShortcuts(show) => self.show_shortcuts = show,
            Action::Present(on) => self.presenting = on,
            Action::DismissError => {
                self.error = None;
                self.repaired_link = None;
            }
            Action::Playback(action) => self.playback(action),
            Action::Edit(action) => self.edit(action),
            Action::Inspect(action) => self.inspect(action),
            Action::Share(action) => self.share(action),
            Action::Lesson(action) => self.lesson_action(action),
            Action::Compare(action) => self.compare(action),
        }
        // The other side of a comparison follows the moment (at most once per redraw of the panels).
        self.follow_comparison();
        // The lesson's goal follows the run (at most once per redraw of the panels).
        self.check_goal(false);
    }

    /// Speaks `lang` from now on; `chosen`: the user's own choice, which a link does not override.
    pub(super) fn set_language(&mut self, lang: crate::i18n::Lang, chosen: bool) {
        if !chosen && self.lang_chosen {
            return;
        }
        self.lang = lang;
        self.lang_chosen |= chosen;
        crate::i18n::set(lang);
        self.share_link = None; // it carried the language it was made in
    }

    /// Whether animation frames should come: while playing, and while a long jump is on its way.
    pub fn frames_wanted(&self) -> bool {
        self.playing || self.seeking.is_some()
    }

    /// Whether the scenario uses the event bus (a bus, a source or a listener): the event-bus
    /// panels apply to it.
    pub fn scenario_has_event_bus(&self) -> bool {
        let bus = &self.scenario.event_bus;
        !(bus.buses.is_empty() && bus.sources.is_empty() && bus.listeners.is_empty())
    }

    /// The simulation at the cursor.
    pub fn sim(&self) -> &Sim {
        self.timeline.sim()
    }
}

/// The reducer handed to Yew. The model lives behind a shared cell so that an action does not
/// copy the whole trace; `revision` changes on every action so that Yew re-renders.
#[derive(Clone)]
pub struct Playground {
    pub model: Rc<RefCell<Model>>,
    pub revision: u64,
}

impl PartialEq for Playground {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.model, &other.model) && self.revision == other.revision
    }
}

impl Default for Playground {
    fn default() -> Self {
        Playground {
            model: Rc::new(RefCell::new(Model::order_example())),
            revision: 0,
        }
    }
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if matches!(action, Action::Playback(Playback::Tick { .. })) && !self.model.borrow().frames_wanted() {
            return self;
        }
        {
            let mut model = self.model.borrow_mut();
            if !matches!(action, Action::Playback(Playback::Tick { .. })) {
                model.panel_revision += 1;
            }
            model.apply(action);
        }
        Rc::new(Playground {
            model: Rc::clone(&self.model),
            revision: self.revision + 1,
        })
    }
}

/// Whether two scenarios are the same, compared by their JSON text: the wasm already holds
/// the serializer, and a derived comparison of every scenario type would add 6 KB to it.
fn same_scenario(a: &Scenario, b: &Scenario) -> bool {
    a.to_json() == b.to_json()
}
