//! The description of an editable kind of entity: its id and label, where its entries live in
//! the scenario, and its fields (how each is shown, read, and whether it names another entity).
//! Each pattern lists its own kinds next to its spec (`patterns/*/kinds.rs`); the builder
//! (`view/builder`) edits scenarios through them.

/// How a field is shown and read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Free text (a name, an endpoint).
    Text,
    /// A whole number.
    Count,
    /// A span like `250ms` or `1.5s`.
    Duration,
    /// A random span: `30ms`, `exp 30ms` or `20ms..80ms`.
    Distribution,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Another entity, of one of these kinds (ids of [`KindSpec`]).
    Reference(&'static Reference),
    /// Event types, chosen one by one (a listener's subscriptions).
    EventTypes,
    /// Words separated by commas (keys, operations, watched names).
    Words,
    /// An exchange's bindings: `queue:key` separated by commas.
    Bindings,
    /// A consumer group's commit policy: `manual` or `auto 5s`.
    Commit,
    /// A JSON value (message bodies, order links).
    Json,
    /// On or off (`true`, or absent for off).
    Switch,
}

/// A field naming another entity, and what that link means.
#[derive(Debug, PartialEq, Eq)]
pub struct Reference {
    pub kinds: &'static [&'static str],
    /// Removing the target removes this entity too (it cannot work without it).
    pub cascade: bool,
    /// Messages flow from this entity to the target (otherwise from the target to this one).
    pub flows_to_target: bool,
    /// The link's name in the diagram (`subscribes`, `reads`…).
    pub relation: &'static str,
}

/// One editable field of an entity.
#[derive(Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// Its place in the entity's JSON object; a dot goes one object deeper (`arrivals.every`).
    pub key: &'static str,
    pub label: &'static str,
    pub ty: FieldType,
    /// May be left empty (the key is then left out).
    pub optional: bool,
    pub help: &'static str,
}

/// A kind of entity the builder can add and edit.
#[derive(Debug, PartialEq, Eq)]
pub struct KindSpec {
    /// Stable id used by the UI (`queue`, `consumer-group`…).
    pub id: &'static str,
    /// Shown in menus: `Queue`, `Consumer group`.
    pub label: &'static str,
    pub pattern: &'static str,
    /// The scenario section and the list in it; no list means the section itself.
    pub section: &'static str,
    pub list: Option<&'static str>,
    /// The key holding the entity's name.
    pub id_key: &'static str,
    pub addable: bool,
    pub fields: &'static [FieldSpec],
}

/// How a distribution is typed, for the help text of distribution fields.
pub const DISTRIBUTION_HELP: &str = "30ms (always), exp 30ms (exponential mean), 20ms..80ms (uniform)";

/// One editable field: `field!(key, label, type, optional, help)`.
macro_rules! field {
    ($key:literal, $label:literal, $ty:expr, $optional:literal, $help:expr) => {
        $crate::kernel::kinds::FieldSpec {
            key: $key,
            label: $label,
            ty: $ty,
            optional: $optional,
            help: $help,
        }
    };
}

/// A field naming another entity: `reference!([kinds], cascade, flows_to_target, relation)`.
macro_rules! reference {
    ([$($kind:literal),+], $cascade:literal, $to:literal, $relation:literal) => {
        $crate::kernel::kinds::FieldType::Reference(&$crate::kernel::kinds::Reference {
            kinds: &[$($kind),+],
            cascade: $cascade,
            flows_to_target: $to,
            relation: $relation,
        })
    };
}
pub(crate) use field;
pub(crate) use reference;
