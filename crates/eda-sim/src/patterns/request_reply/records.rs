//! What request-response writes in the trace: one record per step of a request, and the
//! operation and outcome those records name.

use crate::kernel::ids::EntityId;
use serde::Serialize;

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
    pub(super) fn succeeded(&self) -> bool {
        matches!(
            self,
            Outcome::Ok | Outcome::OrderCreated { .. } | Outcome::OrderPaid { .. }
        )
    }

    pub(super) fn retryable(&self) -> bool {
        matches!(self, Outcome::Rejected | Outcome::Refused)
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
    // The dual-write problem and the outbox (issue #15). New records go last.
    /// Dual write: the crash came between the write and the publish: the order's event is
    /// never published (`request`: the one whose write it was).
    EventLost {
        request: u64,
        service: EntityId,
        order: u64,
        event: OrderEvent,
    },
    /// Publish first: the crash came between the publish and the write: the event went out
    /// for a write the database never had.
    EventInvented {
        request: u64,
        service: EntityId,
        order: u64,
        event: OrderEvent,
    },
    /// Outbox: the relay published a row (`again`: it had before, and crashed before marking it).
    ///
    /// (Kept before `Unreachable`: a record's variant index is part of the trace hash.)
    RelayPublished {
        request: u64,
        service: EntityId,
        order: u64,
        event: OrderEvent,
        again: bool,
    },
    /// A network partition stopped the request (or its answer) between `from` and `to`: its
    /// client learns of it only by its timeout.
    Unreachable {
        request: u64,
        from: EntityId,
        to: EntityId,
        leg: Leg,
    },
    /// The client's link lost the request (or its answer).
    LinkLost {
        request: u64,
        from: EntityId,
        to: EntityId,
        leg: Leg,
    },
    /// The client's link delivered the request (or its answer) twice; a doubled request reaches
    /// the service as `copy`, which the client knows nothing of.
    LinkDoubled {
        request: u64,
        copy: u64,
        from: EntityId,
        to: EntityId,
    },
    /// A second order for what the client asked once (a retry after a lost or late answer, or
    /// a copy the link made): `first` is the order its first attempt created.
    DuplicateOrder {
        request: u64,
        service: EntityId,
        order: u64,
        first: u64,
    },
    /// The request's idempotency key was seen before: the service answers with the order it
    /// already created, and creates none.
    IdempotentReplay {
        request: u64,
        service: EntityId,
        order: u64,
    },
}

/// Why the network did not carry a request or its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Leg {
    Request,
    Answer,
}

/// The event an order's outcome publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum OrderEvent {
    OrderCreated,
    OrderPaid,
    OrderRejected,
}

impl OrderEvent {
    pub fn name(self) -> &'static str {
        match self {
            OrderEvent::OrderCreated => "OrderCreated",
            OrderEvent::OrderPaid => "OrderPaid",
            OrderEvent::OrderRejected => "OrderRejected",
        }
    }
}

impl RpcRecord {
    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            RpcRecord::Sent { client, service, .. } => (client, Some(service)),
            RpcRecord::Arrived { service, .. }
            | RpcRecord::Queued { service, .. }
            | RpcRecord::Started { service, .. }
            | RpcRecord::Lost { service, .. }
            | RpcRecord::EventLost { service, .. }
            | RpcRecord::EventInvented { service, .. }
            | RpcRecord::RelayPublished { service, .. } => (service, None),
            RpcRecord::Unreachable { from, to, .. }
            | RpcRecord::LinkLost { from, to, .. }
            | RpcRecord::LinkDoubled { from, to, .. } => (from, Some(to)),
            RpcRecord::DuplicateOrder { service, .. } | RpcRecord::IdempotentReplay { service, .. } => (service, None),
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
            | RpcRecord::Lost { request, .. }
            | RpcRecord::EventLost { request, .. }
            | RpcRecord::EventInvented { request, .. }
            | RpcRecord::RelayPublished { request, .. }
            | RpcRecord::Unreachable { request, .. }
            | RpcRecord::LinkLost { request, .. }
            | RpcRecord::LinkDoubled { request, .. }
            | RpcRecord::DuplicateOrder { request, .. }
            | RpcRecord::IdempotentReplay { request, .. } => request,
        }
    }
}
