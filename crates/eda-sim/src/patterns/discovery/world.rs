//! All state of service discovery, built from the scenario section, and the one place its pending
//! events and commands are dispatched to their handlers.

use super::calls::CallRequest;
use super::client::{DiscoveryClient, LookupRequest};
use super::pending::DiscoveryPending;
use super::provider::Provider;
use super::registry::Registry;
use super::spec::DiscoverySpec;
use super::Ctx;
use crate::command::Command;
use crate::kernel::collections::{IdMap, Set};
use crate::kernel::entity::Entities;
use crate::kernel::entity::EntityKind;
use crate::kernel::error::SimError;
use crate::kernel::ids::EntityId;
use crate::kernel::time::SimDuration;
use litemap::LiteMap;

/// All state of service discovery.
#[derive(Clone, Debug, Default)]
pub struct DiscoveryWorld {
    pub registries: Vec<Registry>,
    pub providers: Vec<Provider>,
    pub clients: Vec<DiscoveryClient>,
    /// Lookups not yet answered, by request id.
    pub lookups: IdMap<LookupRequest>,
    /// Calls not yet settled, by request id.
    pub calls: IdMap<CallRequest>,
    pub(super) next_request: u64,
    pub(super) next_serial: u64,
}

/// The entity of something that does not exist.
pub(super) const NO_ENTITY: EntityId = EntityId(u32::MAX);

/// The entity of registry `r` (a placeholder for a registry that does not exist).
pub(super) fn entity_of(registries: &[Registry], r: usize) -> EntityId {
    registries.get(r).map_or(NO_ENTITY, |r| r.entity)
}

impl DiscoveryWorld {
    pub fn build(spec: &DiscoverySpec, entities: &mut Entities) -> Self {
        let mut world = DiscoveryWorld::default();
        for r in &spec.registries {
            let entity = entities.add(&r.id, EntityKind::ServiceRegistry, world.registries.len());
            world.registries.push(Registry {
                entity,
                propagation_delay: r.propagation_delay.clone(),
                network_delay: r.network_delay.clone(),
                down: false,
                entries: LiteMap::new_vec(),
                watchers: LiteMap::new_vec(),
                registrations: 0,
                refused: 0,
                lookups: 0,
                not_found: 0,
                notifications: 0,
                expired: 0,
            });
        }
        // A validated scenario always resolves; otherwise the index points nowhere and every
        // use of it is a no-op.
        let registry_of = |id: &str| spec.registries.iter().position(|r| r.id == id).unwrap_or(usize::MAX);
        for p in &spec.providers {
            let entity = entities.add(&p.id, EntityKind::Provider, world.providers.len());
            world.providers.push(Provider {
                entity,
                name: p.name.clone(),
                endpoint: p.endpoint.clone(),
                registry: registry_of(&p.registry),
                operations: p.operations.clone(),
                heartbeat_every: p.heartbeat_every.clone(),
                ttl: p.ttl,
                register_at: p.register_at,
                service_time: p.service_time.clone(),
                up: true,
                active: false,
                generation: 0,
                heartbeats: 0,
                calls_served: 0,
            });
        }
        for c in &spec.clients {
            let index = world.clients.len();
            let entity = entities.add(&c.id, EntityKind::DiscoveryClient, index);
            let registry = registry_of(&c.registry);
            let watching: Set<String> = crate::kernel::collections::set_of(c.watch.iter().cloned());
            if let Some(r) = world.registries.get_mut(registry) {
                for name in watching.iter() {
                    r.watchers.entry(name.clone()).or_default().insert(index);
                }
            }
            world.clients.push(DiscoveryClient {
                entity,
                registry,
                call_timeout: c.call_timeout,
                up: true,
                epoch: 0,
                cache: LiteMap::new_vec(),
                watching,
                lookups: 0,
                not_found: 0,
                calls: 0,
                call_ok: 0,
                call_failed: 0,
                notifications_received: 0,
            });
        }
        world
    }

    /// Schedules every provider's own registration.
    pub fn start(&mut self, ctx: &mut Ctx) {
        for (p, provider) in self.providers.iter().enumerate() {
            if let Some(at) = provider.register_at {
                ctx.schedule(at, DiscoveryPending::AutoRegister { provider: p });
            }
        }
    }

    pub fn handle(&mut self, ctx: &mut Ctx, event: DiscoveryPending) {
        match event {
            DiscoveryPending::AutoRegister { provider } => self.register(ctx, provider),
            DiscoveryPending::Heartbeat { provider, generation } => self.heartbeat(ctx, provider, generation),
            DiscoveryPending::Arrive { registry, message } => self.arrive(ctx, registry, message),
            DiscoveryPending::ExpiryCheck { registry, name, serial } => self.expiry_check(ctx, registry, name, serial),
            DiscoveryPending::Refusal {
                provider,
                action,
                generation,
            } => self.refusal(ctx, provider, action, generation),
            DiscoveryPending::LookupAnswer { request, answer } => self.lookup_answer(ctx, request, answer),
            DiscoveryPending::Rewatch { client } => self.rewatch(ctx, client),
            DiscoveryPending::Notification {
                registry,
                client,
                name,
                endpoint,
                epoch,
            } => self.notification(ctx, registry, client, name, endpoint, epoch),
            DiscoveryPending::CallArrive { request } => self.call_arrive(ctx, request),
            DiscoveryPending::CallServed { request } => self.call_served(ctx, request),
            DiscoveryPending::CallAnswer { request } => self.call_answer(ctx, request),
            DiscoveryPending::CallTimeout { request } => self.call_timeout(ctx, request),
        }
    }

    /// Runs `register`, `deregister`, `lookup`, `watch` and `call`; other commands are not ours.
    pub fn command(&mut self, ctx: &mut Ctx, entities: &Entities, command: &Command) -> Result<(), SimError> {
        match command {
            Command::Register { provider } => {
                let p = entities.index_of(provider, EntityKind::Provider)?;
                self.register(ctx, p);
            }
            Command::Deregister { provider } => {
                let p = entities.index_of(provider, EntityKind::Provider)?;
                self.deregister(ctx, p);
            }
            Command::Lookup { client, name } => {
                let c = entities.index_of(client, EntityKind::DiscoveryClient)?;
                self.lookup(ctx, c, name, None);
            }
            Command::Watch { client, name } => {
                let c = entities.index_of(client, EntityKind::DiscoveryClient)?;
                self.watch(ctx, c, name);
            }
            Command::Call {
                client,
                name,
                operation,
                payload,
            } => {
                let c = entities.index_of(client, EntityKind::DiscoveryClient)?;
                self.call(ctx, c, name, operation, payload);
            }
            _ => {}
        }
        Ok(())
    }

    // ----- helpers -----

    pub(super) fn registry_entity(&self, registry: usize) -> EntityId {
        entity_of(&self.registries, registry)
    }

    /// One draw of the registry's network delay (zero for a registry that does not exist).
    pub(super) fn network_delay(&self, ctx: &mut Ctx, registry: usize) -> SimDuration {
        self.registries
            .get(registry)
            .map_or(SimDuration::ZERO, |r| r.network_delay.sample(ctx.rng()))
    }

    pub(super) fn next_request(&mut self) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        id
    }
}
