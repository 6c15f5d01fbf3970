//! What a pattern's handler works with while it reacts to one event: the clock (read-only), the
//! generator, and a [`Sink`] for the events it schedules for itself, the records it writes and
//! the effects it asks of other patterns. Handlers do no I/O and touch no queue or trace
//! themselves, so a handler runs the same in a whole simulation and alone in a test
//! ([`crate::kernel::stage::Stage`]).
//!
//! Generic over the pattern's own pending-event type `P` and record type `R`: each pattern
//! names its context `Ctx<'a, ItsPending, ItsRecord>` and never sees another pattern's types
//! or the world's. What takes them (the kernel's [`crate::kernel::core::Core`] for a run, a
//! stage for a test) wraps them into its own types.

use crate::kernel::effect::Effect;
use crate::kernel::ids::{EntityId, MessageKey};
use crate::kernel::network::Network;
use crate::kernel::rng::SimRng;
use crate::kernel::time::{SimDuration, SimTime};

/// Where a handler's events, records and effects go, and the generator it draws from.
pub trait Sink<P, R> {
    fn rng(&mut self) -> &mut SimRng;
    /// `pending` is due `after` from `now`.
    fn schedule(&mut self, now: SimTime, after: SimDuration, pending: P);
    fn record(&mut self, now: SimTime, record: R);
    /// `effect` is about `cause` (its records name that thing's latest record as cause).
    fn effect(&mut self, effect: Effect, cause: Option<MessageKey>);
    /// The network as it is now (partitions).
    fn network(&self) -> &Network;
}

/// The handler's view of the simulation for one event (see the module docs).
pub struct Ctx<'a, P, R> {
    pub now: SimTime,
    sink: &'a mut dyn Sink<P, R>,
    /// What the effects asked for now are about: their records name its latest record as cause.
    pub cause: Option<MessageKey>,
}

impl<'a, P, R> Ctx<'a, P, R> {
    pub fn new(now: SimTime, sink: &'a mut dyn Sink<P, R>) -> Self {
        Ctx { now, sink, cause: None }
    }

    /// The simulation's one generator.
    #[inline]
    pub fn rng(&mut self) -> &mut SimRng {
        self.sink.rng()
    }

    /// Schedules `pending` (for this pattern) to happen `after` from now.
    #[inline]
    pub fn schedule(&mut self, after: SimDuration, pending: P) {
        self.sink.schedule(self.now, after, pending);
    }

    /// Writes a record, stamped with the current time.
    #[inline]
    pub fn record(&mut self, record: R) {
        self.sink.record(self.now, record);
    }

    /// Whether a message from `a` can reach `b` now (a network partition may split them).
    #[inline]
    pub fn reachable(&self, a: EntityId, b: EntityId) -> bool {
        self.sink.network().reachable(a, b)
    }

    /// The network's generation: it moves at every split and heal.
    pub fn network_generation(&self) -> u64 {
        self.sink.network().generation
    }

    /// Asks another pattern to act now (see [`Effect`]).
    #[inline]
    pub fn effect(&mut self, effect: Effect) {
        self.sink.effect(effect, self.cause);
    }
}
