//! Everything a user (or the animation loop) can ask of the playground, and the questions it
//! asks back.

use eda_sim::{Command, SimTime};

/// Something the user (or the animation loop) asks for, by concern: each concern's actions are
/// applied by its own part of the reducer (`playback.rs`, `editing.rs`, `inspection.rs`,
/// `sharing.rs`); the page's own few are here.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Playback(Playback),
    Edit(Edit),
    Inspect(Inspect),
    Share(Share),
    /// Following a guided lesson.
    Lesson(super::LessonAction),
    /// Comparing the scenario with a variant of it.
    Compare(super::CompareAction),
    /// Speak this language: the user's own choice (`chosen`, kept), or the browser's.
    SetLanguage {
        lang: crate::i18n::Lang,
        chosen: bool,
    },
    /// Show or hide the list of keyboard shortcuts.
    ShowShortcuts(bool),
    /// Enter or leave presentation mode (the diagram full-screen, large, with the controls).
    Present(bool),
    /// Fold a panel away, or open it again (by its id: `lanes`, `entities`…).
    TogglePanel(String),
    DismissError,
}

/// Moving along the run: play, pause, step, seek, speed, and the animation frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Playback {
    Play,
    Pause,
    /// Process exactly one simulation event.
    Step,
    /// Undo the last simulation event (restores a snapshot and replays).
    StepBack,
    /// Back to time 0, same scenario and seed.
    Reset,
    /// Move the cursor to this instant (back or forward).
    SeekTime(SimTime),
    /// Move to the instant typed in the "jump to time" field (e.g. `1.5s`).
    JumpTo(String),
    SetSpeed(usize),
    /// One step faster (positive) or slower (negative) on the speed scale.
    ChangeSpeed(i32),
    /// The animation loop: `wall_ms` of real time passed since the last frame.
    Tick {
        wall_ms: f64,
    },
}

/// Changing the scenario: its entities, their properties and links, its timed commands.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Place an entity's node at (`x`, `y`) in diagram units (dragged, or moved with the keys).
    MoveNode {
        name: String,
        x: i32,
        y: i32,
    },
    /// Forget where one node was placed by hand: the automatic layout places it again.
    Unplace {
        name: String,
    },
    /// Forget every node placed by hand: the automatic layout again.
    TidyLayout,
    /// Link two entities, as drawn from one to the other in the diagram (the field that names
    /// the other is set; an exchange and a queue ask for a binding key first).
    Connect {
        from: String,
        to: String,
    },
    /// Bind a queue to an exchange with this key (the answer to the binding-key question).
    Bind {
        exchange: String,
        queue: String,
        key: String,
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
    /// Run a command now (send a request, publish a message, crash or restart an entity…).
    RunCommand(Command),
    /// Set a client's open-loop arrival rate (requests or orders per second; 0 stops the stream).
    SetClientRate {
        client: String,
        text: String,
    },
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
}

/// Reading the run: the log's filters and the inspector.
#[derive(Clone, Debug, PartialEq)]
pub enum Inspect {
    /// Close the inspector.
    CloseInspector,
    /// Show only log records involving this entity (empty: all) and containing this text.
    FilterLog { entity: String, text: String },
    /// Move the cursor to just after the event that wrote this record, selecting its entities.
    SeekToRecord(usize),
    /// Show the message, event or request clicked in the diagram in the inspector, with its
    /// whole path so far (the cursor stays where it is).
    InspectMessage(eda_sim::trace::MessageKey),
}

/// Examples, links, files and the saved scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Share {
    /// Replace the scenario with a built-in one, by id.
    LoadPreset(String),
    /// Open a share link (a whole URL or its fragment).
    OpenLink(String),
    /// Open the repaired copy of the link that was refused.
    OpenRepairedLink,
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
    /// The key to bind a queue to an exchange with (asked when a link is drawn between them).
    BindingKey { exchange: String, queue: String },
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
