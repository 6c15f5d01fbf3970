//! A/B comparison: the counters that differ, the first moment two runs part (checked against
//! the variant's own trace), and A/B links both ways with every way they can be wrong.

use eda_sim::view::compare::{
    counter_diffs, decode_comparison, encode_comparison, first_divergence, is_comparison_link, same_seed, variant_of,
    FirstDivergence,
};
use eda_sim::view::share::encode_json;
use eda_sim::{Scenario, Sim, SimDuration, SimTime};

fn shop() -> Scenario {
    Scenario::from_json(include_str!("../../../../docs/examples/request-reply.json")).expect("the example loads")
}

fn with_workers(scenario: &Scenario, workers: u32) -> Scenario {
    let mut b = scenario.clone();
    b.request_reply.services[0].workers = workers;
    b
}

fn report_at(scenario: &Scenario, until: SimTime) -> eda_sim::Report {
    let mut sim = Sim::new(scenario).expect("valid");
    sim.run_until(until).expect("runs");
    sim.report()
}

#[test]
fn an_unchanged_variant_never_parts_and_differs_in_nothing() {
    let a = Scenario::from_json(include_str!("../../../../docs/examples/queues.json")).expect("loads");
    let b = variant_of(&a);
    assert_ne!(a.name, b.name);
    match first_divergence(&a, &b, None, 10_000_000).expect("runs") {
        FirstDivergence::Same { finished, events, .. } => {
            assert!(finished);
            assert!(events > 1_000);
        }
        other => panic!("the same scenario parted: {other:?}"),
    }
    let until = SimTime(20_000_000);
    assert!(counter_diffs(&report_at(&a, until), &report_at(&b, until)).is_empty());
}

#[test]
fn more_workers_in_b_part_the_runs_when_a_first_has_to_queue_a_request() {
    let a = shop();
    let b = with_workers(&a, 8);
    let FirstDivergence::At(at) = first_divergence(&a, &b, None, 1_000_000).expect("runs") else {
        panic!("the runs should part");
    };
    // The moment is A's first queued request: until then four workers were as good as eight.
    let mut sim = Sim::new(&a).expect("valid");
    let mut first_queued = None;
    while first_queued.is_none() && sim.step().expect("steps") {
        first_queued = sim.take_new_records().into_iter().find(|r| r.kind.verb() == "Queued");
    }
    let first_queued = first_queued.expect("A queues a request at some point");
    assert_eq!(at.time, first_queued.time);
    assert!(
        at.a.as_deref().is_some_and(|line| line.starts_with("Queued request")),
        "{at:?}"
    );
    assert!(
        at.b.as_deref().is_some_and(|line| line.starts_with("Started request")),
        "{at:?}"
    );
    assert!(at.events > 0);

    let until = SimTime(20_000_000);
    let diffs = counter_diffs(&report_at(&a, until), &report_at(&b, until));
    let diff = |counter: &str| {
        diffs
            .iter()
            .find(|d| d.entity == "order-service" && d.counter == counter)
            .unwrap_or_else(|| panic!("{counter} should differ: {diffs:?}"))
    };
    // Twice the workers: the predicted utilisation halves, and the longest queue is shorter.
    let utilisation = diff("predicted_utilisation");
    let (ua, ub) = (
        utilisation.a.as_ref().unwrap().as_f64().unwrap(),
        utilisation.b.as_ref().unwrap().as_f64().unwrap(),
    );
    assert!((ub - ua / 2.0).abs() < 1e-12, "{ua} → {ub}");
    assert!(diff("queue_len_max").change().unwrap() < 0.0);
    // A counter only one run has is listed with the other side empty.
    assert!(diffs.iter().any(|d| d.a.is_none() && d.b.is_some()));
}

#[test]
fn an_a_b_link_carries_both_scenarios_the_moment_and_the_side_edited() {
    let a = shop();
    let mut b = with_workers(&a, 8);
    b.seed = 99;
    let link = encode_comparison(&a, &b, Some(SimDuration(20_000_000)), true);
    assert!(link.starts_with("ab1."));
    assert!(is_comparison_link(&format!("http://127.0.0.1:8080/#{link}")));
    assert!(!is_comparison_link("v1.AAAA") && !is_comparison_link("lesson1.AAAA"));
    // Two near-identical scenarios cost little more than one.
    let one = eda_sim::view::share::encode(&eda_sim::view::share::SharedState::new(a.clone()));
    assert!(link.len() < one.len() * 3 / 2, "{} against {}", link.len(), one.len());
    let opened = decode_comparison(&link).expect("opens");
    assert_eq!(opened.a, a);
    // B runs with A's seed, whatever the link said.
    assert_eq!(opened.b, same_seed(&a, &b));
    assert_eq!(opened.b.request_reply.services[0].workers, 8);
    assert_eq!(opened.cursor, Some(SimDuration(20_000_000)));
    assert!(opened.editing_b);
}

#[test]
fn broken_a_b_links_say_what_is_wrong() {
    let a = shop().to_json();
    let ab = |json: String| encode_json(&json).replacen("v1.", "ab1.", 1);
    let mut broken_b: serde_json::Value = serde_json::from_str(&a).unwrap();
    broken_b["request_reply"]["services"][0]["workers"] = serde_json::json!(0);
    let cases = [
        (ab(format!("{{\"a\": {a}}}")), "it has no scenario B".to_string()),
        (
            ab(format!("{{\"a\": {a}, \"b\": {broken_b}}}")),
            "b.request_reply.services[0].workers".to_string(),
        ),
        (
            ab(format!("{{\"a\": {a}, \"b\": {a}, \"editing\": \"c\"}}")),
            "neither \"a\" nor \"b\"".to_string(),
        ),
        (
            ab(format!("{{\"a\": {a}, \"b\": {a}, \"zoom\": 2}}")),
            "unknown field `zoom`".to_string(),
        ),
        ("ab7.AAAA".to_string(), "newer".to_string()),
        ("ab1.!!!!".to_string(), "damaged".to_string()),
    ];
    for (link, expected) in cases {
        let message = decode_comparison(&link).expect_err("refused").to_string();
        assert!(message.contains(&expected), "{message}");
    }
}
