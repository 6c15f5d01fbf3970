//! The engine: ordering of simultaneous events, `step`, and `run_until` boundaries.

use crate::support::*;
use eda_sim::kernel::queue::EventQueue;
use eda_sim::{Sim, SimTime};

#[test]
fn equal_times_run_in_the_order_they_were_scheduled() {
    let mut queue = EventQueue::new();
    queue.push(SimTime(20), "late");
    queue.push(SimTime(10), "first at 10");
    queue.push(SimTime(10), "second at 10");
    queue.push(SimTime(5), "earliest");
    queue.push(SimTime(10), "third at 10");
    let order: Vec<&str> = std::iter::from_fn(|| queue.pop().map(|(_, p)| p)).collect();
    assert_eq!(
        order,
        ["earliest", "first at 10", "second at 10", "third at 10", "late"]
    );
}

#[test]
fn running_out_of_sequence_numbers_renumbers_without_changing_the_order() {
    let mut queue = EventQueue::new();
    queue.push(SimTime(10), "first at 10");
    queue.push(SimTime(30), "first at 30");
    // Three numbers left: the third push below renumbers the entries pending then.
    queue.skip_to_seq_end_minus(3);
    queue.push(SimTime(10), "second at 10");
    queue.push(SimTime(30), "second at 30");
    queue.push(SimTime(10), "third at 10");
    queue.push(SimTime(20), "only at 20");
    queue.push(SimTime(10), "fourth at 10");
    let order: Vec<&str> = std::iter::from_fn(|| queue.pop().map(|(_, p)| p)).collect();
    assert_eq!(
        order,
        [
            "first at 10",
            "second at 10",
            "third at 10",
            "fourth at 10",
            "only at 20",
            "first at 30",
            "second at 30"
        ]
    );
}

#[test]
fn script_entries_at_one_instant_keep_file_order() {
    let mut s = order_world(ms(5));
    listener(&mut s, "sms", &["OrderStateChanged"], ms(1));
    for ty in ["OrderShipped", "OrderCreated", "OrderPaid"] {
        publish_at(&mut s, ms(100), ty);
    }
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    let handled = records(&sim, "Handled", "sms");
    assert_eq!(
        type_names(&sim, &handled),
        ["OrderShipped", "OrderCreated", "OrderPaid"]
    );
}

#[test]
fn step_processes_exactly_one_event_and_reports_when_nothing_is_left() {
    let mut s = order_world(ms(5));
    publish_at(&mut s, ms(10), "OrderPaid");
    let mut sim = Sim::new(&s).unwrap();
    assert_eq!(sim.next_event_time(), Some(SimTime(10_000)));
    assert!(sim.step().unwrap());
    assert_eq!(sim.now(), SimTime(10_000));
    assert_eq!(sim.events_processed(), 1);
    // With no listener the publish is recorded as published and unrouted, nothing else.
    let verbs: Vec<&str> = sim.trace().records().iter().map(|r| r.kind.verb()).collect();
    assert_eq!(verbs, ["Published", "Unrouted"]);
    assert!(!sim.step().unwrap());
    assert_eq!(sim.events_processed(), 1);
}

#[test]
fn run_until_includes_events_at_the_boundary_and_stops_before_later_ones() {
    let mut s = order_world(ms(5));
    publish_at(&mut s, ms(1000), "OrderCreated");
    publish_at(&mut s, ms(2000), "OrderPaid");
    let mut sim = Sim::new(&s).unwrap();

    assert_eq!(sim.run_until(SimTime(999_999)).unwrap(), 0);
    assert_eq!(sim.now(), SimTime(999_999));

    assert_eq!(
        sim.run_until(SimTime(1_000_000)).unwrap(),
        1,
        "an event exactly at the boundary runs"
    );
    assert_eq!(sim.now(), SimTime(1_000_000));
    assert_eq!(sim.next_event_time(), Some(SimTime(2_000_000)));

    // Running to an earlier time does nothing and never moves the clock back.
    assert_eq!(sim.run_until(SimTime(10)).unwrap(), 0);
    assert_eq!(sim.now(), SimTime(1_000_000));

    assert_eq!(sim.run_until(SimTime(5_000_000)).unwrap(), 1);
    assert_eq!(
        sim.now(),
        SimTime(5_000_000),
        "the clock advances to the target even without events"
    );
}

#[test]
fn a_budgeted_run_stops_after_its_budget_at_the_last_processed_event() {
    let mut s = order_world(ms(5));
    for i in 1..=10 {
        publish_at(&mut s, ms(i * 100), "OrderPaid");
    }
    let mut sim = Sim::new(&s).unwrap();
    let progress = sim.run_until_budget(SimTime(10_000_000), 3).unwrap();
    assert_eq!((progress.processed, progress.reached), (3, false));
    assert_eq!(sim.now(), SimTime(300_000));
    let progress = sim.run_until_budget(SimTime(10_000_000), 100).unwrap();
    assert_eq!((progress.processed, progress.reached), (7, true));
    assert_eq!(sim.now(), SimTime(10_000_000));
}

#[test]
fn messages_put_an_before_a_vowel() {
    let scenario = eda_sim::Scenario::from_json(
        r#"{"version": 1, "broker": {"exchanges": [{"id": "x", "type": "fanout"}], "queues": [{"id": "q"}]}}"#,
    )
    .unwrap();
    let mut sim = Sim::new(&scenario).unwrap();
    let crash = |entity: &str| eda_sim::Command::Crash { entity: entity.into() };
    let exchange = sim.apply(&crash("x")).unwrap_err().to_string();
    assert_eq!(exchange, r#""x" is an exchange, which cannot crash or restart"#);
    let queue = sim.apply(&crash("q")).unwrap_err().to_string();
    assert_eq!(queue, r#""q" is a queue, which cannot crash or restart"#);
}
