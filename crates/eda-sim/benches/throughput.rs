//! Simulated events per second, printed (not asserted): `cargo bench -p eda-sim`.
//! (a) an M/M/1 queue through the broker (Poisson arrivals, exponential service, ρ = 0.8)
//!     run to 1,000,000 events; (b) a scenario mixing all five patterns.
// A benchmark measures wall time by definition; the core itself never reads a clock.
#![allow(clippy::disallowed_methods)]

use eda_sim::trace::Retention;
use eda_sim::{Scenario, Sim};
use std::time::Instant;

const EVENTS: u64 = 1_000_000;

fn mm1_through_the_broker() -> Scenario {
    Scenario::from_json(
        r#"{"version": 1, "seed": 1, "broker": {
            "network_delay": {"constant": "0us"},
            "queues": [{"id": "q"}],
            "producers": [{"id": "p", "queue": "q", "emits": {"every": {"exponential": {"mean": "1250us"}}}}],
            "consumers": [{"id": "c", "queue": "q", "prefetch": 100, "processing_time": {"exponential": {"mean": "1ms"}}}]}}"#,
    )
    .expect("the benchmark scenario is valid")
}

fn mixed() -> Scenario {
    let text = include_str!("../../../docs/examples/order-system.json");
    Scenario::from_json(text).expect("the combined example is valid")
}

/// Runs `events` events `rounds` times; returns the best rate (events per second) and the hash.
fn measure(scenario: &Scenario, events: u64, rounds: u32) -> (f64, u64, String) {
    let mut best = 0.0f64;
    let mut last = (0, String::new());
    for _ in 0..rounds {
        let mut sim = Sim::with_retention(scenario, Retention::HashOnly).expect("valid");
        let started = Instant::now();
        let progress = sim.run_to_end(events).expect("no limit is reached");
        let seconds = started.elapsed().as_secs_f64();
        best = best.max(progress.processed as f64 / seconds);
        last = (progress.processed, eda_sim::format_hash(sim.trace_hash()));
    }
    (best, last.0, last.1)
}

fn main() {
    // `cargo bench -p eda-sim -- a` runs only (a), `-- b` only (b).
    let only: Option<String> = std::env::args().skip(1).find(|a| a == "a" || a == "b");
    let cases = [
        ("a", "(a) M/M/1 through the broker, rho = 0.8", mm1_through_the_broker()),
        ("b", "(b) all five patterns combined", mixed()),
    ];
    println!("EDA Playground core throughput (best of 5, hash-only trace)");
    for (key, name, scenario) in cases {
        if only.as_deref().is_some_and(|o| o != key) {
            continue;
        }
        let (rate, processed, hash) = measure(&scenario, EVENTS, 5);
        println!(
            "{name}: {processed} events, {:.2} M events/s, trace hash {hash}",
            rate / 1e6
        );
    }
}
