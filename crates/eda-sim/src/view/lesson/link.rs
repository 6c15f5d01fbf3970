//! Lesson links: a lesson and one of its steps in a URL fragment, a link kind of its own
//! beside the scenario links (`v1.`), so that every step of every lesson can be shared.
//!
//! Format `lesson1.<data>`: `<data>` is packed like a scenario link's (CRC-32 and deflated
//! JSON, base64url). The JSON is `{"lesson": <id or lesson>, "step": <n from 1>, "lang": "zh-CN"}`: a
//! built-in lesson travels by its id, a teacher's own lesson whole; `lang`, the sharer's page
//! language, may be left out.

use super::builtin::builtin;
use super::format::Lesson;
use crate::view::share::{fragment, is_kind, pack, split_kind, unpack_text, LinkError};
use serde::Deserialize;
use serde_json::Value;

/// What lesson links start with (format version 1 of this kind of link).
pub const LESSON_LINK_PREFIX: &str = "lesson1.";

/// What a lesson link opens.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonLink {
    pub lesson: Lesson,
    /// The step, from 0.
    pub step: usize,
    /// The sharer's page language (a BCP 47 tag), if the link says.
    pub lang: Option<String>,
}

/// The link's JSON; `lesson` is a built-in lesson's id (a string) or a whole lesson (an object).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkDocument {
    lesson: Value,
    #[serde(default = "first_step")]
    step: u64,
    #[serde(default)]
    lang: Option<String>,
}

fn first_step() -> u64 {
    1
}

/// Whether `link` (a URL or its fragment) is a lesson link of any version.
pub fn is_lesson_link(link: &str) -> bool {
    is_kind(link, "lesson")
}

/// The fragment (without `#`) that opens step `step` (from 0) of `lesson`.
pub fn encode_link(lesson: &Lesson, step: usize) -> String {
    encode_link_in(lesson, step, None)
}

/// [`encode_link`] with the sharer's page language (`lang`, a BCP 47 tag).
pub fn encode_link_in(lesson: &Lesson, step: usize, lang: Option<&str>) -> String {
    // Compared and written as JSON text: the wasm already holds those serializers, while a
    // derived comparison or a `Value` of a whole scenario would add their own code.
    let written = serde_json::to_string(lesson).expect("a lesson is always valid JSON");
    let reference = match builtin(&lesson.id) {
        Some(known) if serde_json::to_string(&known).ok().as_deref() == Some(written.as_str()) => {
            serde_json::to_string(&lesson.id).expect("an id is always valid JSON")
        }
        _ => written,
    };
    let lang = lang.map_or(String::new(), |l| format!(",\"lang\":{}", Value::from(l)));
    let json = format!("{{\"lesson\":{reference},\"step\":{}{lang}}}", step as u64 + 1);
    format!("{LESSON_LINK_PREFIX}{}", pack(&json))
}

/// Reads a lesson link: a whole URL or its fragment.
pub fn decode_link(link: &str) -> Result<LessonLink, LinkError> {
    let (_, data) = split_kind(fragment(link)?, "lesson", 1)?;
    let text = unpack_text(data)?;
    let document: LinkDocument =
        serde_json::from_str(&text).map_err(|e| LinkError::NotJson { message: e.to_string() })?;
    let lesson = match document.lesson {
        Value::String(id) => builtin(&id).ok_or(LinkError::UnknownLesson { id })?,
        value => Lesson::from_value(value).map_err(|e| LinkError::InvalidLesson { message: e.to_string() })?,
    };
    let steps = lesson.steps.len();
    if document.step == 0 || document.step > steps as u64 {
        return Err(LinkError::NoSuchStep {
            step: document.step,
            steps,
        });
    }
    Ok(LessonLink {
        lesson,
        step: document.step as usize - 1,
        lang: document.lang,
    })
}
