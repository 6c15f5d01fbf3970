//! Watches: a client asks its registry to be told of changes to a name, the registry sends each
//! change to its watchers, and a watcher updates its cache (or misses the change if it is down).

use super::errors::TOO_MANY_WATCHES;
use super::pending::{DiscoveryPending, ToRegistry};
use super::records::DiscoveryRecord;
use super::spec::MAX_WATCHES;
use super::world::{DiscoveryWorld, NO_ENTITY};
use super::Ctx;

impl DiscoveryWorld {
    /// Sends a change of `name` to every watcher; each hears of it after the propagation delay.
    pub(super) fn notify(&mut self, ctx: &mut Ctx, r: usize, name: &str, endpoint: Option<String>) {
        let Some(registry) = self.registries.get_mut(r) else {
            return;
        };
        let Some(watchers) = registry.watchers.get(name) else {
            return;
        };
        for &c in watchers.iter() {
            let Some(client) = self.clients.get(c) else {
                continue;
            };
            registry.notifications += 1;
            ctx.record(DiscoveryRecord::Notify {
                registry: registry.entity,
                client: client.entity,
                name: name.to_string(),
                endpoint: endpoint.clone(),
            });
            let after = registry.propagation_delay.sample(ctx.rng());
            let note = DiscoveryPending::Notification {
                registry: r,
                client: c,
                name: name.to_string(),
                endpoint: endpoint.clone(),
                epoch: client.epoch,
            };
            ctx.schedule(after, note);
        }
    }

    pub(super) fn notification(
        &mut self,
        ctx: &mut Ctx,
        r: usize,
        c: usize,
        name: String,
        endpoint: Option<String>,
        epoch: u64,
    ) {
        let registry = self.registry_entity(r);
        let Some(client) = self.clients.get_mut(c) else {
            return;
        };
        let cut = !ctx.reachable(registry, client.entity);
        if !client.up || client.epoch != epoch || cut {
            ctx.record(DiscoveryRecord::NotificationLost {
                client: client.entity,
                registry,
                name,
            });
            return;
        }
        client.notifications_received += 1;
        match &endpoint {
            Some(e) => client.cache.insert(name.clone(), e.clone()),
            None => client.cache.remove(&name),
        };
        ctx.record(DiscoveryRecord::Notified {
            client: client.entity,
            registry,
            name,
            endpoint,
        });
    }

    pub(super) fn watch(&mut self, ctx: &mut Ctx, c: usize, name: &str) {
        let registry = self
            .clients
            .get(c)
            .map_or(NO_ENTITY, |client| self.registry_entity(client.registry));
        let Some(client) = self.clients.get_mut(c) else {
            return;
        };
        if client.watching.contains(name) {
            // Already asked for: ask again only if it is up (the registry may have forgotten).
        } else if client.watching.len() >= MAX_WATCHES {
            ctx.record(DiscoveryRecord::WatchFailed {
                client: client.entity,
                registry,
                name: name.to_string(),
                error: TOO_MANY_WATCHES.to_string(),
            });
            return;
        } else {
            client.watching.insert(name.to_string());
        }
        if client.up {
            self.send_watch(ctx, c, name);
        }
    }

    fn send_watch(&mut self, ctx: &mut Ctx, c: usize, name: &str) {
        let Some(client) = self.clients.get(c) else {
            return;
        };
        let registry = client.registry;
        ctx.record(DiscoveryRecord::Watch {
            client: client.entity,
            registry: self.registry_entity(registry),
            name: name.to_string(),
        });
        let message = ToRegistry::Watch {
            client: c,
            name: name.to_string(),
            epoch: client.epoch,
        };
        let delay = self.network_delay(ctx, registry);
        ctx.schedule(delay, DiscoveryPending::Arrive { registry, message });
    }

    /// The client asks again for every name it watches (after it or its registry restarted).
    pub(super) fn rewatch(&mut self, ctx: &mut Ctx, c: usize) {
        let Some(client) = self.clients.get(c) else {
            return;
        };
        if !client.up {
            return;
        }
        let names: Vec<String> = client.watching.iter().cloned().collect();
        for name in names {
            self.send_watch(ctx, c, &name);
        }
    }
}
