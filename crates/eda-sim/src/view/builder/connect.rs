//! Linking two entities by drawing a line from one to the other in the diagram: which field of
//! which entity names the other (a consumer's queue, a producer's exchange, a projection's
//! store…), found from the kinds' reference fields in either direction, or an exchange's
//! binding to a queue (which needs its key).

use super::fields::{entity_fields, set_field};
use super::{kind_of, FieldSpec, FieldType, KindSpec};
use crate::scenario::Scenario;

/// What drawing a link from one entity to another does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    /// Sets `field` of the entity `name` (of `kind`) to `target`.
    Reference {
        kind: &'static KindSpec,
        name: String,
        field: &'static FieldSpec,
        target: String,
    },
    /// Binds `queue` to `exchange`: the binding key is asked for.
    Binding { exchange: String, queue: String },
}

/// How a link drawn from `from` to `to` is made, trying the way messages flow first, then the
/// other way round; or why it cannot be.
pub fn connection(scenario: &Scenario, from: &str, to: &str) -> Result<Connection, String> {
    let kind = |name: &str| kind_of(scenario, name).ok_or_else(|| format!("there is no entity {name:?}"));
    let (from_kind, to_kind) = (kind(from)?, kind(to)?);
    if from == to {
        return Err(format!("{from} cannot be linked to itself"));
    }
    for (a, a_kind, b, b_kind) in [(from, from_kind, to, to_kind), (to, to_kind, from, from_kind)] {
        if a_kind.id == "exchange" && b_kind.id == "queue" {
            return Ok(Connection::Binding {
                exchange: a.to_string(),
                queue: b.to_string(),
            });
        }
        // The field of `a` that names a `b` and along which messages flow from `a` to `b`…
        let forward = a_kind
            .fields
            .iter()
            .find(|f| matches!(f.ty, FieldType::Reference(r) if r.flows_to_target && r.kinds.contains(&b_kind.id)));
        if let Some(field) = forward {
            return Ok(reference(a_kind, a, field, b));
        }
        // …or the field of `b` that names an `a` they come from.
        let backward = b_kind
            .fields
            .iter()
            .find(|f| matches!(f.ty, FieldType::Reference(r) if !r.flows_to_target && r.kinds.contains(&a_kind.id)));
        if let Some(field) = backward {
            return Ok(reference(b_kind, b, field, a));
        }
    }
    Err(format!(
        "a {} and a {} cannot be linked",
        from_kind.label.to_ascii_lowercase(),
        to_kind.label.to_ascii_lowercase()
    ))
}

fn reference(kind: &'static KindSpec, name: &str, field: &'static FieldSpec, target: &str) -> Connection {
    Connection::Reference {
        kind,
        name: name.to_string(),
        field,
        target: target.to_string(),
    }
}

/// Makes a connection (a binding with `key`, empty for a fanout exchange). The scenario passed
/// in is never changed; the error says what is wrong.
pub fn connect(scenario: &Scenario, connection: &Connection, key: &str) -> Result<Scenario, String> {
    match connection {
        Connection::Reference {
            kind,
            name,
            field,
            target,
        } => set_field(scenario, kind, name, field, target),
        Connection::Binding { exchange, queue } => {
            let kind = kind_of(scenario, exchange).ok_or_else(|| format!("there is no exchange {exchange:?}"))?;
            let (at, field) = kind
                .fields
                .iter()
                .enumerate()
                .find(|(_, f)| f.ty == FieldType::Bindings)
                .ok_or_else(|| format!("{exchange} takes no bindings"))?;
            let key = key.trim();
            if key.contains(',') || key.contains(':') {
                return Err(format!("the binding key {key:?} may not contain a comma or a colon"));
            }
            let current = entity_fields(scenario, kind, exchange)
                .into_iter()
                .nth(at)
                .map(|v| v.text)
                .unwrap_or_default();
            let binding = format!("{queue}:{key}");
            let text = if current.trim().is_empty() {
                binding
            } else {
                format!("{current}, {binding}")
            };
            set_field(scenario, kind, exchange, field, &text)
        }
    }
}
