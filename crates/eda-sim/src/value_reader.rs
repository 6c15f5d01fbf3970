//! Reads typed data out of a parsed JSON value and, when that fails, names the JSON path of the
//! value at fault (`broker.consumers[0].queue`).
//!
//! Why not `serde_path_to_error`: it gives the same paths, but by wrapping every type's visitor
//! and seed, which doubled the scenario reader in the wasm (about 150 KB of the page's code).
//! This reader is a plain `serde::Deserializer` over `&Value`; it does nothing extra while
//! reading and builds the path only on the way out of a failure, one segment per level.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Unexpected, Visitor};
use serde::Deserialize;
use serde_json::Value;
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

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ReadError(Box::new(Failure {
            segments_reversed: Vec::new(),
            message: message.to_string(),
        }))
    }
}

/// Reads a `T` out of `value`; a failure carries the path of the value at fault.
pub fn from_value<'de, T: Deserialize<'de>>(value: &'de Value) -> Result<T, ReadError> {
    T::deserialize(Reader { value })
}

/// The deserializer: one JSON value, read in place.
struct Reader<'de> {
    value: &'de Value,
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// Deserializer methods that expect a single value (not an array or an object).
macro_rules! scalars {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
                self.scalar(visitor)
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Reader<'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Value::Array(_) => self.array(visitor),
            Value::Object(_) => self.object(visitor),
            _ => self.scalar(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.value {
            Value::String(name) => visitor.visit_enum(name.as_str().into_deserializer()),
            Value::Object(map) if map.len() == 1 => {
                let (name, value) = map.iter().next().expect("one member");
                visitor.visit_enum(Variant { name, value })
            }
            Value::Object(_) => Err(de::Error::invalid_value(
                Unexpected::Map,
                &"an object with exactly one member, the variant's name",
            )),
            other => Err(de::Error::invalid_type(
                unexpected(other),
                &"a variant's name or an object",
            )),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.array(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, ReadError> {
        self.array(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.array(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.object(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.object(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, ReadError> {
        self.scalar(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_any(visitor)
    }

    scalars! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_unit deserialize_identifier
    }
}

// Each kind of JSON value is handed only to the visitor method for it: a struct is read from an
// object only, a list from an array only. Never calling a struct's `visit_seq` (serde derives
// one for every struct) leaves it out of the wasm.
impl<'de> Reader<'de> {
    fn scalar<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn array<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let Value::Array(items) = self.value else {
            return Err(de::Error::invalid_type(unexpected(self.value), &visitor));
        };
        let mut elements = Elements {
            items: items.iter(),
            index: 0,
        };
        let read = visitor.visit_seq(&mut elements)?;
        match elements.items.len() {
            0 => Ok(read),
            _ => Err(de::Error::invalid_length(items.len(), &"fewer elements in the array")),
        }
    }

    fn object<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let Value::Object(map) = self.value else {
            return Err(de::Error::invalid_type(unexpected(self.value), &visitor));
        };
        visitor.visit_map(Members {
            members: map.iter(),
            pending: None,
        })
    }
}

/// The elements of an array, each read with its index on the path.
struct Elements<'de> {
    items: std::slice::Iter<'de, Value>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for &mut Elements<'de> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ReadError> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Reader { value })
            .map(Some)
            .map_err(|e| e.inside(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The members of an object, each read with its key on the path.
struct Members<'de> {
    members: serde_json::map::Iter<'de>,
    pending: Option<(&'de str, &'de Value)>,
}

impl<'de> de::MapAccess<'de> for Members<'de> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ReadError> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.pending = Some((key.as_str(), value));
        // An unknown or misplaced key is reported at its own path.
        seed.deserialize(BorrowedStrDeserializer::<ReadError>::new(key))
            .map(Some)
            .map_err(|e| e.inside(Segment::Key(key.clone())))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let (key, value) = self
            .pending
            .take()
            .ok_or_else(|| <ReadError as de::Error>::custom("a value was asked for before its key"))?;
        seed.deserialize(Reader { value })
            .map_err(|e| e.inside(Segment::Key(key.to_owned())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// An enum written `{"variant": value}`.
struct Variant<'de> {
    name: &'de str,
    value: &'de Value,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
    type Error = ReadError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), ReadError> {
        let variant = seed
            .deserialize(BorrowedStrDeserializer::<ReadError>::new(self.name))
            .map_err(|e| e.inside(Segment::Key(self.name.to_owned())))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'de> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        match self.value {
            Value::Null => Ok(()),
            other => Err(
                <ReadError as de::Error>::invalid_type(unexpected(other), &"null (a variant without data)")
                    .inside(Segment::Key(self.name.to_owned())),
            ),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ReadError> {
        seed.deserialize(Reader { value: self.value })
            .map_err(|e| e.inside(Segment::Key(self.name.to_owned())))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, ReadError> {
        Reader { value: self.value }
            .array(visitor)
            .map_err(|e| e.inside(Segment::Key(self.name.to_owned())))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        Reader { value: self.value }
            .object(visitor)
            .map_err(|e| e.inside(Segment::Key(self.name.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        count: u32,
        #[serde(default)]
        label: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Point,
        Circle(f64),
        Pair(u8, u8),
        Box { width: u32 },
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        items: Vec<Inner>,
        shapes: Vec<Shape>,
        names: BTreeMap<String, i64>,
    }

    fn read(value: Value) -> Result<Outer, ReadError> {
        from_value(&value)
    }

    #[test]
    fn reads_every_shape_serde_derives() {
        let outer = read(json!({
            "items": [{"count": 3}, {"count": 0, "label": "x"}],
            "shapes": ["point", {"circle": 1.5}, {"pair": [1, 2]}, {"box": {"width": 7}}],
            "names": {"a": -4}
        }))
        .unwrap();
        assert_eq!(outer.items[1].label.as_deref(), Some("x"));
        assert_eq!(
            outer.shapes,
            vec![
                Shape::Point,
                Shape::Circle(1.5),
                Shape::Pair(1, 2),
                Shape::Box { width: 7 }
            ]
        );
        assert_eq!(outer.names["a"], -4);
    }

    #[test]
    fn a_failure_names_the_path_of_the_value_at_fault() {
        let base = || json!({"items": [{"count": 1}], "shapes": [], "names": {}});
        let cases = [
            (
                "/items/0/count",
                json!("many"),
                "items[0].count",
                "invalid type: string \"many\"",
            ),
            (
                "/items/0/count",
                json!(-1),
                "items[0].count",
                "invalid value: integer `-1`",
            ),
            (
                "/shapes",
                json!(["point", {"box": {"width": "w"}}]),
                "shapes[1].box.width",
                "invalid type",
            ),
            (
                "/shapes",
                json!([{"hexagon": 1}]),
                "shapes[0].hexagon",
                "unknown variant `hexagon`",
            ),
            (
                "/shapes",
                json!([{"circle": 1, "point": null}]),
                "shapes[0]",
                "exactly one member",
            ),
            (
                "/shapes",
                json!([{"pair": [1, 2, 3]}]),
                "shapes[0].pair",
                "fewer elements",
            ),
            (
                "/names",
                json!({"b": 1.5}),
                "names.b",
                "invalid type: floating point `1.5`",
            ),
        ];
        for (pointer, replacement, path, message) in cases {
            let mut value = base();
            *value.pointer_mut(pointer).unwrap() = replacement;
            let error = read(value).unwrap_err();
            assert_eq!(error.path(), path, "{error}");
            assert!(error.message().contains(message), "{error}");
            assert_eq!(error.to_string(), format!("{path}: {}", error.message()));
        }
    }

    #[test]
    fn an_unknown_or_missing_field_is_reported_where_it_belongs() {
        let value = json!({"items": [{"count": 1, "colour": "red"}], "shapes": [], "names": {}});
        let error = read(value).unwrap_err();
        assert_eq!(error.path(), "items[0].colour");
        assert!(error.message().contains("unknown field `colour`"), "{error}");

        let value = json!({"items": [{}], "shapes": [], "names": {}});
        let error = read(value).unwrap_err();
        assert_eq!(error.path(), "items[0]");
        assert!(error.message().contains("missing field `count`"), "{error}");

        // Structs are objects and lists are arrays, nothing else.
        let value = json!({"items": [[3, null]], "shapes": [], "names": {}});
        let error = read(value).unwrap_err();
        assert_eq!(error.path(), "items[0]");
        assert!(
            error
                .message()
                .contains("invalid type: sequence, expected struct Inner"),
            "{error}"
        );
        let error = read(json!({"items": {"count": 1}, "shapes": [], "names": {}})).unwrap_err();
        assert_eq!(error.path(), "items");
        assert!(
            error.message().contains("invalid type: map, expected a sequence"),
            "{error}"
        );

        let error = read(json!(true)).unwrap_err();
        assert_eq!(error.path(), "");
        assert_eq!(error.to_string(), error.message());
    }
}
