//! A discovery client: its cache of name → endpoint, and the lookups that fill it.

use super::errors::{CLIENT_CRASHED, CLIENT_DOWN, NAME_NOT_FOUND};
use super::pending::{DiscoveryPending, ToRegistry};
use super::records::DiscoveryRecord;
use super::world::{DiscoveryWorld, NO_ENTITY};
use super::Ctx;
use crate::kernel::collections::Set;
use crate::kernel::ids::EntityId;
use crate::kernel::time::SimDuration;
use litemap::LiteMap;

#[derive(Clone, Debug)]
pub struct DiscoveryClient {
    pub entity: EntityId,
    pub registry: usize,
    pub call_timeout: SimDuration,
    pub up: bool,
    /// Bumped by every crash: requests and notifications of an earlier life are void.
    pub epoch: u64,
    /// Name → endpoint, from lookups and notifications; lost in a crash.
    pub cache: LiteMap<String, String>,
    /// Names this client watches (re-established whenever it or its registry restarts).
    pub watching: Set<String>,
    pub lookups: u64,
    pub not_found: u64,
    pub calls: u64,
    pub call_ok: u64,
    pub call_failed: u64,
    pub notifications_received: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupRequest {
    pub client: usize,
    pub name: String,
    pub epoch: u64,
    /// The call waiting for this lookup, if any.
    pub call: Option<u64>,
}

impl DiscoveryWorld {
    /// The client asks its registry for `name`; `call` is the call waiting for the answer.
    pub(super) fn lookup(&mut self, ctx: &mut Ctx, c: usize, name: &str, call: Option<u64>) {
        let request = self.next_request();
        let Some(client) = self.clients.get_mut(c) else {
            return;
        };
        let registry = client.registry;
        let registry_entity = self.registries.get(registry).map_or(NO_ENTITY, |r| r.entity);
        if !client.up {
            ctx.record(DiscoveryRecord::LookupFailed {
                request,
                client: client.entity,
                registry: registry_entity,
                name: name.to_string(),
                error: CLIENT_DOWN.to_string(),
            });
            return;
        }
        client.lookups += 1;
        ctx.record(DiscoveryRecord::Lookup {
            request,
            client: client.entity,
            registry: registry_entity,
            name: name.to_string(),
        });
        self.lookups.insert(
            request,
            LookupRequest {
                client: c,
                name: name.to_string(),
                epoch: client.epoch,
                call,
            },
        );
        let delay = self.network_delay(ctx, registry);
        let message = ToRegistry::Lookup { request };
        ctx.schedule(delay, DiscoveryPending::Arrive { registry, message });
    }

    pub(super) fn lookup_answer(&mut self, ctx: &mut Ctx, request: u64, answer: Result<String, String>) {
        let Some(lookup) = self.lookups.remove(&request) else {
            return;
        };
        let Some(client) = self.clients.get_mut(lookup.client) else {
            return;
        };
        let registry = self.registries.get(client.registry).map_or(NO_ENTITY, |r| r.entity);
        let answer = if client.epoch != lookup.epoch {
            Err(CLIENT_CRASHED.to_string())
        } else {
            answer
        };
        match answer {
            Ok(endpoint) => {
                client.cache.insert(lookup.name.clone(), endpoint.clone());
                ctx.record(DiscoveryRecord::Found {
                    request,
                    client: client.entity,
                    registry,
                    name: lookup.name,
                    endpoint: endpoint.clone(),
                });
                if let Some(call) = lookup.call {
                    self.send_call(ctx, call, endpoint);
                }
            }
            Err(error) => {
                if error == NAME_NOT_FOUND {
                    client.not_found += 1;
                }
                ctx.record(DiscoveryRecord::LookupFailed {
                    request,
                    client: client.entity,
                    registry,
                    name: lookup.name,
                    error: error.clone(),
                });
                if let Some(call) = lookup.call {
                    self.fail_call(ctx, call, &error);
                }
            }
        }
    }
}
