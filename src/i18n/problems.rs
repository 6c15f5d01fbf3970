//! The core's checks in the reader's language: what a scenario's validation, the JSON reader
//! and the builder find wrong. The core words each in English with figures and names of its
//! own; the catalogue holds each kind of sentence once, as a `problem-…` message whose English
//! is also the template that recognises it (`must be between 1 and { $a }`), so a problem is
//! read back into its values and worded again in the reader's language. A sentence without a
//! template stays as the core words it. Every template is tried at most once per message, each
//! in time linear in the message's length.

/// A problem's template: its message id and the English text around its placeables.
struct Template {
    id: String,
    /// Literal text, then a placeable's name, alternately (starting and ending with text).
    pieces: Vec<String>,
    names: Vec<String>,
}

/// The `problem-…` messages of the English catalogue, read as templates once.
fn templates() -> &'static [Template] {
    static TEMPLATES: std::sync::OnceLock<Vec<Template>> = std::sync::OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut all: Vec<Template> = super::ENGLISH
            .lines()
            .filter(|l| l.starts_with("problem-"))
            .filter_map(|line| {
                let (id, text) = line.split_once(" = ")?;
                let (mut pieces, mut names) = (vec![String::new()], vec![]);
                let mut rest = text;
                while let Some(at) = rest.find("{ $") {
                    pieces.last_mut()?.push_str(&rest[..at]);
                    let end = rest[at..].find(" }")? + at;
                    names.push(rest[at + 3..end].to_string());
                    pieces.push(String::new());
                    rest = &rest[end + 2..];
                }
                pieces.last_mut()?.push_str(rest);
                Some(Template {
                    id: id.to_string(),
                    pieces,
                    names,
                })
            })
            .collect();
        // The most specific first: the most literal text.
        all.sort_by_key(|t| std::cmp::Reverse(t.pieces.iter().map(String::len).sum::<usize>()));
        all
    })
}

/// The placeables' values if `message` is `template` filled in: each the shortest text up to
/// the next literal, the last one the rest. Linear in the message's length per placeable.
fn fill(template: &Template, message: &str) -> Option<Vec<String>> {
    let mut rest = message.strip_prefix(template.pieces[0].as_str())?;
    let mut values = Vec::new();
    for (i, next) in template.pieces.iter().enumerate().skip(1) {
        let last = i == template.pieces.len() - 1;
        let at = if last {
            rest.len()
                .checked_sub(next.len())
                .filter(|&at| rest.is_char_boundary(at) && rest[at..] == **next)?
        } else {
            rest.find(next.as_str())?
        };
        if at == 0 {
            return None;
        }
        values.push(rest[..at].to_string());
        rest = &rest[at + next.len()..];
    }
    Some(values)
}

/// A value naming a kind of entity in the reader's language: a bare kind (`queue`), one with an
/// article (`a consumer group`), or a kind and a name (`the queue orders`); anything else as it is.
fn kind_phrase(value: &str) -> String {
    let bare = ["a ", "an ", "the "]
        .iter()
        .find_map(|article| value.strip_prefix(article))
        .unwrap_or(value);
    let words = super::core_words::kind_words(bare);
    if words != bare {
        return words;
    }
    // A kind of one or two words, then a name.
    for cut in bare.match_indices(' ').map(|(at, _)| at).take(2) {
        let (kind, name) = (&bare[..cut], &bare[cut + 1..]);
        let words = super::core_words::kind_words(kind);
        if words != kind {
            return format!("{words} {name}");
        }
    }
    value.to_string()
}

/// `message` through the first template that it fills, if one does.
fn template_words(message: &str) -> Option<String> {
    for template in templates() {
        let values = if template.names.is_empty() {
            (message == template.pieces[0]).then(Vec::new)
        } else {
            fill(template, message)
        };
        if let Some(values) = values {
            let args: Vec<(&str, fluent_bundle::FluentValue)> = template
                .names
                .iter()
                .zip(values)
                .map(|(name, value)| (name.as_str(), fluent_bundle::FluentValue::from(kind_phrase(&value))))
                .collect();
            return Some(super::t_with(&template.id, &args));
        }
    }
    None
}

/// A message of the core's checks (a scenario's problem, the builder's refusal) in the reader's
/// language when it is one of the catalogue's `problem-…` templates (or a list of them, each
/// after its JSON path, as the builder joins them); as the core words it otherwise. A kind of
/// entity in it is named in the reader's language too.
pub fn words(message: &str) -> String {
    if let Some(words) = template_words(message) {
        return words;
    }
    message
        .split("; ")
        .map(|part| match template_words(part) {
            Some(words) => words,
            None => match part.split_once(": ") {
                Some((path, rest)) if !path.contains(' ') => {
                    format!("{path}: {}", template_words(rest).unwrap_or_else(|| rest.to_string()))
                }
                _ => part.to_string(),
            },
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::super::{set, Lang};
    use super::*;

    /// Every template, filled in, reads back as itself in English and in Chinese otherwise.
    #[test]
    fn every_template_reads_back_in_english_and_is_chinese_in_chinese() {
        for template in templates() {
            let mut message = template.pieces[0].clone();
            for (i, piece) in template.pieces.iter().enumerate().skip(1) {
                message.push_str(&format!("\"v{i}\""));
                message.push_str(piece);
            }
            set(Lang::En);
            assert_eq!(words(&message), message, "{}", template.id);
            set(Lang::Zh);
            let chinese = words(&message);
            assert!(
                chinese.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {chinese}",
                template.id
            );
        }
        set(Lang::En);
    }

    /// Real problems of broken scenarios are worded in Chinese, their paths kept.
    #[test]
    fn problems_of_broken_scenarios_are_worded_in_chinese() {
        set(Lang::Zh);
        for text in [
            r#"{"version": 1, "name": "x", "bogus": 1}"#,
            r#"{"version": 1, "name": "x", "seed": "a"}"#,
            r#"{"version": 1, "name": "x", "duration": "1zz"}"#,
            r#"{"version": 2}"#,
            r#"{"version": 1, "name": "x", "broker": {"queues": [{"id": "q", "overflow": "explode"}]}}"#,
            r#"{"version": 1, "name": "x", "request_reply": {"services": [{"id": "s", "workers": 0, "service_time": {"constant": "5ms"}}]}}"#,
        ] {
            let e = eda_sim::Scenario::from_json(text).expect_err(text);
            for p in e.problems() {
                let said = words(&p.message);
                assert!(
                    said.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{text}: {said}"
                );
            }
        }
        // A teacher's lesson file's problems.
        for text in [
            r#"{"version": 1}"#,
            r#"{"version": 1, "id": "x", "title": "", "summary": "s", "scenario": {"version": 1, "name": "x"}, "steps": []}"#,
        ] {
            match eda_sim::view::lesson::Lesson::from_json(text) {
                Err(eda_sim::view::lesson::LessonError::Invalid(problems)) => {
                    for p in problems {
                        let said = words(&p.message);
                        assert!(
                            said.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                            "{text}: {said}"
                        );
                    }
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        // Kinds of entity named with their articles, as the builder writes them.
        assert_eq!(
            words("Add a topic first: a producer needs one."),
            "请先添加主题：生产者需要一个。"
        );
        assert_eq!(
            words("The name \"x\" is already used by the queue orders."),
            "名称 \"x\" 已被 队列 orders 使用。"
        );
        // A list of problems after their paths, as the builder joins them.
        assert_eq!(
            words("workers: must be at least 1; capacity: must be at least 1"),
            "workers: 必须至少为 1; capacity: 必须至少为 1"
        );
        set(Lang::En);
    }
}
