//! What the stricter loading rules refuse is repaired on request, and each repair is said.

use eda_sim::view::repair::repair_text;
use eda_sim::view::share::{self, decode, LinkError};
use eda_sim::Scenario;

#[test]
fn invisible_characters_are_removed_from_names_and_their_references_alike() {
    let text = serde_json::json!({
        "version": 1,
        "broker": {
            "queues": [{"id": "wo\u{200B}rk"}],
            "consumers": [{"id": "\u{202E}worker", "queue": "wo\u{200B}rk", "processing_time": {"constant": "1ms"}}]
        }
    })
    .to_string();
    assert!(Scenario::from_json(&text).is_err(), "refused as it is");
    let repaired = repair_text(&text).expect("repairable");
    assert_eq!(repaired.scenario.broker.queues[0].id, "work");
    assert_eq!(repaired.scenario.broker.consumers[0].id, "worker");
    assert_eq!(repaired.scenario.broker.consumers[0].queue.as_deref(), Some("work"));
    assert_eq!(
        repaired.changes,
        [
            r#"renamed "wo\u{200b}rk" to "work", without its invisible characters"#,
            r#"renamed "\u{202e}worker" to "worker", without its invisible characters"#
        ]
    );
}

#[test]
fn a_key_written_twice_keeps_its_last_value_as_it_always_did() {
    let text = r#"{"version": 1, "seed": 1, "seed": 9}"#;
    let repaired = repair_text(text).expect("repairable");
    assert_eq!(repaired.scenario.seed, 9);
    assert_eq!(
        repaired.changes,
        ["kept the last value of \"seed\", which was written twice"]
    );
}

#[test]
fn a_duration_too_long_for_its_streams_and_late_script_entries_are_removed() {
    let text = r#"{"version": 1, "duration": "1000d",
        "event_bus": {"event_types": [{"name": "Paid"}], "buses": [{"id": "b"}],
                      "sources": [{"id": "s", "bus": "b", "emits": [{"event_type": "Paid", "every": {"constant": "1ms"}}]}]},
        "script": [{"at": "1s", "do": {"publish": {"source": "s", "event_type": "Paid"}}},
                   {"at": "5000d", "do": {"publish": {"source": "s", "event_type": "Paid"}}}]}"#;
    let repaired = repair_text(text).expect("repairable");
    assert_eq!(repaired.scenario.duration, None);
    assert_eq!(repaired.scenario.script.len(), 1);
    assert_eq!(repaired.changes.len(), 2, "{:?}", repaired.changes);
    assert!(repaired.changes[0].starts_with("removed the run's duration: the streams"));
    assert_eq!(
        repaired.changes[1],
        "removed a script entry timed past the longest run (10 years)"
    );
}

#[test]
fn what_no_repair_fixes_and_what_needs_none_are_left_as_they_are() {
    // An unknown reference is the user's to fix; a valid scenario needs no repair.
    assert_eq!(
        repair_text(r#"{"version": 1, "broker": {"consumers": [{"id": "c", "queue": "nowhere"}]}}"#),
        None
    );
    assert_eq!(repair_text(r#"{"version": 1}"#), None);
    assert_eq!(repair_text("not json"), None);
}

#[test]
fn a_link_refused_by_the_stricter_rules_opens_repaired_with_its_moment() {
    let scenario = r#"{"version":1,"broker":{"queues":[{"id":"jobs\u200b"}]}}"#;
    let json = format!(r#"{{"scenario":{scenario},"cursor":"2s"}}"#);
    let mut payload = share::checksum(json.as_bytes()).to_be_bytes().to_vec();
    payload.extend(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9));
    use base64::Engine;
    let link = format!(
        "v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload)
    );
    assert!(matches!(decode(&link), Err(LinkError::InvalidScenario(_))));
    let (state, changes) = share::repair(&link).expect("repairable");
    assert_eq!(state.scenario.broker.queues[0].id, "jobs");
    assert_eq!(state.cursor, Some(eda_sim::SimDuration::from_secs(2)));
    assert_eq!(changes.len(), 1);
    // A link broken otherwise is not "repaired".
    assert_eq!(share::repair("v1.AAAA"), None);
}
