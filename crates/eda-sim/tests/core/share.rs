//! Share links: what goes in comes out, every preset fits in a short link, frozen links of every
//! released format keep opening, and every way a link can be broken is a clear, typed error.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use eda_sim::view::presets::PRESETS;
use eda_sim::view::share::{self, decode, encode, LinkError, SharedState, MAX_LINK_BYTES};
use eda_sim::{Scenario, SimDuration};

fn preset_state(id: &str) -> SharedState {
    let preset = eda_sim::view::presets::preset(id).unwrap();
    let mut state = SharedState::new(Scenario::from_json(preset.json).unwrap());
    state.cursor = Some(SimDuration::from_millis(2_500));
    state.selected = vec!["sms".into()];
    state.editing = Some("sms".into());
    state
}

/// A link built by hand from JSON text (to make broken ones).
fn link_of_json(json: &str, checksum: Option<u32>) -> String {
    let mut payload = checksum
        .unwrap_or_else(|| share::checksum(json.as_bytes()))
        .to_be_bytes()
        .to_vec();
    payload.extend(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9));
    format!("v1.{}", URL_SAFE_NO_PAD.encode(payload))
}

#[test]
fn a_link_carries_the_scenario_the_moment_and_the_selection() {
    let state = preset_state("order-events-sms");
    let link = encode(&state);
    assert!(link.starts_with("v1."));
    assert_eq!(decode(&link), Ok(state.clone()));
    // A whole URL, a fragment with '#', spaces around: all the same link.
    assert_eq!(decode(&format!("http://127.0.0.1:8080/#{link}")), Ok(state.clone()));
    assert_eq!(decode(&format!("  #{link}\n")), Ok(state));
}

#[test]
fn every_preset_has_a_short_link() {
    for preset in PRESETS {
        let state = SharedState::new(Scenario::from_json(preset.json).unwrap());
        let link = encode(&state);
        assert!(link.len() < 2_000, "{}: {} characters", preset.id, link.len());
        assert_eq!(decode(&link).unwrap().scenario, state.scenario);
    }
}

#[test]
fn frozen_links_of_every_released_format_keep_opening() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/links");
    let mut opened = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let state = decode(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // v1-<preset>.txt: the preset's scenario, opening at 5 s; v1-<preset>-positions.txt: the
        // same with some nodes placed by hand (an optional part of the v1 format).
        let id = name.trim_start_matches("v1-").trim_end_matches(".txt");
        let (id, placed) = match id.strip_suffix("-positions") {
            Some(id) => (id, true),
            None => (id, false),
        };
        let preset = eda_sim::view::presets::preset(id).unwrap_or_else(|| panic!("{name} names no preset"));
        let mut scenario = state.scenario.clone();
        assert_eq!(!scenario.positions.is_empty(), placed, "{name}");
        scenario.positions.clear();
        assert_eq!(scenario, Scenario::from_json(preset.json).unwrap(), "{name}");
        assert_eq!(state.cursor, Some(SimDuration::from_secs(5)), "{name}");
        opened += usize::from(!placed);
    }
    assert_eq!(opened, PRESETS.len());
}

#[test]
fn a_fragment_that_is_not_ours_is_named_as_such() {
    for text in [
        "#hello",
        "http://example.com/#section-2",
        "#x1.abc",
        "#v.abc",
        "#vx.abc",
        "#v1abc",
    ] {
        assert_eq!(decode(text), Err(LinkError::NotOurFormat), "{text}");
    }
    assert_eq!(decode("http://127.0.0.1:8080/#"), Err(LinkError::Empty));
    let message = LinkError::NotOurFormat.to_string();
    assert!(message.contains("not an EDA Playground scenario"), "{message}");
}

#[test]
fn versions_from_the_future_and_that_never_were_are_refused() {
    assert_eq!(decode("#v2.AAAA"), Err(LinkError::FutureVersion { version: 2 }));
    assert!(decode("#v2.AAAA")
        .unwrap_err()
        .to_string()
        .contains("newer EDA Playground (link format v2)"));
    assert!(matches!(decode("#v0.AAAA"), Err(LinkError::UnknownVersion { .. })));
    assert!(matches!(
        decode("#v99999999999999999999999.AAAA"),
        Err(LinkError::UnknownVersion { .. })
    ));
}

#[test]
fn damaged_links_say_how_they_are_damaged() {
    let link = encode(&preset_state("topics"));
    // A character base64url does not have.
    let bad = format!("{}*{}", &link[..10], &link[11..]);
    let error = decode(&bad).unwrap_err();
    assert_eq!(
        error,
        LinkError::BadBase64 {
            position: 8,
            character: '*'
        }
    );
    assert!(error.to_string().contains("character 8"), "{error}");
    // Cut short.
    for cut in [link.len() / 2, link.len() - 3, 5] {
        let error = decode(&link[..cut]).unwrap_err();
        assert!(
            matches!(error, LinkError::Truncated | LinkError::Corrupt),
            "cut at {cut}: {error:?}"
        );
    }
    assert!(LinkError::Truncated.to_string().contains("cut short"));
    // The right data with the wrong checksum.
    let json = serde_json::to_string(&preset_state("topics")).unwrap();
    let error = decode(&link_of_json(&json, Some(0xdead_beef))).unwrap_err();
    assert!(
        matches!(
            error,
            LinkError::WrongChecksum {
                expected: 0xdead_beef,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("checksum"));
}

#[test]
fn a_valid_link_to_an_invalid_scenario_lists_each_problem_with_its_path() {
    let json = r#"{"scenario": {"version": 1, "broker": {"queues": [{"id": "q", "capacity": 0}],
        "consumers": [{"id": "c", "queue": "nowhere", "processing_time": {"constant": "1ms"}}]}}}"#;
    let error = decode(&link_of_json(json, None)).unwrap_err();
    let LinkError::InvalidScenario(problems) = &error else {
        panic!("{error:?}");
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"scenario.broker.consumers[0].queue"), "{paths:?}");
    assert!(
        error.to_string().contains("scenario.broker.consumers[0].queue"),
        "{error}"
    );
    let error = decode(&link_of_json(r#"{"scenario": {"version": 7}}"#, None)).unwrap_err();
    assert!(error.to_string().contains("version"), "{error}");
    let error = decode(&link_of_json("[1, 2]", None)).unwrap_err();
    assert!(matches!(error, LinkError::NotJson { .. }), "{error:?}");
}

#[test]
fn links_over_the_limits_are_refused_before_any_work() {
    let long = format!("v1.{}", "A".repeat(MAX_LINK_BYTES));
    let error = decode(&long).unwrap_err();
    assert_eq!(
        error,
        LinkError::TooLong {
            bytes: MAX_LINK_BYTES + 3
        }
    );
    assert!(error.to_string().contains("as a file instead"), "{error}");
    // A few bytes that would inflate to megabytes.
    let huge = format!(
        "{{\"scenario\": {{\"version\": 1, \"name\": \"{}\"}}}}",
        " ".repeat(3_000_000)
    );
    assert_eq!(decode(&link_of_json(&huge, None)), Err(LinkError::TooBig));
}

#[test]
fn a_scenario_whose_streams_would_overrun_the_event_budget_is_refused() {
    let json = r#"{"version": 1, "duration": "1d",
        "broker": {"queues": [{"id": "q"}], "producers": [{"id": "p", "queue": "q", "emits": {"every": {"constant": "1ms"}}}]}}"#;
    let error = Scenario::from_json(json).unwrap_err().to_string();
    assert!(error.contains("duration"), "{error}");
    assert!(error.contains("86400000"), "{error}");
}

#[test]
fn link_checksum_is_the_standard_crc_32() {
    // The check value of CRC-32/ISO-HDLC: frozen v1 links depend on exactly this function.
    assert_eq!(share::checksum(b"123456789"), 0xCBF4_3926);
    assert_eq!(share::checksum(b""), 0);
}

#[test]
fn a_link_whose_json_repeats_a_key_is_refused_with_the_place() {
    let json = serde_json::to_string(&preset_state("topics")).unwrap();
    // The same document with its seed written twice (the second would win silently).
    let repeated = json.replacen("\"seed\":", "\"seed\":7,\"seed\":", 1);
    assert_ne!(repeated, json);
    let error = decode(&link_of_json(&repeated, None)).unwrap_err();
    let LinkError::NotJson { message } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(message, "scenario: the key \"seed\" is written twice");
}

#[test]
fn positions_placed_by_hand_travel_in_the_link_and_never_change_the_run() {
    let mut placed = Scenario::from_json(eda_sim::view::presets::preset("queues").unwrap().json).unwrap();
    placed
        .positions
        .insert("work".into(), eda_sim::scenario::Position { x: 420, y: 60 });
    let link = encode(&SharedState::new(placed.clone()));
    let opened = decode(&link).unwrap().scenario;
    assert_eq!(opened.positions, placed.positions);
    // The same run as without them.
    let run = |s: &Scenario| {
        let mut sim = eda_sim::Sim::new(s).unwrap();
        sim.run_until(eda_sim::SimTime(5_000_000)).unwrap();
        sim.trace_hash()
    };
    let mut plain = placed.clone();
    plain.positions.clear();
    assert_eq!(run(&placed), run(&plain));
    // A position off the diagram is refused with its path.
    let mut far = placed;
    far.positions
        .insert("work".into(), eda_sim::scenario::Position { x: -5, y: 0 });
    let problems = far.validate().unwrap_err();
    assert!(problems.iter().any(|p| p.path == "positions.work"), "{problems:?}");
}
