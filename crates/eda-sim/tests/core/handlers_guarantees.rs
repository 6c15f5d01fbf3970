//! Delivery guarantees and link faults of queue consumers, handler by handler (given / when /
//! then): what at-most-once, at-least-once and an idempotent consumer make of the same crash, and
//! what a link that loses or doubles a message does to each.

use crate::support::at_ms;
use eda_sim::patterns::broker::{BrokerRecord, BrokerSpec, BrokerWorld, LossReason};
use eda_sim::{EntityKind, SimTime};

type Stage =
    eda_sim::kernel::stage::Stage<eda_sim::patterns::broker::BrokerPending, eda_sim::patterns::broker::BrokerRecord>;

/// Given: one queue, one producer and one consumer with this guarantee and these extra consumer
/// fields (JSON members, may be empty), a 2 ms network and 10 ms of processing.
fn given(guarantee: &str, consumer_extra: &str, queue_extra: &str) -> (Stage, BrokerWorld) {
    let section = format!(
        r#"{{
        "network_delay": {{"constant": "2ms"}},
        "queues": [{{"id": "q"{queue_extra}}}],
        "producers": [{{"id": "p", "queue": "q"}}],
        "consumers": [{{"id": "c", "queue": "q", "processing_time": {{"constant": "10ms"}},
                        "guarantee": "{guarantee}"{consumer_extra}}}]}}"#
    );
    staged(&section)
}

/// The broker of this scenario section, built and started on a stage as `Sim` does it.
fn staged(section: &str) -> (Stage, BrokerWorld) {
    let spec: BrokerSpec = serde_json::from_str(section).unwrap_or_else(|e| panic!("{e}: {section}"));
    let mut stage = Stage::new(7);
    let mut broker = BrokerWorld::build(&spec, &mut stage.entities);
    broker.start(&mut stage.ctx());
    (stage, broker)
}

/// Hands the broker every pending event due at or before `until`, in order, as the engine would.
fn run_to(stage: &mut Stage, broker: &mut BrokerWorld, until: SimTime) {
    while stage.queue.peek_time().is_some_and(|t| t <= until) {
        let pending = stage.take_next().expect("an event is due");
        broker.handle(&mut stage.ctx(), pending);
    }
    stage.now = stage.now.max(until);
}

fn count(stage: &Stage, what: impl Fn(&BrokerRecord) -> bool) -> usize {
    stage.records().into_iter().filter(|r| what(r)).count()
}

fn handled_ok(r: &BrokerRecord) -> bool {
    matches!(r, BrokerRecord::Handled { ok: true, .. })
}

/// When the consumer crashes after it processed message 0 (done at 12 ms) and before its ack
/// reaches the broker (at 14 ms), and restarts at once.
fn crash_between_processing_and_ack(stage: &mut Stage, broker: &mut BrokerWorld) {
    broker.produce(&mut stage.ctx(), 0, None, None);
    run_to(stage, broker, at_ms(13));
    broker.set_down(&mut stage.ctx(), EntityKind::Consumer, 0, true);
    broker.set_down(&mut stage.ctx(), EntityKind::Consumer, 0, false);
    run_to(stage, broker, at_ms(100));
}

#[test]
fn at_most_once_the_broker_counts_a_delivery_acknowledged_when_it_sends_it() {
    let (mut stage, mut broker) = given("at_most_once", "", "");
    broker.produce(&mut stage.ctx(), 0, None, None);
    assert!(stage
        .records()
        .iter()
        .any(|r| matches!(r, BrokerRecord::AutoAcked { message: 0, .. })));
    assert!(broker.queues[0].unacked.is_empty());
    assert_eq!(broker.queues[0].acked, 1);
    run_to(&mut stage, &mut broker, at_ms(100));
    assert_eq!(count(&stage, handled_ok), 1);
    assert_eq!(
        count(&stage, |r| matches!(r, BrokerRecord::Settled { .. })),
        0,
        "no ack is sent"
    );
    assert!(broker.messages.is_empty(), "forgotten once processed");
    assert_eq!(broker.message_accounting().0, broker.message_accounting().1);
}

#[test]
fn at_most_once_a_crash_before_processing_loses_the_message_and_records_why() {
    let (mut stage, mut broker) = given("at_most_once", "", "");
    broker.produce(&mut stage.ctx(), 0, None, None);
    run_to(&mut stage, &mut broker, at_ms(5)); // arrived at 2 ms, processing until 12 ms
    broker.set_down(&mut stage.ctx(), EntityKind::Consumer, 0, true);
    run_to(&mut stage, &mut broker, at_ms(100));
    let c = stage.entities.id("c").unwrap();
    assert!(stage.records().contains(&&BrokerRecord::Lost {
        message: 0,
        consumer: c,
        reason: LossReason::ConsumerDown
    }));
    assert_eq!(count(&stage, handled_ok), 0);
    assert_eq!(
        (broker.lost_total, broker.consumers[0].lost, broker.queues[0].lost),
        (1, 1, 1)
    );
    assert_eq!(broker.message_accounting().0, broker.message_accounting().1);
}

#[test]
fn at_most_once_a_failed_processing_is_a_loss_as_it_cannot_be_retried() {
    let (mut stage, mut broker) = given("at_most_once", r#", "fail_percent": 100"#, "");
    broker.produce(&mut stage.ctx(), 0, None, None);
    run_to(&mut stage, &mut broker, at_ms(100));
    assert!(stage.records().iter().any(|r| matches!(
        r,
        BrokerRecord::Lost {
            reason: LossReason::ProcessingFailed,
            ..
        }
    )));
    assert_eq!(count(&stage, |r| matches!(r, BrokerRecord::Requeued { .. })), 0);
}

#[test]
fn at_least_once_a_crash_between_processing_and_ack_processes_the_message_twice() {
    let (mut stage, mut broker) = given("at_least_once", "", "");
    crash_between_processing_and_ack(&mut stage, &mut broker);
    assert_eq!(count(&stage, handled_ok), 2);
    assert_eq!(
        count(&stage, |r| matches!(r, BrokerRecord::Handled { duplicate: true, .. })),
        1
    );
    assert_eq!(count(&stage, |r| matches!(r, BrokerRecord::SettlementLost { .. })), 1);
    assert_eq!((broker.queues[0].processed, broker.queues[0].duplicates), (1, 1));
    assert_eq!(broker.lost_total, 0);
}

#[test]
fn an_idempotent_consumer_acknowledges_the_redelivery_without_processing_it_again() {
    let (mut stage, mut broker) = given("idempotent", "", "");
    crash_between_processing_and_ack(&mut stage, &mut broker);
    assert_eq!(count(&stage, handled_ok), 1);
    assert_eq!(
        count(&stage, |r| matches!(r, BrokerRecord::Deduplicated { message: 0, .. })),
        1
    );
    assert_eq!(broker.consumers[0].deduplicated, 1);
    assert_eq!((broker.queues[0].processed, broker.queues[0].duplicates), (1, 0));
    assert!(broker.messages.is_empty(), "the second ack settled it");
}

#[test]
fn the_dedupe_store_is_shared_by_the_queue_and_keeps_only_its_window_of_ids() {
    // The window holds one id: a repeat of message 0 is caught while 0 is the latest id, and
    // once message 1 is processed, 0 is forgotten (the store's own test shows the eviction).
    let (mut stage, mut broker) = given("idempotent", r#", "dedupe_window": 1"#, "");
    broker.produce(&mut stage.ctx(), 0, None, None);
    run_to(&mut stage, &mut broker, at_ms(13)); // message 0 processed, its ack on the way
    broker.set_down(&mut stage.ctx(), EntityKind::Consumer, 0, true);
    broker.produce(&mut stage.ctx(), 0, None, None);
    broker.set_down(&mut stage.ctx(), EntityKind::Consumer, 0, false);
    run_to(&mut stage, &mut broker, at_ms(200));
    // Redelivered first, message 0 is caught; message 1 is processed after it.
    assert_eq!(
        count(&stage, |r| matches!(r, BrokerRecord::Deduplicated { message: 0, .. })),
        1
    );
    assert_eq!(count(&stage, handled_ok), 2);
    let store = broker.queues[0].dedupe.as_ref().unwrap();
    assert_eq!((store.len(), store.window()), (1, 1));
    assert!(store.contains(1) && !store.contains(0));
}

#[test]
fn a_delivery_lost_on_the_link_waits_unacknowledged_until_the_consumer_timeout_redelivers_it() {
    let (mut stage, mut broker) = given(
        "at_least_once",
        r#", "link": {"loss_percent": 99}"#,
        r#", "consumer_timeout": "50ms""#,
    );
    broker.produce(&mut stage.ctx(), 0, None, None);
    assert_eq!(count(&stage, |r| matches!(r, BrokerRecord::LinkLost { .. })), 1);
    run_to(&mut stage, &mut broker, at_ms(49));
    assert_eq!(broker.queues[0].unacked.len(), 1, "the broker still waits for its ack");
    run_to(&mut stage, &mut broker, at_ms(50));
    assert_eq!(
        count(&stage, |r| matches!(r, BrokerRecord::ChannelClosed { message: 0, .. })),
        1
    );
    assert_eq!(broker.queues[0].channels_closed, 1);
    // Requeued and delivered again at once (the link may lose that one too: no loss is final).
    assert!(stage
        .records()
        .iter()
        .any(|r| matches!(r, BrokerRecord::Delivered { delivery: 2, .. })));
    assert_eq!(broker.lost_total, 0);
}

#[test]
fn a_doubled_delivery_is_processed_twice_at_least_once_and_once_by_the_others() {
    // At-most-once drops the copy (it took the delivery as done on receipt); the idempotent
    // consumer's store catches it; at-least-once processes it again.
    for (guarantee, handled, deduplicated) in [("at_most_once", 1, 0), ("at_least_once", 2, 0), ("idempotent", 1, 1)] {
        let (mut stage, mut broker) = given(guarantee, r#", "link": {"duplicate_percent": 100}"#, "");
        broker.produce(&mut stage.ctx(), 0, None, None);
        run_to(&mut stage, &mut broker, at_ms(200));
        assert!(count(&stage, |r| matches!(r, BrokerRecord::LinkDoubled { .. })) >= 1);
        assert_eq!(count(&stage, handled_ok), handled, "{guarantee}");
        assert_eq!(
            count(&stage, |r| matches!(r, BrokerRecord::Deduplicated { .. })),
            deduplicated,
            "{guarantee}"
        );
        // The second ack finds nothing to settle; the broker forgot the message once.
        let acks = usize::from(guarantee != "at_most_once");
        assert!(count(&stage, |r| matches!(r, BrokerRecord::SettlementLost { .. })) >= acks);
        assert!(broker.messages.is_empty(), "{guarantee}");
        assert_eq!(broker.message_accounting().0, broker.message_accounting().1);
    }
}

#[test]
fn a_reorder_window_lets_later_deliveries_overtake_and_says_so() {
    let section = |window: &str| format!(r#", "prefetch": 100, "link": {{"reorder_window": "{window}"}}"#);
    let mut overtaken = Vec::new();
    for window in ["0us", "20ms"] {
        let (mut stage, mut broker) = given("at_least_once", &section(window), "");
        for _ in 0..50 {
            broker.produce(&mut stage.ctx(), 0, None, None);
        }
        run_to(&mut stage, &mut broker, at_ms(2_000));
        assert_eq!(count(&stage, handled_ok), 50);
        overtaken.push(broker.consumers[0].reordered);
    }
    assert_eq!(overtaken[0], 0, "a perfect link keeps the order");
    assert!(overtaken[1] > 0, "messages sent at once overtake within 20 ms");
}

#[test]
fn links_are_for_queue_consumers_guarantees_for_every_consumer_and_percentages_are_bounded() {
    let scenario = |consumer: &str| {
        format!(
            r#"{{"version": 1, "name": "x", "broker": {{"topics": [{{"id": "t", "partitions": 1}}],
            "groups": [{{"id": "g", "topic": "t"}}], "queues": [{{"id": "q"}}],
            "consumers": [{consumer}]}}}}"#
        )
    };
    let member = r#"{"id": "m", "group": "g", "processing_time": {"constant": "1ms"}, "link": {"loss_percent": 5}}"#;
    let error = eda_sim::Scenario::from_json(&scenario(member)).unwrap_err().to_string();
    assert!(error.contains("broker.consumers[0].link"), "{error}");
    let member = r#"{"id": "m", "group": "g", "processing_time": {"constant": "1ms"}, "guarantee": "at_most_once"}"#;
    assert!(
        eda_sim::Scenario::from_json(&scenario(member)).is_ok(),
        "members choose a guarantee too"
    );
    let lossy = r#"{"id": "c", "queue": "q", "processing_time": {"constant": "1ms"}, "link": {"loss_percent": 101}}"#;
    let error = eda_sim::Scenario::from_json(&scenario(lossy)).unwrap_err().to_string();
    assert!(error.contains("broker.consumers[0].link.loss_percent"), "{error}");
    let window = r#"{"id": "c", "queue": "q", "processing_time": {"constant": "1ms"}, "dedupe_window": 5}"#;
    let error = eda_sim::Scenario::from_json(&scenario(window)).unwrap_err().to_string();
    assert!(error.contains("idempotent consumers only"), "{error}");
}

// ----- consumer-group members -------------------------------------------------------------------

/// Given: one topic of one partition read from the earliest offset by a group with automatic
/// commit every 5 s, and one member with this guarantee: 2 ms network, 10 ms of processing.
fn given_member(guarantee: &str) -> (Stage, BrokerWorld) {
    let section = format!(
        r#"{{
        "network_delay": {{"constant": "2ms"}},
        "topics": [{{"id": "t", "partitions": 1}}],
        "groups": [{{"id": "g", "topic": "t", "auto_offset_reset": "earliest"}}],
        "producers": [{{"id": "p", "topic": "t"}}],
        "consumers": [{{"id": "m", "group": "g", "processing_time": {{"constant": "10ms"}},
                        "guarantee": "{guarantee}"}}]}}"#
    );
    staged(&section)
}

/// When the member crashes `at` and restarts at once, after one record was produced at 0.
fn member_crashes_at(stage: &mut Stage, broker: &mut BrokerWorld, at: SimTime) {
    broker.produce(&mut stage.ctx(), 0, None, None);
    run_to(stage, broker, at);
    broker.set_down(&mut stage.ctx(), EntityKind::Consumer, 0, true);
    broker.set_down(&mut stage.ctx(), EntityKind::Consumer, 0, false);
    run_to(stage, broker, at_ms(1_000));
}

fn processed(stage: &Stage) -> usize {
    count(stage, |r| matches!(r, BrokerRecord::Processed { .. }))
}

#[test]
fn an_at_most_once_member_commits_on_fetch_so_a_crash_before_processing_loses_the_record() {
    let (mut stage, mut broker) = given_member("at_most_once");
    member_crashes_at(&mut stage, &mut broker, at_ms(5)); // fetched at 2 ms, busy until 12 ms
    assert!(stage
        .records()
        .iter()
        .any(|r| matches!(r, BrokerRecord::Committed { offset: 1, .. })));
    assert_eq!(processed(&stage), 0, "nobody reads it again");
    assert!(stage.records().iter().any(|r| matches!(
        r,
        BrokerRecord::Lost {
            reason: LossReason::ConsumerDown,
            ..
        }
    )));
    assert_eq!((broker.groups[0].lost, broker.consumers[0].lost), (1, 1));
}

#[test]
fn an_at_least_once_member_reads_again_what_it_processed_but_had_not_committed() {
    let (mut stage, mut broker) = given_member("at_least_once");
    member_crashes_at(&mut stage, &mut broker, at_ms(13)); // processed at 12 ms, not committed
    assert_eq!(processed(&stage), 2);
    assert_eq!(broker.consumers[0].duplicates, 1);
    assert_eq!(broker.lost_total, 0);
}

#[test]
fn an_idempotent_member_skips_the_record_its_group_has_processed() {
    let (mut stage, mut broker) = given_member("idempotent");
    member_crashes_at(&mut stage, &mut broker, at_ms(13));
    assert_eq!(processed(&stage), 1);
    assert_eq!(count(&stage, |r| matches!(r, BrokerRecord::Deduplicated { .. })), 1);
    assert_eq!(
        (broker.consumers[0].deduplicated, broker.consumers[0].duplicates),
        (1, 0)
    );
    // Its position moved past the record all the same.
    assert_eq!(broker.consumers[0].positions.get(&0), Some(&1));
}
