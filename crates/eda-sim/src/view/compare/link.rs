//! A/B links: both scenarios of a comparison and the moment looked at in one URL fragment, a
//! link kind of its own beside scenario links (`v1.`) and lesson links (`lesson1.`).
//!
//! Format `ab1.<data>`: `<data>` is packed like a scenario link's (CRC-32 and deflated JSON,
//! base64url). The JSON is `{"a": <scenario>, "b": <scenario>, "cursor": "5s", "editing": "b",
//! "lang": "zh-CN"}`; `cursor`, `editing` and the sharer's language `lang` may be left out. The second scenario costs little: deflate finds
//! most of it in the first.

use crate::kernel::time::SimDuration;
use crate::scenario::Scenario;
use crate::view::share::{fragment, is_kind, pack, split_kind, unpack_text, LinkError};
use serde::Deserialize;
use serde_json::Value;

/// What A/B links start with (format version 1 of this kind of link).
pub const COMPARISON_LINK_PREFIX: &str = "ab1.";

/// What an A/B link opens.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonLink {
    pub a: Scenario,
    /// Run with A's seed.
    pub b: Scenario,
    /// The moment looked at; time 0 if absent.
    pub cursor: Option<SimDuration>,
    /// Whether B was the side being edited (shown in the main diagram).
    pub editing_b: bool,
    /// The sharer's page language (a BCP 47 tag), if the link says.
    pub lang: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkRest {
    #[serde(default)]
    cursor: Option<SimDuration>,
    #[serde(default)]
    editing: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// Whether `link` (a URL or its fragment) is an A/B link of any version.
pub fn is_comparison_link(link: &str) -> bool {
    is_kind(link, "ab")
}

/// The fragment (without `#`) of a comparison at `cursor`.
pub fn encode_comparison(a: &Scenario, b: &Scenario, cursor: Option<SimDuration>, editing_b: bool) -> String {
    encode_comparison_in(a, b, cursor, editing_b, None)
}

/// [`encode_comparison`] with the sharer's page language (`lang`, a BCP 47 tag).
pub fn encode_comparison_in(
    a: &Scenario,
    b: &Scenario,
    cursor: Option<SimDuration>,
    editing_b: bool,
    lang: Option<&str>,
) -> String {
    // Written as text with the serializers the share link already uses.
    let mut json = format!("{{\"a\":{},\"b\":{}", a.to_json(), b.to_json());
    if let Some(cursor) = cursor {
        json.push_str(&format!(",\"cursor\":\"{cursor}\""));
    }
    if editing_b {
        json.push_str(",\"editing\":\"b\"");
    }
    if let Some(lang) = lang {
        json.push_str(&format!(",\"lang\":{}", Value::from(lang)));
    }
    json.push('}');
    format!("{COMPARISON_LINK_PREFIX}{}", pack(&json))
}

/// Reads an A/B link: a whole URL or its fragment. Each scenario goes through the scenario
/// loader, its problems' paths under `a` or `b`.
pub fn decode_comparison(link: &str) -> Result<ComparisonLink, LinkError> {
    let (_, data) = split_kind(fragment(link)?, "ab", 1)?;
    let text = unpack_text(data)?;
    let value: Value = serde_json::from_str(&text).map_err(|e| LinkError::NotJson { message: e.to_string() })?;
    let Value::Object(mut map) = value else {
        return Err(LinkError::NotJson {
            message: "it is not a JSON object".into(),
        });
    };
    let mut scenario = |side: &str| {
        let value = map.remove(side).ok_or_else(|| LinkError::NotJson {
            message: format!("it has no scenario {}", side.to_uppercase()),
        })?;
        Scenario::from_value(value).map_err(|e| LinkError::InvalidScenario(e.problems_under(side)))
    };
    let a = scenario("a")?;
    let b = scenario("b")?;
    let rest: LinkRest = serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| LinkError::NotJson {
        message: crate::scenario::path_message(&e),
    })?;
    let editing_b = match rest.editing.as_deref() {
        None | Some("a") => false,
        Some("b") => true,
        Some(other) => {
            return Err(LinkError::NotJson {
                message: format!("editing: {other:?} is neither \"a\" nor \"b\""),
            })
        }
    };
    let b = super::same_seed(&a, &b);
    Ok(ComparisonLink {
        a,
        b,
        cursor: rest.cursor,
        editing_b,
        lang: rest.lang,
    })
}
