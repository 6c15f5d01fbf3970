//! Opening what the stricter loading rules now refuse. A saved scenario or a share link that
//! loaded before may now be refused: a key written twice, an invisible or text-direction
//! character in a name, an instant past the longest run, or a `duration` whose streams would not
//! fit. Nothing the user had is lost: the page says what is wrong, keeps the saved copy, and
//! offers a copy repaired here, saying what each repair changed.

use crate::kernel::unique_keys::first_duplicate_key;
use crate::kernel::validate::is_invisible;
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
/// to `changes` what was done. Only what the validator names is touched: a name with invisible
/// characters is renamed everywhere it appears, a `duration` too long for its streams is
/// removed, script entries past the longest run are removed.
pub fn repair_value(mut value: Value, mut changes: Vec<String>) -> Option<Repaired> {
    for _ in 0..MAX_ROUNDS {
        let problems = match Scenario::from_value(value.clone()) {
            Ok(scenario) => return (!changes.is_empty()).then_some(Repaired { scenario, changes }),
            Err(ScenarioError::Invalid(problems)) => problems,
            Err(_) => return None,
        };
        let mut repaired = false;
        let mut late_entries = Vec::new();
        for problem in &problems {
            if problem.message.contains("invisible or text-direction characters") {
                let name = value_at(&value, &problem.path)?.as_str()?.to_string();
                let clean: String = name.chars().filter(|&c| !is_invisible(c)).collect();
                if clean.trim().is_empty() || clean == name {
                    return None;
                }
                replace_strings(&mut value, &name, &clean);
                changes.push(format!(
                    "renamed {name:?} to {clean:?}, without its invisible characters"
                ));
                repaired = true;
            } else if problem.path == "duration" {
                if value.as_object_mut()?.remove("duration").is_some() {
                    changes.push(format!("removed the run's duration: {}", problem.message));
                    repaired = true;
                }
            } else if let Some(index) = script_entry_at(&problem.path) {
                late_entries.push(index);
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
            changes.push(match late_entries.len() {
                1 => "removed a script entry timed past the longest run (10 years)".to_string(),
                n => format!("removed {n} script entries timed past the longest run (10 years)"),
            });
            repaired = true;
        }
        // What no repair here fixes is the user's to fix: the refusal stands as it was.
        if !repaired {
            return None;
        }
    }
    None
}

/// `script[i].at` → `i`.
fn script_entry_at(path: &str) -> Option<usize> {
    path.strip_prefix("script[")?.strip_suffix("].at")?.parse().ok()
}

/// The value at a path as problems name it (`broker.queues[0].id`).
fn value_at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut here = value;
    for part in path.split('.') {
        let (key, indices) = part.split_once('[').map_or((part, ""), |(key, rest)| (key, rest));
        if !key.is_empty() {
            here = here.get(key)?;
        }
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            here = here.get(index.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(here)
}

/// Replaces every string equal to `from` (a name and each reference to it) with `to`.
fn replace_strings(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::String(text) if text == from => *text = to.to_string(),
        Value::Array(items) => items.iter_mut().for_each(|item| replace_strings(item, from, to)),
        Value::Object(members) => members
            .values_mut()
            .for_each(|member| replace_strings(member, from, to)),
        _ => {}
    }
}
