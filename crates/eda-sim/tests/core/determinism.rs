//! Determinism: the same scenario and seed always give the same trace and hash.

use crate::support::*;
use eda_sim::{format_hash, Distribution, Scenario, Sim, SimTime};

fn busy_scenario(seed: u64) -> Scenario {
    let mut s = order_world(ms(2));
    s.seed = seed;
    s.event_bus.buses[0].dispatch_delay = Distribution::Uniform { min: ms(1), max: ms(9) };
    listener(&mut s, "sms", &["OrderStateChanged"], ms(4));
    listener(&mut s, "audit", &["OrderPaid"], ms(1));
    s.event_bus.listeners[0].processing_time = Distribution::Exponential { mean: ms(6) };
    emitter(&mut s, "OrderPaid", Distribution::Exponential { mean: ms(5) }, None);
    emitter(
        &mut s,
        "OrderCreated",
        Distribution::Uniform {
            min: ms(1),
            max: ms(20),
        },
        Some(300),
    );
    s
}

fn run(s: &Scenario) -> (u64, usize) {
    let mut sim = Sim::new(s).unwrap();
    sim.run_until(SimTime(5_000_000)).unwrap();
    (sim.trace_hash(), sim.trace().len())
}

#[test]
fn same_scenario_and_seed_give_the_same_trace_hash() {
    let s = busy_scenario(11);
    let (a, len_a) = run(&s);
    let (b, len_b) = run(&s);
    assert_eq!((a, len_a), (b, len_b));
    assert!(len_a > 1_000, "the run did real work: {len_a} records");
}

#[test]
fn a_different_seed_gives_a_different_trace_hash() {
    assert_ne!(run(&busy_scenario(11)).0, run(&busy_scenario(12)).0);
}

#[test]
fn a_scenario_survives_a_json_round_trip_with_the_same_hash() {
    let s = busy_scenario(3);
    let reloaded = Scenario::from_json(&s.to_json_pretty()).unwrap();
    assert_eq!(reloaded, s);
    assert_eq!(run(&reloaded), run(&s));
}

#[test]
fn stepping_one_by_one_equals_running_in_one_go() {
    let s = busy_scenario(5);
    let mut stepped = Sim::new(&s).unwrap();
    while stepped.next_event_time().is_some_and(|t| t <= SimTime(1_000_000)) {
        stepped.step().unwrap();
    }
    let mut ran = Sim::new(&s).unwrap();
    ran.run_until(SimTime(1_000_000)).unwrap();
    assert_eq!(stepped.trace_hash(), ran.trace_hash());
}

/// The golden hash of the built-in seed example. The browser test checks the same constant,
/// which proves native and wasm32 builds simulate bit for bit alike.
pub const ORDER_EVENTS_SMS_HASH: &str = include_str!("../../../../tests/golden/order-events-sms.hash");

#[test]
fn the_seed_example_has_its_golden_trace_hash() {
    let s = Scenario::from_json(eda_sim::view::presets::ORDER_EVENTS_SMS).unwrap();
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(10_000_000)).unwrap();
    assert_eq!(format_hash(sim.trace_hash()), ORDER_EVENTS_SMS_HASH.trim());
}

#[test]
fn keeping_only_the_hash_gives_the_same_hash_as_keeping_the_trace() {
    let s = busy_scenario(8);
    let mut full = Sim::new(&s).unwrap();
    let mut hash_only = Sim::with_retention(&s, eda_sim::trace::Retention::HashOnly).unwrap();
    full.run_until(SimTime(2_000_000)).unwrap();
    hash_only.run_until(SimTime(2_000_000)).unwrap();
    assert_eq!(full.trace_hash(), hash_only.trace_hash());
    assert_eq!(full.trace().count(), hash_only.trace().count());
    assert!(hash_only.trace().records().is_empty());
}

/// A trace that keeps only the hash folds a pattern's record in without building the world's
/// record (`Trace::push_part`): every pattern's records must hash alike both ways.
#[test]
fn every_preset_hashes_alike_keeping_the_trace_or_only_the_hash() {
    for preset in eda_sim::view::presets::PRESETS {
        let s = Scenario::from_json(preset.json).unwrap();
        let mut full = Sim::new(&s).unwrap();
        let mut hash_only = Sim::with_retention(&s, eda_sim::trace::Retention::HashOnly).unwrap();
        // As the golden run goes: to the scenario's duration, or until nothing is left.
        let until = SimTime(s.duration.map_or(u64::MAX, |d| d.0));
        for sim in [&mut full, &mut hash_only] {
            sim.run_until_budget(until, 1_000_000).unwrap();
        }
        assert!(full.trace().count() > 0, "{}", preset.id);
        assert_eq!(full.trace_hash(), hash_only.trace_hash(), "{}", preset.id);
        assert_eq!(full.trace().count(), hash_only.trace().count(), "{}", preset.id);
    }
}

#[test]
fn every_preset_has_its_golden_trace_hash() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    for preset in eda_sim::view::presets::PRESETS {
        let golden = std::fs::read_to_string(dir.join(format!("{}.hash", preset.id)))
            .unwrap_or_else(|e| panic!("{}: no golden hash file: {e}", preset.id));
        let hash = eda_sim::view::presets::golden_hash(preset).unwrap();
        assert_eq!(format_hash(hash), golden.trim(), "{}", preset.id);
        assert_ne!(
            hash,
            eda_sim::trace::HASH_START,
            "{}: its golden run does something",
            preset.id
        );
    }
}
