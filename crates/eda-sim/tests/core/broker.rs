//! The message broker: RabbitMQ-like queues and exchanges, Kafka-like topics and groups.

use eda_sim::patterns::broker::{assign, partition_for_key, topic_matches, Assignor, BrokerRecord, DropReason};
use eda_sim::{Scenario, Sim, SimTime, TraceKind};

fn load(json: &str) -> Scenario {
    Scenario::from_json(json).unwrap_or_else(|e| panic!("{e}"))
}

fn run(json: &str, until_ms: u64) -> Sim {
    let mut sim = Sim::new(&load(json)).unwrap();
    sim.run_until(SimTime(until_ms * 1_000)).unwrap();
    sim
}

fn broker_records(sim: &Sim) -> Vec<(SimTime, &BrokerRecord)> {
    sim.trace()
        .records()
        .iter()
        .filter_map(|r| match &r.kind {
            TraceKind::Broker(b) => Some((r.time, b)),
            _ => None,
        })
        .collect()
}

fn counter(sim: &Sim, entity: &str, name: &str) -> f64 {
    sim.report()
        .entity(entity)
        .and_then(|e| e.number(name))
        .unwrap_or_else(|| panic!("no {name} for {entity}"))
}

#[test]
fn topic_patterns_match_exactly_as_rabbitmq_defines_them() {
    assert!(topic_matches("a.*.c", "a.b.c"));
    assert!(!topic_matches("a.*.c", "a.b.b.c"), "* is exactly one word");
    assert!(!topic_matches("a.*.c", "a.c"));
    assert!(topic_matches("a.#", "a"), "# may be zero words");
    assert!(topic_matches("a.#", "a.b.c"));
    assert!(topic_matches("a.#.c", "a.c"));
    assert!(topic_matches("a.#.c", "a.x.y.c"));
    assert!(!topic_matches("a.#.c", "a.x.y"));
    assert!(topic_matches("#", "anything.at.all"));
    assert!(topic_matches("#", ""));
    assert!(!topic_matches("*", ""));
    assert!(topic_matches("order.*", "order.paid"));
    assert!(!topic_matches("order.paid", "order.paid.late"));
}

/// RabbitMQ's rule, written as directly as it reads (backtracking over `#`): the reference the
/// matcher is compared with on small inputs, where exponential time does not matter.
fn topic_matches_by_backtracking(pattern: &[&str], key: &[&str]) -> bool {
    match pattern.split_first() {
        None => key.is_empty(),
        Some((&"#", rest)) => (0..=key.len()).any(|skip| topic_matches_by_backtracking(rest, &key[skip..])),
        Some((&word, rest)) => match key.split_first() {
            Some((&first, key_rest)) => (word == "*" || word == first) && topic_matches_by_backtracking(rest, key_rest),
            None => false,
        },
    }
}

/// Every sequence of up to `max_len` words drawn from `alphabet`.
fn word_sequences<'a>(alphabet: &[&'a str], max_len: usize) -> Vec<Vec<&'a str>> {
    let mut all = vec![vec![]];
    let mut last = vec![vec![]];
    for _ in 0..max_len {
        let next: Vec<Vec<&str>> = last
            .iter()
            .flat_map(|seq: &Vec<&'a str>| {
                alphabet.iter().map(move |w| {
                    let mut longer = seq.clone();
                    longer.push(w);
                    longer
                })
            })
            .collect();
        all.extend(next.iter().cloned());
        last = next;
    }
    all
}

#[test]
fn topic_matching_agrees_with_the_rule_on_every_small_pattern_and_key() {
    // Empty words are ordinary words, as in RabbitMQ ("a..b" has three words, the middle one empty).
    let patterns = word_sequences(&["a", "", "*", "#"], 5);
    let keys = word_sequences(&["a", "b", ""], 4);
    let mut compared = 0;
    for pattern in &patterns {
        for key in &keys {
            // "" is the key with no words; a one-word key of the empty word cannot be written.
            if key.len() == 1 && key[0].is_empty() || pattern.len() == 1 && pattern[0].is_empty() {
                continue;
            }
            let expected = topic_matches_by_backtracking(pattern, key);
            assert_eq!(
                topic_matches(&pattern.join("."), &key.join(".")),
                expected,
                "pattern {pattern:?} against key {key:?}"
            );
            compared += 1;
        }
    }
    assert!(compared > 100_000, "{compared}");
}

#[test]
fn topic_patterns_with_many_hashes_route_without_backtracking() {
    // Backtracking takes exponential time here: fifteen `#` words ending in a word the key does
    // not end with, against a 31-word key, would take about an hour.
    let pattern = format!("{}.z", ["#"; 15].join("."));
    let key = ["w"; 31].join(".");
    assert!(!topic_matches(&pattern, &key));
    assert!(topic_matches(&pattern, &format!("{key}.z")));
    let eight = format!("{}.#", ["#.w"; 8].join("."));
    assert!(topic_matches(&eight, &["w"; 24].join(".")));
}

#[test]
fn binding_keys_with_empty_words_are_accepted_and_route_as_rabbitmq_does() {
    let sim = run(
        r#"{"version": 1, "broker": {
            "exchanges": [{"id": "x", "type": "topic", "bindings": [
              {"queue": "leading", "key": ".#"}, {"queue": "middle", "key": "*.*.a.b.c"}, {"queue": "gap", "key": "a..b"}]}],
            "queues": [{"id": "leading"}, {"id": "middle"}, {"id": "gap"}],
            "producers": [{"id": "p", "exchange": "x"}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "p", "key": ".x"}}},
                    {"at": "0s", "do": {"produce": {"producer": "p", "key": "a..b"}}},
                    {"at": "0s", "do": {"produce": {"producer": "p", "key": ".q.a.b.c"}}},
                    {"at": "0s", "do": {"produce": {"producer": "p", "key": "a.b"}}}]}"#,
        10,
    );
    assert_eq!(
        counter(&sim, "leading", "ready"),
        2.0,
        ".x and .q.a.b.c start with an empty word"
    );
    assert_eq!(counter(&sim, "middle", "ready"), 1.0, ".q.a.b.c: two words, then a.b.c");
    assert_eq!(
        counter(&sim, "gap", "ready"),
        1.0,
        "only a..b has the empty middle word"
    );
    assert_eq!(counter(&sim, "x", "unroutable"), 1.0, "a.b matches no binding");
}

#[test]
fn a_key_lands_in_the_partition_kafka_would_pick() {
    // murmur2("foobar") = -790332482 in Kafka; made positive: 1357151166; mod 3 = 0; mod 7 = 5.
    assert_eq!(partition_for_key("foobar", 3), 1_357_151_166 % 3);
    assert_eq!(partition_for_key("foobar", 7), 1_357_151_166 % 7);
    // murmur2("21") = -973932308 → 1173551340.
    assert_eq!(partition_for_key("21", 10), 1_173_551_340 % 10);
    // And the broker uses it for produced records.
    let sim = run(
        r#"{"version": 1, "broker": {
            "topics": [{"id": "t", "partitions": 7}],
            "producers": [{"id": "p", "topic": "t", "keys": ["foobar"]}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "p"}}}]}"#,
        10,
    );
    let partitions: Vec<u32> = broker_records(&sim)
        .iter()
        .filter_map(|(_, r)| match r {
            BrokerRecord::Produced { partition, .. } => Some(*partition),
            _ => None,
        })
        .collect();
    assert_eq!(partitions, [1_357_151_166 % 7]);
}

#[test]
fn records_without_a_key_go_round_robin_and_keep_order_within_a_partition() {
    let sim = run(
        r#"{"version": 1, "broker": {
            "topics": [{"id": "t", "partitions": 3}],
            "producers": [{"id": "p", "topic": "t", "emits": {"every": {"constant": "1ms"}, "count": 7}}]}}"#,
        100,
    );
    let placed: Vec<(u32, u64)> = broker_records(&sim)
        .iter()
        .filter_map(|(_, r)| match r {
            BrokerRecord::Produced { partition, offset, .. } => Some((*partition, *offset)),
            _ => None,
        })
        .collect();
    assert_eq!(placed, [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1), (0, 2)]);
}

#[test]
fn assignors_divide_partitions_as_kafka_documents() {
    // Range: 3 partitions, 2 consumers → 2 + 1.
    assert_eq!(assign(Assignor::Range, 3, &[0, 1], &[]), [Some(0), Some(0), Some(1)]);
    // Round-robin deals them in turn.
    assert_eq!(
        assign(Assignor::RoundRobin, 3, &[0, 1], &[]),
        [Some(0), Some(1), Some(0)]
    );
    // Cooperative-sticky: when member 2 leaves, members 0 and 1 keep all they had.
    let before = assign(Assignor::CooperativeSticky, 6, &[0, 1, 2], &[None; 6]);
    let after = assign(Assignor::CooperativeSticky, 6, &[0, 1], &before);
    for (p, (b, a)) in before.iter().zip(&after).enumerate() {
        if *b != Some(2) {
            assert_eq!(a, b, "partition {p} moved although its owner stayed");
        }
    }
    assert_eq!(after.iter().filter(|o| **o == Some(0)).count(), 3);
    assert_eq!(after.iter().filter(|o| **o == Some(1)).count(), 3);
    // and when a member joins, only the partitions it takes move.
    let joined = assign(Assignor::CooperativeSticky, 6, &[0, 1, 2], &after);
    let moved = after.iter().zip(&joined).filter(|(a, j)| a != j).count();
    assert_eq!(moved, 2);
}

#[test]
fn competing_consumers_take_turns_within_their_prefetch() {
    let sim = run(
        r#"{"version": 1, "broker": {
            "queues": [{"id": "q"}],
            "producers": [{"id": "p", "queue": "q"}],
            "consumers": [{"id": "a", "queue": "q", "processing_time": {"constant": "10ms"}},
                          {"id": "b", "queue": "q", "processing_time": {"constant": "10ms"}}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "p"}}}, {"at": "0s", "do": {"produce": {"producer": "p"}}},
                    {"at": "0s", "do": {"produce": {"producer": "p"}}}, {"at": "0s", "do": {"produce": {"producer": "p"}}}]}"#,
        1_000,
    );
    let deliveries: Vec<(u64, String)> = broker_records(&sim)
        .iter()
        .filter_map(|(t, r)| match r {
            BrokerRecord::Delivered { consumer, .. } => Some((t.0, sim.entity_name(*consumer).to_string())),
            _ => None,
        })
        .collect();
    // Prefetch 1: each gets one at once; the next only after its ack comes back (1+10+1 ms).
    assert_eq!(
        deliveries,
        [
            (0, "a".into()),
            (0, "b".into()),
            (12_000, "a".into()),
            (12_000, "b".into())
        ]
    );
    assert_eq!(counter(&sim, "q", "acked"), 4.0);
}

#[test]
fn a_message_failing_every_time_is_dead_lettered_after_the_delivery_limit() {
    let sim = run(
        r#"{"version": 1, "broker": {
            "queues": [{"id": "work", "max_deliveries": 3, "dead_letter": "parking"}, {"id": "parking"}],
            "producers": [{"id": "p", "queue": "work"}],
            "consumers": [{"id": "flaky", "queue": "work", "fail_percent": 100, "processing_time": {"constant": "5ms"}}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "p"}}}]}"#,
        1_000,
    );
    let records = broker_records(&sim);
    let deliveries: Vec<u32> = records
        .iter()
        .filter_map(|(_, r)| match r {
            BrokerRecord::Delivered { delivery, .. } => Some(*delivery),
            _ => None,
        })
        .collect();
    assert_eq!(deliveries, [1, 2, 3]);
    assert_eq!(
        records
            .iter()
            .filter(|(_, r)| matches!(r, BrokerRecord::Requeued { .. }))
            .count(),
        2
    );
    assert!(records.iter().any(|(_, r)| matches!(
        r,
        BrokerRecord::DeadLettered {
            reason: DropReason::DeliveryLimit,
            ..
        }
    )));
    assert_eq!(counter(&sim, "parking", "ready"), 1.0);
    assert_eq!(counter(&sim, "work", "redelivered"), 2.0);
}

#[test]
fn a_rejected_message_without_a_dead_letter_queue_is_dropped_with_its_reason() {
    let sim = run(
        r#"{"version": 1, "broker": {
            "queues": [{"id": "q"}],
            "producers": [{"id": "p", "queue": "q"}],
            "consumers": [{"id": "strict", "queue": "q", "fail_percent": 100, "on_failure": "reject", "processing_time": {"constant": "1ms"}}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "p"}}}]}"#,
        100,
    );
    assert!(broker_records(&sim).iter().any(|(_, r)| matches!(
        r,
        BrokerRecord::Dropped {
            reason: DropReason::Rejected,
            ..
        }
    )));
    let dropped = sim.report().entity("q").unwrap().counters["dropped"].clone();
    assert_eq!(dropped["rejected"], 1);
}

#[test]
fn a_message_waiting_past_its_ttl_expires() {
    let sim = run(
        r#"{"version": 1, "broker": {
            "queues": [{"id": "q", "message_ttl": "100ms", "dead_letter": "expired"}, {"id": "expired"}],
            "producers": [{"id": "p", "queue": "q"}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "p"}}}]}"#,
        1_000,
    );
    let expiry = broker_records(&sim)
        .into_iter()
        .find(|(_, r)| {
            matches!(
                r,
                BrokerRecord::DeadLettered {
                    reason: DropReason::Expired,
                    ..
                }
            )
        })
        .unwrap();
    assert_eq!(expiry.0, SimTime(100_000));
    assert_eq!(counter(&sim, "q", "ready"), 0.0);
    assert_eq!(counter(&sim, "expired", "ready"), 1.0);
}

#[test]
fn a_full_queue_refuses_publishes_or_drops_its_oldest_as_configured() {
    let script = r#""script": [{"at": "0s", "do": {"produce": {"producer": "p"}}}, {"at": "1ms", "do": {"produce": {"producer": "p"}}},
                               {"at": "2ms", "do": {"produce": {"producer": "p"}}}]"#;
    let refuse = run(
        &format!(
            r#"{{"version": 1, "broker": {{"queues": [{{"id": "q", "capacity": 2}}], "producers": [{{"id": "p", "queue": "q"}}]}}, {script}}}"#
        ),
        10,
    );
    assert_eq!(counter(&refuse, "p", "refused"), 1.0);
    assert_eq!(counter(&refuse, "q", "ready"), 2.0);
    let drop_head = run(
        &format!(
            r#"{{"version": 1, "broker": {{"queues": [{{"id": "q", "capacity": 2, "overflow": "drop_head"}}], "producers": [{{"id": "p", "queue": "q"}}]}}, {script}}}"#
        ),
        10,
    );
    let dropped: Vec<u64> = broker_records(&drop_head)
        .iter()
        .filter_map(|(_, r)| match r {
            BrokerRecord::Dropped {
                message,
                reason: DropReason::Overflow,
                ..
            } => Some(*message),
            _ => None,
        })
        .collect();
    assert_eq!(dropped, [0], "the oldest message makes room");
    assert_eq!(counter(&drop_head, "p", "refused"), 0.0);
}

#[test]
fn exchanges_route_by_kind_and_record_what_matches_nothing() {
    let sim = run(
        r#"{"version": 1, "broker": {
            "exchanges": [
              {"id": "direct", "type": "direct", "bindings": [{"queue": "paid", "key": "order.paid"}]},
              {"id": "fan", "type": "fanout", "bindings": [{"queue": "paid"}, {"queue": "audit"}]},
              {"id": "topics", "type": "topic", "bindings": [{"queue": "audit", "key": "order.#"}, {"queue": "audit", "key": "*.paid"}]}],
            "queues": [{"id": "paid"}, {"id": "audit"}],
            "producers": [{"id": "d", "exchange": "direct"}, {"id": "f", "exchange": "fan"}, {"id": "t", "exchange": "topics"}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "d", "key": "order.paid"}}},
                    {"at": "0s", "do": {"produce": {"producer": "d", "key": "order.shipped"}}},
                    {"at": "0s", "do": {"produce": {"producer": "f"}}},
                    {"at": "0s", "do": {"produce": {"producer": "t", "key": "order.paid"}}},
                    {"at": "0s", "do": {"produce": {"producer": "t", "key": "user.created"}}}]}"#,
        10,
    );
    assert_eq!(counter(&sim, "paid", "ready"), 2.0, "direct match + fanout");
    assert_eq!(
        counter(&sim, "audit", "ready"),
        2.0,
        "fanout + one copy for two matching topic bindings"
    );
    assert_eq!(counter(&sim, "direct", "unroutable"), 1.0);
    assert_eq!(counter(&sim, "topics", "unroutable"), 1.0);
    let unroutable = broker_records(&sim)
        .iter()
        .filter(|(_, r)| {
            matches!(
                r,
                BrokerRecord::Dropped {
                    reason: DropReason::Unroutable,
                    ..
                }
            )
        })
        .count();
    assert_eq!(unroutable, 2);
}

#[test]
fn a_consumer_crash_redelivers_its_unacknowledged_messages_to_the_others() {
    let sim = run(
        r#"{"version": 1, "broker": {
            "queues": [{"id": "q"}],
            "producers": [{"id": "p", "queue": "q"}],
            "consumers": [{"id": "a", "queue": "q", "prefetch": 5, "processing_time": {"constant": "100ms"}},
                          {"id": "b", "queue": "q", "prefetch": 5, "processing_time": {"constant": "100ms"}}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "p"}}}, {"at": "0s", "do": {"produce": {"producer": "p"}}},
                    {"at": "50ms", "do": {"crash": {"entity": "a"}}}]}"#,
        1_000,
    );
    let redelivered: Vec<(u64, u32)> = broker_records(&sim)
        .iter()
        .filter_map(|(_, r)| match r {
            BrokerRecord::Delivered {
                message,
                delivery,
                consumer,
                ..
            } if sim.entity_name(*consumer) == "b" => Some((*message, *delivery)),
            _ => None,
        })
        .collect();
    assert_eq!(redelivered, [(1, 1), (0, 2)], "b gets a's message as a redelivery");
    assert_eq!(counter(&sim, "q", "acked"), 2.0);
    assert_eq!(
        counter(&sim, "b", "duplicates"),
        0.0,
        "a never finished it: no duplicate"
    );
}

#[test]
fn a_broker_crash_loses_an_ack_in_flight_and_the_message_is_processed_twice() {
    // The consumer finishes at 6 ms; its ack needs 10 ms to reach the broker, which crashes at 10 ms.
    let sim = run(
        r#"{"version": 1, "broker": {
            "network_delay": {"constant": "10ms"},
            "queues": [{"id": "q"}],
            "producers": [{"id": "p", "queue": "q"}],
            "consumers": [{"id": "c", "queue": "q", "processing_time": {"constant": "5ms"}}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "p"}}},
                    {"at": "20ms", "do": {"crash": {"entity": "broker"}}},
                    {"at": "100ms", "do": {"produce": {"producer": "p"}}},
                    {"at": "200ms", "do": {"restart": {"entity": "broker"}}}]}"#,
        1_000,
    );
    let records = broker_records(&sim);
    assert!(records
        .iter()
        .any(|(t, r)| matches!(r, BrokerRecord::SettlementLost { .. }) && t.0 == 25_000));
    assert!(records.iter().any(|(_, r)| matches!(
        r,
        BrokerRecord::Refused {
            reason: DropReason::BrokerDown,
            ..
        }
    )));
    let handled: Vec<(u64, bool)> = records
        .iter()
        .filter_map(|(_, r)| match r {
            BrokerRecord::Handled { message, duplicate, .. } => Some((*message, *duplicate)),
            _ => None,
        })
        .collect();
    assert_eq!(
        handled,
        [(0, false), (0, true)],
        "at-least-once: the redelivered message is a duplicate"
    );
    assert_eq!(counter(&sim, "c", "duplicates"), 1.0);
    assert_eq!(counter(&sim, "q", "acked"), 1.0);
}

const ORDER_TOPIC: &str = r#"{"version": 1, "seed": 5, "broker": {
    "topics": [{"id": "order-topic", "partitions": 3}],
    "groups": [{"id": "order-system-group", "topic": "order-topic", "auto_offset_reset": "earliest", "assignor": "range",
                "commit": {"auto": {"interval": "1s"}}, "session_timeout": "2s"}],
    "producers": [{"id": "orders", "topic": "order-topic", "keys": ["order-1", "order-2", "order-3", "order-4"],
                   "payloads": [{"new_status": 0}, {"new_status": 1}, {"new_status": 2}],
                   "emits": {"every": {"constant": "100ms"}, "count": 60}}],
    "consumers": [{"id": "sms-a", "group": "order-system-group", "processing_time": {"constant": "20ms"}, "notify_when": {"new_status": 1}},
                  {"id": "sms-b", "group": "order-system-group", "processing_time": {"constant": "20ms"}, "notify_when": {"new_status": 1}}]
  }"#;

#[test]
fn the_seed_example_consumes_every_order_once_and_notifies_on_paid() {
    let sim = run(&format!("{ORDER_TOPIC}}}"), 20_000);
    assert_eq!(counter(&sim, "order-topic", "records"), 60.0);
    assert_eq!(
        counter(&sim, "sms-a", "handled") + counter(&sim, "sms-b", "handled"),
        60.0
    );
    assert_eq!(
        counter(&sim, "sms-a", "notified") + counter(&sim, "sms-b", "notified"),
        20.0
    );
    assert_eq!(
        counter(&sim, "order-system-group", "lag_total"),
        0.0,
        "auto-commit caught up"
    );
    // Range over 3 partitions and 2 members: 2 + 1.
    let owners = sim.report().entity("order-system-group").unwrap().counters["owners"].clone();
    assert_eq!(owners, serde_json::json!({"0": "sms-a", "1": "sms-a", "2": "sms-b"}));
}

#[test]
fn a_crashed_member_stalls_its_partitions_until_its_session_times_out_then_others_reprocess() {
    let json = format!(r#"{ORDER_TOPIC}, "script": [{{"at": "2500ms", "do": {{"crash": {{"entity": "sms-a"}}}}}}]}}"#);
    let mut sim = Sim::new(&load(&json)).unwrap();
    sim.run_until(SimTime(4_000_000)).unwrap();
    // Before the session timeout (2.5 s + 2 s) sms-a's partitions are not read: lag grows.
    assert!(counter(&sim, "order-system-group", "lag_total") > 5.0);
    sim.run_until(SimTime(20_000_000)).unwrap();
    let records = broker_records(&sim);
    let rebalance = records
        .iter()
        .find(|(t, r)| matches!(r, BrokerRecord::Rebalanced { .. }) && t.0 > 0)
        .unwrap();
    assert_eq!(rebalance.0, SimTime(4_500_000));
    // sms-b takes over from the last commit (auto, every second): uncommitted work is redone.
    assert!(counter(&sim, "sms-b", "duplicates") >= 1.0);
    assert_eq!(counter(&sim, "order-system-group", "lag_total"), 0.0);
    let owners = sim.report().entity("order-system-group").unwrap().counters["owners"].clone();
    assert_eq!(owners, serde_json::json!({"0": "sms-b", "1": "sms-b", "2": "sms-b"}));
}

#[test]
fn latest_skips_what_was_produced_before_the_group_started_reading() {
    let json = r#"{"version": 1, "broker": {
        "topics": [{"id": "t", "partitions": 1}],
        "groups": [{"id": "g", "topic": "t", "auto_offset_reset": "RESET"}],
        "producers": [{"id": "p", "topic": "t"}],
        "consumers": [{"id": "c", "group": "g", "processing_time": {"constant": "1ms"}, "join_at": "1s"}]},
      "script": [{"at": "0s", "do": {"produce": {"producer": "p"}}}, {"at": "0s", "do": {"produce": {"producer": "p"}}},
                 {"at": "2s", "do": {"produce": {"producer": "p"}}}]}"#;
    let latest = run(&json.replace("RESET", "latest"), 5_000);
    assert_eq!(counter(&latest, "c", "handled"), 1.0);
    let earliest = run(&json.replace("RESET", "earliest"), 5_000);
    assert_eq!(counter(&earliest, "c", "handled"), 3.0);
}

#[test]
fn manual_commits_leave_no_gap_for_a_successor_to_redo() {
    let json = format!(r#"{ORDER_TOPIC}, "script": [{{"at": "2500ms", "do": {{"crash": {{"entity": "sms-a"}}}}}}]}}"#)
        .replace(r#"{"auto": {"interval": "1s"}}"#, r#""manual""#);
    let sim = run(&json, 20_000);
    assert_eq!(counter(&sim, "sms-b", "duplicates"), 0.0);
    assert_eq!(
        counter(&sim, "sms-a", "handled") + counter(&sim, "sms-b", "handled"),
        60.0
    );
}

#[test]
fn every_message_is_in_exactly_one_place_at_every_step_even_with_crashes() {
    let json = r#"{"version": 1, "seed": 21, "broker": {
        "queues": [{"id": "work", "capacity": 20, "overflow": "drop_head", "max_deliveries": 2, "dead_letter": "dlq", "message_ttl": "3s"},
                   {"id": "dlq", "capacity": 5}],
        "exchanges": [{"id": "x", "type": "topic", "bindings": [{"queue": "work", "key": "job.*"}]}],
        "topics": [{"id": "t", "partitions": 2}],
        "groups": [{"id": "g", "topic": "t"}],
        "producers": [{"id": "jobs", "exchange": "x", "keys": ["job.a", "job.b", "other"], "emits": {"every": {"exponential": {"mean": "20ms"}}}},
                      {"id": "events", "topic": "t", "emits": {"every": {"exponential": {"mean": "30ms"}}}}],
        "consumers": [{"id": "w1", "queue": "work", "prefetch": 3, "fail_percent": 30, "processing_time": {"exponential": {"mean": "40ms"}}},
                      {"id": "w2", "queue": "work", "prefetch": 2, "fail_percent": 10, "on_failure": "reject", "processing_time": {"exponential": {"mean": "30ms"}}},
                      {"id": "m1", "group": "g", "processing_time": {"constant": "10ms"}}]},
      "script": [{"at": "1s", "do": {"crash": {"entity": "w1"}}}, {"at": "2s", "do": {"crash": {"entity": "broker"}}},
                 {"at": "2500ms", "do": {"restart": {"entity": "broker"}}}, {"at": "3s", "do": {"restart": {"entity": "w1"}}}]}"#;
    let mut sim = Sim::new(&load(json)).unwrap();
    let mut steps = 0;
    while sim.now() < SimTime(6_000_000) {
        sim.step().unwrap();
        let (created, accounted) = sim.broker().message_accounting();
        assert_eq!(created, accounted, "at {}", sim.now());
        steps += 1;
    }
    assert!(steps > 1_000);
    assert!(counter(&sim, "work", "dead_lettered") > 0.0);
}

#[test]
fn broker_settings_are_validated_at_their_paths() {
    let error = Scenario::from_json(
        r#"{"version": 1, "broker": {
            "queues": [{"id": "q", "capacity": 0, "dead_letter": "q"}],
            "topics": [{"id": "t", "partitions": 0}],
            "groups": [{"id": "g", "topic": "q"}],
            "producers": [{"id": "p", "queue": "q", "topic": "t"}],
            "consumers": [{"id": "c", "processing_time": {"constant": "1ms"}, "prefetch": 0}]}}"#,
    )
    .unwrap_err();
    let paths: Vec<String> = error.problems().into_iter().map(|p| p.path).collect();
    for expected in [
        "broker.queues[0].capacity",
        "broker.queues[0].dead_letter",
        "broker.topics[0].partitions",
        "broker.groups[0].topic",
        "broker.producers[0]",
        "broker.consumers[0]",
        "broker.consumers[0].prefetch",
    ] {
        assert!(paths.iter().any(|p| p == expected), "missing {expected} in {paths:?}");
    }
}

#[test]
fn a_message_that_comes_back_after_its_ttl_expires_instead_of_waiting_again() {
    // TTL 100 ms; the consumer takes 300 ms and fails: the requeue comes after the expiry.
    let sim = run(
        r#"{"version": 1, "broker": {
            "queues": [{"id": "q", "message_ttl": "100ms"}],
            "producers": [{"id": "p", "queue": "q"}],
            "consumers": [{"id": "slow", "queue": "q", "fail_percent": 100, "processing_time": {"constant": "300ms"}}]},
         "script": [{"at": "0s", "do": {"produce": {"producer": "p"}}}]}"#,
        5_000,
    );
    let records = broker_records(&sim);
    let expired = records
        .iter()
        .find(|(_, r)| {
            matches!(
                r,
                BrokerRecord::Dropped {
                    reason: DropReason::Expired,
                    ..
                }
            )
        })
        .unwrap();
    assert_eq!(
        expired.0,
        SimTime(302_000),
        "expired when it came back, not redelivered"
    );
    assert_eq!(
        records
            .iter()
            .filter(|(_, r)| matches!(r, BrokerRecord::Delivered { .. }))
            .count(),
        1
    );
    assert_eq!(
        counter(&sim, "slow", "duplicates"),
        0.0,
        "a failed attempt is no duplicate"
    );
}

#[test]
fn dead_letter_cycles_and_zero_ttls_are_refused_because_they_would_loop_forever() {
    let error = Scenario::from_json(
        r#"{"version": 1, "broker": {"queues": [
            {"id": "a", "dead_letter": "b", "message_ttl": "0ms"}, {"id": "b", "dead_letter": "a"}]}}"#,
    )
    .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("broker.queues[0].dead_letter: dead-letter queues form a cycle: a → b → a"),
        "{text}"
    );
    assert!(text.contains("broker.queues[0].message_ttl: a TTL of zero"), "{text}");
}

#[test]
fn a_quiet_group_lets_a_run_end_by_itself() {
    let mut sim = Sim::new(&load(&format!("{ORDER_TOPIC}}}"))).unwrap();
    let progress = sim.run_to_end(10_000_000).unwrap();
    assert!(
        progress.reached,
        "nothing left to happen once everything is processed and committed"
    );
    assert_eq!(counter(&sim, "order-system-group", "lag_total"), 0.0);
}

#[test]
fn crashing_what_is_already_down_changes_nothing() {
    let once = run(
        r#"{"version": 1, "broker": {"queues": [{"id": "q"}]},
         "script": [{"at": "1s", "do": {"crash": {"entity": "broker"}}}]}"#,
        2_000,
    );
    let twice = run(
        r#"{"version": 1, "broker": {"queues": [{"id": "q"}]},
         "script": [{"at": "1s", "do": {"crash": {"entity": "broker"}}}, {"at": "1s", "do": {"crash": {"entity": "broker"}}}]}"#,
        2_000,
    );
    assert_eq!(once.trace_hash(), twice.trace_hash());
}
