//! Finds a key written twice in one JSON object. JSON parsers keep the last of them without a
//! word, so a scenario whose `"seed"` or queue `"capacity"` appears twice would silently run
//! with one of the two; the loader refuses such a file instead. The walk goes through
//! serde_json's own parser, which also bounds its depth.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A key written twice, as (the JSON path of its object, the key), in the first such object
/// met (inner objects are met before the object holding them); `None` when every object's keys
/// are distinct or the text is not JSON (the parser proper says why). Time n log n in the keys.
pub fn first_duplicate_key(text: &str) -> Option<(String, String)> {
    let mut path = Vec::new();
    let mut found = None;
    let mut parser = serde_json::Deserializer::from_str(text);
    let walk = Walk {
        path: &mut path,
        found: &mut found,
    };
    walk.deserialize(&mut parser).ok()?;
    found
}

enum Step {
    Key(String),
    Index(usize),
}

/// Visits every value, remembering where it is and the first repeated key.
struct Walk<'a> {
    path: &'a mut Vec<Step>,
    found: &'a mut Option<(String, String)>,
}

impl Walk<'_> {
    fn inner(&mut self) -> Walk<'_> {
        Walk {
            path: self.path,
            found: self.found,
        }
    }

    fn path_text(&self) -> String {
        let mut text = String::new();
        for step in self.path.iter() {
            match step {
                Step::Key(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(key);
                }
                Step::Index(index) => text.push_str(&format!("[{index}]")),
            }
        }
        text
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut items: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            self.path.push(Step::Index(index));
            let more = items.next_element_seed(self.inner())?.is_some();
            self.path.pop();
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut members: A) -> Result<(), A::Error> {
        // The keys are sorted once at the end (n log n): checking each against those seen so
        // far in a sorted vector would move them around for every insert (n²).
        let mut keys = Vec::new();
        while let Some(key) = members.next_key::<String>()? {
            self.path.push(Step::Key(key));
            members.next_value_seed(self.inner())?;
            if let Some(Step::Key(key)) = self.path.pop() {
                keys.push(key);
            }
        }
        if self.found.is_none() {
            keys.sort_unstable();
            if let Some(pair) = keys.windows(2).find(|pair| pair[0] == pair[1]) {
                *self.found = Some((self.path_text(), pair[0].clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::first_duplicate_key;

    #[test]
    fn finds_the_first_repeated_key_with_the_path_of_its_object() {
        assert_eq!(first_duplicate_key(r#"{"a": 1, "b": [2, 3]}"#), None);
        assert_eq!(
            first_duplicate_key(r#"{"seed": 1, "seed": 2}"#),
            Some((String::new(), "seed".into()))
        );
        assert_eq!(
            first_duplicate_key(r#"{"broker": {"queues": [{"id": "a"}, {"id": "b", "capacity": 1, "capacity": 2}]}}"#),
            Some(("broker.queues[1]".into(), "capacity".into()))
        );
        // The same key in two objects is no repeat; text that is not JSON is the parser's to refuse.
        assert_eq!(first_duplicate_key(r#"[{"k": 1}, {"k": 2}]"#), None);
        assert_eq!(first_duplicate_key(r#"{"k": "#), None);
    }
}
