//! Given/when/then for one pattern handler alone: a clock, a generator, a pending-event queue,
//! a trace and an effect list that belong to the test, so a handler can be run on a state built
//! from a scenario section and its scheduled events, records and effects read back, without
//! building a whole [`crate::Sim`].
//!
//! ```text
//! let mut stage = Stage::new(7);
//! let mut bus = EventBusWorld::build(&spec, &mut stage.entities);   // given
//! bus.handle(&mut stage.ctx(), BusPending::Deliver { .. });        // when
//! assert_eq!(stage.scheduled().len(), 1);                          // then
//! ```

use crate::engine::{Ctx, Effect, Entities, Pending};
use crate::queue::EventQueue;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};
use crate::trace::{MessageKey, Retention, Trace, TraceKind};

/// Everything a handler touches besides its own pattern's state.
pub struct Stage {
    pub now: SimTime,
    pub rng: SimRng,
    pub queue: EventQueue<Pending>,
    pub trace: Trace,
    pub effects: Vec<(Effect, Option<MessageKey>)>,
    /// The entity table the pattern registers its entities in when it is built.
    pub entities: Entities,
}

impl Stage {
    /// An empty stage at time 0, its generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Stage {
            now: SimTime::ZERO,
            rng: SimRng::new(seed),
            queue: EventQueue::new(),
            trace: Trace::new(Retention::Full),
            effects: Vec::new(),
            entities: Entities::default(),
        }
    }

    /// The context to hand a handler, at the stage's current time.
    pub fn ctx(&mut self) -> Ctx<'_> {
        Ctx::new(
            self.now,
            &mut self.rng,
            &mut self.queue,
            &mut self.trace,
            &mut self.effects,
        )
    }

    /// Moves the clock on (a handler reads the time from its context).
    pub fn advance(&mut self, by: SimDuration) {
        self.now = self.now.saturating_add(by);
    }

    /// What the handlers scheduled and is still pending, as (due at, what), earliest first
    /// (ties in scheduling order).
    pub fn scheduled(&self) -> Vec<(SimTime, Pending)> {
        let mut queue = self.queue.clone();
        let mut due = Vec::new();
        while let Some((time, _seq, pending)) = queue.pop() {
            due.push((time, pending));
        }
        due
    }

    /// Takes the earliest pending event off the queue and moves the clock to it, as the engine
    /// would before handing it to its pattern.
    pub fn next(&mut self) -> Option<Pending> {
        let (time, _seq, pending) = self.queue.pop()?;
        self.now = time;
        Some(pending)
    }

    /// The records written so far, oldest first.
    pub fn records(&self) -> Vec<&TraceKind> {
        self.trace.records().iter().map(|r| &r.kind).collect()
    }

    /// The effects asked for so far, in the order asked.
    pub fn effects(&self) -> Vec<&Effect> {
        self.effects.iter().map(|(effect, _)| effect).collect()
    }
}
