//! Every participant of a run by id and by name, in one namespace for all kinds, and what kind
//! each is. The kernel names the kinds (so one table and one validator serve every pattern)
//! but knows nothing of what they do.

use crate::kernel::error::SimError;
use crate::kernel::ids::EntityId;

/// What kind of thing an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntityKind {
    // Event bus
    EventBus,
    EventSource,
    Listener,
    // Request-response
    Service,
    Client,
    // Message broker
    Broker,
    Exchange,
    Queue,
    Topic,
    ConsumerGroup,
    Producer,
    Consumer,
    // Service discovery
    ServiceRegistry,
    Provider,
    DiscoveryClient,
    // Event sourcing
    EventStore,
    Projection,
}

impl EntityKind {
    /// The word used for this kind in messages and reports.
    pub fn label(self) -> &'static str {
        match self {
            EntityKind::EventBus => "bus",
            EntityKind::EventSource => "source",
            EntityKind::Listener => "listener",
            EntityKind::Service => "service",
            EntityKind::Client => "client",
            EntityKind::Broker => "broker",
            EntityKind::Exchange => "exchange",
            EntityKind::Queue => "queue",
            EntityKind::Topic => "topic",
            EntityKind::ConsumerGroup => "consumer group",
            EntityKind::Producer => "producer",
            EntityKind::Consumer => "consumer",
            EntityKind::ServiceRegistry => "registry",
            EntityKind::Provider => "provider",
            EntityKind::DiscoveryClient => "discovery client",
            EntityKind::EventStore => "event store",
            EntityKind::Projection => "projection",
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

/// The table of every entity, by id and by name (one namespace for all kinds).
#[derive(Clone, Debug, Default)]
pub struct Entities {
    list: Vec<Entity>,
    names: litemap::LiteMap<String, EntityId>,
}

impl Entities {
    /// Registers an entity; `index` is its position in its pattern's own table.
    pub fn add(&mut self, name: &str, kind: EntityKind, index: usize) -> EntityId {
        let id = EntityId(self.list.len() as u32);
        self.list.push(Entity {
            name: name.to_string(),
            kind,
            index,
        });
        self.names.insert(name.to_string(), id);
        id
    }

    pub fn all(&self) -> &[Entity] {
        &self.list
    }

    pub fn get(&self, id: EntityId) -> &Entity {
        &self.list[id.0 as usize]
    }

    pub fn name(&self, id: EntityId) -> &str {
        self.list.get(id.0 as usize).map(|e| e.name.as_str()).unwrap_or("?")
    }

    pub fn id(&self, name: &str) -> Option<EntityId> {
        self.names.get(name).copied()
    }

    /// The pattern-table index of the entity called `name`, which must be of kind `kind`.
    pub fn index_of(&self, name: &str, kind: EntityKind) -> Result<usize, SimError> {
        match self.id(name).map(|id| self.get(id)) {
            Some(entity) if entity.kind == kind => Ok(entity.index),
            _ => Err(SimError::UnknownEntity {
                name: name.to_string(),
                expected: kind.label(),
            }),
        }
    }
}

/// `a` or `an`, as English puts it before `word` (`an exchange`, `a queue`): kind labels and
/// entity words in messages start with a vowel sound exactly when they start with a vowel.
pub fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}
