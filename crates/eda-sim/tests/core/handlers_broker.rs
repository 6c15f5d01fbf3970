//! The broker's handlers one at a time (given / when / then): a broker built from a scenario
//! section and started as the engine starts it, one pending event or command handed to it, and
//! exactly what it recorded, scheduled and left in its state read back.

use crate::support::at_ms;
use eda_sim::engine::Switch;
use eda_sim::patterns::broker::{
    BrokerPending, BrokerRecord, BrokerSpec, BrokerWorld, DropReason, Settlement, SettlementKey,
};
/// The stage this pattern's handlers run on.
type Stage =
    eda_sim::kernel::stage::Stage<eda_sim::patterns::broker::BrokerPending, eda_sim::patterns::broker::BrokerRecord>;
use eda_sim::{EntityId, EntityKind, SimDuration, SimTime};

/// Given: the broker of this scenario section, built and started as `Sim` does it.
fn given(section: &str) -> (Stage, BrokerWorld) {
    let spec: BrokerSpec = serde_json::from_str(section).unwrap_or_else(|e| panic!("{e}"));
    let mut stage = Stage::new(7);
    let mut broker = BrokerWorld::build(&spec, &mut stage.entities);
    broker.start(&mut stage.ctx());
    (stage, broker)
}

/// Hands the earliest pending event to the broker, at its time, as the engine would.
fn deliver_next(stage: &mut Stage, broker: &mut BrokerWorld) -> BrokerPending {
    let Some(pending) = stage.take_next() else {
        panic!("no broker event pending")
    };
    broker.handle(&mut stage.ctx(), pending.clone());
    pending
}

/// The broker records written after the first `from` records.
fn records_since(stage: &Stage, from: usize) -> Vec<BrokerRecord> {
    stage.records_since(from).into_iter().cloned().collect()
}

fn id(stage: &Stage, name: &str) -> EntityId {
    stage.entities.id(name).unwrap_or_else(|| panic!("no entity {name}"))
}

fn broker(pending: BrokerPending) -> BrokerPending {
    pending
}

const ONE_QUEUE: &str = r#"{
    "network_delay": {"constant": "2ms"},
    "queues": [{"id": "q"}],
    "producers": [{"id": "p", "queue": "q"}],
    "consumers": [{"id": "c", "queue": "q", "processing_time": {"constant": "10ms"}}]}"#;

// ----- queues ---------------------------------------------------------------------------------

#[test]
fn a_published_message_is_enqueued_and_sent_to_an_idle_consumer_arriving_one_network_delay_later() {
    let (mut stage, mut world) = given(ONE_QUEUE);
    let (p, q, c) = (id(&stage, "p"), id(&stage, "q"), id(&stage, "c"));

    world.produce(&mut stage.ctx(), 0, None, None);

    assert_eq!(
        records_since(&stage, 0),
        [
            BrokerRecord::Published {
                message: 0,
                producer: p,
                to: q,
                key: String::new()
            },
            BrokerRecord::Enqueued {
                message: 0,
                queue: q,
                depth: 1
            },
            BrokerRecord::Delivered {
                message: 0,
                queue: q,
                consumer: c,
                delivery: 1
            },
        ]
    );
    let arrive = BrokerPending::Arrive {
        consumer: 0,
        message: 0,
        epoch: 0,
        broker_epoch: 0,
        tag: 1,
        doubled: false,
    };
    assert_eq!(stage.scheduled(), [(at_ms(2), broker(arrive))]);
    assert!(world.queues[0].ready.is_empty());
    assert_eq!(world.queues[0].unacked, [(0, 0)]);
    assert_eq!(world.consumers[0].holding, 1);
    assert!(stage.effects().is_empty(), "the broker asks nothing of other patterns");
}

#[test]
fn an_ack_reaching_the_broker_settles_the_message_and_frees_the_prefetch_slot_for_the_next() {
    let (mut stage, mut world) = given(ONE_QUEUE);
    let (q, c) = (id(&stage, "q"), id(&stage, "c"));
    world.produce(&mut stage.ctx(), 0, None, None);
    world.produce(&mut stage.ctx(), 0, None, None); // waits: prefetch 1
    assert_eq!(world.queues[0].ready, [1]);
    deliver_next(&mut stage, &mut world); // arrives at 2 ms, processing until 12 ms
    deliver_next(&mut stage, &mut world); // done at 12 ms: the ack leaves
    let ack = BrokerPending::Settle {
        queue: 0,
        consumer: 0,
        message: 0,
        settlement: SettlementKey::Ack,
        epoch: 0,
        broker_epoch: 0,
    };
    assert_eq!(stage.scheduled(), [(at_ms(14), broker(ack))]);
    let before = stage.records().len();

    deliver_next(&mut stage, &mut world);

    assert_eq!(stage.now, at_ms(14));
    assert_eq!(
        records_since(&stage, before),
        [
            BrokerRecord::Settled {
                message: 0,
                queue: q,
                consumer: c,
                settlement: Settlement::Ack
            },
            BrokerRecord::Delivered {
                message: 1,
                queue: q,
                consumer: c,
                delivery: 1
            },
        ]
    );
    let arrive = BrokerPending::Arrive {
        consumer: 0,
        message: 1,
        epoch: 0,
        broker_epoch: 0,
        tag: 2,
        doubled: false,
    };
    assert_eq!(stage.scheduled(), [(at_ms(16), broker(arrive))]);
    assert_eq!((world.queues[0].acked, world.acked_total), (1, 1));
    assert_eq!(world.messages.len(), 1, "the acked message is gone, the next is alive");
    assert_eq!(world.queues[0].unacked, [(1, 0)]);
    assert_eq!(world.consumers[0].handled, 1);
}

#[test]
fn a_nack_over_the_delivery_limit_dead_letters_the_message_instead_of_requeueing_it() {
    let (mut stage, mut world) = given(
        r#"{"queues": [{"id": "work", "max_deliveries": 1, "dead_letter": "parking"}, {"id": "parking"}],
            "producers": [{"id": "p", "queue": "work"}],
            "consumers": [{"id": "flaky", "queue": "work", "fail_percent": 100,
                           "processing_time": {"constant": "5ms"}}]}"#,
    );
    let (work, parking, flaky) = (id(&stage, "work"), id(&stage, "parking"), id(&stage, "flaky"));
    world.produce(&mut stage.ctx(), 0, None, None);
    deliver_next(&mut stage, &mut world); // arrives at 1 ms
    deliver_next(&mut stage, &mut world); // fails at 6 ms: a nack (requeue) leaves
    assert_eq!(world.consumers[0].failed, 1);
    let before = stage.records().len();

    let settle = deliver_next(&mut stage, &mut world);

    assert!(matches!(
        settle,
        BrokerPending::Settle {
            settlement: SettlementKey::Requeue,
            ..
        }
    ));
    assert_eq!(stage.now, at_ms(7));
    assert_eq!(
        records_since(&stage, before),
        [
            BrokerRecord::Settled {
                message: 0,
                queue: work,
                consumer: flaky,
                settlement: Settlement::Requeue
            },
            BrokerRecord::DeadLettered {
                message: 0,
                from: work,
                to: parking,
                reason: DropReason::DeliveryLimit
            },
            BrokerRecord::Enqueued {
                message: 0,
                queue: parking,
                depth: 1
            },
        ]
    );
    assert!(stage.scheduled().is_empty(), "no redelivery: parking has no consumer");
    assert!(world.queues[0].ready.is_empty() && world.queues[0].unacked.is_empty());
    assert_eq!(world.queues[1].ready, [0]);
    assert_eq!(world.queues[0].dead_lettered, 1);
    assert_eq!(
        world.messages.get(&0).map(|m| m.deliveries),
        Some(0),
        "a fresh count in parking"
    );
}

#[test]
fn a_waiting_message_whose_ttl_runs_out_is_dropped_when_its_queue_has_no_dead_letter_queue() {
    let (mut stage, mut world) =
        given(r#"{"queues": [{"id": "q", "message_ttl": "5ms"}], "producers": [{"id": "p", "queue": "q"}]}"#);
    let q = id(&stage, "q");
    world.produce(&mut stage.ctx(), 0, None, None);
    let expire = BrokerPending::Expire { queue: 0, message: 0 };
    assert_eq!(stage.scheduled(), [(at_ms(5), broker(expire))]);
    let before = stage.records().len();

    deliver_next(&mut stage, &mut world);

    assert_eq!(
        records_since(&stage, before),
        [BrokerRecord::Dropped {
            message: 0,
            at: q,
            reason: DropReason::Expired
        }]
    );
    assert!(world.queues[0].ready.is_empty());
    assert_eq!(world.queues[0].dropped.get(&DropReason::Expired), Some(&1));
    assert_eq!(world.dropped_total, 1);
    assert_eq!(world.message_accounting(), (1, 1), "created once, accounted for once");
}

#[test]
fn a_full_queue_refuses_one_more_publish_and_the_producer_counts_the_refusal() {
    let (mut stage, mut world) =
        given(r#"{"queues": [{"id": "q", "capacity": 1}], "producers": [{"id": "p", "queue": "q"}]}"#);
    let (p, q) = (id(&stage, "p"), id(&stage, "q"));
    world.produce(&mut stage.ctx(), 0, None, None);
    let before = stage.records().len();

    world.produce(&mut stage.ctx(), 0, Some("k".into()), None);

    assert_eq!(
        records_since(&stage, before),
        [
            BrokerRecord::Published {
                message: 1,
                producer: p,
                to: q,
                key: "k".into()
            },
            BrokerRecord::Dropped {
                message: 1,
                at: q,
                reason: DropReason::QueueFull
            },
        ]
    );
    assert_eq!(world.queues[0].ready, [0], "the first message keeps its place");
    assert_eq!((world.producers[0].sent, world.producers[0].refused), (2, 1));
    assert_eq!(world.message_accounting(), (2, 2));
}

#[test]
fn a_topic_exchange_gives_one_copy_to_each_queue_a_binding_pattern_matches() {
    let (mut stage, mut world) = given(
        r##"{"exchanges": [{"id": "x", "type": "topic", "bindings": [
                {"queue": "eu", "key": "order.eu.*"}, {"queue": "all", "key": "order.#"},
                {"queue": "all", "key": "#.created"}]}],
            "queues": [{"id": "eu"}, {"id": "all"}, {"id": "us"}],
            "producers": [{"id": "p", "exchange": "x"}]}"##,
    );
    let (p, x, eu, all) = (id(&stage, "p"), id(&stage, "x"), id(&stage, "eu"), id(&stage, "all"));

    world.produce(&mut stage.ctx(), 0, Some("order.eu.created".into()), None);

    let published = |message| BrokerRecord::Published {
        message,
        producer: p,
        to: x,
        key: "order.eu.created".into(),
    };
    assert_eq!(
        records_since(&stage, 0),
        [
            published(0),
            BrokerRecord::Enqueued {
                message: 0,
                queue: eu,
                depth: 1
            },
            published(1),
            BrokerRecord::Enqueued {
                message: 1,
                queue: all,
                depth: 1
            },
        ],
        "all gets one copy although two of its bindings match"
    );
    assert!(world.queues[2].ready.is_empty());
    assert_eq!((world.exchanges[0].routed, world.exchanges[0].unroutable), (1, 0));
}

// ----- crashes --------------------------------------------------------------------------------

#[test]
fn a_broker_crash_requeues_the_delivery_in_flight_whose_late_arrival_is_then_ignored() {
    let (mut stage, mut world) = given(ONE_QUEUE);
    let (p, q, c) = (id(&stage, "p"), id(&stage, "q"), id(&stage, "c"));
    world.produce(&mut stage.ctx(), 0, None, None); // on its way to c, arriving at 2 ms

    let switched = world.set_down(&mut stage.ctx(), EntityKind::Broker, 0, true);

    assert_eq!(switched, Switch::Switched);
    assert_eq!(
        records_since(&stage, 3),
        [BrokerRecord::Requeued { message: 0, queue: q }]
    );
    assert_eq!(world.queues[0].ready, [0]);
    assert!(world.queues[0].unacked.is_empty());
    assert_eq!((world.down, world.epoch, world.consumers[0].holding), (true, 1, 0));

    // The delivery of the old incarnation still arrives, and changes nothing.
    deliver_next(&mut stage, &mut world);
    assert_eq!(stage.records().len(), 4);
    assert!(stage.scheduled().is_empty());
    assert_eq!(world.consumers[0].processing, None);

    // A publish meanwhile is refused.
    world.produce(&mut stage.ctx(), 0, None, None);
    assert_eq!(
        records_since(&stage, 4),
        [BrokerRecord::Refused {
            producer: p,
            to: q,
            reason: DropReason::BrokerDown
        }]
    );
    assert_eq!(world.producers[0].refused, 1);

    // Back up, the broker redelivers the requeued message.
    world.set_down(&mut stage.ctx(), EntityKind::Broker, 0, false);
    assert_eq!(
        records_since(&stage, 5),
        [BrokerRecord::Delivered {
            message: 0,
            queue: q,
            consumer: c,
            delivery: 2
        }]
    );
    let arrive = BrokerPending::Arrive {
        consumer: 0,
        message: 0,
        epoch: 0,
        broker_epoch: 1,
        tag: 2,
        doubled: false,
    };
    assert_eq!(stage.scheduled(), [(at_ms(4), broker(arrive))]);
    assert_eq!(world.queues[0].redelivered, 1);
}

#[test]
fn a_crashed_queue_consumer_gives_its_unacknowledged_message_to_a_competing_consumer() {
    let (mut stage, mut world) = given(
        r#"{"queues": [{"id": "q"}], "producers": [{"id": "p", "queue": "q"}],
            "consumers": [{"id": "a", "queue": "q", "processing_time": {"constant": "10ms"}},
                          {"id": "b", "queue": "q", "processing_time": {"constant": "10ms"}}]}"#,
    );
    let (q, b) = (id(&stage, "q"), id(&stage, "b"));
    world.produce(&mut stage.ctx(), 0, None, None); // to a, round-robin starts with it
    deliver_next(&mut stage, &mut world); // at a at 1 ms, processing until 11 ms
    stage.advance(SimDuration::from_millis(4));

    let switched = world.set_down(&mut stage.ctx(), EntityKind::Consumer, 0, true);

    assert_eq!(switched, Switch::Switched);
    assert_eq!(
        records_since(&stage, 3),
        [
            BrokerRecord::Requeued { message: 0, queue: q },
            BrokerRecord::Delivered {
                message: 0,
                queue: q,
                consumer: b,
                delivery: 2
            },
        ]
    );
    let a_done = BrokerPending::Done {
        consumer: 0,
        message: 0,
        epoch: 0,
    };
    let to_b = BrokerPending::Arrive {
        consumer: 1,
        message: 0,
        epoch: 0,
        broker_epoch: 0,
        tag: 1,
        doubled: false,
    };
    assert_eq!(
        stage.scheduled(),
        [(at_ms(6), broker(to_b)), (at_ms(11), broker(a_done))]
    );
    assert_eq!(world.queues[0].unacked, [(0, 1)]);
    let a = &world.consumers[0];
    assert_eq!(
        (a.down, a.epoch, a.holding, a.processing, a.busy_us),
        (true, 1, 0, None, 4_000)
    );

    // a's processing would have ended at 11 ms: that event belongs to its old life.
    deliver_next(&mut stage, &mut world); // b gets it at 6 ms
    deliver_next(&mut stage, &mut world); // a's stale "done" at 11 ms
    assert_eq!(world.consumers[0].handled, 0);
    assert_eq!(stage.records().len(), 5);
}

// ----- topics and consumer groups -------------------------------------------------------------

const GROUP: &str = r#"{
    "topics": [{"id": "t", "partitions": 3}],
    "groups": [{"id": "g", "topic": "t", "auto_offset_reset": "earliest"}],
    "producers": [{"id": "p", "topic": "t", "keys": ["foobar"]}],
    "consumers": [{"id": "a", "group": "g", "processing_time": {"constant": "10ms"}},
                  {"id": "b", "group": "g", "processing_time": {"constant": "10ms"}}]}"#;

#[test]
fn members_joining_at_time_zero_share_the_partitions_in_one_range_rebalance() {
    let (stage, world) = given(GROUP);
    let (g, a, b) = (id(&stage, "g"), id(&stage, "a"), id(&stage, "b"));

    assert_eq!(
        records_since(&stage, 0),
        [
            BrokerRecord::Membership {
                group: g,
                consumer: a,
                left: false
            },
            BrokerRecord::Membership {
                group: g,
                consumer: b,
                left: false
            },
            BrokerRecord::Rebalanced {
                group: g,
                generation: 1,
                owners: vec![Some(a), Some(a), Some(b)]
            },
        ]
    );
    assert!(stage.scheduled().is_empty(), "empty partitions: nobody fetches");
    let positions =
        |c: usize| -> Vec<(u32, u64)> { world.consumers[c].positions.iter().map(|(&p, &o)| (p, o)).collect() };
    assert_eq!(positions(0), [(0, 0), (1, 0)]);
    assert_eq!(positions(1), [(2, 0)]);
}

#[test]
fn a_keyed_record_lands_in_kafkas_partition_and_wakes_that_partitions_owner_to_fetch() {
    let (mut stage, mut world) = given(GROUP);
    let (p, t) = (id(&stage, "p"), id(&stage, "t"));

    world.produce(&mut stage.ctx(), 0, None, None);

    // murmur2("foobar") made positive is 1357151166, a multiple of 3: partition 0, owned by a.
    assert_eq!(
        records_since(&stage, 3),
        [BrokerRecord::Produced {
            message: 0,
            producer: p,
            topic: t,
            partition: 0,
            offset: 0,
            key: Some("foobar".into())
        }]
    );
    let fetch = BrokerPending::Fetch {
        consumer: 0,
        epoch: 0,
        generation: 1,
    };
    assert_eq!(stage.scheduled(), [(at_ms(1), broker(fetch))]);
    assert!(world.consumers[0].fetching);
    assert!(!world.consumers[1].fetching);
}

#[test]
fn with_manual_commit_a_processed_record_commits_the_next_offset_at_once() {
    let (mut stage, mut world) =
        given(&GROUP.replace(r#""auto_offset_reset""#, r#""commit": "manual", "auto_offset_reset""#));
    let (g, a, t) = (id(&stage, "g"), id(&stage, "a"), id(&stage, "t"));
    world.produce(&mut stage.ctx(), 0, None, None);
    deliver_next(&mut stage, &mut world); // the fetch comes back at 1 ms
    assert_eq!(
        records_since(&stage, 4),
        [BrokerRecord::Fetched {
            message: 0,
            consumer: a,
            topic: t,
            partition: 0,
            offset: 0
        }]
    );
    let done = BrokerPending::RecordDone {
        consumer: 0,
        partition: 0,
        offset: 0,
        epoch: 0,
    };
    assert_eq!(stage.scheduled(), [(at_ms(11), broker(done))]);

    deliver_next(&mut stage, &mut world);

    assert_eq!(
        records_since(&stage, 5),
        [
            BrokerRecord::Processed {
                message: 0,
                consumer: a,
                partition: 0,
                offset: 0,
                duplicate: false
            },
            BrokerRecord::Committed {
                group: g,
                partition: 0,
                offset: 1
            },
        ]
    );
    assert!(
        stage.scheduled().is_empty(),
        "no more records, and no auto-commit timer"
    );
    assert_eq!(world.consumers[0].positions.get(&0), Some(&1));
    assert_eq!(world.groups[0].committed, [Some(1), None, None]);
    assert_eq!(world.consumers[0].busy_us, 10_000);
}

#[test]
fn the_auto_commit_timer_commits_every_members_positions_then_stops_while_the_group_is_quiet() {
    let (mut stage, mut world) = given(GROUP);
    let g = id(&stage, "g");
    world.produce(&mut stage.ctx(), 0, None, None);
    deliver_next(&mut stage, &mut world); // fetched at 1 ms
    deliver_next(&mut stage, &mut world); // processed at 11 ms: position 1, not committed
    assert_eq!(
        stage.scheduled(),
        [(at_ms(5_011), broker(BrokerPending::AutoCommit { group: 0 }))]
    );
    assert!(world.groups[0].commit_timer_armed);

    deliver_next(&mut stage, &mut world);

    let committed = |partition, offset| BrokerRecord::Committed {
        group: g,
        partition,
        offset,
    };
    assert_eq!(
        records_since(&stage, 6),
        [committed(0, 1), committed(1, 0), committed(2, 0)]
    );
    assert!(stage.scheduled().is_empty(), "nothing left to commit: the timer stops");
    assert!(!world.groups[0].commit_timer_armed);
    assert_eq!(world.groups[0].lag(&world.topics[0]), [0, 0, 0]);
}

#[test]
fn a_crashed_member_keeps_its_partitions_until_the_session_times_out_then_the_survivor_takes_them() {
    let (mut stage, mut world) = given(
        r#"{"topics": [{"id": "t", "partitions": 2}],
            "groups": [{"id": "g", "topic": "t", "session_timeout": "10s"}],
            "consumers": [{"id": "a", "group": "g", "processing_time": {"constant": "10ms"}},
                          {"id": "b", "group": "g", "processing_time": {"constant": "10ms"}}]}"#,
    );
    let (g, a, b) = (id(&stage, "g"), id(&stage, "a"), id(&stage, "b"));

    world.set_down(&mut stage.ctx(), EntityKind::Consumer, 0, true);

    assert_eq!(stage.records().len(), 3, "a crash is silent to the group");
    let expiry = BrokerPending::SessionExpired { consumer: 0, epoch: 1 };
    assert_eq!(stage.scheduled(), [(SimTime(10_000_000), broker(expiry))]);
    assert_eq!(
        world.groups[0].owners,
        [Some(0), Some(1)],
        "a's partition stalls meanwhile"
    );

    deliver_next(&mut stage, &mut world);

    assert_eq!(
        records_since(&stage, 3),
        [
            BrokerRecord::Membership {
                group: g,
                consumer: a,
                left: true
            },
            // Range is eager: b gives up partition 1 too, committing its position as it does.
            BrokerRecord::Committed {
                group: g,
                partition: 1,
                offset: 0
            },
            BrokerRecord::Rebalanced {
                group: g,
                generation: 2,
                owners: vec![Some(b), Some(b)]
            },
        ]
    );
    assert_eq!(world.groups[0].members, [1]);
    assert_eq!(world.consumers[1].positions.keys().copied().collect::<Vec<_>>(), [0, 1]);
    assert!(!world.consumers[0].in_group);
}

#[test]
fn a_late_joiner_under_cooperative_sticky_takes_only_the_partition_it_needs() {
    let (mut stage, mut world) = given(
        r#"{"topics": [{"id": "t", "partitions": 4}],
            "groups": [{"id": "g", "topic": "t", "assignor": "cooperative_sticky"}],
            "consumers": [{"id": "a", "group": "g", "processing_time": {"constant": "10ms"}},
                          {"id": "b", "group": "g", "processing_time": {"constant": "10ms"}},
                          {"id": "c", "group": "g", "processing_time": {"constant": "10ms"}, "join_at": "5ms"}]}"#,
    );
    let (g, a, b, c) = (id(&stage, "g"), id(&stage, "a"), id(&stage, "b"), id(&stage, "c"));
    assert_eq!(
        world.groups[0].owners,
        [Some(0), Some(1), Some(0), Some(1)],
        "balanced, dealt in turn"
    );
    assert_eq!(
        stage.scheduled(),
        [(at_ms(5), broker(BrokerPending::Join { consumer: 2 }))]
    );

    deliver_next(&mut stage, &mut world);

    assert_eq!(
        records_since(&stage, 3),
        [
            BrokerRecord::Membership {
                group: g,
                consumer: c,
                left: false
            },
            BrokerRecord::Committed {
                group: g,
                partition: 3,
                offset: 0
            },
            BrokerRecord::Rebalanced {
                group: g,
                generation: 2,
                owners: vec![Some(a), Some(b), Some(a), Some(c)]
            },
        ]
    );
    let partitions = |i: usize| world.consumers[i].positions.keys().copied().collect::<Vec<u32>>();
    assert_eq!(
        (partitions(0), partitions(1), partitions(2)),
        (vec![0, 2], vec![1], vec![3])
    );
}
