//! A listener in another process, over a faulty link from its bus, one situation each (given /
//! when / then): a lost copy is never handled, a doubled one is handled twice, copies overtake
//! each other within the reorder window, a partition stops copies until it heals, and a perfect
//! link changes nothing. Then an event store publishing to a bus in another process: a lost
//! publication is an event appended and never published, a doubled one is published twice, a
//! slow one arrives late.

use crate::support::number;
use eda_sim::patterns::event_bus::BusRecord;
use eda_sim::{Command, Scenario, Sim, SimTime, TraceKind};

/// Given: one bus (5 ms dispatch) and a source publishing `OrderPaid` to it; listener `sms`
/// (10 ms per event) with this link (JSON, or nothing), and `audit`, on a perfect link.
fn given(link: &str) -> Sim {
    let link = if link.is_empty() {
        String::new()
    } else {
        format!(r#", "link": {link}"#)
    };
    let json = format!(
        r#"{{"version": 1, "seed": 11, "event_bus": {{
        "event_types": [{{"name": "OrderPaid"}}],
        "buses": [{{"id": "bus", "dispatch_delay": {{"constant": "5ms"}}}}],
        "sources": [{{"id": "shop", "bus": "bus"}}],
        "listeners": [
          {{"id": "sms", "bus": "bus", "subscriptions": ["OrderPaid"], "processing_time": {{"constant": "10ms"}}{link}}},
          {{"id": "audit", "bus": "bus", "subscriptions": ["OrderPaid"], "processing_time": {{"constant": "1ms"}}}}]}}}}"#
    );
    let scenario = Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    Sim::new(&scenario).unwrap()
}

fn publish(sim: &mut Sim, n: usize) {
    for _ in 0..n {
        let command = Command::Publish {
            source: "shop".into(),
            event_type: "OrderPaid".into(),
        };
        sim.apply(&command).unwrap();
    }
}

fn count(sim: &Sim, what: impl Fn(&BusRecord) -> bool) -> usize {
    sim.trace()
        .records()
        .iter()
        .filter(|r| matches!(&r.kind, TraceKind::Bus(b) if what(b)))
        .count()
}

fn accounted(sim: &Sim) {
    let (sent, placed) = sim.event_bus().copy_accounting();
    assert_eq!(sent, placed, "every copy is somewhere, or gone for a recorded reason");
}

#[test]
fn a_lossy_link_loses_copies_the_listener_never_handles() {
    let mut sim = given(r#"{"loss_percent": 50}"#);
    publish(&mut sim, 40);
    sim.run_until(SimTime(2_000_000)).unwrap();
    let lost = number(&sim, "sms", "link_lost");
    assert!(lost > 0.0 && lost < 40.0, "{lost}");
    assert_eq!(number(&sim, "sms", "handled") + lost, 40.0);
    assert_eq!(count(&sim, |r| matches!(r, BusRecord::LinkLost { .. })), lost as usize);
    assert_eq!(
        number(&sim, "audit", "handled"),
        40.0,
        "the other listener's link is perfect"
    );
    accounted(&sim);
}

#[test]
fn a_doubled_copy_is_handled_twice() {
    let mut sim = given(r#"{"duplicate_percent": 100}"#);
    publish(&mut sim, 3);
    sim.run_until(SimTime(1_000_000)).unwrap();
    assert_eq!(number(&sim, "sms", "link_doubled"), 3.0);
    assert_eq!(number(&sim, "sms", "handled"), 6.0);
    assert_eq!(number(&sim, "sms", "duplicates"), 3.0);
    assert_eq!(count(&sim, |r| matches!(r, BusRecord::HandledAgain { .. })), 3);
    assert_eq!(
        count(&sim, |r| matches!(r, BusRecord::Handled { .. })),
        6,
        "3 for sms, 3 for audit"
    );
    accounted(&sim);
}

#[test]
fn copies_sent_within_the_reorder_window_may_arrive_out_of_order() {
    let mut sim = given(r#"{"reorder_window": "50ms"}"#);
    for _ in 0..20 {
        publish(&mut sim, 1);
        let next = sim.now().0 + 2_000;
        sim.run_until(SimTime(next)).unwrap();
    }
    sim.run_until(SimTime(2_000_000)).unwrap();
    let reordered = number(&sim, "sms", "reordered");
    assert!(reordered > 0.0, "20 copies 2 ms apart in a 50 ms window");
    assert_eq!(
        count(&sim, |r| matches!(r, BusRecord::Reordered { .. })),
        reordered as usize
    );
    assert_eq!(number(&sim, "sms", "handled"), 20.0, "late, not lost");
    accounted(&sim);
}

#[test]
fn a_partition_stops_copies_to_a_cut_off_listener_until_it_heals() {
    let mut sim = given("");
    sim.apply(&Command::Partition {
        sides: vec![vec!["audit".into()], vec!["sms".into()]],
    })
    .unwrap();
    publish(&mut sim, 2);
    sim.run_until(SimTime(100_000)).unwrap();
    assert_eq!(number(&sim, "sms", "unreachable"), 2.0);
    assert_eq!(number(&sim, "sms", "handled"), 0.0);
    assert_eq!(number(&sim, "audit", "handled"), 2.0, "on the bus's side");
    sim.apply(&Command::Heal {}).unwrap();
    publish(&mut sim, 1);
    sim.run_until(SimTime(200_000)).unwrap();
    assert_eq!(number(&sim, "sms", "handled"), 1.0);
    accounted(&sim);
}

#[test]
fn copies_overtaking_each_other_on_a_perfect_link_are_not_reordered_by_a_fault() {
    // A random dispatch delay lets copies overtake, as it always did: no fault, no record.
    let json = r#"{"version": 1, "seed": 3, "event_bus": {
        "event_types": [{"name": "OrderPaid"}],
        "buses": [{"id": "bus", "dispatch_delay": {"uniform": {"min": "0ms", "max": "50ms"}}}],
        "sources": [{"id": "shop", "bus": "bus"}],
        "listeners": [{"id": "sms", "bus": "bus", "subscriptions": ["OrderPaid"], "processing_time": {"constant": "1ms"}}]}}"#;
    let mut sim = Sim::new(&Scenario::from_json(json).unwrap()).unwrap();
    for _ in 0..20 {
        publish(&mut sim, 1);
        let next = sim.now().0 + 2_000;
        sim.run_until(SimTime(next)).unwrap();
    }
    sim.run_until(SimTime(1_000_000)).unwrap();
    assert_eq!(count(&sim, |r| matches!(r, BusRecord::Reordered { .. })), 0);
    assert!(
        sim.report().entity("sms").unwrap().number("reordered").is_none(),
        "no link counters"
    );
}

#[test]
fn the_copy_handled_second_is_the_repeat_whichever_arrived_first() {
    let mut sim = given(r#"{"duplicate_percent": 100, "delay": {"uniform": {"min": "0ms", "max": "30ms"}}}"#);
    publish(&mut sim, 10);
    sim.run_until(SimTime(2_000_000)).unwrap();
    let handled = |kind: fn(&BusRecord) -> bool| count(&sim, kind);
    assert_eq!(handled(|r| matches!(r, BusRecord::HandledAgain { .. })), 10);
    // Each event: first one Handled (by sms; audit handles its own), then one HandledAgain.
    let records = sim.trace().records();
    for event in 0..10u64 {
        let sms_steps: Vec<&str> = records
            .iter()
            .filter_map(|r| match &r.kind {
                TraceKind::Bus(b @ BusRecord::Handled { event: e, listener, .. })
                | TraceKind::Bus(b @ BusRecord::HandledAgain { event: e, listener, .. })
                    if e.0 == event && sim.entity_name(*listener) == "sms" =>
                {
                    Some(b.verb())
                }
                _ => None,
            })
            .collect();
        assert_eq!(sms_steps, ["Handled", "Handled again"], "event {event}");
    }
}

#[test]
fn a_perfect_link_written_out_runs_exactly_as_no_link() {
    let run = |link: &str| {
        let mut sim = given(link);
        publish(&mut sim, 5);
        sim.run_until(SimTime(1_000_000)).unwrap();
        sim.trace_hash()
    };
    assert_eq!(run(""), run(r#"{"loss_percent": 0, "duplicate_percent": 0}"#));
}

/// Given: a store `profiles` publishing what it appends through source `feed` over this link,
/// to a bus (1 ms dispatch) whose listener `mailer` (1 ms) hears `EmailChanged`.
fn given_store(link: &str) -> Sim {
    let json = format!(
        r#"{{"version": 1, "seed": 13,
        "event_bus": {{
            "event_types": [{{"name": "EmailChanged"}}],
            "buses": [{{"id": "bus", "dispatch_delay": {{"constant": "1ms"}}}}],
            "sources": [{{"id": "feed", "bus": "bus"}}],
            "listeners": [{{"id": "mailer", "bus": "bus", "subscriptions": ["EmailChanged"],
                            "processing_time": {{"constant": "1ms"}}}}]}},
        "event_store": {{"stores": [{{"id": "profiles", "publish_to": {{"source": "feed", "link": {link}}}}}]}}}}"#
    );
    let scenario = Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    Sim::new(&scenario).unwrap()
}

fn append(sim: &mut Sim, n: usize) {
    for i in 0..n {
        let mut data = serde_json::Map::new();
        data.insert("email".into(), format!("user{i}@example.com").into());
        sim.apply(&Command::Append {
            store: "profiles".into(),
            stream: format!("user-{i}"),
            event_type: "EmailChanged".into(),
            data,
            expected_version: None,
        })
        .unwrap();
    }
}

#[test]
fn a_store_whose_link_to_the_bus_loses_keeps_the_event_but_never_publishes_it() {
    let mut sim = given_store(r#"{"loss_percent": 40}"#);
    append(&mut sim, 30);
    sim.run_until(SimTime(1_000_000)).unwrap();
    let lost = number(&sim, "profiles", "link_lost");
    assert!(lost > 0.0 && lost < 30.0, "{lost}");
    assert_eq!(number(&sim, "profiles", "events"), 30.0, "every event is in the log");
    assert_eq!(
        number(&sim, "mailer", "handled") + lost,
        30.0,
        "and the lost ones were never published"
    );
}

#[test]
fn a_doubled_publication_goes_out_twice_and_a_slow_one_late() {
    let mut sim = given_store(r#"{"duplicate_percent": 100, "delay": {"constant": "50ms"}}"#);
    append(&mut sim, 2);
    sim.run_until(SimTime(40_000)).unwrap();
    assert_eq!(number(&sim, "mailer", "handled"), 0.0, "still on the way to the bus");
    sim.run_until(SimTime(200_000)).unwrap();
    assert_eq!(number(&sim, "profiles", "link_doubled"), 2.0);
    assert_eq!(number(&sim, "feed", "published"), 4.0);
    assert_eq!(number(&sim, "mailer", "handled"), 4.0, "each change mailed twice");
}
