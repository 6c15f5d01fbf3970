//! What a network partition does to the broker's clients: a consumer cut off from the broker
//! receives nothing and its acknowledgements never arrive (the queue's consumer timeout brings
//! its deliveries back); a group member cut off sends no heartbeat, so the group declares it
//! dead after its session timeout and rebalances while it may still be processing (a zombie);
//! when the network heals it rejoins as a new member. Producers cut off have their publishes
//! refused (or, waiting for acknowledgements, time out and retry).

use super::Ctx;
use super::{BrokerPending, BrokerWorld, Role};

impl BrokerWorld {
    /// The network split or healed: each consumer learns whether it can reach the broker.
    pub fn network_changed(&mut self, ctx: &mut Ctx) {
        let Some(broker) = self.entity else { return };
        for i in 0..self.consumers.len() {
            let c = &mut self.consumers[i];
            let cut = !ctx.reachable(broker, c.entity);
            let was = c.cut_off;
            c.cut_off = cut;
            match (was, cut) {
                (false, true) => {
                    c.cut_generation = ctx.network_generation();
                    if let (Role::Group(g), true) = (c.role.clone(), c.in_group) {
                        let session = self.groups[g].session_timeout;
                        let cut = self.consumers[i].cut_generation;
                        ctx.schedule(session, BrokerPending::SessionSilent { consumer: i, cut });
                    }
                }
                (true, false) => match c.role.clone() {
                    // Declared dead meanwhile: it finds out and joins again as a new member.
                    Role::Group(g) if !c.down && !c.in_group => {
                        c.positions.clear();
                        c.fetching = false;
                        self.add_member(ctx, g, i);
                        self.rebalance(ctx, g, None);
                    }
                    Role::Group(_) => {
                        c.fetching = false;
                        self.wake(ctx, i);
                    }
                    Role::Queue(q) => self.dispatch(ctx, q),
                },
                _ => {}
            }
        }
    }

    /// A member cut off since `cut` has been silent for its session timeout: still cut off, the
    /// group declares it dead and gives its partitions to the others.
    pub(super) fn session_silent(&mut self, ctx: &mut Ctx, consumer: usize, cut: u64) {
        let c = &self.consumers[consumer];
        if !c.cut_off || c.cut_generation != cut || !c.in_group || c.down {
            return;
        }
        if let Role::Group(g) = c.role {
            self.remove_member(ctx, g, consumer);
            self.rebalance(ctx, g, None);
        }
    }
}
