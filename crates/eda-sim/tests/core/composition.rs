//! Patterns composed in one scenario: order service → event store → event bus → SMS listener,
//! and → topic → consumer group, with service discovery beside them.

use eda_sim::{Scenario, Sim, SimTime};

#[test]
fn an_order_flows_from_the_service_through_the_store_to_the_bus_and_the_topic() {
    let scenario = Scenario::from_json(include_str!("../../../../docs/examples/order-system.json")).unwrap();
    let mut sim = Sim::new(&scenario).unwrap();
    sim.run_until(SimTime(60_000_000)).unwrap();
    let report = sim.report();
    let n = |entity: &str, counter: &str| report.entity(entity).and_then(|e| e.number(counter)).unwrap_or(-1.0);

    let created = n("order-service", "orders_created");
    let paid = n("order-service", "orders_paid");
    let rejected = n("order-service", "orders_expired") + n("order-service", "orders_wrong_code");
    assert!(
        created > 100.0 && paid > 10.0 && rejected > 0.0,
        "created {created}, paid {paid}, rejected {rejected}"
    );
    // Every outcome was appended to the order's stream …
    assert_eq!(n("orders", "events"), created + paid + rejected);
    // … published on the bus by the store, and the SMS listener heard each one (or is on it).
    assert_eq!(n("order-events", "published"), created + paid + rejected);
    let sms_seen = n("sms", "handled") + n("sms", "queued") + n("sms", "in_service");
    let in_flight = sim.event_bus().in_flight.len() as f64;
    assert_eq!(sms_seen + in_flight, n("order-events", "dispatched"));
    // Paid orders went to the topic, one record each, keyed by order.
    assert_eq!(n("order-topic", "records"), paid);
    assert!(n("analytics-1", "handled") + n("analytics-2", "handled") >= paid - 5.0);
    // The store keeps one stream per order, with snapshots.
    assert!(n("orders", "streams") >= created);
    // Discovery ran beside it: the registry crashed and came back.
    assert!(sim.trace().records().iter().any(|r| r.kind.verb() == "Crashed"));
}

#[test]
fn an_event_reaching_a_listener_traces_back_through_the_append_to_the_order_request() {
    use eda_sim::patterns::event_bus::BusRecord;
    use eda_sim::patterns::event_store::StoreRecord;
    use eda_sim::patterns::request_reply::RpcRecord;
    use eda_sim::trace::causal_path;
    let scenario = eda_sim::Scenario::from_json(eda_sim::view::presets::preset("order-system").unwrap().json).unwrap();
    let mut sim = eda_sim::Sim::new(&scenario).unwrap();
    sim.run_until(eda_sim::SimTime(3_000_000)).unwrap();
    let records = sim.trace().records();
    let handled = records
        .iter()
        .position(|r| matches!(r.kind, eda_sim::TraceKind::Bus(BusRecord::Handled { .. })))
        .expect("the SMS listener handled an event");
    let path = causal_path(records, handled);
    let has = |f: &dyn Fn(&eda_sim::TraceKind) -> bool| path.iter().any(|&i| f(&records[i].kind));
    assert!(has(&|k| matches!(
        k,
        eda_sim::TraceKind::Bus(BusRecord::Published { .. })
    )));
    assert!(has(&|k| matches!(
        k,
        eda_sim::TraceKind::Store(StoreRecord::Appended { .. })
    )));
    assert!(has(&|k| matches!(k, eda_sim::TraceKind::Rpc(RpcRecord::Sent { .. }))));
    assert!(path.windows(2).all(|w| w[0] < w[1]), "in order");
    assert_eq!(*path.last().unwrap(), handled, "nothing after the picked record");
    // The cause is the record that set the effect off: the order request's own record.
    let published = path
        .iter()
        .find(|&&i| matches!(records[i].kind, eda_sim::TraceKind::Bus(BusRecord::Published { .. })))
        .unwrap();
    let appended = records[*published].cause.expect("published because of an append") as usize;
    assert!(matches!(
        records[appended].kind,
        eda_sim::TraceKind::Store(StoreRecord::Appended { .. })
    ));
    let request = records[appended].cause.expect("appended because of an order") as usize;
    assert!(matches!(records[request].kind, eda_sim::TraceKind::Rpc(_)));
}
