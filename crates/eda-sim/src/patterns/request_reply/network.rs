//! What crosses between a client and its service: the client's link, which may lose, double,
//! delay and reorder requests on their way out and answers on their way back. A request lost on
//! the way is settled by the client's timeout; a doubled request reaches the service twice (its
//! copy is a request the client does not know of, with the same idempotency key), so the
//! service does the work twice unless it keeps idempotency keys.

use super::pending::{OutcomeKey, RpcPending};
use super::records::{Leg, RpcRecord};
use super::request::{Request, RequestState};
use super::state::RequestReplyWorld;
use super::Ctx;
use crate::kernel::link::Fate;
use crate::kernel::time::SimDuration;

impl RequestReplyWorld {
    /// Sends request `id` (or, with `answer`, its answer) across the client's link, `delay`
    /// being the network's own.
    pub(super) fn cross_link(&mut self, ctx: &mut Ctx, id: u64, delay: SimDuration, answer: Option<OutcomeKey>) {
        let Some(request) = self.requests.get(&id) else { return };
        let (client, service) = (request.client, request.service);
        let ends = (self.clients[client].entity, self.services[service].entity);
        let (from, to, leg) = match answer {
            None => (ends.0, ends.1, Leg::Request),
            Some(_) => (ends.1, ends.0, Leg::Answer),
        };
        let arrival = |request: u64| match answer {
            None => RpcPending::Reach { request },
            Some(outcome) => RpcPending::Answer { request, outcome },
        };
        let after = |extra: SimDuration| SimDuration(delay.0.saturating_add(extra.0));
        let c = &mut self.clients[client];
        match c.link.fate(ctx.rng()) {
            Fate::Arrives { extra } => ctx.schedule(after(extra), arrival(id)),
            Fate::Lost => {
                c.link_lost += 1;
                ctx.record(RpcRecord::LinkLost {
                    request: id,
                    from,
                    to,
                    leg,
                });
                self.lost_on_the_way(id);
            }
            Fate::Doubled { extra, copy_extra } => {
                c.link_doubled += 1;
                ctx.schedule(after(extra), arrival(id));
                // A doubled request is a second request to the service; a doubled answer
                // finds the first one already taken.
                let copy = match answer {
                    None => self.copy_of(id),
                    Some(_) => id,
                };
                ctx.record(RpcRecord::LinkDoubled {
                    request: id,
                    copy,
                    from,
                    to,
                });
                ctx.schedule(after(copy_extra), arrival(copy));
            }
        }
    }

    /// A copy of request `id` made by the link: the client never sent it and ignores its answer.
    fn copy_of(&mut self, id: u64) -> u64 {
        let copy = self.next_request;
        self.next_request += 1;
        if let Some(original) = self.requests.get(&id) {
            let twin = Request {
                abandoned: true,
                copy: true,
                ..original.clone()
            };
            self.requests.insert(copy, twin);
        }
        copy
    }

    /// Request `id` (or its answer) will not arrive: its client's timeout settles it, or, for
    /// a client without one (or a copy), nothing ever will.
    pub(super) fn lost_on_the_way(&mut self, id: u64) {
        let Some(request) = self.requests.get_mut(&id) else {
            return;
        };
        request.state = RequestState::Lost;
        if request.abandoned || self.clients[request.client].timeout.is_none() {
            if !request.abandoned {
                self.lost_unsettled += 1;
            }
            self.requests.remove(&id);
        }
    }
}
