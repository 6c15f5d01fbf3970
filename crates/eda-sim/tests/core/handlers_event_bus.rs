//! The event bus's handlers one at a time (given a state built from a scenario section, when one
//! handler or command runs, then exactly these records, scheduled events and state changes).

use eda_sim::patterns::event_bus::{BusPending, BusRecord, EventBusSpec, EventBusWorld};
/// The stage this pattern's handlers run on.
type Stage =
    eda_sim::kernel::stage::Stage<eda_sim::patterns::event_bus::BusPending, eda_sim::patterns::event_bus::BusRecord>;
use eda_sim::{EntityId, EventId, EventTypeId, Scenario, SimDuration, SimTime};

/// The order hierarchy on one bus (5 ms dispatch): `sms` hears every order event and takes
/// 100 ms for each; `accounting` hears only OrderPaid and takes 20 ms.
const ORDERS: &str = r#"{
    "event_types": [
        { "name": "OrderStateChanged" },
        { "name": "OrderCreated", "parent": "OrderStateChanged" },
        { "name": "OrderPaid", "parent": "OrderStateChanged" },
        { "name": "OrderShipped", "parent": "OrderStateChanged" }
    ],
    "buses": [{ "id": "order-events", "dispatch_delay": { "constant": "5ms" } }],
    "sources": [{ "id": "order-system", "bus": "order-events" }],
    "listeners": [
        { "id": "sms", "bus": "order-events", "subscriptions": ["OrderStateChanged"],
          "processing_time": { "constant": "100ms" } },
        { "id": "accounting", "bus": "order-events", "subscriptions": ["OrderPaid"],
          "processing_time": { "constant": "20ms" } }
    ]
}"#;

/// One type; the source's emitter publishes it first at 2 ms, then every 10 ms, twice in all.
const EMITTER: &str = r#"{
    "event_types": [{ "name": "OrderPaid" }],
    "buses": [{ "id": "order-events", "dispatch_delay": { "constant": "5ms" } }],
    "sources": [{ "id": "order-system", "bus": "order-events", "emits": [
        { "event_type": "OrderPaid", "every": { "constant": "10ms" }, "start": "2ms", "count": 2 }
    ] }],
    "listeners": [
        { "id": "accounting", "bus": "order-events", "subscriptions": ["OrderPaid"],
          "processing_time": { "constant": "20ms" } }
    ]
}"#;

const SOURCE: usize = 0;
const SMS: usize = 0;
const ACCOUNTING: usize = 1;

/// Given: the pattern built from a valid event-bus section and started, as the engine does.
fn given(section: &str) -> (Stage, EventBusWorld) {
    let spec: EventBusSpec = serde_json::from_str(section).expect("an event-bus section");
    let mut scenario = Scenario::empty(7);
    scenario.event_bus = spec.clone();
    scenario.validate().expect("a valid event-bus section");
    let mut stage = Stage::new(7);
    let mut world = EventBusWorld::build(&spec, &mut stage.entities);
    world.start(&mut stage.ctx(), &spec);
    (stage, world)
}

/// Moves the clock to the earliest pending event and hands it to the bus; returns what it was.
fn run_next(stage: &mut Stage, world: &mut EventBusWorld) -> BusPending {
    match stage.take_next() {
        Some(pending) => {
            world.handle(&mut stage.ctx(), pending.clone());
            pending
        }
        other => panic!("expected a pending bus event, found {other:?}"),
    }
}

/// The bus's records from the `from`-th on.
fn records_from(stage: &Stage, from: usize) -> Vec<BusRecord> {
    stage.records_since(from).into_iter().cloned().collect()
}

fn bus_scheduled(at_us: u64, pending: BusPending) -> (SimTime, BusPending) {
    (SimTime(at_us), pending)
}

fn entity(stage: &Stage, name: &str) -> EntityId {
    stage.entities.id(name).expect("a registered entity")
}

fn event_type(world: &EventBusWorld, name: &str) -> EventTypeId {
    world.types.id(name).expect("a defined event type")
}

#[test]
fn a_published_event_goes_to_every_listener_of_its_type_or_an_ancestor_after_the_dispatch_delay() {
    let (mut stage, mut world) = given(ORDERS);
    let paid = event_type(&world, "OrderPaid");
    let (bus, sms, accounting) = (
        entity(&stage, "order-events"),
        entity(&stage, "sms"),
        entity(&stage, "accounting"),
    );

    // When the order system publishes OrderPaid at 0
    let event = world.publish(&mut stage.ctx(), SOURCE, paid);

    // Then both listeners get a copy (sms through the parent type), due 5 ms later
    assert_eq!(event, EventId(0));
    assert_eq!(
        records_from(&stage, 0),
        [
            BusRecord::Published {
                event,
                event_type: paid,
                source: entity(&stage, "order-system"),
                bus,
                recipients: 2,
            },
            BusRecord::Dispatched {
                event,
                event_type: paid,
                bus,
                listener: sms,
                arrives_at: SimTime(5_000),
            },
            BusRecord::Dispatched {
                event,
                event_type: paid,
                bus,
                listener: accounting,
                arrives_at: SimTime(5_000),
            },
        ]
    );
    assert_eq!(
        stage.scheduled(),
        [
            bus_scheduled(5_000, BusPending::Arrive { flight: 0 }),
            bus_scheduled(5_000, BusPending::Arrive { flight: 1 }),
        ]
    );
    assert!(stage.effects().is_empty());
    let b = &world.buses[0];
    assert_eq!((b.published, b.dispatched, b.unrouted), (1, 2, 0));
    assert_eq!(world.sources[SOURCE].published, 1);
    assert_eq!(
        world.in_flight.get(&1).map(|c| (c.listener, c.arrives_at)),
        Some((ACCOUNTING, SimTime(5_000)))
    );
    assert_eq!(world.copy_accounting(), (2, 2));
}

#[test]
fn an_event_that_matches_no_subscription_is_recorded_as_unrouted_and_schedules_nothing() {
    let (mut stage, mut world) = given(ORDERS);
    let (changed, created) = (
        event_type(&world, "OrderStateChanged"),
        event_type(&world, "OrderCreated"),
    );
    // Given sms no longer listens to order events (accounting never heard OrderCreated)
    assert!(world.unsubscribe(&mut stage.ctx(), SMS, changed));
    let before = stage.records().len();

    // When the order system publishes OrderCreated
    let event = world.publish(&mut stage.ctx(), SOURCE, created);

    // Then the bus records it as unrouted: no copy, nothing to wait for
    let bus = entity(&stage, "order-events");
    assert_eq!(
        records_from(&stage, before),
        [
            BusRecord::Published {
                event,
                event_type: created,
                source: entity(&stage, "order-system"),
                bus,
                recipients: 0,
            },
            BusRecord::Unrouted {
                event,
                event_type: created,
                bus,
            },
        ]
    );
    assert!(stage.scheduled().is_empty());
    let b = &world.buses[0];
    assert_eq!((b.published, b.dispatched, b.unrouted), (1, 0, 1));
    assert_eq!(world.copy_accounting(), (0, 0));
}

#[test]
fn a_copy_arriving_at_an_idle_listener_is_delivered_and_handled_at_once_for_its_processing_time() {
    // Given OrderCreated was published at 0 (only sms hears it)
    let (mut stage, mut world) = given(ORDERS);
    let created = event_type(&world, "OrderCreated");
    world.publish(&mut stage.ctx(), SOURCE, created);
    let before = stage.records().len();

    // When its copy arrives
    let handled = run_next(&mut stage, &mut world);

    // Then at 5 ms sms takes it in with nobody waiting and starts on it, done 100 ms later
    assert_eq!(handled, BusPending::Arrive { flight: 0 });
    assert_eq!(stage.now, SimTime(5_000));
    let sms = entity(&stage, "sms");
    assert_eq!(
        records_from(&stage, before),
        [
            BusRecord::Delivered {
                event: EventId(0),
                event_type: created,
                bus: entity(&stage, "order-events"),
                listener: sms,
                queue_len: 0,
            },
            BusRecord::HandlingStarted {
                event: EventId(0),
                event_type: created,
                listener: sms,
            },
        ]
    );
    assert_eq!(
        stage.scheduled(),
        [bus_scheduled(105_000, BusPending::HandlingDone { listener: SMS })]
    );
    let l = &world.listeners[SMS];
    assert_eq!(l.in_service.map(|copy| copy.event), Some(EventId(0)));
    assert!(l.inbox.is_empty());
    assert_eq!((l.delivered, l.handled, l.backlog()), (1, 0, 1));
    assert_eq!(world.queued_total, 0);
    assert!(world.in_flight.is_empty());
    assert_eq!(world.copy_accounting(), (1, 1));
}

#[test]
fn a_copy_arriving_at_a_busy_listener_waits_in_its_inbox() {
    // Given sms is handling OrderCreated #0 since 5 ms and OrderCreated #1 was published at 1 ms
    let (mut stage, mut world) = given(ORDERS);
    let created = event_type(&world, "OrderCreated");
    world.publish(&mut stage.ctx(), SOURCE, created);
    stage.advance(SimDuration::from_millis(1));
    world.publish(&mut stage.ctx(), SOURCE, created);
    assert_eq!(run_next(&mut stage, &mut world), BusPending::Arrive { flight: 0 });
    let before = stage.records().len();

    // When the second copy arrives
    assert_eq!(run_next(&mut stage, &mut world), BusPending::Arrive { flight: 1 });

    // Then at 6 ms it is delivered into the inbox, one waiting, and nothing new is started
    assert_eq!(stage.now, SimTime(6_000));
    assert_eq!(
        records_from(&stage, before),
        [BusRecord::Delivered {
            event: EventId(1),
            event_type: created,
            bus: entity(&stage, "order-events"),
            listener: entity(&stage, "sms"),
            queue_len: 1,
        }]
    );
    assert_eq!(
        stage.scheduled(),
        [bus_scheduled(105_000, BusPending::HandlingDone { listener: SMS })]
    );
    let l = &world.listeners[SMS];
    assert_eq!(l.in_service.map(|copy| copy.event), Some(EventId(0)));
    assert_eq!(inbox_events(l), [EventId(1)]);
    assert_eq!((l.delivered, l.queue_len_max, l.backlog()), (2, 1, 2));
    assert_eq!(world.queued_total, 1);
    assert_eq!(world.copy_accounting(), (2, 2));
}

#[test]
fn a_listener_that_finishes_an_event_takes_the_oldest_waiting_one_next() {
    // Given sms is handling OrderCreated #0 (from 5 ms) with OrderPaid #1 waiting, then
    // OrderShipped #2 waiting behind it
    let (mut stage, mut world) = given(ORDERS);
    let (created, paid, shipped) = (
        event_type(&world, "OrderCreated"),
        event_type(&world, "OrderPaid"),
        event_type(&world, "OrderShipped"),
    );
    world.publish(&mut stage.ctx(), SOURCE, created);
    stage.advance(SimDuration::from_millis(1));
    world.publish(&mut stage.ctx(), SOURCE, paid);
    world.publish(&mut stage.ctx(), SOURCE, shipped);
    for _ in 0..4 {
        // sms gets #0, #1 and #2; accounting gets #1
        assert!(matches!(run_next(&mut stage, &mut world), BusPending::Arrive { .. }));
    }
    assert_eq!(
        run_next(&mut stage, &mut world),
        BusPending::HandlingDone { listener: ACCOUNTING }
    );
    assert_eq!(inbox_events(&world.listeners[SMS]), [EventId(1), EventId(2)]);
    let before = stage.records().len();

    // When sms finishes OrderCreated
    assert_eq!(
        run_next(&mut stage, &mut world),
        BusPending::HandlingDone { listener: SMS }
    );

    // Then at 105 ms it records the event handled and starts on OrderPaid, the oldest waiting
    assert_eq!(stage.now, SimTime(105_000));
    let sms = entity(&stage, "sms");
    assert_eq!(
        records_from(&stage, before),
        [
            BusRecord::Handled {
                event: EventId(0),
                event_type: created,
                listener: sms,
            },
            BusRecord::HandlingStarted {
                event: EventId(1),
                event_type: paid,
                listener: sms,
            },
        ]
    );
    assert_eq!(
        stage.scheduled(),
        [bus_scheduled(205_000, BusPending::HandlingDone { listener: SMS })]
    );
    let l = &world.listeners[SMS];
    assert_eq!(l.in_service.map(|copy| copy.event), Some(EventId(1)));
    assert_eq!(inbox_events(l), [EventId(2)]);
    assert_eq!((l.handled, l.busy_us, l.queue_len_max), (1, 100_000, 2));
    assert_eq!(world.queued_total, 1);
    assert_eq!(world.copy_accounting(), (4, 4));
    let report = world.report(&stage.entities, stage.now);
    let sms_report = report.iter().find(|r| r.name == "sms").expect("sms in the report");
    assert_eq!(sms_report.number("utilisation"), Some(100_000.0 / 105_000.0));
}

#[test]
fn an_emitter_publishes_its_first_event_at_its_start_and_schedules_the_next_one_gap_later() {
    // Given the emitter of order-system (start 2 ms, every 10 ms, count 2), started
    let (mut stage, mut world) = given(EMITTER);
    assert_eq!(
        stage.scheduled(),
        [bus_scheduled(
            2_000,
            BusPending::Emit {
                source: SOURCE,
                emitter: 0
            }
        )]
    );

    // When its first turn comes
    run_next(&mut stage, &mut world);

    // Then at 2 ms it publishes OrderPaid to accounting and its next turn is at 12 ms
    let paid = event_type(&world, "OrderPaid");
    let bus = entity(&stage, "order-events");
    assert_eq!(
        records_from(&stage, 0),
        [
            BusRecord::Published {
                event: EventId(0),
                event_type: paid,
                source: entity(&stage, "order-system"),
                bus,
                recipients: 1,
            },
            BusRecord::Dispatched {
                event: EventId(0),
                event_type: paid,
                bus,
                listener: entity(&stage, "accounting"),
                arrives_at: SimTime(7_000),
            },
        ]
    );
    assert_eq!(
        stage.scheduled(),
        [
            bus_scheduled(7_000, BusPending::Arrive { flight: 0 }),
            bus_scheduled(
                12_000,
                BusPending::Emit {
                    source: SOURCE,
                    emitter: 0
                }
            ),
        ]
    );
    assert_eq!(world.sources[SOURCE].emitters[0].remaining, Some(1));
    assert_eq!(world.published_total, 1);
}

#[test]
fn an_emitter_that_publishes_its_last_event_schedules_no_more() {
    // Given the emitter has published once (one of two) and its copy was delivered
    let (mut stage, mut world) = given(EMITTER);
    run_next(&mut stage, &mut world);
    assert_eq!(run_next(&mut stage, &mut world), BusPending::Arrive { flight: 0 });
    let before = stage.records().len();

    // When its second turn comes
    assert_eq!(
        run_next(&mut stage, &mut world),
        BusPending::Emit {
            source: SOURCE,
            emitter: 0
        }
    );

    // Then at 12 ms it publishes OrderPaid #1 and schedules no further turn
    assert_eq!(stage.now, SimTime(12_000));
    let published = records_from(&stage, before);
    assert_eq!(published.len(), 2);
    assert!(matches!(
        published[0],
        BusRecord::Published {
            event: EventId(1),
            recipients: 1,
            ..
        }
    ));
    assert_eq!(
        stage.scheduled(),
        [
            bus_scheduled(17_000, BusPending::Arrive { flight: 1 }),
            // accounting is still on the first event, delivered at 7 ms
            bus_scheduled(27_000, BusPending::HandlingDone { listener: 0 }),
        ]
    );
    assert_eq!(world.sources[SOURCE].emitters[0].remaining, Some(0));
    assert_eq!(world.sources[SOURCE].published, 2);
}

#[test]
fn a_copy_dispatched_before_an_unsubscribe_still_arrives_but_the_next_event_is_not_sent() {
    // Given OrderCreated #0 is on its way to sms when sms unsubscribes at 1 ms
    let (mut stage, mut world) = given(ORDERS);
    let (changed, created) = (
        event_type(&world, "OrderStateChanged"),
        event_type(&world, "OrderCreated"),
    );
    world.publish(&mut stage.ctx(), SOURCE, created);
    stage.advance(SimDuration::from_millis(1));
    assert!(world.unsubscribe(&mut stage.ctx(), SMS, changed));
    let before = stage.records().len();

    // When the copy arrives, and then OrderCreated #1 is published
    assert_eq!(run_next(&mut stage, &mut world), BusPending::Arrive { flight: 0 });
    world.publish(&mut stage.ctx(), SOURCE, created);

    // Then sms still takes #0 in at 5 ms, while #1 reaches nobody
    let verbs: Vec<_> = records_from(&stage, before)
        .iter()
        .map(|r| (r.verb(), r.event()))
        .collect();
    assert_eq!(
        verbs,
        [
            ("Delivered", Some(EventId(0))),
            ("Handling", Some(EventId(0))),
            ("Published", Some(EventId(1))),
            ("Unrouted", Some(EventId(1))),
        ]
    );
    assert_eq!(world.listeners[SMS].delivered, 1);
    assert_eq!(world.buses[0].unrouted, 1);
}

#[test]
fn subscribing_covers_a_type_and_its_subtypes_and_records_only_a_change() {
    let (mut stage, mut world) = given(ORDERS);
    let (changed, paid, shipped) = (
        event_type(&world, "OrderStateChanged"),
        event_type(&world, "OrderPaid"),
        event_type(&world, "OrderShipped"),
    );
    // Given accounting hears OrderPaid only, and sms the parent type
    assert!(!world.receives(ACCOUNTING, shipped));
    assert!(world.receives(SMS, shipped));

    // When sms subscribes again to what it has, and accounting subscribes to OrderStateChanged
    let again = world.subscribe(&mut stage.ctx(), SMS, changed);
    let added = world.subscribe(&mut stage.ctx(), ACCOUNTING, changed);

    // Then only accounting's subscription is new and recorded, and it now hears every subtype
    assert!(!again);
    assert!(added);
    assert_eq!(
        records_from(&stage, 0),
        [BusRecord::Subscribed {
            listener: entity(&stage, "accounting"),
            event_type: changed,
        }]
    );
    assert!(world.receives(ACCOUNTING, shipped));
    assert!(world.receives(ACCOUNTING, paid));
    assert_eq!(world.listeners[ACCOUNTING].subscriptions.len(), 2);
    assert!(stage.scheduled().is_empty());
}

/// The events waiting in a listener's inbox, oldest first.
fn inbox_events(listener: &eda_sim::patterns::event_bus::Listener) -> Vec<EventId> {
    listener.inbox.iter().map(|copy| copy.event).collect()
}
