//! The simulation engine: owns virtual time, the pending-event queue, the generator and the
//! trace, and hands each pending event to the pattern it belongs to. Commands come in
//! (`apply`, or the scenario's script), records come out (the trace); nothing else.

pub use crate::kernel::effect::Effect;
pub use crate::kernel::entity::{Entities, Entity, EntityKind};
pub use crate::kernel::error::{SimError, Switch};
use crate::limits::{MAX_EVENTS_PER_INSTANT, MAX_PENDING_EVENTS, MAX_RECORDS_PER_EVENT, MAX_TRACE_RECORDS};
use crate::patterns::broker::{BrokerPending, BrokerWorld};
use crate::patterns::discovery::{DiscoveryPending, DiscoveryWorld};
use crate::patterns::event_bus::{BusPending, EventBusWorld};
use crate::patterns::event_store::{EventStoreWorld, StorePending};
use crate::patterns::request_reply::{RequestReplyWorld, RpcPending};
use crate::queue::EventQueue;
use crate::report::{EntityReport, Report};
use crate::rng::SimRng;
use crate::scenario::{Command, Scenario, ScenarioError};
use crate::time::{SimDuration, SimTime};
use crate::trace::{EntityId, EventTypeId, FaultRecord, MessageKey, Retention, Trace, TraceKind};

/// Everything that can be pending in the event queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Entry `n` of the scenario's script.
    Script(usize),
    Bus(BusPending),
    Rpc(RpcPending),
    Broker(BrokerPending),
    Discovery(DiscoveryPending),
    Store(StorePending),
}

/// What a pattern handler may touch while reacting to one event: the clock (read-only), the
/// queue (to schedule), the generator, the trace (to record) and other patterns (effects).
pub struct Ctx<'a> {
    pub now: SimTime,
    pub rng: &'a mut SimRng,
    queue: &'a mut EventQueue<Pending>,
    trace: &'a mut Trace,
    effects: &'a mut Vec<(Effect, Option<MessageKey>)>,
    /// What the effects asked for now are about: their records name its latest record as cause.
    pub cause: Option<MessageKey>,
}

impl<'a> Ctx<'a> {
    /// A context over a queue, trace and effect list of the caller's own, at `now`: what runs
    /// one handler alone (see [`crate::stage::Stage`]), without a whole simulation.
    pub fn new(
        now: SimTime,
        rng: &'a mut SimRng,
        queue: &'a mut EventQueue<Pending>,
        trace: &'a mut Trace,
        effects: &'a mut Vec<(Effect, Option<MessageKey>)>,
    ) -> Self {
        Ctx {
            now,
            rng,
            queue,
            trace,
            effects,
            cause: None,
        }
    }

    /// Schedules `pending` to happen `after` from now.
    pub fn schedule(&mut self, after: SimDuration, pending: Pending) {
        self.queue.push_from(self.now, self.now.saturating_add(after), pending);
    }

    /// Appends a record to the trace, stamped with the current time.
    pub fn record(&mut self, kind: TraceKind) {
        self.trace.push(self.now, kind);
    }

    /// Asks another pattern to act now (see [`Effect`]).
    pub fn effect(&mut self, effect: Effect) {
        self.effects.push((effect, self.cause));
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
            cause: None,
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
    name: String,
    seed: u64,
    now: SimTime,
    queue: EventQueue<Pending>,
    rng: SimRng,
    trace: Trace,
    entities: Entities,
    script: Vec<(SimDuration, Command)>,
    bus: EventBusWorld,
    rpc: RequestReplyWorld,
    broker: BrokerWorld,
    discovery: DiscoveryWorld,
    store: EventStoreWorld,
    effects: Vec<(Effect, Option<MessageKey>)>,
    events_processed: u64,
    /// Events processed at the current instant (to catch loops that do not advance time).
    events_at_instant: u64,
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
        let mut entities = Entities::default();
        // Every pattern registers its entities first, so that links between patterns resolve.
        let bus = EventBusWorld::build(&scenario.event_bus, &mut entities);
        let rpc = RequestReplyWorld::build(&scenario.request_reply, &mut entities);
        let broker = BrokerWorld::build(&scenario.broker, &mut entities);
        let discovery = DiscoveryWorld::build(&scenario.discovery, &mut entities);
        let store = EventStoreWorld::build(&scenario.event_store, &mut entities);
        let mut sim = Sim {
            name: scenario.name.clone(),
            seed: scenario.seed,
            now: SimTime::ZERO,
            queue: EventQueue::new(),
            rng: SimRng::new(scenario.seed),
            trace: Trace::new(retention),
            entities,
            script: Vec::new(),
            bus,
            rpc,
            broker,
            discovery,
            store,
            effects: Vec::new(),
            events_processed: 0,
            events_at_instant: 0,
            halted: None,
        };
        sim.rpc.link(&scenario.request_reply, &sim.entities, &sim.bus);
        sim.store.link(&scenario.event_store, &sim.entities, &sim.bus);
        // The script first (so on a tie it runs before the model's own events), in time order,
        // keeping file order among entries at the same instant.
        let mut script: Vec<(SimDuration, Command)> =
            scenario.script.iter().map(|e| (e.at, e.command.clone())).collect();
        crate::collections::sort_by_key(&mut script, |(at, _)| *at);
        for (i, (at, _)) in script.iter().enumerate() {
            sim.queue.push(SimTime(at.0), Pending::Script(i));
        }
        sim.script = script;
        let mut ctx = ctx!(sim);
        sim.bus.start(&mut ctx, &scenario.event_bus);
        sim.rpc.start(&mut ctx);
        sim.broker.start(&mut ctx);
        sim.discovery.start(&mut ctx);
        sim.store.start(&mut ctx);
        Ok(sim)
    }

    pub fn name(&self) -> &str {
        &self.name
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

    /// Scheduled events plus messages waiting in queues and inboxes.
    /// Every pending event as (scheduled at, due at, what), in no particular order.
    pub fn pending_entries(&self) -> impl Iterator<Item = (SimTime, SimTime, &Pending)> {
        self.queue.entries()
    }

    pub fn pending(&self) -> usize {
        self.queue.len() + self.bus.queued_total + self.rpc.queued_total() + self.broker.queued_total()
    }

    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Keeps trace records from now on or not (a timeline replaying ground it has already
    /// recorded needs only the hash).
    pub fn set_retention(&mut self, retention: Retention) {
        self.trace.set_retention(retention);
    }

    /// How many items the simulation holds in its append-only logs (published events, topic
    /// records, stored events, alive messages): what makes a copy of it big.
    pub fn retained_items(&self) -> u64 {
        let topic_records: usize = self
            .broker
            .topics
            .iter()
            .flat_map(|t| &t.partitions)
            .map(|p| p.log.len())
            .sum();
        let stored: usize = self.store.stores.iter().map(|s| s.log.len()).sum();
        (self.bus.events.len() + topic_records + self.broker.messages.len() + stored) as u64
    }

    /// Hands over the records kept since the last call (the count and hash stay); a timeline
    /// moves them into its history so that snapshots of the simulation stay small.
    pub fn take_new_records(&mut self) -> Vec<crate::trace::TraceRecord> {
        self.trace.take_records()
    }

    /// The fingerprint of the trace so far.
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash()
    }

    pub fn entities(&self) -> &[Entity] {
        self.entities.all()
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        self.entities.get(id)
    }

    pub fn entity_name(&self, id: EntityId) -> &str {
        self.entities.name(id)
    }

    pub fn entity_id(&self, name: &str) -> Option<EntityId> {
        self.entities.id(name)
    }

    pub fn event_bus(&self) -> &EventBusWorld {
        &self.bus
    }

    pub fn request_reply(&self) -> &RequestReplyWorld {
        &self.rpc
    }

    pub fn broker(&self) -> &BrokerWorld {
        &self.broker
    }

    pub fn discovery(&self) -> &DiscoveryWorld {
        &self.discovery
    }

    pub fn event_store(&self) -> &EventStoreWorld {
        &self.store
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
        let limit_hit = if keeps_records && self.trace.count() as usize + MAX_RECORDS_PER_EVENT > MAX_TRACE_RECORDS {
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
        if self.queue.peek_time() == Some(self.now) && self.events_at_instant >= MAX_EVENTS_PER_INSTANT {
            let error = SimError::StuckAtInstant {
                at: self.now,
                limit: MAX_EVENTS_PER_INSTANT,
            };
            self.halted = Some(error.clone());
            return Err(error);
        }
        let Some((time, _seq, pending)) = self.queue.pop() else {
            return Ok(false);
        };
        if time == self.now {
            self.events_at_instant += 1;
        } else {
            self.events_at_instant = 1;
        }
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
            Pending::Rpc(p) => {
                let mut ctx = ctx!(self);
                self.rpc.handle(&mut ctx, p);
            }
            Pending::Broker(p) => {
                let mut ctx = ctx!(self);
                self.broker.handle(&mut ctx, p);
            }
            Pending::Discovery(p) => {
                let mut ctx = ctx!(self);
                self.discovery.handle(&mut ctx, p);
            }
            Pending::Store(p) => {
                let mut ctx = ctx!(self);
                self.store.handle(&mut ctx, p);
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
    pub fn run_until_budget(&mut self, until: SimTime, max_events: u64) -> Result<RunProgress, SimError> {
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

    /// Processes events until nothing is left (or `max_events` were processed); the clock stays
    /// at the last event. `reached` is true when nothing is left.
    pub fn run_to_end(&mut self, max_events: u64) -> Result<RunProgress, SimError> {
        let mut processed = 0;
        while processed < max_events {
            if !self.step()? {
                return Ok(RunProgress {
                    processed,
                    reached: true,
                });
            }
            processed += 1;
        }
        Ok(RunProgress {
            processed,
            reached: self.queue.is_empty(),
        })
    }

    /// Runs a command now, as if it were a script entry at the current time.
    pub fn apply(&mut self, command: &Command) -> Result<(), SimError> {
        let outcome = self.run_command(command);
        self.carry_out_effects();
        outcome
    }

    fn run_command(&mut self, command: &Command) -> Result<(), SimError> {
        match command {
            Command::Publish { source, event_type } => {
                let s = self.entities.index_of(source, EntityKind::EventSource)?;
                let ty = self.event_type(event_type)?;
                let mut ctx = ctx!(self);
                self.bus.publish(&mut ctx, s, ty);
            }
            Command::Subscribe { listener, event_type } => {
                let l = self.entities.index_of(listener, EntityKind::Listener)?;
                let ty = self.event_type(event_type)?;
                let mut ctx = ctx!(self);
                self.bus.subscribe(&mut ctx, l, ty);
            }
            Command::Unsubscribe { listener, event_type } => {
                let l = self.entities.index_of(listener, EntityKind::Listener)?;
                let ty = self.event_type(event_type)?;
                let mut ctx = ctx!(self);
                self.bus.unsubscribe(&mut ctx, l, ty);
            }
            Command::Crash { entity } | Command::Restart { entity } => {
                let crash = matches!(command, Command::Crash { .. });
                let Some(id) = self.entities.id(entity) else {
                    return Err(SimError::UnknownEntity {
                        name: entity.clone(),
                        expected: "entity",
                    });
                };
                let Entity { kind, index, .. } = self.entities.get(id).clone();
                let mut ctx = ctx!(self);
                let done = match kind {
                    EntityKind::Service => self.rpc.set_down(&mut ctx, index, crash),
                    EntityKind::Broker | EntityKind::Consumer => self.broker.set_down(&mut ctx, kind, index, crash),
                    EntityKind::ServiceRegistry | EntityKind::Provider | EntityKind::DiscoveryClient => {
                        self.discovery.set_down(&mut ctx, kind, index, crash)
                    }
                    _ => Switch::Unsupported,
                };
                match done {
                    Switch::Unsupported => {
                        return Err(SimError::CannotCrash {
                            name: entity.clone(),
                            kind: kind.label(),
                        });
                    }
                    Switch::Unchanged => return Ok(()),
                    Switch::Switched => {}
                }
                ctx.record(TraceKind::Fault(if crash {
                    FaultRecord::Crashed { entity: id }
                } else {
                    FaultRecord::Restarted { entity: id }
                }));
            }
            Command::Request { client } => {
                let c = self.entities.index_of(client, EntityKind::Client)?;
                let mut ctx = ctx!(self);
                self.rpc.request_now(&mut ctx, c);
            }
            Command::Produce { producer, key, payload } => {
                let p = self.entities.index_of(producer, EntityKind::Producer)?;
                let mut ctx = ctx!(self);
                self.broker.produce(&mut ctx, p, key.clone(), payload.clone());
            }
            Command::Join { consumer } | Command::Leave { consumer } => {
                let c = self.entities.index_of(consumer, EntityKind::Consumer)?;
                let mut ctx = ctx!(self);
                if matches!(command, Command::Join { .. }) {
                    self.broker.join_now(&mut ctx, c);
                } else {
                    self.broker.leave(&mut ctx, c);
                }
            }
            Command::Register { .. }
            | Command::Deregister { .. }
            | Command::Lookup { .. }
            | Command::Watch { .. }
            | Command::Call { .. } => {
                let mut ctx = ctx!(self);
                self.discovery.command(&mut ctx, &self.entities, command)?;
            }
            Command::Append { .. } | Command::RebuildProjection { .. } => {
                let mut ctx = ctx!(self);
                self.store.command(&mut ctx, &self.entities, command)?;
            }
        }
        Ok(())
    }

    /// Carries out what handlers asked of other patterns, in the order they asked.
    fn carry_out_effects(&mut self) {
        let mut next = 0;
        while next < self.effects.len() {
            let (effect, cause) = self.effects[next].clone();
            next += 1;
            // Handlers write their records before the effects run: the cause is the newest one.
            let cause = cause.and_then(|key| {
                self.trace
                    .last_index_where(MAX_RECORDS_PER_EVENT * 4, |kind| kind.message_key() == Some(key))
            });
            self.trace.set_cause(cause);
            let mut ctx = ctx!(self);
            match effect {
                Effect::PublishEvent { source, event_type } => {
                    self.bus.publish(&mut ctx, source, event_type);
                }
                Effect::Produce { producer, key, payload } => {
                    self.broker.produce(&mut ctx, producer, Some(key), Some(payload));
                }
                Effect::Append {
                    store,
                    stream,
                    event_type,
                    data,
                } => {
                    self.store.append_effect(&mut ctx, store, stream, event_type, data);
                }
            }
        }
        self.effects.clear();
        self.trace.set_cause(None);
    }

    fn event_type(&self, name: &str) -> Result<EventTypeId, SimError> {
        self.bus
            .types
            .id(name)
            .ok_or_else(|| SimError::UnknownEventType { name: name.to_string() })
    }

    /// Counters and statistics of every entity at the current instant.
    pub fn report(&self) -> Report {
        let mut entities: Vec<EntityReport> = Vec::new();
        entities.extend(self.bus.report(&self.entities, self.now));
        entities.extend(self.rpc.report(&self.entities, self.now));
        entities.extend(self.broker.report(&self.entities, self.now));
        entities.extend(self.discovery.report(&self.entities, self.now));
        entities.extend(self.store.report(&self.entities, self.now));
        Report {
            scenario: self.name.clone(),
            seed: self.seed,
            simulated_time_us: self.now.0,
            simulated_time: self.now.to_string(),
            events_processed: self.events_processed,
            trace_records: self.trace.count(),
            trace_hash: crate::trace::format_hash(self.trace.hash()),
            stopped_by: self.halted.as_ref().map(|e| e.to_string()),
            entities,
        }
    }
}
