//! Names and values quoted in messages (`"like this"`), escaped as `{:?}` escapes text:
//! quotes, backslashes and control characters. `{:?}` on text brought the standard library's
//! tables of printable Unicode characters into the wasm (about 2 KB gzip); these do without,
//! and leave every other character as it is.

use std::fmt::{self, Write};

/// Text in double quotes, for `{}` in a message.
pub struct Quoted<'a>(pub &'a str);

/// A character in single quotes, for `{}` in a message.
pub struct QuotedChar(pub char);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_quoted(f, self.0, '"')
    }
}

impl fmt::Display for QuotedChar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_quoted(f, self.0.encode_utf8(&mut [0; 4]), '\'')
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str, mark: char) -> fmt::Result {
    f.write_char(mark)?;
    for c in text.chars() {
        match c {
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            '\n' => f.write_str("\\n")?,
            '\0' => f.write_str("\\0")?,
            '\\' => f.write_str("\\\\")?,
            c if c == mark => {
                f.write_char('\\')?;
                f.write_char(c)?;
            }
            c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char(mark)
}

#[cfg(test)]
mod tests {
    use super::{Quoted, QuotedChar};

    #[test]
    fn quotes_as_debug_does_for_ascii_and_printable_text() {
        let ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            ascii.as_str(),
            "",
            "plain",
            "it's \"quoted\"",
            "tab\tnew\nline\\",
            "ünïcödé → 😀 中文",
        ] {
            assert_eq!(Quoted(text).to_string(), format!("{text:?}"));
        }
        for c in (0u8..128).map(char::from).chain(['é', '→', '😀', '\u{85}']) {
            assert_eq!(QuotedChar(c).to_string(), format!("{c:?}"));
        }
    }
}
