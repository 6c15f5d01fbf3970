//! Calls: a client sends `name.operation(payload)` to the endpoint it holds (looking the name up
//! first if it holds none), a provider there answers, and the call times out if nobody does.

use super::errors::{CALL_TIMED_OUT, CLIENT_CRASHED, CLIENT_DOWN, PROVIDER_UNREACHABLE, UNKNOWN_OPERATION};
use super::pending::DiscoveryPending;
use super::records::DiscoveryRecord;
use super::world::{DiscoveryWorld, NO_ENTITY};
use super::Ctx;
use crate::kernel::ids::EntityId;

/// Where a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallState {
    /// Waiting for the lookup of its name.
    Resolving,
    /// On its way to the endpoint.
    Travelling,
    /// Nobody (alive, offering the name) was at the endpoint, or the provider crashed.
    Unreachable,
    InService {
        provider: usize,
    },
    /// Answered; the answer is on its way back.
    Answering {
        provider: usize,
        known: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRequest {
    pub client: usize,
    pub name: String,
    pub operation: String,
    pub payload: String,
    pub epoch: u64,
    /// The endpoint it was sent to (empty while resolving).
    pub endpoint: String,
    pub state: CallState,
}

impl DiscoveryWorld {
    /// The provider offering `name` at `endpoint`: the first one configured there, or with
    /// `serving`, the first one that is up and active (the one actually listening).
    fn provider_at(&self, name: &str, endpoint: &str, serving: bool) -> Option<usize> {
        self.providers
            .iter()
            .position(|p| p.name == name && p.endpoint == endpoint && (!serving || (p.up && p.active)))
    }

    fn provider_entity(&self, provider: usize) -> Option<EntityId> {
        self.providers.get(provider).map(|p| p.entity)
    }

    pub(super) fn call(&mut self, ctx: &mut Ctx, c: usize, name: &str, operation: &str, payload: &str) {
        let request = self.next_request();
        let Some(client) = self.clients.get_mut(c) else {
            return;
        };
        client.calls += 1;
        self.calls.insert(
            request,
            CallRequest {
                client: c,
                name: name.to_string(),
                operation: operation.to_string(),
                payload: payload.to_string(),
                epoch: client.epoch,
                endpoint: String::new(),
                state: CallState::Resolving,
            },
        );
        if !client.up {
            self.fail_call(ctx, request, CLIENT_DOWN);
            return;
        }
        match client.cache.get(name) {
            Some(endpoint) => {
                let endpoint = endpoint.clone();
                self.send_call(ctx, request, endpoint);
            }
            None => self.lookup(ctx, c, name, Some(request)),
        }
    }

    /// Sends a resolved call to `endpoint` and starts its timeout.
    pub(super) fn send_call(&mut self, ctx: &mut Ctx, request: u64, endpoint: String) {
        let Some(call) = self.calls.get(&request) else {
            return;
        };
        let Some(client) = self.clients.get(call.client) else {
            return;
        };
        let provider = self
            .provider_at(&call.name, &endpoint, false)
            .and_then(|p| self.provider_entity(p));
        ctx.record(DiscoveryRecord::Call {
            request,
            client: client.entity,
            provider,
            name: call.name.clone(),
            operation: call.operation.clone(),
            payload: call.payload.clone(),
            endpoint: endpoint.clone(),
        });
        let (registry, timeout) = (client.registry, client.call_timeout);
        let delay = self.network_delay(ctx, registry);
        ctx.schedule(delay, DiscoveryPending::CallArrive { request });
        ctx.schedule(timeout, DiscoveryPending::CallTimeout { request });
        if let Some(call) = self.calls.get_mut(&request) {
            call.endpoint = endpoint;
            call.state = CallState::Travelling;
        }
    }

    pub(super) fn call_arrive(&mut self, ctx: &mut Ctx, request: u64) {
        let Some(call) = self.calls.get(&request) else {
            return;
        };
        if call.state != CallState::Travelling {
            return;
        }
        // A provider a partition cuts off from the client is as silent as none.
        let client = self.clients.get(call.client).map(|c| c.entity);
        let target = self
            .provider_at(&call.name, &call.endpoint, true)
            .filter(|&p| client.is_none_or(|c| ctx.reachable(c, self.providers[p].entity)));
        let state = match target {
            Some(p) => {
                let took = self.providers[p].service_time.sample(ctx.rng());
                ctx.schedule(took, DiscoveryPending::CallServed { request });
                CallState::InService { provider: p }
            }
            // Nobody is listening there for this name: the client hears nothing until its timeout.
            None => CallState::Unreachable,
        };
        if let Some(call) = self.calls.get_mut(&request) {
            call.state = state;
        }
    }

    pub(super) fn call_served(&mut self, ctx: &mut Ctx, request: u64) {
        let Some(call) = self.calls.get_mut(&request) else {
            return;
        };
        let CallState::InService { provider: p } = call.state else {
            return; // the provider crashed meanwhile
        };
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        provider.calls_served += 1;
        let known = provider.operations.contains(&call.operation);
        call.state = CallState::Answering { provider: p, known };
        let client = self.clients.get(call.client).map_or(NO_ENTITY, |c| c.entity);
        ctx.record(DiscoveryRecord::Served {
            request,
            provider: provider.entity,
            client,
            name: call.name.clone(),
            operation: call.operation.clone(),
            known,
        });
        let registry = self.clients.get(call.client).map_or(usize::MAX, |c| c.registry);
        let delay = self.network_delay(ctx, registry);
        ctx.schedule(delay, DiscoveryPending::CallAnswer { request });
    }

    pub(super) fn call_answer(&mut self, ctx: &mut Ctx, request: u64) {
        let Some(call) = self.calls.get(&request) else {
            return; // the client gave up already
        };
        let CallState::Answering { provider: p, known } = call.state else {
            return;
        };
        // An answer a partition stops never arrives: the client's call timeout settles it.
        let client = self.clients.get(call.client).map(|c| c.entity);
        let provider = self.provider_entity(p);
        if let (Some(c), Some(from)) = (client, provider) {
            if !ctx.reachable(from, c) {
                return;
            }
        }
        let crashed = self.clients.get(call.client).is_none_or(|c| c.epoch != call.epoch);
        if crashed {
            self.fail_call(ctx, request, CLIENT_CRASHED);
        } else if !known {
            self.fail_call(ctx, request, UNKNOWN_OPERATION);
        } else {
            let Some(call) = self.calls.remove(&request) else {
                return;
            };
            let provider = self.provider_entity(p).unwrap_or(NO_ENTITY);
            let Some(client) = self.clients.get_mut(call.client) else {
                return;
            };
            client.call_ok += 1;
            // Echo: the answer carries the request's payload back.
            ctx.record(DiscoveryRecord::Replied {
                request,
                client: client.entity,
                provider,
                name: call.name,
                operation: call.operation,
                payload: call.payload,
            });
        }
    }

    pub(super) fn call_timeout(&mut self, ctx: &mut Ctx, request: u64) {
        let Some(call) = self.calls.get(&request) else {
            return; // settled already
        };
        let crashed = self.clients.get(call.client).is_none_or(|c| c.epoch != call.epoch);
        let error = match call.state {
            _ if crashed => CLIENT_CRASHED,
            CallState::InService { .. } | CallState::Answering { .. } => CALL_TIMED_OUT,
            CallState::Resolving | CallState::Travelling | CallState::Unreachable => PROVIDER_UNREACHABLE,
        };
        if error == PROVIDER_UNREACHABLE {
            // The cached endpoint led nowhere: forget it, so the next call looks the name up.
            let (name, endpoint) = (call.name.clone(), call.endpoint.clone());
            if let Some(client) = self.clients.get_mut(call.client) {
                if client.cache.get(&name) == Some(&endpoint) {
                    client.cache.remove(&name);
                }
            }
        }
        self.fail_call(ctx, request, error);
    }

    /// Settles a call as failed with `error`.
    pub(super) fn fail_call(&mut self, ctx: &mut Ctx, request: u64, error: &str) {
        let Some(call) = self.calls.remove(&request) else {
            return;
        };
        let provider = match call.state {
            CallState::InService { provider } | CallState::Answering { provider, .. } => Some(provider),
            _ => self.provider_at(&call.name, &call.endpoint, false),
        }
        .and_then(|p| self.provider_entity(p));
        let Some(client) = self.clients.get_mut(call.client) else {
            return;
        };
        client.call_failed += 1;
        ctx.record(DiscoveryRecord::CallFailed {
            request,
            client: client.entity,
            provider,
            name: call.name,
            operation: call.operation,
            error: error.to_string(),
        });
    }
}
