//! Parses JSON text into a value, writes values as JSON with exact floats, reads numbers typed
//! by users, and pretty-prints compact JSON text without parsing it.
//!
//! Every parse goes through [`parse`]: serde_json's parser is generic over its input, and
//! parsing both `&str` and `&[u8]` put two copies of it in the wasm.
//!
//! serde_json's pretty printer is a second serializer type, so printing a scenario both ways
//! put two copies of the scenario's serializer in the wasm; going through a `Value` instead
//! would sort every object's keys. Re-indenting the compact text keeps one serializer and the
//! fields in declaration order, with the same layout as `serde_json::to_string_pretty`.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Parses JSON text (the one way the program parses JSON), reading every number exactly.
///
/// serde_json checks the text (syntax, UTF-8, escapes) and reports any error with its line and
/// column; then [`Walker`] builds the value from the checked text, converting numbers with
/// [`crate::decimal`], which rounds exactly. serde_json's own exact reader (`float_roundtrip`)
/// and its generic value builder came to about 8 KB gzip more in the wasm. The tests compare
/// this with serde_json's exact reader on random documents.
pub fn parse(text: &[u8]) -> Result<Value, serde_json::Error> {
    let checked: &RawValue = serde_json::from_slice(text)?;
    let offset = (checked.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    Walker {
        text: checked.get(),
        at: 0,
        document: text,
        offset,
    }
    .value(0)
}

/// Objects and arrays nested deeper than this are refused, as serde_json's own reader does.
const NESTING_MAX: usize = 127;

/// Builds a value from JSON text that serde_json has checked, so it only looks for where each
/// part ends. What the check leaves is reported here, with serde_json's messages: numbers
/// beyond the range of `f64`, unpaired UTF-16 surrogates in `\u` escapes, and nesting deeper
/// than serde_json's limit.
struct Walker<'a> {
    /// The checked value's text.
    text: &'a str,
    at: usize,
    /// The whole document, where `text` starts at `offset` (for error positions).
    document: &'a [u8],
    offset: usize,
}

impl Walker<'_> {
    fn byte(&self) -> u8 {
        self.text.as_bytes().get(self.at).copied().unwrap_or(0)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.byte(), b' ' | b'\n' | b'\r' | b'\t') {
            self.at += 1;
        }
    }

    /// An error as serde_json words it, placed just before byte `at` of the value's text.
    fn error(&self, at: usize, message: &str) -> serde_json::Error {
        let end = (self.offset + at).min(self.document.len());
        let before = &self.document[..end];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        serde::de::Error::custom(format!("{message} at line {line} column {}", end - line_start))
    }

    fn value(&mut self, depth: usize) -> Result<Value, serde_json::Error> {
        self.skip_whitespace();
        let start = self.at;
        let close = match self.byte() {
            b'"' => return self.string().map(Value::String),
            b't' => {
                self.at += 4;
                return Ok(Value::Bool(true));
            }
            b'n' => {
                self.at += 4;
                return Ok(Value::Null);
            }
            b'f' => {
                self.at += 5;
                return Ok(Value::Bool(false));
            }
            b'{' => b'}',
            b'[' => b']',
            _ => {
                while matches!(self.byte(), b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                    self.at += 1;
                }
                // Always move on, even were the text not checked.
                self.at = self.at.max(start + 1);
                let number = self.text.get(start..self.at).unwrap_or_default();
                return json_number(number).ok_or_else(|| self.error(self.at, "number out of range"));
            }
        };
        if depth >= NESTING_MAX {
            return Err(self.error(start + 1, "recursion limit exceeded"));
        }
        self.at += 1;
        let mut object = Map::new();
        let mut array = Vec::new();
        // (Checked text always has the closing bracket; the loop's condition keeps a mistake
        // here from becoming an endless loop.)
        while self.at < self.text.len() {
            self.skip_whitespace();
            match self.byte() {
                b',' => self.at += 1,
                byte if byte == close => break,
                _ if close == b'}' => {
                    let key = self.string()?;
                    self.skip_whitespace();
                    self.at += 1; // the colon
                                  // A repeated key keeps its last value, as serde_json's own reader does.
                    object.insert(key, self.value(depth + 1)?);
                }
                _ => array.push(self.value(depth + 1)?),
            }
        }
        self.at += 1;
        Ok(if close == b'}' {
            Value::Object(object)
        } else {
            Value::Array(array)
        })
    }

    /// The string starting at the current quote, unescaped.
    fn string(&mut self) -> Result<String, serde_json::Error> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let run = self.at;
            while self.at < self.text.len() && !matches!(self.byte(), b'"' | b'\\') {
                self.at += 1;
            }
            out.push_str(self.text.get(run..self.at).unwrap_or_default());
            let stop = self.byte();
            self.at += 1;
            if stop != b'\\' {
                // The closing quote (or, were the text not checked, its end).
                return Ok(out);
            }
            let escape = self.byte();
            self.at += 1;
            match escape {
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => out.push(self.unicode_escape()?),
                quoted => out.push(char::from(quoted)),
            }
        }
    }

    /// The character of a `\u` escape whose four hex digits come next, with its pair when it
    /// is a leading surrogate; an unpaired surrogate is an error, placed where serde_json
    /// places it.
    fn unicode_escape(&mut self) -> Result<char, serde_json::Error> {
        let leading = self.hex4();
        if (0xDC00..=0xDFFF).contains(&leading) {
            return Err(self.error(self.at, "lone leading surrogate in hex escape"));
        }
        if !(0xD800..=0xDBFF).contains(&leading) {
            return Ok(char::from_u32(leading).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        for expected in [b'\\', b'u'] {
            self.at += 1;
            if self.text.as_bytes().get(self.at - 1) != Some(&expected) {
                return Err(self.error(self.at, "unexpected end of hex escape"));
            }
        }
        let trailing = self.hex4();
        if !(0xDC00..=0xDFFF).contains(&trailing) {
            return Err(self.error(self.at, "lone leading surrogate in hex escape"));
        }
        let code = 0x1_0000 + ((leading - 0xD800) << 10) + (trailing - 0xDC00);
        Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    fn hex4(&mut self) -> u32 {
        let digits = self.text.get(self.at..self.at + 4).unwrap_or("");
        self.at += 4;
        digits.chars().fold(0, |n, c| n * 16 + c.to_digit(16).unwrap_or(0))
    }
}

/// A JSON number as serde_json reads it: an integer when it has no fraction or exponent and
/// fits `u64` (or `i64` when negative, except `-0`), otherwise a float; `None` past the range of
/// `f64`.
fn json_number(text: &str) -> Option<Value> {
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(n) = text.parse::<u64>() {
            return Some(Value::from(n));
        }
        if let Ok(n) = text.parse::<i64>() {
            if n != 0 {
                return Some(Value::from(n));
            }
        }
    }
    crate::decimal::to_f64(text).map(Value::from)
}

/// Compact JSON text for `value`, through serde (free-form JSON: payloads, event data, trace
/// records), laid out exactly as `serde_json::to_string` lays it out. The scenario format itself
/// is written by `value_writer`.
///
/// [`Writer`] is a small serializer of its own: serde_json's, instantiated for every trace
/// record kind the inspector shows, checked for an I/O error after every field, came to about
/// 4 KB gzip more in the wasm. Floats are written by [`float`] (the standard library's shortest
/// exact formatting, which the program carries anyway, instead of a second float printer).
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut writer = Writer {
        out: String::with_capacity(128),
        in_key: false,
    };
    match value.serialize(&mut writer) {
        Ok(()) => Ok(writer.out),
        Err(WriteError) => Err(serde::ser::Error::custom(WRITE_ERROR)),
    }
}

/// Writes serde's data model as compact JSON into `out`, as serde_json does: structs and maps
/// as objects, enums externally tagged (`"Unit"`, `{"Variant":…}`), `None` and units as
/// `null`, non-finite floats as `null`, map keys as strings (numbers quoted).
struct Writer {
    out: String,
    /// Writing a map key, where numbers are quoted.
    in_key: bool,
}

/// What a value's `Serialize` may report: something serde's data model has and JSON does not
/// (a `u128`). Writing itself never fails. Empty, so that checking after each field costs next
/// to nothing. (Map keys are written as strings, numbers quoted; the program's maps have string
/// or unit-variant keys, and the tests compare every type it writes with serde_json's text.)
#[derive(Debug)]
struct WriteError;

const WRITE_ERROR: &str = "the value cannot be written as JSON";

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(WRITE_ERROR)
    }
}

impl std::error::Error for WriteError {}

impl serde::ser::Error for WriteError {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        WriteError
    }
}

// The helpers stay out of line: the inspector writes every kind of trace record, a few hundred
// fields, and each field's call site should be a call, not a copy of the writing.
impl Writer {
    /// A comma unless this is the first element or member of its array or object.
    #[inline(never)]
    fn separate(&mut self) {
        if !self.out.ends_with(['[', '{']) {
            self.out.push(',');
        }
    }

    /// A struct member's name and colon.
    #[inline(never)]
    fn member(&mut self, name: &str) {
        self.separate();
        self.string(name);
        self.out.push(':');
    }

    #[inline(never)]
    fn unsigned(&mut self, value: u64) -> Result<(), WriteError> {
        self.digits(value.to_string())
    }

    #[inline(never)]
    fn signed(&mut self, value: i64) -> Result<(), WriteError> {
        self.digits(value.to_string())
    }

    fn digits(&mut self, digits: String) -> Result<(), WriteError> {
        if self.in_key {
            self.string(&digits);
        } else {
            self.out.push_str(&digits);
        }
        Ok(())
    }

    /// A JSON string, escaped as serde_json escapes it.
    #[inline(never)]
    fn string(&mut self, text: &str) {
        self.out.push('"');
        for c in text.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                c if c < ' ' => self.out.push_str(&format!("\\u{:04x}", c as u32)),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    /// Opens `{"variant":` for an enum variant with content.
    #[inline(never)]
    fn tag(&mut self, variant: &str) {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
    }
}

macro_rules! write_integers {
    ($($method:ident: $ty:ty => $writer:ident as $wide:ty),*) => {
        $(fn $method(self, value: $ty) -> Result<(), WriteError> {
            self.$writer(<$wide>::from(value))
        })*
    };
}

impl serde::Serializer for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    write_integers!(serialize_i8: i8 => signed as i64, serialize_i16: i16 => signed as i64,
        serialize_i32: i32 => signed as i64, serialize_i64: i64 => signed as i64,
        serialize_u8: u8 => unsigned as u64, serialize_u16: u16 => unsigned as u64,
        serialize_u32: u32 => unsigned as u64, serialize_u64: u64 => unsigned as u64);

    fn serialize_bool(self, value: bool) -> Result<(), WriteError> {
        let text = if value { "true" } else { "false" };
        if self.in_key {
            self.string(text);
        } else {
            self.out.push_str(text);
        }
        Ok(())
    }
    fn serialize_f32(self, value: f32) -> Result<(), WriteError> {
        self.serialize_f64(f64::from(value))
    }
    fn serialize_f64(self, value: f64) -> Result<(), WriteError> {
        match (value.is_finite(), self.in_key) {
            (false, _) => self.out.push_str("null"),
            (true, false) => self.out.push_str(&float(value)),
            (true, true) => self.string(&float(value)),
        }
        Ok(())
    }
    fn serialize_char(self, value: char) -> Result<(), WriteError> {
        self.string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, value: &str) -> Result<(), WriteError> {
        self.string(value);
        Ok(())
    }
    fn serialize_bytes(self, value: &[u8]) -> Result<(), WriteError> {
        use serde::ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), WriteError> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + serde::Serialize>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), WriteError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), WriteError> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.tag(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, WriteError> {
        self.out.push('[');
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, WriteError> {
        self.tag(variant);
        self.out.push('[');
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, WriteError> {
        self.out.push('{');
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self, WriteError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, WriteError> {
        self.tag(variant);
        self.out.push('{');
        Ok(self)
    }
}

/// Elements of arrays and members of objects, and how each kind closes: `]`, `}`, and for a
/// tuple or struct variant also the object that tags it (`]}`, `}}`).
macro_rules! write_compound {
    ($trait:ident, $method:ident, $close:literal $(, $key:ident)?) => {
        impl serde::ser::$trait for &mut Writer {
            type Ok = ();
            type Error = WriteError;
            fn $method<T: ?Sized + serde::Serialize>(
                &mut self,
                $($key: &'static str,)?
                value: &T,
            ) -> Result<(), WriteError> {
                write_compound!(@open self $(, $key)?);
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), WriteError> {
                self.out.push_str($close);
                Ok(())
            }
        }
    };
    (@open $writer:ident) => {
        $writer.separate()
    };
    (@open $writer:ident, $key:ident) => {
        $writer.member($key)
    };
}

write_compound!(SerializeSeq, serialize_element, "]");
write_compound!(SerializeTuple, serialize_element, "]");
write_compound!(SerializeTupleStruct, serialize_field, "]");
write_compound!(SerializeTupleVariant, serialize_field, "]}");
write_compound!(SerializeStruct, serialize_field, "}", key);
write_compound!(SerializeStructVariant, serialize_field, "}}", key);

impl serde::ser::SerializeMap for &mut Writer {
    type Ok = ();
    type Error = WriteError;
    fn serialize_key<T: ?Sized + serde::Serialize>(&mut self, key: &T) -> Result<(), WriteError> {
        self.separate();
        self.in_key = true;
        let written = key.serialize(&mut **self);
        self.in_key = false;
        self.out.push(':');
        written
    }
    fn serialize_value<T: ?Sized + serde::Serialize>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), WriteError> {
        self.out.push('}');
        Ok(())
    }
}

/// A finite float as a JSON number that reads back to exactly the same value: the shortest
/// digits, always with a fraction or an exponent (so it reads back as a float, not an integer),
/// and in exponent form when very large or very small (`1e-7`, `2.5e21`).
pub fn float(value: f64) -> String {
    let size = value.abs();
    if size != 0.0 && !(1e-5..1e16).contains(&size) {
        return format!("{value:e}");
    }
    let mut text = format!("{value}");
    if !text.contains('.') {
        text.push_str(".0");
    }
    text
}

/// Reads a decimal number typed by a user: `12`, `0.5`, `.5`, `5.`, `+2`, `007`, `1e3`, `-2.5E-3`,
/// surrounding spaces allowed; anything else (`1 2`, `inf`, `0x10`, `1,5`) is `None`.
///
/// The text is put in JSON's number grammar and read by the JSON parser, which is exact: the
/// program then carries one decimal-to-float converter (and its tables) rather than two.
pub fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let mut json = format!("{sign}{}", if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        json.push('.');
        json.push_str(fraction);
    }
    if let Some(exponent) = exponent {
        let exponent_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if exponent_digits.is_empty() || !digits(exponent_digits) {
            return None;
        }
        json.push('e');
        json.push_str(exponent);
    }
    parse(json.as_bytes()).ok()?.as_f64()
}

/// `compact` (valid JSON without insignificant whitespace) laid out with two-space indents.
pub fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // An empty object or array stays on one line: `{}`, `[]`.
                if matches!(chars.peek(), Some('}') | Some(']')) {
                    out.push(chars.next().unwrap_or(']'));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{float, indent, number, to_string};
    use serde_json::{json, Value};

    #[test]
    fn typed_numbers_are_read_exactly_and_anything_else_is_refused() {
        for (text, value) in [
            ("12", 12.0),
            (" 0.5 ", 0.5),
            (".5", 0.5),
            ("-.25", -0.25),
            ("+2", 2.0),
            ("1e3", 1000.0),
            ("2.5E-3", 0.0025),
            ("0.30000000000000004", 0.30000000000000004),
            ("007", 7.0),
            ("5.", 5.0),
            ("1.e3", 1000.0),
            ("-0", 0.0),
            ("0.000", 0.0),
        ] {
            assert_eq!(number(text), Some(value), "{text:?}");
        }
        for text in [
            "", " ", "abc", "1 2", "\"1\"", "[1]", "1,5", "inf", "NaN", "0x10", "1e", "1e+", "--1", "-+1", ".", "-",
            "+", "1.2.3", "1e5e5", "e5", "1e400",
        ] {
            assert_eq!(number(text), None, "{text:?}");
        }
    }

    #[test]
    fn floats_are_written_exactly_and_stay_floats() {
        let samples = [
            0.0,
            -0.0,
            1.0,
            -5.0,
            0.1,
            0.5,
            12.25,
            1e-5,
            9.99e-6,
            1e-7,
            -1.5e-7,
            123456789.125,
            9999999999999998.0,
            1e16,
            2.5e21,
            1e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.30000000000000004,
            std::f64::consts::PI,
        ];
        for value in samples {
            let text = float(value);
            assert!(
                text.contains('.') || text.contains('e'),
                "{text} would read back as an integer"
            );
            let back: Value = serde_json::from_str(&text).unwrap();
            assert!(back.is_f64(), "{text}");
            assert_eq!(back.as_f64().unwrap().to_bits(), value.to_bits(), "{text}");
        }
        assert_eq!(float(0.5), "0.5");
        assert_eq!(float(3.0), "3.0");
        assert_eq!(float(1e-7), "1e-7");
        assert_eq!(
            to_string(&json!({"a": [1, -2.5, 1e300, null, "x"]})).unwrap(),
            r#"{"a":[1,-2.5,1e300,null,"x"]}"#
        );
    }

    #[test]
    fn lays_out_json_exactly_as_serde_json_does() {
        let samples = [
            json!({"a": [1, 2, {"b": []}], "c": {}, "d": "x, y: {z} [w]", "e": null, "f": -1.5e-7}),
            json!(["quote \" and backslash \\", "\\\"", "tab\tnew\nline", "ünïcödé →"]),
            json!([]),
            json!({}),
            json!("plain"),
            json!([[[]], [{}], {"k": {"k": {"k": [true, false]}}}]),
        ];
        for value in samples {
            let compact = to_string(&value).unwrap();
            assert_eq!(compact, serde_json::to_string(&value).unwrap());
            assert_eq!(
                indent(&compact),
                serde_json::to_string_pretty(&value).unwrap(),
                "{compact}"
            );
            assert_eq!(serde_json::from_str::<Value>(&indent(&compact)).unwrap(), value);
        }
    }
}
