//! Request-response handlers one at a time: given a state built from a scenario section (linked
//! and started as the engine does), when one handler runs, then what it scheduled, recorded and
//! asked of other patterns, and the state it left.

use crate::support::at_ms;
use eda_sim::engine::{Effect, Switch};
use eda_sim::patterns::event_bus::EventBusWorld;
use eda_sim::patterns::event_store::EventStoreWorld;
use eda_sim::patterns::request_reply::{
    Operation, OperationKey, Outcome, OutcomeKey, RequestReplySpec, RequestReplyWorld, RequestState, RpcPending,
    RpcRecord,
};
use eda_sim::scenario::EventBusSpec;
/// The stage this pattern's handlers run on.
type Stage = eda_sim::kernel::stage::Stage<
    eda_sim::patterns::request_reply::RpcPending,
    eda_sim::patterns::request_reply::RpcRecord,
>;
use eda_sim::trace::MessageKey;
use eda_sim::{EntityId, SimTime};
use serde_json::json;

/// Given: the request-response section `rpc` on a fresh stage, after the bus section `bus` and
/// before the event-store section `store` (the engine's order), linked and started.
fn given_with(bus: &str, rpc: &str, store: &str) -> (Stage, RequestReplyWorld) {
    let bus_spec: EventBusSpec = serde_json::from_str(bus).unwrap();
    let spec: RequestReplySpec = serde_json::from_str(rpc).unwrap();
    let mut stage = Stage::new(7);
    let bus = EventBusWorld::build(&bus_spec, &mut stage.entities);
    let mut world = RequestReplyWorld::build(&spec, &mut stage.entities);
    EventStoreWorld::build(&serde_json::from_str(store).unwrap(), &mut stage.entities);
    world.link(&spec, &stage.entities, &bus);
    world.start(&mut stage.ctx());
    (stage, world)
}

fn given(rpc: &str) -> (Stage, RequestReplyWorld) {
    given_with("{}", rpc, "{}")
}

/// One service `svc` (entity 0) of one worker taking 50 ms per request, and one client `web`
/// (entity 1) 10 ms away from it; `client` adds fields to the client, `service` to the service.
fn one_service(service: &str, client: &str) -> String {
    format!(
        r#"{{"services": [{{"id": "svc", "workers": 1, "service_time": {{"constant": "50ms"}}{service}}}],
            "clients": [{{"id": "web", "service": "svc", "network_delay": {{"constant": "10ms"}}{client}}}]}}"#
    )
}

const SVC: EntityId = EntityId(0);
const WEB: EntityId = EntityId(1);

/// Runs the earliest pending event (moving the clock to it) and returns it.
fn step(stage: &mut Stage, world: &mut RequestReplyWorld) -> RpcPending {
    match stage.take_next() {
        Some(pending) => {
            world.handle(&mut stage.ctx(), pending.clone());
            pending
        }
        other => panic!("expected a request-response event, got {other:?}"),
    }
}

/// The request-response records written from the `from`-th record on.
fn records_from(stage: &Stage, from: usize) -> Vec<RpcRecord> {
    stage.records_since(from).into_iter().cloned().collect()
}

fn rpc(pending: RpcPending) -> RpcPending {
    pending
}

#[test]
fn sending_a_request_records_it_and_schedules_its_arrival_after_the_network_delay_and_its_timeout() {
    let (mut stage, mut world) = given(&one_service("", r#", "timeout": "200ms""#));

    world.request_now(&mut stage.ctx(), 0);

    assert_eq!(
        records_from(&stage, 0),
        [RpcRecord::Sent {
            request: 0,
            client: WEB,
            service: SVC,
            operation: Operation::Call,
            attempt: 1,
        }]
    );
    assert_eq!(
        stage.scheduled(),
        [
            (at_ms(10), rpc(RpcPending::Reach { request: 0 })),
            (at_ms(200), rpc(RpcPending::Timeout { request: 0 })),
        ]
    );
    assert_eq!(world.clients[0].sent, 1);
    assert_eq!(world.requests.get(&0).unwrap().state, RequestState::Travelling);
}

#[test]
fn a_request_reaching_a_service_whose_workers_are_all_busy_waits_in_the_replica_queue() {
    let (mut stage, mut world) = given(&one_service("", ""));
    world.request_now(&mut stage.ctx(), 0);
    world.request_now(&mut stage.ctx(), 0);
    step(&mut stage, &mut world); // request 0 reaches the idle worker
    let before = stage.records().len();

    assert_eq!(step(&mut stage, &mut world), RpcPending::Reach { request: 1 });

    assert_eq!(stage.now, at_ms(10));
    assert_eq!(
        records_from(&stage, before),
        [
            RpcRecord::Arrived {
                request: 1,
                service: SVC,
                replica: 0,
            },
            RpcRecord::Queued {
                request: 1,
                service: SVC,
                replica: 0,
                queue_len: 1,
            },
        ]
    );
    // Only the request in service will finish; the waiting one has nothing scheduled.
    assert_eq!(
        stage.scheduled(),
        [(
            at_ms(60),
            rpc(RpcPending::Finish {
                service: 0,
                replica: 0,
                request: 0,
            })
        )]
    );
    let replica = &world.services[0].replicas[0];
    assert_eq!(replica.busy_workers, 1);
    assert_eq!(replica.waiting.iter().copied().collect::<Vec<_>>(), [1]);
    assert_eq!(world.services[0].queue_len_max, 1);
    assert_eq!(world.requests.get(&1).unwrap().state, RequestState::Waiting);
}

#[test]
fn a_worker_finishing_answers_its_request_and_takes_the_next_one_from_the_queue() {
    let (mut stage, mut world) = given(&one_service("", ""));
    world.request_now(&mut stage.ctx(), 0);
    world.request_now(&mut stage.ctx(), 0);
    step(&mut stage, &mut world);
    step(&mut stage, &mut world);
    let before = stage.records().len();

    step(&mut stage, &mut world); // request 0 finishes at 60 ms

    assert_eq!(
        records_from(&stage, before),
        [
            RpcRecord::Responded {
                request: 0,
                service: SVC,
                replica: 0,
                outcome: Outcome::Ok,
            },
            RpcRecord::Started {
                request: 1,
                service: SVC,
                replica: 0,
            },
        ]
    );
    assert_eq!(
        stage.scheduled(),
        [
            (
                at_ms(70),
                rpc(RpcPending::Answer {
                    request: 0,
                    outcome: OutcomeKey::Ok,
                })
            ),
            (
                at_ms(110),
                rpc(RpcPending::Finish {
                    service: 0,
                    replica: 0,
                    request: 1,
                })
            ),
        ]
    );
    let service = &world.services[0];
    assert_eq!(service.completed, 1);
    assert_eq!(service.replicas[0].busy_us, 50_000);
    assert!(service.replicas[0].waiting.is_empty());
    assert_eq!(world.requests.get(&0).unwrap().state, RequestState::Answering);
    assert_eq!(world.requests.get(&1).unwrap().state, RequestState::InService);
}

#[test]
fn an_answer_reaching_a_waiting_client_settles_the_request_with_its_response_time() {
    let (mut stage, mut world) = given(&one_service("", ""));
    world.request_now(&mut stage.ctx(), 0);
    step(&mut stage, &mut world); // reach
    step(&mut stage, &mut world); // finish
    let before = stage.records().len();

    step(&mut stage, &mut world); // the answer is back at 70 ms

    assert_eq!(
        records_from(&stage, before),
        [RpcRecord::Received {
            request: 0,
            client: WEB,
            outcome: Outcome::Ok,
            response_time_us: 70_000,
        }]
    );
    assert!(stage.scheduled().is_empty());
    assert!(world.requests.is_empty());
    assert_eq!(world.clients[0].succeeded, 1);
    assert_eq!(world.clients[0].failed, 0);
    assert_eq!(world.answers_received, 1);
    assert_eq!(world.request_accounting(), (1, 1));
}

#[test]
fn a_full_queue_turns_a_request_away_with_a_503_and_the_client_retries_after_its_backoff() {
    let (mut stage, mut world) = given(&one_service(
        r#", "queue_capacity": 0"#,
        r#", "retries": 2, "backoff": "100ms""#,
    ));
    world.request_now(&mut stage.ctx(), 0);
    world.request_now(&mut stage.ctx(), 0);
    step(&mut stage, &mut world); // request 0 takes the only worker
    let before = stage.records().len();

    step(&mut stage, &mut world); // request 1 finds no worker and no room to wait

    assert_eq!(
        records_from(&stage, before),
        [
            RpcRecord::Arrived {
                request: 1,
                service: SVC,
                replica: 0,
            },
            RpcRecord::Responded {
                request: 1,
                service: SVC,
                replica: 0,
                outcome: Outcome::Rejected,
            },
        ]
    );
    assert_eq!(world.services[0].rejected, 1);
    assert_eq!(
        stage.scheduled()[0],
        (
            at_ms(20),
            rpc(RpcPending::Answer {
                request: 1,
                outcome: OutcomeKey::Rejected,
            })
        )
    );

    // When the 503 is back, the client waits its backoff, then sends attempt 2.
    let before = stage.records().len();
    step(&mut stage, &mut world);
    assert_eq!(
        records_from(&stage, before),
        [RpcRecord::Received {
            request: 1,
            client: WEB,
            outcome: Outcome::Rejected,
            response_time_us: 20_000,
        }]
    );
    assert_eq!(
        stage.scheduled(),
        [
            (
                at_ms(60),
                rpc(RpcPending::Finish {
                    service: 0,
                    replica: 0,
                    request: 0,
                })
            ),
            (
                at_ms(120),
                rpc(RpcPending::Send {
                    client: 0,
                    operation: OperationKey::Call,
                    attempt: 2,
                    user: None,
                    // The retry keeps the idempotency key of request 1, the one turned away.
                    intent: Some(1),
                })
            ),
        ]
    );
    assert_eq!(world.clients[0].failed, 0, "a request being retried has not failed yet");
}

#[test]
fn a_timeout_abandons_the_request_and_its_late_answer_is_ignored() {
    let (mut stage, mut world) = given(&one_service("", r#", "timeout": "30ms""#));
    world.request_now(&mut stage.ctx(), 0);
    step(&mut stage, &mut world); // reaches at 10 ms, in service until 60 ms
    let before = stage.records().len();

    assert_eq!(step(&mut stage, &mut world), RpcPending::Timeout { request: 0 });

    assert_eq!(stage.now, at_ms(30));
    assert_eq!(
        records_from(&stage, before),
        [RpcRecord::TimedOut {
            request: 0,
            client: WEB,
        }]
    );
    assert!(world.requests.get(&0).unwrap().abandoned);
    assert_eq!(world.clients[0].timed_out, 1);
    assert_eq!(world.clients[0].failed, 1, "no retries left");
    assert_eq!(world.services[0].timeouts, 1);
    // No retry: only the work already started is still to come.
    assert_eq!(
        stage.scheduled(),
        [(
            at_ms(60),
            rpc(RpcPending::Finish {
                service: 0,
                replica: 0,
                request: 0,
            })
        )]
    );

    // The service still answers; the answer arrives to nobody.
    step(&mut stage, &mut world);
    let before = stage.records().len();
    step(&mut stage, &mut world);
    assert_eq!(
        records_from(&stage, before),
        [RpcRecord::LateResponse {
            request: 0,
            client: WEB,
        }]
    );
    assert_eq!(world.clients[0].late_responses, 1);
    assert_eq!(world.clients[0].succeeded, 0);
    assert_eq!(world.answers_received, 0);
    assert!(world.requests.is_empty());
    assert_eq!(world.request_accounting(), (1, 1));
}

#[test]
fn a_crash_loses_every_request_the_service_holds_and_their_completions_come_to_nothing() {
    let (mut stage, mut world) = given(&one_service("", ""));
    world.request_now(&mut stage.ctx(), 0);
    world.request_now(&mut stage.ctx(), 0);
    step(&mut stage, &mut world); // request 0 in service from 10 ms
    step(&mut stage, &mut world); // request 1 waiting
    stage.advance(eda_sim::SimDuration::from_millis(10));
    let before = stage.records().len();

    assert_eq!(world.set_down(&mut stage.ctx(), 0, true), Switch::Switched);

    assert_eq!(
        records_from(&stage, before),
        [
            RpcRecord::Lost {
                request: 0,
                service: SVC,
            },
            RpcRecord::Lost {
                request: 1,
                service: SVC,
            },
        ]
    );
    let service = &world.services[0];
    assert!(service.down);
    assert_eq!(service.lost, 2);
    assert_eq!(service.replicas[0].busy_workers, 0);
    assert!(service.replicas[0].waiting.is_empty());
    assert_eq!(
        service.replicas[0].busy_us, 10_000,
        "worked from 10 ms until the crash at 20 ms"
    );
    // The client has no timeout: nobody will ever settle them.
    assert!(world.requests.is_empty());
    assert_eq!(world.lost_unsettled, 2);
    assert_eq!(world.request_accounting(), (2, 2));

    // The completion scheduled before the crash no longer exists.
    let before = stage.records().len();
    step(&mut stage, &mut world);
    assert_eq!(stage.records().len(), before);
    assert!(stage.scheduled().is_empty());
    assert_eq!(world.services[0].completed, 0);

    // Crashing what is down changes nothing.
    assert_eq!(world.set_down(&mut stage.ctx(), 0, true), Switch::Unchanged);
}

#[test]
fn a_round_robin_balancer_hands_requests_to_each_replica_in_turn() {
    let (mut stage, mut world) = given(&one_service(r#", "replicas": 2"#, ""));
    for _ in 0..3 {
        world.request_now(&mut stage.ctx(), 0);
    }
    let before = stage.records().len();

    for _ in 0..3 {
        step(&mut stage, &mut world);
    }

    let replicas: Vec<(u64, u32)> = records_from(&stage, before)
        .into_iter()
        .filter_map(|r| match r {
            RpcRecord::Arrived { request, replica, .. } => Some((request, replica)),
            _ => None,
        })
        .collect();
    assert_eq!(replicas, [(0, 0), (1, 1), (2, 0)]);
    let waiting: Vec<usize> = world.services[0].replicas.iter().map(|r| r.waiting.len()).collect();
    assert_eq!(waiting, [1, 0], "replica 0 got two requests for its one worker");
}

/// An order shop (`shop`, 5 ms per request) with the given validity, whose paid orders are
/// published on the bus and appended to the store `orders`, and whose rejected ones are appended
/// too; the buyer confirms 2 s after the order is created, with the right code.
fn order_shop(validity: &str) -> (Stage, RequestReplyWorld) {
    given_with(
        r#"{"event_types": [{"name": "OrderPaid"}], "buses": [{"id": "bus"}],
            "sources": [{"id": "shop-events", "bus": "bus"}]}"#,
        &format!(
            r#"{{"services": [{{"id": "shop", "service_time": {{"constant": "5ms"}},
                 "orders": {{"validity": "{validity}",
                   "on_paid": [{{"publish": {{"source": "shop-events"}}}},
                               {{"append": {{"store": "orders", "stream": "order-{{id}}"}}}}],
                   "on_rejected": [{{"append": {{"store": "orders", "stream": "order-{{id}}"}}}}]}}}}],
                "clients": [{{"id": "buyer", "service": "shop"}}]}}"#
        ),
        r#"{"stores": [{"id": "orders"}]}"#,
    )
}

/// Creates order 0 and brings its confirmation up to the worker finishing it; returns its code.
fn order_created_and_confirmation_in_service(stage: &mut Stage, world: &mut RequestReplyWorld) -> u32 {
    world.request_now(&mut stage.ctx(), 0);
    step(stage, world); // POST /orders reaches the shop at 1 ms
    step(stage, world); // order 0 created at 6 ms
    let code = world.orders.get(&0).unwrap().code;
    assert!((100_000..1_000_000).contains(&code));
    step(stage, world); // the buyer has its order id and code at 7 ms
    assert_eq!(
        stage.scheduled(),
        [(
            SimTime(2_007_000),
            rpc(RpcPending::Send {
                client: 0,
                operation: OperationKey::ConfirmOrder { order: 0, code },
                attempt: 1,
                user: None,
                intent: None,
            })
        )]
    );
    step(stage, world); // the confirmation is sent
    step(stage, world); // and reaches the shop
    assert!(stage.effects().is_empty(), "creating an order has no links here");
    code
}

#[test]
fn confirming_an_order_in_time_with_its_code_pays_it_and_fires_the_paid_links() {
    let (mut stage, mut world) = order_shop("10s");
    order_created_and_confirmation_in_service(&mut stage, &mut world);
    let before = stage.records().len();

    step(&mut stage, &mut world); // the worker finishes the confirmation

    assert_eq!(
        records_from(&stage, before),
        [RpcRecord::Responded {
            request: 1,
            service: EntityId(2),
            replica: 0,
            outcome: Outcome::OrderPaid { order: 0 },
        }]
    );
    let order = json!({"order": 0, "status": "OrderPaid"});
    assert_eq!(
        stage.effects(),
        [
            &Effect::PublishEvent {
                source: 0,
                event_type: eda_sim::EventTypeId(0),
            },
            &Effect::Append {
                store: 0,
                stream: "order-0".into(),
                event_type: "OrderPaid".into(),
                data: order.as_object().unwrap().clone(),
            },
        ]
    );
    // Both were caused by the confirming request.
    assert!(stage
        .effects
        .iter()
        .all(|(_, cause)| *cause == Some(MessageKey::Request(1))));
    assert!(world.orders.is_empty());
    assert_eq!(world.services[0].orders_created, 1);
    assert_eq!(world.services[0].orders_paid, 1);
}

#[test]
fn a_confirmation_after_the_validity_window_expires_the_order_and_fires_the_rejected_links() {
    let (mut stage, mut world) = order_shop("1s");
    order_created_and_confirmation_in_service(&mut stage, &mut world);
    let before = stage.records().len();

    step(&mut stage, &mut world);

    assert_eq!(
        records_from(&stage, before),
        [RpcRecord::Responded {
            request: 1,
            service: EntityId(2),
            replica: 0,
            outcome: Outcome::OrderExpired { order: 0 },
        }]
    );
    let order = json!({"order": 0, "status": "OrderRejected"});
    assert_eq!(
        stage.effects(),
        [&Effect::Append {
            store: 0,
            stream: "order-0".into(),
            event_type: "OrderRejected".into(),
            data: order.as_object().unwrap().clone(),
        }]
    );
    assert!(world.orders.is_empty());
    assert_eq!(world.services[0].orders_expired, 1);
    assert_eq!(world.services[0].orders_paid, 0);
}
