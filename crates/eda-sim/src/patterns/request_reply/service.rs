//! A service and its replicas: where requests arrive, wait for a worker, are served and
//! answered, and where they are lost when the service crashes.

use super::events::ServiceEvents;
use super::links::Link;
use super::pending::{OperationKey, OutcomeKey, RpcPending};
use super::records::{Leg, OrderEvent, RpcRecord};
use super::request::RequestState;
use super::spec::{Balancing, EventWrite};
use super::state::RequestReplyWorld;
use super::Ctx;
use crate::kernel::collections::IdMap;
use crate::kernel::error::Switch;
use crate::kernel::ids::EntityId;
use crate::kernel::occupancy::{BatchMeans, Occupancy};
use crate::kernel::rng::Distribution;
use crate::kernel::stats::Histogram;
use crate::kernel::time::{SimDuration, SimTime};
use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct Replica {
    pub busy_workers: u32,
    pub waiting: VecDeque<u64>,
    /// Worker-microseconds spent on requests (for utilisation).
    pub busy_us: u64,
    /// Start times of the requests in service (request → start).
    pub in_service: IdMap<SimTime>,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub entity: EntityId,
    pub workers: u32,
    pub service_time: Distribution,
    pub queue_capacity: Option<u32>,
    pub balancing: Balancing,
    pub replicas: Vec<Replica>,
    pub next_replica: usize,
    pub down: bool,
    pub order_validity: Option<SimDuration>,
    pub on_created: Vec<Link>,
    pub on_paid: Vec<Link>,
    pub on_rejected: Vec<Link>,
    /// Keys of requests that created an order (the first attempt's id) → that order, while it
    /// is pending; whether it answers a key seen before with that order; what it did twice or
    /// answered from a key.
    pub idempotency_keys: bool,
    pub intents: IdMap<u64>,
    pub orders_duplicated: u64,
    pub orders_replayed: u64,
    /// How its database write and its events go together, and its events on their way.
    pub event_write: EventWrite,
    pub events: ServiceEvents,
    pub arrived: u64,
    pub completed: u64,
    pub rejected: u64,
    pub refused: u64,
    pub lost: u64,
    pub queue_len_max: u32,
    pub orders_created: u64,
    pub orders_paid: u64,
    pub orders_expired: u64,
    pub orders_wrong_code: u64,
    /// Client-observed response times of this service's answers.
    pub response_times: Histogram,
    /// Client timeouts of requests sent to this service.
    pub timeouts: u64,
    /// What queueing theory is compared with: requests taken in that had to wait, how many are
    /// in the service over time, and their time in it (s).
    pub waited: u64,
    /// Requests a worker started on, and the time they had waited in all.
    pub started: u64,
    pub waited_us_total: u128,
    pub in_system: Occupancy,
    pub sojourn_s: BatchMeans,
}

impl Service {
    /// Busy worker time up to `now` divided by the capacity (workers × replicas × now).
    /// The links an order's event sets off.
    pub fn links(&self, event: OrderEvent) -> &[Link] {
        match event {
            OrderEvent::OrderCreated => &self.on_created,
            OrderEvent::OrderPaid => &self.on_paid,
            OrderEvent::OrderRejected => &self.on_rejected,
        }
    }

    pub fn utilisation(&self, now: SimTime) -> f64 {
        if now.0 == 0 {
            return 0.0;
        }
        let busy: u64 = self
            .replicas
            .iter()
            .map(|r| r.busy_us + r.in_service.values().map(|&t| now.since(t).0).sum::<u64>())
            .sum();
        busy as f64 / (self.workers as f64 * self.replicas.len() as f64 * now.0 as f64)
    }
}

impl RequestReplyWorld {
    pub(super) fn reach(&mut self, ctx: &mut Ctx, id: u64) {
        let Some(request) = self.requests.get(&id) else { return };
        let service_index = request.service;
        let (client, service) = (self.clients[request.client].entity, self.services[service_index].entity);
        if !ctx.reachable(client, service) {
            self.cut_off(ctx, id, (client, service), Leg::Request);
            return;
        }
        let service = &mut self.services[service_index];
        service.arrived += 1;
        if service.down {
            service.refused += 1;
            self.respond(ctx, service_index, None, id, OutcomeKey::Refused);
            return;
        }
        let replica = service.pick_replica(ctx.rng());
        ctx.record(RpcRecord::Arrived {
            request: id,
            service: service.entity,
            replica: replica as u32,
        });
        let r = &mut service.replicas[replica];
        let starts = r.busy_workers < service.workers;
        if !starts && service.queue_capacity.is_some_and(|cap| r.waiting.len() as u32 >= cap) {
            service.rejected += 1;
            self.respond(ctx, service_index, Some(replica), id, OutcomeKey::Rejected);
            return;
        }
        // Taken in: it counts for the queueing figures from now on.
        service.waited += u64::from(!starts);
        service.in_system.change(ctx.now, 1);
        if let Some(req) = self.requests.get_mut(&id) {
            req.reached_at = ctx.now;
        }
        if starts {
            self.start_work(ctx, service_index, replica, id);
            return;
        }
        let r = &mut service.replicas[replica];
        r.waiting.push_back(id);
        let queue_len = r.waiting.len() as u32;
        service.queue_len_max = service.queue_len_max.max(queue_len);
        if let Some(req) = self.requests.get_mut(&id) {
            req.state = RequestState::Waiting;
        }
        ctx.record(RpcRecord::Queued {
            request: id,
            service: service.entity,
            replica: replica as u32,
            queue_len,
        });
    }

    pub(super) fn start_work(&mut self, ctx: &mut Ctx, service_index: usize, replica: usize, id: u64) {
        let service = &mut self.services[service_index];
        let r = &mut service.replicas[replica];
        r.busy_workers += 1;
        r.in_service.insert(id, ctx.now);
        if let Some(req) = self.requests.get_mut(&id) {
            req.state = RequestState::InService;
            service.started += 1;
            service.waited_us_total += u128::from(ctx.now.since(req.reached_at).0);
        }
        ctx.record(RpcRecord::Started {
            request: id,
            service: service.entity,
            replica: replica as u32,
        });
        let took = service.service_time.sample(ctx.rng());
        ctx.schedule(
            took,
            RpcPending::Finish {
                service: service_index,
                replica,
                request: id,
            },
        );
    }

    /// A worker is done with a request's work. Publish first: the outcome's events go out now
    /// and its write commits `commit_time` later, the worker busy until then.
    pub(super) fn finish(&mut self, ctx: &mut Ctx, service_index: usize, replica: usize, id: u64) {
        let service = &self.services[service_index];
        let EventWrite::PublishFirst { commit_time } = service.event_write.clone() else {
            self.complete(ctx, service_index, replica, id, None);
            return;
        };
        // A crash in between emptied the replica: this completion no longer exists.
        if !service.replicas[replica].in_service.contains_key(&id) {
            return;
        }
        let operation = self.requests.get(&id).map_or(OperationKey::Call, |r| r.operation);
        ctx.cause = Some(crate::kernel::ids::MessageKey::Request(id));
        let outcome = self.decide(ctx, service_index, operation, id);
        // A repeat answered from its idempotency key writes nothing, so publishes nothing.
        let replayed = self.requests.get(&id).is_some_and(|r| r.replayed);
        if let (Some((order, event)), false) = (outcome.order_event(), replayed) {
            self.publish_first(ctx, service_index, id, order, event);
        }
        ctx.cause = None;
        let after = commit_time.sample(ctx.rng());
        ctx.schedule(
            after,
            RpcPending::Commit {
                service: service_index,
                replica,
                request: id,
                outcome,
            },
        );
    }

    /// The request's work is written (`decided`: its outcome, if decided before) and answered,
    /// and the worker takes the next waiting request.
    pub(super) fn complete(
        &mut self,
        ctx: &mut Ctx,
        service_index: usize,
        replica: usize,
        id: u64,
        decided: Option<OutcomeKey>,
    ) {
        let service = &mut self.services[service_index];
        let r = &mut service.replicas[replica];
        // A crash in between emptied the replica: this completion no longer exists.
        let Some(started) = r.in_service.remove(&id) else {
            return;
        };
        r.busy_workers -= 1;
        r.busy_us += ctx.now.since(started).0;
        service.completed += 1;
        service.in_system.change(ctx.now, -1);
        if let Some(request) = self.requests.get(&id) {
            service
                .sojourn_s
                .record(ctx.now.since(request.reached_at).0 as f64 / 1e6);
        }
        let operation = self
            .requests
            .get(&id)
            .map(|r| r.operation)
            .unwrap_or(OperationKey::Call);
        // What the order's outcome sets off elsewhere was caused by this request.
        ctx.cause = Some(crate::kernel::ids::MessageKey::Request(id));
        let outcome = match decided {
            Some(outcome) => {
                self.write(ctx, service_index, outcome, id);
                outcome
            }
            None => self.business_outcome(ctx, service_index, operation, id),
        };
        ctx.cause = None;
        self.respond(ctx, service_index, Some(replica), id, outcome);
        let r = &mut self.services[service_index].replicas[replica];
        if let Some(next) = r.waiting.pop_front() {
            self.start_work(ctx, service_index, replica, next);
        }
    }

    pub(super) fn respond(
        &mut self,
        ctx: &mut Ctx,
        service_index: usize,
        replica: Option<usize>,
        id: u64,
        outcome: OutcomeKey,
    ) {
        let Some(request) = self.requests.get_mut(&id) else {
            return;
        };
        request.state = RequestState::Answering;
        let service = &self.services[service_index];
        ctx.record(RpcRecord::Responded {
            request: id,
            service: service.entity,
            replica: replica.unwrap_or(0) as u32,
            outcome: outcome.into(),
        });
        let delay = self.clients[request.client].network_delay.sample(ctx.rng());
        self.cross_link(ctx, id, delay, Some(outcome));
    }

    /// Crashes (`down`) or restarts a service. A crash loses every request it holds.
    pub fn set_down(&mut self, ctx: &mut Ctx, service_index: usize, down: bool) -> Switch {
        let service = &mut self.services[service_index];
        if service.down == down {
            return Switch::Unchanged;
        }
        service.down = down;
        if !down {
            self.events_at_restart(ctx, service_index);
            return Switch::Switched;
        }
        let entity = service.entity;
        let mut lost: Vec<u64> = Vec::new();
        for r in &mut service.replicas {
            lost.extend(r.waiting.drain(..));
            for (id, &started) in r.in_service.iter() {
                r.busy_us += ctx.now.since(started).0;
                lost.push(id);
            }
            r.in_service.clear();
            r.busy_workers = 0;
        }
        crate::kernel::collections::sort_by_key(&mut lost, |&id| id);
        service.in_system.change(ctx.now, -(lost.len() as i64));
        for id in lost {
            service.lost += 1;
            ctx.record(RpcRecord::Lost {
                request: id,
                service: entity,
            });
            if let Some(request) = self.requests.get_mut(&id) {
                request.state = RequestState::Lost;
                if request.abandoned || self.clients[request.client].timeout.is_none() {
                    // Nobody will ever settle it: the client waits forever (no timeout) or gave up.
                    if !request.abandoned {
                        self.lost_unsettled += 1;
                    }
                    self.requests.remove(&id);
                }
            }
        }
        self.events_at_crash(ctx, service_index);
        Switch::Switched
    }
}
