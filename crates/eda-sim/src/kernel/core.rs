//! The state every run has, whatever its patterns: the clock, the generator, the pending-event
//! queue, the trace, and the effects asked for but not yet carried out. Generic over the
//! world's pending-event type `Q` and record type `K`; [`Core::run`] runs one handler of one
//! pattern against it.

use crate::kernel::ctx::{Ctx, Out, Sinks};
use crate::kernel::effect::Effect;
use crate::kernel::ids::MessageKey;
use crate::kernel::queue::EventQueue;
use crate::kernel::rng::SimRng;
use crate::kernel::time::SimTime;
use crate::kernel::trace::{Retention, Trace};
use serde::Serialize;

#[derive(Clone, Debug)]
pub struct Core<Q, K> {
    pub now: SimTime,
    pub rng: SimRng,
    pub queue: EventQueue<Q>,
    pub trace: Trace<K>,
    /// Effects asked for by the handler that just ran, with what each is about.
    pub effects: Vec<(Effect, Option<MessageKey>)>,
}

impl<Q, K: Serialize> Core<Q, K> {
    /// A run at time 0, its generator seeded with `seed`.
    pub fn new(seed: u64, retention: Retention) -> Self {
        Core {
            now: SimTime::ZERO,
            rng: SimRng::new(seed),
            queue: EventQueue::new(),
            trace: Trace::new(retention),
            effects: Vec::new(),
        }
    }

    /// Runs `handler` of one pattern now with a context over `out`, then moves what it
    /// scheduled, recorded and asked for into the queue, the trace and the effect list,
    /// wrapped into the world's types by `pending` and `record`.
    pub fn run<P, R, T>(
        &mut self,
        out: &mut Out<P, R>,
        pending: impl Fn(P) -> Q,
        record: impl Fn(R) -> K,
        handler: impl FnOnce(&mut Ctx<'_, P, R>) -> T,
    ) -> T {
        let answer = handler(&mut Ctx::new(self.now, &mut self.rng, out));
        let sinks = Sinks {
            queue: &mut self.queue,
            trace: &mut self.trace,
            effects: &mut self.effects,
        };
        out.settle(self.now, sinks, pending, record);
        answer
    }
}
