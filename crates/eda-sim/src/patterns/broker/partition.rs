//! What a network partition does to the broker's clients: a queue consumer cut off from the
//! broker has its channel closed (what it held unacknowledged goes to the others; what it still
//! processes is a zombie's work, whose acknowledgements never arrive); a group member cut off sends no heartbeat, so the group declares it
//! dead after its session timeout and rebalances while it may still be processing (a zombie);
//! when the network heals it rejoins as a new member. Producers cut off have their publishes
//! refused (or, waiting for acknowledgements, time out and retry).

use super::Ctx;
use super::{AbortReason, BrokerPending, BrokerWorld, Role};

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
                    match (c.role.clone(), c.in_group) {
                        (Role::Group(g), true) => {
                            let session = self.groups[g].session_timeout;
                            let cut = self.consumers[i].cut_generation;
                            ctx.schedule(session, BrokerPending::SessionSilent { consumer: i, cut });
                        }
                        // The broker closes its channel (as its heartbeat would find it dead):
                        // what it had not acknowledged goes back to the queue for the others.
                        (Role::Queue(q), _) => {
                            c.holding = 0;
                            self.requeue_held_by(ctx, q, i);
                            self.dispatch(ctx, q);
                        }
                        _ => {}
                    }
                }
                (true, false) => match c.role.clone() {
                    // Declared dead meanwhile, or restarted meanwhile: it joins again as a new
                    // member (replacing its old self if the group still counts that in).
                    Role::Group(g) if !c.down && (!c.in_group || c.rejoin_at_heal) => {
                        c.rejoin_at_heal = false;
                        c.commit_failed = false;
                        c.positions.clear();
                        c.fetching = false;
                        if self.consumers[i].in_group {
                            self.remove_member(ctx, g, i);
                        }
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
        // Members that reach the broker again commit what their failed commits left.
        self.retry_failed_commits(ctx);
    }

    /// A member cut off since `cut` has been silent for its session timeout: still cut off, the
    /// group declares it dead and gives its partitions to the others.
    pub(super) fn session_silent(&mut self, ctx: &mut Ctx, consumer: usize, cut: u64) {
        let c = &self.consumers[consumer];
        // Crashed meanwhile or not, it sent nothing since the cut (a restart that cannot reach
        // the group does not rejoin it).
        if !c.cut_off || c.cut_generation != cut || !c.in_group {
            return;
        }
        if let Role::Group(g) = c.role {
            // Its open transaction times out: it cannot reach the coordinator to commit it.
            self.drop_transaction(ctx, consumer, AbortReason::TimedOut);
            self.remove_member(ctx, g, consumer);
            self.rebalance(ctx, g, None);
        }
    }
}
