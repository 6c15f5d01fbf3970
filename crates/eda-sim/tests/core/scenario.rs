//! The scenario format: strict loading, every problem reported with its JSON path.

use eda_sim::{Scenario, ScenarioError};

#[test]
fn the_builtin_example_loads_and_round_trips() {
    let s = Scenario::from_json(eda_sim::view::presets::ORDER_EVENTS_SMS).unwrap();
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
fn every_preset_is_written_as_before_and_reads_back_the_same() {
    for preset in eda_sim::view::presets::PRESETS {
        let scenario = Scenario::from_json(preset.json).unwrap();
        // The text the format had when serde's derived writer wrote it, kept as a fixture: the
        // hand-written writer must not change a byte of it.
        let fixture = format!(
            "{}/../../tests/golden/{}.written.json",
            env!("CARGO_MANIFEST_DIR"),
            preset.id
        );
        let written = std::fs::read_to_string(&fixture).unwrap();
        assert_eq!(scenario.to_json(), written.trim_end(), "{}", preset.id);
        let pretty = scenario.to_json_pretty();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&pretty).unwrap(),
            serde_json::from_str::<serde_json::Value>(&written).unwrap(),
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

/// Every command, link, policy and distribution form, written and read back unchanged.
#[test]
fn every_form_of_the_format_survives_being_written_and_read_back() {
    let json = r#"{
      "version": 1,
      "name": "every form",
      "description": "quote \" backslash \\ tab \t ünïcödé",
      "seed": 18446744073709551615,
      "duration": "1.5s",
      "event_bus": {
        "event_types": [{"name": "A"}, {"name": "B", "parent": "A"}, {"name": "OrderCreated"}],
        "buses": [{"id": "bus", "dispatch_delay": {"uniform": {"min": "1ms", "max": "3ms"}}}],
        "sources": [{"id": "src", "bus": "bus", "emits": [{"event_type": "B", "every": {"exponential": {"mean": "40ms"}}, "start": "1ms", "count": 3}]}],
        "listeners": [{"id": "l", "bus": "bus", "subscriptions": ["A"], "processing_time": {"constant": "2ms"}}]
      },
      "request_reply": {
        "services": [{"id": "svc", "workers": 2, "service_time": {"constant": "5ms"}, "queue_capacity": 4, "replicas": 3,
                      "load_balancer": "least_outstanding",
                      "orders": {"validity": "30s", "on_created": [{"publish": {"source": "src", "event_type": "B"}}, {"publish": {"source": "src"}}],
                                 "on_paid": [{"append": {"store": "st", "stream": "orders"}}], "on_rejected": [{"produce": {"producer": "p"}}]}}],
        "clients": [{"id": "c", "service": "svc", "arrivals": {"every": {"constant": "10ms"}, "count": 2}, "timeout": "50ms", "retries": 2,
                     "backoff": "5ms", "wrong_code_percent": 10},
                    {"id": "u", "service": "svc", "users": {"count": 2, "think_time": {"constant": "20ms"}}}]
      },
      "broker": {
        "exchanges": [{"id": "x", "type": "topic", "bindings": [{"queue": "q", "key": "a.*"}]}, {"id": "f", "type": "fanout"}],
        "queues": [{"id": "q", "capacity": 2, "overflow": "drop_head", "message_ttl": "1s", "max_deliveries": 3, "dead_letter": "dlq"}, {"id": "dlq"}],
        "topics": [{"id": "t", "partitions": 3}],
        "groups": [{"id": "g", "topic": "t", "assignor": "cooperative_sticky", "auto_offset_reset": "earliest", "commit": "manual"},
                   {"id": "h", "topic": "t", "assignor": "round_robin", "commit": {"auto": {"interval": "5s"}}}],
        "producers": [{"id": "p", "topic": "t", "keys": ["k1", "k2"], "payloads": [{"amount": 12.5, "tiny": 1e-7, "n": -3}], "emits": {"every": {"constant": "7ms"}}},
                      {"id": "px", "exchange": "x"}],
        "consumers": [{"id": "cq", "queue": "q", "prefetch": 2, "processing_time": {"constant": "1ms"}, "fail_percent": 5, "on_failure": "reject",
                       "notify_when": {"status": "paid"}},
                      {"id": "cg", "group": "g", "processing_time": {"constant": "1ms"}, "join_at": "2s"},
                      {"id": "ch", "group": "h", "processing_time": {"constant": "1ms"}}]
      },
      "discovery": {
        "registries": [{"id": "reg"}],
        "providers": [{"id": "prov", "name": "foo", "endpoint": "10.0.0.1:80", "registry": "reg", "operations": ["echo"], "register_at": "1ms"}],
        "clients": [{"id": "dc", "registry": "reg", "watch": ["foo"], "call_timeout": "1s"}]
      },
      "event_store": {
        "stores": [{"id": "st", "snapshot_every": 3, "publish_to": {"source": "src"}}],
        "projections": [{"id": "view", "store": "st"}]
      },
      "script": [
        {"at": "1ms", "do": {"publish": {"source": "src", "event_type": "A"}}},
        {"at": "1ms", "do": {"subscribe": {"listener": "l", "event_type": "B"}}},
        {"at": "1ms", "do": {"unsubscribe": {"listener": "l", "event_type": "B"}}},
        {"at": "2ms", "do": {"crash": {"entity": "svc"}}},
        {"at": "3ms", "do": {"restart": {"entity": "svc"}}},
        {"at": "3ms", "do": {"request": {"client": "c"}}},
        {"at": "3ms", "do": {"produce": {"producer": "p", "key": "k", "payload": {"x": [1, null, true]}}}},
        {"at": "3ms", "do": {"produce": {"producer": "p"}}},
        {"at": "4ms", "do": {"leave": {"consumer": "cg"}}},
        {"at": "5ms", "do": {"join": {"consumer": "cg"}}},
        {"at": "5ms", "do": {"deregister": {"provider": "prov"}}},
        {"at": "6ms", "do": {"register": {"provider": "prov"}}},
        {"at": "6ms", "do": {"lookup": {"client": "dc", "name": "foo"}}},
        {"at": "6ms", "do": {"watch": {"client": "dc", "name": "foo"}}},
        {"at": "7ms", "do": {"call": {"client": "dc", "name": "foo", "operation": "echo", "payload": "hi"}}},
        {"at": "8ms", "do": {"append": {"store": "st", "stream": "s-1", "event_type": "A", "data": {"a": 1.25}, "expected_version": 0}}},
        {"at": "8ms", "do": {"append": {"store": "st", "stream": "s-1", "event_type": "A"}}},
        {"at": "9ms", "do": {"rebuild_projection": {"projection": "view"}}}
      ]
    }"#;
    let scenario = Scenario::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    let written = scenario.to_json();
    assert_eq!(Scenario::from_json(&written).unwrap(), scenario, "{written}");
    assert_eq!(Scenario::from_json(&scenario.to_json_pretty()).unwrap(), scenario);
    // Written text is plain JSON that carries every member given above (defaults are added).
    let given: serde_json::Value = serde_json::from_str(json).unwrap();
    let back: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(
        back["script"],
        given["script"]
            .as_array()
            .map(|entries| {
                let mut entries = entries.clone();
                // An append without data is written with its empty data.
                entries[16]["do"]["append"]["data"] = serde_json::json!({});
                serde_json::Value::Array(entries)
            })
            .unwrap()
    );
    assert_eq!(
        back["broker"]["producers"][0]["payloads"],
        given["broker"]["producers"][0]["payloads"]
    );
    assert_eq!(back["description"], given["description"]);
    assert_eq!(back["broker"]["groups"][0]["commit"], "manual");
    assert_eq!(
        back["broker"]["groups"][1]["commit"],
        serde_json::json!({"auto": {"interval": "5s"}})
    );
}

#[test]
fn names_with_invisible_or_direction_characters_are_refused() {
    for (name, code) in [
        ("ord\u{200B}ers", "U+200B"),
        ("\u{202E}sredro", "U+202E"),
        ("orders\u{FEFF}", "U+FEFF"),
    ] {
        let json = serde_json::json!({
            "version": 1,
            "broker": {"queues": [{"id": name}]}
        })
        .to_string();
        let problems = Scenario::from_json(&json).unwrap_err().problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "broker.queues[0].id");
        assert!(problems[0].message.contains(code), "{}", problems[0].message);
    }
    // Letters of any script stay welcome.
    let json = r#"{"version": 1, "broker": {"queues": [{"id": "订单-队列"}]}}"#;
    assert!(Scenario::from_json(json).is_ok());
}

#[test]
fn instants_past_the_longest_run_are_refused_instead_of_clamped() {
    let json = r#"{"version": 1, "duration": "3651d",
        "event_bus": {"event_types": [{"name": "Paid"}], "buses": [{"id": "b"}], "sources": [{"id": "s", "bus": "b"}]},
        "script": [{"at": "3650d", "do": {"publish": {"source": "s", "event_type": "Paid"}}},
                   {"at": "100000000d", "do": {"publish": {"source": "s", "event_type": "Paid"}}}]}"#;
    let problems = Scenario::from_json(json).unwrap_err().problems();
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["duration", "script[1].at"], "{problems:?}");
    assert!(problems[1].message.contains("longest run (10 years)"));
}

#[test]
fn a_key_written_twice_is_refused_at_its_object() {
    let json = r#"{"version": 1, "seed": 1, "broker": {"queues": [{"id": "q", "capacity": 5, "capacity": 50}]}}"#;
    let ScenarioError::Shape(problem) = Scenario::from_json(json).unwrap_err() else {
        panic!("a duplicate key is a shape problem");
    };
    assert_eq!(problem.path, "broker.queues[0]");
    assert!(
        problem.message.contains("\"capacity\" is written twice"),
        "{}",
        problem.message
    );
    let top = r#"{"version": 1, "seed": 1, "seed": 2}"#;
    assert_eq!(Scenario::from_json(top).unwrap_err().problems()[0].path, "");
}
