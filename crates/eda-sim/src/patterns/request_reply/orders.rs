//! The order flow of an order service: `POST /orders` creates an order with a confirmation code;
//! the confirmation pays it, or rejects it when it comes too late or with the wrong code.

use super::pending::{OperationKey, OutcomeKey};
use super::records::{OrderEvent, RpcRecord};
use super::state::RequestReplyWorld;
use super::Ctx;
use crate::kernel::time::{SimDuration, SimTime};

#[derive(Clone, Debug)]
pub struct Order {
    pub code: u32,
    pub created_at: SimTime,
    pub service: usize,
    /// The idempotency key of the request that created it.
    pub intent: u64,
}

impl RequestReplyWorld {
    /// Drops the orders whose time to be confirmed has passed, oldest first, so that orders
    /// nobody confirms (a shopper who gave up, a confirmation turned away) are not kept for
    /// ever. Nothing is recorded and nothing else changes: confirming a forgotten order finds
    /// it expired, exactly as confirming it late would. Each order is dropped once, so the work
    /// is one step per order over the run.
    fn forget_expired_orders(&mut self, now: SimTime) {
        loop {
            let services = &self.services;
            let expired = |order: &Order| {
                now.since(order.created_at) > services[order.service].order_validity.unwrap_or(SimDuration::ZERO)
            };
            let oldest = self.orders.iter().next().filter(|(_, o)| expired(o)).map(|(id, _)| id);
            let Some(id) = oldest else { break };
            self.remove_order(id);
        }
    }

    /// Removes an order, and the key of the request that created it.
    fn remove_order(&mut self, order: u64) {
        if let Some(o) = self.orders.remove(&order) {
            // A duplicate shares its key with the first order: the key stays the first's.
            let intents = &mut self.services[o.service].intents;
            if intents.get(&o.intent) == Some(&order) {
                intents.remove(&o.intent);
            }
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

    /// The order flow's rules, applied when a worker finishes an order request: decided, then
    /// written with its events (as the service's `events` says they go together).
    pub(super) fn business_outcome(
        &mut self,
        ctx: &mut Ctx,
        service_index: usize,
        operation: OperationKey,
        request: u64,
    ) -> OutcomeKey {
        let outcome = self.decide(ctx, service_index, operation, request);
        self.write(ctx, service_index, outcome, request);
        outcome
    }

    /// What the order flow answers `operation` with, from the database as it is now; a new
    /// order gets its id and code here. Nothing is written.
    /// A service keeping idempotency keys answers a key it has seen with the order it created.
    pub(super) fn decide(
        &mut self,
        ctx: &mut Ctx,
        service_index: usize,
        operation: OperationKey,
        request: u64,
    ) -> OutcomeKey {
        match operation {
            OperationKey::Call => OutcomeKey::Ok,
            OperationKey::CreateOrder => {
                self.forget_expired_orders(ctx.now);
                let intent = self.requests.get(&request).map_or(request, |r| r.intent);
                let s = &self.services[service_index];
                if let (true, Some(&order)) = (s.idempotency_keys, s.intents.get(&intent)) {
                    if let Some(o) = self.orders.get(&order) {
                        let code = o.code;
                        if let Some(r) = self.requests.get_mut(&request) {
                            r.replayed = true;
                        }
                        return OutcomeKey::OrderCreated { order, code };
                    }
                }
                let order = self.next_order;
                self.next_order += 1;
                let code = 100_000 + ctx.rng().below(900_000) as u32;
                OutcomeKey::OrderCreated { order, code }
            }
            OperationKey::ConfirmOrder { order, code } => {
                let validity = self.services[service_index].order_validity.unwrap_or(SimDuration::ZERO);
                match self.orders.get(&order) {
                    None => OutcomeKey::OrderExpired { order },
                    Some(o) if ctx.now.since(o.created_at) > validity => OutcomeKey::OrderExpired { order },
                    Some(o) if o.code != code => OutcomeKey::WrongCode { order },
                    Some(_) => OutcomeKey::OrderPaid { order },
                }
            }
        }
    }

    /// Writes a decided outcome to the database (the orders and the service's counters) and
    /// hands its event to [`Self::emit`] (for `request`).
    pub(super) fn write(&mut self, ctx: &mut Ctx, service_index: usize, outcome: OutcomeKey, request: u64) {
        let (intent, replayed) = self
            .requests
            .get(&request)
            .map_or((request, false), |r| (r.intent, r.replayed));
        let service = &mut self.services[service_index];
        let (order, event) = match outcome {
            OutcomeKey::OrderCreated { order, code } => {
                match service.intents.get(&intent).copied() {
                    // Decided from the key: the order exists, nothing is written.
                    _ if replayed => {
                        service.orders_replayed += 1;
                        ctx.record(RpcRecord::IdempotentReplay {
                            request,
                            service: service.entity,
                            order,
                        });
                        return;
                    }
                    Some(first) => {
                        service.orders_duplicated += 1;
                        ctx.record(RpcRecord::DuplicateOrder {
                            request,
                            service: service.entity,
                            order,
                            first,
                        });
                    }
                    None => {
                        service.intents.insert(intent, order);
                    }
                }
                self.orders.insert(
                    order,
                    Order {
                        code,
                        created_at: ctx.now,
                        service: service_index,
                        intent,
                    },
                );
                let service = &mut self.services[service_index];
                service.orders_created += 1;
                (order, OrderEvent::OrderCreated)
            }
            OutcomeKey::OrderPaid { order } => {
                service.orders_paid += 1;
                self.remove_order(order);
                (order, OrderEvent::OrderPaid)
            }
            OutcomeKey::OrderExpired { order } => {
                service.orders_expired += 1;
                self.remove_order(order);
                (order, OrderEvent::OrderRejected)
            }
            OutcomeKey::WrongCode { order } => {
                service.orders_wrong_code += 1;
                (order, OrderEvent::OrderRejected)
            }
            _ => return,
        };
        self.emit(ctx, service_index, request, order, event);
    }
}
