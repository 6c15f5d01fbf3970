//! Service discovery's handlers one at a time (given / when / then): a state built from a
//! scenario section on a [`Stage`], one pending event or command handed to it, and exactly what
//! it scheduled, recorded and changed.

use eda_sim::engine::Switch;
use eda_sim::patterns::discovery::{
    CallState, DiscoveryPending, DiscoveryRecord, DiscoverySpec, DiscoveryWorld, ProviderAction, ToRegistry,
};
/// The stage this pattern's handlers run on.
type Stage = eda_sim::kernel::stage::Stage<
    eda_sim::patterns::discovery::DiscoveryPending,
    eda_sim::patterns::discovery::DiscoveryRecord,
>;
use eda_sim::trace::Retention;
use eda_sim::{Command, EntityId, EntityKind, SimTime};

const FOO_1: &str = "tcp://10.0.0.1:1234";
const FOO_2: &str = "tcp://10.0.0.9:1234";

/// One registry (1 ms network, 50 ms propagation); `foo-1` offering foo at [`FOO_1`] from 0 s and
/// `foo-2` offering foo at [`FOO_2`] only when told (both echo, 1 s heartbeats, 3 s TTL, 2 ms
/// service); a client `app` (500 ms call timeout) and a client `watcher` watching foo.
fn spec() -> DiscoverySpec {
    serde_json::from_str(
        r#"{
          "registries": [{"id": "registry", "propagation_delay": {"constant": "50ms"},
                          "network_delay": {"constant": "1ms"}}],
          "providers": [
            {"id": "foo-1", "name": "foo", "endpoint": "tcp://10.0.0.1:1234", "registry": "registry",
             "heartbeat_every": {"constant": "1s"}, "ttl": "3s", "register_at": "0s",
             "service_time": {"constant": "2ms"}},
            {"id": "foo-2", "name": "foo", "endpoint": "tcp://10.0.0.9:1234", "registry": "registry",
             "heartbeat_every": {"constant": "1s"}, "ttl": "3s", "service_time": {"constant": "2ms"}}
          ],
          "clients": [
            {"id": "app", "registry": "registry", "call_timeout": "500ms"},
            {"id": "watcher", "registry": "registry", "watch": ["foo"]}
          ]
        }"#,
    )
    .unwrap()
}

/// Given: the world built on a fresh stage and started, as the engine does.
fn given() -> (Stage, DiscoveryWorld) {
    let mut stage = Stage::new(7);
    let mut world = DiscoveryWorld::build(&spec(), &mut stage.entities);
    world.start(&mut stage.ctx());
    (stage, world)
}

fn at(ms: u64) -> SimTime {
    SimTime(ms * 1_000)
}

fn id(stage: &Stage, name: &str) -> EntityId {
    stage.entities.id(name).unwrap()
}

fn d(p: DiscoveryPending) -> DiscoveryPending {
    p
}

/// The discovery records written so far, oldest first, with their times.
fn records(stage: &Stage) -> Vec<(SimTime, DiscoveryRecord)> {
    stage.trace.records().iter().map(|r| (r.time, r.kind.clone())).collect()
}

/// Forgets what was recorded and scheduled so far: the "when" starts from a clean slate.
fn clear(stage: &mut Stage) {
    while stage.take_next().is_some() {}
    stage.trace = eda_sim::kernel::trace::Trace::new(Retention::Full);
}

/// Hands `event` to the world at `time`.
fn when(stage: &mut Stage, world: &mut DiscoveryWorld, time: SimTime, event: DiscoveryPending) {
    stage.now = time;
    world.handle(&mut stage.ctx(), event);
}

/// The registration of provider `p` reaching the registry at `time` (its generation 1).
fn registered(stage: &mut Stage, world: &mut DiscoveryWorld, p: usize, time: SimTime) {
    let message = ToRegistry::Register {
        provider: p,
        generation: 1,
    };
    when(stage, world, time, DiscoveryPending::Arrive { registry: 0, message });
}

/// Runs every pending event due by `until`, in order, as the engine would.
fn run_until(stage: &mut Stage, world: &mut DiscoveryWorld, until: SimTime) {
    while stage.scheduled().first().is_some_and(|(t, _)| *t <= until) {
        let Some(event) = stage.take_next() else {
            panic!("only discovery events are pending");
        };
        world.handle(&mut stage.ctx(), event);
    }
}

#[test]
fn starting_schedules_the_own_registration_of_each_provider_with_a_register_at_and_no_other() {
    // Given the world, when it starts
    let (stage, world) = given();
    // Then only foo-1 (register_at 0 s) registers by itself; foo-2 waits to be told.
    assert_eq!(
        stage.scheduled(),
        [(at(0), d(DiscoveryPending::AutoRegister { provider: 0 }))]
    );
    assert!(stage.records().is_empty());
    // and the watcher is in the registry's watchers of foo from the start.
    let watchers: Vec<usize> = world.registries[0]
        .watchers
        .get("foo")
        .unwrap()
        .iter()
        .copied()
        .collect();
    assert_eq!(watchers, [1]);
}

#[test]
fn a_provider_that_registers_sends_its_name_and_endpoint_and_arms_its_first_heartbeat() {
    // Given the started world
    let (mut stage, mut world) = given();
    // When foo-1's own registration time comes
    let event = stage.take_next().unwrap();
    world.handle(&mut stage.ctx(), event);
    // Then it records Register to the registry
    assert_eq!(
        records(&stage),
        [(
            at(0),
            DiscoveryRecord::Register {
                provider: id(&stage, "foo-1"),
                registry: id(&stage, "registry"),
                name: "foo".into(),
                endpoint: FOO_1.into(),
            }
        )]
    );
    // and the message reaches the registry after the 1 ms network delay, the heartbeat is due 1 s on
    assert_eq!(
        stage.scheduled(),
        [
            (
                at(1),
                d(DiscoveryPending::Arrive {
                    registry: 0,
                    message: ToRegistry::Register {
                        provider: 0,
                        generation: 1
                    }
                })
            ),
            (
                at(1_000),
                d(DiscoveryPending::Heartbeat {
                    provider: 0,
                    generation: 1
                })
            ),
        ]
    );
    // and the provider now offers its service, in its first generation.
    assert!(world.providers[0].active);
    assert_eq!(world.providers[0].generation, 1);
    assert!(stage.effects().is_empty());
}

#[test]
fn a_registration_reaching_a_live_registry_holds_the_name_arms_the_ttl_check_and_tells_each_watcher() {
    // Given the started world
    let (mut stage, mut world) = given();
    clear(&mut stage);
    // When foo-1's registration reaches the registry at 1 ms
    registered(&mut stage, &mut world, 0, at(1));
    // Then the registry records it as a new entry and sends the change to the watcher
    let (registry, foo_1, watcher) = (id(&stage, "registry"), id(&stage, "foo-1"), id(&stage, "watcher"));
    assert_eq!(
        records(&stage),
        [
            (
                at(1),
                DiscoveryRecord::Registered {
                    registry,
                    provider: foo_1,
                    name: "foo".into(),
                    endpoint: FOO_1.into(),
                    renewed: false,
                    by_heartbeat: false,
                }
            ),
            (
                at(1),
                DiscoveryRecord::Notify {
                    registry,
                    client: watcher,
                    name: "foo".into(),
                    endpoint: Some(FOO_1.into()),
                }
            ),
        ]
    );
    // and the watcher hears of it after the 50 ms propagation delay, the entry is checked at its 3 s TTL
    assert_eq!(
        stage.scheduled(),
        [
            (
                at(51),
                d(DiscoveryPending::Notification {
                    registry: 0,
                    client: 1,
                    name: "foo".into(),
                    endpoint: Some(FOO_1.into()),
                    epoch: 0,
                })
            ),
            (
                at(3_001),
                d(DiscoveryPending::ExpiryCheck {
                    registry: 0,
                    name: "foo".into(),
                    serial: 0
                })
            ),
        ]
    );
    // and the registry holds foo at foo-1's endpoint.
    let registry = &world.registries[0];
    let entry = registry.entries.get("foo").unwrap();
    assert_eq!(
        (entry.endpoint.as_str(), entry.provider, entry.last_heartbeat),
        (FOO_1, 0, at(1))
    );
    assert_eq!((registry.registrations, registry.notifications), (1, 1));
}

#[test]
fn a_second_provider_registering_a_held_name_at_another_endpoint_is_refused_and_stops_offering_it() {
    // Given foo held at foo-1's endpoint, and foo-2 told to register at 10 ms
    let (mut stage, mut world) = given();
    clear(&mut stage);
    registered(&mut stage, &mut world, 0, at(1));
    stage.now = at(10);
    let command = Command::Register {
        provider: "foo-2".into(),
    };
    let entities = stage.entities.clone();
    world.command(&mut stage.ctx(), &entities, &command).unwrap();
    clear(&mut stage);
    // When foo-2's registration reaches the registry
    registered(&mut stage, &mut world, 1, at(11));
    // Then the registry refuses it, naming foo-1 as the holder
    let (registry, foo_1, foo_2) = (id(&stage, "registry"), id(&stage, "foo-1"), id(&stage, "foo-2"));
    assert_eq!(
        records(&stage),
        [(
            at(11),
            DiscoveryRecord::Refused {
                registry,
                provider: foo_2,
                holder: foo_1,
                name: "foo".into(),
                endpoint: FOO_2.into(),
                error: "Name already registered".into(),
            }
        )]
    );
    let refusal = DiscoveryPending::Refusal {
        provider: 1,
        action: ProviderAction::Register,
        generation: 1,
    };
    assert_eq!(stage.scheduled(), [(at(12), d(refusal.clone()))]);
    assert_eq!(world.registries[0].refused, 1);
    assert_eq!(world.registries[0].entries.get("foo").unwrap().endpoint, FOO_1);
    // When the refusal reaches foo-2
    clear(&mut stage);
    when(&mut stage, &mut world, at(12), refusal);
    // Then foo-2 records the failure and gives up: its generation moves on, voiding its heartbeats.
    assert_eq!(
        records(&stage),
        [(
            at(12),
            DiscoveryRecord::ProviderFailed {
                provider: foo_2,
                registry,
                name: "foo".into(),
                action: ProviderAction::Register,
                error: "Name already registered".into(),
            }
        )]
    );
    assert!(!world.providers[1].active);
    assert_eq!(world.providers[1].generation, 2);
    assert!(stage.scheduled().is_empty());
}

#[test]
fn an_entry_without_heartbeats_expires_at_its_ttl_and_its_watchers_hear_that_the_name_is_gone() {
    // Given foo registered at 1 ms and no heartbeat since
    let (mut stage, mut world) = given();
    clear(&mut stage);
    registered(&mut stage, &mut world, 0, at(1));
    clear(&mut stage);
    // When its TTL check comes at 3.001 s
    let check = DiscoveryPending::ExpiryCheck {
        registry: 0,
        name: "foo".into(),
        serial: 0,
    };
    when(&mut stage, &mut world, at(3_001), check);
    // Then the registry drops it, recording when it last heard of foo-1, and tells the watcher
    let (registry, foo_1, watcher) = (id(&stage, "registry"), id(&stage, "foo-1"), id(&stage, "watcher"));
    assert_eq!(
        records(&stage),
        [
            (
                at(3_001),
                DiscoveryRecord::Expired {
                    registry,
                    provider: foo_1,
                    name: "foo".into(),
                    last_heartbeat: at(1),
                }
            ),
            (
                at(3_001),
                DiscoveryRecord::Notify {
                    registry,
                    client: watcher,
                    name: "foo".into(),
                    endpoint: None,
                }
            ),
        ]
    );
    assert_eq!(
        stage.scheduled(),
        [(
            at(3_051),
            d(DiscoveryPending::Notification {
                registry: 0,
                client: 1,
                name: "foo".into(),
                endpoint: None,
                epoch: 0,
            })
        )]
    );
    assert!(world.registries[0].entries.is_empty());
    assert_eq!(world.registries[0].expired, 1);
}

#[test]
fn a_heartbeat_keeps_an_entry_alive_so_its_ttl_check_is_put_off_to_the_new_deadline() {
    // Given foo registered at 1 ms, and a heartbeat of foo-1 reaching the registry at 1.001 s
    let (mut stage, mut world) = given();
    clear(&mut stage);
    registered(&mut stage, &mut world, 0, at(1));
    clear(&mut stage);
    let heartbeat = ToRegistry::Heartbeat {
        provider: 0,
        generation: 1,
    };
    when(
        &mut stage,
        &mut world,
        at(1_001),
        DiscoveryPending::Arrive {
            registry: 0,
            message: heartbeat,
        },
    );
    // (a heartbeat for a held entry is silent: it only moves the deadline)
    assert!(records(&stage).is_empty());
    assert_eq!(
        world.registries[0].entries.get("foo").unwrap().last_heartbeat,
        at(1_001)
    );
    // When the first TTL check comes at 3.001 s
    let check = DiscoveryPending::ExpiryCheck {
        registry: 0,
        name: "foo".into(),
        serial: 0,
    };
    when(&mut stage, &mut world, at(3_001), check.clone());
    // Then nothing expires; the check is due again 3 s after the heartbeat.
    assert!(records(&stage).is_empty());
    assert_eq!(stage.scheduled(), [(at(4_001), d(check))]);
    assert_eq!(world.registries[0].expired, 0);
    assert!(world.registries[0].entries.get("foo").is_some());
}

#[test]
fn a_lookup_of_a_name_nobody_registered_fails_with_name_not_found_one_round_trip_later() {
    // Given the started world with nothing registered
    let (mut stage, mut world) = given();
    clear(&mut stage);
    // When app looks up baz at 100 ms
    stage.now = at(100);
    let command = Command::Lookup {
        client: "app".into(),
        name: "baz".into(),
    };
    let entities = stage.entities.clone();
    world.command(&mut stage.ctx(), &entities, &command).unwrap();
    // Then the lookup is on its way to the registry
    assert_eq!(
        stage.scheduled(),
        [(
            at(101),
            d(DiscoveryPending::Arrive {
                registry: 0,
                message: ToRegistry::Lookup { request: 0 }
            })
        )]
    );
    // When it arrives, the registry answers "Name not found" 1 ms later
    run_until(&mut stage, &mut world, at(101));
    assert_eq!(
        stage.scheduled(),
        [(
            at(102),
            d(DiscoveryPending::LookupAnswer {
                request: 0,
                answer: Err("Name not found".into())
            })
        )]
    );
    run_until(&mut stage, &mut world, at(102));
    // Then the client records the lookup and its failure, and counts both
    let (app, registry) = (id(&stage, "app"), id(&stage, "registry"));
    assert_eq!(
        records(&stage),
        [
            (
                at(100),
                DiscoveryRecord::Lookup {
                    request: 0,
                    client: app,
                    registry,
                    name: "baz".into()
                }
            ),
            (
                at(102),
                DiscoveryRecord::LookupFailed {
                    request: 0,
                    client: app,
                    registry,
                    name: "baz".into(),
                    error: "Name not found".into(),
                }
            ),
        ]
    );
    assert_eq!((world.clients[0].lookups, world.clients[0].not_found), (1, 1));
    assert_eq!((world.registries[0].lookups, world.registries[0].not_found), (1, 1));
    assert!(world.lookups.is_empty());
    assert!(world.clients[0].cache.is_empty());
}

#[test]
fn a_call_without_a_cached_endpoint_looks_the_name_up_then_the_provider_echoes_the_payload() {
    // Given foo registered by foo-1 (up and active)
    let (mut stage, mut world) = given();
    run_until(&mut stage, &mut world, at(1));
    clear(&mut stage);
    // When app calls foo.echo("hi") at 100 ms, holding no endpoint for foo
    stage.now = at(100);
    let command = Command::Call {
        client: "app".into(),
        name: "foo".into(),
        operation: "echo".into(),
        payload: "hi".into(),
    };
    let entities = stage.entities.clone();
    world.command(&mut stage.ctx(), &entities, &command).unwrap();
    assert_eq!(world.calls.get(&0).unwrap().state, CallState::Resolving);
    run_until(&mut stage, &mut world, at(110));
    // Then: lookup out and back (1 + 1 ms), call out (1 ms), served (2 ms), answer back (1 ms)
    let (app, registry, foo_1) = (id(&stage, "app"), id(&stage, "registry"), id(&stage, "foo-1"));
    assert_eq!(
        records(&stage),
        [
            (
                at(100),
                DiscoveryRecord::Lookup {
                    request: 1,
                    client: app,
                    registry,
                    name: "foo".into()
                }
            ),
            (
                at(102),
                DiscoveryRecord::Found {
                    request: 1,
                    client: app,
                    registry,
                    name: "foo".into(),
                    endpoint: FOO_1.into(),
                }
            ),
            (
                at(102),
                DiscoveryRecord::Call {
                    request: 0,
                    client: app,
                    provider: Some(foo_1),
                    name: "foo".into(),
                    operation: "echo".into(),
                    payload: "hi".into(),
                    endpoint: FOO_1.into(),
                }
            ),
            (
                at(105),
                DiscoveryRecord::Served {
                    request: 0,
                    provider: foo_1,
                    client: app,
                    name: "foo".into(),
                    operation: "echo".into(),
                    known: true,
                }
            ),
            (
                at(106),
                DiscoveryRecord::Replied {
                    request: 0,
                    client: app,
                    provider: foo_1,
                    name: "foo".into(),
                    operation: "echo".into(),
                    payload: "hi".into(),
                }
            ),
        ]
    );
    // and the call is settled, the endpoint cached; only the (now void) timeout is left.
    assert!(world.calls.is_empty());
    assert_eq!(world.clients[0].cache.get("foo").map(String::as_str), Some(FOO_1));
    assert_eq!((world.clients[0].calls, world.clients[0].call_ok), (1, 1));
    assert_eq!(world.providers[0].calls_served, 1);
    assert_eq!(
        stage.scheduled(),
        [(at(602), d(DiscoveryPending::CallTimeout { request: 0 }))]
    );
    run_until(&mut stage, &mut world, at(602));
    assert_eq!(records(&stage).len(), 5, "a timeout after the answer does nothing");
}

#[test]
fn a_call_to_a_cached_endpoint_nobody_serves_fails_as_unreachable_at_the_timeout_and_the_endpoint_is_forgotten() {
    // Given app holding foo at foo-1's endpoint, where nobody offers foo (foo-1 never registered)
    let (mut stage, mut world) = given();
    clear(&mut stage);
    world.clients[0].cache.insert("foo".into(), FOO_1.into());
    // When app calls foo.echo at 0 s
    let command = Command::Call {
        client: "app".into(),
        name: "foo".into(),
        operation: "echo".into(),
        payload: "hi".into(),
    };
    let entities = stage.entities.clone();
    world.command(&mut stage.ctx(), &entities, &command).unwrap();
    // Then it goes straight to the endpoint, with its timeout armed
    assert_eq!(
        stage.scheduled(),
        [
            (at(1), d(DiscoveryPending::CallArrive { request: 0 })),
            (at(500), d(DiscoveryPending::CallTimeout { request: 0 })),
        ]
    );
    // When it arrives, nobody is listening: nothing comes back
    run_until(&mut stage, &mut world, at(1));
    assert_eq!(world.calls.get(&0).unwrap().state, CallState::Unreachable);
    assert_eq!(stage.scheduled().len(), 1);
    // When the timeout fires
    run_until(&mut stage, &mut world, at(500));
    // Then the call fails as unreachable, naming the provider configured at that endpoint
    let (app, foo_1) = (id(&stage, "app"), id(&stage, "foo-1"));
    assert_eq!(
        records(&stage).last().unwrap(),
        &(
            at(500),
            DiscoveryRecord::CallFailed {
                request: 0,
                client: app,
                provider: Some(foo_1),
                name: "foo".into(),
                operation: "echo".into(),
                error: "Provider unreachable".into(),
            }
        )
    );
    // and the client forgets the endpoint, so its next call looks the name up.
    assert!(world.clients[0].cache.get("foo").is_none());
    assert_eq!((world.clients[0].calls, world.clients[0].call_failed), (1, 1));
    assert!(world.calls.is_empty());
}

#[test]
fn a_crashed_registry_forgets_every_entry_and_watch_and_fails_a_heartbeat_that_reaches_it() {
    // Given foo registered at 1 ms
    let (mut stage, mut world) = given();
    run_until(&mut stage, &mut world, at(1));
    clear(&mut stage);
    // When the registry crashes at 500 ms
    stage.now = at(500);
    let switch = world.set_down(&mut stage.ctx(), EntityKind::ServiceRegistry, 0, true);
    // Then it holds nothing and nobody watches anything
    assert_eq!(switch, Switch::Switched);
    assert!(world.registries[0].entries.is_empty());
    assert!(world.registries[0].watchers.is_empty());
    assert!(stage.scheduled().is_empty());
    // When foo-1's heartbeat reaches it at 1.001 s
    let heartbeat = ToRegistry::Heartbeat {
        provider: 0,
        generation: 1,
    };
    when(
        &mut stage,
        &mut world,
        at(1_001),
        DiscoveryPending::Arrive {
            registry: 0,
            message: heartbeat,
        },
    );
    // Then foo-1's connection fails
    assert_eq!(
        records(&stage),
        [(
            at(1_001),
            DiscoveryRecord::ProviderFailed {
                provider: id(&stage, "foo-1"),
                registry: id(&stage, "registry"),
                name: "foo".into(),
                action: ProviderAction::Heartbeat,
                error: "Registry unavailable".into(),
            }
        )]
    );
    // When it restarts, the watcher is asked at once to watch again.
    stage.now = at(2_000);
    let switch = world.set_down(&mut stage.ctx(), EntityKind::ServiceRegistry, 0, false);
    assert_eq!(switch, Switch::Switched);
    assert_eq!(
        stage.scheduled(),
        [(at(2_000), d(DiscoveryPending::Rewatch { client: 1 }))]
    );
    // and restarting a registry that is up changes nothing.
    assert_eq!(
        world.set_down(&mut stage.ctx(), EntityKind::ServiceRegistry, 0, false),
        Switch::Unchanged
    );
}

#[test]
fn a_change_reaching_a_watcher_that_crashed_since_it_was_sent_is_lost() {
    // Given foo registered at 1 ms, its change on the way to the watcher (due at 51 ms)
    let (mut stage, mut world) = given();
    run_until(&mut stage, &mut world, at(1));
    clear(&mut stage);
    // When the watcher crashes at 20 ms and the change arrives at 51 ms
    stage.now = at(20);
    let switch = world.set_down(&mut stage.ctx(), EntityKind::DiscoveryClient, 1, true);
    assert_eq!(switch, Switch::Switched);
    let change = DiscoveryPending::Notification {
        registry: 0,
        client: 1,
        name: "foo".into(),
        endpoint: Some(FOO_1.into()),
        epoch: 0,
    };
    when(&mut stage, &mut world, at(51), change);
    // Then nobody heard it: the record says so, and the cache stays empty
    assert_eq!(
        records(&stage),
        [(
            at(51),
            DiscoveryRecord::NotificationLost {
                client: id(&stage, "watcher"),
                registry: id(&stage, "registry"),
                name: "foo".into(),
            }
        )]
    );
    let watcher = &world.clients[1];
    assert_eq!((watcher.epoch, watcher.notifications_received), (1, 0));
    assert!(watcher.cache.is_empty());
    // and the crash closed its watch at the registry.
    assert!(world.registries[0].watchers.get("foo").unwrap().is_empty());
}
