//! Request-response: clients call a service that has a fixed number of workers, a service-time
//! distribution and a bounded waiting queue, possibly as several replicas behind a load
//! balancer. This is where throughput becomes the bottleneck: past saturation, queues grow,
//! response times climb, requests time out or are turned away (503).
//!
//! The seed's order flow is built in: `POST /orders` creates an order pending payment and
//! returns its id and a confirmation code; the client confirms within the validity window;
//! confirmed in time with the right code → paid, otherwise → rejected (expired or wrong code).

use crate::collections::IdMap;
use crate::engine::{Ctx, Effect, Entities, EntityKind, Pending, Sim, Switch};
use crate::patterns::event_bus::EventBusWorld;
use crate::report::EntityReport;
use crate::rng::Distribution;
use crate::scenario::{name_problem, Validator};
use crate::stats::Histogram;
use crate::time::{SimDuration, SimTime};
use crate::trace::{EntityId, EventTypeId, TraceKind};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Most replicas of one service, workers of one replica, and users of one closed-loop client.
pub const MAX_REPLICAS: u32 = 64;
pub const MAX_WORKERS: u32 = 1_000;
pub const MAX_USERS: u32 = 10_000;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestReplySpec {
    #[serde(default)]
    pub services: Vec<ServiceSpec>,
    #[serde(default)]
    pub clients: Vec<ClientSpec>,
}

/// How a service with several replicas picks one for each request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Balancing {
    /// Each replica in turn.
    #[default]
    RoundRobin,
    /// The replica with the fewest requests in service or waiting (lowest index on ties).
    LeastOutstanding,
    /// A replica drawn uniformly at random.
    Random,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub id: String,
    /// Requests one replica handles at once.
    #[serde(default = "one")]
    pub workers: u32,
    /// How long handling one request takes.
    pub service_time: Distribution,
    /// Requests that may wait per replica when all workers are busy; beyond it, 503. No limit if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_capacity: Option<u32>,
    #[serde(default = "one")]
    pub replicas: u32,
    #[serde(default)]
    pub load_balancer: Balancing,
    /// Makes this an order service (`POST /orders`, then confirmation with a code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orders: Option<OrderFlowSpec>,
}

/// The order flow of an order service, and what each outcome sets off elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderFlowSpec {
    /// How long a confirmation code stays valid after the order is created.
    pub validity: SimDuration,
    /// Run when an order is created (event name `OrderCreated`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_created: Vec<LinkSpec>,
    /// Run when an order is paid (`OrderPaid`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_paid: Vec<LinkSpec>,
    /// Run when a confirmation is refused (`OrderRejected`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_rejected: Vec<LinkSpec>,
}

/// A link from an outcome to another pattern.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum LinkSpec {
    /// An event-bus source publishes the outcome as an event (of this type, or named after the outcome).
    Publish {
        source: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_type: Option<String>,
    },
    /// The outcome is appended to a stream of an event store; `{id}` in `stream` becomes the order id.
    Append { store: String, stream: String },
    /// A broker producer publishes the outcome (key `order-{id}`, body `{"order": id, "status": outcome}`).
    Produce { producer: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    pub id: String,
    /// The service this client calls.
    pub service: String,
    /// Open loop: a new request every gap, whatever happened to earlier ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrivals: Option<ArrivalSpec>,
    /// Closed loop: this many users, each waiting for its answer, then thinking, then asking again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<UsersSpec>,
    /// Give up waiting after this long (then retry, if retries are left). No timeout if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<SimDuration>,
    /// Further attempts after a timeout or a 503.
    #[serde(default)]
    pub retries: u32,
    /// Wait before the first retry; each further retry waits twice as long.
    #[serde(default = "default_backoff")]
    pub backoff: SimDuration,
    /// One-way network delay between this client and the service.
    #[serde(default = "default_network_delay")]
    pub network_delay: Distribution,
    /// Order services: how long the user takes to confirm after the order is created.
    #[serde(default = "default_confirm_after")]
    pub confirm_after: Distribution,
    /// Order services: percentage of confirmations sent with a wrong code (0–100).
    #[serde(default)]
    pub wrong_code_percent: u32,
}

/// Open-loop arrivals of a client (the shared stream format).
pub type ArrivalSpec = crate::scenario::StreamSpec;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsersSpec {
    pub count: u32,
    /// Pause between an answer and the user's next request.
    pub think_time: Distribution,
}

fn one() -> u32 {
    1
}
fn default_backoff() -> SimDuration {
    SimDuration::from_millis(100)
}
fn default_network_delay() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(1))
}
fn default_confirm_after() -> Distribution {
    Distribution::Constant(SimDuration::from_secs(2))
}

impl RequestReplySpec {
    pub fn is_empty(&self) -> bool {
        self.services.is_empty() && self.clients.is_empty()
    }

    pub fn claim_ids(&self, v: &mut Validator) {
        for (i, s) in self.services.iter().enumerate() {
            v.claim(format!("request_reply.services[{i}].id"), &s.id, EntityKind::Service);
        }
        for (i, c) in self.clients.iter().enumerate() {
            v.claim(format!("request_reply.clients[{i}].id"), &c.id, EntityKind::Client);
        }
    }

    pub fn validate(&self, v: &mut Validator, bus_has_type: &dyn Fn(&str) -> bool) {
        for (i, s) in self.services.iter().enumerate() {
            let path = format!("request_reply.services[{i}]");
            if s.workers == 0 || s.workers > MAX_WORKERS {
                v.report(
                    format!("{path}.workers"),
                    format!("must be between 1 and {MAX_WORKERS}"),
                );
            }
            if s.replicas == 0 || s.replicas > MAX_REPLICAS {
                v.report(
                    format!("{path}.replicas"),
                    format!("must be between 1 and {MAX_REPLICAS}"),
                );
            }
            v.distribution(format!("{path}.service_time"), &s.service_time, false);
            if let Some(orders) = &s.orders {
                v.duration(format!("{path}.orders.validity"), orders.validity);
                for (field, links, outcome) in [
                    ("on_created", &orders.on_created, "OrderCreated"),
                    ("on_paid", &orders.on_paid, "OrderPaid"),
                    ("on_rejected", &orders.on_rejected, "OrderRejected"),
                ] {
                    for (j, link) in links.iter().enumerate() {
                        check_link(v, &format!("{path}.orders.{field}[{j}]"), link, outcome, bus_has_type);
                    }
                }
            }
        }
        for (i, c) in self.clients.iter().enumerate() {
            let path = format!("request_reply.clients[{i}]");
            v.expect(format!("{path}.service"), &c.service, &[EntityKind::Service]);
            match (&c.arrivals, &c.users) {
                (Some(a), None) => v.stream(&format!("{path}.arrivals"), a),
                (None, Some(u)) => {
                    if u.count == 0 || u.count > MAX_USERS {
                        v.report(
                            format!("{path}.users.count"),
                            format!("must be between 1 and {MAX_USERS}"),
                        );
                    }
                    v.distribution(format!("{path}.users.think_time"), &u.think_time, false);
                }
                (Some(_), Some(_)) => v.report(
                    path.clone(),
                    "a client is open loop (arrivals) or closed loop (users), not both",
                ),
                (None, None) => {} // requests only by script or by hand
            }
            if let Some(timeout) = c.timeout {
                if timeout.0 == 0 {
                    v.report(
                        format!("{path}.timeout"),
                        "a timeout of zero would fail every request; leave it out for none",
                    );
                }
                v.duration(format!("{path}.timeout"), timeout);
            }
            if c.retries > 100 {
                v.report(format!("{path}.retries"), "at most 100 retries");
            }
            v.duration(format!("{path}.backoff"), c.backoff);
            v.distribution(format!("{path}.network_delay"), &c.network_delay, false);
            v.distribution(format!("{path}.confirm_after"), &c.confirm_after, false);
            if c.wrong_code_percent > 100 {
                v.report(format!("{path}.wrong_code_percent"), "a percentage between 0 and 100");
            }
        }
    }
}

fn check_link(v: &mut Validator, path: &str, link: &LinkSpec, outcome: &str, bus_has_type: &dyn Fn(&str) -> bool) {
    match link {
        LinkSpec::Publish { source, event_type } => {
            v.expect(format!("{path}.publish.source"), source, &[EntityKind::EventSource]);
            let ty = event_type.as_deref().unwrap_or(outcome);
            if !bus_has_type(ty) {
                let field = if event_type.is_some() { "event_type" } else { "source" };
                v.report(
                    format!("{path}.publish.{field}"),
                    format!("the event bus has no event type {:?}", ty),
                );
            }
        }
        LinkSpec::Produce { producer } => {
            v.expect(format!("{path}.produce.producer"), producer, &[EntityKind::Producer]);
        }
        LinkSpec::Append { store, stream } => {
            v.expect(format!("{path}.append.store"), store, &[EntityKind::EventStore]);
            if let Some(problem) = name_problem(stream) {
                v.report(format!("{path}.append.stream"), problem);
            }
        }
    }
}

/// What a request asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// A plain call (services without an order flow).
    Call,
    /// `POST /orders`.
    CreateOrder,
    /// Confirms an order with the code the client was given (or a wrong one).
    ConfirmOrder { order: u64, code: u32 },
}

/// How a request ended, as the client saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Handled (for `POST /orders`: the order's id and confirmation code).
    Ok,
    OrderCreated {
        order: u64,
        code: u32,
    },
    OrderPaid {
        order: u64,
    },
    /// The confirmation came after the validity window.
    OrderExpired {
        order: u64,
    },
    /// The confirmation carried the wrong code.
    WrongCode {
        order: u64,
    },
    /// 503: every worker busy and the waiting queue full.
    Rejected,
    /// The service was down: connection refused.
    Refused,
}

impl Outcome {
    fn succeeded(&self) -> bool {
        matches!(
            self,
            Outcome::Ok | Outcome::OrderCreated { .. } | Outcome::OrderPaid { .. }
        )
    }
    fn retryable(&self) -> bool {
        matches!(self, Outcome::Rejected | Outcome::Refused)
    }
    fn label(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::OrderCreated { .. } => "order created",
            Outcome::OrderPaid { .. } => "order paid",
            Outcome::OrderExpired { .. } => "order expired",
            Outcome::WrongCode { .. } => "wrong code",
            Outcome::Rejected => "503 rejected",
            Outcome::Refused => "refused (service down)",
        }
    }
}

/// What request-response records in the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RpcRecord {
    /// A client sent a request (attempt 1 is the first try).
    Sent {
        request: u64,
        client: EntityId,
        service: EntityId,
        operation: Operation,
        attempt: u32,
    },
    /// The request reached the service; the load balancer chose `replica`.
    Arrived {
        request: u64,
        service: EntityId,
        replica: u32,
    },
    /// All workers busy: the request waits; `queue_len` now wait at this replica.
    Queued {
        request: u64,
        service: EntityId,
        replica: u32,
        queue_len: u32,
    },
    /// A worker started on the request.
    Started {
        request: u64,
        service: EntityId,
        replica: u32,
    },
    /// The service answered (the answer now travels back to the client).
    Responded {
        request: u64,
        service: EntityId,
        replica: u32,
        outcome: Outcome,
    },
    /// The answer reached the client in time; `response_time_us` since it was sent.
    Received {
        request: u64,
        client: EntityId,
        outcome: Outcome,
        response_time_us: u64,
    },
    /// The client stopped waiting.
    TimedOut { request: u64, client: EntityId },
    /// An answer arrived after the client had given up: ignored, the work was wasted.
    LateResponse { request: u64, client: EntityId },
    /// A request held by a crashed service is lost (the client learns by timeout, if it has one).
    Lost { request: u64, service: EntityId },
}

impl RpcRecord {
    pub fn verb(&self) -> &'static str {
        match self {
            RpcRecord::Sent { .. } => "Sent",
            RpcRecord::Arrived { .. } => "Arrived",
            RpcRecord::Queued { .. } => "Queued",
            RpcRecord::Started { .. } => "Started",
            RpcRecord::Responded { .. } => "Responded",
            RpcRecord::Received { .. } => "Received",
            RpcRecord::TimedOut { .. } => "Timed out",
            RpcRecord::LateResponse { .. } => "Late response",
            RpcRecord::Lost { .. } => "Lost",
        }
    }

    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            RpcRecord::Sent { client, service, .. } => (client, Some(service)),
            RpcRecord::Arrived { service, .. }
            | RpcRecord::Queued { service, .. }
            | RpcRecord::Started { service, .. }
            | RpcRecord::Lost { service, .. } => (service, None),
            RpcRecord::Responded { service, .. } => (service, None),
            RpcRecord::Received { client, .. }
            | RpcRecord::TimedOut { client, .. }
            | RpcRecord::LateResponse { client, .. } => (client, None),
        }
    }

    /// The request this record is about.
    pub fn request(&self) -> u64 {
        match *self {
            RpcRecord::Sent { request, .. }
            | RpcRecord::Arrived { request, .. }
            | RpcRecord::Queued { request, .. }
            | RpcRecord::Started { request, .. }
            | RpcRecord::Responded { request, .. }
            | RpcRecord::Received { request, .. }
            | RpcRecord::TimedOut { request, .. }
            | RpcRecord::LateResponse { request, .. }
            | RpcRecord::Lost { request, .. } => request,
        }
    }

    pub fn subject(&self, _sim: &Sim) -> String {
        match self {
            RpcRecord::Sent {
                request,
                operation,
                attempt,
                ..
            } => {
                let op = match operation {
                    Operation::Call => "call".to_string(),
                    Operation::CreateOrder => "POST /orders".to_string(),
                    Operation::ConfirmOrder { order, .. } => format!("confirm order {order}"),
                };
                if *attempt > 1 {
                    format!("request #{request} ({op}, attempt {attempt})")
                } else {
                    format!("request #{request} ({op})")
                }
            }
            RpcRecord::Responded { request, outcome, .. } | RpcRecord::Received { request, outcome, .. } => {
                format!("request #{request}: {}", outcome.label())
            }
            RpcRecord::Arrived { request, .. }
            | RpcRecord::Queued { request, .. }
            | RpcRecord::Started { request, .. }
            | RpcRecord::TimedOut { request, .. }
            | RpcRecord::LateResponse { request, .. }
            | RpcRecord::Lost { request, .. } => format!("request #{request}"),
        }
    }
}

/// Pending events of this pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RpcPending {
    /// An open-loop client's next arrival.
    Arrival { client: usize },
    /// A closed-loop user (or a retry, or a confirmation) sends now.
    Send {
        client: usize,
        operation: OperationPlan,
        attempt: u32,
        user: Option<u32>,
    },
    /// A request reaches its service.
    Reach { request: u64 },
    /// A worker finishes a request.
    Finish {
        service: usize,
        replica: usize,
        request: u64,
    },
    /// An answer reaches its client.
    Answer { request: u64, outcome: OutcomeKey },
    /// A client's timeout for a request fires.
    Timeout { request: u64 },
}

/// An operation to send (a copy of [`Operation`] that the pending queue can hold).
pub type OperationPlan = OperationKey;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationKey {
    Call,
    CreateOrder,
    ConfirmOrder { order: u64, code: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeKey {
    Ok,
    OrderCreated { order: u64, code: u32 },
    OrderPaid { order: u64 },
    OrderExpired { order: u64 },
    WrongCode { order: u64 },
    Rejected,
    Refused,
}

impl From<OutcomeKey> for Outcome {
    fn from(k: OutcomeKey) -> Self {
        match k {
            OutcomeKey::Ok => Outcome::Ok,
            OutcomeKey::OrderCreated { order, code } => Outcome::OrderCreated { order, code },
            OutcomeKey::OrderPaid { order } => Outcome::OrderPaid { order },
            OutcomeKey::OrderExpired { order } => Outcome::OrderExpired { order },
            OutcomeKey::WrongCode { order } => Outcome::WrongCode { order },
            OutcomeKey::Rejected => Outcome::Rejected,
            OutcomeKey::Refused => Outcome::Refused,
        }
    }
}

impl From<OperationKey> for Operation {
    fn from(k: OperationKey) -> Self {
        match k {
            OperationKey::Call => Operation::Call,
            OperationKey::CreateOrder => Operation::CreateOrder,
            OperationKey::ConfirmOrder { order, code } => Operation::ConfirmOrder { order, code },
        }
    }
}

/// A resolved link (see [`LinkSpec`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Link {
    Publish { source: usize, event_type: EventTypeId },
    Append { store: usize, stream: String },
    Produce { producer: usize },
}

#[derive(Clone, Debug)]
pub struct Replica {
    pub busy_workers: u32,
    pub waiting: VecDeque<u64>,
    /// Worker-microseconds spent on requests (for utilisation).
    pub busy_us: u64,
    /// Start times of the requests in service (request → start).
    pub in_service: IdMap<SimTime>,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub entity: EntityId,
    pub workers: u32,
    pub service_time: Distribution,
    pub queue_capacity: Option<u32>,
    pub balancing: Balancing,
    pub replicas: Vec<Replica>,
    pub next_replica: usize,
    pub down: bool,
    pub order_validity: Option<SimDuration>,
    pub on_created: Vec<Link>,
    pub on_paid: Vec<Link>,
    pub on_rejected: Vec<Link>,
    pub arrived: u64,
    pub completed: u64,
    pub rejected: u64,
    pub refused: u64,
    pub lost: u64,
    pub queue_len_max: u32,
    pub orders_created: u64,
    pub orders_paid: u64,
    pub orders_expired: u64,
    pub orders_wrong_code: u64,
    /// Client-observed response times of this service's answers.
    pub response_times: Histogram,
    /// Client timeouts of requests sent to this service.
    pub timeouts: u64,
}

impl Service {
    pub fn outstanding(&self, replica: usize) -> usize {
        let r = &self.replicas[replica];
        r.busy_workers as usize + r.waiting.len()
    }

    /// Busy worker time up to `now` divided by the capacity (workers × replicas × now).
    pub fn utilisation(&self, now: SimTime) -> f64 {
        if now.0 == 0 {
            return 0.0;
        }
        let busy: u64 = self
            .replicas
            .iter()
            .map(|r| r.busy_us + r.in_service.values().map(|&t| now.since(t).0).sum::<u64>())
            .sum();
        busy as f64 / (self.workers as f64 * self.replicas.len() as f64 * now.0 as f64)
    }
}

#[derive(Clone, Debug)]
pub struct Client {
    pub entity: EntityId,
    pub service: usize,
    pub arrivals: Option<ArrivalSpec>,
    pub arrivals_left: Option<u64>,
    pub users: Option<UsersSpec>,
    pub timeout: Option<SimDuration>,
    pub retries: u32,
    pub backoff: SimDuration,
    pub network_delay: Distribution,
    pub confirm_after: Distribution,
    pub wrong_code_percent: u32,
    pub sent: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub retried: u64,
    pub late_responses: u64,
    pub response_times: Histogram,
}

/// Where a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestState {
    /// On its way to the service.
    Travelling,
    Waiting,
    InService,
    /// Answered; the answer is on its way back.
    Answering,
    /// Dropped by a crash of its service.
    Lost,
}

#[derive(Clone, Debug)]
pub struct Request {
    pub client: usize,
    pub service: usize,
    pub operation: OperationKey,
    pub attempt: u32,
    pub user: Option<u32>,
    pub sent_at: SimTime,
    pub state: RequestState,
    /// The client stopped waiting (timed out); a later answer is ignored.
    pub abandoned: bool,
}

#[derive(Clone, Debug)]
pub struct Order {
    pub code: u32,
    pub created_at: SimTime,
    pub service: usize,
}

/// All state of the request-response pattern.
#[derive(Clone, Debug, Default)]
pub struct RequestReplyWorld {
    pub services: Vec<Service>,
    pub clients: Vec<Client>,
    /// Requests not yet settled on both sides, by id.
    pub requests: IdMap<Request>,
    next_request: u64,
    /// Orders pending payment, by id.
    pub orders: IdMap<Order>,
    next_order: u64,
    /// Answers that reached a client still waiting for them.
    pub answers_received: u64,
    /// Requests lost in a crash whose client has no timeout: it waits forever.
    pub lost_unsettled: u64,
}

impl RequestReplyWorld {
    pub fn build(spec: &RequestReplySpec, entities: &mut Entities) -> Self {
        let mut world = RequestReplyWorld::default();
        for s in &spec.services {
            let entity = entities.add(&s.id, EntityKind::Service, world.services.len());
            world.services.push(Service {
                entity,
                workers: s.workers,
                service_time: s.service_time.clone(),
                queue_capacity: s.queue_capacity,
                balancing: s.load_balancer,
                replicas: (0..s.replicas)
                    .map(|_| Replica {
                        busy_workers: 0,
                        waiting: VecDeque::new(),
                        busy_us: 0,
                        in_service: IdMap::new(),
                    })
                    .collect(),
                next_replica: 0,
                down: false,
                order_validity: s.orders.as_ref().map(|o| o.validity),
                on_created: Vec::new(),
                on_paid: Vec::new(),
                on_rejected: Vec::new(),
                arrived: 0,
                completed: 0,
                rejected: 0,
                refused: 0,
                lost: 0,
                queue_len_max: 0,
                orders_created: 0,
                orders_paid: 0,
                orders_expired: 0,
                orders_wrong_code: 0,
                response_times: Histogram::default(),
                timeouts: 0,
            });
        }
        for c in &spec.clients {
            let entity = entities.add(&c.id, EntityKind::Client, world.clients.len());
            let service = spec.services.iter().position(|s| s.id == c.service).unwrap_or(0);
            world.clients.push(Client {
                entity,
                service,
                arrivals: c.arrivals.clone(),
                arrivals_left: c.arrivals.as_ref().and_then(|a| a.count),
                users: c.users.clone(),
                timeout: c.timeout,
                retries: c.retries,
                backoff: c.backoff,
                network_delay: c.network_delay.clone(),
                confirm_after: c.confirm_after.clone(),
                wrong_code_percent: c.wrong_code_percent,
                sent: 0,
                succeeded: 0,
                failed: 0,
                timed_out: 0,
                retried: 0,
                late_responses: 0,
                response_times: Histogram::default(),
            });
        }
        world
    }

    /// Resolves the order outcomes' links to other patterns.
    pub fn link(&mut self, spec: &RequestReplySpec, entities: &Entities, bus: &EventBusWorld) {
        let resolve = |links: &[LinkSpec], outcome: &str| -> Vec<Link> {
            links
                .iter()
                .filter_map(|link| match link {
                    LinkSpec::Publish { source, event_type } => Some(Link::Publish {
                        source: entities.index_of(source, EntityKind::EventSource).ok()?,
                        event_type: bus.types.id(event_type.as_deref().unwrap_or(outcome))?,
                    }),
                    LinkSpec::Produce { producer } => Some(Link::Produce {
                        producer: entities.index_of(producer, EntityKind::Producer).ok()?,
                    }),
                    LinkSpec::Append { store, stream } => Some(Link::Append {
                        store: entities.index_of(store, EntityKind::EventStore).ok()?,
                        stream: stream.clone(),
                    }),
                })
                .collect()
        };
        for (service, s) in self.services.iter_mut().zip(&spec.services) {
            if let Some(orders) = &s.orders {
                service.on_created = resolve(&orders.on_created, "OrderCreated");
                service.on_paid = resolve(&orders.on_paid, "OrderPaid");
                service.on_rejected = resolve(&orders.on_rejected, "OrderRejected");
            }
        }
    }

    /// Schedules the first arrivals and every closed-loop user's first request.
    pub fn start(&mut self, ctx: &mut Ctx) {
        for (c, client) in self.clients.iter().enumerate() {
            if let Some(a) = &client.arrivals {
                if client.arrivals_left != Some(0) {
                    let first = a.first_delay(ctx.rng);
                    ctx.schedule(first, Pending::Rpc(RpcPending::Arrival { client: c }));
                }
            }
            if let Some(users) = &client.users {
                for user in 0..users.count {
                    let operation = self.first_operation(client.service);
                    let think = users.think_time.sample(ctx.rng);
                    ctx.schedule(
                        think,
                        Pending::Rpc(RpcPending::Send {
                            client: c,
                            operation,
                            attempt: 1,
                            user: Some(user),
                        }),
                    );
                }
            }
        }
    }

    fn first_operation(&self, service: usize) -> OperationKey {
        if self.services[service].order_validity.is_some() {
            OperationKey::CreateOrder
        } else {
            OperationKey::Call
        }
    }

    /// Requests waiting in service queues (counted against the pending-event limit).
    pub fn queued_total(&self) -> usize {
        self.services
            .iter()
            .flat_map(|s| &s.replicas)
            .map(|r| r.waiting.len())
            .sum()
    }

    /// A client sends one request now (script or UI).
    pub fn request_now(&mut self, ctx: &mut Ctx, client: usize) {
        let operation = self.first_operation(self.clients[client].service);
        self.send(ctx, client, operation, 1, None);
    }

    pub fn handle(&mut self, ctx: &mut Ctx, pending: RpcPending) {
        match pending {
            RpcPending::Arrival { client } => {
                let c = &mut self.clients[client];
                if c.arrivals_left == Some(0) {
                    return;
                }
                if let Some(n) = c.arrivals_left.as_mut() {
                    *n -= 1;
                }
                let more = c.arrivals_left != Some(0);
                let gap = c.arrivals.as_ref().map(|a| a.every.clone());
                let operation = self.first_operation(self.clients[client].service);
                self.send(ctx, client, operation, 1, None);
                if let (true, Some(gap)) = (more, gap) {
                    let after = gap.sample(ctx.rng);
                    ctx.schedule(after, Pending::Rpc(RpcPending::Arrival { client }));
                }
            }
            RpcPending::Send {
                client,
                operation,
                attempt,
                user,
            } => self.send(ctx, client, operation, attempt, user),
            RpcPending::Reach { request } => self.reach(ctx, request),
            RpcPending::Finish {
                service,
                replica,
                request,
            } => self.finish(ctx, service, replica, request),
            RpcPending::Answer { request, outcome } => self.answer(ctx, request, outcome),
            RpcPending::Timeout { request } => self.timeout(ctx, request),
        }
    }

    fn send(&mut self, ctx: &mut Ctx, client: usize, operation: OperationKey, attempt: u32, user: Option<u32>) {
        let id = self.next_request;
        self.next_request += 1;
        let c = &mut self.clients[client];
        c.sent += 1;
        if attempt > 1 {
            c.retried += 1;
        }
        let service = c.service;
        self.requests.insert(
            id,
            Request {
                client,
                service,
                operation,
                attempt,
                user,
                sent_at: ctx.now,
                state: RequestState::Travelling,
                abandoned: false,
            },
        );
        ctx.record(TraceKind::Rpc(RpcRecord::Sent {
            request: id,
            client: c.entity,
            service: self.services[service].entity,
            operation: operation.into(),
            attempt,
        }));
        let delay = c.network_delay.sample(ctx.rng);
        ctx.schedule(delay, Pending::Rpc(RpcPending::Reach { request: id }));
        if let Some(timeout) = c.timeout {
            ctx.schedule(timeout, Pending::Rpc(RpcPending::Timeout { request: id }));
        }
    }

    fn reach(&mut self, ctx: &mut Ctx, id: u64) {
        let Some(request) = self.requests.get(&id) else { return };
        let service_index = request.service;
        let service = &mut self.services[service_index];
        service.arrived += 1;
        if service.down {
            service.refused += 1;
            self.respond(ctx, service_index, None, id, OutcomeKey::Refused);
            return;
        }
        let replica = match service.balancing {
            Balancing::RoundRobin => {
                let r = service.next_replica % service.replicas.len();
                service.next_replica = (r + 1) % service.replicas.len();
                r
            }
            Balancing::LeastOutstanding => (0..service.replicas.len())
                .min_by_key(|&r| (service.outstanding(r), r))
                .unwrap_or(0),
            Balancing::Random => ctx.rng.below(service.replicas.len() as u64) as usize,
        };
        ctx.record(TraceKind::Rpc(RpcRecord::Arrived {
            request: id,
            service: service.entity,
            replica: replica as u32,
        }));
        let r = &mut service.replicas[replica];
        if r.busy_workers < service.workers {
            self.start_work(ctx, service_index, replica, id);
        } else if service.queue_capacity.is_none_or(|cap| (r.waiting.len() as u32) < cap) {
            r.waiting.push_back(id);
            let queue_len = r.waiting.len() as u32;
            service.queue_len_max = service.queue_len_max.max(queue_len);
            if let Some(req) = self.requests.get_mut(&id) {
                req.state = RequestState::Waiting;
            }
            ctx.record(TraceKind::Rpc(RpcRecord::Queued {
                request: id,
                service: service.entity,
                replica: replica as u32,
                queue_len,
            }));
        } else {
            service.rejected += 1;
            self.respond(ctx, service_index, Some(replica), id, OutcomeKey::Rejected);
        }
    }

    fn start_work(&mut self, ctx: &mut Ctx, service_index: usize, replica: usize, id: u64) {
        let service = &mut self.services[service_index];
        let r = &mut service.replicas[replica];
        r.busy_workers += 1;
        r.in_service.insert(id, ctx.now);
        if let Some(req) = self.requests.get_mut(&id) {
            req.state = RequestState::InService;
        }
        ctx.record(TraceKind::Rpc(RpcRecord::Started {
            request: id,
            service: service.entity,
            replica: replica as u32,
        }));
        let took = service.service_time.sample(ctx.rng);
        ctx.schedule(
            took,
            Pending::Rpc(RpcPending::Finish {
                service: service_index,
                replica,
                request: id,
            }),
        );
    }

    fn finish(&mut self, ctx: &mut Ctx, service_index: usize, replica: usize, id: u64) {
        let service = &mut self.services[service_index];
        let r = &mut service.replicas[replica];
        // A crash in between emptied the replica: this completion no longer exists.
        let Some(started) = r.in_service.remove(&id) else {
            return;
        };
        r.busy_workers -= 1;
        r.busy_us += ctx.now.since(started).0;
        service.completed += 1;
        let operation = self
            .requests
            .get(&id)
            .map(|r| r.operation)
            .unwrap_or(OperationKey::Call);
        // What the order's outcome sets off elsewhere was caused by this request.
        ctx.cause = Some(crate::trace::MessageKey::Request(id));
        let outcome = self.business_outcome(ctx, service_index, operation);
        ctx.cause = None;
        self.respond(ctx, service_index, Some(replica), id, outcome);
        let r = &mut self.services[service_index].replicas[replica];
        if let Some(next) = r.waiting.pop_front() {
            self.start_work(ctx, service_index, replica, next);
        }
    }

    /// The order flow's rules, applied when a worker finishes an order request.
    fn business_outcome(&mut self, ctx: &mut Ctx, service_index: usize, operation: OperationKey) -> OutcomeKey {
        let service = &mut self.services[service_index];
        match operation {
            OperationKey::Call => OutcomeKey::Ok,
            OperationKey::CreateOrder => {
                let order = self.next_order;
                self.next_order += 1;
                let code = 100_000 + ctx.rng.below(900_000) as u32;
                self.orders.insert(
                    order,
                    Order {
                        code,
                        created_at: ctx.now,
                        service: service_index,
                    },
                );
                service.orders_created += 1;
                fire(ctx, &service.on_created, order, "OrderCreated");
                OutcomeKey::OrderCreated { order, code }
            }
            OperationKey::ConfirmOrder { order, code } => {
                let validity = service.order_validity.unwrap_or(SimDuration::ZERO);
                let outcome = match self.orders.get(&order) {
                    None => OutcomeKey::OrderExpired { order },
                    Some(o) if ctx.now.since(o.created_at) > validity => OutcomeKey::OrderExpired { order },
                    Some(o) if o.code != code => OutcomeKey::WrongCode { order },
                    Some(_) => OutcomeKey::OrderPaid { order },
                };
                match outcome {
                    OutcomeKey::OrderPaid { .. } => {
                        self.orders.remove(&order);
                        service.orders_paid += 1;
                        fire(ctx, &service.on_paid, order, "OrderPaid");
                    }
                    OutcomeKey::OrderExpired { .. } => {
                        self.orders.remove(&order);
                        service.orders_expired += 1;
                        fire(ctx, &service.on_rejected, order, "OrderRejected");
                    }
                    _ => {
                        service.orders_wrong_code += 1;
                        fire(ctx, &service.on_rejected, order, "OrderRejected");
                    }
                }
                outcome
            }
        }
    }

    fn respond(&mut self, ctx: &mut Ctx, service_index: usize, replica: Option<usize>, id: u64, outcome: OutcomeKey) {
        let Some(request) = self.requests.get_mut(&id) else {
            return;
        };
        request.state = RequestState::Answering;
        let service = &self.services[service_index];
        ctx.record(TraceKind::Rpc(RpcRecord::Responded {
            request: id,
            service: service.entity,
            replica: replica.unwrap_or(0) as u32,
            outcome: outcome.into(),
        }));
        let delay = self.clients[request.client].network_delay.sample(ctx.rng);
        ctx.schedule(delay, Pending::Rpc(RpcPending::Answer { request: id, outcome }));
    }

    fn answer(&mut self, ctx: &mut Ctx, id: u64, outcome_key: OutcomeKey) {
        let Some(request) = self.requests.remove(&id) else {
            return;
        };
        let client = &mut self.clients[request.client];
        if request.abandoned {
            client.late_responses += 1;
            ctx.record(TraceKind::Rpc(RpcRecord::LateResponse {
                request: id,
                client: client.entity,
            }));
            return;
        }
        self.answers_received += 1;
        let outcome: Outcome = outcome_key.into();
        let response_time = ctx.now.since(request.sent_at);
        ctx.record(TraceKind::Rpc(RpcRecord::Received {
            request: id,
            client: client.entity,
            outcome: outcome.clone(),
            response_time_us: response_time.0,
        }));
        if outcome.retryable() && request.attempt <= client.retries {
            self.retry(ctx, &request);
            return;
        }
        if outcome.succeeded() {
            client.succeeded += 1;
            client.response_times.record(response_time.0);
            self.services[request.service].response_times.record(response_time.0);
        } else {
            client.failed += 1;
        }
        // An order created: the user confirms later, with the right code or not.
        if let OutcomeKey::OrderCreated { order, code } = outcome_key {
            let wrong = ctx.rng.below(100) < client.wrong_code_percent as u64;
            let code = if wrong {
                (code + 1 - 100_000) % 900_000 + 100_000
            } else {
                code
            };
            let after = client.confirm_after.sample(ctx.rng);
            let operation = OperationKey::ConfirmOrder { order, code };
            ctx.schedule(
                after,
                Pending::Rpc(RpcPending::Send {
                    client: request.client,
                    operation,
                    attempt: 1,
                    user: request.user,
                }),
            );
            return;
        }
        self.user_done(ctx, &request);
    }

    fn timeout(&mut self, ctx: &mut Ctx, id: u64) {
        let Some(request) = self.requests.get_mut(&id) else {
            return;
        };
        if request.abandoned {
            return;
        }
        request.abandoned = true;
        let request = request.clone();
        let client = &mut self.clients[request.client];
        client.timed_out += 1;
        self.services[request.service].timeouts += 1;
        ctx.record(TraceKind::Rpc(RpcRecord::TimedOut {
            request: id,
            client: client.entity,
        }));
        // A request lost in a crash is settled by its timeout.
        if request.state == RequestState::Lost {
            self.requests.remove(&id);
        }
        if request.attempt <= client.retries {
            self.retry(ctx, &request);
        } else {
            client.failed += 1;
            self.user_done(ctx, &request);
        }
    }

    fn retry(&mut self, ctx: &mut Ctx, request: &Request) {
        let client = &self.clients[request.client];
        let wait = SimDuration(client.backoff.0.saturating_mul(1u64 << (request.attempt - 1).min(20)));
        let send = RpcPending::Send {
            client: request.client,
            operation: request.operation,
            attempt: request.attempt + 1,
            user: request.user,
        };
        ctx.schedule(wait, Pending::Rpc(send));
    }

    /// A closed-loop user has its final answer: think, then ask again.
    fn user_done(&mut self, ctx: &mut Ctx, request: &Request) {
        let client = &self.clients[request.client];
        if let (Some(user), Some(users)) = (request.user, &client.users) {
            let think = users.think_time.sample(ctx.rng);
            let operation = self.first_operation(client.service);
            ctx.schedule(
                think,
                Pending::Rpc(RpcPending::Send {
                    client: request.client,
                    operation,
                    attempt: 1,
                    user: Some(user),
                }),
            );
        }
    }

    /// Conservation check: every attempt sent is answered, timed out, lost for good in a crash,
    /// or still on its way. Returns (sent, accounted for).
    pub fn request_accounting(&self) -> (u64, u64) {
        let sent: u64 = self.clients.iter().map(|c| c.sent).sum();
        let timed_out: u64 = self.clients.iter().map(|c| c.timed_out).sum();
        let open = self.requests.values().filter(|r| !r.abandoned).count() as u64;
        (sent, self.answers_received + timed_out + self.lost_unsettled + open)
    }

    /// Crashes (`down`) or restarts a service. A crash loses every request it holds.
    pub fn set_down(&mut self, ctx: &mut Ctx, service_index: usize, down: bool) -> Switch {
        let service = &mut self.services[service_index];
        if service.down == down {
            return Switch::Unchanged;
        }
        service.down = down;
        if !down {
            return Switch::Switched;
        }
        let entity = service.entity;
        let mut lost: Vec<u64> = Vec::new();
        for r in &mut service.replicas {
            lost.extend(r.waiting.drain(..));
            for (&id, &started) in r.in_service.iter() {
                r.busy_us += ctx.now.since(started).0;
                lost.push(id);
            }
            r.in_service.clear();
            r.busy_workers = 0;
        }
        crate::collections::sort_by_key(&mut lost, |&id| id);
        for id in lost {
            service.lost += 1;
            ctx.record(TraceKind::Rpc(RpcRecord::Lost {
                request: id,
                service: entity,
            }));
            if let Some(request) = self.requests.get_mut(&id) {
                request.state = RequestState::Lost;
                if request.abandoned || self.clients[request.client].timeout.is_none() {
                    // Nobody will ever settle it: the client waits forever (no timeout) or gave up.
                    if !request.abandoned {
                        self.lost_unsettled += 1;
                    }
                    self.requests.remove(&id);
                }
            }
        }
        Switch::Switched
    }

    /// Counters and statistics per service and client.
    pub fn report(&self, entities: &Entities, now: SimTime) -> Vec<EntityReport> {
        let seconds = now.0 as f64 / 1e6;
        let ms = |us: u64| us as f64 / 1_000.0;
        let mut out = Vec::new();
        for s in &self.services {
            let mut r = EntityReport::new(entities.name(s.entity), "service")
                .with("arrived", s.arrived)
                .with("completed", s.completed)
                .with(
                    "throughput_per_s",
                    if seconds > 0.0 {
                        s.completed as f64 / seconds
                    } else {
                        0.0
                    },
                )
                .with("utilisation", s.utilisation(now))
                .with("response_ms_mean", s.response_times.mean_us() / 1_000.0)
                .with("response_ms_p50", ms(s.response_times.quantile_us(0.50)))
                .with("response_ms_p95", ms(s.response_times.quantile_us(0.95)))
                .with("response_ms_p99", ms(s.response_times.quantile_us(0.99)))
                .with("rejected", s.rejected)
                .with("refused", s.refused)
                .with("timeouts", s.timeouts)
                .with("lost", s.lost)
                .with("queued", s.replicas.iter().map(|r| r.waiting.len() as u64).sum::<u64>())
                .with("queue_len_max", s.queue_len_max)
                .with("down", u64::from(s.down));
            if s.order_validity.is_some() {
                r = r
                    .with("orders_created", s.orders_created)
                    .with("orders_paid", s.orders_paid)
                    .with("orders_expired", s.orders_expired)
                    .with("orders_wrong_code", s.orders_wrong_code)
                    .with(
                        "orders_pending",
                        self.orders
                            .values()
                            .filter(|o| std::ptr::eq(&self.services[o.service], s))
                            .count() as u64,
                    );
            }
            out.push(r);
        }
        for c in &self.clients {
            out.push(
                EntityReport::new(entities.name(c.entity), "client")
                    .with("sent", c.sent)
                    .with("succeeded", c.succeeded)
                    .with("failed", c.failed)
                    .with("timeouts", c.timed_out)
                    .with("retries", c.retried)
                    .with("late_responses", c.late_responses)
                    .with("response_ms_mean", c.response_times.mean_us() / 1_000.0)
                    .with("response_ms_p99", ms(c.response_times.quantile_us(0.99))),
            );
        }
        out
    }
}

/// Runs an outcome's links: each becomes an effect on another pattern.
fn fire(ctx: &mut Ctx, links: &[Link], order: u64, outcome: &str) {
    for link in links {
        match link {
            Link::Publish { source, event_type } => ctx.effect(Effect::PublishEvent {
                source: *source,
                event_type: *event_type,
            }),
            Link::Produce { producer } => {
                let mut payload = serde_json::Map::new();
                payload.insert("order".into(), order.into());
                payload.insert("status".into(), outcome.into());
                ctx.effect(Effect::Produce {
                    producer: *producer,
                    key: format!("order-{order}"),
                    payload,
                });
            }
            Link::Append { store, stream } => {
                let mut data = serde_json::Map::new();
                data.insert("order".into(), order.into());
                data.insert("status".into(), outcome.into());
                ctx.effect(Effect::Append {
                    store: *store,
                    stream: stream.replace("{id}", &order.to_string()),
                    event_type: outcome.to_string(),
                    data,
                });
            }
        }
    }
}
