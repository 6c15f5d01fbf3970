//! What is moving at an instant, for drawing message flow: every pending trip between two
//! entities (when it left, when it arrives, what state it is in), what each entity is working
//! on, and the outcome a record stands for (acked, redelivered, dead-lettered, dropped). The
//! UI animates these; the core decides what they mean.

use crate::engine::Pending;
use crate::engine::Sim;
use crate::kernel::ids::{EntityId, MessageKey};
use crate::kernel::time::SimTime;
use crate::patterns::broker::{BrokerPending, BrokerRecord, Role, Settlement, SettlementKey};
use crate::patterns::discovery::{DiscoveryPending, DiscoveryRecord, ToRegistry};
use crate::patterns::event_bus::{BusPending, BusRecord};
use crate::patterns::event_store::{StorePending, StoreRecord};
use crate::patterns::request_reply::{RpcPending, RpcRecord};
use crate::trace::TraceKind;

/// The state a message is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlowStatus {
    /// On its way between two entities.
    InFlight,
    /// Waiting at an entity (a queue, an inbox, a service's backlog).
    Queued,
    /// Being handled by a worker, listener, consumer or provider.
    Processing,
    /// Done with: acknowledged, handled, answered.
    Acked,
    /// Delivered again after a failure or a crash.
    Redelivered,
    /// Moved to a dead-letter queue.
    DeadLettered,
    /// Gone for good by a named policy or fault (refused, expired, timed out, lost).
    Dropped,
}

impl FlowStatus {
    pub const ALL: [FlowStatus; 7] = [
        FlowStatus::InFlight,
        FlowStatus::Queued,
        FlowStatus::Processing,
        FlowStatus::Acked,
        FlowStatus::Redelivered,
        FlowStatus::DeadLettered,
        FlowStatus::Dropped,
    ];

    /// The word for the legend and for CSS classes.
    pub fn label(self) -> &'static str {
        match self {
            FlowStatus::InFlight => "in flight",
            FlowStatus::Queued => "queued",
            FlowStatus::Processing => "being processed",
            FlowStatus::Acked => "acked",
            FlowStatus::Redelivered => "redelivered",
            FlowStatus::DeadLettered => "dead-lettered",
            FlowStatus::Dropped => "dropped",
        }
    }
}

/// One pending trip or piece of work: from `from` to `to` (equal for work at one entity),
/// scheduled at `sent`, due at `arrives`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flight {
    pub from: EntityId,
    pub to: EntityId,
    pub sent: SimTime,
    pub arrives: SimTime,
    pub status: FlowStatus,
    /// The message, event or request it carries, when it has one (to inspect it).
    pub key: Option<MessageKey>,
}

/// Up to `max` pending trips and pieces of work (timers and other bookkeeping are left out),
/// earliest arrival first.
pub fn flights(sim: &Sim, max: usize) -> Vec<Flight> {
    let mut out: Vec<Flight> = sim
        .pending_entries()
        .filter_map(|(sent, arrives, pending)| {
            let (from, to, status) = describe(sim, pending)?;
            Some(Flight {
                from,
                to,
                sent,
                arrives,
                status,
                key: key_of(sim, pending),
            })
        })
        .collect();
    crate::kernel::collections::sort_by_key(&mut out, |f| (f.arrives, f.sent, f.from, f.to));
    out.truncate(max);
    out
}

fn describe(sim: &Sim, pending: &Pending) -> Option<(EntityId, EntityId, FlowStatus)> {
    use FlowStatus::*;
    match pending {
        Pending::Bus(p) => {
            let world = sim.event_bus();
            match p {
                BusPending::Arrive { flight } => {
                    let f = world.in_flight.get(flight)?;
                    let listener = world.listeners.get(f.listener)?;
                    Some((world.buses.get(listener.bus)?.entity, listener.entity, InFlight))
                }
                BusPending::HandlingDone { listener } => {
                    let l = world.listeners.get(*listener)?;
                    Some((l.entity, l.entity, Processing))
                }
                BusPending::Emit { .. } => None,
            }
        }
        Pending::Rpc(p) => {
            let world = sim.request_reply();
            let ends = |request: &u64| {
                let r = world.requests.get(request)?;
                Some((
                    world.clients.get(r.client)?.entity,
                    world.services.get(r.service)?.entity,
                ))
            };
            match p {
                RpcPending::Reach { request } => ends(request).map(|(c, s)| (c, s, InFlight)),
                RpcPending::Finish { request, .. } => ends(request).map(|(_, s)| (s, s, Processing)),
                RpcPending::Answer { request, .. } => ends(request).map(|(c, s)| (s, c, InFlight)),
                _ => None,
            }
        }
        Pending::Broker(p) => {
            let world = sim.broker();
            let consumer = |c: &usize| world.consumers.get(*c);
            let source_of = |c: &usize| -> Option<EntityId> {
                match consumer(c)?.role {
                    Role::Queue(q) => world.queues.get(q).map(|q| q.entity),
                    Role::Group(g) => world
                        .groups
                        .get(g)
                        .and_then(|g| world.topics.get(g.topic))
                        .map(|t| t.entity),
                }
            };
            match p {
                BrokerPending::Arrive {
                    consumer: c, message, ..
                } => {
                    let redelivered = world.messages.get(message).is_some_and(|m| m.deliveries > 1);
                    Some((
                        source_of(c)?,
                        consumer(c)?.entity,
                        if redelivered { Redelivered } else { InFlight },
                    ))
                }
                // A member fetches only when its partitions hold unread records: the record on
                // its way from the topic.
                BrokerPending::Fetch { consumer: c, .. } => Some((source_of(c)?, consumer(c)?.entity, InFlight)),
                BrokerPending::Done { consumer: c, .. } | BrokerPending::RecordDone { consumer: c, .. } => {
                    let e = consumer(c)?.entity;
                    Some((e, e, Processing))
                }
                BrokerPending::Settle {
                    queue,
                    consumer: c,
                    settlement,
                    ..
                } => {
                    let status = match settlement {
                        SettlementKey::Ack => Acked,
                        SettlementKey::Requeue => Redelivered,
                        SettlementKey::Reject => DeadLettered,
                    };
                    Some((consumer(c)?.entity, world.queues.get(*queue)?.entity, status))
                }
                // A record on its way to its topic's leader, and the acknowledgement coming back.
                BrokerPending::PublishArrive { producer, .. } | BrokerPending::AckArrive { producer, .. } => {
                    let ack = matches!(p, BrokerPending::AckArrive { .. });
                    let producer = world.producers.get(*producer)?;
                    let crate::patterns::broker::Target::Topic(t) = producer.target else {
                        return None;
                    };
                    let topic = world.topics.get(t)?.entity;
                    Some(if ack {
                        (topic, producer.entity, Acked)
                    } else {
                        (producer.entity, topic, InFlight)
                    })
                }
                _ => None,
            }
        }
        Pending::Discovery(p) => {
            let world = sim.discovery();
            let registry = |r: &usize| world.registries.get(*r).map(|r| r.entity);
            let client = |c: usize| world.clients.get(c).map(|c| c.entity);
            // The provider a call reaches: the one offering its name at its endpoint.
            let provider_at = |call: &crate::patterns::discovery::CallRequest| {
                world
                    .providers
                    .iter()
                    .find(|p| p.endpoint == call.endpoint && p.name == call.name)
                    .or_else(|| world.providers.iter().find(|p| p.endpoint == call.endpoint))
                    .map(|p| p.entity)
            };
            match p {
                DiscoveryPending::Arrive { registry: r, message } => {
                    let from = match message {
                        ToRegistry::Register { provider, .. }
                        | ToRegistry::Heartbeat { provider, .. }
                        | ToRegistry::Deregister { provider } => world.providers.get(*provider)?.entity,
                        ToRegistry::Lookup { request } => client(world.lookups.get(request)?.client)?,
                        ToRegistry::Watch { client: c, .. } => client(*c)?,
                    };
                    Some((from, registry(r)?, InFlight))
                }
                DiscoveryPending::Notification {
                    registry: r, client: c, ..
                } => Some((registry(r)?, client(*c)?, InFlight)),
                DiscoveryPending::LookupAnswer { request, .. } => {
                    let lookup = world.lookups.get(request)?;
                    let c = world.clients.get(lookup.client)?;
                    Some((registry(&c.registry)?, c.entity, InFlight))
                }
                DiscoveryPending::CallArrive { request } => {
                    let call = world.calls.get(request)?;
                    Some((client(call.client)?, provider_at(call)?, InFlight))
                }
                DiscoveryPending::CallServed { request } => {
                    let provider = provider_at(world.calls.get(request)?)?;
                    Some((provider, provider, Processing))
                }
                DiscoveryPending::CallAnswer { request } => {
                    let call = world.calls.get(request)?;
                    Some((provider_at(call)?, client(call.client)?, InFlight))
                }
                _ => None,
            }
        }
        Pending::Store(StorePending::Deliver { projection, .. }) => {
            let world = sim.event_store();
            let p = world.projections.get(*projection)?;
            Some((world.stores.get(p.store)?.entity, p.entity, InFlight))
        }
        // On a slow link from a store to its bus's source.
        Pending::Store(StorePending::Publish { store, source, .. }) => {
            let source = sim.event_bus().sources.get(*source)?.entity;
            Some((EntityId(*store), source, InFlight))
        }
        Pending::Script(_) => None,
    }
}

fn key_of(sim: &Sim, pending: &Pending) -> Option<MessageKey> {
    match pending {
        Pending::Bus(BusPending::Arrive { flight }) => sim
            .event_bus()
            .in_flight
            .get(flight)
            .map(|f| MessageKey::BusEvent(f.event.0)),
        Pending::Bus(BusPending::HandlingDone { listener }) => sim
            .event_bus()
            .listeners
            .get(*listener)?
            .in_service
            .map(|copy| MessageKey::BusEvent(copy.event.0)),
        Pending::Rpc(
            RpcPending::Reach { request } | RpcPending::Finish { request, .. } | RpcPending::Answer { request, .. },
        ) => Some(MessageKey::Request(*request)),
        Pending::Broker(
            BrokerPending::Arrive { message, .. }
            | BrokerPending::Done { message, .. }
            | BrokerPending::Settle { message, .. },
        ) => Some(MessageKey::BrokerMessage(*message)),
        Pending::Store(StorePending::Deliver { projection, position }) => {
            let world = sim.event_store();
            let store = world.stores.get(world.projections.get(*projection)?.store)?;
            Some(MessageKey::StoreEvent {
                store: store.entity.0,
                position: *position,
            })
        }
        Pending::Store(StorePending::Publish { store, position, .. }) => Some(MessageKey::StoreEvent {
            store: *store,
            position: *position,
        }),
        _ => None,
    }
}

/// The outcome a record stands for, if it ends or turns a message's journey.
pub fn outcome(kind: &TraceKind) -> Option<FlowStatus> {
    use FlowStatus::*;
    match kind {
        TraceKind::Bus(BusRecord::Handled { .. }) => Some(Acked),
        TraceKind::Bus(BusRecord::Unrouted { .. }) => Some(Dropped),
        TraceKind::Rpc(RpcRecord::Received { .. }) => Some(Acked),
        TraceKind::Rpc(RpcRecord::TimedOut { .. } | RpcRecord::Lost { .. } | RpcRecord::LateResponse { .. }) => {
            Some(Dropped)
        }
        TraceKind::Rpc(RpcRecord::Queued { .. }) => Some(Queued),
        TraceKind::Rpc(
            RpcRecord::EventLost { .. }
            | RpcRecord::EventInvented { .. }
            | RpcRecord::Unreachable { .. }
            | RpcRecord::LinkLost { .. }
            | RpcRecord::DuplicateOrder { .. },
        ) => Some(Dropped),
        TraceKind::Rpc(RpcRecord::RelayPublished { again: true, .. }) => Some(Redelivered),
        TraceKind::Broker(r) => match r {
            BrokerRecord::Settled {
                settlement: Settlement::Ack,
                ..
            }
            | BrokerRecord::Processed { .. } => Some(Acked),
            BrokerRecord::Requeued { .. } => Some(Redelivered),
            BrokerRecord::Delivered { delivery, .. } if *delivery > 1 => Some(Redelivered),
            BrokerRecord::DeadLettered { .. } => Some(DeadLettered),
            BrokerRecord::Dropped { .. }
            | BrokerRecord::Refused { .. }
            | BrokerRecord::SettlementLost { .. }
            | BrokerRecord::LinkLost { .. }
            | BrokerRecord::Lost { .. } => Some(Dropped),
            BrokerRecord::Deduplicated { .. } | BrokerRecord::DuplicateDiscarded { .. } => Some(Acked),
            BrokerRecord::Truncated { .. } | BrokerRecord::GaveUp { .. } | BrokerRecord::Unreachable { .. } => {
                Some(Dropped)
            }
            BrokerRecord::Retried { .. } => Some(Redelivered),
            BrokerRecord::ChannelClosed { .. } => Some(Redelivered),
            BrokerRecord::Enqueued { .. } | BrokerRecord::Produced { .. } => Some(Queued),
            _ => None,
        },
        TraceKind::Discovery(r) => match r {
            DiscoveryRecord::Found { .. } | DiscoveryRecord::Registered { .. } => Some(Acked),
            DiscoveryRecord::Refused { .. }
            | DiscoveryRecord::LookupFailed { .. }
            | DiscoveryRecord::Expired { .. } => Some(Dropped),
            _ => None,
        },
        TraceKind::Store(r) => match r {
            StoreRecord::Projected { .. } => Some(Acked),
            StoreRecord::Appended { .. } => Some(Queued),
            StoreRecord::Conflict { .. } | StoreRecord::NotPublished { .. } => Some(Dropped),
            _ => None,
        },
        TraceKind::Fault(_) => Some(Dropped),
        _ => None,
    }
}
