//! Given/when/then for one pattern's handlers alone: a clock, a generator, a queue, a trace
//! and an effect list of that pattern's own types, owned by the test. Build the pattern's
//! state from a scenario section (given), run a handler with [`Stage::ctx`] (when), and read
//! back what it scheduled, recorded and asked of other patterns (then), without a world or
//! an engine.
//!
//! ```text
//! let mut stage = Stage::new(7);
//! let mut bus = EventBusWorld::build(&spec, &mut stage.entities);   // given
//! bus.handle(&mut stage.ctx(), BusPending::Arrive { flight });     // when
//! assert_eq!(stage.scheduled().len(), 1);                          // then
//! ```

use crate::kernel::ctx::{Ctx, Out, Sinks};
use crate::kernel::effect::Effect;
use crate::kernel::entity::Entities;
use crate::kernel::ids::MessageKey;
use crate::kernel::queue::EventQueue;
use crate::kernel::rng::SimRng;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::{Retention, Trace};
use serde::Serialize;
use std::ops::{Deref, DerefMut};

/// Everything a pattern's handlers touch besides the pattern's own state.
pub struct Stage<P, R> {
    pub now: SimTime,
    pub rng: SimRng,
    pub queue: EventQueue<P>,
    pub trace: Trace<R>,
    pub effects: Vec<(Effect, Option<MessageKey>)>,
    /// The entity table the pattern registers its entities in when it is built.
    pub entities: Entities,
    out: Out<P, R>,
}

impl<P: Clone, R: Serialize> Stage<P, R> {
    /// An empty stage at time 0, its generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Stage {
            now: SimTime::ZERO,
            rng: SimRng::new(seed),
            queue: EventQueue::new(),
            trace: Trace::new(Retention::Full),
            effects: Vec::new(),
            entities: Entities::default(),
            out: Out::default(),
        }
    }

    /// The context to hand a handler, at the stage's current time. What the handler produces
    /// reaches the stage's queue, trace and effects when the context is dropped (at the end of
    /// the statement that ran the handler).
    pub fn ctx(&mut self) -> StageCtx<'_, P, R> {
        StageCtx {
            ctx: Ctx::new(self.now, &mut self.rng, &mut self.out),
            sinks: Sinks {
                queue: &mut self.queue,
                trace: &mut self.trace,
                effects: &mut self.effects,
            },
        }
    }

    /// Moves the clock on (a handler reads the time from its context).
    pub fn advance(&mut self, by: SimDuration) {
        self.now = self.now.saturating_add(by);
    }

    /// What the handlers scheduled and is still pending, as (due at, what), earliest first
    /// (ties in scheduling order).
    pub fn scheduled(&self) -> Vec<(SimTime, P)> {
        let mut queue = self.queue.clone();
        let mut due = Vec::new();
        while let Some((time, _seq, pending)) = queue.pop() {
            due.push((time, pending));
        }
        due
    }

    /// Takes the earliest pending event off the queue and moves the clock to it, as the engine
    /// would before handing it to its pattern.
    pub fn take_next(&mut self) -> Option<P> {
        let (time, _seq, pending) = self.queue.pop()?;
        self.now = time;
        Some(pending)
    }

    /// The records written so far, oldest first.
    pub fn records(&self) -> Vec<&R> {
        self.trace.records().iter().map(|r| &r.kind).collect()
    }

    /// The records written since the first `count` (what one handler call added).
    pub fn records_since(&self, count: usize) -> Vec<&R> {
        self.records().split_off(count.min(self.trace.len()))
    }

    /// The effects asked for so far, in the order asked.
    pub fn effects(&self) -> Vec<&Effect> {
        self.effects.iter().map(|(effect, _)| effect).collect()
    }
}

/// A handler's context on a [`Stage`]; when dropped, what the handler produced moves into the
/// stage's queue, trace and effects.
pub struct StageCtx<'s, P, R: Serialize> {
    ctx: Ctx<'s, P, R>,
    sinks: Sinks<'s, P, R>,
}

impl<'s, P, R: Serialize> Deref for StageCtx<'s, P, R> {
    type Target = Ctx<'s, P, R>;
    fn deref(&self) -> &Self::Target {
        &self.ctx
    }
}

impl<P, R: Serialize> DerefMut for StageCtx<'_, P, R> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.ctx
    }
}

impl<P, R: Serialize> Drop for StageCtx<'_, P, R> {
    fn drop(&mut self) {
        let now = self.ctx.now;
        let sinks = Sinks {
            queue: &mut *self.sinks.queue,
            trace: &mut *self.sinks.trace,
            effects: &mut *self.sinks.effects,
        };
        self.ctx.out.settle(now, sinks, |p| p, |r| r);
    }
}
