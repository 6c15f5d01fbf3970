//! The registry: holds name → endpoint entries, accepts or refuses registrations, answers
//! lookups, adds watchers, and drops entries whose TTL ran out.

use super::errors::{NAME_ALREADY_REGISTERED, NAME_NOT_FOUND, REGISTRY_UNAVAILABLE, REGISTRY_UNREACHABLE};
use super::pending::{DiscoveryPending, ToRegistry};
use super::records::{DiscoveryRecord, ProviderAction};
use super::world::{DiscoveryWorld, NO_ENTITY};
use super::Ctx;
use crate::kernel::collections::Set;
use crate::kernel::ids::EntityId;
use crate::kernel::rng::Distribution;
use crate::kernel::time::{SimDuration, SimTime};
use litemap::LiteMap;

/// One name held by a registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub endpoint: String,
    /// The provider that registered it last. Heartbeats of any provider at this endpoint keep
    /// it alive: an entry stands for the name at an address, not for one process.
    pub provider: usize,
    pub last_heartbeat: SimTime,
    pub ttl: SimDuration,
    /// Identity of this registration, so an expiry check of an older one does nothing.
    pub serial: u64,
}

#[derive(Clone, Debug)]
pub struct Registry {
    pub entity: EntityId,
    pub propagation_delay: Distribution,
    pub network_delay: Distribution,
    pub down: bool,
    /// Name → entry; emptied by a crash.
    pub entries: LiteMap<String, Entry>,
    /// Name → clients to notify of its changes; emptied by a crash.
    pub watchers: LiteMap<String, Set<usize>>,
    pub registrations: u64,
    pub refused: u64,
    pub lookups: u64,
    pub not_found: u64,
    pub notifications: u64,
    pub expired: u64,
}

impl DiscoveryWorld {
    pub(super) fn arrive(&mut self, ctx: &mut Ctx, r: usize, message: ToRegistry) {
        let Some(registry) = self.registries.get(r) else {
            return;
        };
        if registry.down {
            self.unavailable(ctx, r, message, REGISTRY_UNAVAILABLE);
            return;
        }
        // Cut off by a partition: the sender's connection fails (a heartbeat that does not
        // arrive lets the entry expire at its TTL).
        let registry_entity = registry.entity;
        if self
            .sender_of(&message)
            .is_some_and(|from| !ctx.reachable(from, registry_entity))
        {
            self.unavailable(ctx, r, message, REGISTRY_UNREACHABLE);
            return;
        }
        match message {
            ToRegistry::Register { provider, generation } => {
                self.accept(ctx, r, provider, generation, ProviderAction::Register);
            }
            ToRegistry::Heartbeat { provider, generation } => {
                let Some(p) = self.providers.get(provider) else {
                    return;
                };
                let now = ctx.now;
                let held = self.registries[r]
                    .entries
                    .get_mut(&p.name)
                    .filter(|e| e.endpoint == p.endpoint);
                match held {
                    Some(entry) => entry.last_heartbeat = now,
                    // A heartbeat for a name the registry does not hold at this endpoint (it
                    // restarted, or the entry expired) is taken as a registration.
                    None => self.accept(ctx, r, provider, generation, ProviderAction::Heartbeat),
                }
            }
            ToRegistry::Deregister { provider } => self.remove(ctx, r, provider),
            ToRegistry::Lookup { request } => {
                let Some(lookup) = self.lookups.get(&request) else {
                    return;
                };
                let registry = &mut self.registries[r];
                registry.lookups += 1;
                let answer = match registry.entries.get(&lookup.name) {
                    Some(entry) => Ok(entry.endpoint.clone()),
                    None => {
                        registry.not_found += 1;
                        Err(NAME_NOT_FOUND.to_string())
                    }
                };
                let delay = self.network_delay(ctx, r);
                ctx.schedule(delay, DiscoveryPending::LookupAnswer { request, answer });
            }
            ToRegistry::Watch { client, name, epoch } => {
                let Some(c) = self.clients.get(client) else {
                    return;
                };
                if !c.up || c.epoch != epoch {
                    return; // the connection that asked is gone
                }
                let registry = &mut self.registries[r];
                registry.watchers.entry(name.clone()).or_default().insert(client);
                ctx.record(DiscoveryRecord::Watching {
                    registry: registry.entity,
                    client: c.entity,
                    name,
                });
            }
        }
    }

    /// Who sent a message to a registry.
    fn sender_of(&self, message: &ToRegistry) -> Option<EntityId> {
        match message {
            ToRegistry::Register { provider, .. }
            | ToRegistry::Heartbeat { provider, .. }
            | ToRegistry::Deregister { provider } => self.providers.get(*provider).map(|p| p.entity),
            ToRegistry::Lookup { request } => self
                .lookups
                .get(request)
                .and_then(|l| self.clients.get(l.client))
                .map(|c| c.entity),
            ToRegistry::Watch { client, .. } => self.clients.get(*client).map(|c| c.entity),
        }
    }

    /// A message reached a dead registry, or could not reach it: the sender's connection fails
    /// now, with `error`.
    fn unavailable(&mut self, ctx: &mut Ctx, r: usize, message: ToRegistry, error: &str) {
        let registry = self.registry_entity(r);
        let error = error.to_string();
        let (provider, action) = match message {
            ToRegistry::Register { provider, .. } => (provider, ProviderAction::Register),
            ToRegistry::Heartbeat { provider, .. } => (provider, ProviderAction::Heartbeat),
            ToRegistry::Deregister { provider } => (provider, ProviderAction::Deregister),
            ToRegistry::Lookup { request } => {
                self.lookup_answer(ctx, request, Err(error));
                return;
            }
            ToRegistry::Watch { client, name, epoch } => {
                if let Some(c) = self.clients.get(client).filter(|c| c.up && c.epoch == epoch) {
                    ctx.record(DiscoveryRecord::WatchFailed {
                        client: c.entity,
                        registry,
                        name,
                        error,
                    });
                }
                return;
            }
        };
        if let Some(p) = self.providers.get(provider).filter(|p| p.up) {
            ctx.record(DiscoveryRecord::ProviderFailed {
                provider: p.entity,
                registry,
                name: p.name.clone(),
                action,
                error,
            });
        }
    }

    /// A registration (or a heartbeat standing for one) at a live registry.
    fn accept(&mut self, ctx: &mut Ctx, r: usize, p: usize, generation: u64, action: ProviderAction) {
        let Some(provider) = self.providers.get(p) else {
            return;
        };
        let Some(registry) = self.registries.get_mut(r) else {
            return;
        };
        let now = ctx.now;
        let by_heartbeat = action == ProviderAction::Heartbeat;
        let registry_entity = registry.entity;
        let registered = |renewed| DiscoveryRecord::Registered {
            registry: registry_entity,
            provider: provider.entity,
            name: provider.name.clone(),
            endpoint: provider.endpoint.clone(),
            renewed,
            by_heartbeat,
        };
        match registry.entries.get_mut(&provider.name) {
            Some(entry) if entry.endpoint != provider.endpoint => {
                registry.refused += 1;
                let holder = self.providers.get(entry.provider).map_or(NO_ENTITY, |h| h.entity);
                ctx.record(DiscoveryRecord::Refused {
                    registry: registry.entity,
                    provider: provider.entity,
                    holder,
                    name: provider.name.clone(),
                    endpoint: provider.endpoint.clone(),
                    error: NAME_ALREADY_REGISTERED.to_string(),
                });
                let delay = registry.network_delay.sample(ctx.rng());
                let refusal = DiscoveryPending::Refusal {
                    provider: p,
                    action,
                    generation,
                };
                ctx.schedule(delay, refusal);
            }
            Some(entry) => {
                // The same endpoint again: idempotent, not a change watchers need to hear of.
                registry.registrations += 1;
                let record_it = registered(true);
                let new_ttl = entry.ttl != provider.ttl;
                entry.provider = p;
                entry.last_heartbeat = now;
                entry.ttl = provider.ttl;
                if new_ttl {
                    // The entry lives by another TTL now: a fresh expiry check replaces the old.
                    entry.serial = self.next_serial;
                    self.next_serial += 1;
                    let check = DiscoveryPending::ExpiryCheck {
                        registry: r,
                        name: provider.name.clone(),
                        serial: entry.serial,
                    };
                    ctx.schedule(provider.ttl, check);
                }
                ctx.record(record_it);
            }
            None => {
                registry.registrations += 1;
                let serial = self.next_serial;
                self.next_serial += 1;
                let record_it = registered(false);
                registry.entries.insert(
                    provider.name.clone(),
                    Entry {
                        endpoint: provider.endpoint.clone(),
                        provider: p,
                        last_heartbeat: now,
                        ttl: provider.ttl,
                        serial,
                    },
                );
                ctx.record(record_it);
                let check = DiscoveryPending::ExpiryCheck {
                    registry: r,
                    name: provider.name.clone(),
                    serial,
                };
                ctx.schedule(provider.ttl, check);
                let (name, endpoint) = (provider.name.clone(), provider.endpoint.clone());
                self.notify(ctx, r, &name, Some(endpoint));
            }
        }
    }

    /// A deregistration at a live registry: the name goes if it is held at this provider's
    /// endpoint (the address is leaving, whoever registered it last).
    fn remove(&mut self, ctx: &mut Ctx, r: usize, p: usize) {
        let Some(provider) = self.providers.get(p) else {
            return;
        };
        let name = provider.name.clone();
        let registry = &mut self.registries[r];
        let removed = registry
            .entries
            .get(&name)
            .is_some_and(|e| e.endpoint == provider.endpoint);
        if removed {
            registry.entries.remove(&name);
        }
        ctx.record(DiscoveryRecord::Deregistered {
            registry: registry.entity,
            provider: provider.entity,
            name: name.clone(),
            removed,
        });
        if removed {
            self.notify(ctx, r, &name, None);
        }
    }

    pub(super) fn expiry_check(&mut self, ctx: &mut Ctx, r: usize, name: String, serial: u64) {
        let Some(registry) = self.registries.get_mut(r) else {
            return;
        };
        let Some(entry) = registry.entries.get(&name).filter(|e| e.serial == serial) else {
            return; // gone, or replaced by a later registration with its own check
        };
        let due = entry.last_heartbeat.saturating_add(entry.ttl);
        if due > ctx.now {
            let check = DiscoveryPending::ExpiryCheck {
                registry: r,
                name,
                serial,
            };
            ctx.schedule(due.since(ctx.now), check);
            return;
        }
        let Some(entry) = registry.entries.remove(&name) else {
            return;
        };
        registry.expired += 1;
        let provider = self.providers.get(entry.provider).map_or(NO_ENTITY, |p| p.entity);
        ctx.record(DiscoveryRecord::Expired {
            registry: registry.entity,
            provider,
            name: name.clone(),
            last_heartbeat: entry.last_heartbeat,
        });
        self.notify(ctx, r, &name, None);
    }
}
