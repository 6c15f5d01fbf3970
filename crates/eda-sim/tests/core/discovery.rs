//! Publish-subscribe service discovery: registration by name, lookups, watches, expiry by TTL,
//! and what a registry crash does to the providers and clients that depend on it.

use eda_sim::patterns::discovery::{DiscoveryRecord, ProviderAction};
use eda_sim::{Command, EntityId, Scenario, ScenarioError, Sim, SimError, SimTime, TraceKind};
use std::collections::BTreeMap;

/// A registry (1 ms network, 50 ms propagation), the seed's echo providers `foo-1` (name foo)
/// and `bar-1` (name bar) registering at 0 s with 1 s heartbeats and a 3 s TTL, a client `app`
/// with a 500 ms call timeout and a client `watcher` watching foo; then `script`.
fn seed_world(script: &str) -> Scenario {
    let text = r#"{
      "version": 1,
      "seed": 7,
      "discovery": {
        "registries": [{"id": "registry", "propagation_delay": {"constant": "50ms"},
                        "network_delay": {"constant": "1ms"}}],
        "providers": [
          {"id": "foo-1", "name": "foo", "endpoint": "tcp://10.0.0.1:1234", "registry": "registry",
           "operations": ["echo"], "heartbeat_every": {"constant": "1s"}, "ttl": "3s",
           "register_at": "0s", "service_time": {"constant": "2ms"}},
          {"id": "bar-1", "name": "bar", "endpoint": "tcp://10.0.0.2:1234", "registry": "registry",
           "operations": ["echo"], "heartbeat_every": {"constant": "1s"}, "ttl": "3s",
           "register_at": "0s", "service_time": {"constant": "2ms"}}
        ],
        "clients": [
          {"id": "app", "registry": "registry", "call_timeout": "500ms"},
          {"id": "watcher", "registry": "registry", "watch": ["foo"]}
        ]
      },
      "script": "SCRIPT"
    }"#;
    Scenario::from_json(&text.replace("\"SCRIPT\"", script)).unwrap()
}

fn run(s: &Scenario, until_ms: u64) -> Sim {
    let mut sim = Sim::new(s).unwrap();
    sim.run_until(at(until_ms)).unwrap();
    sim
}

fn at(ms: u64) -> SimTime {
    SimTime(ms * 1_000)
}

/// Every discovery record with its time.
fn trail(sim: &Sim) -> Vec<(SimTime, &DiscoveryRecord)> {
    sim.trace()
        .records()
        .iter()
        .filter_map(|r| match &r.kind {
            TraceKind::Discovery(d) => Some((r.time, d)),
            _ => None,
        })
        .collect()
}

fn id(sim: &Sim, name: &str) -> EntityId {
    sim.entity_id(name).unwrap()
}

fn counter(sim: &Sim, entity: &str, name: &str) -> u64 {
    let report = sim.report();
    let value = report.entity(entity).and_then(|e| e.number(name));
    value.unwrap_or_else(|| panic!("{entity} has no counter {name}")) as u64
}

/// The endpoint a client has cached for a name.
fn cached(sim: &Sim, client: &str, name: &str) -> Option<String> {
    let index = sim.entity(id(sim, client)).index;
    sim.discovery().clients[index].cache.get(name).cloned()
}

/// (time, name, error) of every failed lookup of `client`.
fn failed_lookups(sim: &Sim, client: &str) -> Vec<(SimTime, String, String)> {
    let who = id(sim, client);
    trail(sim)
        .into_iter()
        .filter_map(|(t, r)| match r {
            DiscoveryRecord::LookupFailed {
                client, name, error, ..
            } if *client == who => Some((t, name.clone(), error.clone())),
            _ => None,
        })
        .collect()
}

/// (time, name, error) of every failed call of `client`.
fn failed_calls(sim: &Sim, client: &str) -> Vec<(SimTime, String, String)> {
    let who = id(sim, client);
    trail(sim)
        .into_iter()
        .filter_map(|(t, r)| match r {
            DiscoveryRecord::CallFailed {
                client, name, error, ..
            } if *client == who => Some((t, name.clone(), error.clone())),
            _ => None,
        })
        .collect()
}

/// (time, provider, payload) of every answer `client` received.
fn replies(sim: &Sim, client: &str) -> Vec<(SimTime, String, String)> {
    let who = id(sim, client);
    trail(sim)
        .into_iter()
        .filter_map(|(t, r)| match r {
            DiscoveryRecord::Replied {
                client,
                provider,
                payload,
                ..
            } if *client == who => Some((t, sim.entity_name(*provider).to_string(), payload.clone())),
            _ => None,
        })
        .collect()
}

/// (time, name, endpoint) of every notification `client` received.
fn notified(sim: &Sim, client: &str) -> Vec<(SimTime, String, Option<String>)> {
    let who = id(sim, client);
    trail(sim)
        .into_iter()
        .filter_map(|(t, r)| match r {
            DiscoveryRecord::Notified {
                client, name, endpoint, ..
            } if *client == who => Some((t, name.clone(), endpoint.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn the_seed_example_finds_foo_and_bar_by_name_and_each_echoes_its_payload_back() {
    // Given foo and bar registered, and a client that looks both up
    let s = seed_world(
        r#"[
        {"at": "100ms", "do": {"lookup": {"client": "app", "name": "foo"}}},
        {"at": "100ms", "do": {"lookup": {"client": "app", "name": "bar"}}},
        {"at": "200ms", "do": {"call": {"client": "app", "name": "foo", "operation": "echo", "payload": "hello world!"}}},
        {"at": "200ms", "do": {"call": {"client": "app", "name": "bar", "operation": "echo", "payload": "goodbye cruel world..."}}},
        {"at": "300ms", "do": {"lookup": {"client": "app", "name": "baz"}}},
        {"at": "300ms", "do": {"call": {"client": "app", "name": "baz", "operation": "echo", "payload": "foobar bazqux quux"}}}
    ]"#,
    );
    let sim = run(&s, 1_000);
    // Then both lookups found the registered endpoints (one network round trip later)
    let found: Vec<(SimTime, &str, &str)> = trail(&sim)
        .into_iter()
        .filter_map(|(t, r)| match r {
            DiscoveryRecord::Found { name, endpoint, .. } => Some((t, name.as_str(), endpoint.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        found,
        [
            (at(102), "foo", "tcp://10.0.0.1:1234"),
            (at(102), "bar", "tcp://10.0.0.2:1234")
        ]
    );
    // and each call came back from the provider of its name with its own payload, after
    // 1 ms out + 2 ms service + 1 ms back
    assert_eq!(
        replies(&sim, "app"),
        [
            (at(204), "foo-1".to_string(), "hello world!".to_string()),
            (at(204), "bar-1".to_string(), "goodbye cruel world...".to_string())
        ]
    );
    // and baz, which nobody registered, is not found, whether looked up or called
    let not_found = "Name not found".to_string();
    assert_eq!(
        failed_lookups(&sim, "app"),
        [
            (at(302), "baz".to_string(), not_found.clone()),
            (at(302), "baz".to_string(), not_found.clone())
        ]
    );
    assert_eq!(failed_calls(&sim, "app"), [(at(302), "baz".to_string(), not_found)]);
    // and no call to baz was ever sent anywhere.
    assert!(!trail(&sim)
        .iter()
        .any(|(_, r)| matches!(r, DiscoveryRecord::Call { name, .. } if name == "baz")));
    // The log describes the call as the seed writes it.
    let call = sim
        .trace()
        .records()
        .iter()
        .find(|r| matches!(&r.kind, TraceKind::Discovery(DiscoveryRecord::Call { name, .. }) if name == "foo"))
        .unwrap();
    assert_eq!(call.kind.subject(&sim), r#"foo.echo("hello world!")"#);
    assert_eq!(call.kind.endpoints(), (id(&sim, "app"), Some(id(&sim, "foo-1"))));
    // The counters agree.
    assert_eq!(
        counter(&sim, "app", "lookups"),
        4,
        "three by hand, one before the baz call"
    );
    assert_eq!(counter(&sim, "app", "not_found"), 2);
    assert_eq!(counter(&sim, "app", "calls"), 3);
    assert_eq!(counter(&sim, "app", "call_ok"), 2);
    assert_eq!(counter(&sim, "app", "call_failed"), 1);
    assert_eq!(counter(&sim, "app", "cache_size"), 2);
    assert_eq!(counter(&sim, "registry", "registered"), 2);
    assert_eq!(counter(&sim, "registry", "lookups"), 4);
    assert_eq!(counter(&sim, "registry", "not_found"), 2);
    assert_eq!(counter(&sim, "foo-1", "calls_served"), 1);
    assert_eq!(counter(&sim, "bar-1", "calls_served"), 1);
}

#[test]
fn a_name_held_at_another_endpoint_is_refused_but_the_same_endpoint_may_register_again() {
    // Given foo-1 holding foo at tcp://10.0.0.1:1234, an impostor foo-2 at another endpoint and
    // a replica foo-3 at the same endpoint, and a client watching foo
    let mut s = seed_world("[]");
    s.script = read_json(
        r#"[
        {"at": "200ms", "do": {"register": {"provider": "foo-1"}}},
        {"at": "300ms", "do": {"register": {"provider": "foo-3"}}},
        {"at": "400ms", "do": {"lookup": {"client": "app", "name": "foo"}}}
    ]"#,
    )
    .unwrap();
    let mut impostor = s.discovery.providers[0].clone();
    impostor.id = "foo-2".into();
    impostor.endpoint = "tcp://10.0.0.9:1234".into();
    impostor.register_at = Some("100ms".parse().unwrap());
    let mut replica = s.discovery.providers[0].clone();
    replica.id = "foo-3".into();
    replica.register_at = None;
    s.discovery.providers.extend([impostor, replica]);
    let sim = run(&s, 5_000);
    // When foo-2 registers foo at its own endpoint, the registry refuses it
    let records = trail(&sim);
    let refused: Vec<_> = records
        .iter()
        .filter_map(|(t, r)| match r {
            DiscoveryRecord::Refused {
                provider,
                holder,
                error,
                ..
            } => Some((*t, *provider, *holder, error.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        refused,
        [(at(101), id(&sim, "foo-2"), id(&sim, "foo-1"), "Name already registered")]
    );
    // and foo-2 learns it one network delay later and gives up (no heartbeats at all)
    assert!(records.iter().any(|(t, r)| *t == at(102)
        && matches!(r, DiscoveryRecord::ProviderFailed { provider, action: ProviderAction::Register, error, .. }
            if *provider == id(&sim, "foo-2") && error == "Name already registered")));
    assert_eq!(counter(&sim, "foo-2", "heartbeats"), 0);
    // while foo-1 registering again, and foo-3 at the same endpoint, are both accepted as renewals
    let renewed: Vec<(SimTime, EntityId)> = records
        .iter()
        .filter_map(|(t, r)| match r {
            DiscoveryRecord::Registered {
                provider,
                renewed: true,
                ..
            } => Some((*t, *provider)),
            _ => None,
        })
        .collect();
    assert_eq!(renewed, [(at(201), id(&sim, "foo-1")), (at(301), id(&sim, "foo-3"))]);
    // which are not changes: the watcher heard of foo exactly once
    assert_eq!(
        notified(&sim, "watcher"),
        [(at(51), "foo".to_string(), Some("tcp://10.0.0.1:1234".to_string()))]
    );
    // and the name still leads to the first endpoint.
    assert_eq!(cached(&sim, "app", "foo").as_deref(), Some("tcp://10.0.0.1:1234"));
    assert_eq!(counter(&sim, "registry", "refused"), 1);
    assert_eq!(
        counter(&sim, "registry", "registrations"),
        4,
        "foo, bar and two renewals"
    );
    assert_eq!(counter(&sim, "registry", "registered"), 2);
}

#[test]
fn a_crashed_provider_expires_one_ttl_after_its_last_heartbeat_and_watchers_then_forget_it() {
    // Given foo-1 heartbeating every second (sent at 1 s and 2 s, arriving 1 ms later) with a 3 s
    // TTL, and a client watching foo
    let s = seed_world(r#"[{"at": "2.5s", "do": {"crash": {"entity": "foo-1"}}}]"#);
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(at(5_050)).unwrap();
    // Until the change has propagated, the watcher still holds the dead endpoint
    assert_eq!(cached(&sim, "watcher", "foo").as_deref(), Some("tcp://10.0.0.1:1234"));
    sim.run_until(at(10_000)).unwrap();
    // When foo-1 crashes at 2.5 s, the registry drops it at last heartbeat (2.001 s) + 3 s
    let records = trail(&sim);
    let expired: Vec<(SimTime, SimTime)> = records
        .iter()
        .filter_map(|(t, r)| match r {
            DiscoveryRecord::Expired {
                name, last_heartbeat, ..
            } if name == "foo" => Some((*t, *last_heartbeat)),
            _ => None,
        })
        .collect();
    assert_eq!(expired, [(at(5_001), at(2_001))]);
    // and sends the change to the watcher at once, which hears it after the propagation delay
    assert!(records
        .iter()
        .any(|(t, r)| *t == at(5_001)
            && matches!(r, DiscoveryRecord::Notify { name, endpoint: None, .. } if name == "foo")));
    assert_eq!(
        notified(&sim, "watcher"),
        [
            (at(51), "foo".to_string(), Some("tcp://10.0.0.1:1234".to_string())),
            (at(5_051), "foo".to_string(), None)
        ]
    );
    // so the watcher's cache no longer has foo
    assert_eq!(cached(&sim, "watcher", "foo"), None);
    // while bar, still heartbeating, never expires.
    assert_eq!(counter(&sim, "registry", "expired"), 1);
    assert_eq!(counter(&sim, "registry", "registered"), 1);
    assert_eq!(counter(&sim, "foo-1", "heartbeats"), 2);
    assert_eq!(counter(&sim, "foo-1", "up"), 0);
    assert_eq!(counter(&sim, "watcher", "notifications_received"), 2);
}

#[test]
fn while_the_registry_is_down_nobody_hears_anything_and_cached_endpoints_go_stale() {
    // Given app has looked foo up and the watcher watches foo
    let s = seed_world(
        r#"[
        {"at": "100ms", "do": {"lookup": {"client": "app", "name": "foo"}}},
        {"at": "5s", "do": {"crash": {"entity": "registry"}}},
        {"at": "5.5s", "do": {"lookup": {"client": "app", "name": "bar"}}},
        {"at": "6s", "do": {"crash": {"entity": "foo-1"}}},
        {"at": "7s", "do": {"call": {"client": "app", "name": "foo", "operation": "echo", "payload": "ping"}}},
        {"at": "10s", "do": {"restart": {"entity": "registry"}}},
        {"at": "11s", "do": {"lookup": {"client": "app", "name": "bar"}}},
        {"at": "11s", "do": {"lookup": {"client": "app", "name": "foo"}}},
        {"at": "12s", "do": {"restart": {"entity": "foo-1"}}}
    ]"#,
    );
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(at(9_900)).unwrap();
    // When the registry is down, a lookup fails as soon as the connection does
    assert_eq!(
        failed_lookups(&sim, "app"),
        [(at(5_501), "bar".to_string(), "Registry unavailable".to_string())]
    );
    assert_eq!(counter(&sim, "registry", "down"), 1);
    assert_eq!(counter(&sim, "registry", "registered"), 0, "a crash loses every entry");
    // and providers' heartbeats fail too (bar-1's at 5, 6, 7, 8 and 9 s)
    let bar_failures = trail(&sim)
        .iter()
        .filter(|(_, r)| {
            matches!(r, DiscoveryRecord::ProviderFailed { provider, action: ProviderAction::Heartbeat, error, .. }
            if *provider == id(&sim, "bar-1") && error == "Registry unavailable")
        })
        .count();
    assert_eq!(bar_failures, 5);
    // and the watcher hears nothing of foo-1's crash: it still holds the dead endpoint
    assert_eq!(notified(&sim, "watcher").len(), 1, "only the registration at 0 s");
    assert_eq!(cached(&sim, "watcher", "foo").as_deref(), Some("tcp://10.0.0.1:1234"));
    // and app calls the endpoint it cached, which nobody answers: it fails after the call timeout.
    let failed = trail(&sim)
        .into_iter()
        .filter_map(|(t, r)| match r {
            DiscoveryRecord::CallFailed { provider, error, .. } => Some((t, *provider, error.clone())),
            _ => None,
        })
        .collect::<Vec<_>>();
    assert_eq!(
        failed,
        [(at(7_500), Some(id(&sim, "foo-1")), "Provider unreachable".to_string())]
    );
    assert!(
        trail(&sim)
            .iter()
            .any(|(t, r)| *t == at(7_000) && matches!(r, DiscoveryRecord::Call { .. })),
        "the call went out at once, without asking the dead registry"
    );

    sim.run_until(at(13_000)).unwrap();
    // When the registry is back, bar-1's next heartbeat (10 s) registers it again
    assert!(trail(&sim).iter().any(|(t, r)| *t == at(10_001)
        && matches!(r, DiscoveryRecord::Registered { provider, by_heartbeat: true, renewed: false, .. }
            if *provider == id(&sim, "bar-1"))));
    // so lookups work again, and foo, whose provider is still down, is simply not there
    let found_bar = trail(&sim).into_iter().any(|(t, r)| {
        t == at(11_002)
            && matches!(r, DiscoveryRecord::Found { name, endpoint, .. } if name == "bar" && endpoint == "tcp://10.0.0.2:1234")
    });
    assert!(found_bar);
    assert_eq!(
        failed_lookups(&sim, "app")[1..],
        [(at(11_002), "foo".to_string(), "Name not found".to_string())]
    );
    // and the watcher, whose watch was re-established on restart, hears of foo-1's return.
    assert_eq!(
        notified(&sim, "watcher")[1..],
        [(at(12_051), "foo".to_string(), Some("tcp://10.0.0.1:1234".to_string()))]
    );
    assert_eq!(counter(&sim, "registry", "registered"), 2);
    assert_eq!(counter(&sim, "registry", "down"), 0);
}

#[test]
fn a_deregistered_provider_is_a_change_and_its_endpoint_stops_answering() {
    // Given app has foo cached and the watcher watches foo
    let s = seed_world(
        r#"[
        {"at": "100ms", "do": {"call": {"client": "app", "name": "foo", "operation": "shout", "payload": "hi"}}},
        {"at": "1.5s", "do": {"deregister": {"provider": "foo-1"}}},
        {"at": "2s", "do": {"call": {"client": "app", "name": "foo", "operation": "echo", "payload": "hi"}}}
    ]"#,
    );
    let sim = run(&s, 10_000);
    // Then an operation foo does not offer is answered with an error
    assert_eq!(
        failed_calls(&sim, "app"),
        [
            (at(106), "foo".to_string(), "Unknown operation".to_string()),
            (at(2_500), "foo".to_string(), "Provider unreachable".to_string())
        ],
        "and after deregistering, nobody answers at the old endpoint"
    );
    // and the watcher hears that foo is gone; no expiry follows, and foo-1 stops heartbeating.
    assert_eq!(notified(&sim, "watcher")[1..], [(at(1_551), "foo".to_string(), None)]);
    assert_eq!(counter(&sim, "registry", "expired"), 0);
    assert_eq!(counter(&sim, "foo-1", "heartbeats"), 1);
    // A stale endpoint is dropped from the cache once it proved unreachable.
    assert_eq!(cached(&sim, "app", "foo"), None);
}

#[test]
fn commands_naming_unknown_entities_are_refused() {
    let s = seed_world("[]");
    let mut sim = Sim::new(&s).unwrap();
    let lookup = Command::Lookup {
        client: "ghost".into(),
        name: "foo".into(),
    };
    assert!(matches!(sim.apply(&lookup), Err(SimError::UnknownEntity { .. })));
    let register = Command::Register { provider: "app".into() };
    assert!(matches!(sim.apply(&register), Err(SimError::UnknownEntity { .. })));
    assert!(trail(&sim).is_empty());
}

#[test]
fn bad_discovery_sections_are_reported_at_their_json_paths() {
    let text = r#"{
      "version": 1,
      "discovery": {
        "registries": [{"id": "registry"}],
        "providers": [
          {"id": "p0", "name": "foo", "endpoint": "tcp://a", "registry": "nowhere"},
          {"id": "p1", "name": "foo", "endpoint": "tcp://b", "registry": "registry",
           "heartbeat_every": {"constant": "0s"}},
          {"id": "p2", "name": "foo", "endpoint": "tcp://c", "registry": "registry",
           "heartbeat_every": {"constant": "3s"}, "ttl": "3s"},
          {"id": "p3", "name": "", "endpoint": "tcp://d", "registry": "registry"}
        ],
        "clients": [{"id": "c", "registry": "p0", "call_timeout": "0s"}]
      }
    }"#;
    let ScenarioError::Invalid(problems) = Scenario::from_json(text).unwrap_err() else {
        panic!("expected Invalid")
    };
    let message = |path: &str| -> String {
        let found = problems.iter().find(|p| p.path == path);
        found
            .unwrap_or_else(|| panic!("no problem at {path}: {problems:?}"))
            .message
            .clone()
    };
    assert_eq!(
        message("discovery.providers[0].registry"),
        r#"unknown registry "nowhere""#
    );
    assert!(message("discovery.providers[1].heartbeat_every").contains("gap of zero"));
    assert!(message("discovery.providers[2].ttl").contains("must be longer than heartbeat_every"));
    assert_eq!(message("discovery.providers[3].name"), "must not be empty");
    assert!(message("discovery.clients[0].registry").contains("is a provider, not a registry"));
    assert!(message("discovery.clients[0].call_timeout").contains("zero"));
    assert_eq!(problems.len(), 6, "nothing else is wrong: {problems:?}");
}

fn noisy_world() -> Scenario {
    let mut s = seed_world(
        r#"[
        {"at": "100ms", "do": {"call": {"client": "app", "name": "foo", "operation": "echo", "payload": "a"}}},
        {"at": "3s", "do": {"crash": {"entity": "registry"}}},
        {"at": "4s", "do": {"crash": {"entity": "foo-1"}}},
        {"at": "4.5s", "do": {"call": {"client": "app", "name": "foo", "operation": "echo", "payload": "b"}}},
        {"at": "6s", "do": {"restart": {"entity": "registry"}}},
        {"at": "7s", "do": {"restart": {"entity": "foo-1"}}},
        {"at": "8s", "do": {"call": {"client": "app", "name": "foo", "operation": "echo", "payload": "c"}}}
    ]"#,
    );
    s.discovery.registries[0].network_delay = read_json(r#"{"uniform": {"min": "1ms", "max": "9ms"}}"#).unwrap();
    s.discovery.registries[0].propagation_delay = read_json(r#"{"exponential": {"mean": "40ms"}}"#).unwrap();
    for p in &mut s.discovery.providers {
        p.heartbeat_every = read_json(r#"{"uniform": {"min": "500ms", "max": "1500ms"}}"#).unwrap();
        p.service_time = read_json(r#"{"exponential": {"mean": "5ms"}}"#).unwrap();
    }
    s
}

#[test]
fn the_same_scenario_twice_gives_the_same_trace_hash() {
    let s = noisy_world();
    let a = run(&s, 20_000);
    let b = run(&s, 20_000);
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.trace().len(), b.trace().len());
    assert!(a.trace().len() > 50, "the run did real work");
    // and the scenario survives a JSON round trip unchanged.
    let reloaded = Scenario::from_json(&s.to_json_pretty()).unwrap();
    assert_eq!(reloaded, s);
    assert_eq!(run(&reloaded, 20_000).trace_hash(), a.trace_hash());
}

#[test]
fn the_service_discovery_example_loads_and_tells_the_whole_story() {
    let s = Scenario::from_json(include_str!("../../../../static/scenarios/service-discovery.json")).unwrap();
    assert_eq!(s.name, "Service discovery");
    let sim = run(&s, 15_000);
    // The seed's calls come back from the right providers; baz is not found
    let replies = replies(&sim, "app");
    assert_eq!(
        replies[..2],
        [
            (at(204), "foo-1".to_string(), "hello world!".to_string()),
            (at(204), "bar-1".to_string(), "goodbye cruel world...".to_string())
        ]
    );
    let failed = failed_calls(&sim, "app");
    assert_eq!(failed[0], (at(302), "baz".to_string(), "Name not found".to_string()));
    // while the registry is down, lookups fail and the stale cached foo is unreachable
    assert!(failed_lookups(&sim, "app").contains(&(at(5_501), "bar".to_string(), "Registry unavailable".to_string())));
    assert_eq!(
        failed[1],
        (at(7_500), "foo".to_string(), "Provider unreachable".to_string())
    );
    // after the registry restarts, foo is unknown until foo-1 comes back and registers again
    assert_eq!(failed[2], (at(11_002), "foo".to_string(), "Name not found".to_string()));
    assert_eq!(
        replies[2..],
        [(at(13_006), "foo-1".to_string(), "welcome back".to_string())]
    );
    assert_eq!(failed.len(), 3);
    assert_eq!(counter(&sim, "registry", "registered"), 2);
    // The dashboard heard nothing during the outage and caught up when foo-1 registered again.
    let heard: Vec<SimTime> = notified(&sim, "dashboard").into_iter().map(|(t, _, _)| t).collect();
    assert_eq!(heard, [at(51), at(51), at(12_051)]);
    // Every call ended in exactly one outcome.
    let mut outcomes: BTreeMap<u64, u32> = BTreeMap::new();
    for (_, r) in trail(&sim) {
        if let DiscoveryRecord::Replied { request, .. } | DiscoveryRecord::CallFailed { request, .. } = r {
            *outcomes.entry(*request).or_default() += 1;
        }
    }
    assert!(outcomes.values().all(|&n| n == 1));
    assert_eq!(outcomes.len() as u64, counter(&sim, "app", "calls"));
}

#[test]
fn under_any_mix_of_commands_and_faults_every_call_lookup_and_notification_ends_exactly_once() {
    // Given the seed world, and a seeded storm of commands, crashes and restarts on every entity
    let s = seed_world("[]");
    let mut sim = Sim::new(&s).unwrap();
    let mut rng = eda_sim::SimRng::new(99);
    let clients = ["app", "watcher"];
    let providers = ["foo-1", "bar-1"];
    let names = ["foo", "bar", "baz"];
    let entities = ["registry", "foo-1", "bar-1", "app", "watcher"];
    let pick = |rng: &mut eda_sim::SimRng, from: &[&str]| from[rng.below(from.len() as u64) as usize].to_string();
    for step in 0..2_000u64 {
        let command = match rng.below(8) {
            0 => Command::Lookup {
                client: pick(&mut rng, &clients),
                name: pick(&mut rng, &names),
            },
            1 | 2 => Command::Call {
                client: pick(&mut rng, &clients),
                name: pick(&mut rng, &names),
                operation: pick(&mut rng, &["echo", "shout"]),
                payload: format!("p{step}"),
            },
            3 => Command::Watch {
                client: pick(&mut rng, &clients),
                name: pick(&mut rng, &names),
            },
            4 => Command::Register {
                provider: pick(&mut rng, &providers),
            },
            5 => Command::Deregister {
                provider: pick(&mut rng, &providers),
            },
            6 => Command::Crash {
                entity: pick(&mut rng, &entities),
            },
            _ => Command::Restart {
                entity: pick(&mut rng, &entities),
            },
        };
        sim.apply(&command).unwrap();
        let next = sim.now().0 + rng.between(0, 400_000);
        sim.run_until(SimTime(next)).unwrap();
    }
    // When everything still in flight has had time to settle
    sim.run_until(SimTime(sim.now().0 + 10_000_000)).unwrap();
    // Then each call and each lookup has exactly one outcome, and each notification sent was
    // either heard or lost.
    let mut calls: BTreeMap<u64, u32> = BTreeMap::new();
    let mut lookups: BTreeMap<u64, u32> = BTreeMap::new();
    let (mut notify, mut heard_or_lost) = (0, 0);
    for (_, r) in trail(&sim) {
        match r {
            DiscoveryRecord::Replied { request, .. } | DiscoveryRecord::CallFailed { request, .. } => {
                *calls.entry(*request).or_default() += 1
            }
            DiscoveryRecord::Found { request, .. } | DiscoveryRecord::LookupFailed { request, .. } => {
                *lookups.entry(*request).or_default() += 1
            }
            DiscoveryRecord::Notify { .. } => notify += 1,
            DiscoveryRecord::Notified { .. } | DiscoveryRecord::NotificationLost { .. } => heard_or_lost += 1,
            _ => {}
        }
    }
    assert!(calls.values().chain(lookups.values()).all(|&n| n == 1));
    let sent_calls: u64 = clients.iter().map(|c| counter(&sim, c, "calls")).sum();
    assert_eq!(calls.len() as u64, sent_calls);
    assert_eq!(notify, heard_or_lost);
    assert!(sim.discovery().calls.is_empty() && sim.discovery().lookups.is_empty());
    assert!(calls.len() > 300 && notify > 10, "the storm did real work");
}

/// A scenario part written as JSON text, read the way scenario files are.
fn read_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}
