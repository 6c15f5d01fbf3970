//! Sources and their emitters: who publishes events, and the streams that publish them on
//! their own at a rate (the first one at `start`, then one gap after another).

use super::pending::BusPending;
use super::spec::EventBusSpec;
use super::state::EventBusWorld;
use super::Ctx;
use crate::kernel::ids::{EntityId, EventTypeId};
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimDuration;

#[derive(Clone, Debug)]
pub struct Emitter {
    pub event_type: EventTypeId,
    pub every: Distribution,
    /// Events still to publish; `None` means no end.
    pub remaining: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct Source {
    pub entity: EntityId,
    pub bus: usize,
    pub emitters: Vec<Emitter>,
    pub published: u64,
}

impl EventBusWorld {
    /// Schedules every emitter's first event.
    pub fn start(&mut self, ctx: &mut Ctx, spec: &EventBusSpec) {
        for (s, source) in spec.sources.iter().enumerate() {
            for (e, emit) in source.emits.iter().enumerate() {
                self.schedule_first_emit(ctx, s, e, emit.start);
            }
        }
    }

    pub fn add_source(&mut self, entity: EntityId, bus: usize, emitters: Vec<Emitter>) -> usize {
        self.sources.push(Source {
            entity,
            bus,
            emitters,
            published: 0,
        });
        self.sources.len() - 1
    }

    /// Schedules an emitter's first event: at its start, or one gap after time 0.
    pub fn schedule_first_emit(&mut self, ctx: &mut Ctx, source: usize, emitter: usize, start: Option<SimDuration>) {
        let gap = match start {
            Some(start) => start,
            None => self.sources[source].emitters[emitter].every.sample(ctx.rng()),
        };
        if self.sources[source].emitters[emitter].remaining != Some(0) {
            ctx.schedule(gap, BusPending::Emit { source, emitter });
        }
    }

    pub(super) fn emit(&mut self, ctx: &mut Ctx, source: usize, emitter: usize) {
        let e = &mut self.sources[source].emitters[emitter];
        if e.remaining == Some(0) {
            return;
        }
        if let Some(n) = e.remaining.as_mut() {
            *n -= 1;
        }
        let (event_type, more) = (e.event_type, e.remaining != Some(0));
        let gap = e.every.clone();
        self.publish(ctx, source, event_type);
        if more {
            let after = gap.sample(ctx.rng());
            ctx.schedule(after, BusPending::Emit { source, emitter });
        }
    }
}
