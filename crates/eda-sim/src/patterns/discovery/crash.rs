//! Crash and restart of a registry, provider or client: what each forgets, and what it does
//! again when it comes back.

use super::calls::CallState;
use super::pending::DiscoveryPending;
use super::world::DiscoveryWorld;
use super::Ctx;
use crate::kernel::entity::EntityKind;
use crate::kernel::error::Switch;
use crate::kernel::time::SimDuration;

impl DiscoveryWorld {
    /// Crashes (`down`) or restarts a registry, provider or client. A registry forgets every
    /// entry and watch; a provider stops heartbeating and drops the calls it holds; a client
    /// loses its cache. On restart a provider registers again and a client (or every client of
    /// a restarted registry) re-establishes its watches.
    pub fn set_down(&mut self, ctx: &mut Ctx, kind: EntityKind, index: usize, down: bool) -> Switch {
        match kind {
            EntityKind::ServiceRegistry => {
                let Some(registry) = self.registries.get_mut(index) else {
                    return Switch::Unsupported;
                };
                if registry.down == down {
                    return Switch::Unchanged;
                }
                registry.down = down;
                if down {
                    registry.entries.clear();
                    registry.watchers.clear();
                } else {
                    for (c, client) in self.clients.iter().enumerate() {
                        if client.registry == index && client.up && !client.watching.is_empty() {
                            ctx.schedule(SimDuration::ZERO, DiscoveryPending::Rewatch { client: c });
                        }
                    }
                }
                Switch::Switched
            }
            EntityKind::Provider => {
                let Some(provider) = self.providers.get_mut(index) else {
                    return Switch::Unsupported;
                };
                if provider.up != down {
                    return Switch::Unchanged;
                }
                provider.up = !down;
                if down {
                    provider.generation += 1;
                    for call in self.calls.values_mut_unordered() {
                        if call.state == (CallState::InService { provider: index }) {
                            call.state = CallState::Unreachable;
                        }
                    }
                } else if provider.active {
                    self.register(ctx, index);
                }
                Switch::Switched
            }
            EntityKind::DiscoveryClient => {
                let Some(client) = self.clients.get_mut(index) else {
                    return Switch::Unsupported;
                };
                if client.up != down {
                    return Switch::Unchanged;
                }
                client.up = !down;
                if down {
                    client.epoch += 1;
                    client.cache.clear();
                    // Its watch connections closed with it.
                    if let Some(registry) = self.registries.get_mut(client.registry) {
                        for (_, watchers) in registry.watchers.iter_mut() {
                            watchers.remove(&index);
                        }
                    }
                } else {
                    self.rewatch(ctx, index);
                }
                Switch::Switched
            }
            _ => Switch::Unsupported,
        }
    }
}
