//! The scenario format: strict loading, every problem reported with its JSON path.

use eda_sim::{Scenario, ScenarioError};

#[test]
fn the_builtin_example_loads_and_round_trips() {
    let s = Scenario::from_json(eda_sim::presets::ORDER_EVENTS_SMS).unwrap();
    assert_eq!(s.event_bus.event_types.len(), 4);
    assert_eq!(Scenario::from_json(&s.to_json_pretty()).unwrap(), s);
}

#[test]
fn text_that_is_not_json_says_so() {
    let error = Scenario::from_json("{ version: 1").unwrap_err();
    assert!(matches!(error, ScenarioError::NotJson { .. }));
    assert!(error.to_string().starts_with("the scenario is not valid JSON"));
}

#[test]
fn a_missing_or_future_version_is_refused_by_name() {
    let error = Scenario::from_json(r#"{"seed": 1}"#).unwrap_err();
    assert_eq!(error.problems()[0].path, "version");
    let error = Scenario::from_json(r#"{"version": 9}"#).unwrap_err();
    assert_eq!(error, ScenarioError::UnsupportedVersion { found: "9".into() });
    assert!(error.to_string().contains("reads scenario version 1, not 9"));
}

#[test]
fn a_wrongly_shaped_field_is_reported_with_its_path() {
    let text = r#"{"version": 1, "event_bus": {"buses": [{"id": "b", "dispatch_delay": {"constant": "5 parsecs"}}]}}"#;
    let error = Scenario::from_json(text).unwrap_err();
    let problem = &error.problems()[0];
    assert_eq!(problem.path, "event_bus.buses[0].dispatch_delay.constant");
    assert!(problem.message.contains("unknown unit"), "{problem}");

    let text = r#"{"version": 1, "event_bus": {"listeners": [{"id": "l", "bus": "b", "colour": "red"}]}}"#;
    let problem = &Scenario::from_json(text).unwrap_err().problems()[0];
    assert_eq!(problem.path, "event_bus.listeners[0].colour");
    assert!(problem.message.contains("unknown field `colour`"), "{problem}");
}

#[test]
fn every_semantic_problem_is_reported_at_once_with_its_path() {
    let text = r#"{
      "version": 1,
      "event_bus": {
        "event_types": [
          {"name": "A", "parent": "B"}, {"name": "B", "parent": "A"},
          {"name": "C", "parent": "Nope"}, {"name": "C"}
        ],
        "buses": [{"id": "bus"}],
        "sources": [{"id": "bus", "bus": "nowhere"}],
        "listeners": [{"id": "l", "bus": "bus", "subscriptions": ["Ghost"],
                       "processing_time": {"uniform": {"min": "5ms", "max": "1ms"}}}]
      },
      "script": [{"at": "1s", "do": {"publish": {"source": "l", "event_type": "A"}}}]
    }"#;
    let ScenarioError::Invalid(problems) = Scenario::from_json(text).unwrap_err() else {
        panic!("expected Invalid")
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    for expected in [
        "event_bus.event_types[3].name",
        "event_bus.event_types[0].parent",
        "event_bus.event_types[1].parent",
        "event_bus.event_types[2].parent",
        "event_bus.sources[0].id",
        "event_bus.sources[0].bus",
        "event_bus.listeners[0].subscriptions[0]",
        "event_bus.listeners[0].processing_time",
        "script[0].do.publish.source",
    ] {
        assert!(paths.contains(&expected), "missing {expected} in {paths:?}");
    }
    let cycle = problems
        .iter()
        .find(|p| p.path == "event_bus.event_types[0].parent")
        .unwrap();
    assert!(cycle.message.contains("its own ancestor"));
}

#[test]
fn the_pretty_form_of_every_preset_is_serde_jsons_and_reads_back_the_same() {
    for preset in eda_sim::presets::PRESETS {
        let scenario = Scenario::from_json(preset.json).unwrap();
        let pretty = scenario.to_json_pretty();
        assert_eq!(
            pretty,
            serde_json::to_string_pretty(&scenario).unwrap(),
            "{}",
            preset.id
        );
        assert_eq!(Scenario::from_json(&pretty).unwrap(), scenario, "{}", preset.id);
        assert_eq!(
            Scenario::from_json(&scenario.to_json()).unwrap(),
            scenario,
            "{}",
            preset.id
        );
    }
}

#[test]
fn numbers_in_payloads_survive_every_trip_through_text_exactly() {
    // Values whose shortest form needs 17 digits are where a best-effort float parser drifts.
    let floats = [
        0.1 + 0.2,
        1.0 / 3.0,
        2.0f64.sqrt(),
        1e-300 / 3.0,
        1.7976931348623157e308,
        5e-324,
    ];
    let payloads: Vec<serde_json::Value> = floats.iter().map(|f| serde_json::json!({ "x": f })).collect();
    let text = serde_json::json!({
        "version": 1,
        "broker": {
            "queues": [{"id": "q"}],
            "producers": [{"id": "p", "queue": "q", "payloads": payloads, "emits": {"every": {"constant": "1s"}, "count": 1}}]
        }
    })
    .to_string();
    let scenario = Scenario::from_json(&text).unwrap();
    let again = Scenario::from_json(&scenario.to_json()).unwrap();
    assert_eq!(again, scenario);
    let pretty = Scenario::from_json(&scenario.to_json_pretty()).unwrap();
    assert_eq!(pretty, scenario);
    let read: serde_json::Value = serde_json::from_str(&again.to_json()).unwrap();
    let xs: Vec<f64> = read["broker"]["producers"][0]["payloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["x"].as_f64().unwrap())
        .collect();
    assert_eq!(xs, floats);
}
