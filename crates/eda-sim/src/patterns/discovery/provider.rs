//! A provider: registers its name and endpoint, keeps the entry alive with heartbeats, asks to
//! be deregistered, and gives up when the registry refuses it.

use super::errors::NAME_ALREADY_REGISTERED;
use super::pending::{DiscoveryPending, ToRegistry};
use super::records::{DiscoveryRecord, ProviderAction};
use super::world::{entity_of, DiscoveryWorld, NO_ENTITY};
use super::Ctx;
use crate::kernel::ids::EntityId;
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimDuration;

#[derive(Clone, Debug)]
pub struct Provider {
    pub entity: EntityId,
    pub name: String,
    pub endpoint: String,
    pub registry: usize,
    pub operations: Vec<String>,
    pub heartbeat_every: Distribution,
    pub ttl: SimDuration,
    pub register_at: Option<SimDuration>,
    pub service_time: Distribution,
    pub up: bool,
    /// Offers its service: told to register, and neither deregistered nor refused since. An
    /// active provider heartbeats and answers calls while up, and registers again on restart.
    pub active: bool,
    /// Bumped by every (re)registration, crash, deregistration and refusal: voids older heartbeats.
    pub generation: u64,
    pub heartbeats: u64,
    pub calls_served: u64,
}

impl DiscoveryWorld {
    /// The provider registers now (or, if down, as soon as it restarts) and starts heartbeating.
    pub(super) fn register(&mut self, ctx: &mut Ctx, p: usize) {
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        provider.active = true;
        if !provider.up {
            return;
        }
        provider.generation += 1;
        let generation = provider.generation;
        let registry = provider.registry;
        let gap = provider.heartbeat_every.sample(ctx.rng());
        ctx.record(DiscoveryRecord::Register {
            provider: provider.entity,
            registry: entity_of(&self.registries, registry),
            name: provider.name.clone(),
            endpoint: provider.endpoint.clone(),
        });
        ctx.schedule(
            gap,
            DiscoveryPending::Heartbeat {
                provider: p,
                generation,
            },
        );
        let delay = self.network_delay(ctx, registry);
        let message = ToRegistry::Register {
            provider: p,
            generation,
        };
        ctx.schedule(delay, DiscoveryPending::Arrive { registry, message });
    }

    /// The provider stops offering its service: no more heartbeats or calls; the registry is
    /// asked to drop the name.
    pub(super) fn deregister(&mut self, ctx: &mut Ctx, p: usize) {
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        provider.active = false;
        if !provider.up {
            return;
        }
        provider.generation += 1;
        let registry = provider.registry;
        ctx.record(DiscoveryRecord::Deregister {
            provider: provider.entity,
            registry: entity_of(&self.registries, registry),
            name: provider.name.clone(),
        });
        let delay = self.network_delay(ctx, registry);
        let message = ToRegistry::Deregister { provider: p };
        ctx.schedule(delay, DiscoveryPending::Arrive { registry, message });
    }

    pub(super) fn heartbeat(&mut self, ctx: &mut Ctx, p: usize, generation: u64) {
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        if provider.generation != generation || !provider.up || !provider.active {
            return;
        }
        provider.heartbeats += 1;
        let registry = provider.registry;
        let gap = provider.heartbeat_every.sample(ctx.rng());
        ctx.record(DiscoveryRecord::Heartbeat {
            provider: provider.entity,
            registry: entity_of(&self.registries, registry),
            name: provider.name.clone(),
        });
        ctx.schedule(
            gap,
            DiscoveryPending::Heartbeat {
                provider: p,
                generation,
            },
        );
        let delay = self.network_delay(ctx, registry);
        let message = ToRegistry::Heartbeat {
            provider: p,
            generation,
        };
        ctx.schedule(delay, DiscoveryPending::Arrive { registry, message });
    }

    /// The registry's refusal reaches the provider: it gives up offering the name.
    pub(super) fn refusal(&mut self, ctx: &mut Ctx, p: usize, action: ProviderAction, generation: u64) {
        let registry_entity = self
            .providers
            .get(p)
            .map_or(NO_ENTITY, |provider| self.registry_entity(provider.registry));
        let Some(provider) = self.providers.get_mut(p) else {
            return;
        };
        if !provider.up {
            return; // the answer reached a dead process
        }
        ctx.record(DiscoveryRecord::ProviderFailed {
            provider: provider.entity,
            registry: registry_entity,
            name: provider.name.clone(),
            action,
            error: NAME_ALREADY_REGISTERED.to_string(),
        });
        if provider.generation == generation {
            provider.active = false;
            provider.generation += 1;
        }
    }
}
