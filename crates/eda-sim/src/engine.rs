//! The simulation engine: runs a [`World`] over the kernel's [`Core`]. It takes the next
//! pending event off the queue, hands it to the world (or runs the script entry it stands
//! for), and keeps the run within its limits. Commands come in (`apply`, or the scenario's
//! script), records come out (the trace); nothing else.

use crate::command::Command;
pub use crate::kernel::effect::Effect;
pub use crate::kernel::entity::{Entities, Entity, EntityKind};
pub use crate::kernel::error::{SimError, Switch};
use crate::kernel::ids::{EntityId, EventTypeId};
use crate::kernel::limits::{
    MAX_EVENTS_PER_INSTANT, MAX_PENDING_EVENTS, MAX_RECORDS_PER_EVENT, MAX_RETAINED_BYTES, MAX_TRACE_RECORDS,
    RETAINED_CHECK_EVERY,
};
use crate::kernel::names::Names;
use crate::kernel::report::Report;
use crate::kernel::time::{SimDuration, SimTime};
use crate::patterns::broker::BrokerWorld;
use crate::patterns::discovery::DiscoveryWorld;
use crate::patterns::event_bus::EventBusWorld;
use crate::patterns::event_store::EventStoreWorld;
use crate::patterns::request_reply::RequestReplyWorld;
use crate::scenario::{Scenario, ScenarioError};
use crate::trace::{Retention, Trace, TraceRecord};
pub use crate::world::Pending;
use crate::world::{World, WorldCore};

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
    core: WorldCore,
    entities: Entities,
    script: Vec<(SimDuration, Command)>,
    world: World,
    events_processed: u64,
    /// Events processed at the current instant (to catch loops that do not advance time).
    events_at_instant: u64,
    halted: Option<SimError>,
    /// Most memory what grows with the run may take (see [`Sim::retained_bytes`]).
    retained_limit_bytes: u64,
    /// Until this many events have been processed, the pending-event limit cannot be reached
    /// (one event adds at most [`MAX_RECORDS_PER_EVENT`]), so counting the queues can wait.
    pending_safe_until: u64,
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
        let world = World::build(scenario, &mut entities);
        let mut sim = Sim {
            name: scenario.name.clone(),
            seed: scenario.seed,
            core: WorldCore::new(scenario.seed, retention),
            entities,
            script: Vec::new(),
            world,
            events_processed: 0,
            events_at_instant: 0,
            halted: None,
            retained_limit_bytes: MAX_RETAINED_BYTES,
            pending_safe_until: 0,
        };
        // The script first (so on a tie it runs before the model's own events), in time order,
        // keeping file order among entries at the same instant.
        let mut script: Vec<(SimDuration, Command)> =
            scenario.script.iter().map(|e| (e.at, e.command.clone())).collect();
        crate::kernel::collections::sort_by_key(&mut script, |(at, _)| *at);
        for (i, (at, _)) in script.iter().enumerate() {
            sim.core.queue.push(SimTime(at.0), Pending::Script(i));
        }
        sim.script = script;
        sim.world.start(&mut sim.core, scenario);
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
        self.core.now
    }

    /// The time of the next pending event, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.core.queue.peek_time()
    }

    /// Events processed since time 0.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Every pending event as (scheduled at, due at, what), in no particular order.
    pub fn pending_entries(&self) -> impl Iterator<Item = (SimTime, SimTime, &Pending)> {
        self.core.queue.entries()
    }

    /// Scheduled events plus messages waiting in queues and inboxes.
    pub fn pending(&self) -> usize {
        self.core.queue.len() + self.world.queued_total()
    }

    /// The network as it is at the cursor (partitions).
    pub fn network(&self) -> &crate::kernel::network::Network {
        &self.core.network
    }

    /// The side of the network partition `id` is on (0 when the network is whole): the
    /// broker's side for its exchanges, queues, topics and groups, which live on it.
    pub fn network_side(&self, id: EntityId) -> u32 {
        use crate::EntityKind as K;
        let on_broker = matches!(
            self.entity(id).kind,
            K::Exchange | K::Queue | K::Topic | K::ConsumerGroup
        );
        match (on_broker, self.broker().entity) {
            (true, Some(broker)) => self.core.network.side(broker),
            _ => self.core.network.side(id),
        }
    }

    pub fn trace(&self) -> &Trace {
        &self.core.trace
    }

    /// Keeps trace records from now on or not (a timeline replaying ground it has already
    /// recorded needs only the hash).
    pub fn set_retention(&mut self, retention: Retention) {
        self.core.trace.set_retention(retention);
    }

    /// How many items the simulation holds in its logs (topic records, stored events, live
    /// broker messages): what grows with a run and makes a copy of it big.
    pub fn retained_items(&self) -> u64 {
        self.world.retained().iter().map(|r| r.items).sum()
    }

    /// About how much memory what grows with the run takes (see [`Sim::retained_items`]).
    pub fn retained_bytes(&self) -> u64 {
        self.world.retained().iter().map(|r| r.bytes).sum()
    }

    /// Stops growth past `limit_bytes` of retained items (never past [`MAX_RETAINED_BYTES`]):
    /// checked every [`RETAINED_CHECK_EVERY`] events, the stop names the entity holding the most.
    pub fn limit_retained_bytes(&mut self, limit_bytes: u64) {
        self.retained_limit_bytes = limit_bytes.min(MAX_RETAINED_BYTES);
    }

    fn retained_over_limit(&self) -> Option<SimError> {
        let held = self.world.retained();
        let total_bytes: u64 = held.iter().map(|r| r.bytes).sum();
        if total_bytes <= self.retained_limit_bytes {
            return None;
        }
        let largest = held.into_iter().max_by_key(|r| r.bytes)?;
        Some(SimError::TooMuchRetained {
            entity: self.entities.name(largest.entity).to_string(),
            items: largest.items,
            bytes: total_bytes,
            limit_bytes: self.retained_limit_bytes,
        })
    }

    /// Hands over the records kept since the last call (the count and hash stay); a timeline
    /// moves them into its history so that snapshots of the simulation stay small.
    pub fn take_new_records(&mut self) -> Vec<TraceRecord> {
        self.core.trace.take_records()
    }

    /// The fingerprint of the trace so far.
    pub fn trace_hash(&self) -> u64 {
        self.core.trace.hash()
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
        &self.world.bus
    }

    pub fn request_reply(&self) -> &RequestReplyWorld {
        &self.world.rpc
    }

    pub fn broker(&self) -> &BrokerWorld {
        &self.world.broker
    }

    pub fn discovery(&self) -> &DiscoveryWorld {
        &self.world.discovery
    }

    pub fn event_store(&self) -> &EventStoreWorld {
        &self.world.store
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
        if self.core.queue.is_empty() {
            return Ok(false);
        }
        if let Some(error) = self.limit_reached() {
            self.halted = Some(error.clone());
            return Err(error);
        }
        let Some((time, pending)) = self.core.queue.pop() else {
            return Ok(false);
        };
        if time == self.core.now {
            self.events_at_instant += 1;
        } else {
            self.events_at_instant = 1;
        }
        self.core.now = time;
        self.events_processed += 1;
        match pending {
            Pending::Script(i) => {
                let command = self.script[i].1.clone();
                // The script was validated with the scenario, so its names resolve.
                let _ = self.apply(&command);
            }
            other => self.world.handle(&mut self.core, other),
        }
        Ok(true)
    }

    /// The limit the next event would break, checked before it is processed, so a stopped
    /// run is a consistent state, never half an event.
    fn limit_reached(&mut self) -> Option<SimError> {
        let keeps_records = self.core.trace.retention() == Retention::Full;
        // Records kept and not yet taken (a timeline takes them after every event).
        if keeps_records && self.core.trace.len() + MAX_RECORDS_PER_EVENT > MAX_TRACE_RECORDS {
            Some(SimError::TraceFull {
                limit: MAX_TRACE_RECORDS,
            })
        } else if self.pending_limit_reached() {
            Some(SimError::TooManyPending {
                limit: MAX_PENDING_EVENTS,
            })
        } else if self.core.queue.peek_time() == Some(self.core.now) && self.events_at_instant >= MAX_EVENTS_PER_INSTANT
        {
            Some(SimError::StuckAtInstant {
                at: self.core.now,
                limit: MAX_EVENTS_PER_INSTANT,
            })
        } else if self.events_processed.is_multiple_of(RETAINED_CHECK_EVERY) {
            self.retained_over_limit()
        } else {
            None
        }
    }

    /// Whether the next event could take the pending events past [`MAX_PENDING_EVENTS`]. The
    /// answer is the same as counting them before every event, but the count (which walks every
    /// queue) is taken only when the limit is within reach: with `p` pending, the next
    /// `(limit − p) / MAX_RECORDS_PER_EVENT − 1` events cannot reach it.
    fn pending_limit_reached(&mut self) -> bool {
        if self.events_processed < self.pending_safe_until {
            return false;
        }
        let pending = self.pending();
        if pending + MAX_RECORDS_PER_EVENT > MAX_PENDING_EVENTS {
            return true;
        }
        let room = MAX_PENDING_EVENTS - pending - MAX_RECORDS_PER_EVENT;
        self.pending_safe_until = self.events_processed + 1 + (room / MAX_RECORDS_PER_EVENT) as u64;
        false
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
        while let Some(next) = self.core.queue.peek_time() {
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
        self.core.now = self.core.now.max(until);
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
            reached: self.core.queue.is_empty(),
        })
    }

    /// Runs a command now, as if it were a script entry at the current time.
    pub fn apply(&mut self, command: &Command) -> Result<(), SimError> {
        // A command from outside the run may add events: count again before the next one.
        self.pending_safe_until = self.events_processed;
        self.world.apply(&mut self.core, &self.entities, command)
    }

    /// Counters and statistics of every entity at the current instant.
    pub fn report(&self) -> Report {
        let entities = self.world.report(&self.entities, self.core.now);
        Report {
            scenario: self.name.clone(),
            seed: self.seed,
            simulated_time_us: self.core.now.0,
            simulated_time: self.core.now.to_string(),
            events_processed: self.events_processed,
            trace_records: self.core.trace.count(),
            trace_hash: crate::kernel::hash::format_hash(self.core.trace.hash()),
            stopped_by: self.halted.as_ref().map(|e| e.to_string()),
            entities,
        }
    }
}

/// Names for the ids in records: the entity table's and the bus's event types.
impl Names for Sim {
    fn entity_name(&self, id: EntityId) -> &str {
        self.entities.name(id)
    }

    fn event_type_name(&self, id: EventTypeId) -> &str {
        self.world.event_type_name(id)
    }
}
