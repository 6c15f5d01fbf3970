//! The core's own words (the names of its counters, delivery guarantees, acks, ways of writing
//! events, link relations and link faults) in the reader's language. The core names them in
//! English for its reports, files and the CLI; the page looks each one up in the catalogue by
//! that name, so the English catalogue says exactly what the core does (a test keeps it so).

#[cfg(test)]
use super::{format, Lang};
use super::{t, t_with};
use eda_sim::kernel::link::LinkFaults;
use eda_sim::patterns::broker::{Acks, Guarantee, Isolation};
use eda_sim::patterns::request_reply::EventWrite;
use fluent_bundle::FluentValue;

/// A message id made of a prefix and words as the core writes them (`counter-dead-lettered`).
pub(super) fn id_of(prefix: &str, words: &str) -> String {
    let key: Vec<String> = words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    format!("{prefix}-{}", key.join("-"))
}

/// `id` in the language in force, or `fallback` when the catalogue has no such message (a
/// counter a newer core reports).
pub(super) fn or_written(id: &str, fallback: &str) -> String {
    let text = t(id);
    if text == id {
        fallback.to_string()
    } else {
        text
    }
}

/// A report counter's name in words (`dead_lettered` → "dead lettered").
pub fn counter(key: &str) -> String {
    or_written(&id_of("counter", key), &key.replace('_', " "))
}

/// A choice of a select field in the properties form, by the value the format takes
/// (`round_robin` → "round robin").
pub fn choice(value: &str) -> String {
    or_written(&id_of("choice", value), &value.replace('_', " "))
}

/// A kind of entity as the core names it in its messages (`consumer group`, or `entity`).
pub fn kind_words(label: &str) -> String {
    or_written(&id_of("kind", label), label)
}

/// How one entity relates to another in the diagram (`publishes to`, `binds`).
pub fn relation(words: &str) -> String {
    or_written(&id_of("relation", words), words)
}

/// A queue consumer's delivery guarantee, as the core labels it (`at-least-once`).
pub fn guarantee(g: Guarantee) -> String {
    t(&id_of("guarantee", g.label()))
}

/// A producer's acks setting (`acks all`).
pub fn acks(a: Acks) -> String {
    t(&id_of("acks", a.label()))
}

/// A producer's acks setting in a node's few characters (`acks all`, 全部副本确认).
pub fn acks_short(a: Acks) -> String {
    t(&id_of("acks-short", a.label()))
}

/// Which records a group member reads (`read committed`).
pub fn isolation(i: Isolation) -> String {
    t(&id_of("isolation", i.label()))
}

/// An order service's way of writing its row and its events (`dual write`).
pub fn event_write(e: &EventWrite) -> String {
    t(&id_of("event-write", e.label()))
}

/// A counter's value as the page shows it: the labels the core reports for a producer's acks,
/// a consumer's guarantee and its isolation in the reader's language, anything else as it is.
pub fn labelled(counter: &str, value: &serde_json::Value) -> serde_json::Value {
    let prefix = match counter {
        "acks" => "acks",
        "guarantee" => "guarantee",
        "isolation" => "isolation",
        "events" => "event-write",
        _ => return value.clone(),
    };
    match value.as_str() {
        Some(label) => serde_json::Value::String(or_written(&id_of(prefix, label), label)),
        None => value.clone(),
    }
}

/// A timed command in words (`order-system publishes OrderPaid`).
pub fn command(c: &eda_sim::Command) -> String {
    use eda_sim::Command as C;
    let s = |text: &String| FluentValue::from(text.clone());
    let (id, args): (&str, Vec<(&str, FluentValue)>) = match c {
        C::Publish { source, event_type } => ("command-publish", vec![("source", s(source)), ("type", s(event_type))]),
        C::Subscribe { listener, event_type } => (
            "command-subscribe",
            vec![("listener", s(listener)), ("type", s(event_type))],
        ),
        C::Unsubscribe { listener, event_type } => (
            "command-unsubscribe",
            vec![("listener", s(listener)), ("type", s(event_type))],
        ),
        C::Crash { entity } => ("command-crash", vec![("name", s(entity))]),
        C::Restart { entity } => ("command-restart", vec![("name", s(entity))]),
        C::Request { client } => ("command-request", vec![("name", s(client))]),
        C::Produce { producer, .. } => ("command-produce", vec![("name", s(producer))]),
        C::Join { consumer } => ("command-join", vec![("name", s(consumer))]),
        C::Leave { consumer } => ("command-leave", vec![("name", s(consumer))]),
        C::Register { provider } => ("command-register", vec![("name", s(provider))]),
        C::Deregister { provider } => ("command-deregister", vec![("name", s(provider))]),
        C::Lookup { client, name } => ("command-lookup", vec![("client", s(client)), ("name", s(name))]),
        C::Watch { client, name } => ("command-watch", vec![("client", s(client)), ("name", s(name))]),
        C::Call {
            client,
            name,
            operation,
            ..
        } => (
            "command-call",
            vec![
                ("client", s(client)),
                ("target", FluentValue::from(format!("{name}.{operation}"))),
            ],
        ),
        C::Append {
            store,
            stream,
            event_type,
            ..
        } => (
            "command-append",
            vec![
                ("type", s(event_type)),
                ("stream", FluentValue::from(format!("{store}/{stream}"))),
            ],
        ),
        C::RebuildProjection { projection } => ("command-rebuild", vec![("name", s(projection))]),
        C::FailOver { topic } => ("command-fail-over", vec![("name", s(topic))]),
        C::Partition { sides } => {
            let sides: Vec<String> = sides.iter().map(|side| side.join(", ")).collect();
            (
                "command-partition",
                vec![("sides", FluentValue::from(sides.join(" | ")))],
            )
        }
        C::Heal {} => ("command-heal", vec![]),
    };
    t_with(id, &args)
}

/// Where a scenario is not the queueing model (`unstable: arrivals outpace the workers…`).
pub fn theory_note(note: eda_sim::patterns::request_reply::TheoryNote) -> String {
    or_written(&format!("note-{note:?}").to_ascii_lowercase(), note.text())
}

/// What a faulty network link does, in a few words (`loses 3 % · reorders within 20ms`).
pub fn link_faults(link: &LinkFaults) -> String {
    let mut parts = Vec::new();
    if link.loss_percent > 0 {
        parts.push(t_with(
            "link-loses",
            &[("percent", FluentValue::from(link.loss_percent))],
        ));
    }
    if link.duplicate_percent > 0 {
        parts.push(t_with(
            "link-doubles",
            &[("percent", FluentValue::from(link.duplicate_percent))],
        ));
    }
    if let Some(d) = link
        .delay
        .as_ref()
        .filter(|d| d.max() != Some(eda_sim::SimDuration::ZERO))
    {
        parts.push(format!("+{d}"));
    }
    if let Some(w) = link.reorder_window.filter(|w| w.0 > 0) {
        parts.push(t_with("link-reorders", &[("window", FluentValue::from(w.to_string()))]));
    }
    if parts.is_empty() {
        t("link-perfect")
    } else {
        parts.join(" · ")
    }
}

/// Every word of this module as the English catalogue has it, for the test that keeps it equal
/// to the core's own.
#[cfg(test)]
pub(super) fn english(id: &str) -> String {
    format(Lang::En, id, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_catalogue_names_the_cores_words_as_the_core_does() {
        super::super::set(Lang::En);
        for g in [
            Guarantee::AtMostOnce,
            Guarantee::AtLeastOnce,
            Guarantee::Idempotent,
            Guarantee::Transactional,
        ] {
            assert_eq!(guarantee(g), g.label());
        }
        for a in [Acks::None, Acks::Leader, Acks::All] {
            assert_eq!(acks(a), a.label());
            assert_eq!(acks_short(a), a.label());
        }
        for i in [Isolation::ReadUncommitted, Isolation::ReadCommitted] {
            assert_eq!(isolation(i), i.label());
        }
        for kind in eda_sim::view::builder::kinds() {
            for field in kind.fields {
                if let eda_sim::kernel::kinds::FieldType::Reference(r) = field.ty {
                    assert_eq!(english(&id_of("relation", r.relation)), r.relation);
                }
            }
        }
        for kind in eda_sim::view::builder::kinds() {
            for field in kind.fields {
                if let eda_sim::kernel::kinds::FieldType::Choice(options) = field.ty {
                    for o in options {
                        assert_eq!(english(&id_of("choice", o)), o.replace('_', " "));
                    }
                }
            }
        }
        for words in ["binds", "publishes through", "appends to", "produces through"] {
            assert_eq!(english(&id_of("relation", words)), words);
        }
        let link = LinkFaults {
            loss_percent: 3,
            duplicate_percent: 5,
            reorder_window: Some(eda_sim::SimDuration(20_000)),
            ..LinkFaults::default()
        };
        assert_eq!(link_faults(&link), link.to_string());
        assert_eq!(link_faults(&LinkFaults::default()), "perfect");
        for note in eda_sim::patterns::request_reply::TheoryNote::ALL {
            assert_eq!(theory_note(note), note.text());
            let id = format!("note-{note:?}").to_ascii_lowercase();
            assert_ne!(format(Lang::Zh, &id, None), id);
        }
        // Every timed command of every example reads as the core words it.
        for preset in eda_sim::view::presets::PRESETS {
            let scenario = eda_sim::Scenario::from_json(preset.json).expect("an example reads");
            for entry in &scenario.script {
                assert_eq!(command(&entry.command), entry.command.to_string(), "{}", preset.id);
            }
        }
        let all = [
            r#"{"publish": {"source": "s", "event_type": "T"}}"#,
            r#"{"subscribe": {"listener": "l", "event_type": "T"}}"#,
            r#"{"unsubscribe": {"listener": "l", "event_type": "T"}}"#,
            r#"{"crash": {"entity": "e"}}"#,
            r#"{"restart": {"entity": "e"}}"#,
            r#"{"request": {"client": "c"}}"#,
            r#"{"join": {"consumer": "c"}}"#,
            r#"{"leave": {"consumer": "c"}}"#,
            r#"{"register": {"provider": "p"}}"#,
            r#"{"deregister": {"provider": "p"}}"#,
            r#"{"lookup": {"client": "c", "name": "n"}}"#,
            r#"{"watch": {"client": "c", "name": "n"}}"#,
            r#"{"rebuild_projection": {"projection": "p"}}"#,
            r#"{"fail_over": {"topic": "t"}}"#,
            r#"{"partition": {"sides": [["a", "b"], ["c"]]}}"#,
            r#"{"heal": {}}"#,
        ];
        for text in all {
            let c: eda_sim::Command = serde_json::from_str(text).expect(text);
            assert_eq!(command(&c), c.to_string());
        }
    }

    #[test]
    fn every_counter_the_examples_report_has_its_name_in_both_catalogues() {
        super::super::set(Lang::En);
        for preset in eda_sim::view::presets::PRESETS {
            let scenario = eda_sim::Scenario::from_json(preset.json).expect("an example reads");
            let mut sim = eda_sim::Sim::new(&scenario).expect("an example runs");
            sim.run_until(eda_sim::SimTime(30_000_000)).expect("runs");
            for report in sim.report().entities {
                for key in report.counters.keys() {
                    let id = id_of("counter", key);
                    assert_eq!(english(&id), key.replace('_', " "), "{}: {key}", preset.id);
                    assert_ne!(format(Lang::Zh, &id, None), id, "{}: {key}", preset.id);
                }
            }
        }
    }
}
