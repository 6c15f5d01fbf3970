//! The order flow of an order service: `POST /orders` creates an order with a confirmation code;
//! the confirmation pays it, or rejects it when it comes too late or with the wrong code.

use super::links::fire;
use super::pending::{OperationKey, OutcomeKey};
use super::state::RequestReplyWorld;
use super::Ctx;
use crate::kernel::time::{SimDuration, SimTime};

#[derive(Clone, Debug)]
pub struct Order {
    pub code: u32,
    pub created_at: SimTime,
    pub service: usize,
}

impl RequestReplyWorld {
    /// What a new request to `service` asks: an order service is asked to create an order.
    pub(super) fn first_operation(&self, service: usize) -> OperationKey {
        if self.services[service].order_validity.is_some() {
            OperationKey::CreateOrder
        } else {
            OperationKey::Call
        }
    }

    /// The order flow's rules, applied when a worker finishes an order request.
    pub(super) fn business_outcome(
        &mut self,
        ctx: &mut Ctx,
        service_index: usize,
        operation: OperationKey,
    ) -> OutcomeKey {
        let service = &mut self.services[service_index];
        match operation {
            OperationKey::Call => OutcomeKey::Ok,
            OperationKey::CreateOrder => {
                let order = self.next_order;
                self.next_order += 1;
                let code = 100_000 + ctx.rng().below(900_000) as u32;
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
}
