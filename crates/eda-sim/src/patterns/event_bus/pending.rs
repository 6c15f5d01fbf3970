//! What the event bus waits for (an emitter's next event, a copy in flight, a listener at work)
//! and the one table that hands each to its handler.

use super::state::EventBusWorld;
use super::Ctx;

/// Pending events of this pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BusPending {
    /// An emitter of a source publishes its next event.
    Emit { source: usize, emitter: usize },
    /// A dispatched copy reaches its listener.
    Arrive { flight: u64 },
    /// A listener finishes the event it is handling.
    HandlingDone { listener: usize },
}

impl EventBusWorld {
    pub fn handle(&mut self, ctx: &mut Ctx, pending: BusPending) {
        match pending {
            BusPending::Emit { source, emitter } => self.emit(ctx, source, emitter),
            BusPending::Arrive { flight } => self.arrive(ctx, flight),
            BusPending::HandlingDone { listener } => self.finish_handling(ctx, listener),
        }
    }
}
