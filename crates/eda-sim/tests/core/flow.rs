//! Message flow for drawing: pending trips between entities with their start and end, work in
//! progress, and the outcome each record stands for.

use eda_sim::view::builder::{add_entity, kind, set_field};
use eda_sim::view::flow::{flights, outcome, FlowStatus};
use eda_sim::{Scenario, Sim, SimTime};

fn queue_world() -> Scenario {
    let add = |s: &Scenario, k: &str, n: &str| add_entity(s, kind(k).unwrap(), n).unwrap().0;
    let mut s = add(&Scenario::empty(9), "queue", "work");
    s = add(&s, "producer", "jobs");
    s = add(&s, "consumer", "worker");
    let k = kind("broker").unwrap();
    s = set_field(&s, k, "broker", &k.fields[0], "10ms").unwrap();
    let k = kind("producer").unwrap();
    let every = k.fields.iter().find(|f| f.key == "emits.every").unwrap();
    set_field(&s, k, "jobs", every, "1s").unwrap()
}

#[test]
fn a_delivery_on_its_way_is_a_flight_from_the_queue_to_the_consumer() {
    let s = queue_world();
    let mut sim = Sim::new(&s).unwrap();
    // The first message is published at 1 s and delivered over a 10 ms network.
    sim.run_until(SimTime(1_005_000)).unwrap();
    let queue = sim.entity_id("work").unwrap();
    let worker = sim.entity_id("worker").unwrap();
    let trips = flights(&sim, 100);
    let trip = trips
        .iter()
        .find(|f| f.status == FlowStatus::InFlight)
        .unwrap_or_else(|| panic!("{trips:?}"));
    assert_eq!((trip.from, trip.to), (queue, worker));
    assert_eq!(trip.sent, SimTime(1_000_000));
    assert_eq!(trip.arrives, SimTime(1_010_000));
    // Then the consumer works on it (100 ms), then its ack travels back.
    sim.run_until(SimTime(1_050_000)).unwrap();
    assert!(flights(&sim, 100)
        .iter()
        .any(|f| f.status == FlowStatus::Processing && f.from == worker));
    sim.run_until(SimTime(1_115_000)).unwrap();
    assert!(flights(&sim, 100)
        .iter()
        .any(|f| f.status == FlowStatus::Acked && (f.from, f.to) == (worker, queue)));
    assert_eq!(flights(&sim, 0).len(), 0, "the cap is respected");
}

#[test]
fn records_name_their_outcome() {
    let s = queue_world();
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(3_000_000)).unwrap();
    let outcomes: Vec<FlowStatus> = sim.trace().records().iter().filter_map(|r| outcome(&r.kind)).collect();
    assert!(outcomes.contains(&FlowStatus::Acked));
    assert!(outcomes.contains(&FlowStatus::Queued));
    assert!(!outcomes.contains(&FlowStatus::Dropped));
}
