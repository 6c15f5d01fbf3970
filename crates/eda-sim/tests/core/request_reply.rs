//! Request-response: queueing theory, capacity limits, timeouts, retries, load balancing,
//! crashes, and the seed's order flow.

use eda_sim::patterns::request_reply::RpcRecord;
use eda_sim::trace::Retention;
use eda_sim::{Scenario, Sim, SimTime, TraceKind};

fn load(json: &str) -> Scenario {
    Scenario::from_json(json).unwrap_or_else(|e| panic!("{e}"))
}

/// One open-loop client with Poisson arrivals calling one service with exponential service.
fn mmc(workers: u32, mean_gap_us: u64, mean_service_us: u64, seed: u64) -> Scenario {
    load(&format!(
        r#"{{"version": 1, "seed": {seed}, "request_reply": {{
            "services": [{{"id": "svc", "workers": {workers}, "service_time": {{"exponential": {{"mean": "{mean_service_us}us"}}}}}}],
            "clients": [{{"id": "load", "service": "svc", "network_delay": {{"constant": "0us"}},
                          "arrivals": {{"every": {{"exponential": {{"mean": "{mean_gap_us}us"}}}}}}}}]
        }}}}"#
    ))
}

fn run_long(s: &Scenario, seconds: u64) -> Sim {
    let mut sim = Sim::with_retention(s, Retention::HashOnly).unwrap();
    sim.run_until(SimTime(seconds * 1_000_000)).unwrap();
    sim
}

fn close(observed: f64, expected: f64, tolerance: f64, what: &str) {
    let error = (observed - expected).abs() / expected;
    assert!(
        error < tolerance,
        "{what}: observed {observed:.4}, theory {expected:.4} ({:.1}% off)",
        error * 100.0
    );
}

#[test]
fn an_m_m_1_service_matches_queueing_theory() {
    // λ = 0.8 per ms, μ = 1 per ms: ρ = 0.8, mean response W = 1/(μ−λ) = 5 ms and the
    // response time is exponential with that mean, so p50 = 5·ln 2 and p95 = 5·ln 20.
    let sim = run_long(&mmc(1, 1_250, 1_000, 1), 400);
    let svc = sim.report().entity("svc").unwrap().clone();
    assert!(svc.number("completed").unwrap() > 300_000.0);
    close(svc.number("utilisation").unwrap(), 0.8, 0.02, "utilisation");
    close(svc.number("response_ms_mean").unwrap(), 5.0, 0.05, "mean response");
    close(svc.number("response_ms_p50").unwrap(), 5.0 * 2f64.ln(), 0.05, "p50");
    close(svc.number("response_ms_p95").unwrap(), 5.0 * 20f64.ln(), 0.05, "p95");
    close(svc.number("throughput_per_s").unwrap(), 800.0, 0.02, "throughput");
}

/// Erlang C: mean response time of an M/M/c queue (units of 1/μ = 1).
fn erlang_c_response(c: u32, offered: f64) -> f64 {
    let rho = offered / c as f64;
    let mut term = 1.0;
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= offered / k as f64;
        }
        sum += term;
    }
    let last = term * offered / c as f64 / (1.0 - rho);
    let wait_probability = last / (sum + last);
    wait_probability / (c as f64 - offered) + 1.0
}

#[test]
fn an_m_m_3_service_matches_the_erlang_c_formula() {
    // λ = 2.4 per ms, μ = 1 per ms per worker, 3 workers: ρ = 0.8.
    let sim = run_long(&mmc(3, 417, 1_000, 2), 200);
    let svc = sim.report().entity("svc").unwrap().clone();
    let offered = 1_000.0 / 417.0;
    close(svc.number("utilisation").unwrap(), offered / 3.0, 0.02, "utilisation");
    close(
        svc.number("response_ms_mean").unwrap(),
        erlang_c_response(3, offered),
        0.05,
        "mean response",
    );
}

#[test]
fn past_capacity_throughput_saturates_and_a_bounded_queue_turns_requests_away() {
    // Service capacity: 2 workers × 100 per s = 200/s. Offered: 400/s.
    let s = load(
        r#"{"version": 1, "seed": 3, "request_reply": {
            "services": [{"id": "svc", "workers": 2, "queue_capacity": 10, "service_time": {"constant": "10ms"}}],
            "clients": [{"id": "load", "service": "svc", "arrivals": {"every": {"exponential": {"mean": "2500us"}}}}]
        }}"#,
    );
    let sim = run_long(&s, 60);
    let svc = sim.report().entity("svc").unwrap().clone();
    close(
        svc.number("throughput_per_s").unwrap(),
        200.0,
        0.02,
        "throughput at capacity",
    );
    close(
        svc.number("rejected").unwrap() / svc.number("arrived").unwrap(),
        0.5,
        0.05,
        "share rejected",
    );
    assert!(svc.number("utilisation").unwrap() > 0.99);
    assert_eq!(svc.number("queue_len_max"), Some(10.0));
}

fn rpc_records(sim: &Sim) -> Vec<(SimTime, &RpcRecord)> {
    sim.trace()
        .records()
        .iter()
        .filter_map(|r| match &r.kind {
            TraceKind::Rpc(rpc) => Some((r.time, rpc)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_full_queue_answers_503_and_a_retry_after_backoff_succeeds() {
    // Given one worker, room for one waiting request, 100 ms per request
    let s = load(
        r#"{"version": 1, "request_reply": {
            "services": [{"id": "svc", "workers": 1, "queue_capacity": 1, "service_time": {"constant": "100ms"}}],
            "clients": [{"id": "app", "service": "svc", "retries": 1, "backoff": "500ms", "network_delay": {"constant": "1ms"}}]
        },
        "script": [{"at": "0s", "do": {"request": {"client": "app"}}},
                   {"at": "0s", "do": {"request": {"client": "app"}}},
                   {"at": "0s", "do": {"request": {"client": "app"}}}]}"#,
    );
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(5_000_000)).unwrap();
    let records = rpc_records(&sim);
    // Then the third is queued for nothing: it is rejected at once (at 1 ms) …
    let rejected: Vec<_> = records
        .iter()
        .filter(|(_, r)| {
            matches!(
                r,
                RpcRecord::Responded {
                    outcome: eda_sim::patterns::request_reply::Outcome::Rejected,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].0, SimTime(1_000));
    // … retried 500 ms after the 503 reached the client (at 2 ms), and then served.
    let retry = records
        .iter()
        .find(|(_, r)| matches!(r, RpcRecord::Sent { attempt: 2, .. }))
        .unwrap();
    assert_eq!(retry.0, SimTime(502_000));
    let app = sim.report().entity("app").unwrap().clone();
    assert_eq!(app.number("succeeded"), Some(3.0));
    assert_eq!(app.number("retries"), Some(1.0));
    assert_eq!(app.number("sent"), Some(4.0));
}

#[test]
fn a_timed_out_request_is_still_served_and_its_late_answer_ignored() {
    let s = load(
        r#"{"version": 1, "request_reply": {
            "services": [{"id": "svc", "service_time": {"constant": "300ms"}}],
            "clients": [{"id": "app", "service": "svc", "timeout": "100ms", "network_delay": {"constant": "0us"}}]
        },
        "script": [{"at": "0s", "do": {"request": {"client": "app"}}}]}"#,
    );
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    let verbs: Vec<(u64, &str)> = rpc_records(&sim).iter().map(|(t, r)| (t.0, r.verb())).collect();
    assert_eq!(
        verbs,
        [
            (0, "Sent"),
            (0, "Arrived"),
            (0, "Started"),
            (100_000, "Timed out"),
            (300_000, "Responded"),
            (300_000, "Late response")
        ]
    );
    let report = sim.report();
    assert_eq!(report.entity("app").unwrap().number("timeouts"), Some(1.0));
    assert_eq!(report.entity("app").unwrap().number("failed"), Some(1.0));
    assert_eq!(
        report.entity("svc").unwrap().number("completed"),
        Some(1.0),
        "the work was done anyway"
    );
}

#[test]
fn round_robin_spreads_requests_over_replicas_in_turn() {
    let s = load(
        r#"{"version": 1, "request_reply": {
            "services": [{"id": "svc", "replicas": 3, "service_time": {"constant": "1ms"}}],
            "clients": [{"id": "app", "service": "svc", "arrivals": {"every": {"constant": "10ms"}, "count": 7}}]
        }}"#,
    );
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    let replicas: Vec<u32> = rpc_records(&sim)
        .iter()
        .filter_map(|(_, r)| match r {
            RpcRecord::Arrived { replica, .. } => Some(*replica),
            _ => None,
        })
        .collect();
    assert_eq!(replicas, [0, 1, 2, 0, 1, 2, 0]);
}

#[test]
fn least_outstanding_sends_to_the_idle_replica() {
    // Three requests at once, each 50 ms, to two single-worker replicas: 0, 1, then 0 again
    // (both busy, ties go to the lowest index); a fourth at 60 ms finds replica 1 idle and 0 busy.
    let s = load(
        r#"{"version": 1, "request_reply": {
            "services": [{"id": "svc", "replicas": 2, "load_balancer": "least_outstanding", "service_time": {"constant": "50ms"}}],
            "clients": [{"id": "app", "service": "svc", "network_delay": {"constant": "0us"}}]
        },
        "script": [{"at": "0s", "do": {"request": {"client": "app"}}},
                   {"at": "0s", "do": {"request": {"client": "app"}}},
                   {"at": "0s", "do": {"request": {"client": "app"}}},
                   {"at": "60ms", "do": {"request": {"client": "app"}}}]}"#,
    );
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    let replicas: Vec<u32> = rpc_records(&sim)
        .iter()
        .filter_map(|(_, r)| match r {
            RpcRecord::Arrived { replica, .. } => Some(*replica),
            _ => None,
        })
        .collect();
    assert_eq!(replicas, [0, 1, 0, 1]);
}

#[test]
fn a_crashed_service_loses_what_it_held_and_refuses_new_requests_until_restarted() {
    let s = load(
        r#"{"version": 1, "request_reply": {
            "services": [{"id": "svc", "service_time": {"constant": "100ms"}}],
            "clients": [{"id": "app", "service": "svc", "timeout": "1s", "network_delay": {"constant": "0us"}}]
        },
        "script": [{"at": "0s", "do": {"request": {"client": "app"}}},
                   {"at": "0s", "do": {"request": {"client": "app"}}},
                   {"at": "50ms", "do": {"crash": {"entity": "svc"}}},
                   {"at": "60ms", "do": {"request": {"client": "app"}}},
                   {"at": "2s", "do": {"restart": {"entity": "svc"}}},
                   {"at": "3s", "do": {"request": {"client": "app"}}}]}"#,
    );
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(5_000_000)).unwrap();
    let records = rpc_records(&sim);
    let lost = records
        .iter()
        .filter(|(t, r)| matches!(r, RpcRecord::Lost { .. }) && *t == SimTime(50_000))
        .count();
    assert_eq!(lost, 2, "the request in service and the waiting one are lost");
    let timeouts: Vec<u64> = records
        .iter()
        .filter(|(_, r)| r.verb() == "Timed out")
        .map(|(t, _)| t.0)
        .collect();
    assert_eq!(
        timeouts,
        [1_000_000, 1_000_000],
        "their clients learn it only by timeout"
    );
    let report = sim.report();
    let svc = report.entity("svc").unwrap();
    assert_eq!(svc.number("refused"), Some(1.0));
    assert_eq!(svc.number("lost"), Some(2.0));
    assert_eq!(
        report.entity("app").unwrap().number("succeeded"),
        Some(1.0),
        "after the restart it works again"
    );
    assert!(sim.trace().records().iter().any(|r| r.kind.verb() == "Crashed"));
}

const ORDER_SHOP: &str = r#"{"version": 1, "seed": 9,
  "event_bus": {"event_types": [{"name": "OrderPaid"}], "buses": [{"id": "events"}],
                "sources": [{"id": "shop-events", "bus": "events"}],
                "listeners": [{"id": "sms", "bus": "events", "subscriptions": ["OrderPaid"], "processing_time": {"constant": "1ms"}}]},
  "request_reply": {
    "services": [{"id": "orders", "workers": 4, "service_time": {"constant": "20ms"},
                  "orders": {"validity": "10s", "on_paid": [{"publish": {"source": "shop-events"}}]}}],
    "clients": [{"id": "prompt", "service": "orders", "confirm_after": {"constant": "2s"}},
                {"id": "slow", "service": "orders", "confirm_after": {"constant": "15s"}},
                {"id": "clumsy", "service": "orders", "wrong_code_percent": 100}]
  },
  "script": [{"at": "0s", "do": {"request": {"client": "prompt"}}},
             {"at": "0s", "do": {"request": {"client": "slow"}}},
             {"at": "0s", "do": {"request": {"client": "clumsy"}}}]}"#;

#[test]
fn the_order_flow_pays_a_prompt_confirmation_and_rejects_late_or_wrong_codes() {
    let mut sim = Sim::new(&load(ORDER_SHOP)).unwrap();
    sim.run_until(SimTime(30_000_000)).unwrap();
    let report = sim.report();
    let orders = report.entity("orders").unwrap();
    assert_eq!(orders.number("orders_created"), Some(3.0));
    assert_eq!(orders.number("orders_paid"), Some(1.0));
    assert_eq!(orders.number("orders_expired"), Some(1.0));
    assert_eq!(orders.number("orders_wrong_code"), Some(1.0));
    // The paid order set off an OrderPaid event on the bus, and the SMS listener handled it.
    assert_eq!(report.entity("sms").unwrap().number("handled"), Some(1.0));
    let received: Vec<String> = rpc_records(&sim)
        .iter()
        .filter(|(_, r)| matches!(r, RpcRecord::Received { .. }))
        .map(|(_, r)| r.subject(&sim))
        .collect();
    assert!(received.iter().any(|s| s.ends_with("order paid")), "{received:?}");
    assert!(received.iter().any(|s| s.ends_with("order expired")), "{received:?}");
    assert!(received.iter().any(|s| s.ends_with("wrong code")), "{received:?}");
}

#[test]
fn a_closed_loop_never_has_more_requests_out_than_users() {
    let s = load(
        r#"{"version": 1, "seed": 4, "request_reply": {
            "services": [{"id": "svc", "workers": 1, "service_time": {"exponential": {"mean": "10ms"}}}],
            "clients": [{"id": "users", "service": "svc", "users": {"count": 5, "think_time": {"exponential": {"mean": "20ms"}}}}]
        }}"#,
    );
    let mut sim = Sim::new(&s).unwrap();
    for _ in 0..20_000 {
        sim.step().unwrap();
        assert!(sim.request_reply().requests.len() <= 5);
    }
    // Interactive response-time law: N = X·(R + Z).
    let report = sim.report();
    let svc = report.entity("svc").unwrap();
    let throughput_per_ms = svc.number("throughput_per_s").unwrap() / 1_000.0;
    let r = report.entity("users").unwrap().number("response_ms_mean").unwrap();
    close(throughput_per_ms * (r + 20.0), 5.0, 0.03, "N = X(R+Z)");
}

#[test]
fn every_attempt_ends_in_exactly_one_answer_or_timeout() {
    let s = load(
        r#"{"version": 1, "seed": 12, "request_reply": {
            "services": [{"id": "svc", "workers": 2, "queue_capacity": 3, "service_time": {"exponential": {"mean": "30ms"}}}],
            "clients": [{"id": "load", "service": "svc", "timeout": "80ms", "retries": 2, "backoff": "10ms",
                         "arrivals": {"every": {"exponential": {"mean": "10ms"}}, "count": 2000}}]
        },
        "script": [{"at": "3s", "do": {"crash": {"entity": "svc"}}}, {"at": "4s", "do": {"restart": {"entity": "svc"}}}]}"#,
    );
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(120_000_000)).unwrap();
    let records = rpc_records(&sim);
    let count = |verb: &str| records.iter().filter(|(_, r)| r.verb() == verb).count();
    assert_eq!(count("Sent"), count("Received") + count("Timed out"));
    assert!(sim.request_reply().requests.is_empty(), "nothing is left in flight");
    let load = sim.report().entity("load").unwrap().clone();
    assert_eq!(
        load.number("succeeded").unwrap() + load.number("failed").unwrap(),
        2000.0
    );
}

#[test]
fn invalid_request_reply_settings_are_reported_at_their_paths() {
    let error = Scenario::from_json(
        r#"{"version": 1, "request_reply": {
            "services": [{"id": "svc", "workers": 0, "replicas": 100, "service_time": {"constant": "1ms"}}],
            "clients": [{"id": "c", "service": "nowhere", "timeout": "0ms", "wrong_code_percent": 150,
                         "arrivals": {"every": {"constant": "0ms"}}, "users": {"count": 1, "think_time": {"constant": "1ms"}}}]
        }}"#,
    )
    .unwrap_err();
    let paths: Vec<String> = error.problems().into_iter().map(|p| p.path).collect();
    for expected in [
        "request_reply.services[0].workers",
        "request_reply.services[0].replicas",
        "request_reply.clients[0].service",
        "request_reply.clients[0]",
        "request_reply.clients[0].timeout",
        "request_reply.clients[0].wrong_code_percent",
    ] {
        assert!(paths.iter().any(|p| p == expected), "missing {expected} in {paths:?}");
    }
}

#[test]
fn random_balancing_spreads_requests_evenly_over_replicas() {
    let s = load(
        r#"{"version": 1, "seed": 8, "request_reply": {
            "services": [{"id": "svc", "replicas": 3, "load_balancer": "random", "service_time": {"constant": "1ms"}}],
            "clients": [{"id": "app", "service": "svc", "arrivals": {"every": {"constant": "10ms"}, "count": 3000}}]
        }}"#,
    );
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(60_000_000)).unwrap();
    let mut per_replica = [0u32; 3];
    for (_, r) in rpc_records(&sim) {
        if let RpcRecord::Arrived { replica, .. } = r {
            per_replica[*replica as usize] += 1;
        }
    }
    assert_eq!(per_replica.iter().sum::<u32>(), 3000);
    assert!(
        per_replica.iter().all(|&n| (900..=1100).contains(&n)),
        "{per_replica:?}"
    );
}

#[test]
fn orders_nobody_confirms_are_forgotten_once_expired_and_the_run_is_unchanged() {
    let scenario = Scenario::from_json(eda_sim::view::presets::preset("request-reply").unwrap().json).unwrap();
    let mut sim = Sim::new(&scenario).unwrap();
    sim.run_until(SimTime(600_000_000)).unwrap();
    // Ten minutes of a saturated checkout: many orders were never confirmed, yet only the
    // recent ones are held (expired ones go when the next order is created).
    let validity = scenario.request_reply.services[0].orders.as_ref().unwrap().validity;
    let now = sim.now();
    let held = &sim.request_reply().orders;
    let created: u64 = sim.request_reply().services.iter().map(|s| s.orders_created).sum();
    assert!(created > 50_000, "{created} orders created");
    assert!(held.len() < 8_000, "{} orders held", held.len());
    let oldest = held
        .iter()
        .map(|(_, o)| now.since(o.created_at))
        .max()
        .unwrap_or_default();
    assert!(oldest.0 <= validity.0 + 60_000_000, "an order {oldest} old is held");
}
