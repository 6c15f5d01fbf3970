//! The `eda` command as a user runs it: example scenarios run and report, bad input fails with
//! the loader's message naming the offending JSON path, the hash matches the library's, every run
//! keeps to its event budget, and running in slices gives the same result as one go.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn eda(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eda"))
        .args(args)
        .output()
        .expect("the eda binary runs")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every example scenario shipped in docs/examples and static/scenarios.
fn examples() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["docs/examples", "static/scenarios"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 4, "examples found: {files:?}");
    files
}

/// A scenario file in the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl std::ops::Deref for TempFile {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn temp_file(name: &str, text: &str) -> TempFile {
    let path = std::env::temp_dir().join(format!("eda-cli-test-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    TempFile(path)
}

#[test]
fn every_example_runs_and_its_json_report_parses() {
    for file in examples() {
        // Each example ends by itself or at its own "duration".
        let out = eda(&["run", file.to_str().unwrap(), "--json"]);
        assert!(
            out.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        let scenario: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        if let Some(duration) = scenario["duration"].as_str() {
            let seconds: u64 = duration.trim_end_matches('s').parse().unwrap();
            assert_eq!(report["simulated_time_us"], seconds * 1_000_000, "{}", file.display());
        }
        assert!(report["events_processed"].as_u64().unwrap() > 0, "{}", file.display());
        assert_eq!(report["trace_hash"].as_str().unwrap().len(), 16);
        assert!(!report["entities"].as_array().unwrap().is_empty());
        let validate = eda(&["validate", file.to_str().unwrap()]);
        assert!(validate.status.success());
    }
}

#[test]
fn the_cli_reports_the_same_trace_hash_as_the_golden_file_the_browser_checks() {
    let file = repo().join("static/scenarios/order-events-sms.json");
    let out = eda(&["run", file.to_str().unwrap(), "--until", "10s"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let golden = std::fs::read_to_string(repo().join("tests/golden/order-events-sms.hash")).unwrap();
    assert!(text.contains(&format!("trace hash        {}", golden.trim())), "{text}");
}

#[test]
fn the_same_seed_gives_the_same_hash_and_another_seed_another() {
    let file = repo().join("docs/examples/request-reply.json");
    let hash = |seed: &str| {
        let out = eda(&["run", file.to_str().unwrap(), "--json", "--seed", seed, "--until", "5s"]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["trace_hash"].as_str().unwrap().to_string()
    };
    assert_eq!(hash("1"), hash("1"));
    assert_ne!(hash("1"), hash("2"));
}

#[test]
fn an_invalid_scenario_exits_non_zero_naming_each_offending_path() {
    let file = temp_file(
        "invalid.json",
        r#"{"version": 1, "broker": {"topics": [{"id": "t", "partitions": 0}],
            "consumers": [{"id": "c", "queue": "nowhere", "processing_time": {"constant": "1ms"}}]}}"#,
    );
    for command in ["run", "validate"] {
        let out = eda(&[command, file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let message = String::from_utf8(out.stderr).unwrap();
        assert!(
            message.contains("broker.topics[0].partitions: must be between 1 and 256"),
            "{message}"
        );
        assert!(
            message.contains("broker.consumers[0].queue: unknown queue \"nowhere\""),
            "{message}"
        );
    }
}

#[test]
fn text_that_is_not_a_scenario_is_refused_with_a_clear_message() {
    let cases = [
        ("empty.json", "", "the file is empty."),
        ("notes.json", "this is not json", "it is not JSON ("),
        ("list.json", "[1, 2]", "a scenario is a JSON object"),
        (
            "future.json",
            r#"{"version": 7}"#,
            "version: this playground reads scenario version 1, not 7",
        ),
        ("shape.json", r#"{"version": 1, "seed": "many"}"#, "seed: invalid type"),
    ];
    for (name, text, expected) in cases {
        let out = eda(&["run", temp_file(name, text).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let message = String::from_utf8(out.stderr).unwrap();
        assert!(message.contains(expected), "{name}: {message}");
    }
    let out = eda(&["run", "/no/such/file.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("/no/such/file.json: cannot read it"));
    // Over the size limit: refused unread, in the playground's words.
    let big = temp_file("big.json", &" ".repeat(2 * 1024 * 1024));
    let out = eda(&["run", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let message = String::from_utf8(out.stderr).unwrap();
    assert!(
        message.contains("it is 2.0 MB; scenario files are at most 1024 KB."),
        "{message}"
    );
}

#[test]
fn a_bad_command_line_exits_2_with_clap_s_message() {
    for args in [
        &["frobnicate"][..],
        &["run"],
        &["run", "a.json", "--until", "soon"],
        &["run", "a.json", "--seed", "-1"],
        &["run", "a.json", "--colour"],
        &["run", "a.json", "--link", "#v1.AAAA"],
        &["run", "a.json", "--at", "1s"],
        &["validate", "a.json", "--seed", "1"],
        &["link", "--link", "#v1.AAAA"],
        &["link", "a.json", "--until", "1s"],
        &["run", "a.json", "--max-events", "many"],
    ] {
        let out = eda(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(
            stderr.contains("For more information, try '--help'."),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn until_bounds_a_run_that_would_never_end_by_itself() {
    let file = temp_file(
        "endless.json",
        r#"{"version": 1, "broker": {"queues": [{"id": "q"}],
            "producers": [{"id": "p", "queue": "q", "emits": {"every": {"constant": "1s"}}}],
            "consumers": [{"id": "c", "queue": "q", "processing_time": {"constant": "1ms"}}]}}"#,
    );
    let ok = eda(&["run", file.to_str().unwrap(), "--until", "1min", "--json"]);
    assert!(ok.status.success());
    let report: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    let consumer = report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "c")
        .unwrap()
        .clone();
    // Published at 1 s … 60 s; the last is still on its way at the end of the minute.
    assert_eq!(consumer["counters"]["handled"], 59);
    let producer = report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "p")
        .unwrap()
        .clone();
    assert_eq!(producer["counters"]["sent"], 60);
}

#[test]
fn every_preset_file_runs_to_its_golden_hash() {
    for (id, path) in [
        ("order-events-sms", "static/scenarios/order-events-sms.json"),
        ("topics", "docs/examples/topics.json"),
        ("queues", "docs/examples/queues.json"),
        ("request-reply", "docs/examples/request-reply.json"),
        ("service-discovery", "static/scenarios/service-discovery.json"),
        ("event-sourcing", "static/scenarios/event-sourcing.json"),
        ("order-system", "docs/examples/order-system.json"),
    ] {
        let out = eda(&["run", repo().join(path).to_str().unwrap(), "--json"]);
        assert!(out.status.success(), "{id}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let golden = std::fs::read_to_string(repo().join(format!("tests/golden/{id}.hash"))).unwrap();
        assert_eq!(report["trace_hash"].as_str().unwrap(), golden.trim(), "{id}");
    }
}

#[test]
fn a_share_link_runs_to_its_moment_with_the_hash_the_browser_shows() {
    let file = repo().join("static/scenarios/order-events-sms.json");
    let link = eda(&["link", file.to_str().unwrap(), "--at", "2s"]);
    assert!(link.status.success());
    let link = String::from_utf8(link.stdout).unwrap();
    assert!(link.starts_with("#v1."), "{link}");
    let by_link = eda(&[
        "run",
        "--link",
        &format!("http://127.0.0.1:8080/{}", link.trim()),
        "--json",
    ]);
    assert!(by_link.status.success(), "{}", String::from_utf8_lossy(&by_link.stderr));
    let by_file = eda(&["run", file.to_str().unwrap(), "--until", "2s", "--json"]);
    let hash = |out: &Output| {
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            report["trace_hash"].as_str().unwrap().to_string(),
            report["simulated_time_us"].as_u64().unwrap(),
        )
    };
    assert_eq!(hash(&by_link), hash(&by_file));
    assert_eq!(hash(&by_link).1, 2_000_000);
    // A frozen link from the fixtures opens too.
    let frozen = std::fs::read_to_string(repo().join("tests/fixtures/links/v1-topics.txt")).unwrap();
    let out = eda(&["validate", "--link", frozen.trim()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_broken_link_exits_1_with_the_same_message_as_the_browser() {
    for (link, message) in [
        ("#hello", "not an EDA Playground scenario"),
        ("#v9.AAAA", "made by a newer EDA Playground (link format v9)"),
        ("#v1.AB*D", "is not allowed there (base64url)"),
        ("#v1.AAAAAAAAAA", "cut short"),
    ] {
        let out = eda(&["run", "--link", link]);
        assert_eq!(out.status.code(), Some(1), "{link}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(message), "{link}: {stderr}");
    }
    let out = eda(&["run", "--link"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_names_every_command_and_option_and_exits_0() {
    let help = |args: &[&str]| {
        let out = eda(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let top = help(&["--help"]);
    for word in ["run", "validate", "link", "250ms", "Exit codes"] {
        assert!(top.contains(word), "eda --help lacks {word}: {top}");
    }
    let run = help(&["run", "--help"]);
    for word in [
        "SCENARIO.json",
        "--link",
        "--seed",
        "--until",
        "--json",
        "--max-events",
        "--quiet",
        "250ms, 1.5s, 2min, 1d",
        "progress bar",
    ] {
        assert!(run.contains(word), "eda run --help lacks {word}: {run}");
    }
    assert!(!run.contains("--slice-events"), "a test knob is not for users: {run}");
    assert!(help(&["validate", "--help"]).contains("--link"));
    assert!(help(&["link", "--help"]).contains("--at"));
    assert_eq!(help(&["help", "run"]), run);
}

#[test]
fn a_mistyped_command_exits_2_suggesting_the_one_meant() {
    let out = eda(&["rn", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("similar subcommand exists: 'run'"), "{stderr}");
}

/// A producer that emits every microsecond for ever (its queue full, so nothing else piles up).
const EVERY_MICROSECOND: &str = r#"{"version": 1, "broker": {"queues": [{"id": "q", "capacity": 10}],
    "producers": [{"id": "p", "queue": "q", "emits": {"every": {"constant": "1us"}}}]}}"#;

#[test]
fn a_run_that_uses_up_its_event_budget_exits_3_with_the_report_so_far() {
    let file = repo().join("docs/examples/order-system.json");
    let out = eda(&["run", file.to_str().unwrap(), "--max-events", "1000", "--json"]);
    assert_eq!(out.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the report so far");
    assert_eq!(report["events_processed"], 1000);
    assert!(report["simulated_time_us"].as_u64().unwrap() < 60_000_000);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("after 1000 events (--max-events)"), "{stderr}");
    assert!(stderr.contains("before its end at 60.000000 s"), "{stderr}");
    assert!(
        stderr.contains("a larger --max-events or a shorter --until"),
        "{stderr}"
    );
    // The readable report too.
    let out = eda(&["run", file.to_str().unwrap(), "--max-events", "1000"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("events processed  1000\n"));
}

#[test]
fn until_far_away_is_bounded_by_the_event_budget() {
    let file = temp_file("every-us.json", EVERY_MICROSECOND);
    let started = std::time::Instant::now();
    let out = eda(&[
        "run",
        file.to_str().unwrap(),
        "--until",
        "1000d",
        "--max-events",
        "100000",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["events_processed"], 100_000);
    assert_eq!(report["simulated_time_us"], 100_000);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("after 100000 events (--max-events) at simulated time 0.100000 s"),
        "{stderr}"
    );
    // Without an end the budget bounds it too, with the message for runs that never end.
    let out = eda(&["run", file.to_str().unwrap(), "--max-events", "100000"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("did not end by itself within 100000 events (--max-events)"),
        "{stderr}"
    );
    // And a link's moment.
    let link = eda(&["link", file.to_str().unwrap(), "--at", "1d"]);
    let link = String::from_utf8(link.stdout).unwrap();
    let out = eda(&["run", "--link", link.trim(), "--max-events", "100000"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("before the link's moment at 86400.000000 s"),
        "{stderr}"
    );
}

#[test]
fn quiet_is_accepted_and_a_piped_stderr_never_shows_a_progress_bar() {
    let file = temp_file("quiet-every-us.json", EVERY_MICROSECOND);
    let path = file.to_str().unwrap();
    // Long enough (over a second unoptimised) that a bar would appear on a terminal, checked
    // after each of many small slices.
    let out = eda(&["run", path, "--until", "1500ms", "--slice-events", "10000", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{:?}", String::from_utf8_lossy(&out.stderr));
    for quiet in ["--quiet", "-q"] {
        let quiet_out = eda(&["run", path, "--until", "10ms", quiet]);
        assert!(quiet_out.status.success(), "{quiet}");
        assert!(quiet_out.stderr.is_empty(), "{quiet}");
        assert_eq!(quiet_out.stdout, eda(&["run", path, "--until", "10ms"]).stdout);
    }
}

/// Trace hash, events processed and simulated time of a `--json` run, and its exit code.
fn outcome(args: &[&str]) -> (String, u64, u64, Option<i32>) {
    let out = eda(args);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!("{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (
        report["trace_hash"].as_str().unwrap().to_string(),
        report["events_processed"].as_u64().unwrap(),
        report["simulated_time_us"].as_u64().unwrap(),
        out.status.code(),
    )
}

#[test]
fn running_in_small_slices_gives_the_same_result_as_one_go() {
    // Two producers due at every whole second: a link's moment at 2 s falls among events of
    // one instant, which a slice boundary must not cut short.
    let two_producers = temp_file(
        "two-producers.json",
        r#"{"version": 1, "broker": {"queues": [{"id": "q"}],
            "producers": [{"id": "a", "queue": "q", "emits": {"every": {"constant": "1s"}}},
                          {"id": "b", "queue": "q", "emits": {"every": {"constant": "1s"}}}],
            "consumers": [{"id": "c", "queue": "q", "processing_time": {"constant": "1ms"}}]}}"#,
    );
    let link = eda(&["link", two_producers.to_str().unwrap(), "--at", "2s"]);
    let link = String::from_utf8(link.stdout).unwrap();
    let queues = repo().join("docs/examples/queues.json");
    let to_end = repo().join("static/scenarios/order-events-sms.json");
    let runs: [&[&str]; 5] = [
        &["run", queues.to_str().unwrap()],
        &["run", to_end.to_str().unwrap()],
        &["run", "--link", link.trim()],
        &["run", queues.to_str().unwrap(), "--max-events", "1000"],
        &["run", to_end.to_str().unwrap(), "--max-events", "100"],
    ];
    for args in runs {
        let whole = outcome(&[args, &["--json"]].concat());
        for slice in ["1", "7"] {
            let sliced = outcome(&[args, &["--json", "--slice-events", slice]].concat());
            assert_eq!(sliced, whole, "{args:?} in slices of {slice}");
        }
    }
    // The link's moment is reached, past both emissions at 2 s.
    let at_moment = outcome(&["run", "--link", link.trim(), "--json"]);
    assert_eq!((at_moment.2, at_moment.3), (2_000_000, Some(0)));
}

#[test]
fn the_json_report_puts_queueing_theory_beside_what_was_measured() {
    // M/M/2 at ρ = 0.75: λ = 150/s, μ = 100/s; Erlang C(2, 1.5) = 0.6429, W = 10 + 12.86 ms.
    let file = temp_file(
        "mm2.json",
        r#"{"version": 1, "seed": 5, "request_reply": {
            "services": [{"id": "svc", "workers": 2, "service_time": {"exponential": {"mean": "10ms"}}}],
            "clients": [{"id": "c", "service": "svc", "network_delay": {"constant": "0us"},
                         "arrivals": {"every": {"exponential": {"mean": "6667us"}}}}]}}"#,
    );
    let out = eda(&["run", file.to_str().unwrap(), "--until", "20min", "--json"]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let svc = report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "svc")
        .unwrap();
    let n = |k: &str| svc["counters"][k].as_f64().unwrap_or_else(|| panic!("{k}"));
    assert!((n("predicted_wait_probability") - 0.6429).abs() < 1e-3);
    assert!((n("predicted_utilisation") - 0.75).abs() < 1e-3);
    assert!((n("predicted_sojourn_ms_mean") - n("sojourn_ms_mean")).abs() <= n("sojourn_ms_ci95"));
    assert!((n("wait_probability") - n("predicted_wait_probability")).abs() < 0.02);
    assert!((n("in_system_mean") - n("littles_law_in_system")).abs() / n("in_system_mean") < 0.01);
}

#[test]
fn eda_lesson_checks_that_every_step_works_and_names_the_one_that_does_not() {
    let lesson = repo().join("docs/lessons/request-response.json");
    let out = eda(&["lesson", lesson.to_str().unwrap()]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("step 2  Keep p99 under 200 ms"), "{stdout}");
    assert!(
        stdout.contains("✗ order-service response_ms_p99 is at most 200 (now"),
        "{stdout}"
    );
    assert!(stdout.contains("all 3 steps work"), "{stdout}");

    // A step whose moves do not reach the goal: named, exit 1.
    let mut value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&lesson).unwrap()).unwrap();
    value["steps"][1]["do"][0]["set"]["to"] = serde_json::json!("2");
    let broken = temp_file("broken-lesson.json", &value.to_string());
    let out = eda(&["lesson", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("steps that do not work: 2"), "{stderr}");
}

#[test]
fn a_lesson_link_runs_the_scenario_as_its_step_starts() {
    let lesson = eda_sim::view::lesson::builtin("request-response").unwrap();
    let link = format!("#{}", eda_sim::view::lesson::encode_link(&lesson, 1));
    let out = eda(&["run", "--link", &link, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Step 2 starts where step 1 left the run: at 30 s, with one worker swamped.
    assert_eq!(report["simulated_time_us"], serde_json::json!(30_000_000));
    let service = report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "order-service")
        .unwrap();
    assert!(service["counters"]["queued"].as_f64().unwrap() >= 100.0);
    let out = eda(&["lesson", "--link", &link]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn an_a_b_link_reports_both_runs_what_differs_and_where_they_part() {
    let a = repo().join("docs/examples/request-reply.json");
    let mut variant: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    variant["request_reply"]["services"][0]["workers"] = serde_json::json!(8);
    let b = temp_file("variant-b.json", &variant.to_string());
    let out = eda(&[
        "link",
        a.to_str().unwrap(),
        "--compare",
        b.to_str().unwrap(),
        "--at",
        "20s",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let link = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(link.starts_with("#ab1."), "{link}");

    let out = eda(&["run", "--link", &link, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let both: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for side in ["a", "b"] {
        assert_eq!(both[side]["simulated_time_us"], serde_json::json!(20_000_000), "{side}");
    }
    let counter = |side: &str, name: &str| {
        both[side]["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "order-service")
            .unwrap()["counters"][name]
            .as_f64()
            .unwrap()
    };
    assert_eq!(
        counter("b", "predicted_utilisation"),
        counter("a", "predicted_utilisation") / 2.0
    );
    let differences = both["differences"].as_array().unwrap();
    assert!(differences
        .iter()
        .any(|d| d["entity"] == "order-service" && d["counter"] == "predicted_utilisation"));
    let at = &both["first_divergence"]["at"];
    assert!(at["a"].as_str().unwrap().starts_with("Queued request"), "{at}");
    assert!(at["b"].as_str().unwrap().starts_with("Started request"), "{at}");
    assert!(at["time_us"].as_u64().unwrap() > 0);

    let out = eda(&["run", "--link", &link]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("== run A") && text.contains("== run B"), "{text}");
    assert!(text.contains("== first divergence\nat "), "{text}");
    let out = eda(&["validate", "--link", &link]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("two valid scenarios"));
    let out = eda(&["run", "--link", "#ab1.AAAA"]);
    assert_eq!(out.status.code(), Some(1));
}
