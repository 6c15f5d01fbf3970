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

/// Something the user (or the animation loop) asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Play,
    Pause,
    /// Process exactly one simulation event.
    Step,
    /// Back to time 0, same scenario and seed.
    Reset,
    SetSpeed(usize),
    /// One step faster (positive) or slower (negative) on the speed scale.
    ChangeSpeed(i32),
    /// Close the inspector.
    CloseInspector,
    /// Show or hide the list of keyboard shortcuts.
    ShowShortcuts(bool),
    /// Undo the last simulation event (restores a snapshot and replays).
    StepBack,
    /// Move the cursor to this instant (back or forward).
    SeekTime(SimTime),
    /// Move to the instant typed in the "jump to time" field (e.g. `1.5s`).
    JumpTo(String),
    /// The animation loop: `wall_ms` of real time passed since the last frame.
    Tick {
        wall_ms: f64,
    },
    SelectSource(String),
    /// The selected source publishes an event of this type now.
    Publish {
        event_type: String,
    },
    AddSource(String),
    AddListener(String),
    RemoveEntity(String),
    /// Subscribe or unsubscribe a listener now.
    SetSubscription {
        listener: String,
        event_type: String,
        subscribed: bool,
    },
    SetProcessingTimeMs {
        listener: String,
        text: String,
    },
    SetDispatchDelayMs {
        bus: String,
        text: String,
    },
    RemoveScriptEntry(usize),
    /// Show only log records involving this entity (empty: all) and containing this text.
    FilterLog {
        entity: String,
        text: String,
    },
    /// Move the cursor to just after the event that wrote this record, selecting its entities.
    SeekToRecord(usize),
    /// Set a client's open-loop arrival rate (requests or orders per second; 0 stops the stream).
    SetClientRate {
        client: String,
        text: String,
    },
    /// Run a command now (send a request, publish a message, crash or restart an entity…).
    RunCommand(Command),
    /// Replace the scenario with a built-in one, by id.
    LoadPreset(String),
    DismissError,
    /// Add an entity of this builder kind (`queue`, `listener`…) with this name (empty: a fresh one).
    AddEntity {
        kind: String,
        name: String,
    },
    /// Show this entity's properties (kind id and name), or close them.
    EditEntity(Option<(String, String)>),
    /// Set a property of the entity being edited from the text typed for it.
    SetProperty {
        key: String,
        text: String,
    },
    /// Tick or untick one event type in a list property (a listener's subscriptions).
    SetPropertyType {
        key: String,
        event_type: String,
        on: bool,
    },
    /// Delete the entity being edited: at once when nothing depends on it and it had no
    /// traffic, otherwise after confirmation.
    DeleteEntity,
    /// Clear the scenario (after confirmation when it has entities).
    StartEmpty,
    /// Answer the open confirmation: go ahead, or cancel.
    Confirm(bool),
    /// Open a share link (a whole URL or its fragment).
    OpenLink(String),
    /// A scenario file picked or dropped: its name, size, and text (`None`: unreadable or not read
    /// because it is too big).
    ImportFile {
        name: String,
        size_bytes: u64,
        text: Option<String>,
    },
    /// Make the share link of this moment (shown, copied and put in the address bar).
    CopyLink,
    /// Show or hide the gallery of built-in scenarios.
    ShowGallery(bool),
    /// A scenario saved by an earlier visit: offer to restore it.
    OfferRestore(String),
    /// Answer the restore offer.
    Restore(bool),
    /// Open the repaired copy of the link that was refused.
    OpenRepairedLink,
    /// Show the message, event or request clicked in the diagram in the inspector, with its
    /// whole path so far (the cursor stays where it is).
    InspectMessage(eda_sim::trace::MessageKey),
    /// Place an entity's node at (`x`, `y`) in diagram units (dragged, or moved with the keys).
    MoveNode {
        name: String,
        x: i32,
        y: i32,
    },
    /// Forget every node placed by hand: the automatic layout again.
    TidyLayout,
}

/// A destructive change waiting for the user's yes or no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// Delete an entity; the question names its traffic and what goes with it.
    Delete {
        kind: String,
        name: String,
        question: String,
        detail: String,
    },
    /// Replace the scenario with an empty one.
    Clear { detail: String },
}

/// Where a validation message belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    NewSource,
    NewListener,
    Parameters,
    JumpTo,
    ClientRate,
    NewEntity,
}

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
}

/// A refused link's repaired copy, and the alert it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct RepairedLink {
    /// The alert that said why the link was refused.
    pub error: String,
    pub state: eda_sim::view::share::SharedState,
    /// What the repair changed, one sentence each.
    pub changes: Vec<String>,
}

impl Model {
    /// The repaired copy of a refused link, while the alert about that link is showing.
    pub fn repair_offer(&self) -> Option<&RepairedLink> {
        self.repaired_link
            .as_ref()
            .filter(|offer| self.error.as_deref() == Some(offer.error.as_str()))
    }

    /// A model of a valid scenario at time 0.
    pub fn new(scenario: Scenario) -> Result<Model, String> {
        let timeline = Timeline::new(&scenario).map_err(|e| e.to_string())?;
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
            inspected: None,
            panel_revision: 0,
            scenario_revision: 0,
            edit_revision: 0,
            wall_ms_since_refresh: 0.0,
            frames_since_refresh: 0,
            editing: None,
            property_error: None,
            confirmation: None,
            gallery_open: false,
            share_link: None,
            restore_offer: None,
            restore_repairs: Vec::new(),
            repaired_link: None,
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
        if !matches!(action, Action::Tick { .. }) {
            // The rate and the pace are measured afresh after anything the user does.
            self.rate_samples.clear();
            self.skip_note = None;
            self.effective_speed = self.speed();
        }
        match action {
            Action::Play => {
                if self.sim().halted().is_none() {
                    self.playing = true;
                }
            }
            Action::Pause => {
                self.playing = false;
                self.behind = false;
            }
            Action::Step => {
                self.playing = false;
                self.behind = false;
                let before = self.timeline.records_end();
                match self.timeline.step() {
                    Ok(true) => self.announce_records_since(before),
                    Ok(false) => self.announcement = "Nothing is scheduled: publish an event to go on.".into(),
                    Err(e) => self.fail(&e),
                }
            }
            Action::StepBack => {
                self.playing = false;
                self.behind = false;
                match self.timeline.step_back() {
                    Ok(true) => {
                        self.announcement = format!("Stepped back to {}.", self.sim().now());
                    }
                    Ok(false) => self.announcement = "Already at the start.".into(),
                    Err(e) => self.fail(&e),
                }
            }
            Action::Reset => {
                self.playing = false;
                self.behind = false;
                self.error = None;
                if let Err(e) = self.timeline.seek_to_event(0) {
                    self.fail(&e);
                }
                self.announcement = "Reset to time 0.".into();
            }
            Action::SeekTime(t) => {
                self.playing = false;
                self.behind = false;
                match self.timeline.seek_to_time(t, MAX_EVENTS_PER_SEEK) {
                    Ok(progress) if !progress.reached => {
                        self.error = Some(format!(
                            "Stopped at {} on the way to {t}: more than {MAX_EVENTS_PER_SEEK} events lie ahead; seek in smaller jumps.",
                            self.sim().now()
                        ))
                    }
                    Ok(_) => self.announcement = format!("Moved to {t}."),
                    Err(e) => self.fail(&e),
                }
            }
            Action::JumpTo(text) => match crate::human_time::parse(&text) {
                Ok(d) => {
                    self.field_error = None;
                    self.apply(Action::SeekTime(SimTime(d.0)));
                }
                Err(e) => self.field_error = Some((Field::JumpTo, format!("{e}."))),
            },
            Action::MoveNode { name, x, y } => {
                use eda_sim::scenario::{Position, POSITION_MAX};
                if self.sim().entity_id(&name).is_none() {
                    return;
                }
                let place = Position {
                    x: x.clamp(0, POSITION_MAX),
                    y: y.clamp(0, POSITION_MAX),
                };
                // Where a node is drawn is not an input of the run: nothing is re-run.
                if self.scenario.positions.insert(name.clone(), place) != Some(place) {
                    self.scenario_revision += 1;
                    self.edit_revision += 1;
                    self.share_link = None;
                    self.announcement = format!("{name} moved to ({}, {}).", place.x, place.y);
                }
            }
            Action::TidyLayout => {
                if !self.scenario.positions.is_empty() {
                    self.scenario.positions.clear();
                    self.scenario_revision += 1;
                    self.edit_revision += 1;
                    self.share_link = None;
                    self.announcement = "Every node is back in the automatic layout.".into();
                }
            }
            Action::SetSpeed(i) => self.speed_index = i.min(SPEEDS.len() - 1),
            Action::ChangeSpeed(delta) => {
                let next = (self.speed_index as i64 + delta as i64).clamp(0, SPEEDS.len() as i64 - 1) as usize;
                self.speed_index = next;
                self.announcement = format!("Speed {}×.", SPEEDS[next]);
            }
            Action::ShowShortcuts(show) => self.show_shortcuts = show,
            Action::CloseInspector => self.inspected = None,
            Action::Tick { wall_ms } => self.tick(wall_ms),
            Action::SelectSource(name) => self.selected_source = Some(name),
            Action::Publish { event_type } => {
                let Some(source) = self
                    .selected_source
                    .clone()
                    .filter(|s| self.sim().entity_id(s).is_some())
                else {
                    self.error = Some("Add a source first: events are published by a source.".into());
                    return;
                };
                self.add_command(Command::Publish { source, event_type });
            }
            Action::AddSource(name) => self.add_source(name),
            Action::AddListener(name) => self.add_listener(name),
            Action::RemoveEntity(name) => self.remove_entity(&name),
            Action::SetSubscription {
                listener,
                event_type,
                subscribed,
            } => {
                if self.at_start() {
                    let mut next = self.scenario.clone();
                    if let Some(l) = next.event_bus.listeners.iter_mut().find(|l| l.id == listener) {
                        l.subscriptions.retain(|t| t != &event_type);
                        if subscribed {
                            l.subscriptions.push(event_type.clone());
                        }
                    }
                    self.replace_scenario(next);
                } else if subscribed {
                    self.add_command(Command::Subscribe { listener, event_type });
                } else {
                    self.add_command(Command::Unsubscribe { listener, event_type });
                }
            }
            Action::SetProcessingTimeMs { listener, text } => match parse_ms(&text) {
                Ok(span) => {
                    let mut next = self.scenario.clone();
                    if let Some(l) = next.event_bus.listeners.iter_mut().find(|l| l.id == listener) {
                        l.processing_time = eda_sim::Distribution::Constant(span);
                    }
                    self.replace_scenario(next);
                }
                Err(message) => {
                    self.field_error = Some((Field::Parameters, format!("Processing time of {listener}: {message}")))
                }
            },
            Action::SetDispatchDelayMs { bus, text } => match parse_ms(&text) {
                Ok(span) => {
                    let mut next = self.scenario.clone();
                    if let Some(b) = next.event_bus.buses.iter_mut().find(|b| b.id == bus) {
                        b.dispatch_delay = eda_sim::Distribution::Constant(span);
                    }
                    self.replace_scenario(next);
                }
                Err(message) => {
                    self.field_error = Some((Field::Parameters, format!("Dispatch delay of {bus}: {message}")))
                }
            },
            Action::RemoveScriptEntry(i) => {
                if i < self.scenario.script.len() {
                    let mut next = self.scenario.clone();
                    next.script.remove(i);
                    self.replace_scenario(next);
                }
            }
            Action::DismissError => {
                self.error = None;
                self.repaired_link = None;
            }
            Action::RunCommand(command) => self.add_command(command),
            Action::SetClientRate { client, text } => match eda_sim::view::builder::typed_number(&text) {
                Some(rate) if (0.0..=100_000.0).contains(&rate) => {
                    let mut next = self.scenario.clone();
                    if let Some(c) = next.request_reply.clients.iter_mut().find(|c| c.id == client) {
                        c.arrivals = if rate == 0.0 {
                            None
                        } else {
                            // A Poisson stream: exponential gaps with mean 1/rate.
                            let mean_us = (1e6 / rate).round().max(1.0) as u64;
                            let every = eda_sim::Distribution::Exponential {
                                mean: SimDuration(mean_us),
                            };
                            Some(eda_sim::patterns::request_reply::ArrivalSpec {
                                every,
                                start: None,
                                count: None,
                            })
                        };
                        c.users = None;
                    }
                    if self.replace_scenario(next) {
                        self.announcement = format!("{client} now sends {rate} per second.");
                    }
                }
                _ => {
                    self.field_error = Some((
                        Field::ClientRate,
                        format!(
                            "Rate of {client}: \"{}\" is not a number from 0 to 100000 per second.",
                            text.trim()
                        ),
                    ))
                }
            },
            Action::FilterLog { entity, text } => {
                self.log_entity = entity;
                self.log_text = text;
            }
            Action::SeekToRecord(index) => {
                self.playing = false;
                self.behind = false;
                let event = self.timeline.event_of_record(index);
                match self.timeline.seek_to_event(event) {
                    Ok(()) => {
                        if let Some(record) = self.timeline.record(index) {
                            // Its whole path so far, across patterns through causes.
                            let path = eda_sim::trace::causal_path_from(
                                self.timeline.records(),
                                self.timeline.records_start(),
                                index,
                            );
                            self.inspected = Some((index, path));
                            let row = LogRow::of(self.sim(), index, record);
                            self.selected = [row.from.clone(), row.to.clone()]
                                .into_iter()
                                .filter(|n| n != "—")
                                .collect();
                            self.announcement = format!(
                                "Moved to {}: {} {} {} → {}",
                                row.time, row.what, row.event, row.from, row.to
                            );
                        }
                    }
                    Err(e) => self.fail(&e),
                }
            }
            Action::AddEntity { kind, name } => self.add_entity(&kind, &name),
            Action::EditEntity(target) => {
                self.property_error = None;
                self.editing = target;
            }
            Action::SetProperty { key, text } => self.set_property(&key, &text),
            Action::SetPropertyType { key, event_type, on } => {
                let Some((kind, name, field)) = self.edited_field(&key) else {
                    return;
                };
                match builder::set_listed_type(&self.scenario, kind, &name, field, &event_type, on) {
                    Ok(next) => {
                        if self.replace_scenario(next) {
                            self.announcement = format!(
                                "{name} {} {event_type}.",
                                if on {
                                    "now subscribes to"
                                } else {
                                    "no longer subscribes to"
                                }
                            );
                        }
                    }
                    Err(message) => self.property_error = Some((key, message)),
                }
            }
            Action::DeleteEntity => self.delete_entity(),
            Action::StartEmpty => {
                let entities = builder::items(&self.scenario).len();
                if entities == 0 {
                    self.clear_scenario();
                } else {
                    self.confirmation = Some(Confirmation::Clear {
                        detail: format!(
                            "The current scenario and its {entities} entit{} will be discarded.",
                            if entities == 1 { "y" } else { "ies" }
                        ),
                    });
                }
            }
            Action::Confirm(yes) => match self.confirmation.take() {
                Some(Confirmation::Delete { kind, name, .. }) if yes => self.remove_now(&kind, &name),
                Some(Confirmation::Clear { .. }) if yes => self.clear_scenario(),
                Some(_) => self.announcement = "Cancelled.".into(),
                None => {}
            },
            Action::InspectMessage(key) => {
                let (records, start) = (self.timeline.records(), self.timeline.records_start());
                match records.iter().rposition(|r| r.kind.message_key() == Some(key)) {
                    Some(at) => {
                        let index = start + at;
                        let path = eda_sim::trace::causal_path_from(records, start, index);
                        let row = LogRow::of(self.sim(), index, &records[at]);
                        self.selected = [row.from.clone(), row.to.clone()]
                            .into_iter()
                            .filter(|n| n != "—")
                            .collect();
                        self.announcement = format!(
                            "Inspecting {}: last {} {} → {}, {} records on its path.",
                            row.event,
                            row.what,
                            row.from,
                            row.to,
                            path.len()
                        );
                        self.inspected = Some((index, path));
                    }
                    None => self.announcement = "That message has no record yet.".into(),
                }
            }
            Action::LoadPreset(id) => match eda_sim::view::presets::preset(&id).map(|p| Scenario::from_json(p.json)) {
                Some(Ok(scenario)) => {
                    if self.load(scenario, "That example could not be loaded") {
                        self.gallery_open = false;
                        self.announcement = format!("Loaded {}.", self.scenario.name);
                    }
                }
                Some(Err(e)) => self.error = Some(format!("That example could not be loaded: {e}")),
                None => self.error = Some(format!("There is no built-in example {:?}.", &id)),
            },
            Action::OpenLink(link) => match eda_sim::view::share::decode(&link) {
                Ok(state) => self.open_shared(state),
                Err(e) => {
                    let error = format!("{e} The scenario on screen is unchanged.");
                    self.repaired_link = eda_sim::view::share::repair(&link).map(|(state, changes)| RepairedLink {
                        error: error.clone(),
                        state,
                        changes,
                    });
                    self.error = Some(error);
                }
            },
            Action::OpenRepairedLink => {
                if self.repair_offer().is_some() {
                    if let Some(offer) = self.repaired_link.take() {
                        self.error = None;
                        self.open_shared(offer.state);
                        self.announcement =
                            format!("Opened a repaired copy of the link: {}.", offer.changes.join("; "));
                    }
                }
            }
            Action::ImportFile { name, size_bytes, text } => self.import(&name, size_bytes, text),
            Action::CopyLink => match self.link() {
                Ok(link) => {
                    self.share_link = Some(link);
                    self.announcement = "Share link made: it opens this scenario at this moment.".into();
                }
                Err(message) => self.error = Some(message),
            },
            Action::ShowGallery(open) => self.gallery_open = open,
            Action::OfferRestore(json) => {
                // Offer only what would load (repaired, if the stricter rules now refuse the saved
                // copy as it is), and only when it differs from what is on screen.
                let (saved, repairs) = match Scenario::from_json(&json) {
                    Ok(saved) => (Some(saved), Vec::new()),
                    Err(_) => match eda_sim::view::repair::repair_text(&json) {
                        Some(repaired) => (Some(repaired.scenario), repaired.changes),
                        None => (None, Vec::new()),
                    },
                };
                if let Some(saved) = saved.filter(|saved| !same_scenario(saved, &self.scenario)) {
                    self.restore_offer = Some(saved);
                    self.restore_repairs = repairs;
                }
            }
            Action::Restore(yes) => {
                if let Some(saved) = self.restore_offer.take() {
                    if yes && self.load(saved, "The saved scenario could not be restored") {
                        self.gallery_open = false;
                        self.announcement = format!("Restored {}.", self.scenario_title());
                    }
                }
            }
        }
    }

    fn add_entity(&mut self, kind_id: &str, name: &str) {
        let Some(kind) = builder::kind(kind_id) else {
            self.field_error = Some((Field::NewEntity, format!("There is no kind of entity {:?}.", kind_id)));
            return;
        };
        match builder::add_entity(&self.scenario, kind, name) {
            Ok((next, name)) => {
                if self.replace_scenario(next) {
                    if kind.id == "event-source" {
                        self.selected_source.get_or_insert(name.clone());
                    }
                    self.announcement = format!("Added {} {name}.", kind.label.to_ascii_lowercase());
                    self.property_error = None;
                    self.editing = Some((kind.id.to_string(), name));
                }
            }
            Err(message) => self.field_error = Some((Field::NewEntity, message)),
        }
    }

    /// The entity being edited and one of its fields.
    fn edited_field(&self, key: &str) -> Option<(&'static builder::KindSpec, String, &'static builder::FieldSpec)> {
        let (kind_id, name) = self.editing.as_ref()?;
        let kind = builder::kind(kind_id)?;
        let field = kind.fields.iter().find(|f| f.key == key)?;
        Some((kind, name.clone(), field))
    }

    fn set_property(&mut self, key: &str, text: &str) {
        let Some((kind, name, field)) = self.edited_field(key) else {
            return;
        };
        match builder::set_field(&self.scenario, kind, &name, field, text) {
            Ok(next) => {
                if same_scenario(&next, &self.scenario) {
                    self.property_error = None;
                    return;
                }
                if self.replace_scenario(next) {
                    self.property_error = None;
                    self.announcement = format!("{} of {name} set to {}.", field.label, text.trim());
                }
            }
            Err(message) => self.property_error = Some((key.to_string(), message)),
        }
    }

    /// Records of the run so far that involve the entity.
    fn traffic_of(&self, name: &str) -> usize {
        let Some(id) = self.sim().entity_id(name) else {
            return 0;
        };
        self.timeline
            .records()
            .iter()
            .filter(|r| {
                let (from, to) = r.kind.endpoints();
                from == id || to == Some(id)
            })
            .count()
    }

    fn delete_entity(&mut self) {
        let Some((kind_id, name)) = self.editing.clone() else {
            return;
        };
        let Some(kind) = builder::kind(&kind_id) else {
            return;
        };
        let dependents = builder::dependents(&self.scenario, kind, &name);
        let is_type = kind.id == "event-type";
        // An event type has no traffic of its own; what matters is who uses it.
        let traffic = if is_type { 0 } else { self.traffic_of(&name) };
        let uses = if is_type { self.uses_of_type(&name) } else { Vec::new() };
        if dependents.is_empty() && traffic == 0 && uses.is_empty() {
            self.remove_now(&kind_id, &name);
            return;
        }
        let mut detail = Vec::new();
        if traffic > 0 {
            detail.push(format!(
                "It has traffic: {traffic} record{} of this run involve it.",
                if traffic == 1 { "" } else { "s" }
            ));
        }
        if !uses.is_empty() {
            detail.push(format!("It is used by {}; those uses go with it.", uses.join(", ")));
        }
        if !dependents.is_empty() {
            let names: Vec<String> = dependents
                .iter()
                .map(|d| format!("{} {}", d.kind.label.to_ascii_lowercase(), d.name))
                .collect();
            detail.push(format!(
                "These cannot work without it and are deleted too: {}.",
                names.join(", ")
            ));
        }
        self.confirmation = Some(Confirmation::Delete {
            question: format!("Delete {} {name}?", kind.label.to_ascii_lowercase()),
            detail: detail.join(" "),
            kind: kind_id,
            name,
        });
    }

    /// Who uses an event type: subscriptions, streams, child types, timed commands.
    fn uses_of_type(&self, event_type: &str) -> Vec<String> {
        let bus = &self.scenario.event_bus;
        let mut uses: Vec<String> = Vec::new();
        for l in bus
            .listeners
            .iter()
            .filter(|l| l.subscriptions.iter().any(|t| t == event_type))
        {
            uses.push(format!("the subscription of listener {}", l.id));
        }
        for s in bus
            .sources
            .iter()
            .filter(|s| s.emits.iter().any(|e| e.event_type == event_type))
        {
            uses.push(format!("a stream of source {}", s.id));
        }
        for t in bus
            .event_types
            .iter()
            .filter(|t| t.parent.as_deref() == Some(event_type))
        {
            uses.push(format!("its subtype {}", t.name));
        }
        let commands = self
            .scenario
            .script
            .iter()
            .filter(|entry| match &entry.command {
                Command::Publish { event_type: t, .. }
                | Command::Subscribe { event_type: t, .. }
                | Command::Unsubscribe { event_type: t, .. } => t == event_type,
                _ => false,
            })
            .count();
        if commands > 0 {
            uses.push(format!(
                "{commands} timed command{}",
                if commands == 1 { "" } else { "s" }
            ));
        }
        uses
    }

    fn remove_now(&mut self, kind_id: &str, name: &str) {
        let Some(kind) = builder::kind(kind_id) else {
            return;
        };
        let removed_names: Vec<String> = std::iter::once(name.to_string())
            .chain(
                builder::dependents(&self.scenario, kind, name)
                    .into_iter()
                    .map(|d| d.name),
            )
            .collect();
        // Event types are not entities: selections and filters name entities only.
        let gone: Vec<String> = if kind.id == "event-type" {
            Vec::new()
        } else {
            removed_names.clone()
        };
        match builder::remove_entity(&self.scenario, kind, name) {
            Ok(mut next) => {
                next.positions.retain(|n, _| !gone.contains(n));
                if self.replace_scenario(next) {
                    self.editing = None;
                    self.property_error = None;
                    self.selected.retain(|n| !gone.contains(n));
                    if gone.contains(&self.log_entity) {
                        self.log_entity.clear();
                    }
                    if self.selected_source.as_ref().is_some_and(|s| gone.contains(s)) {
                        self.selected_source = self.scenario.event_bus.sources.first().map(|s| s.id.clone());
                    }
                    self.announcement = format!("Deleted {}.", removed_names.join(", "));
                }
            }
            Err(message) => self.error = Some(format!("{name} could not be deleted: {message}")),
        }
    }

    fn clear_scenario(&mut self) {
        let mut empty = Scenario::empty(self.scenario.seed);
        empty.name = "New scenario".into();
        empty.description = "Built by hand: add entities from the Build panel.".into();
        if self.load(empty, "Could not start an empty scenario") {
            self.gallery_open = false;
            self.announcement = "Started an empty scenario.".into();
        }
    }

    /// Replaces everything with a fresh run of `scenario` at time 0, keeping the speed and the
    /// revision counters. On error (`context` says what failed) nothing changes.
    fn load(&mut self, scenario: Scenario, context: &str) -> bool {
        match Model::new(scenario) {
            Ok(fresh) => {
                let (speed_index, panel_revision, scenario_revision, edit_revision) = (
                    self.speed_index,
                    self.panel_revision,
                    self.scenario_revision,
                    self.edit_revision,
                );
                *self = fresh;
                self.speed_index = speed_index;
                self.edit_revision = edit_revision;
                // Keep counting: panels and caches compare revisions to know they must redraw.
                self.panel_revision = panel_revision + 1;
                self.scenario_revision = scenario_revision + 1;
                true
            }
            Err(e) => {
                self.error = Some(format!("{context}: {e}"));
                false
            }
        }
    }

    /// The scenario's name, or a stand-in.
    pub fn scenario_title(&self) -> String {
        if self.scenario.name.is_empty() {
            "the untitled scenario".into()
        } else {
            self.scenario.name.clone()
        }
    }

    /// What a share link of this moment carries.
    pub fn shared_state(&self) -> eda_sim::view::share::SharedState {
        let mut state = eda_sim::view::share::SharedState::new(self.scenario.clone());
        let now = self.sim().now();
        state.cursor = (now > SimTime::ZERO).then_some(SimDuration(now.0));
        let events = self.sim().events_processed();
        state.events = (events > 0).then_some(events);
        state.selected = self.selected.clone();
        state.editing = self.editing.as_ref().map(|(kind, name)| format!("{kind}/{name}"));
        state
    }

    /// The share link (fragment without `#`) of this moment, or why there is none.
    pub fn link(&self) -> Result<String, String> {
        let link = eda_sim::view::share::encode(&self.shared_state());
        if link.len() > eda_sim::view::share::MAX_LINK_BYTES {
            return Err(format!(
                "This scenario's link would be {} characters long; links are limited to {}. Use Export scenario to share it as a file instead.",
                link.len(),
                eda_sim::view::share::MAX_LINK_BYTES
            ));
        }
        Ok(link)
    }

    /// Opens what a link carries: its scenario, run to its moment, with its selection.
    fn open_shared(&mut self, state: eda_sim::view::share::SharedState) {
        if !self.load(state.scenario, "The link could not be opened") {
            return;
        }
        self.gallery_open = false;
        // First the exact event (several may share an instant), then the clock if it stood later.
        if let Some(events) = state.events {
            if events > MAX_EVENTS_PER_SEEK {
                self.error = Some(format!(
                    "The link's moment lies {events} events in; at most {MAX_EVENTS_PER_SEEK} can be replayed. It opens at time 0."
                ));
                return;
            }
            if let Err(e) = self.timeline.seek_to_event(events) {
                self.fail(&e);
                return;
            }
        }
        if let Some(cursor) = state.cursor.map(|c| SimTime(c.0)).filter(|c| *c > self.sim().now()) {
            match self.timeline.seek_to_time(cursor, MAX_EVENTS_PER_SEEK) {
                Ok(progress) if !progress.reached => {
                    self.error = Some(format!(
                    "The link's moment ({cursor}) lies more than {MAX_EVENTS_PER_SEEK} events ahead; stopped at {}.",
                    self.sim().now()
                ))
                }
                Ok(_) => {}
                Err(e) => self.fail(&e),
            }
        }
        self.selected = state
            .selected
            .into_iter()
            .filter(|n| self.sim().entity_id(n).is_some())
            .collect();
        // "kind/name"; a bare name (no known kind before the slash) is looked up among entities.
        self.editing = state.editing.and_then(|editing| {
            let (kind, name) = match editing.split_once('/') {
                Some((kind, name)) if builder::kind(kind).is_some() => (builder::kind(kind)?, name.to_string()),
                _ => (builder::kind_of(&self.scenario, &editing)?, editing),
            };
            builder::items(&self.scenario)
                .iter()
                .any(|i| i.kind.id == kind.id && i.name == name)
                .then(|| (kind.id.to_string(), name))
        });
        self.announcement = format!("Opened {} at {} from a link.", self.scenario_title(), self.sim().now());
    }

    /// Loads a scenario file the user picked or dropped; every way it can be wrong is named.
    fn import(&mut self, name: &str, size_bytes: u64, text: Option<String>) {
        match Scenario::from_file(size_bytes, text.as_deref()) {
            Ok(scenario) => {
                if self.load(scenario, &format!("{name} was not imported")) {
                    self.edit_revision += 1; // an imported file becomes the working scenario
                    self.gallery_open = false;
                    self.announcement = format!("Imported {} from {name}.", self.scenario_title());
                }
            }
            Err(why) => {
                self.error = Some(format!(
                    "{name} was not imported: {why} The scenario on screen is unchanged."
                ))
            }
        }
    }

    /// True before anything has happened: edits then change the initial setup.
    fn at_start(&self) -> bool {
        self.sim().now() == SimTime::ZERO && self.sim().events_processed() == 0
    }

    fn tick(&mut self, wall_ms: f64) {
        if !self.playing {
            return;
        }
        let wall_ms = wall_ms.clamp(0.0, MAX_FRAME_MS);
        self.wall_ms_since_refresh += wall_ms;
        self.frames_since_refresh += 1;
        if self.wall_ms_since_refresh >= PANEL_REFRESH_MS && self.frames_since_refresh >= PANEL_REFRESH_FRAMES_MIN {
            self.wall_ms_since_refresh = 0.0;
            self.frames_since_refresh = 0;
            self.panel_revision += 1;
        }
        let speed = self.speed();
        let events_per_s = self.events_per_s();
        let (trips, busy) = crate::motion::trips_of(self.sim());
        let scene = crate::motion::Scene {
            now: self.sim().now(),
            trips: &trips,
            busy,
            next_event: self.sim().next_event_time(),
            events_per_s,
        };
        let pace = crate::motion::pace(&scene, speed, wall_ms);
        self.effective_speed = pace.speed;
        if let Some(skipped) = pace.skipped {
            let note = format!("Skipped {} with nothing scheduled", crate::human_time::human(skipped.0));
            self.announcement = format!("{note}.");
            self.skip_note = Some(note);
            self.rate_samples.clear();
        }
        match self.run_frame_within_budget(&pace, speed) {
            Ok(reached) => self.behind = !reached,
            Err(e) => self.fail(&e),
        }
        self.rate_samples
            .push_back((self.sim().now(), self.sim().events_processed()));
        while self.rate_samples.len() > RATE_SAMPLES_MAX {
            self.rate_samples.pop_front();
        }
    }

    /// Simulation events per virtual second over the last frames (0 until there are two).
    /// Runs the frame's events (see [`crate::motion::run_frame`]) in slices, looking at the wall
    /// clock between them: past [`FRAME_WORK_MS_MAX`] the frame stops short of its target.
    fn run_frame_within_budget(&mut self, pace: &crate::motion::Pace, speed: f64) -> Result<bool, SimError> {
        let started = wall_clock_ms();
        let mut left = MAX_EVENTS_PER_FRAME;
        loop {
            let before = self.sim().events_processed();
            let slice = left.min(EVENTS_BETWEEN_CLOCK_CHECKS);
            if crate::motion::run_frame(&mut self.timeline, pace, speed, slice)? {
                return Ok(true);
            }
            let done = self.sim().events_processed() - before;
            left = left.saturating_sub(done.max(1));
            if left == 0 || wall_clock_ms() - started > FRAME_WORK_MS_MAX {
                return Ok(false);
            }
        }
    }

    pub fn events_per_s(&self) -> f64 {
        match (self.rate_samples.front(), self.rate_samples.back()) {
            (Some(&(t0, e0)), Some(&(t1, e1))) if t1 > t0 => (e1 - e0) as f64 / ((t1.0 - t0.0) as f64 / 1e6),
            _ => 0.0,
        }
    }

    fn fail(&mut self, error: &SimError) {
        self.playing = false;
        self.behind = false;
        self.error = Some(format!("Simulation stopped: {error}."));
    }

    /// Describes the first record added since `before`, and how many more there were.
    fn announce_records_since(&mut self, before: usize) {
        let (records, start) = (self.timeline.records(), self.timeline.records_start());
        let first = before.max(start).saturating_sub(start).min(records.len());
        let added = &records[first..];
        self.announcement = match added.first() {
            Some(record) => {
                let row = LogRow::of(self.sim(), start + first, record);
                let more = match added.len() - 1 {
                    0 => String::new(),
                    n => format!(" (and {n} more record{})", if n == 1 { "" } else { "s" }),
                };
                format!(
                    "{}: {} {} {} → {}{more}",
                    row.time, row.what, row.event, row.from, row.to
                )
            }
            None => format!("{}: an event was processed with nothing to record.", self.sim().now()),
        };
    }

    /// Adds a timed command at the current instant and re-runs to it.
    fn add_command(&mut self, command: Command) {
        let now = self.sim().now();
        let described = command.to_string();
        let mut next = self.scenario.clone();
        next.script.push(ScriptEntry {
            at: SimDuration(now.0),
            command,
        });
        if self.replace_scenario(next) {
            self.announcement = format!("At {now}: {described}.");
        }
    }

    fn add_source(&mut self, name: String) {
        let name = self.fresh_name(name.trim(), "source");
        if let Err(message) = self.name_is_free(&name) {
            self.field_error = Some((Field::NewSource, message));
            return;
        }
        let mut next = self.scenario.clone();
        let bus = ensure_bus(&mut next);
        next.event_bus.sources.push(SourceSpec {
            id: name.clone(),
            bus,
            emits: vec![],
        });
        if self.replace_scenario(next) {
            self.selected_source.get_or_insert(name.clone());
            self.announcement = format!("Added source {name}.");
        }
    }

    fn add_listener(&mut self, name: String) {
        let name = self.fresh_name(name.trim(), "listener");
        if let Err(message) = self.name_is_free(&name) {
            self.field_error = Some((Field::NewListener, message));
            return;
        }
        let mut next = self.scenario.clone();
        let bus = ensure_bus(&mut next);
        next.event_bus.listeners.push(ListenerSpec {
            id: name.clone(),
            bus,
            subscriptions: vec![],
            processing_time: eda_sim::scenario::default_processing_time(),
        });
        if self.replace_scenario(next) {
            self.announcement = format!("Added listener {name}.");
        }
    }

    fn remove_entity(&mut self, name: &str) {
        let mut next = self.scenario.clone();
        let spec = &mut next.event_bus;
        spec.sources.retain(|s| s.id != name);
        spec.listeners.retain(|l| l.id != name);
        // Timed commands aimed at the removed entity go with it.
        next.script.retain(|entry| entry.command.target().1 != name);
        if self.replace_scenario(next) {
            if self.selected_source.as_deref() == Some(name) {
                self.selected_source = self.scenario.event_bus.sources.first().map(|s| s.id.clone());
            }
            self.announcement = format!("Removed {name}.");
            if self.log_entity == name {
                self.log_entity.clear();
            }
            self.selected.retain(|n| n != name);
        }
    }

    /// `wanted`, or the first free `kind-N` when `wanted` is empty.
    fn fresh_name(&self, wanted: &str, kind: &str) -> String {
        if !wanted.is_empty() {
            return wanted.to_string();
        }
        (1..)
            .map(|n| format!("{kind}-{n}"))
            .find(|n| self.sim().entity_id(n).is_none())
            .unwrap_or_default()
    }

    fn name_is_free(&self, name: &str) -> Result<(), String> {
        if name.len() > eda_sim::kernel::limits::MAX_NAME_BYTES {
            return Err(format!(
                "Names are at most {} characters.",
                eda_sim::kernel::limits::MAX_NAME_BYTES
            ));
        }
        if let Some(id) = self.sim().entity_id(name) {
            let kind = self.sim().entity(id).kind.label();
            return Err(format!("The name \"{name}\" is already used by a {kind}."));
        }
        Ok(())
    }

    /// Makes `next` the scenario if it is valid, re-running to the current instant. On error
    /// the previous scenario and simulation stay exactly as they were.
    fn replace_scenario(&mut self, next: Scenario) -> bool {
        let started = !self.at_start();
        let target = self.sim().now();
        match Timeline::new(&next) {
            Ok(mut timeline) => {
                // Untouched runs stay untouched: nothing at time 0 runs until the user asks.
                let outcome = if started {
                    timeline.run_until(target, u64::MAX).map(|_| ())
                } else {
                    Ok(())
                };
                self.scenario = next;
                self.timeline = timeline;
                self.scenario_revision += 1;
                self.edit_revision += 1;
                self.share_link = None; // it showed the scenario before this change
                self.inspected = None; // record numbers may differ in the new run
                self.field_error = None;
                if let Err(e) = outcome {
                    self.fail(&e);
                }
                true
            }
            Err(e) => {
                self.error = Some(format!("That change was not applied: {e}"));
                false
            }
        }
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

    /// The newest records up to the cursor that pass the log's filters, newest first (a
    /// filter searches at most the newest [`LOG_SEARCH_DEPTH`] records).
    pub fn log_rows(&self) -> Vec<LogRow> {
        let (records, start) = (self.timeline.records(), self.timeline.records_start());
        let needle = self.log_text.trim().to_ascii_lowercase();
        let filtering = !needle.is_empty() || !self.log_entity.is_empty();
        let rows = LOG_ROWS;
        let depth = if filtering { LOG_SEARCH_DEPTH } else { rows };
        // The entity filter compares ids before any text is built.
        let entity = (!self.log_entity.is_empty()).then(|| self.sim().entity_id(&self.log_entity));
        records
            .iter()
            .enumerate()
            .rev()
            .take(depth)
            .filter(|(_, r)| match entity {
                None => true,
                Some(None) => false,
                Some(Some(id)) => {
                    let (from, to) = r.kind.endpoints();
                    from == id || to == Some(id)
                }
            })
            .map(|(i, r)| LogRow::of(self.sim(), start + i, r))
            .filter(|row| {
                needle.is_empty()
                    || [&row.what, &row.event, &row.from, &row.to]
                        .iter()
                        .any(|f| f.to_ascii_lowercase().contains(&needle))
            })
            .take(rows)
            .collect()
    }
}

/// Milliseconds of the page's clock (0 outside a browser: native tests never run out of time).
fn wall_clock_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// Reads a whole number of milliseconds typed into a field (0 to one day).
pub fn parse_ms(text: &str) -> Result<SimDuration, String> {
    let value: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("\"{}\" is not a whole number of milliseconds.", text.trim()))?;
    if value > eda_sim::kernel::limits::MAX_DURATION_US / 1_000 {
        return Err("at most one day (86400000 ms).".into());
    }
    Ok(SimDuration::from_millis(value))
}

/// The id of the scenario's first bus, creating one if there is none.
fn ensure_bus(scenario: &mut Scenario) -> String {
    if scenario.event_bus.buses.is_empty() {
        scenario.event_bus.buses.push(BusSpec {
            id: "event-bus".into(),
            dispatch_delay: eda_sim::scenario::default_dispatch_delay(),
        });
    }
    scenario.event_bus.buses[0].id.clone()
}

/// One row of the event log, ready to display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    /// The record's index in the run's history.
    pub index: usize,
    pub time: String,
    /// The same instant to the microsecond, for a hover.
    pub time_exact: String,
    pub what: String,
    pub event: String,
    pub from: String,
    pub to: String,
}

impl LogRow {
    pub fn of(sim: &Sim, index: usize, record: &eda_sim::TraceRecord) -> LogRow {
        let kind = &record.kind;
        let event = kind.subject(sim);
        let (from, to) = kind.endpoints();
        LogRow {
            index,
            time: crate::human_time::clock(record.time),
            time_exact: crate::human_time::exact(record.time),
            what: kind.verb().to_string(),
            event,
            from: sim.entity_name(from).to_string(),
            to: to.map(|t| sim.entity_name(t).to_string()).unwrap_or_else(|| "—".into()),
        }
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
        if matches!(action, Action::Tick { .. }) && !self.model.borrow().playing {
            return self;
        }
        {
            let mut model = self.model.borrow_mut();
            if !matches!(action, Action::Tick { .. }) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::order_example()
    }

    #[test]
    fn stepping_processes_one_event_and_announces_it() {
        let mut m = model();
        m.apply(Action::Step);
        assert_eq!(m.sim().events_processed(), 1);
        assert!(
            m.announcement
                .contains("Published OrderCreated #0 order-system → order-events"),
            "{}",
            m.announcement
        );
    }

    #[test]
    fn a_listener_added_and_subscribed_from_the_ui_receives_a_published_event() {
        let mut m = model();
        m.apply(Action::AddListener("audit".into()));
        m.apply(Action::SetSubscription {
            listener: "audit".into(),
            event_type: "OrderStateChanged".into(),
            subscribed: true,
        });
        assert_eq!(
            m.scenario.event_bus.listeners[1].subscriptions,
            ["OrderStateChanged"],
            "at time 0 it is an initial subscription"
        );
        m.apply(Action::Publish {
            event_type: "OrderPaid".into(),
        });
        for _ in 0..8 {
            m.apply(Action::Step);
        }
        let delivered_to_audit = m
            .log_rows()
            .iter()
            .any(|r| r.what == "Delivered" && r.to == "audit" && r.event == "OrderPaid #1");
        assert!(delivered_to_audit, "{:?}", m.log_rows());
    }

    #[test]
    fn a_subscription_changed_mid_run_becomes_a_timed_command() {
        let mut m = model();
        m.apply(Action::Step);
        m.apply(Action::Tick { wall_ms: 0.0 });
        let now = m.sim().now();
        m.apply(Action::SetSubscription {
            listener: "sms".into(),
            event_type: "OrderStateChanged".into(),
            subscribed: false,
        });
        let last = m.scenario.script.last().unwrap();
        assert_eq!(last.at.0, now.0);
        assert!(matches!(last.command, Command::Unsubscribe { .. }));
        assert_eq!(m.sim().now(), now, "the re-run lands on the same instant");
    }

    #[test]
    fn playing_advances_virtual_time_by_wall_time_times_speed() {
        // Nothing moves in an empty scenario, so the clock keeps the chosen speed.
        let mut m = Model::new(Scenario::empty(1)).unwrap();
        m.apply(Action::SetSpeed(SPEED_REAL_TIME + 2)); // 10×
        m.apply(Action::Tick { wall_ms: 50.0 });
        assert_eq!(m.sim().now(), SimTime::ZERO, "ticks do nothing while paused");
        m.apply(Action::Play);
        m.apply(Action::Tick { wall_ms: 50.0 });
        assert_eq!(m.sim().now(), SimTime(500_000));
        m.apply(Action::Tick { wall_ms: 10_000.0 });
        assert_eq!(m.sim().now(), SimTime(1_500_000), "one frame counts for at most 100 ms");
    }

    /// Plays `m` for `frames` frames of 16 ms; returns, per frame, the trips in flight.
    fn play_frames(m: &mut Model, frames: usize) -> Vec<Vec<crate::motion::Trip>> {
        m.apply(Action::Play);
        (0..frames)
            .map(|_| {
                m.apply(Action::Tick { wall_ms: 16.0 });
                crate::motion::trips_of(m.sim()).0
            })
            .collect()
    }

    #[test]
    fn a_lone_message_slows_the_clock_so_its_trip_is_seen_over_many_frames() {
        let mut m = model();
        let frames = play_frames(&mut m, 400);
        assert!(m.effective_speed <= 1.0);
        // The first trip (a published event on its way) is on screen for at least 40 frames, at
        // increasing progress, and the clock is slowed below 1× for it.
        let first = frames.iter().position(|f| !f.is_empty()).expect("a message moves");
        let trip = frames[first][0];
        let shown = frames.iter().filter(|f| f.contains(&trip)).count();
        assert!(shown >= 40, "shown in {shown} frames");
        assert!(
            first < 130,
            "the first message moves within two seconds (frame {first})"
        );
    }

    #[test]
    fn a_long_stretch_with_nothing_scheduled_is_skipped_and_said() {
        let mut m = model();
        m.apply(Action::LoadPreset("event-sourcing".into()));
        assert!(m.error.is_none(), "{:?}", m.error);
        play_frames(&mut m, 2);
        let note = m.skip_note.clone().expect("skipped");
        assert!(
            note.starts_with("Skipped ") && note.ends_with(" with nothing scheduled"),
            "{note}"
        );
        assert!(m.sim().now() > SimTime(3_600_000_000), "{}", m.sim().now());
        // What the user does next clears the note.
        m.apply(Action::Pause);
        assert_eq!(m.skip_note, None);
    }

    #[test]
    fn a_taken_name_is_refused_next_to_its_field_and_nothing_changes() {
        let mut m = model();
        let before = m.scenario.clone();
        m.apply(Action::AddListener("sms".into()));
        assert_eq!(m.scenario, before);
        let (field, message) = m.field_error.clone().unwrap();
        assert_eq!(field, Field::NewListener);
        assert_eq!(message, "The name \"sms\" is already used by a listener.");
    }

    #[test]
    fn removing_a_source_removes_its_script_and_keeps_the_clock() {
        let mut m = model();
        m.apply(Action::Play);
        m.apply(Action::Tick { wall_ms: 50.0 });
        let now = m.sim().now();
        m.apply(Action::RemoveEntity("order-system".into()));
        assert!(m
            .scenario
            .script
            .iter()
            .all(|e| !matches!(e.command, Command::Publish { .. })));
        assert_eq!(m.sim().now(), now);
        assert_eq!(m.selected_source, None);
        m.apply(Action::Publish {
            event_type: "OrderPaid".into(),
        });
        assert!(m.error.as_deref().unwrap().contains("Add a source first"));
    }

    #[test]
    fn a_bad_processing_time_is_refused_with_a_message() {
        let mut m = model();
        m.apply(Action::SetProcessingTimeMs {
            listener: "sms".into(),
            text: "fast".into(),
        });
        assert!(m.field_error.unwrap().1.contains("\"fast\" is not a whole number"));
        let mut m = model();
        m.apply(Action::SetProcessingTimeMs {
            listener: "sms".into(),
            text: "250".into(),
        });
        assert_eq!(
            m.scenario.event_bus.listeners[0].processing_time,
            eda_sim::Distribution::Constant(SimDuration(250_000))
        );
    }

    #[test]
    fn reset_returns_to_time_zero_with_the_same_scenario() {
        let mut m = model();
        for _ in 0..5 {
            m.apply(Action::Step);
        }
        let scenario = m.scenario.clone();
        m.apply(Action::Reset);
        assert_eq!((m.sim().now(), m.timeline.records().len()), (SimTime::ZERO, 0));
        assert_eq!(m.scenario, scenario);
    }

    #[test]
    fn stepping_back_restores_the_previous_moment_exactly() {
        let mut m = model();
        for _ in 0..3 {
            m.apply(Action::Step);
        }
        let (now, rows, hash) = (m.sim().now(), m.log_rows(), m.sim().trace_hash());
        m.apply(Action::Step);
        m.apply(Action::StepBack);
        assert_eq!((m.sim().now(), m.log_rows(), m.sim().trace_hash()), (now, rows, hash));
        assert!(m.announcement.starts_with("Stepped back to"));
    }

    #[test]
    fn seeking_and_jumping_show_the_state_at_that_instant() {
        let mut m = model();
        m.apply(Action::SeekTime(SimTime(1_500_000)));
        assert_eq!(m.sim().now(), SimTime(1_500_000));
        let handled: Vec<String> = m
            .log_rows()
            .into_iter()
            .filter(|r| r.what == "Handled")
            .map(|r| r.event)
            .collect();
        assert_eq!(handled, ["OrderPaid #1", "OrderCreated #0"]);
        m.apply(Action::JumpTo("0.5s".into()));
        assert_eq!(m.sim().now(), SimTime(500_000));
        assert_eq!(m.log_rows().iter().filter(|r| r.what == "Handled").count(), 1);
        m.apply(Action::JumpTo("soon".into()));
        let (field, message) = m.field_error.clone().unwrap();
        assert_eq!(field, Field::JumpTo);
        assert!(message.contains("unknown unit \"soon\""), "{message}");
        assert_eq!(m.sim().now(), SimTime(500_000), "a bad time changes nothing");
    }

    #[test]
    fn loading_an_example_replaces_the_scenario_and_commands_act_on_any_pattern() {
        let mut m = model();
        m.apply(Action::SetSpeed(8));
        m.apply(Action::LoadPreset("request-reply".into()));
        assert_eq!(m.scenario.name, "Shop checkout under a load ramp");
        assert_eq!(m.speed_index, 8, "the speed is kept");
        assert_eq!(m.sim().now(), SimTime::ZERO);
        m.apply(Action::RunCommand(Command::Crash {
            entity: "order-service".into(),
        }));
        m.apply(Action::SeekTime(SimTime(1_000_000)));
        let report = m.sim().report();
        let service = report.entity("order-service").unwrap();
        assert_eq!(
            service.number("completed"),
            Some(0.0),
            "crashed at 0: nothing completes"
        );
        assert!(service.number("refused").unwrap() > 0.0);
        m.apply(Action::LoadPreset("nope".into()));
        assert_eq!(m.error.as_deref(), Some("There is no built-in example \"nope\"."));
        assert_eq!(m.scenario.name, "Shop checkout under a load ramp", "nothing lost");
    }

    #[test]
    fn the_log_filters_by_entity_and_text_and_a_row_moves_the_cursor_to_its_event() {
        let mut m = model();
        m.apply(Action::SeekTime(SimTime(3_000_000)));
        m.apply(Action::FilterLog {
            entity: "sms".into(),
            text: "handled".into(),
        });
        let rows = m.log_rows();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.what == "Handled" && r.from == "sms"));
        let paid = rows.iter().find(|r| r.event == "OrderPaid #1").unwrap().clone();
        m.apply(Action::SeekToRecord(paid.index));
        assert_eq!(
            m.sim().now().to_string(),
            paid.time,
            "the cursor is at the record's instant"
        );
        assert_eq!(m.log_rows()[0], paid, "and the record is the newest one shown");
        assert_eq!(m.selected, ["sms"]);
        m.apply(Action::FilterLog {
            entity: String::new(),
            text: "nothing matches this".into(),
        });
        assert!(m.log_rows().is_empty());
    }

    #[test]
    fn reset_after_running_past_the_last_event_returns_to_zero() {
        let mut m = model();
        m.apply(Action::SeekTime(SimTime(10_000_000)));
        assert_eq!(m.sim().now(), SimTime(10_000_000));
        m.apply(Action::Reset);
        assert_eq!(m.sim().now(), SimTime::ZERO);
        assert!(m.log_rows().is_empty());
        m.apply(Action::SeekTime(SimTime(4_000_000)));
        assert_eq!(m.sim().now(), SimTime(4_000_000), "the whole span stays reachable");
    }

    #[test]
    fn picking_an_event_shows_the_path_of_its_message_so_far() {
        let mut m = model();
        m.apply(Action::SeekTime(SimTime(3_000_000)));
        let delivered = m
            .log_rows()
            .into_iter()
            .find(|r| r.what == "Delivered" && r.event == "OrderPaid #1")
            .unwrap();
        m.apply(Action::SeekToRecord(delivered.index));
        let (picked, path) = m.inspected.clone().unwrap();
        assert_eq!(picked, delivered.index);
        let whats: Vec<String> = path
            .iter()
            .map(|&i| LogRow::of(m.sim(), i, &m.timeline.records()[i]).what)
            .collect();
        // Up to the picked record: what happened to it later is not part of its path so far.
        assert_eq!(whats, ["Published", "Dispatched", "Delivered"]);
        assert!(path
            .iter()
            .all(|&i| LogRow::of(m.sim(), i, &m.timeline.records()[i]).event == "OrderPaid #1"));
        m.apply(Action::CloseInspector);
        assert!(m.inspected.is_none());
    }

    #[test]
    fn panels_redraw_on_every_action_and_every_tenth_of_a_second_while_playing() {
        let playground = Rc::new(Playground::default());
        let revision = |p: &Rc<Playground>| p.model.borrow().panel_revision;
        let before = revision(&playground);
        let playground = playground.reduce(Action::LoadPreset("topics".into()));
        assert!(revision(&playground) > before, "loading an example redraws the panels");
        let playground = playground.reduce(Action::Play);
        let after_play = revision(&playground);
        let playground = playground.reduce(Action::Tick { wall_ms: 40.0 });
        assert_eq!(revision(&playground), after_play, "a frame alone does not redraw them");
        let playground = playground.reduce(Action::Tick { wall_ms: 70.0 });
        assert_eq!(revision(&playground), after_play + 1, "but 100 ms of frames do");
    }

    #[test]
    fn building_from_empty_edits_properties_and_deletes_after_confirmation() {
        let mut m = model();
        m.apply(Action::StartEmpty);
        assert!(
            matches!(m.confirmation, Some(Confirmation::Clear { .. })),
            "a scenario with entities asks first"
        );
        m.apply(Action::Confirm(true));
        assert!(m.sim().entities().is_empty());
        for (kind, name) in [("queue", "work"), ("producer", "jobs"), ("consumer", "worker")] {
            m.apply(Action::AddEntity {
                kind: kind.into(),
                name: name.into(),
            });
        }
        assert_eq!(m.editing, Some(("consumer".to_string(), "worker".to_string())));
        m.apply(Action::SetProperty {
            key: "prefetch".into(),
            text: "lots".into(),
        });
        assert!(m
            .property_error
            .as_ref()
            .is_some_and(|(k, msg)| k == "prefetch" && msg.contains("whole number")));
        m.apply(Action::SetProperty {
            key: "prefetch".into(),
            text: "4".into(),
        });
        assert_eq!(m.property_error, None);
        assert_eq!(m.scenario.broker.consumers[0].prefetch, 4);
        m.apply(Action::EditEntity(Some(("producer".into(), "jobs".into()))));
        m.apply(Action::SetProperty {
            key: "emits.every".into(),
            text: "100ms".into(),
        });
        m.apply(Action::SeekTime(SimTime(1_000_000)));
        m.apply(Action::EditEntity(Some(("queue".into(), "work".into()))));
        m.apply(Action::DeleteEntity);
        let Some(Confirmation::Delete { detail, .. }) = &m.confirmation else {
            panic!("deleting a queue with traffic asks first");
        };
        assert!(detail.contains("producer jobs, consumer worker"), "{detail}");
        m.apply(Action::Confirm(false));
        assert_eq!(m.scenario.broker.queues.len(), 1, "cancel keeps it");
        m.apply(Action::DeleteEntity);
        m.apply(Action::Confirm(true));
        assert!(m.scenario.broker.is_empty());
        assert_eq!(m.sim().now(), SimTime(1_000_000), "the cursor stays where it was");
    }

    #[test]
    fn a_missing_prerequisite_is_named_next_to_the_add_form() {
        let mut m = Model::new(Scenario::empty(1)).unwrap();
        m.apply(Action::AddEntity {
            kind: "client".into(),
            name: "shop".into(),
        });
        let Some((Field::NewEntity, message)) = &m.field_error else {
            panic!("expected a message for the add form");
        };
        assert!(message.contains("Add a service first"), "{message}");
        assert!(m.sim().entities().is_empty());
    }

    #[test]
    fn a_link_reopens_the_same_moment_selection_and_hash() {
        let mut m =
            Model::new(Scenario::from_json(eda_sim::view::presets::preset("queues").unwrap().json).unwrap()).unwrap();
        m.apply(Action::SeekTime(SimTime(2_500_000)));
        let row = m.log_rows()[3].clone();
        m.apply(Action::SeekToRecord(row.index));
        let link = m.link().unwrap();
        let mut other = model();
        other.apply(Action::OpenLink(format!("http://127.0.0.1:8080/#{link}")));
        assert_eq!(other.error, None);
        assert_eq!(other.sim().now(), m.sim().now());
        assert_eq!(
            other.sim().events_processed(),
            m.sim().events_processed(),
            "the exact event, not just the instant"
        );
        assert_eq!(other.sim().trace_hash(), m.sim().trace_hash());
        assert_eq!(other.selected, m.selected);
        // Between two events of one instant: the link keeps the exact event.
        let mut m =
            Model::new(Scenario::from_json(eda_sim::view::presets::preset("queues").unwrap().json).unwrap()).unwrap();
        for _ in 0..10_000 {
            if m.sim().events_processed() > 0 && m.sim().next_event_time() == Some(m.sim().now()) {
                break;
            }
            m.apply(Action::Step);
        }
        assert_eq!(
            m.sim().next_event_time(),
            Some(m.sim().now()),
            "found two events at one instant"
        );
        let mut other = model();
        other.apply(Action::OpenLink(m.link().unwrap()));
        assert_eq!(other.sim().events_processed(), m.sim().events_processed());
        assert_eq!(other.sim().trace_hash(), m.sim().trace_hash());
    }

    #[test]
    fn a_bad_link_or_file_is_named_and_the_scenario_stays() {
        let mut m = model();
        let before = m.scenario.clone();
        m.apply(Action::OpenLink("#v1.@@@".into()));
        assert!(m.error.as_ref().unwrap().contains("base64url"), "{:?}", m.error);
        assert_eq!(m.scenario, before);
        for (name, size, text, message) in [
            (
                "a.json",
                10,
                Some("nope".to_string()),
                "a.json was not imported: it is not JSON",
            ),
            (
                "b.json",
                0,
                Some(String::new()),
                "b.json was not imported: the file is empty.",
            ),
            (
                "c.json",
                50 * 1024 * 1024,
                None,
                "c.json was not imported: it is 50.0 MB",
            ),
            ("d.json", 20, Some("{\"version\": 3}".to_string()), "version"),
        ] {
            m.apply(Action::ImportFile {
                name: name.into(),
                size_bytes: size,
                text,
            });
            let error = m.error.take().unwrap();
            assert!(error.contains(message), "{error}");
            assert!(error.contains("The scenario on screen is unchanged."), "{error}");
            assert_eq!(m.scenario, before);
        }
    }

    #[test]
    fn a_saved_scenario_is_offered_only_when_it_differs_and_restored_on_request() {
        let mut m = model();
        m.apply(Action::OfferRestore(m.scenario.to_json_pretty()));
        assert!(m.restore_offer.is_none(), "the same scenario is not offered");
        m.apply(Action::OfferRestore("not json".into()));
        assert!(m.restore_offer.is_none(), "a broken save is not offered");
        let saved = eda_sim::view::presets::preset("topics").unwrap().json.to_string();
        m.apply(Action::OfferRestore(saved));
        assert!(m.restore_offer.is_some());
        m.apply(Action::Restore(true));
        assert_eq!(m.scenario.name, "Order status over a broker");
        assert!(m.restore_offer.is_none());
    }

    /// A queue whose name carries an invisible character, as an earlier build let it be saved.
    const SAVED_BEFORE_THE_STRICTER_RULES: &str =
        r#"{"version": 1, "name": "Jobs", "broker": {"queues": [{"id": "jobs\u200b"}]}}"#;

    #[test]
    fn a_saved_scenario_refused_by_the_stricter_rules_is_offered_repaired_and_says_how() {
        let mut m = model();
        assert!(Scenario::from_json(SAVED_BEFORE_THE_STRICTER_RULES).is_err());
        m.apply(Action::OfferRestore(SAVED_BEFORE_THE_STRICTER_RULES.into()));
        assert_eq!(
            m.restore_repairs,
            [r#"renamed "jobs\u{200b}" to "jobs", without its invisible characters"#]
        );
        m.apply(Action::Restore(true));
        assert_eq!(m.scenario.name, "Jobs");
        assert_eq!(m.scenario.broker.queues[0].id, "jobs");
    }

    #[test]
    fn a_link_refused_by_the_stricter_rules_says_why_and_opens_repaired_on_request() {
        let mut m = model();
        let before = m.scenario.clone();
        let json = format!("{{\"scenario\":{SAVED_BEFORE_THE_STRICTER_RULES}}}");
        let link = eda_sim::view::share::encode_json(&json);
        m.apply(Action::OpenLink(link));
        assert!(
            m.error.as_deref().unwrap().contains("scenario.broker.queues[0].id"),
            "{:?}",
            m.error
        );
        assert_eq!(m.scenario, before, "nothing changed yet");
        assert!(m.repair_offer().is_some());
        // Another alert replaces the offer's: the repair is no longer offered with it.
        let refused = m.error.clone();
        m.error = Some("Another problem.".into());
        assert!(m.repair_offer().is_none());
        m.apply(Action::OpenRepairedLink);
        assert_eq!(m.scenario, before, "a stale offer opens nothing");
        m.error = refused;
        m.apply(Action::OpenRepairedLink);
        assert_eq!(m.error, None);
        assert_eq!(m.scenario.broker.queues[0].id, "jobs");
        assert!(m.announcement.starts_with("Opened a repaired copy of the link"));
    }
}
