//! The text a timeline or log line shows for a request-response record: its verb and subject.

use crate::kernel::names::Names;
use crate::patterns::request_reply::{Operation, Outcome, RpcRecord};

impl Outcome {
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
            RpcRecord::EventLost { .. } => "Event never published",
            RpcRecord::EventInvented { .. } => "Event never written",
            RpcRecord::RelayPublished { again: false, .. } => "Relay published",
            RpcRecord::RelayPublished { again: true, .. } => "Relay published again",
            RpcRecord::Unreachable { .. } => "Cut off by the partition",
            RpcRecord::LinkLost { .. } => "Lost on the link",
            RpcRecord::LinkDoubled { .. } => "Doubled on the link",
            RpcRecord::DuplicateOrder { .. } => "Duplicate order",
            RpcRecord::IdempotentReplay { .. } => "Idempotent replay",
        }
    }

    pub fn subject(&self, _names: &dyn Names) -> String {
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
            RpcRecord::LinkLost { request, leg, .. } => match leg {
                crate::patterns::request_reply::Leg::Request => format!("request #{request}"),
                crate::patterns::request_reply::Leg::Answer => format!("the answer to request #{request}"),
            },
            RpcRecord::LinkDoubled { request, copy, .. } if copy != request => {
                format!("request #{request}: the service gets it twice (the copy is #{copy})")
            }
            RpcRecord::LinkDoubled { request, .. } => format!("the answer to request #{request}"),
            RpcRecord::DuplicateOrder { order, first, .. } => {
                format!("order {order} for what already made order {first} (a retry or a copy)")
            }
            RpcRecord::IdempotentReplay { order, .. } => {
                format!("idempotency key seen: answered with order {order}, none created")
            }
            RpcRecord::Unreachable { request, leg, .. } => match leg {
                crate::patterns::request_reply::Leg::Request => format!("request #{request}"),
                crate::patterns::request_reply::Leg::Answer => format!("the answer to request #{request}"),
            },
            RpcRecord::EventLost { order, event, .. } => {
                format!(
                    "{} of order {order}: written, then the crash came before the publish",
                    event.name()
                )
            }
            RpcRecord::EventInvented { order, event, .. } => format!(
                "{} of order {order}: published, then the crash came before the write",
                event.name()
            ),
            RpcRecord::RelayPublished {
                order, event, again, ..
            } => format!(
                "{} of order {order}{}",
                event.name(),
                if *again {
                    " — published again: the crash came before it was marked sent"
                } else {
                    ""
                }
            ),
        }
    }
}
