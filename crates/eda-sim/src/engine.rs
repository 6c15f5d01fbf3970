//! The simulation engine: owns virtual time, the pending-event queue, the generator and the
//! trace, and hands each pending event to the pattern it belongs to. Commands come in
//! (`apply`, or the scenario's script), records come out (the trace); nothing else.

use crate::limits::{MAX_PENDING_EVENTS, MAX_RECORDS_PER_EVENT, MAX_TRACE_RECORDS};
use crate::patterns::event_bus::{BusPending, Emitter, EventBusWorld, TypeHierarchy};
use crate::queue::EventQueue;
use crate::rng::SimRng;
use crate::scenario::{Command, Scenario, ScenarioError};
use crate::time::{SimDuration, SimTime};
use crate::trace::{EntityId, EventTypeId, Retention, Trace, TraceKind};
use std::collections::BTreeMap;
use std::fmt;

/// What kind of thing an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntityKind {
    EventBus,
    EventSource,
    Listener,
}

impl EntityKind {
    pub fn label(self) -> &'static str {
        match self {
            EntityKind::EventBus => "bus",
            EntityKind::EventSource => "source",
            EntityKind::Listener => "listener",
        }
    }
}

/// A named participant of the simulation, and where its state lives.
#[derive(Clone, Debug)]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
    /// Index into the pattern's table for this kind (e.g. `EventBusWorld::listeners`).
    pub index: usize,
}

/// Why the simulation could not go on, or a command could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// The trace reached [`MAX_TRACE_RECORDS`]; the run stops here.
    TraceFull { limit: usize },
    /// Scheduled events plus queued messages reached [`MAX_PENDING_EVENTS`]; the run stops here.
    TooManyPending { limit: usize },
    /// A command named an entity that does not exist or is of another kind.
    UnknownEntity {
        name: String,
        expected: &'static str,
    },
    /// A command named an event type that does not exist.
    UnknownEventType { name: String },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::TraceFull { limit } => write!(
                f,
                "the run stopped after {limit} trace records, the most one run may keep; shorten the run or lower the rates"
            ),
            SimError::TooManyPending { limit } => write!(
                f,
                "the run stopped: {limit} events are waiting at once, the most the simulation allows; listeners cannot keep up with the publishing rate"
            ),
            SimError::UnknownEntity { name, expected } => write!(f, "there is no {expected} named {name:?}"),
            SimError::UnknownEventType { name } => write!(f, "there is no event type named {name:?}"),
        }
    }
}

impl std::error::Error for SimError {}

/// Everything that can be pending in the event queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Entry `n` of the scenario's script.
    Script(usize),
    Bus(BusPending),
}

/// What a pattern handler may touch while reacting to one event: the clock (read-only), the
/// queue (to schedule), the generator and the trace (to record).
pub struct Ctx<'a> {
    pub now: SimTime,
    pub rng: &'a mut SimRng,
    queue: &'a mut EventQueue<Pending>,
    trace: &'a mut Trace,
    effects: &'a mut Vec<Effect>,
}

/// Something one pattern asks of another (composition), carried out at the same instant right
/// after the handler that asked for it returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// An event-bus source publishes an event of this type.
    PublishEvent {
        source: usize,
        event_type: EventTypeId,
    },
}

impl Ctx<'_> {
    /// Schedules `pending` to happen `after` from now.
    pub fn schedule(&mut self, after: SimDuration, pending: Pending) {
        self.queue.push(self.now.saturating_add(after), pending);
    }

    /// Appends a record to the trace, stamped with the current time.
    pub fn record(&mut self, kind: TraceKind) {
        self.trace.push(self.now, kind);
    }

    /// Asks another pattern to act now (see [`Effect`]).
    pub fn effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }
}

/// A handler context over a simulation's clock, generator, queue, trace and effects, borrowed
/// field by field so that a pattern's state can be borrowed beside it.
macro_rules! ctx {
    ($sim:expr) => {
        Ctx {
            now: $sim.now,
            rng: &mut $sim.rng,
            queue: &mut $sim.queue,
            trace: &mut $sim.trace,
            effects: &mut $sim.effects,
        }
    };
}

/// Progress of a bounded run (see [`Sim::run_until_budget`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunProgress {
    /// Events processed by this call.
    pub processed: u64,
    /// True when every event up to the target time was processed and the clock reached it.
    pub reached: bool,
}

/// A running simulation of one scenario.
#[derive(Clone, Debug)]
pub struct Sim {
    seed: u64,
    now: SimTime,
    queue: EventQueue<Pending>,
    rng: SimRng,
    trace: Trace,
    entities: Vec<Entity>,
    names: BTreeMap<String, EntityId>,
    script: Vec<(SimDuration, Command)>,
    bus: EventBusWorld,
    effects: Vec<Effect>,
    events_processed: u64,
    halted: Option<SimError>,
}

impl Sim {
    /// Builds the simulation of a scenario at time 0, keeping the full trace. The scenario is
    /// validated first.
    pub fn new(scenario: &Scenario) -> Result<Sim, ScenarioError> {
        Sim::with_retention(scenario, Retention::Full)
    }

    /// Like [`Sim::new`], choosing how much of the trace to keep.
    pub fn with_retention(scenario: &Scenario, retention: Retention) -> Result<Sim, ScenarioError> {
        scenario.validate().map_err(ScenarioError::Invalid)?;
        let spec = &scenario.event_bus;
        let types = TypeHierarchy {
            names: spec.event_types.iter().map(|t| t.name.clone()).collect(),
            parents: spec
                .event_types
                .iter()
                .map(|t| {
                    t.parent
                        .as_ref()
                        .and_then(|p| spec.event_types.iter().position(|u| &u.name == p))
                })
                .map(|p| p.map(|i| EventTypeId(i as u32)))
                .collect(),
        };
        let mut sim = Sim {
            seed: scenario.seed,
            now: SimTime::ZERO,
            queue: EventQueue::new(),
            rng: SimRng::new(scenario.seed),
            trace: Trace::new(retention),
            entities: Vec::new(),
            names: BTreeMap::new(),
            script: Vec::new(),
            bus: EventBusWorld::new(types),
            effects: Vec::new(),
            events_processed: 0,
            halted: None,
        };
        let mut bus_index = BTreeMap::new();
        for b in &spec.buses {
            let entity = sim.add_entity(&b.id, EntityKind::EventBus, sim.bus.buses.len());
            bus_index.insert(
                b.id.as_str(),
                sim.bus.add_bus(entity, b.dispatch_delay.clone()),
            );
        }
        for s in &spec.sources {
            let emitters = s
                .emits
                .iter()
                .map(|e| Emitter {
                    event_type: sim.bus.types.id(&e.event_type).unwrap_or(EventTypeId(0)),
                    every: e.every.clone(),
                    remaining: e.count,
                })
                .collect();
            let entity = sim.add_entity(&s.id, EntityKind::EventSource, sim.bus.sources.len());
            sim.bus
                .add_source(entity, bus_index[s.bus.as_str()], emitters);
        }
        for l in &spec.listeners {
            let entity = sim.add_entity(&l.id, EntityKind::Listener, sim.bus.listeners.len());
            let index =
                sim.bus
                    .add_listener(entity, bus_index[l.bus.as_str()], l.processing_time.clone());
            for t in &l.subscriptions {
                if let Some(ty) = sim.bus.types.id(t) {
                    sim.bus.listeners[index].subscriptions.insert(ty);
                }
            }
        }
        // The script first (so on a tie it runs before the model's own events), in time order,
        // keeping file order among entries at the same instant.
        let mut script: Vec<(SimDuration, Command)> = scenario
            .script
            .iter()
            .map(|e| (e.at, e.command.clone()))
            .collect();
        script.sort_by_key(|(at, _)| *at);
        for (i, (at, _)) in script.iter().enumerate() {
            sim.queue.push(SimTime(at.0), Pending::Script(i));
        }
        sim.script = script;
        for (s, source) in spec.sources.iter().enumerate() {
            for (e, emit) in source.emits.iter().enumerate() {
                let mut ctx = ctx!(sim);
                sim.bus.schedule_first_emit(&mut ctx, s, e, emit.start);
            }
        }
        Ok(sim)
    }

    fn add_entity(&mut self, name: &str, kind: EntityKind, index: usize) -> EntityId {
        let id = EntityId(self.entities.len() as u32);
        self.entities.push(Entity {
            name: name.to_string(),
            kind,
            index,
        });
        self.names.insert(name.to_string(), id);
        id
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The current virtual time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The time of the next pending event, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// Events processed since time 0.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Scheduled events plus messages waiting in inboxes.
    pub fn pending(&self) -> usize {
        self.queue.len() + self.bus.queued_total
    }

    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The FNV-1a 64 fingerprint of the trace so far.
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash()
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }

    pub fn entity_name(&self, id: EntityId) -> &str {
        self.entities
            .get(id.0 as usize)
            .map(|e| e.name.as_str())
            .unwrap_or("?")
    }

    pub fn entity_id(&self, name: &str) -> Option<EntityId> {
        self.names.get(name).copied()
    }

    pub fn event_bus(&self) -> &EventBusWorld {
        &self.bus
    }

    /// The error that stopped the run, if a limit was reached.
    pub fn halted(&self) -> Option<&SimError> {
        self.halted.as_ref()
    }

    /// Processes exactly one pending event. Returns `Ok(true)` if an event was processed and
    /// `Ok(false)` if nothing was left to process. Once a limit stops the run, every further
    /// call returns that error and changes nothing.
    pub fn step(&mut self) -> Result<bool, SimError> {
        if let Some(error) = &self.halted {
            return Err(error.clone());
        }
        if self.queue.is_empty() {
            return Ok(false);
        }
        // Refuse before processing, so a stopped run is a consistent state, never half an event.
        let keeps_records = self.trace.retention() == Retention::Full;
        let limit_hit =
            if keeps_records && self.trace.len() + MAX_RECORDS_PER_EVENT > MAX_TRACE_RECORDS {
                Some(SimError::TraceFull {
                    limit: MAX_TRACE_RECORDS,
                })
            } else if self.pending() + MAX_RECORDS_PER_EVENT > MAX_PENDING_EVENTS {
                Some(SimError::TooManyPending {
                    limit: MAX_PENDING_EVENTS,
                })
            } else {
                None
            };
        if let Some(error) = limit_hit {
            self.halted = Some(error.clone());
            return Err(error);
        }
        let Some((time, _seq, pending)) = self.queue.pop() else {
            return Ok(false);
        };
        self.now = time;
        self.events_processed += 1;
        match pending {
            Pending::Script(i) => {
                let command = self.script[i].1.clone();
                // The script was validated with the scenario, so its names resolve.
                let _ = self.apply(&command);
            }
            Pending::Bus(p) => {
                let mut ctx = ctx!(self);
                self.bus.handle(&mut ctx, p);
            }
        }
        self.carry_out_effects();
        Ok(true)
    }

    /// Processes every event due at or before `until`, then sets the clock to `until`.
    /// Returns how many events were processed.
    pub fn run_until(&mut self, until: SimTime) -> Result<u64, SimError> {
        let progress = self.run_until_budget(until, u64::MAX)?;
        Ok(progress.processed)
    }

    /// Like [`Sim::run_until`] but processes at most `max_events`; if the budget runs out first
    /// the clock stays at the last processed event and `reached` is false.
    pub fn run_until_budget(
        &mut self,
        until: SimTime,
        max_events: u64,
    ) -> Result<RunProgress, SimError> {
        let mut processed = 0;
        while let Some(next) = self.queue.peek_time() {
            if next > until {
                break;
            }
            if processed == max_events {
                return Ok(RunProgress {
                    processed,
                    reached: false,
                });
            }
            self.step()?;
            processed += 1;
        }
        if let Some(error) = &self.halted {
            return Err(error.clone());
        }
        self.now = self.now.max(until);
        Ok(RunProgress {
            processed,
            reached: true,
        })
    }

    /// Runs a command now, as if it were a script entry at the current time.
    pub fn apply(&mut self, command: &Command) -> Result<(), SimError> {
        match command {
            Command::Publish { source, event_type } => {
                let s = self.lookup(source, EntityKind::EventSource)?;
                let ty = self.event_type(event_type)?;
                let mut ctx = ctx!(self);
                self.bus.publish(&mut ctx, s, ty);
            }
            Command::Subscribe {
                listener,
                event_type,
            } => {
                let l = self.lookup(listener, EntityKind::Listener)?;
                let ty = self.event_type(event_type)?;
                let mut ctx = ctx!(self);
                self.bus.subscribe(&mut ctx, l, ty);
            }
            Command::Unsubscribe {
                listener,
                event_type,
            } => {
                let l = self.lookup(listener, EntityKind::Listener)?;
                let ty = self.event_type(event_type)?;
                let mut ctx = ctx!(self);
                self.bus.unsubscribe(&mut ctx, l, ty);
            }
        }
        Ok(())
    }

    /// Carries out what handlers asked of other patterns, in the order they asked.
    fn carry_out_effects(&mut self) {
        let mut next = 0;
        while next < self.effects.len() {
            let effect = self.effects[next].clone();
            next += 1;
            match effect {
                Effect::PublishEvent { source, event_type } => {
                    let mut ctx = ctx!(self);
                    self.bus.publish(&mut ctx, source, event_type);
                }
            }
        }
        self.effects.clear();
    }

    fn lookup(&self, name: &str, kind: EntityKind) -> Result<usize, SimError> {
        match self.names.get(name).map(|id| &self.entities[id.0 as usize]) {
            Some(entity) if entity.kind == kind => Ok(entity.index),
            _ => Err(SimError::UnknownEntity {
                name: name.to_string(),
                expected: kind.label(),
            }),
        }
    }

    fn event_type(&self, name: &str) -> Result<EventTypeId, SimError> {
        self.bus
            .types
            .id(name)
            .ok_or_else(|| SimError::UnknownEventType {
                name: name.to_string(),
            })
    }
}
