//! Reads typed data out of a parsed JSON value and, when that fails, names the JSON path of the
//! value at fault (`broker.consumers[0].queue`).
//!
//! Why not serde's derived readers: a derived `Deserialize` is a state machine per type (a key
//! enum, a slot per field, duplicate and missing checks), and together the scenario's types put
//! about 60 KB of code into the wasm. Here a type reads itself with a few calls per field
//! ([`Fields`], `read_struct!`, usually through `value_writer::json_struct!`, which declares
//! reading and writing from one list); the generic part is one small function per field type. The
//! messages keep serde's wording (`unknown field `x`, expected one of …`, `missing field `x``,
//! `invalid type: …, expected …`), and the path is built only on the way out of a failure, one
//! segment per level.

use serde_json::{Map, Value};
use std::fmt;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A member of an object, or the variant of an enum written `{"variant": …}`.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// Why a value could not be read, and where. Boxed: it travels through every level of the
/// reader inside a `Result`, which stays one pointer wide this way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(Box<Failure>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Failure {
    /// Innermost segment first: each level adds its own on the way out.
    segments_reversed: Vec<Segment>,
    message: String,
}

impl ReadError {
    /// A failure of the value being read, with no path yet.
    pub fn new(message: impl Into<String>) -> Self {
        ReadError(Box::new(Failure {
            segments_reversed: Vec::new(),
            message: message.into(),
        }))
    }

    /// The JSON path of the value at fault, `""` for the document itself.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.0.segments_reversed.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        path
    }

    /// What was wrong, without the path.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    fn inside(mut self, segment: Segment) -> Self {
        self.0.segments_reversed.push(segment);
        self
    }

    /// This failure, found in the member `key` of the object being read.
    pub fn in_member(self, key: &str) -> Self {
        self.inside(Segment::Key(key.to_owned()))
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path().as_str() {
            "" => f.write_str(self.message()),
            path => write!(f, "{path}: {}", self.message()),
        }
    }
}

impl std::error::Error for ReadError {}

/// A type that can be read out of a JSON value.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, ReadError>;
}

/// Reads a `T` out of `value`; a failure carries the path of the value at fault.
pub fn from_value<T: FromJson>(value: &Value) -> Result<T, ReadError> {
    T::from_json(value)
}

/// The value as serde names it in messages (`string "x"`, `integer `5``, `map`).
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!(
            "floating point `{}`",
            crate::json_text::float(n.as_f64().unwrap_or(0.0))
        ),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {}", crate::quote::Quoted(s)),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// `value` is not of the JSON type expected.
pub fn invalid_type(value: &Value, expected: &str) -> ReadError {
    ReadError::new(format!("invalid type: {}, expected {expected}", describe(value)))
}

/// What was expected instead of an unknown name, worded as serde words it: `` expected `a` ``,
/// `` expected `a` or `b` ``, `` expected one of `a`, `b`, `c` ``; `none` when there are no names.
fn expected_names(names: &[&str], none: &str) -> String {
    match names {
        [] => none.to_owned(),
        [only] => format!("expected `{only}`"),
        [first, second] => format!("expected `{first}` or `{second}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("expected one of {}", quoted.join(", "))
        }
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, ReadError> {
        match value {
            Value::String(s) => Ok(s.clone()),
            other => Err(invalid_type(other, "a string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, ReadError> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(invalid_type(other, "a boolean")),
        }
    }
}

/// A whole number from 0 to `max`; `name` is the type's name in messages.
fn unsigned(value: &Value, max: u64, name: &str) -> Result<u64, ReadError> {
    match value {
        Value::Number(n) if n.is_f64() => Err(invalid_type(value, name)),
        Value::Number(n) => match n.as_u64() {
            Some(u) if u <= max => Ok(u),
            _ => Err(ReadError::new(format!("invalid value: integer `{n}`, expected {name}"))),
        },
        other => Err(invalid_type(other, name)),
    }
}

impl FromJson for u64 {
    fn from_json(value: &Value) -> Result<Self, ReadError> {
        unsigned(value, u64::MAX, "u64")
    }
}

impl FromJson for u32 {
    fn from_json(value: &Value) -> Result<Self, ReadError> {
        unsigned(value, u64::from(u32::MAX), "u32").map(|u| u as u32)
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value) -> Result<Self, ReadError> {
        match value {
            Value::Number(n) => Ok(n.as_f64().unwrap_or(f64::NAN)),
            other => Err(invalid_type(other, "f64")),
        }
    }
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Result<Self, ReadError> {
        Ok(value.clone())
    }
}

impl FromJson for Map<String, Value> {
    fn from_json(value: &Value) -> Result<Self, ReadError> {
        match value {
            Value::Object(map) => Ok(map.clone()),
            other => Err(invalid_type(other, "a map")),
        }
    }
}

/// `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Self, ReadError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, ReadError> {
        let Value::Array(items) = value else {
            return Err(invalid_type(value, "a sequence"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            out.push(T::from_json(item).map_err(|e| e.inside(Segment::Index(index)))?);
        }
        Ok(out)
    }
}

/// The members of an object being read as a struct.
pub struct Fields<'v> {
    members: &'v Map<String, Value>,
    /// The variant's name when these are a struct variant's data: failures go under it.
    within: Option<&'v str>,
}

impl<'v> Fields<'v> {
    /// The members of `value`, which must be an object with no member but the `known` ones.
    /// `what` names the struct in messages (`struct QueueSpec`).
    pub fn of(value: &'v Value, what: &str, known: &[&str]) -> Result<Self, ReadError> {
        let Value::Object(members) = value else {
            return Err(invalid_type(value, what));
        };
        if let Some(unknown) = members.keys().find(|key| !known.contains(&key.as_str())) {
            let message = format!(
                "unknown field `{unknown}`, {}",
                expected_names(known, "there are no fields")
            );
            return Err(ReadError::new(message).in_member(unknown));
        }
        Ok(Fields { members, within: None })
    }

    fn place(&self, error: ReadError) -> ReadError {
        match self.within {
            Some(name) => error.in_member(name),
            None => error,
        }
    }

    /// The member `key`, which must be there.
    pub fn required<T: FromJson>(&self, key: &str) -> Result<T, ReadError> {
        match self.members.get(key) {
            Some(value) => T::from_json(value).map_err(|e| self.place(e.in_member(key))),
            None => Err(self.place(ReadError::new(format!("missing field `{key}`")))),
        }
    }

    /// The member `key`, or `T`'s default when it is absent.
    pub fn or_default<T: FromJson + Default>(&self, key: &str) -> Result<T, ReadError> {
        self.or_else(key, T::default)
    }

    /// The member `key`, or `default()` when it is absent.
    pub fn or_else<T: FromJson>(&self, key: &str, default: impl FnOnce() -> T) -> Result<T, ReadError> {
        match self.members.get(key) {
            Some(value) => T::from_json(value).map_err(|e| self.place(e.in_member(key))),
            None => Ok(default()),
        }
    }
}

/// Implements [`FromJson`] for a struct read from an object, one line per field:
/// `name: required`, `name: or_default`, `name: or_else(function)`, and `name as "key": …` for a
/// member whose JSON name differs from the field's.
macro_rules! read_struct {
    ($type:ident { $($field:ident $(as $key:literal)? : $how:ident $(($default:expr))?),* $(,)? }) => {
        impl $crate::value_reader::FromJson for $type {
            fn from_json(value: &serde_json::Value) -> Result<Self, $crate::value_reader::ReadError> {
                let fields = $crate::value_reader::Fields::of(
                    value,
                    concat!("struct ", stringify!($type)),
                    &[$($crate::value_reader::read_struct!(@key $field $($key)?)),*],
                )?;
                Ok($type {
                    $($field: fields.$how($crate::value_reader::read_struct!(@key $field $($key)?) $(, $default)?)?,)*
                })
            }
        }
    };
    (@key $field:ident $key:literal) => { $key };
    (@key $field:ident) => { stringify!($field) };
}
pub(crate) use read_struct;

/// An enum's variant as written: `"name"` (no data) or `{"name": data}`. Checks the name is one
/// of `names`; a failure about the variant or its data is placed under its name when written
/// as an object.
pub struct Variant<'v> {
    pub name: &'v str,
    data: Option<&'v Value>,
}

impl<'v> Variant<'v> {
    pub fn of(value: &'v Value, names: &[&str]) -> Result<Self, ReadError> {
        let (name, data) = match value {
            Value::String(name) => (name.as_str(), None),
            Value::Object(members) if members.len() == 1 => {
                let (name, data) = members.iter().next().expect("one member");
                (name.as_str(), Some(data))
            }
            Value::Object(_) => {
                return Err(ReadError::new(
                    "invalid value: map, expected an object with exactly one member, the variant's name",
                ))
            }
            other => return Err(invalid_type(other, "a variant's name or an object")),
        };
        if !names.contains(&name) {
            let error = ReadError::new(format!(
                "unknown variant `{name}`, {}",
                expected_names(names, "there are no variants")
            ));
            return Err(match data {
                Some(_) => error.in_member(name),
                None => error,
            });
        }
        Ok(Variant { name, data })
    }

    /// A variant without data: `"name"` or `{"name": null}`.
    pub fn unit(&self) -> Result<(), ReadError> {
        match self.data {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(invalid_type(other, "null (a variant without data)").in_member(self.name)),
        }
    }

    /// A variant's data, read as a `T`.
    pub fn data<T: FromJson>(&self) -> Result<T, ReadError> {
        let value = self.data_value()?;
        T::from_json(value).map_err(|e| e.in_member(self.name))
    }

    /// A struct variant's data: an object with these `known` members (`what` names it in
    /// messages). Failures reading its members go under the variant's name.
    pub fn fields(&self, what: &str, known: &[&str]) -> Result<Fields<'v>, ReadError> {
        let value = self.data_value()?;
        let mut fields = Fields::of(value, what, known).map_err(|e| e.in_member(self.name))?;
        fields.within = Some(self.name);
        Ok(fields)
    }

    fn data_value(&self) -> Result<&'v Value, ReadError> {
        self.data.ok_or_else(|| {
            ReadError::new(format!(
                "the variant `{0}` carries data: write {{\"{0}\": …}}",
                self.name
            ))
        })
    }
}

/// Implements [`FromJson`] for an enum without data, written as one of its names:
/// `read_names!(Overflow { RejectPublish = "reject_publish", DropHead = "drop_head" })`.
macro_rules! read_names {
    ($type:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        impl $crate::value_reader::FromJson for $type {
            fn from_json(value: &serde_json::Value) -> Result<Self, $crate::value_reader::ReadError> {
                let variant = $crate::value_reader::Variant::of(value, &[$($name),*])?;
                variant.unit()?;
                match variant.name {
                    $($name => Ok($type::$variant),)*
                    other => Err($crate::value_reader::ReadError::new(format!("unknown variant `{other}`"))),
                }
            }
        }
    };
}
pub(crate) use read_names;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Inner {
        count: u32,
        label: Option<String>,
        kind: Kind,
    }
    read_struct!(Inner { count: required, label: or_default, kind as "type": or_else(|| Kind::Plain) });

    #[derive(Debug, PartialEq)]
    enum Kind {
        Plain,
        Fancy,
    }
    read_names!(Kind { Plain = "plain", Fancy = "fancy" });

    #[derive(Debug, PartialEq)]
    enum Shape {
        Point,
        Circle(f64),
        Box { width: u32 },
    }

    impl FromJson for Shape {
        fn from_json(value: &Value) -> Result<Self, ReadError> {
            let variant = Variant::of(value, &["point", "circle", "box"])?;
            match variant.name {
                "point" => variant.unit().map(|()| Shape::Point),
                "circle" => variant.data().map(Shape::Circle),
                _ => {
                    let fields = variant.fields("struct variant Shape::Box", &["width"])?;
                    Ok(Shape::Box {
                        width: fields.required("width")?,
                    })
                }
            }
        }
    }

    #[derive(Debug, PartialEq)]
    struct Outer {
        items: Vec<Inner>,
        shapes: Vec<Shape>,
        extra: Map<String, Value>,
        total: u64,
    }
    read_struct!(Outer {
        items: required,
        shapes: or_default,
        extra: or_default,
        total: or_default
    });

    fn read(value: Value) -> Result<Outer, ReadError> {
        from_value(&value)
    }

    #[test]
    fn reads_structs_lists_options_defaults_and_every_kind_of_variant() {
        let outer = read(json!({
            "items": [{"count": 3}, {"count": 0, "label": "x", "type": "fancy"}, {"count": 1, "label": null}],
            "shapes": ["point", {"point": null}, {"circle": 1.5}, {"box": {"width": 7}}],
            "extra": {"a": [1, {"b": null}]},
            "total": u64::MAX
        }))
        .unwrap();
        assert_eq!(
            outer.items,
            vec![
                Inner {
                    count: 3,
                    label: None,
                    kind: Kind::Plain
                },
                Inner {
                    count: 0,
                    label: Some("x".into()),
                    kind: Kind::Fancy
                },
                Inner {
                    count: 1,
                    label: None,
                    kind: Kind::Plain
                },
            ]
        );
        assert_eq!(
            outer.shapes,
            vec![Shape::Point, Shape::Point, Shape::Circle(1.5), Shape::Box { width: 7 }]
        );
        assert_eq!(Value::Object(outer.extra), json!({"a": [1, {"b": null}]}));
        assert_eq!(outer.total, u64::MAX);
        let defaults = read(json!({"items": []})).unwrap();
        assert_eq!((defaults.shapes.len(), defaults.extra.len(), defaults.total), (0, 0, 0));
    }

    #[test]
    fn a_failure_names_the_path_of_the_value_at_fault() {
        let base = || json!({"items": [{"count": 1}], "shapes": []});
        let cases = [
            (
                "/items/0/count",
                json!("many"),
                "items[0].count",
                "invalid type: string \"many\", expected u32",
            ),
            (
                "/items/0/count",
                json!(-1),
                "items[0].count",
                "invalid value: integer `-1`, expected u32",
            ),
            (
                "/items/0/count",
                json!(5_000_000_000u64),
                "items[0].count",
                "invalid value: integer `5000000000`, expected u32",
            ),
            (
                "/items/0/count",
                json!(1.5),
                "items[0].count",
                "invalid type: floating point `1.5`, expected u32",
            ),
            (
                "/items/0/count",
                json!(null),
                "items[0].count",
                "invalid type: null, expected u32",
            ),
            (
                "/items/0",
                json!({"count": 1, "label": true}),
                "items[0].label",
                "invalid type: boolean `true`, expected a string",
            ),
            (
                "/items/0",
                json!({"count": 1, "type": "odd"}),
                "items[0].type",
                "unknown variant `odd`, expected `plain` or `fancy`",
            ),
            (
                "/shapes",
                json!(["point", {"box": {"width": "w"}}]),
                "shapes[1].box.width",
                "invalid type: string \"w\", expected u32",
            ),
            (
                "/shapes",
                json!([{"box": {}}]),
                "shapes[0].box",
                "missing field `width`",
            ),
            (
                "/shapes",
                json!([{"box": {"width": 1, "height": 2}}]),
                "shapes[0].box.height",
                "unknown field `height`, expected `width`",
            ),
            (
                "/shapes",
                json!([{"box": [1]}]),
                "shapes[0].box",
                "invalid type: sequence, expected struct variant Shape::Box",
            ),
            (
                "/shapes",
                json!([{"hexagon": 1}]),
                "shapes[0].hexagon",
                "unknown variant `hexagon`, expected one of `point`, `circle`, `box`",
            ),
            ("/shapes", json!(["hexagon"]), "shapes[0]", "unknown variant `hexagon`"),
            (
                "/shapes",
                json!([{"circle": 1, "point": null}]),
                "shapes[0]",
                "exactly one member",
            ),
            (
                "/shapes",
                json!([{"point": 3}]),
                "shapes[0].point",
                "invalid type: integer `3`, expected null",
            ),
            (
                "/shapes",
                json!(["circle"]),
                "shapes[0]",
                "the variant `circle` carries data",
            ),
            (
                "/shapes",
                json!([7]),
                "shapes[0]",
                "invalid type: integer `7`, expected a variant's name or an object",
            ),
            (
                "/shapes",
                json!({"point": null}),
                "shapes",
                "invalid type: map, expected a sequence",
            ),
        ];
        for (pointer, replacement, path, message) in cases {
            let mut value = base();
            *value.pointer_mut(pointer).unwrap() = replacement;
            let error = read(value).unwrap_err();
            assert_eq!(error.path(), path, "{error}");
            assert!(error.message().contains(message), "{error} (wanted {message:?})");
            assert_eq!(error.to_string(), format!("{path}: {}", error.message()));
        }
    }

    #[test]
    fn an_unknown_or_missing_field_is_reported_where_it_belongs() {
        let error = read(json!({"items": [{"count": 1, "colour": "red"}]})).unwrap_err();
        assert_eq!(error.path(), "items[0].colour");
        assert_eq!(
            error.message(),
            "unknown field `colour`, expected one of `count`, `label`, `type`"
        );

        let error = read(json!({"items": [{}]})).unwrap_err();
        assert_eq!(error.path(), "items[0]");
        assert_eq!(error.message(), "missing field `count`");

        // Structs are objects and lists are arrays, nothing else.
        let error = read(json!({"items": [[3, null]]})).unwrap_err();
        assert_eq!(error.path(), "items[0]");
        assert_eq!(error.message(), "invalid type: sequence, expected struct Inner");

        let error = read(json!(true)).unwrap_err();
        assert_eq!(error.path(), "");
        assert_eq!(error.to_string(), "invalid type: boolean `true`, expected struct Outer");
    }
}
