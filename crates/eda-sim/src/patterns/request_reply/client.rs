//! A client: sends requests (open loop, or as closed-loop users), waits for each answer or times
//! out, and retries with a doubling backoff.

use super::pending::{OperationKey, OutcomeKey, RpcPending};
use super::records::{Leg, Outcome, RpcRecord};
use super::request::{Request, RequestState};
use super::spec::{ArrivalSpec, UsersSpec};
use super::state::RequestReplyWorld;
use super::Ctx;
use crate::kernel::ids::EntityId;
use crate::kernel::link::LinkFaults;
use crate::kernel::rng::Distribution;
use crate::kernel::stats::Histogram;
use crate::kernel::time::SimDuration;

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
    /// Its link to its service, and what the link lost or doubled.
    pub link: LinkFaults,
    pub link_lost: u64,
    pub link_doubled: u64,
}

impl RequestReplyWorld {
    /// A client sends one request now (script or UI).
    pub fn request_now(&mut self, ctx: &mut Ctx, client: usize) {
        let operation = self.first_operation(self.clients[client].service);
        self.send(ctx, client, operation, (1, None), None);
    }

    /// An open-loop client's next arrival: one request now, and the arrival after it.
    pub(super) fn arrival(&mut self, ctx: &mut Ctx, client: usize) {
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
        self.send(ctx, client, operation, (1, None), None);
        if let (true, Some(gap)) = (more, gap) {
            let after = gap.sample(ctx.rng());
            ctx.schedule(after, RpcPending::Arrival { client });
        }
    }

    /// A client sends a request (`attempt`, and for a retry the first attempt's id: its
    /// idempotency key) through its link.
    pub(super) fn send(
        &mut self,
        ctx: &mut Ctx,
        client: usize,
        operation: OperationKey,
        (attempt, intent): (u32, Option<u64>),
        user: Option<u32>,
    ) {
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
                reached_at: ctx.now,
                state: RequestState::Travelling,
                abandoned: false,
                intent: intent.unwrap_or(id),
                copy: false,
                replayed: false,
            },
        );
        ctx.record(RpcRecord::Sent {
            request: id,
            client: c.entity,
            service: self.services[service].entity,
            operation: operation.into(),
            attempt,
        });
        let delay = c.network_delay.sample(ctx.rng());
        let timeout = c.timeout;
        self.cross_link(ctx, id, delay, None);
        if let Some(timeout) = timeout {
            ctx.schedule(timeout, RpcPending::Timeout { request: id });
        }
    }

    /// A partition stopped request `id` (or its answer) on its way: it is lost in the network,
    /// settled by its client's timeout, or never (a client without one waits for ever).
    pub(super) fn cut_off(&mut self, ctx: &mut Ctx, id: u64, (from, to): (EntityId, EntityId), leg: Leg) {
        ctx.record(RpcRecord::Unreachable {
            request: id,
            from,
            to,
            leg,
        });
        self.lost_on_the_way(id);
    }

    pub(super) fn answer(&mut self, ctx: &mut Ctx, id: u64, outcome_key: OutcomeKey) {
        // The answer to a copy the link made: nobody waits for it.
        if self.requests.get(&id).is_some_and(|r| r.copy) {
            self.requests.remove(&id);
            return;
        }
        if let Some(request) = self.requests.get(&id) {
            let (client, service) = (
                self.clients[request.client].entity,
                self.services[request.service].entity,
            );
            if !ctx.reachable(service, client) {
                self.cut_off(ctx, id, (service, client), Leg::Answer);
                return;
            }
        }
        let Some(request) = self.requests.remove(&id) else {
            return;
        };
        let client = &mut self.clients[request.client];
        if request.abandoned {
            client.late_responses += 1;
            ctx.record(RpcRecord::LateResponse {
                request: id,
                client: client.entity,
            });
            return;
        }
        self.answers_received += 1;
        let outcome: Outcome = outcome_key.into();
        let response_time = ctx.now.since(request.sent_at);
        ctx.record(RpcRecord::Received {
            request: id,
            client: client.entity,
            outcome: outcome.clone(),
            response_time_us: response_time.0,
        });
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
            let wrong = ctx.rng().below(100) < client.wrong_code_percent as u64;
            let code = if wrong {
                (code + 1 - 100_000) % 900_000 + 100_000
            } else {
                code
            };
            let after = client.confirm_after.sample(ctx.rng());
            let operation = OperationKey::ConfirmOrder { order, code };
            ctx.schedule(
                after,
                RpcPending::Send {
                    client: request.client,
                    operation,
                    attempt: 1,
                    user: request.user,
                    intent: None,
                },
            );
            return;
        }
        self.user_done(ctx, &request);
    }

    pub(super) fn timeout(&mut self, ctx: &mut Ctx, id: u64) {
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
        ctx.record(RpcRecord::TimedOut {
            request: id,
            client: client.entity,
        });
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

    pub(super) fn retry(&mut self, ctx: &mut Ctx, request: &Request) {
        let client = &self.clients[request.client];
        let wait = SimDuration(client.backoff.0.saturating_mul(1u64 << (request.attempt - 1).min(20)));
        let send = RpcPending::Send {
            client: request.client,
            operation: request.operation,
            attempt: request.attempt + 1,
            user: request.user,
            intent: Some(request.intent),
        };
        ctx.schedule(wait, send);
    }

    /// A closed-loop user has its final answer: think, then ask again.
    pub(super) fn user_done(&mut self, ctx: &mut Ctx, request: &Request) {
        let client = &self.clients[request.client];
        if let (Some(user), Some(users)) = (request.user, &client.users) {
            let think = users.think_time.sample(ctx.rng());
            let operation = self.first_operation(client.service);
            ctx.schedule(
                think,
                RpcPending::Send {
                    client: request.client,
                    operation,
                    attempt: 1,
                    user: Some(user),
                    intent: None,
                },
            );
        }
    }
}
