//! The world: the sum of the five patterns, and the one place that hands each pending event,
//! command and effect to the pattern it belongs to. Each pattern's handlers run with a context
//! of their own types ([`Core::ctx`]); what they schedule and record becomes a [`Pending`] and
//! a [`TraceKind`] through the conversions in `pending.rs` and `trace.rs`, so no pattern names
//! another's types or the engine.

mod pending;

pub use pending::Pending;

use crate::command::Command;
use crate::kernel::core::Core;
use crate::kernel::effect::Effect;
use crate::kernel::entity::{Entities, Entity, EntityKind};
use crate::kernel::error::{SimError, Switch};
use crate::kernel::ids::{EntityId, EventTypeId};
use crate::kernel::limits::{MAX_RECORDS_PER_EVENT, RETAINED_BYTES_PER_MESSAGE, RETAINED_BYTES_PER_STORED_EVENT};
use crate::kernel::report::EntityReport;
use crate::kernel::time::SimTime;
use crate::patterns::broker::BrokerWorld;
use crate::patterns::discovery::DiscoveryWorld;
use crate::patterns::event_bus::EventBusWorld;
use crate::patterns::event_store::EventStoreWorld;
use crate::patterns::request_reply::RequestReplyWorld;
use crate::scenario::Scenario;
use crate::trace::{FaultRecord, TraceKind};

/// The core of a run of this world: its queue holds [`Pending`]s, its trace [`TraceKind`]s.
pub type WorldCore = Core<Pending, TraceKind>;

/// What one entity holds that grows with the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retained {
    pub entity: EntityId,
    pub items: u64,
    /// About how much memory the items take (see [`crate::kernel::limits::MAX_RETAINED_BYTES`]).
    pub bytes: u64,
}

impl Retained {
    fn new(entity: EntityId, items: u64, bytes_each: u64) -> Self {
        Retained {
            entity,
            items,
            bytes: items.saturating_mul(bytes_each),
        }
    }
}

/// The state of every pattern.
#[derive(Clone, Debug)]
pub struct World {
    pub bus: EventBusWorld,
    pub rpc: RequestReplyWorld,
    pub broker: BrokerWorld,
    pub discovery: DiscoveryWorld,
    pub store: EventStoreWorld,
}

impl World {
    /// Every pattern's state for `scenario`, its entities registered in `entities`, and the
    /// links between patterns resolved.
    pub fn build(scenario: &Scenario, entities: &mut Entities) -> World {
        // Every pattern registers its entities first, so that links between patterns resolve.
        let bus = EventBusWorld::build(&scenario.event_bus, entities);
        let mut rpc = RequestReplyWorld::build(&scenario.request_reply, entities);
        let broker = BrokerWorld::build(&scenario.broker, entities);
        let discovery = DiscoveryWorld::build(&scenario.discovery, entities);
        let mut store = EventStoreWorld::build(&scenario.event_store, entities);
        rpc.link(&scenario.request_reply, entities, &bus);
        store.link(&scenario.event_store, entities, &bus);
        World {
            bus,
            rpc,
            broker,
            discovery,
            store,
        }
    }

    /// Lets every pattern schedule what it does from time 0 on.
    pub fn start(&mut self, core: &mut WorldCore, scenario: &Scenario) {
        self.bus.start(&mut core.ctx(), &scenario.event_bus);
        self.rpc.start(&mut core.ctx());
        self.broker.start(&mut core.ctx());
        self.discovery.start(&mut core.ctx());
        self.store.start(&mut core.ctx());
    }

    /// Hands one pattern's pending event to it (script entries are the engine's).
    pub fn handle(&mut self, core: &mut WorldCore, pending: Pending) {
        match pending {
            Pending::Script(_) => {}
            Pending::Bus(p) => self.bus.handle(&mut core.ctx(), p),
            Pending::Rpc(p) => self.rpc.handle(&mut core.ctx(), p),
            Pending::Broker(p) => self.broker.handle(&mut core.ctx(), p),
            Pending::Discovery(p) => self.discovery.handle(&mut core.ctx(), p),
            Pending::Store(p) => self.store.handle(&mut core.ctx(), p),
        }
        self.carry_out_effects(core);
    }

    /// Runs a command now (effects included).
    pub fn apply(&mut self, core: &mut WorldCore, entities: &Entities, command: &Command) -> Result<(), SimError> {
        let outcome = self.run_command(core, entities, command);
        self.carry_out_effects(core);
        outcome
    }

    fn run_command(&mut self, core: &mut WorldCore, entities: &Entities, command: &Command) -> Result<(), SimError> {
        match command {
            Command::Publish { source, event_type } => {
                let s = entities.index_of(source, EntityKind::EventSource)?;
                let ty = self.event_type(event_type)?;
                self.bus.publish(&mut core.ctx(), s, ty);
            }
            Command::Subscribe { listener, event_type } | Command::Unsubscribe { listener, event_type } => {
                let l = entities.index_of(listener, EntityKind::Listener)?;
                let ty = self.event_type(event_type)?;
                let subscribe = matches!(command, Command::Subscribe { .. });
                {
                    let ctx = &mut core.ctx();
                    if subscribe {
                        self.bus.subscribe(ctx, l, ty)
                    } else {
                        self.bus.unsubscribe(ctx, l, ty)
                    }
                };
            }
            Command::Crash { entity } | Command::Restart { entity } => {
                self.crash_or_restart(core, entities, entity, matches!(command, Command::Crash { .. }))?;
            }
            Command::Request { client } => {
                let c = entities.index_of(client, EntityKind::Client)?;
                self.rpc.request_now(&mut core.ctx(), c);
            }
            Command::Produce { producer, key, payload } => {
                let p = entities.index_of(producer, EntityKind::Producer)?;
                self.broker.produce(&mut core.ctx(), p, key.clone(), payload.clone());
            }
            Command::Join { consumer } | Command::Leave { consumer } => {
                let c = entities.index_of(consumer, EntityKind::Consumer)?;
                let join = matches!(command, Command::Join { .. });
                {
                    let ctx = &mut core.ctx();
                    if join {
                        self.broker.join_now(ctx, c)
                    } else {
                        self.broker.leave(ctx, c)
                    }
                };
            }
            Command::Register { .. }
            | Command::Deregister { .. }
            | Command::Lookup { .. }
            | Command::Watch { .. }
            | Command::Call { .. } => {
                self.discovery.command(&mut core.ctx(), entities, command)?;
            }
            Command::Append { .. } | Command::RebuildProjection { .. } => {
                self.store.command(&mut core.ctx(), entities, command)?;
            }
            Command::Partition { sides } => {
                let mut ids = Vec::with_capacity(sides.len());
                for side in sides {
                    let mut members = Vec::with_capacity(side.len());
                    for name in side {
                        members.push(entities.id(name).ok_or_else(|| SimError::UnknownEntity {
                            name: name.clone(),
                            expected: "entity",
                        })?);
                    }
                    ids.push(members);
                }
                core.network.split(&ids);
                core.trace
                    .push(core.now, TraceKind::Fault(FaultRecord::Partitioned { sides: ids }));
                self.network_changed(core);
            }
            Command::Heal {} => {
                if core.network.is_split() {
                    let sides = core.network.heal();
                    core.trace
                        .push(core.now, TraceKind::Fault(FaultRecord::Healed { sides }));
                    self.network_changed(core);
                }
            }
            Command::FailOver { topic } => {
                let t = entities.index_of(topic, EntityKind::Topic)?;
                if self.broker.topics[t].replicas < 2 {
                    return Err(SimError::NoFollowers { topic: topic.clone() });
                }
                self.broker.fail_over(&mut core.ctx(), t);
            }
        }
        Ok(())
    }

    /// The network split or healed: patterns whose timers watch for silence (sessions,
    /// heartbeats) react now; every other message checks the network as it crosses it.
    fn network_changed(&mut self, core: &mut WorldCore) {
        self.broker.network_changed(&mut core.ctx());
    }

    /// Crashes or restarts the entity called `name` through the pattern that owns it, then
    /// records the fault (nothing at all when it already was in that state).
    fn crash_or_restart(
        &mut self,
        core: &mut WorldCore,
        entities: &Entities,
        name: &str,
        crash: bool,
    ) -> Result<(), SimError> {
        let Some(id) = entities.id(name) else {
            return Err(SimError::UnknownEntity {
                name: name.to_string(),
                expected: "entity",
            });
        };
        let Entity { kind, index, .. } = entities.get(id).clone();
        let done = match kind {
            EntityKind::Service => self.rpc.set_down(&mut core.ctx(), index, crash),
            EntityKind::Broker | EntityKind::Consumer => self.broker.set_down(&mut core.ctx(), kind, index, crash),
            EntityKind::ServiceRegistry | EntityKind::Provider | EntityKind::DiscoveryClient => {
                self.discovery.set_down(&mut core.ctx(), kind, index, crash)
            }
            _ => Switch::Unsupported,
        };
        match done {
            Switch::Unsupported => Err(SimError::CannotCrash {
                name: name.to_string(),
                kind: kind.label(),
            }),
            Switch::Unchanged => Ok(()),
            Switch::Switched => {
                let fault = if crash {
                    FaultRecord::Crashed { entity: id }
                } else {
                    FaultRecord::Restarted { entity: id }
                };
                core.trace.push(core.now, TraceKind::Fault(fault));
                Ok(())
            }
        }
    }

    /// Carries out what handlers asked of other patterns, in the order they asked (effects an
    /// effect asks for run after those already waiting).
    fn carry_out_effects(&mut self, core: &mut WorldCore) {
        if core.effects.is_empty() {
            return;
        }
        let mut next = 0;
        while next < core.effects.len() {
            let (effect, cause) = core.effects[next].clone();
            next += 1;
            // Handlers write their records before the effects run: the cause is the newest one.
            let cause = cause.and_then(|key| {
                core.trace
                    .last_index_where(MAX_RECORDS_PER_EVENT * 4, |kind| kind.message_key() == Some(key))
            });
            core.trace.set_cause(cause);
            // Effects this one asks for join the end of the list.
            match effect {
                Effect::PublishEvent { source, event_type } => {
                    self.bus.publish(&mut core.ctx(), source, event_type);
                }
                Effect::Produce {
                    producer,
                    key,
                    payload,
                    receipt,
                } => {
                    let taken = self.broker.produce(&mut core.ctx(), producer, Some(key), Some(payload));
                    if let Some(r) = receipt {
                        self.rpc.relay_receipt(&mut core.ctx(), r, taken);
                    }
                }
                Effect::Append {
                    store,
                    stream,
                    event_type,
                    data,
                } => {
                    self.store
                        .append_effect(&mut core.ctx(), store, stream, event_type, data);
                }
            }
        }
        core.effects.clear();
        core.trace.set_cause(None);
    }

    fn event_type(&self, name: &str) -> Result<EventTypeId, SimError> {
        self.bus
            .types
            .id(name)
            .ok_or_else(|| SimError::UnknownEventType { name: name.to_string() })
    }

    /// Messages waiting in inboxes and queues (the queue's own events not counted).
    pub fn queued_total(&self) -> usize {
        self.bus.queued_total + self.rpc.queued_total() + self.broker.queued_total()
    }

    /// What grows with the length of a run, by the entity that holds it: a topic's records, an
    /// event store's events, the broker's live messages and the records its producers still
    /// wait to hear about. Only what the modelled system itself
    /// holds is kept; nothing is kept for history's sake.
    pub fn retained(&self) -> Vec<Retained> {
        let topics = self.broker.topics.iter().map(|t| {
            let records: usize = t.partitions.iter().map(|p| p.log.len()).sum();
            Retained::new(t.entity, records as u64, RETAINED_BYTES_PER_MESSAGE)
        });
        let stores = self
            .store
            .stores
            .iter()
            .map(|s| Retained::new(s.entity, s.log.len() as u64, RETAINED_BYTES_PER_STORED_EVENT));
        let broker = self.broker.entity.map(|b| {
            let unsettled: usize = self.broker.producers.iter().map(|p| p.in_flight.len()).sum();
            let held = (self.broker.messages.len() + unsettled) as u64;
            Retained::new(b, held, RETAINED_BYTES_PER_MESSAGE)
        });
        topics.chain(stores).chain(broker).collect()
    }

    /// Counters and statistics of every entity at `now`.
    pub fn report(&self, entities: &Entities, now: SimTime) -> Vec<EntityReport> {
        let mut reports = Vec::new();
        reports.extend(self.bus.report(entities, now));
        reports.extend(self.rpc.report(entities, now));
        reports.extend(self.broker.report(entities, now));
        reports.extend(self.discovery.report(entities, now));
        reports.extend(self.store.report(entities, now));
        reports
    }

    /// The name of an event type of the bus.
    pub fn event_type_name(&self, id: EventTypeId) -> &str {
        self.bus.types.name(id)
    }
}
