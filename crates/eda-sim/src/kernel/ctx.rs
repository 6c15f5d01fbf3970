//! What a pattern's handler works with while it reacts to one event: the clock (read-only), the
//! generator, and an outbox ([`Out`]) for the events it schedules for itself, the records it
//! writes and the effects it asks of other patterns. Handlers do no I/O and touch no queue or
//! trace: the world empties the outbox after each handler, so a handler runs the same in a
//! whole simulation and alone in a test ([`crate::kernel::stage::Stage`]).
//!
//! Generic over the pattern's own pending-event type `P` and record type `R`: each pattern
//! names its context `Ctx<'a, ItsPending, ItsRecord>` and never sees another pattern's types.

use crate::kernel::effect::Effect;
use crate::kernel::ids::MessageKey;
use crate::kernel::queue::EventQueue;
use crate::kernel::rng::SimRng;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;
use serde::Serialize;

/// What one or more handler calls produced, in the order they produced it.
#[derive(Clone, Debug, PartialEq)]
pub struct Out<P, R> {
    /// Events for the pattern itself, each due this long after the instant it was asked at.
    pub scheduled: Vec<(SimDuration, P)>,
    pub records: Vec<R>,
    /// Effects, each with what it is about (its records name that thing's latest record as cause).
    pub effects: Vec<(Effect, Option<MessageKey>)>,
}

impl<P, R> Default for Out<P, R> {
    fn default() -> Self {
        Out {
            scheduled: Vec::new(),
            records: Vec::new(),
            effects: Vec::new(),
        }
    }
}

impl<P, R> Out<P, R> {
    pub fn is_empty(&self) -> bool {
        self.scheduled.is_empty() && self.records.is_empty() && self.effects.is_empty()
    }

    /// Moves what was produced at `now` into a queue, a trace and an effect list, in the order
    /// it was produced, each pending event and record wrapped into the types they hold.
    pub fn settle<Q, K: Serialize>(
        &mut self,
        now: SimTime,
        into: Sinks<'_, Q, K>,
        pending: impl Fn(P) -> Q,
        record: impl Fn(R) -> K,
    ) {
        for (after, event) in self.scheduled.drain(..) {
            into.queue.push_from(now, now.saturating_add(after), pending(event));
        }
        for kind in self.records.drain(..) {
            into.trace.push(now, record(kind));
        }
        into.effects.append(&mut self.effects);
    }
}

/// Where a handler's outbox is emptied: the run's queue, trace and effect list.
pub struct Sinks<'a, Q, K> {
    pub queue: &'a mut EventQueue<Q>,
    pub trace: &'a mut Trace<K>,
    pub effects: &'a mut Vec<(Effect, Option<MessageKey>)>,
}

/// The handler's view of the simulation for one event (see the module docs).
pub struct Ctx<'a, P, R> {
    pub now: SimTime,
    pub rng: &'a mut SimRng,
    pub(crate) out: &'a mut Out<P, R>,
    /// What the effects asked for now are about: their records name its latest record as cause.
    pub cause: Option<MessageKey>,
}

impl<'a, P, R> Ctx<'a, P, R> {
    pub fn new(now: SimTime, rng: &'a mut SimRng, out: &'a mut Out<P, R>) -> Self {
        Ctx {
            now,
            rng,
            out,
            cause: None,
        }
    }

    /// Schedules `pending` (for this pattern) to happen `after` from now.
    pub fn schedule(&mut self, after: SimDuration, pending: P) {
        self.out.scheduled.push((after, pending));
    }

    /// Writes a record, stamped with the current time when the world takes it.
    pub fn record(&mut self, record: R) {
        self.out.records.push(record);
    }

    /// Asks another pattern to act now (see [`Effect`]).
    pub fn effect(&mut self, effect: Effect) {
        self.out.effects.push((effect, self.cause));
    }
}
