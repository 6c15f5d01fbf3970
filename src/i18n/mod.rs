//! The page's words in its reader's language. Every string the page provides is a message of a
//! Fluent catalogue, one per language (`static/i18n/en.ftl`, `static/i18n/zh-CN.ftl`, embedded at
//! compile time), with Fluent's plural and number rules for the locale. Scenario data (names,
//! event types, payloads) is never translated. The language in force is kept here for the
//! components to read; the model decides it (the user's choice, then a link's, then the
//! browser's).

pub mod core_words;
pub mod errors;
pub mod goals;
pub mod problems;
pub mod records;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use std::cell::{Cell, OnceCell};

/// The catalogues' text, by language.
pub const ENGLISH: &str = include_str!("../../static/i18n/en.ftl");
pub const CHINESE: &str = include_str!("../../static/i18n/zh-CN.ftl");

/// Where the user's choice of language is kept in the browser.
pub const CHOICE_KEY: &str = "eda-playground.language";

/// A language the page speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Its BCP 47 tag, as `<html lang>`, links and the browser's storage write it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language for a tag (`zh`, `zh-CN`, `zh-Hans-CN`, `en-GB`…), if the page speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language's own name, as the switch offers it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
    static BUNDLES: OnceCell<[FluentBundle<FluentResource>; 2]> = const { OnceCell::new() };
}

/// Makes `lang` the language of every message from now on.
pub fn set(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// The language in force.
pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

/// A catalogue as a bundle (a catalogue that does not parse is a build error: a test reads both).
pub fn bundle(lang: Lang, text: &str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(resource, _)| resource);
    let tag = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![tag]);
    // No Unicode isolation marks around placeables: the page sets its direction itself.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

fn format(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    BUNDLES.with(|bundles| {
        let bundles = bundles.get_or_init(|| [bundle(Lang::En, ENGLISH), bundle(Lang::Zh, CHINESE)]);
        let bundle = &bundles[lang as usize];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            // A message missing from a catalogue (a test keeps both complete) shows its id.
            return id.to_string();
        };
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, args, &mut errors).into_owned()
    })
}

/// The message `id` in the language in force.
pub fn t(id: &str) -> String {
    format(current(), id, None)
}

/// The message `id` with its placeables filled in (`$name` → value).
pub fn t_with(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    format(current(), id, Some(&fluent))
}

/// `tr!("id")` or `tr!("id", name = value, …)`: a message in the language in force.
#[macro_export]
macro_rules! tr {
    ($id:expr) => {
        $crate::i18n::t($id)
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::t_with($id, &[$((stringify!($name), fluent_bundle::FluentValue::from($value))),+])
    };
}

/// Each built-in example's id, name and description as its file has them, read once.
fn example_words() -> &'static [(&'static str, String, String)] {
    static WORDS: std::sync::OnceLock<Vec<(&'static str, String, String)>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        eda_sim::view::presets::PRESETS
            .iter()
            .map(|p| {
                let value: serde_json::Value = serde_json::from_str(p.json).unwrap_or_default();
                let text = |key: &str| {
                    value
                        .get(key)
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                (p.id, text("name"), text("description"))
            })
            .collect()
    })
}

/// A scenario's name and description to show: a built-in example's (as it was loaded) through
/// the catalogue, keyed by its id; any other scenario's as written.
pub fn scenario_words(name: &str, description: &str) -> (String, String) {
    // A comparison's variant B of an example keeps the example's words, marked (B).
    if let Some(base) = name.strip_suffix(" (B)") {
        let (name, description) = scenario_words(base, description);
        return (format!("{name} (B)"), description);
    }
    if let Some((id, _, _)) = example_words().iter().find(|(_, n, d)| n == name && d == description) {
        return (t(&format!("preset-{id}-name")), t(&format!("preset-{id}-description")));
    }
    // A built-in lesson's scenario (its moves change the run, never these words).
    let lessons = eda_sim::view::lesson::builtins();
    match lessons
        .iter()
        .find(|l| l.scenario.name == name && l.scenario.description == description)
    {
        Some(l) => (
            t(&format!("lesson-{}-scenario-name", l.id)),
            t(&format!("lesson-{}-scenario-description", l.id)),
        ),
        None => (name.to_string(), description.to_string()),
    }
}

/// A built-in lesson's words through the catalogue (`key`: `title`, `summary`, `2-text`,
/// `2-hint1`…), when `written` is the built-in text; a teacher's own lesson's as written.
pub fn lesson_words(id: &str, key: &str, written: &str) -> String {
    let message = format!("lesson-{id}-{key}");
    if format(Lang::En, &message, None) == written {
        t(&message)
    } else {
        written.to_string()
    }
}

/// A kind of entity the builder adds and edits, by its id (`Consumer group`).
pub fn kind_name(kind: &eda_sim::view::builder::KindSpec) -> String {
    t(&format!("kindname-{}", kind.id))
}

fn field_id(kind: &eda_sim::view::builder::KindSpec, field: &eda_sim::view::builder::FieldSpec) -> String {
    format!("field-{}-{}", kind.id, field.key.replace('.', "-"))
}

/// A field's label in its kind's properties form.
pub fn field_label(kind: &eda_sim::view::builder::KindSpec, field: &eda_sim::view::builder::FieldSpec) -> String {
    t(&field_id(kind, field))
}

/// What a field takes, under it (empty when the field needs no help).
pub fn field_help(kind: &eda_sim::view::builder::KindSpec, field: &eda_sim::view::builder::FieldSpec) -> String {
    if field.help.is_empty() {
        String::new()
    } else {
        t(&format!("{}-help", field_id(kind, field)))
    }
}

/// A kind of entity in words (`consumer group` → its message `kind-consumer-group`).
pub fn kind_label(kind: eda_sim::EntityKind) -> String {
    core_words::kind_words(kind.label())
}

/// The name of a built-in example's pattern (the gallery's small capitals) as a message id.
pub fn pattern_message(pattern: &str) -> &'static str {
    match pattern {
        "Event bus" => "pattern-event-bus",
        "Broker: topics" => "pattern-topics",
        "Broker: queues" => "pattern-queues",
        "Broker: guarantees" => "pattern-guarantees",
        "Faults: partition" => "pattern-partition",
        "Request-response" => "pattern-request-response",
        "Service discovery" => "pattern-discovery",
        "Event sourcing" => "pattern-event-sourcing",
        _ => "pattern-all",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;

    /// Every message id of a catalogue with the names of its variables, sorted.
    fn messages(text: &str) -> Vec<(String, Vec<String>)> {
        let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(_, errors)| panic!("{errors:?}"));
        let mut out: Vec<(String, Vec<String>)> = resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                ast::Entry::Message(m) => {
                    let mut vars = Vec::new();
                    if let Some(value) = &m.value {
                        pattern_variables(value, &mut vars);
                    }
                    vars.sort();
                    vars.dedup();
                    Some((m.id.name.to_string(), vars))
                }
                _ => None,
            })
            .collect();
        out.sort();
        out
    }

    fn pattern_variables(pattern: &ast::Pattern<&str>, vars: &mut Vec<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, vars);
            }
        }
    }

    fn expression_variables(expression: &ast::Expression<&str>, vars: &mut Vec<String>) {
        match expression {
            ast::Expression::Inline(inline) => inline_variables(inline, vars),
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, vars);
                for variant in variants {
                    pattern_variables(&variant.value, vars);
                }
            }
        }
    }

    fn inline_variables(inline: &ast::InlineExpression<&str>, vars: &mut Vec<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => vars.push(id.name.to_string()),
            ast::InlineExpression::Placeable { expression } => expression_variables(expression, vars),
            _ => {}
        }
    }

    #[test]
    fn both_catalogues_have_the_same_messages_with_the_same_placeables() {
        let (english, chinese) = (messages(ENGLISH), messages(CHINESE));
        assert!(english.len() > 150, "{}", english.len());
        let ids = |list: &[(String, Vec<String>)]| list.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>();
        let only_english: Vec<String> = ids(&english)
            .into_iter()
            .filter(|id| !ids(&chinese).contains(id))
            .collect();
        let only_chinese: Vec<String> = ids(&chinese)
            .into_iter()
            .filter(|id| !ids(&english).contains(id))
            .collect();
        assert!(only_english.is_empty(), "missing in zh-CN.ftl: {only_english:?}");
        assert!(only_chinese.is_empty(), "missing in en.ftl: {only_chinese:?}");
        for ((id, en), (_, zh)) in english.iter().zip(&chinese) {
            assert_eq!(en, zh, "{id}: the placeables differ");
        }
    }

    #[test]
    fn the_chinese_catalogue_is_chinese_and_formats_plurals_per_locale() {
        set(Lang::Zh);
        assert_eq!(t("play"), "播放");
        assert_eq!(crate::tr!("events-processed", count = 1), "已处理 1 个事件");
        set(Lang::En);
        assert_eq!(crate::tr!("lesson-steps", steps = 1), "1 step");
        assert_eq!(crate::tr!("lesson-steps", steps = 3), "3 steps");
        assert_eq!(crate::tr!("events-processed", count = 2), "2 events processed");
        // No message of the Chinese catalogue is left in English (a few words are names).
        let untranslated: Vec<String> = messages(CHINESE)
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| {
                let text = format(Lang::Zh, id, None);
                !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) && text == format(Lang::En, id, None)
            })
            .collect();
        assert!(untranslated.is_empty(), "{untranslated:?}");
    }

    #[test]
    fn the_english_catalogue_keeps_the_examples_words_as_they_were() {
        set(Lang::En);
        for preset in eda_sim::view::presets::PRESETS {
            let scenario = eda_sim::Scenario::from_json(preset.json).expect("loads");
            assert_eq!(t(&format!("preset-{}", preset.id)), preset.title);
            assert_eq!(t(&format!("preset-{}-summary", preset.id)), preset.summary);
            assert_eq!(t(&format!("preset-{}-name", preset.id)), scenario.name);
            assert_eq!(t(&format!("preset-{}-description", preset.id)), scenario.description);
            assert_eq!(
                scenario_words(&scenario.name, &scenario.description),
                (scenario.name.clone(), scenario.description.clone())
            );
            assert_eq!(t(pattern_message(preset.pattern)), preset.pattern);
        }
    }

    #[test]
    fn the_english_catalogue_keeps_every_kind_and_field_as_the_core_names_it() {
        set(Lang::En);
        for kind in eda_sim::view::builder::kinds() {
            assert_eq!(kind_name(kind), kind.label);
            for field in kind.fields {
                assert_eq!(field_label(kind, field), field.label, "{} {}", kind.id, field.key);
                assert_eq!(field_help(kind, field), field.help, "{} {}", kind.id, field.key);
            }
        }
    }

    #[test]
    fn the_english_catalogue_keeps_every_built_in_lesson_word_for_word() {
        set(Lang::En);
        for lesson in eda_sim::view::lesson::builtins() {
            assert_eq!(lesson_words(&lesson.id, "title", &lesson.title), lesson.title);
            let (name, description) = (&lesson.scenario.name, &lesson.scenario.description);
            assert_eq!(scenario_words(name, description), (name.clone(), description.clone()));
            assert_eq!(
                format(Lang::En, &format!("lesson-{}-summary", lesson.id), None),
                lesson.summary
            );
            for (i, step) in lesson.steps.iter().enumerate() {
                let n = i + 1;
                for (key, text) in [("title", &step.title), ("text", &step.text), ("task", &step.task)] {
                    assert_eq!(
                        format(Lang::En, &format!("lesson-{}-{n}-{key}", lesson.id), None),
                        *text
                    );
                }
                for (k, hint) in step.hints.iter().enumerate() {
                    assert_eq!(
                        format(Lang::En, &format!("lesson-{}-{n}-hint{}", lesson.id, k + 1), None),
                        *hint
                    );
                }
            }
        }
        // A teacher's own words stay as written, in either language.
        set(Lang::Zh);
        assert_eq!(lesson_words("sync-vs-async", "title", "My own title"), "My own title");
        assert_eq!(
            lesson_words("sync-vs-async", "title", "Synchronous and asynchronous calls"),
            "同步调用与异步调用"
        );
        set(Lang::En);
    }

    #[test]
    fn tags_name_the_languages_the_page_speaks() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("zh_Hans_CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
