//! The state every run has, whatever its patterns: the clock, the generator, the pending-event
//! queue, the trace, and the effects asked for but not yet carried out. Generic over the
//! world's pending-event type `Q` and record type `K`; it takes any pattern's events and
//! records that convert into them ([`Sink`]), so one pattern's handler runs against it through
//! [`Core::ctx`].

use crate::kernel::ctx::{Ctx, Sink};
use crate::kernel::effect::Effect;
use crate::kernel::ids::MessageKey;
use crate::kernel::network::Network;
use crate::kernel::queue::EventQueue;
use crate::kernel::rng::SimRng;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::{Holds, Retention, Trace};
use serde::Serialize;

#[derive(Clone, Debug)]
pub struct Core<Q, K> {
    pub now: SimTime,
    pub rng: SimRng,
    pub queue: EventQueue<Q>,
    pub trace: Trace<K>,
    /// Effects asked for and not yet carried out, with what each is about.
    pub effects: Vec<(Effect, Option<MessageKey>)>,
    /// Which entities can reach which (network partitions).
    pub network: Network,
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
            network: Network::default(),
        }
    }

    /// A context for one pattern's handler now, whose events and records become the world's.
    #[inline]
    pub fn ctx<P, R>(&mut self) -> Ctx<'_, P, R>
    where
        Q: From<P>,
        K: Holds<R>,
        R: Serialize,
    {
        Ctx::new(self.now, self)
    }
}

impl<P, R: Serialize, Q: From<P>, K: Holds<R> + Serialize> Sink<P, R> for Core<Q, K> {
    #[inline]
    fn rng(&mut self) -> &mut SimRng {
        &mut self.rng
    }

    #[inline]
    fn schedule(&mut self, now: SimTime, after: SimDuration, pending: P) {
        self.queue.push_from(now, now.saturating_add(after), Q::from(pending));
    }

    #[inline]
    fn record(&mut self, now: SimTime, record: R) {
        self.trace.push_part(now, record);
    }

    #[inline]
    fn effect(&mut self, effect: Effect, cause: Option<MessageKey>) {
        self.effects.push((effect, cause));
    }

    #[inline]
    fn network(&self) -> &Network {
        &self.network
    }
}
