//! The event-type hierarchy: a listener subscribed to a type also receives its subtypes, so
//! delivery asks whether an event's type is, or descends from, a subscribed one.

use crate::kernel::ids::EventTypeId;

/// The event-type hierarchy: each type has at most one parent.
#[derive(Clone, Debug, Default)]
pub struct TypeHierarchy {
    pub names: Vec<String>,
    pub parents: Vec<Option<EventTypeId>>,
}

impl TypeHierarchy {
    pub fn id(&self, name: &str) -> Option<EventTypeId> {
        self.names.iter().position(|n| n == name).map(|i| EventTypeId(i as u32))
    }

    pub fn name(&self, id: EventTypeId) -> &str {
        self.names.get(id.0 as usize).map(String::as_str).unwrap_or("?")
    }

    /// `ty` itself, then its parent, grandparent… up to the root.
    pub fn ancestors_inclusive(&self, ty: EventTypeId) -> impl Iterator<Item = EventTypeId> + '_ {
        let mut current = Some(ty);
        std::iter::from_fn(move || {
            let here = current?;
            current = self.parents.get(here.0 as usize).copied().flatten();
            Some(here)
        })
        .take(crate::kernel::limits::MAX_TYPE_DEPTH + 1)
    }

    /// True when an event of type `ty` is also an event of type `ancestor`.
    pub fn is_a(&self, ty: EventTypeId, ancestor: EventTypeId) -> bool {
        self.ancestors_inclusive(ty).any(|t| t == ancestor)
    }

    /// Direct subtypes of `ty`, in definition order.
    pub fn children(&self, ty: EventTypeId) -> impl Iterator<Item = EventTypeId> + '_ {
        self.parents
            .iter()
            .enumerate()
            .filter(move |(_, p)| **p == Some(ty))
            .map(|(i, _)| EventTypeId(i as u32))
    }
}
