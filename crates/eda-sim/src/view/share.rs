//! Share links: a scenario, its seed, a moment and a selection in a URL fragment, so that a
//! link reopens exactly the same run at exactly the same moment. Links carry inputs, never
//! outputs: opening one re-runs the simulation.
//!
//! Format `v1.<data>`: `<data>` is base64url (no padding) of a 4-byte big-endian CRC-32 of the
//! JSON text, followed by that JSON compressed with raw deflate. Decoding goes through
//! [`upgrade`], one step per past format version, so links made by older builds keep opening.
//! Every way a link can be wrong is a [`LinkError`] with a message for the user.

use crate::kernel::time::SimDuration;
use crate::scenario::{Problem, Scenario, ScenarioError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The link format this build writes (and the newest it reads).
pub const LINK_VERSION: u32 = 1;
/// Longest link accepted, in bytes of its fragment: beyond it, a file is the way to share.
pub const MAX_LINK_BYTES: usize = 32 * 1024;
/// Most bytes a link's JSON may inflate to (a small link cannot expand into a huge document).
pub const MAX_INFLATED_BYTES: usize = 1024 * 1024;

/// CRC-32 (ISO-HDLC, the zlib/PNG one) with a 1 KB table: the link's checksum. The byte-wise
/// table keeps the wasm small; links are short, so speed does not matter here.
const LINK_CRC: crc::Crc<u32, crc::Table<1>> = crc::Crc::<u32, crc::Table<1>>::new(&crc::CRC_32_ISO_HDLC);

/// The checksum a link carries in front of its deflated JSON.
pub fn checksum(bytes: &[u8]) -> u32 {
    LINK_CRC.checksum(bytes)
}

/// What a link carries.
/// Written as JSON; read back field by field (see `from_current`), so that the scenario goes
/// through the scenario loader and its problems keep their paths.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharedState {
    pub scenario: Scenario,
    /// The moment the link opens at (the cursor); time 0 if absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<SimDuration>,
    /// Events processed at the cursor: the exact moment, even between two events of one instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<u64>,
    /// Entities shown selected.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub selected: Vec<String>,
    /// The entity whose properties are open, as `kind/name` (`queue/work`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editing: Option<String>,
    /// The sharer's language (a BCP 47 tag such as `zh-CN`): the page opens in it unless its
    /// reader has chosen one. Optional, so the format version is the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl SharedState {
    pub fn new(scenario: Scenario) -> Self {
        SharedState {
            scenario,
            cursor: None,
            events: None,
            selected: Vec::new(),
            editing: None,
            lang: None,
        }
    }
}

/// Runs `sim` to the link's moment: its event count, then on to its cursor time if the clock
/// stood past that event. At most `max_events` events; false if they did not suffice.
pub fn run_to_moment(sim: &mut crate::Sim, state: &SharedState, max_events: u64) -> Result<bool, crate::SimError> {
    let mut budget = max_events;
    if let Some(events) = state.events {
        while sim.events_processed() < events {
            if budget == 0 {
                return Ok(false);
            }
            if !sim.step()? {
                break;
            }
            budget -= 1;
        }
    }
    if let Some(cursor) = state.cursor {
        let cursor = crate::SimTime(cursor.0);
        if cursor > sim.now() {
            return Ok(sim.run_until_budget(cursor, budget)?.reached);
        }
    }
    Ok(true)
}

/// A [`SharedState`] without its scenario.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedRest {
    #[serde(default)]
    cursor: Option<SimDuration>,
    #[serde(default)]
    events: Option<u64>,
    #[serde(default)]
    selected: Vec<String>,
    #[serde(default)]
    editing: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// Why a link could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing after `#`.
    Empty,
    /// Longer than [`MAX_LINK_BYTES`].
    TooLong { bytes: usize },
    /// Does not start with `v<number>.`: not one of ours.
    NotOurFormat,
    /// Made by a newer build.
    FutureVersion { version: u64 },
    /// A version no build ever wrote (0, or a number that does not fit).
    UnknownVersion { text: String },
    /// Not base64url; `position` is the first offending character.
    BadBase64 { position: usize, character: char },
    /// The data stops before the end of the compressed document.
    Truncated,
    /// The compressed data is not deflate.
    Corrupt,
    /// Inflates past [`MAX_INFLATED_BYTES`].
    TooBig,
    /// The checksum does not match the content.
    WrongChecksum { expected: u32, found: u32 },
    /// The content is not a JSON document of the right shape.
    NotJson { message: String },
    /// The scenario inside is not valid (each problem with its JSON path).
    InvalidScenario(Vec<Problem>),
    /// A lesson link names a built-in lesson this build does not have.
    UnknownLesson { id: String },
    /// A lesson link's lesson is not valid (the lesson loader's message).
    InvalidLesson { message: String },
    /// A lesson link names a step the lesson does not have.
    NoSuchStep { step: u64, steps: usize },
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "The link has nothing after \"#\": it holds no scenario."),
            LinkError::TooLong { bytes } => write!(
                f,
                "The link is {bytes} characters long; links are limited to {MAX_LINK_BYTES}. Share the scenario as a file instead (Export scenario)."
            ),
            LinkError::NotOurFormat => write!(
                f,
                "This link is not an EDA Playground scenario: its part after \"#\" should start with \"v{LINK_VERSION}.\" (or \"{}\" for a lesson, \"{}\" for an A/B comparison).",
                crate::view::lesson::LESSON_LINK_PREFIX,
                crate::view::compare::COMPARISON_LINK_PREFIX
            ),
            LinkError::FutureVersion { version } => write!(
                f,
                "This link was made by a newer EDA Playground (link format v{version}); this one reads formats up to v{LINK_VERSION}."
            ),
            LinkError::UnknownVersion { text } => {
                write!(f, "This link names a link format that never existed (\"{text}\").")
            }
            LinkError::BadBase64 { position, character } => write!(
                f,
                "The link is damaged: character {position} of its data ({}) is not allowed there (base64url).",
                character
            ),
            LinkError::Truncated => write!(
                f,
                "The link is cut short: its data ends before the scenario does. Copy the whole link again."
            ),
            LinkError::Corrupt => write!(f, "The link is damaged: its data is not a compressed scenario."),
            LinkError::TooBig => write!(
                f,
                "The link's scenario would be over {} KB once unpacked, more than a link may hold.",
                MAX_INFLATED_BYTES / 1024
            ),
            LinkError::WrongChecksum { expected, found } => write!(
                f,
                "The link is damaged: its checksum says {expected:08x} but its content gives {found:08x}."
            ),
            LinkError::NotJson { message } => write!(f, "The link's content cannot be read: {message}."),
            LinkError::InvalidScenario(problems) => {
                write!(
                    f,
                    "The link's scenario has {} problem{}: ",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )?;
                let listed: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                write!(f, "{}.", listed.join("; "))
            }
            LinkError::UnknownLesson { id } => {
                write!(f, "The link opens the lesson {id:?}, which this EDA Playground does not have.")
            }
            LinkError::InvalidLesson { message } => write!(f, "The link's lesson cannot be opened: {message}"),
            LinkError::NoSuchStep { step, steps } => write!(
                f,
                "The link opens step {step} of a lesson with {steps} step{}.",
                if *steps == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for LinkError {}

/// The fragment (without `#`) for `state`, in the current format.
pub fn encode(state: &SharedState) -> String {
    encode_json(&serde_json::to_string(state).expect("a shared state is always valid JSON"))
}

/// The fragment for a document already written as JSON text (what [`encode`] writes for a
/// state; tests use it to write links no current build would).
pub fn encode_json(json: &str) -> String {
    format!("v{LINK_VERSION}.{}", pack(json))
}

/// A link's data part for a JSON text: base64url of its CRC-32 and its deflated bytes (every
/// kind of link packs its document this way; only the prefix differs).
pub fn pack(json: &str) -> String {
    let mut payload = checksum(json.as_bytes()).to_be_bytes().to_vec();
    payload.extend(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9));
    URL_SAFE_NO_PAD.encode(payload)
}

/// The part of a link after `#` (or the whole text when it has none), trimmed and checked for
/// being empty or too long.
pub fn fragment(link: &str) -> Result<&str, LinkError> {
    let fragment = link.trim();
    let fragment = match fragment.find('#') {
        Some(at) => &fragment[at + 1..],
        None => fragment,
    };
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    if fragment.len() > MAX_LINK_BYTES {
        return Err(LinkError::TooLong { bytes: fragment.len() });
    }
    Ok(fragment)
}

/// Reads a link: a whole URL, a fragment with or without `#`, surrounding spaces allowed.
pub fn decode(link: &str) -> Result<SharedState, LinkError> {
    let (text, value) = document(link)?;
    // A key written twice would otherwise be read as its last value.
    if let Some((path, key)) = crate::kernel::unique_keys::first_duplicate_key(&text) {
        let place = if path.is_empty() {
            String::new()
        } else {
            format!("{path}: ")
        };
        return Err(LinkError::NotJson {
            message: format!("{place}the key {key:?} is written twice"),
        });
    }
    from_current(value, read_scenario)
}

/// A link that the stricter loading rules refuse, repaired (see [`crate::view::repair`]): the
/// state it opens and what was changed; `None` when it is broken in any other way.
pub fn repair(link: &str) -> Option<(SharedState, Vec<String>)> {
    let (text, value) = document(link).ok()?;
    let mut changes = Vec::new();
    if let Some((path, key)) = crate::kernel::unique_keys::first_duplicate_key(&text) {
        changes.push(crate::view::repair::kept_last(&path, &key));
    }
    let state = from_current(value, |scenario| {
        let repaired = crate::view::repair::repair_value(scenario, std::mem::take(&mut changes));
        let repaired = repaired.ok_or(LinkError::Corrupt)?;
        changes = repaired.changes;
        Ok(repaired.scenario)
    })
    .ok()?;
    Some((state, changes))
}

/// A link's JSON text, and its document brought to the current format.
fn document(link: &str) -> Result<(String, Value), LinkError> {
    let (version, data) = split_kind(fragment(link)?, "v", LINK_VERSION as u64)?;
    let text = unpack_text(data)?;
    let value: Value = serde_json::from_str(&text).map_err(|e| LinkError::NotJson { message: e.to_string() })?;
    Ok((text, upgrade(version, value)?))
}

/// A link's data part as checked, inflated JSON text (read as text, as scenario files are:
/// one JSON parser in the wasm, not one per input type).
pub fn unpack_text(data: &str) -> Result<String, LinkError> {
    String::from_utf8(unpack_data(data)?).map_err(|e| LinkError::NotJson {
        message: format!("it is not UTF-8 text ({e})"),
    })
}

/// The checked, inflated JSON bytes of a link's data part (see [`pack`]).
pub fn unpack_data(data: &str) -> Result<Vec<u8>, LinkError> {
    // Links are written without padding; a tool that adds `=` does not break them.
    let lenient = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let bytes = lenient.decode(data).map_err(|e| bad_base64(data, e))?;
    if bytes.len() < 4 {
        return Err(LinkError::Truncated);
    }
    let expected = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes[4..], MAX_INFLATED_BYTES).map_err(|e| {
        use miniz_oxide::inflate::TINFLStatus;
        match e.status {
            TINFLStatus::HasMoreOutput => LinkError::TooBig,
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => LinkError::Truncated,
            _ => LinkError::Corrupt,
        }
    })?;
    let found = checksum(&json);
    if found != expected {
        return Err(LinkError::WrongChecksum { expected, found });
    }
    Ok(json)
}

/// Brings a link's document from `version` to the current format, one version at a time.
/// Version 1 is the first and current one; a future format change adds a step here (and keeps
/// frozen links of every version in the test fixtures).
pub fn upgrade(version: u64, value: Value) -> Result<Value, LinkError> {
    match version {
        1 => Ok(value),
        // A format v2 adds `1 => upgrade(2, v1_to_v2(value)?)` and `2 => Ok(value)`.
        other => Err(LinkError::UnknownVersion {
            text: format!("v{other}"),
        }),
    }
}

/// Reads a current-format document: the scenario with `read_scenario` (the loader, so that its problems
/// carry JSON paths, or the repair), then the rest.
fn from_current(
    value: Value,
    read_scenario: impl FnOnce(Value) -> Result<Scenario, LinkError>,
) -> Result<SharedState, LinkError> {
    let Value::Object(mut map) = value else {
        return Err(LinkError::NotJson {
            message: "it is not a JSON object".into(),
        });
    };
    let scenario = map.remove("scenario").ok_or_else(|| LinkError::NotJson {
        message: "it has no scenario".into(),
    })?;
    let scenario = read_scenario(scenario)?;
    // The rest without the scenario, so that the scenario is read by one deserializer only.
    let map = Value::Object(map);
    let rest: SharedRest = serde_path_to_error::deserialize(map).map_err(|e| LinkError::NotJson {
        message: crate::scenario::path_message(&e),
    })?;
    Ok(SharedState {
        scenario,
        cursor: rest.cursor,
        events: rest.events,
        selected: rest.selected,
        editing: rest.editing,
        lang: rest.lang,
    })
}

/// Reads a link's scenario through the scenario loader, its problems' paths under `scenario`.
fn read_scenario(scenario: Value) -> Result<Scenario, LinkError> {
    Scenario::from_value(scenario).map_err(|e| match e {
        ScenarioError::NotJson { message } => LinkError::NotJson { message },
        other => LinkError::InvalidScenario(other.problems_under("scenario")),
    })
}

/// The version number of a fragment of link kind `word` (`v`, `lesson`, `ab`): the digits
/// between the word and the first dot, if that is its shape.
fn kind_version<'a>(fragment: &'a str, word: &str) -> Option<(&'a str, &'a str)> {
    let (number, data) = fragment.strip_prefix(word)?.split_once('.')?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then_some((number, data))
}

/// Whether `link` (a URL or its fragment) is of link kind `word` (any version).
pub fn is_kind(link: &str, word: &str) -> bool {
    fragment(link).is_ok_and(|f| kind_version(f, word).is_some())
}

/// A fragment of link kind `word` read up to its data: its format version (1 to `newest`; a
/// newer one and one no build wrote are refused by name) and the data part.
pub fn split_kind<'a>(fragment: &'a str, word: &str, newest: u64) -> Result<(u64, &'a str), LinkError> {
    let (number, data) = kind_version(fragment, word).ok_or(LinkError::NotOurFormat)?;
    match number.parse::<u64>() {
        Ok(version) if version > newest => Err(LinkError::FutureVersion { version }),
        Ok(version) if version > 0 => Ok((version, data)),
        _ => Err(LinkError::UnknownVersion {
            text: format!("{word}{number}"),
        }),
    }
}

fn bad_base64(data: &str, error: base64::DecodeError) -> LinkError {
    match error {
        base64::DecodeError::InvalidByte(position, _) => {
            let character = data.get(position..).and_then(|rest| rest.chars().next()).unwrap_or('?');
            LinkError::BadBase64 {
                position: position + 1,
                character,
            }
        }
        // A length or a last character no encoder produces: the link lost its end.
        base64::DecodeError::InvalidLength(_)
        | base64::DecodeError::InvalidLastSymbol(..)
        | base64::DecodeError::InvalidPadding => LinkError::Truncated,
    }
}
