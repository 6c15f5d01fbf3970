//! Writes the scenario format as compact JSON text.
//!
//! The counterpart of `value_reader`, for the same reason: serde's derived `Serialize` for the
//! scenario's types was about 14 KB of the wasm. Here each type writes its members with one
//! call apiece (`json_struct!` and `json_names!` declare a type's reading and writing from
//! one list; `write_struct!` writes only). Members come out in declaration order and
//! empty ones are left out exactly where the format leaves them out, so the text is the same as
//! before. Everything that writes the format (`Scenario::to_json`, share links, the builder)
//! goes through [`to_text`].

use crate::time::SimDuration;
use serde_json::{Map, Value};
use std::fmt::Write;

/// A type that writes itself as JSON.
pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

/// Compact JSON text for `value`.
pub fn to_text<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::with_capacity(256);
    value.write_json(&mut out);
    out
}

/// `text` as a JSON string, quoted and escaped.
pub fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_string(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_string(out, self);
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        u64::from(*self).write_json(out);
    }
}

/// Written as text: `"250ms"`.
impl ToJson for SimDuration {
    fn write_json(&self, out: &mut String) {
        write_string(out, &self.to_string());
    }
}

/// Free-form JSON (payloads, event data) goes through serde_json, floats written exactly.
impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        out.push_str(&crate::json_text::to_string(self).unwrap_or_default());
    }
}

impl ToJson for Map<String, Value> {
    fn write_json(&self, out: &mut String) {
        out.push_str(&crate::json_text::to_string(self).unwrap_or_default());
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

/// An object being written, member by member.
pub struct Object<'o> {
    out: &'o mut String,
    empty: bool,
}

impl<'o> Object<'o> {
    pub fn open(out: &'o mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    pub fn member<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(self.out, key);
        self.out.push(':');
        value.write_json(self.out);
    }

    pub fn close(self) {
        self.out.push('}');
    }
}

/// An enum variant with data: `{"name": data}`.
pub fn write_variant<T: ToJson + ?Sized>(out: &mut String, name: &str, data: &T) {
    let mut object = Object::open(out);
    object.member(name, data);
    object.close();
}

/// A struct variant: `{"name": {members}}`.
pub fn struct_variant(out: &mut String, name: &str, members: impl FnOnce(&mut Object<'_>)) {
    out.push('{');
    write_string(out, name);
    out.push(':');
    let mut object = Object::open(out);
    members(&mut object);
    object.close();
    out.push('}');
}

/// Writes the members of a struct value, in this order, each left out when the function after
/// `unless` says so; `as "key"` for a member whose JSON name differs from the field's.
macro_rules! write_members {
    ($out:expr, $value:expr, { $($field:ident $(as $key:literal)? $(unless $skip:path)?),* $(,)? }) => {{
        let value = $value;
        let mut object = $crate::value_writer::Object::open($out);
        $(
            if !(false $(|| $skip(&value.$field))?) {
                object.member($crate::value_writer::write_members!(@key $field $($key)?), &value.$field);
            }
        )*
        object.close();
    }};
    (@key $field:ident $key:literal) => { $key };
    (@key $field:ident) => { stringify!($field) };
}
pub(crate) use write_members;

/// Implements [`ToJson`] for a struct written as an object (see [`write_members!`]).
macro_rules! write_struct {
    ($type:ident $members:tt) => {
        impl $crate::value_writer::ToJson for $type {
            fn write_json(&self, out: &mut String) {
                $crate::value_writer::write_members!(out, self, $members);
            }
        }
    };
}
pub(crate) use write_struct;

/// Implements [`ToJson`] for an enum without data, written as one of its names.
macro_rules! write_names {
    ($type:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        impl $crate::value_writer::ToJson for $type {
            fn write_json(&self, out: &mut String) {
                $crate::value_writer::write_string(out, match self { $($type::$variant => $name,)* });
            }
        }
    };
}
pub(crate) use write_names;

/// Implements both [`FromJson`](crate::value_reader::FromJson) and [`ToJson`] for a struct from
/// one list of its fields, so that reading and writing cannot drift apart: each entry is how the
/// field is read (`required`, `or_default`, `or_else(function)`, see
/// `read_struct!`(crate::value_reader::read_struct)), then optionally `unless predicate` for when
/// writing leaves it out. The writer names every field in a pattern, so a field missing from the
/// list does not compile.
macro_rules! json_struct {
    ($type:ident { $($field:ident $(as $key:literal)? : $how:ident $(($default:expr))? $(unless $skip:path)?),* $(,)? }) => {
        $crate::value_reader::read_struct!($type { $($field $(as $key)? : $how $(($default))?),* });
        impl $crate::value_writer::ToJson for $type {
            fn write_json(&self, out: &mut String) {
                let $type { $($field),* } = self;
                let mut object = $crate::value_writer::Object::open(out);
                $(
                    if !(false $(|| $skip($field))?) {
                        object.member($crate::value_writer::write_members!(@key $field $($key)?), $field);
                    }
                )*
                object.close();
            }
        }
    };
}
pub(crate) use json_struct;

/// Implements both reading and writing for an enum without data, written as one of its names.
macro_rules! json_names {
    ($type:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        $crate::value_reader::read_names!($type { $($variant = $name),* });
        $crate::value_writer::write_names!($type { $($variant = $name),* });
    };
}
pub(crate) use json_names;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Inner {
        count: u32,
        label: Option<String>,
        tags: Vec<String>,
    }
    write_struct!(Inner { count, label unless Option::is_none, tags as "tag_list" unless Vec::is_empty });

    #[test]
    fn writes_members_in_order_and_leaves_out_the_empty_ones() {
        let full = Inner {
            count: 3,
            label: Some("a \"quoted\" \\ label\n\t\u{1}é".into()),
            tags: vec!["x".into()],
        };
        let text = to_text(&full);
        assert_eq!(
            text,
            serde_json::to_string(&json!({"count": 3, "label": "a \"quoted\" \\ label\n\t\u{1}é", "tag_list": ["x"]}))
                .unwrap()
        );
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed,
            json!({"count": 3, "label": "a \"quoted\" \\ label\n\t\u{1}é", "tag_list": ["x"]})
        );
        let bare = Inner {
            count: 0,
            label: None,
            tags: Vec::new(),
        };
        assert_eq!(to_text(&bare), r#"{"count":0}"#);
        let mut out = String::new();
        write_variant(&mut out, "constant", &SimDuration::from_millis(5));
        assert_eq!(out, r#"{"constant":"5ms"}"#);
        assert_eq!(to_text(&vec![Some(1u64), None]), "[1,null]");
        assert_eq!(to_text(&json!({"f": 0.1, "n": [1, -2]})), r#"{"f":0.1,"n":[1,-2]}"#);
    }
}
