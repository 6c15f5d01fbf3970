//! Subscriptions: which listeners receive an event (its type or any ancestor subscribed), and
//! the commands that change them while the simulation runs.

use super::records::BusRecord;
use super::state::EventBusWorld;
use super::Ctx;
use crate::kernel::ids::EventTypeId;

impl EventBusWorld {
    /// Whether `listener` currently receives events of type `ty`.
    pub fn receives(&self, listener: usize, ty: EventTypeId) -> bool {
        let subs = &self.listeners[listener].subscriptions;
        self.types.ancestors_inclusive(ty).any(|t| subs.contains(&t))
    }

    /// Adds a subscription; returns false (and records nothing) if it already existed.
    pub fn subscribe(&mut self, ctx: &mut Ctx, listener: usize, event_type: EventTypeId) -> bool {
        let l = &mut self.listeners[listener];
        if !l.subscriptions.insert(event_type) {
            return false;
        }
        ctx.record(BusRecord::Subscribed {
            listener: l.entity,
            event_type,
        });
        true
    }

    /// Removes a subscription; returns false (and records nothing) if there was none.
    pub fn unsubscribe(&mut self, ctx: &mut Ctx, listener: usize, event_type: EventTypeId) -> bool {
        let l = &mut self.listeners[listener];
        if !l.subscriptions.remove(&event_type) {
            return false;
        }
        ctx.record(BusRecord::Unsubscribed {
            listener: l.entity,
            event_type,
        });
        true
    }
}
