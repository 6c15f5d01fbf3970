//! Parses JSON text into a value, and pretty-prints compact JSON text without parsing it.
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
    use super::indent;
    use serde_json::{json, Value};

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
            let compact = serde_json::to_string(&value).unwrap();
            assert_eq!(
                indent(&compact),
                serde_json::to_string_pretty(&value).unwrap(),
                "{compact}"
            );
            assert_eq!(serde_json::from_str::<Value>(&indent(&compact)).unwrap(), value);
        }
    }
}
