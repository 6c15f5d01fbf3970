//! The pending events of request-response, and the compact operation and outcome keys they carry
//! through the event queue.

use super::records::{Operation, Outcome};

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
        /// Retries: the first attempt's request id (its idempotency key).
        intent: Option<u64>,
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
    /// Dual write: the events of a committed write are published (`entry`: which).
    PublishDue { service: usize, entry: u64, epoch: u64 },
    /// Publish first: the write whose events went out commits, and the request is answered.
    Commit {
        service: usize,
        replica: usize,
        request: u64,
        outcome: OutcomeKey,
    },
    /// Outbox: the relay reads the outbox.
    RelayPoll { service: usize, epoch: u64 },
    /// Outbox: the relay marks a published row sent (`publish`: which publish of it).
    RelayMarked {
        service: usize,
        row: u64,
        epoch: u64,
        publish: u32,
    },
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

impl OutcomeKey {
    /// The order and the event this outcome publishes, if it is an order's.
    pub fn order_event(self) -> Option<(u64, super::records::OrderEvent)> {
        use super::records::OrderEvent as E;
        match self {
            OutcomeKey::OrderCreated { order, .. } => Some((order, E::OrderCreated)),
            OutcomeKey::OrderPaid { order } => Some((order, E::OrderPaid)),
            OutcomeKey::OrderExpired { order } | OutcomeKey::WrongCode { order } => Some((order, E::OrderRejected)),
            _ => None,
        }
    }
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
