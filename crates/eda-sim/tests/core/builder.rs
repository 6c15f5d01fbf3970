//! Building scenarios by hand, as the UI's builder does: add entities of every kind from an
//! empty scenario, edit their fields, follow their links, remove them with what needs them.

use eda_sim::view::builder::{self, add_entity, kind, kinds, links, remove_entity, set_field};
use eda_sim::{Command, Scenario, Sim, SimTime};

fn add(s: &Scenario, kind_id: &str, name: &str) -> Scenario {
    let k = kind(kind_id).expect("known kind");
    add_entity(s, k, name)
        .unwrap_or_else(|e| panic!("adding {kind_id} {name}: {e}"))
        .0
}

fn set(s: &Scenario, kind_id: &str, name: &str, key: &str, text: &str) -> Result<Scenario, String> {
    let k = kind(kind_id).expect("known kind");
    let f = k.fields.iter().find(|f| f.key == key).expect("known field");
    set_field(s, k, name, f, text)
}

fn counter(sim: &Sim, entity: &str, key: &str) -> u64 {
    let report = sim.report();
    let e = report.entity(entity).unwrap_or_else(|| panic!("no entity {entity}"));
    e.counters
        .get(key)
        .and_then(|v| v.as_u64())
        .unwrap_or_else(|| panic!("no counter {key} on {entity}: {:?}", e.counters))
}

#[test]
fn every_addable_kind_can_be_added_once_what_it_needs_exists() {
    let mut s = Scenario::empty(1);
    for k in kinds().filter(|k| k.addable) {
        s = add_entity(&s, k, "").unwrap_or_else(|e| panic!("{}: {e}", k.id)).0;
    }
    let items = builder::items(&s);
    for k in kinds().filter(|k| k.addable) {
        assert!(items.iter().any(|i| i.kind.id == k.id), "{} missing", k.id);
    }
    assert!(Sim::new(&s).is_ok());
}

#[test]
fn a_missing_prerequisite_is_named() {
    let s = Scenario::empty(1);
    let error = add_entity(&s, kind("consumer").unwrap(), "c").unwrap_err();
    assert!(error.contains("queue or a consumer group"), "{error}");
    let error = add_entity(&s, kind("client").unwrap(), "c").unwrap_err();
    assert!(error.contains("Add a service first"), "{error}");
    // A listener implies its bus.
    let s = add(&s, "listener", "sms");
    assert_eq!(s.event_bus.buses.len(), 1);
    assert_eq!(s.event_bus.listeners[0].bus, s.event_bus.buses[0].id);
}

#[test]
fn names_are_unique_and_checked() {
    let s = add(&Scenario::empty(1), "queue", "orders");
    let error = add_entity(&s, kind("topic").unwrap(), "orders").unwrap_err();
    assert!(error.contains("already used by the queue orders"), "{error}");
    // Event types have their own namespace.
    assert!(add_entity(&s, kind("event-type").unwrap(), "orders").is_ok());
    let error = add_entity(&s, kind("queue").unwrap(), &"x".repeat(65)).unwrap_err();
    assert!(error.contains("at most 64"), "{error}");
}

#[test]
fn a_queue_pattern_built_by_hand_runs() {
    let mut s = add(&Scenario::empty(3), "queue", "work");
    s = add(&s, "producer", "jobs");
    s = add(&s, "consumer", "worker");
    s = set(&s, "producer", "jobs", "emits.every", "100ms").unwrap();
    s = set(&s, "producer", "jobs", "emits.count", "10").unwrap();
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(5_000_000)).unwrap();
    assert_eq!(counter(&sim, "work", "enqueued"), 10);
    assert_eq!(counter(&sim, "worker", "handled"), 10);
}

#[test]
fn a_topic_with_a_group_built_by_hand_runs() {
    let mut s = add(&Scenario::empty(3), "topic", "orders");
    s = add(&s, "consumer-group", "readers");
    s = add(&s, "producer", "shop");
    s = add(&s, "consumer", "r1");
    s = add(&s, "consumer", "r2");
    assert_eq!(s.broker.consumers[1].group.as_deref(), Some("readers"));
    s = set(&s, "topic", "orders", "partitions", "4").unwrap();
    s = set(&s, "consumer-group", "readers", "assignor", "round_robin").unwrap();
    s = set(&s, "consumer-group", "readers", "commit", "manual").unwrap();
    s = set(&s, "producer", "shop", "emits.every", "exp 50ms").unwrap();
    s = set(&s, "producer", "shop", "emits.count", "40").unwrap();
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(SimTime(20_000_000)).unwrap();
    let handled = counter(&sim, "r1", "handled") + counter(&sim, "r2", "handled");
    assert_eq!(handled, 40);
    assert!(counter(&sim, "r1", "handled") > 0 && counter(&sim, "r2", "handled") > 0);
}

#[test]
fn a_replicated_topic_and_an_idempotent_producer_are_set_in_the_builder() {
    let mut s = add(&Scenario::empty(3), "topic", "orders");
    s = add(&s, "producer", "shop");
    s = set(&s, "topic", "orders", "replicas", "3").unwrap();
    s = set(&s, "producer", "shop", "retries", "4").unwrap();
    s = set(&s, "producer", "shop", "idempotent", "true").unwrap();
    let producer = &s.broker.producers[0];
    assert!(producer.idempotent && producer.retries == 4);
    assert_eq!(s.broker.topics[0].replicas, 3);
    let k = kind("producer").unwrap();
    let views = builder::entity_fields(&s, k, "shop");
    let text = |key: &str| views[k.fields.iter().position(|f| f.key == key).unwrap()].text.clone();
    assert_eq!(text("idempotent"), "true");
    // Acks leader and idempotence do not go together: refused with the reason, nothing changed.
    let refused = set(&s, "producer", "shop", "acks", "leader").unwrap_err();
    assert!(refused.contains("needs acks all"), "{refused}");
    assert!(set(&s, "producer", "shop", "idempotent", "maybe").is_err());
    // Off is the default: the field leaves the scenario.
    s = set(&s, "producer", "shop", "idempotent", "false").unwrap();
    assert!(!s.broker.producers[0].idempotent);
    assert!(!s.to_json().contains("idempotent"));
}

#[test]
fn request_response_discovery_and_event_sourcing_built_by_hand_run() {
    let mut s = add(&Scenario::empty(5), "service", "orders");
    s = add(&s, "client", "shop");
    s = set(&s, "service", "orders", "orders.validity", "30s").unwrap();
    s = set(&s, "client", "shop", "arrivals.every", "200ms").unwrap();
    s = set(&s, "client", "shop", "arrivals.count", "5").unwrap();
    s = add(&s, "registry", "registry");
    s = add(&s, "provider", "foo");
    s = add(&s, "discovery-client", "caller");
    s = add(&s, "event-store", "profiles");
    s = add(&s, "projection", "profile-view");
    s = set(
        &s,
        "service",
        "orders",
        "orders.on_created",
        r#"[{"append": {"store": "profiles", "stream": "order-{id}"}}]"#,
    )
    .unwrap();
    let mut sim = Sim::new(&s).unwrap();
    sim.apply(&Command::Lookup {
        client: "caller".into(),
        name: "foo".into(),
    })
    .unwrap();
    sim.run_until(SimTime(3_000_000)).unwrap();
    assert_eq!(counter(&sim, "orders", "orders_created"), 5);
    assert_eq!(counter(&sim, "profiles", "events"), 5);
    assert!(counter(&sim, "registry", "registered") >= 1);
}

#[test]
fn a_bad_value_is_refused_with_a_message_and_the_scenario_is_untouched() {
    let s = add(&add(&Scenario::empty(1), "queue", "work"), "consumer", "w");
    let before = s.clone();
    let error = set(&s, "consumer", "w", "prefetch", "many").unwrap_err();
    assert!(error.contains("not a whole number"), "{error}");
    let error = set(&s, "consumer", "w", "processing_time", "soon").unwrap_err();
    assert!(error.contains("soon"), "{error}");
    let error = set(&s, "consumer", "w", "fail_percent", "250").unwrap_err();
    assert!(error.contains("fail_percent"), "{error}");
    let error = set(&s, "consumer", "w", "queue", "nowhere").unwrap_err();
    assert!(error.contains("no queue named"), "{error}");
    let error = set(&s, "consumer", "w", "processing_time", "").unwrap_err();
    assert!(error.contains("required"), "{error}");
    assert_eq!(s, before);
}

#[test]
fn distributions_read_and_print_the_same_way() {
    for text in ["30ms", "exp 30ms", "20ms..80ms", "1500us"] {
        let d = builder::parse_distribution(text).unwrap();
        assert_eq!(builder::distribution_text(&d), text);
    }
    assert!(builder::parse_distribution("80ms..20ms")
        .unwrap_err()
        .contains("backwards"));
}

#[test]
fn fields_show_their_current_values() {
    let s = add(&add(&Scenario::empty(1), "topic", "t"), "consumer-group", "g");
    let k = kind("consumer-group").unwrap();
    let views = builder::entity_fields(&s, k, "g");
    let text = |key: &str| views[k.fields.iter().position(|f| f.key == key).unwrap()].text.clone();
    assert_eq!(text("topic"), "t");
    assert_eq!(text("auto_offset_reset"), "earliest");
    assert_eq!(text("commit"), "auto 5s");
    assert_eq!(text("session_timeout"), "10s");
}

#[test]
fn links_follow_the_flow_of_messages() {
    let mut s = add(&Scenario::empty(1), "queue", "work");
    s = add(&s, "queue", "parked");
    s = add(&s, "exchange", "jobs");
    s = add(&s, "producer", "p");
    s = add(&s, "consumer", "c");
    s = set(&s, "queue", "work", "dead_letter", "parked").unwrap();
    let has = |from: &str, to: &str| links(&s).iter().any(|l| l.from == from && l.to == to);
    assert!(has("p", "jobs"), "{:?}", links(&s));
    assert!(has("jobs", "work"));
    assert!(has("work", "c"));
    assert!(has("work", "parked"));
    assert!(!has("c", "work"));
}

#[test]
fn removing_an_entity_removes_what_needs_it_and_every_mention() {
    let mut s = add(&Scenario::empty(1), "queue", "work");
    s = add(&s, "queue", "parked");
    s = add(&s, "exchange", "jobs");
    s = set(&s, "exchange", "jobs", "bindings", "work:, parked:").unwrap();
    s = add(&s, "producer", "p");
    s = add(&s, "consumer", "c");
    s = set(&s, "queue", "work", "dead_letter", "parked").unwrap();
    let parked = kind("queue").unwrap();
    assert!(builder::dependents(&s, parked, "parked").is_empty());
    let t = remove_entity(&s, parked, "parked").unwrap();
    assert_eq!(t.broker.queues.len(), 1);
    assert_eq!(t.broker.queues[0].dead_letter, None);
    assert_eq!(t.broker.exchanges[0].bindings.len(), 1);
    // The consumer cannot read a queue that is gone: it goes too, and so do its commands.
    s.script.push(eda_sim::scenario::ScriptEntry {
        at: eda_sim::SimDuration::from_secs(1),
        command: Command::Crash { entity: "c".into() },
    });
    let names: Vec<String> = builder::dependents(&s, parked, "work")
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, vec!["c"]);
    let t = remove_entity(&s, parked, "work").unwrap();
    assert!(t.broker.consumers.is_empty());
    assert!(t.script.is_empty());
    assert!(Sim::new(&t).is_ok());
}

#[test]
fn removing_an_event_type_unsubscribes_and_drops_its_commands() {
    let mut s = add(&Scenario::empty(1), "event-type", "OrderStateChanged");
    s = add(&s, "event-type", "OrderPaid");
    s = set(&s, "event-type", "OrderPaid", "parent", "OrderStateChanged").unwrap();
    s = add(&s, "event-source", "shop");
    s = add(&s, "listener", "sms");
    let k = kind("listener").unwrap();
    s = builder::set_listed_type(&s, k, "sms", &k.fields[1], "OrderPaid", true).unwrap();
    s.script.push(eda_sim::scenario::ScriptEntry {
        at: eda_sim::SimDuration::from_secs(1),
        command: Command::Publish {
            source: "shop".into(),
            event_type: "OrderPaid".into(),
        },
    });
    let t = remove_entity(&s, kind("event-type").unwrap(), "OrderPaid").unwrap();
    assert!(t.event_bus.listeners[0].subscriptions.is_empty());
    assert!(t.script.is_empty());
    // Removing the parent leaves the child at the root.
    let t = remove_entity(&s, kind("event-type").unwrap(), "OrderStateChanged").unwrap();
    assert_eq!(t.event_bus.event_types.len(), 1);
    assert_eq!(t.event_bus.event_types[0].parent, None);
}

#[test]
fn fields_that_go_together_change_together() {
    let mut s = add(&Scenario::empty(1), "queue", "work");
    s = add(&s, "topic", "orders");
    s = add(&s, "producer", "p");
    s = add(&s, "consumer-group", "g");
    s = add(&s, "consumer", "c");
    // A producer publishes to one place: picking a topic drops the queue.
    s = set(&s, "producer", "p", "topic", "orders").unwrap();
    assert_eq!(
        (
            s.broker.producers[0].queue.as_deref(),
            s.broker.producers[0].topic.as_deref()
        ),
        (None, Some("orders"))
    );
    // A consumer reads one queue or one group.
    s = set(&s, "consumer", "c", "group", "g").unwrap();
    assert_eq!(
        (
            s.broker.consumers[0].queue.as_deref(),
            s.broker.consumers[0].group.as_deref()
        ),
        (None, Some("g"))
    );
    // A client is open or closed loop, each complete.
    s = add(&s, "service", "svc");
    s = add(&s, "client", "shop");
    s = set(&s, "client", "shop", "arrivals.every", "exp 100ms").unwrap();
    s = set(&s, "client", "shop", "users.count", "5").unwrap();
    let client = &s.request_reply.clients[0];
    assert!(client.arrivals.is_none());
    assert_eq!(client.users.as_ref().map(|u| u.count), Some(5));
    s = set(&s, "client", "shop", "users.count", "").unwrap();
    assert!(
        s.request_reply.clients[0].users.is_none(),
        "clearing the count ends the closed loop"
    );
    // A count without a gap is explained, not guessed.
    let error = set(&s, "client", "shop", "arrivals.count", "10").unwrap_err();
    assert!(error.contains("every"), "{error}");
}

#[test]
fn providers_get_endpoints_nobody_uses() {
    let mut s = add(&Scenario::empty(1), "registry", "r");
    s = add(&s, "provider", "p1");
    s = add(&s, "provider", "p2");
    s = remove_entity(&s, kind("provider").unwrap(), "p1").unwrap();
    s = add(&s, "provider", "p3");
    let endpoints: Vec<&str> = s.discovery.providers.iter().map(|p| p.endpoint.as_str()).collect();
    assert_ne!(endpoints[0], endpoints[1], "{endpoints:?}");
}

#[test]
fn a_link_drawn_between_two_entities_sets_the_field_naming_the_other_or_binds_with_a_key() {
    use builder::{connect, connection, Connection};
    let mut s = Scenario::empty(1);
    for (kind_id, name) in [
        ("exchange", "jobs"),
        ("queue", "work"),
        ("queue", "parked"),
        ("producer", "scheduler"),
    ] {
        s = add(&s, kind_id, name);
    }
    // Exchange to queue: a binding, whose key is asked for; drawn either way round.
    let work = connection(&s, "jobs", "work").unwrap();
    assert_eq!(
        work,
        Connection::Binding {
            exchange: "jobs".into(),
            queue: "work".into()
        }
    );
    s = connect(&s, &work, "job.#").unwrap();
    let parked = connection(&s, "parked", "jobs").unwrap();
    s = connect(&s, &parked, "job.failed").unwrap();
    let keys = |s: &Scenario, queue: &str| {
        links(s)
            .into_iter()
            .find(|l| l.from == "jobs" && l.to == queue && l.relation == "binds")
            .map(|l| l.keys)
            .unwrap_or_default()
    };
    assert_eq!(keys(&s, "work"), ["job.#"]);
    assert_eq!(keys(&s, "parked"), ["job.failed"]);
    // A second key for the same queue joins the first on its link.
    s = connect(&s, &work, "report.*").unwrap();
    assert_eq!(keys(&s, "work"), ["job.#", "report.*"]);
    assert!(connect(&s, &work, "a,b").unwrap_err().contains("comma"));

    // Producer to exchange: the producer's exchange.
    let publish = connection(&s, "scheduler", "jobs").unwrap();
    assert!(
        matches!(&publish, Connection::Reference { name, field, .. } if name == "scheduler" && field.key == "exchange")
    );
    s = connect(&s, &publish, "").unwrap();
    assert!(links(&s).iter().any(|l| l.from == "scheduler" && l.to == "jobs"));
    // Consumer to queue, drawn against the flow: the consumer's queue all the same.
    s = add(&s, "consumer", "worker");
    let reads = connection(&s, "worker", "parked").unwrap();
    assert!(matches!(&reads, Connection::Reference { name, target, .. } if name == "worker" && target == "parked"));
    s = connect(&s, &reads, "").unwrap();
    assert_eq!(
        s.broker
            .consumers
            .iter()
            .find(|c| c.id == "worker")
            .unwrap()
            .queue
            .as_deref(),
        Some("parked")
    );
    // Queue to queue: where its dead letters go.
    let dead = connection(&s, "work", "parked").unwrap();
    assert!(matches!(&dead, Connection::Reference { name, target, .. } if name == "work" && target == "parked"));

    // What cannot be linked says so, and nothing changes.
    let error = connection(&s, "scheduler", "worker").unwrap_err();
    assert!(error.contains("a producer and a consumer cannot be linked"), "{error}");
    assert!(connection(&s, "work", "work").is_err());
    assert!(connection(&s, "work", "nowhere").unwrap_err().contains("no entity"));
}
