//! All state of request-response: how it is built from its scenario section and started, and
//! where each of its pending events is handled.

use super::client::Client;
use super::orders::Order;
use super::pending::RpcPending;
use super::request::Request;
use super::service::{Replica, Service};
use super::spec::RequestReplySpec;
use super::Ctx;
use crate::kernel::collections::IdMap;
use crate::kernel::entity::Entities;
use crate::kernel::entity::EntityKind;
use crate::kernel::stats::Histogram;
use std::collections::VecDeque;

/// All state of the request-response pattern.
#[derive(Clone, Debug, Default)]
pub struct RequestReplyWorld {
    pub services: Vec<Service>,
    pub clients: Vec<Client>,
    /// Requests not yet settled on both sides, by id.
    pub requests: IdMap<Request>,
    pub(super) next_request: u64,
    /// Orders pending payment, by id.
    pub orders: IdMap<Order>,
    pub(super) next_order: u64,
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
                event_write: s.orders.as_ref().map(|o| o.events.clone()).unwrap_or_default(),
                idempotency_keys: s.orders.as_ref().is_some_and(|o| o.idempotency_keys),
                intents: IdMap::new(),
                orders_duplicated: 0,
                orders_replayed: 0,
                events: Default::default(),
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
                waited: 0,
                started: 0,
                waited_us_total: 0,
                in_system: Default::default(),
                sojourn_s: Default::default(),
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
                link: c.link.clone(),
                link_lost: 0,
                link_doubled: 0,
            });
        }
        world
    }

    /// Schedules the first arrivals and every closed-loop user's first request.
    pub fn start(&mut self, ctx: &mut Ctx) {
        for (c, client) in self.clients.iter().enumerate() {
            if let Some(a) = &client.arrivals {
                if client.arrivals_left != Some(0) {
                    let first = a.first_delay(ctx.rng());
                    ctx.schedule(first, RpcPending::Arrival { client: c });
                }
            }
            if let Some(users) = &client.users {
                for user in 0..users.count {
                    let operation = self.first_operation(client.service);
                    let think = users.think_time.sample(ctx.rng());
                    ctx.schedule(
                        think,
                        RpcPending::Send {
                            client: c,
                            operation,
                            attempt: 1,
                            user: Some(user),
                            intent: None,
                        },
                    );
                }
            }
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

    pub fn handle(&mut self, ctx: &mut Ctx, pending: RpcPending) {
        match pending {
            RpcPending::Arrival { client } => self.arrival(ctx, client),
            RpcPending::Send {
                client,
                operation,
                attempt,
                user,
                intent,
            } => self.send(ctx, client, operation, (attempt, intent), user),
            RpcPending::Reach { request } => self.reach(ctx, request),
            RpcPending::Finish {
                service,
                replica,
                request,
            } => self.finish(ctx, service, replica, request),
            RpcPending::Answer { request, outcome } => self.answer(ctx, request, outcome),
            RpcPending::Timeout { request } => self.timeout(ctx, request),
            RpcPending::PublishDue { service, entry, epoch } => self.publish_due(ctx, service, entry, epoch),
            RpcPending::Commit {
                service,
                replica,
                request,
                outcome,
            } => self.complete(ctx, service, replica, request, Some(outcome)),
            RpcPending::RelayPoll { service, epoch } => self.relay_poll(ctx, service, epoch),
            RpcPending::RelayMarked {
                service,
                row,
                epoch,
                publish,
            } => self.relay_marked(ctx, service, (row, publish), epoch),
        }
    }
}
