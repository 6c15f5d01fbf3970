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

use crate::kernel::core::Core;
use crate::kernel::ctx::Ctx;
use crate::kernel::effect::Effect;
use crate::kernel::entity::Entities;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Retention;
use serde::Serialize;
use std::ops::{Deref, DerefMut};

/// Everything a pattern's handlers touch besides the pattern's own state: a [`Core`] of the
/// pattern's own types (its clock, generator, queue, trace and effects, as fields through
/// `Deref`), and the entity table the pattern registers its entities in when it is built.
pub struct Stage<P, R> {
    core: Core<P, R>,
    pub entities: Entities,
}

impl<P, R> Deref for Stage<P, R> {
    type Target = Core<P, R>;
    fn deref(&self) -> &Core<P, R> {
        &self.core
    }
}

impl<P, R> DerefMut for Stage<P, R> {
    fn deref_mut(&mut self) -> &mut Core<P, R> {
        &mut self.core
    }
}

impl<P: Clone, R: Serialize> Stage<P, R> {
    /// An empty stage at time 0, its generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Stage {
            core: Core::new(seed, Retention::Full),
            entities: Entities::default(),
        }
    }

    /// The context to hand a handler, at the stage's current time.
    pub fn ctx(&mut self) -> Ctx<'_, P, R> {
        self.core.ctx()
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
        while let Some((time, pending)) = queue.pop() {
            due.push((time, pending));
        }
        due
    }

    /// Takes the earliest pending event off the queue and moves the clock to it, as the engine
    /// would before handing it to its pattern.
    pub fn take_next(&mut self) -> Option<P> {
        let (time, pending) = self.queue.pop()?;
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
