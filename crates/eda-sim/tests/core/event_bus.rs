//! The event bus: delivery by type hierarchy, subscription timing, queueing at busy listeners.

use crate::support::*;
use eda_sim::patterns::event_bus::BusRecord;
use eda_sim::{Command, Sim, SimTime, TraceKind};

#[test]
fn a_listener_subscribed_to_a_parent_type_receives_every_subtype() {
    // Given an SMS listener subscribed only to the parent type OrderStateChanged
    let mut s = order_world(ms(5));
    listener(&mut s, "sms", &["OrderStateChanged"], ms(10));
    // and another subscribed only to OrderPaid
    listener(&mut s, "accounting", &["OrderPaid"], ms(10));
    // When the order system publishes the three concrete subtypes
    publish_at(&mut s, ms(0), "OrderCreated");
    publish_at(&mut s, ms(1000), "OrderPaid");
    publish_at(&mut s, ms(2000), "OrderShipped");
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(10_000_000)).unwrap();
    // Then the SMS listener handled all three (an exact-type lookup would have delivered none)
    let sms = records(&sim, "Handled", "sms");
    assert_eq!(type_names(&sim, &sms), ["OrderCreated", "OrderPaid", "OrderShipped"]);
    // and the OrderPaid listener handled only OrderPaid.
    let accounting = records(&sim, "Handled", "accounting");
    assert_eq!(type_names(&sim, &accounting), ["OrderPaid"]);
}

#[test]
fn a_listener_subscribed_to_a_subtype_does_not_receive_the_parent_or_siblings() {
    let mut s = order_world(ms(5));
    listener(&mut s, "shipping", &["OrderShipped"], ms(10));
    publish_at(&mut s, ms(0), "OrderStateChanged");
    publish_at(&mut s, ms(10), "OrderPaid");
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    assert!(records(&sim, "Delivered", "shipping").is_empty());
    assert_eq!(
        sim.event_bus().buses[0].unrouted,
        2,
        "unmatched events are recorded as unrouted"
    );
}

#[test]
fn overlapping_subscriptions_deliver_an_event_once() {
    let mut s = order_world(ms(5));
    listener(&mut s, "sms", &["OrderStateChanged", "OrderPaid"], ms(10));
    publish_at(&mut s, ms(0), "OrderPaid");
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    assert_eq!(records(&sim, "Delivered", "sms").len(), 1);
    assert_eq!(sim.event_bus().listeners[0].handled, 1);
}

#[test]
fn an_event_dispatched_before_unsubscribe_still_arrives_but_a_later_one_does_not() {
    // Given a dispatch delay of 10 ms
    let mut s = order_world(ms(10));
    listener(&mut s, "sms", &["OrderStateChanged"], ms(1));
    // When OrderCreated is published at 0, the listener unsubscribes at 5 ms (while the copy is
    // in flight), and OrderPaid is published at 20 ms
    publish_at(&mut s, ms(0), "OrderCreated");
    script(
        &mut s,
        ms(5),
        Command::Unsubscribe {
            listener: "sms".into(),
            event_type: "OrderStateChanged".into(),
        },
    );
    publish_at(&mut s, ms(20), "OrderPaid");
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    // Then OrderCreated arrives at 10 ms and OrderPaid is never sent to it.
    let delivered = records(&sim, "Delivered", "sms");
    assert_eq!(type_names(&sim, &delivered), ["OrderCreated"]);
    assert_eq!(delivered[0].time, SimTime(10_000));
    assert_eq!(records(&sim, "Unsubscribed", "sms")[0].time, SimTime(5_000));
    let paid = sim
        .trace()
        .records()
        .iter()
        .find(|r| matches!(r.kind, TraceKind::Bus(BusRecord::Published { .. })) && r.time == SimTime(20_000));
    assert!(matches!(
        paid.unwrap().kind,
        TraceKind::Bus(BusRecord::Published { recipients: 0, .. })
    ));
}

#[test]
fn subscribing_later_receives_only_events_published_after_it() {
    let mut s = order_world(ms(5));
    listener(&mut s, "late", &[], ms(1));
    publish_at(&mut s, ms(0), "OrderCreated");
    script(
        &mut s,
        ms(50),
        Command::Subscribe {
            listener: "late".into(),
            event_type: "OrderStateChanged".into(),
        },
    );
    publish_at(&mut s, ms(100), "OrderShipped");
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    assert_eq!(type_names(&sim, &records(&sim, "Handled", "late")), ["OrderShipped"]);
}

#[test]
fn events_queue_at_a_busy_listener_and_are_handled_one_at_a_time_in_arrival_order() {
    // Given a listener that takes 100 ms per event
    let mut s = order_world(ms(5));
    listener(&mut s, "sms", &["OrderStateChanged"], ms(100));
    // When three events are published at the same instant
    for ty in ["OrderCreated", "OrderPaid", "OrderShipped"] {
        publish_at(&mut s, ms(0), ty);
    }
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(5_000)).unwrap();
    // Then all three arrive at 5 ms: the first goes straight into service, two wait
    let queue_lens: Vec<u32> = sim
        .trace()
        .records()
        .iter()
        .filter_map(|r| match r.kind {
            TraceKind::Bus(BusRecord::Delivered { queue_len, .. }) => Some(queue_len),
            _ => None,
        })
        .collect();
    assert_eq!(queue_lens, [0, 1, 2]);
    let l = &sim.event_bus().listeners[0];
    assert_eq!((l.inbox.len(), l.in_service.is_some()), (2, true));
    // and they finish 100 ms apart, in arrival order.
    sim.run_until(SimTime(1_000_000)).unwrap();
    let handled = records(&sim, "Handled", "sms");
    let times: Vec<u64> = handled.iter().map(|r| r.time.0).collect();
    assert_eq!(times, [105_000, 205_000, 305_000]);
    assert_eq!(
        type_names(&sim, &handled),
        ["OrderCreated", "OrderPaid", "OrderShipped"]
    );
    assert_eq!(sim.event_bus().listeners[0].queue_len_max, 2);
    assert_eq!(sim.event_bus().listeners[0].busy_us, 300_000);
}

#[test]
fn commands_applied_by_hand_act_at_the_current_time() {
    let mut s = order_world(ms(5));
    listener(&mut s, "sms", &[], ms(10));
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(40_000)).unwrap();
    sim.apply(&Command::Subscribe {
        listener: "sms".into(),
        event_type: "OrderStateChanged".into(),
    })
    .unwrap();
    sim.apply(&Command::Publish {
        source: "orders".into(),
        event_type: "OrderPaid".into(),
    })
    .unwrap();
    sim.run_until(SimTime(1_000_000)).unwrap();
    let delivered = records(&sim, "Delivered", "sms");
    assert_eq!(delivered[0].time, SimTime(45_000));
    // Unknown names are typed errors, not panics.
    let error = sim
        .apply(&Command::Publish {
            source: "sms".into(),
            event_type: "OrderPaid".into(),
        })
        .unwrap_err();
    assert_eq!(error.to_string(), "there is no source named \"sms\"");
    let error = sim
        .apply(&Command::Subscribe {
            listener: "sms".into(),
            event_type: "Refund".into(),
        })
        .unwrap_err();
    assert_eq!(error.to_string(), "there is no event type named \"Refund\"");
}

#[test]
fn the_seed_example_sends_one_sms_per_order_state_change() {
    let scenario = eda_sim::Scenario::from_json(eda_sim::view::presets::ORDER_EVENTS_SMS).unwrap();
    let mut sim = Sim::new(&scenario).unwrap();
    sim.run_until(SimTime(10_000_000)).unwrap();
    let handled = records(&sim, "Handled", "sms");
    assert_eq!(
        type_names(&sim, &handled),
        ["OrderCreated", "OrderPaid", "OrderShipped"]
    );
    assert_eq!(records(&sim, "Unsubscribed", "sms").len(), 1);
    assert!(sim
        .trace()
        .records()
        .iter()
        .filter(|r| is_delivered(&r.kind))
        .all(|r| r.time.0 % 1_000_000 == 5_000));
}

#[test]
fn every_dispatched_copy_is_in_exactly_one_place_at_every_step() {
    let mut s = order_world(ms(3));
    listener(&mut s, "fast", &["OrderStateChanged"], ms(1));
    listener(&mut s, "slow", &["OrderPaid"], ms(40));
    emitter(
        &mut s,
        "OrderPaid",
        eda_sim::Distribution::Exponential { mean: ms(10) },
        Some(200),
    );
    emitter(
        &mut s,
        "OrderCreated",
        eda_sim::Distribution::Uniform {
            min: ms(1),
            max: ms(30),
        },
        None,
    );
    let mut sim = Sim::new(&s).unwrap();
    for _ in 0..5_000 {
        if !sim.step().unwrap() {
            break;
        }
        let (dispatched, accounted) = sim.event_bus().copy_accounting();
        assert_eq!(dispatched, accounted, "at {}", sim.now());
    }
    assert!(
        sim.event_bus().listeners[1].queue_len_max > 1,
        "the slow listener built a queue"
    );
}
