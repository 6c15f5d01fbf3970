//! Theory beside observation: long M/M/1 and M/M/c runs agree with the predictions of queueing
//! theory within the run's own 95 % confidence interval; Little's law holds on the run; a
//! saturated service is predicted unstable; the ways a scenario departs from the model are said;
//! a consumer group's lag growth is predicted from produce and consume rates.

use eda_sim::{Scenario, Sim, SimTime};

/// One open-loop client with Poisson arrivals (mean gap `gap_ms`) calling a service with
/// `workers` workers and exponential service times (mean `service_ms`), without network delay.
fn mmc(gap_ms: f64, service_ms: f64, workers: u32, seconds: u64) -> Sim {
    let json = format!(
        r#"{{"version": 1, "seed": 17, "request_reply": {{
        "services": [{{"id": "svc", "workers": {workers}, "service_time": {{"exponential": {{"mean": "{service_us}us"}}}}}}],
        "clients": [{{"id": "users", "service": "svc", "network_delay": {{"constant": "0us"}},
                      "arrivals": {{"every": {{"exponential": {{"mean": "{gap_us}us"}}}}}}}}]}}}}"#,
        service_us = (service_ms * 1000.0) as u64,
        gap_us = (gap_ms * 1000.0) as u64,
    );
    let scenario = Scenario::from_json(&json).unwrap();
    let mut sim = Sim::with_retention(&scenario, eda_sim::trace::Retention::HashOnly).unwrap();
    sim.run_until(SimTime(seconds * 1_000_000)).unwrap();
    sim
}

fn get(sim: &Sim, name: &str) -> f64 {
    crate::support::number(sim, "svc", name)
}

fn agrees(sim: &Sim) {
    let (predicted, measured, half) = (
        get(sim, "predicted_sojourn_ms_mean"),
        get(sim, "sojourn_ms_mean"),
        get(sim, "sojourn_ms_ci95"),
    );
    assert!(
        (predicted - measured).abs() <= half,
        "W: predicted {predicted:.2} ms, measured {measured:.2} ± {half:.2} ms"
    );
    let (u, pu) = (get(sim, "utilisation"), get(sim, "predicted_utilisation"));
    assert!((u - pu).abs() < 0.02, "utilisation {u:.3} against {pu:.3}");
    let (w, pw) = (get(sim, "wait_probability"), get(sim, "predicted_wait_probability"));
    assert!((w - pw).abs() < 0.02, "P(wait) {w:.3} against {pw:.3}");
    let (l, little) = (get(sim, "in_system_mean"), get(sim, "littles_law_in_system"));
    assert!((l - little).abs() / l < 0.01, "L = {l:.3} against λW = {little:.3}");
    let (pq, q) = (get(sim, "predicted_wait_ms_mean"), get(sim, "wait_ms_mean"));
    assert!((pq - q).abs() / pq < 0.1, "Wq predicted {pq:.2}, measured {q:.2} ms");
    let (pl, l) = (get(sim, "predicted_in_system_mean"), get(sim, "in_system_mean"));
    assert!((pl - l).abs() / pl < 0.1, "L predicted {pl:.3}, measured {l:.3}");
}

#[test]
fn a_long_m_m_1_run_agrees_with_the_theory() {
    // λ = 80/s, μ = 100/s: ρ = 0.8, W = 1 / (μ - λ) = 50 ms, P(wait) = ρ.
    let sim = mmc(12.5, 10.0, 1, 2_000);
    assert!((get(&sim, "predicted_sojourn_ms_mean") - 50.0).abs() < 1e-6);
    assert!((get(&sim, "predicted_wait_probability") - 0.8).abs() < 1e-9);
    agrees(&sim);
    assert!(!crate::support::report_text(&sim, "svc").contains("not exponential"));
}

#[test]
fn a_long_m_m_3_run_agrees_with_erlang_c() {
    // λ = 250/s, μ = 100/s, c = 3: a = 2.5, C(3, 2.5) = 0.7022, W = 10 + 14.04 ms.
    let sim = mmc(4.0, 10.0, 3, 4_000);
    assert!((get(&sim, "predicted_wait_probability") - 0.7022).abs() < 5e-4);
    assert!((get(&sim, "predicted_sojourn_ms_mean") - 24.045).abs() < 0.01);
    agrees(&sim);
}

#[test]
fn a_saturated_service_is_predicted_unstable_and_says_why() {
    let sim = mmc(5.0, 10.0, 1, 20);
    assert_eq!(get(&sim, "predicted_stable"), 0.0);
    assert!((get(&sim, "predicted_utilisation") - 2.0).abs() < 1e-9);
    assert!(crate::support::report_text(&sim, "svc").contains("grows without bound"));
}

#[test]
fn departures_from_the_model_are_named() {
    let json = r#"{"version": 1, "request_reply": {
        "services": [{"id": "svc", "service_time": {"constant": "10ms"}, "queue_capacity": 5}],
        "clients": [{"id": "users", "service": "svc", "timeout": "1s",
                     "arrivals": {"every": {"uniform": {"min": "10ms", "max": "30ms"}}}}]}}"#;
    let mut sim = Sim::new(&Scenario::from_json(json).unwrap()).unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    let notes = crate::support::report_text(&sim, "svc");
    for expected in [
        "arrival gaps are not exponential",
        "service times are not exponential",
        "finite waiting room",
        "timeouts and retries",
    ] {
        assert!(notes.contains(expected), "{expected}: {notes}");
    }
}

#[test]
fn a_group_whose_members_are_too_slow_is_predicted_to_fall_behind() {
    // 150 records/s into two partitions; one member reads a record per fetch (1 ms) and
    // processing (8 ms), 111/s: the lag grows by about 39 records a second.
    let json = r#"{"version": 1, "seed": 3, "broker": {
        "network_delay": {"constant": "1ms"},
        "topics": [{"id": "t", "partitions": 2}],
        "groups": [{"id": "g", "topic": "t", "auto_offset_reset": "earliest"}],
        "producers": [{"id": "a", "topic": "t", "emits": {"every": {"exponential": {"mean": "10ms"}}}},
                      {"id": "b", "topic": "t", "emits": {"every": {"exponential": {"mean": "20ms"}}}}],
        "consumers": [{"id": "m", "group": "g", "processing_time": {"constant": "8ms"}}]}}"#;
    let mut sim = Sim::new(&Scenario::from_json(json).unwrap()).unwrap();
    sim.run_until(SimTime(200_000_000)).unwrap();
    let predicted = crate::support::number(&sim, "g", "predicted_lag_growth_per_s");
    assert!((predicted - (150.0 - 1e6 / 9_000.0)).abs() < 1e-6, "{predicted}");
    let measured = crate::support::number(&sim, "g", "lag_growth_per_s");
    assert!(
        (measured - predicted).abs() / predicted < 0.1,
        "measured {measured:.1}/s"
    );
}
