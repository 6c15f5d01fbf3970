//! Kafka's producer guarantees, one situation each (given / when / then): acks leader or all
//! through a leader failover, a retry after an acknowledgement that comes too late, the
//! idempotent producer's broker discarding the copy, fire-and-forget over a lossy link, and
//! retries running out.

use crate::support::{at_ms, count, number, when};
use eda_sim::patterns::broker::BrokerRecord;
use eda_sim::{Command, Scenario, Sim};

/// Given: a topic of one partition (with `replicas` and a replication delay of 50 ms) read by
/// one group member, and a producer with these extra fields (JSON members), on a 2 ms network.
fn given(replicas: u32, producer_extra: &str) -> Sim {
    let json = format!(
        r#"{{"version": 1, "seed": 3, "broker": {{
        "network_delay": {{"constant": "2ms"}},
        "topics": [{{"id": "t", "partitions": 1, "replicas": {replicas},
                     "replication_delay": {{"constant": "50ms"}}}}],
        "groups": [{{"id": "g", "topic": "t", "commit": "manual", "auto_offset_reset": "earliest"}}],
        "producers": [{{"id": "p", "topic": "t"{producer_extra}}}],
        "consumers": [{{"id": "c", "group": "g", "processing_time": {{"constant": "1ms"}}}}]}}}}"#
    );
    let scenario = Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    Sim::new(&scenario).unwrap()
}

fn produce() -> Command {
    Command::Produce {
        producer: "p".into(),
        key: None,
        payload: None,
    }
}

fn processed(sim: &Sim) -> usize {
    count(sim, |r| matches!(r, BrokerRecord::Processed { .. }))
}

#[test]
fn consumers_read_a_replicated_record_only_once_every_follower_has_it() {
    let mut sim = given(3, "");
    when(&mut sim, produce());
    sim.run_until(at_ms(40)).unwrap();
    assert_eq!(processed(&sim), 0, "the followers copy it at 52 ms");
    assert_eq!(number(&sim, "p", "confirmed"), 0.0, "acks all waits for them too");
    sim.run_until(at_ms(100)).unwrap();
    assert_eq!(processed(&sim), 1);
    assert_eq!(number(&sim, "p", "confirmed"), 1.0);
}

#[test]
fn acks_leader_loses_an_acknowledged_record_when_the_leader_fails_before_its_followers_copied_it() {
    let mut sim = given(3, r#", "acks": "leader""#);
    when(&mut sim, produce());
    sim.run_until(at_ms(10)).unwrap();
    assert_eq!(number(&sim, "p", "confirmed"), 1.0, "told as soon as the leader has it");
    when(&mut sim, Command::FailOver { topic: "t".into() });
    sim.run_until(at_ms(2_000)).unwrap();
    assert_eq!(
        count(&sim, |r| matches!(
            r,
            BrokerRecord::Truncated { acknowledged: true, .. }
        )),
        1
    );
    assert_eq!(number(&sim, "p", "lost"), 1.0);
    assert_eq!(number(&sim, "broker", "lost"), 1.0);
    assert_eq!(processed(&sim), 0, "acknowledged, never processed: a loss");
}

#[test]
fn acks_all_with_retries_survives_the_same_failover() {
    let mut sim = given(3, r#", "retries": 2, "request_timeout": "200ms""#);
    when(&mut sim, produce());
    sim.run_until(at_ms(10)).unwrap();
    assert_eq!(number(&sim, "p", "confirmed"), 0.0);
    when(&mut sim, Command::FailOver { topic: "t".into() });
    sim.run_until(at_ms(2_000)).unwrap();
    assert_eq!(
        count(&sim, |r| matches!(
            r,
            BrokerRecord::Truncated {
                acknowledged: false,
                ..
            }
        )),
        1
    );
    assert_eq!(
        count(&sim, |r| matches!(r, BrokerRecord::Retried { attempt: 2, .. })),
        1
    );
    assert_eq!(number(&sim, "p", "confirmed"), 1.0);
    assert_eq!(number(&sim, "p", "lost"), 0.0);
    assert_eq!(processed(&sim), 1, "the retry wrote it to the new leader");
}

/// The link adds 10 ms each way, so the acknowledgement comes at 24 ms, after the producer's
/// 15 ms request timeout: it sends the record again.
const SLOW_LINK: &str = r#", "retries": 1, "request_timeout": "15ms", "link": {"delay": {"constant": "10ms"}}"#;

#[test]
fn a_retry_after_a_late_acknowledgement_writes_the_record_twice() {
    let mut sim = given(1, SLOW_LINK);
    when(&mut sim, produce());
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(count(&sim, |r| matches!(r, BrokerRecord::Produced { .. })), 2);
    assert_eq!(processed(&sim), 2);
    assert_eq!(
        count(&sim, |r| matches!(r, BrokerRecord::Processed { duplicate: true, .. })),
        1,
        "the copy at offset 1 is the same record: a duplicate"
    );
    assert_eq!(number(&sim, "c", "duplicates"), 1.0);
    assert_eq!(
        number(&sim, "p", "confirmed"),
        1.0,
        "the second acknowledgement changes nothing"
    );
}

#[test]
fn the_idempotent_producers_broker_discards_the_retried_copy_and_acknowledges_it() {
    let mut sim = given(1, &format!(r#"{SLOW_LINK}, "idempotent": true"#));
    when(&mut sim, produce());
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(count(&sim, |r| matches!(r, BrokerRecord::Produced { .. })), 1);
    assert_eq!(count(&sim, |r| matches!(r, BrokerRecord::DuplicateDiscarded { .. })), 1);
    assert_eq!(processed(&sim), 1);
    assert_eq!(number(&sim, "c", "duplicates"), 0.0);
    assert_eq!(number(&sim, "p", "confirmed"), 1.0);
    assert_eq!(number(&sim, "p", "duplicates_discarded"), 1.0);
}

#[test]
fn retries_that_run_out_report_the_record_as_not_sent() {
    // 100 ms each way: the first acknowledgement comes at 204 ms, after three sendings (at 0,
    // 15 and 30 ms) have each waited 15 ms in vain; it gives up at 45 ms.
    let slower = r#", "retries": 2, "request_timeout": "15ms", "link": {"delay": {"constant": "100ms"}}"#;
    let mut sim = given(1, slower);
    when(&mut sim, produce());
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(count(&sim, |r| matches!(r, BrokerRecord::Retried { .. })), 2);
    assert_eq!(count(&sim, |r| matches!(r, BrokerRecord::GaveUp { .. })), 1);
    assert_eq!(number(&sim, "p", "gave_up"), 1.0);
    assert_eq!(
        number(&sim, "p", "confirmed"),
        0.0,
        "a late acknowledgement does not undo giving up"
    );
    assert_eq!(number(&sim, "p", "unconfirmed"), 0.0);
}

#[test]
fn acks_none_sends_and_forgets_even_what_the_link_loses() {
    let mut sim = given(1, r#", "acks": "none", "link": {"loss_percent": 50}"#);
    for _ in 0..40 {
        when(&mut sim, produce());
    }
    sim.run_until(at_ms(500)).unwrap();
    let lost = count(&sim, |r| matches!(r, BrokerRecord::LinkLost { .. }));
    assert!((5..35).contains(&lost), "about half of 40: {lost}");
    assert_eq!(processed(&sim), 40 - lost);
    assert_eq!(count(&sim, |r| matches!(r, BrokerRecord::Retried { .. })), 0);
    assert_eq!(number(&sim, "p", "confirmed"), 0.0);
    assert_eq!(number(&sim, "p", "unconfirmed"), 0.0, "nothing is waited for");
    assert!(sim.broker().producers[0].in_flight.is_empty());
}

#[test]
fn settings_that_cannot_work_are_refused_with_the_reason() {
    let problems = |producer_extra: &str, replicas: u32, script: &str| {
        let json = format!(
            r#"{{"version": 1, "broker": {{
            "topics": [{{"id": "t", "partitions": 1, "replicas": {replicas}}}], "queues": [{{"id": "q"}}],
            "producers": [{{"id": "p"{producer_extra}}}]}}, "script": [{script}]}}"#
        );
        match Scenario::from_json(&json) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    };
    let idempotent = problems(r#", "topic": "t", "acks": "leader", "idempotent": true"#, 1, "");
    assert!(idempotent.contains("needs acks all"), "{idempotent}");
    let queue = problems(r#", "queue": "q", "retries": 3, "idempotent": true"#, 1, "");
    assert!(queue.contains("applies to topic producers"), "{queue}");
    assert_eq!(
        problems(r#", "queue": "q", "retries": 3"#, 1, ""),
        "",
        "publisher confirms"
    );
    let nothing_to_retry = problems(r#", "topic": "t", "acks": "none", "retries": 3"#, 1, "");
    assert!(nothing_to_retry.contains("nothing to retry"), "{nothing_to_retry}");
    let failover = problems(
        r#", "topic": "t""#,
        1,
        r#"{"at": "1s", "do": {"fail_over": {"topic": "t"}}}"#,
    );
    assert!(failover.contains("no followers"), "{failover}");
    assert!(problems(r#", "topic": "t""#, 9, "").contains("between 1 and 7"));
    assert_eq!(
        problems(r#", "topic": "t", "retries": 3, "idempotent": true"#, 3, ""),
        ""
    );
}

#[test]
fn without_retries_a_record_not_acknowledged_in_time_is_given_up_not_kept_for_ever() {
    let slow = r#", "request_timeout": "15ms", "link": {"delay": {"constant": "100ms"}}"#;
    let mut sim = given(1, slow);
    when(&mut sim, produce());
    sim.run_until(at_ms(500)).unwrap();
    assert_eq!(count(&sim, |r| matches!(r, BrokerRecord::Retried { .. })), 0);
    assert_eq!(number(&sim, "p", "gave_up"), 1.0);
    assert!(sim.broker().producers[0].in_flight.is_empty());
    assert_eq!(
        processed(&sim),
        1,
        "written all the same: the producer just never heard"
    );
}

#[test]
fn a_producer_cut_off_from_the_broker_hears_nothing_and_retries_after_the_heal() {
    let mut sim = given(1, r#", "retries": 10, "request_timeout": "100ms""#);
    let cut = Command::Partition {
        sides: vec![vec![], vec!["p".to_string()]],
    };
    when(&mut sim, cut);
    when(&mut sim, produce());
    sim.run_until(at_ms(350)).unwrap();
    assert!(number(&sim, "p", "unreachable") >= 1.0);
    assert_eq!(processed(&sim), 0);
    when(&mut sim, Command::Heal {});
    sim.run_until(at_ms(1_000)).unwrap();
    assert_eq!(number(&sim, "p", "confirmed"), 1.0);
    assert_eq!(processed(&sim), 1);
}
