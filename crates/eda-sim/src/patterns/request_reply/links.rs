//! Links from an order's outcome to other patterns (bus, event store, broker): resolved once
//! every pattern is built, then fired as effects when an order is created, paid or rejected.

use super::spec::{LinkSpec, RequestReplySpec};
use super::state::RequestReplyWorld;
use super::Ctx;
use crate::kernel::effect::{Effect, Receipt};
use crate::kernel::entity::Entities;
use crate::kernel::entity::EntityKind;
use crate::kernel::ids::EventTypeId;
use crate::patterns::event_bus::EventBusWorld;

/// A resolved link (see [`LinkSpec`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Link {
    Publish { source: usize, event_type: EventTypeId },
    Append { store: usize, stream: String },
    Produce { producer: usize },
}

impl RequestReplyWorld {
    /// Resolves the order outcomes' links to other patterns.
    pub fn link(&mut self, spec: &RequestReplySpec, entities: &Entities, bus: &EventBusWorld) {
        let resolve = |links: &[LinkSpec], outcome: &str| -> Vec<Link> {
            links
                .iter()
                .filter_map(|link| match link {
                    LinkSpec::Publish { source, event_type } => Some(Link::Publish {
                        source: entities.index_of(source, EntityKind::EventSource).ok()?,
                        event_type: bus.types.id(event_type.as_deref().unwrap_or(outcome))?,
                    }),
                    LinkSpec::Produce { producer } => Some(Link::Produce {
                        producer: entities.index_of(producer, EntityKind::Producer).ok()?,
                    }),
                    LinkSpec::Append { store, stream } => Some(Link::Append {
                        store: entities.index_of(store, EntityKind::EventStore).ok()?,
                        stream: stream.clone(),
                    }),
                })
                .collect()
        };
        for (service, s) in self.services.iter_mut().zip(&spec.services) {
            if let Some(orders) = &s.orders {
                service.on_created = resolve(&orders.on_created, "OrderCreated");
                service.on_paid = resolve(&orders.on_paid, "OrderPaid");
                service.on_rejected = resolve(&orders.on_rejected, "OrderRejected");
            }
        }
    }
}

/// Runs an outcome's links: each becomes an effect on another pattern. `request` is the one
/// whose outcome it is (it makes the event's id); `receipt`, for an outbox's relay, asks to be
/// told whether the broker took what a producer link published.
pub(super) fn fire(
    ctx: &mut Ctx,
    links: &[Link],
    (order, request): (u64, u64),
    outcome: &str,
    receipt: Option<Receipt>,
) {
    for link in links {
        match link {
            Link::Publish { source, event_type } => ctx.effect(Effect::PublishEvent {
                source: *source,
                event_type: *event_type,
            }),
            Link::Produce { producer } => {
                let mut payload = serde_json::Map::new();
                payload.insert("order".into(), order.into());
                payload.insert("status".into(), outcome.into());
                // The event's own id (an order may be rejected more than once: the request
                // tells them apart), the same when the event is published again.
                payload.insert("event_id".into(), format!("order-{order}-{outcome}-{request}").into());
                ctx.effect(Effect::Produce {
                    producer: *producer,
                    key: format!("order-{order}"),
                    payload,
                    receipt,
                });
            }
            Link::Append { store, stream } => {
                let mut data = serde_json::Map::new();
                data.insert("order".into(), order.into());
                data.insert("status".into(), outcome.into());
                ctx.effect(Effect::Append {
                    store: *store,
                    stream: stream.replace("{id}", &order.to_string()),
                    event_type: outcome.to_string(),
                    data,
                });
            }
        }
    }
}
