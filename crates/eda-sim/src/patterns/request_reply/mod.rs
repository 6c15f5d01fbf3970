//! Request-response: clients call a service that has a fixed number of workers, a service-time
//! distribution and a bounded waiting queue, possibly as several replicas behind a load
//! balancer. This is where throughput becomes the bottleneck: past saturation, queues grow,
//! response times climb, requests time out or are turned away (503).
//!
//! The seed's order flow is built in: `POST /orders` creates an order pending payment and
//! returns its id and a confirmation code; the client confirms within the validity window;
//! confirmed in time with the right code → paid, otherwise → rejected (expired or wrong code).
//!
//! One file per concept: the scenario section (`spec.rs`, checked in `validate.rs`), the state
//! (`state.rs`), a request (`request.rs`), services and their replicas (`service.rs`,
//! `balancer.rs`), clients (`client.rs`), the order flow (`orders.rs`) and its links to other
//! patterns (`links.rs`), the pending events (`pending.rs`), the trace records (`records.rs`,
//! their text in `describe.rs`) and the report (`report.rs`).

mod balancer;
mod client;
mod events;
mod kinds;
mod links;
mod network;
mod orders;
mod pending;
mod records;
mod report;
mod request;
mod service;
mod spec;
mod state;
mod theory;
mod validate;

pub use client::Client;
pub use events::{OutboxRow, ServiceEvents};
pub use kinds::KINDS;
pub use links::Link;
pub use orders::Order;
pub use pending::{OperationKey, OperationPlan, OutcomeKey, RpcPending};
pub use records::{Leg, Operation, OrderEvent, Outcome, RpcRecord};
pub use request::{Request, RequestState};
pub use service::{Replica, Service};
pub use spec::{
    ArrivalSpec, Balancing, ClientSpec, EventWrite, LinkSpec, OrderFlowSpec, RequestReplySpec, ServiceSpec, UsersSpec,
    MAX_REPLICAS, MAX_USERS, MAX_WORKERS,
};
pub use state::RequestReplyWorld;
pub use theory::{ServiceTheory, TheoryNote};

/// The context this pattern's handlers work with: they schedule [`RpcPending`]s and write
/// [`RpcRecord`]s, and ask other patterns for effects.
pub type Ctx<'a> = crate::kernel::ctx::Ctx<'a, RpcPending, RpcRecord>;
