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
    /// Drops the orders whose time to be confirmed has passed, oldest first, so that orders
    /// nobody confirms (a shopper who gave up, a confirmation turned away) are not kept for
    /// ever. Nothing is recorded and nothing else changes: confirming a forgotten order finds
    /// it expired, exactly as confirming it late would. Each order is dropped once, so the work
    /// is one step per order over the run.
    fn forget_expired_orders(&mut self, now: SimTime) {
        let services = &self.services;
        let expired = |order: &Order| {
            now.since(order.created_at) > services[order.service].order_validity.unwrap_or(SimDuration::ZERO)
        };
        loop {
            let oldest = self.orders.iter().next().filter(|(_, o)| expired(o)).map(|(id, _)| id);
            let Some(id) = oldest else { break };
            self.orders.remove(&id);
        }
    }

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
                self.forget_expired_orders(ctx.now);
                let service = &mut self.services[service_index];
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
