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

/// Parses JSON text (the one way the program parses JSON).
pub fn parse(text: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_slice(text)
}

/// Compact JSON text for `value`, through serde (free-form JSON: payloads, event data, trace
/// records). The scenario format itself is written by `value_writer`.
///
/// Numbers with a fraction are written by the standard library's shortest exact formatting, which
/// the program already carries for its own text, instead of a second float printer and its tables.
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(128);
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, ShortestFloats))?;
    // The serializer writes only UTF-8 (strings come from `&str`, the rest is ASCII).
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// serde_json's compact layout, with floats written by [`float`].
struct ShortestFloats;

impl serde_json::ser::Formatter for ShortestFloats {
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, value: f64) -> std::io::Result<()> {
        writer.write_all(float(value).as_bytes())
    }

    fn write_f32<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, value: f32) -> std::io::Result<()> {
        writer.write_all(float(f64::from(value)).as_bytes())
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
