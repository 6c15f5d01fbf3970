//! Opening what the stricter loading rules now refuse. A saved scenario or a share link that
//! loaded before may now be refused: a key written twice, an invisible or text-direction
//! character in a name, an instant past the longest run, or a `duration` whose streams would not
//! fit. Nothing the user had is lost: the page says what is wrong, keeps the saved copy, and
//! offers a copy repaired here, saying what each repair changed.

use crate::kernel::unique_keys::first_duplicate_key;
use crate::scenario::{Scenario, ScenarioError};
use serde_json::Value;

/// A scenario that loads, and what was changed to make it load.
#[derive(Clone, Debug, PartialEq)]
pub struct Repaired {
    pub scenario: Scenario,
    /// One sentence per kind of change, for the user.
    pub changes: Vec<String>,
}

/// Rounds of repair: each round removes what the validator named in the last one.
const MAX_ROUNDS: usize = 3;

/// Repairs a scenario written as JSON text; `None` when it is not JSON, is misshapen, or has a
/// problem no repair here fixes (those are reported as they are).
pub fn repair_text(text: &str) -> Option<Repaired> {
    let value: Value = serde_json::from_str(text).ok()?;
    let mut changes = Vec::new();
    if let Some((path, key)) = first_duplicate_key(text) {
        changes.push(kept_last(&path, &key));
    }
    repair_value(value, changes)
}

/// The change said for a key written twice: its last value is kept, as it always was read.
pub fn kept_last(path: &str, key: &str) -> String {
    let place = if path.is_empty() {
        String::new()
    } else {
        format!(" (in {path})")
    };
    format!("kept the last value of {key:?}, which was written twice{place}")
}

/// Repairs a scenario document already parsed (a key written twice kept its last value), adding
/// to `changes` what was done.
pub fn repair_value(mut value: Value, mut changes: Vec<String>) -> Option<Repaired> {
    let stripped = strip_invisible(&mut value);
    match stripped {
        0 => {}
        1 => changes.push("removed invisible or text-direction characters from one name or text".into()),
        n => changes.push(format!(
            "removed invisible or text-direction characters from {n} names and texts"
        )),
    }
    for _ in 0..MAX_ROUNDS {
        match Scenario::from_value(value.clone()) {
            Ok(scenario) => return (!changes.is_empty()).then_some(Repaired { scenario, changes }),
            Err(ScenarioError::Invalid(problems)) => {
                let mut late_entries = Vec::new();
                for problem in &problems {
                    if problem.path == "duration" {
                        value.as_object_mut()?.remove("duration");
                        changes.push(format!("removed the run's duration: {}", problem.message));
                    } else if let Some(index) = script_entry_at(&problem.path) {
                        late_entries.push(index);
                    } else {
                        return None;
                    }
                }
                if !late_entries.is_empty() {
                    let script = value.get_mut("script")?.as_array_mut()?;
                    late_entries.sort_unstable();
                    late_entries.dedup();
                    for &index in late_entries.iter().rev() {
                        if index < script.len() {
                            script.remove(index);
                        }
                    }
                    changes.push(format!(
                        "removed {} script entries timed past the longest run (10 years)",
                        late_entries.len()
                    ));
                }
            }
            Err(_) => return None,
        }
    }
    None
}

/// `script[i].at` → `i`.
fn script_entry_at(path: &str) -> Option<usize> {
    path.strip_prefix("script[")?.strip_suffix("].at")?.parse().ok()
}

/// Removes invisible and text-direction characters from every string and key; returns how many
/// strings changed.
fn strip_invisible(value: &mut Value) -> usize {
    let clean = |text: &str| -> Option<String> {
        text.chars().any(crate::kernel::validate::is_invisible).then(|| {
            text.chars()
                .filter(|&c| !crate::kernel::validate::is_invisible(c))
                .collect()
        })
    };
    match value {
        Value::String(text) => match clean(text) {
            Some(cleaned) => {
                *text = cleaned;
                1
            }
            None => 0,
        },
        Value::Array(items) => items.iter_mut().map(strip_invisible).sum(),
        Value::Object(members) => {
            let mut changed = 0;
            let keys: Vec<String> = members.keys().cloned().collect();
            for key in keys {
                if let Some(cleaned) = clean(&key) {
                    if let Some(inner) = members.remove(&key) {
                        members.insert(cleaned, inner);
                        changed += 1;
                    }
                }
            }
            changed + members.values_mut().map(strip_invisible).sum::<usize>()
        }
        _ => 0,
    }
}
