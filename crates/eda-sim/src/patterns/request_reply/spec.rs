//! The request-response section of a scenario: services, their order flows and links, and the
//! clients that call them, as written in a scenario file.

use crate::kernel::link::LinkFaults;
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimDuration;
use serde::{Deserialize, Serialize};

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
    /// How the service's database write and the events of these links go together (default:
    /// atomically, an idealisation).
    #[serde(default, skip_serializing_if = "EventWrite::is_atomic")]
    pub events: EventWrite,
    /// Every attempt of one request carries the same idempotency key: a retried (or doubled)
    /// `POST /orders` gets the order its first attempt created, instead of a second order.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotency_keys: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How an order service's database write and the events its links publish go together: the
/// dual-write problem and its cure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum EventWrite {
    /// As one step, as if the broker took part in the database's transaction.
    #[default]
    Atomic,
    /// Dual write, database first: the write commits, then the events are published, which
    /// takes `publish_time`. A crash in between loses them: the order exists, nobody hears.
    DualWrite { publish_time: Distribution },
    /// Dual write, events first: the events are published, then the write commits, which takes
    /// `commit_time` (the worker stays busy). A crash in between invents them: everybody hears
    /// of an order the database does not have.
    PublishFirst { commit_time: Distribution },
    /// Transactional outbox: the events are written with the order in one transaction; a relay
    /// reads the outbox every `relay_interval` (change-data-capture's lag) and publishes each
    /// new row, marking it sent `publish_time` later. A crash in between publishes it again: at
    /// least once, never lost.
    Outbox {
        relay_interval: SimDuration,
        publish_time: Distribution,
    },
}

impl EventWrite {
    pub fn is_atomic(&self) -> bool {
        *self == EventWrite::Atomic
    }

    pub fn label(&self) -> &'static str {
        match self {
            EventWrite::Atomic => "atomic",
            EventWrite::DualWrite { .. } => "dual write",
            EventWrite::PublishFirst { .. } => "publish first",
            EventWrite::Outbox { .. } => "outbox",
        }
    }
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
    /// A broker producer publishes the outcome (key `order-{id}`, body `{"order": id, "status":
    /// outcome, "event_id": "order-{id}-{outcome}-{request}"}`).
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
    /// Faults of the network link between this client and its service, both ways (requests
    /// out, answers back). Default: a perfect link.
    #[serde(default, skip_serializing_if = "is_perfect_as_written")]
    pub link: LinkFaults,
}

fn is_perfect_as_written(link: &LinkFaults) -> bool {
    *link == LinkFaults::default()
}

/// Open-loop arrivals of a client (the shared stream format).
pub type ArrivalSpec = crate::kernel::stream::StreamSpec;

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
}
