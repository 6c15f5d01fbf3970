//! `eda lesson`: checks that a lesson file (or a lesson link) works before a class uses it:
//! it loads, and every step's goal is refused before the step's moves and met after them.

use crate::{invalid, Failure};
use eda_sim::view::lesson::{check_lesson, Lesson, StepCheck, Verdict};
use std::fmt::Write;
use std::path::Path;

/// Reads a lesson file with the playground's checks and messages.
pub fn load(file: &Path) -> Result<Lesson, Failure> {
    crate::load_with(file, Lesson::from_file)
}

/// Follows the lesson step by step and reports each goal before and after its moves; exit 1
/// when a step does not work.
pub fn check(lesson: &Lesson) -> Result<String, Failure> {
    let checks = check_lesson(lesson).map_err(|why| invalid(format!("eda: lesson {}: {why}", lesson.id)))?;
    let mut out = format!(
        "lesson {}: {} ({} steps)\n",
        lesson.id,
        lesson.title,
        lesson.steps.len()
    );
    for (i, (step, checked)) in lesson.steps.iter().zip(&checks).enumerate() {
        let _ = writeln!(out, "\nstep {}  {}", i + 1, step.title);
        verdict(&mut out, "before", &checked.before);
        match &checked.after {
            Ok(after) => verdict(&mut out, "after", after),
            Err(why) => {
                let _ = writeln!(out, "  after   a move failed: {why}");
            }
        }
    }
    let working = checks.iter().filter(|c| c.works()).count();
    if working == lesson.steps.len() {
        let _ = writeln!(
            out,
            "\nall {working} steps work: each goal is refused before its moves and met after them."
        );
        Ok(out)
    } else {
        let broken: Vec<String> = checks
            .iter()
            .enumerate()
            .filter(|(_, c)| !StepCheck::works(c))
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        let unchecked = lesson.steps.len() - checks.len();
        let _ = write!(out, "\nsteps that do not work: {}", broken.join(", "));
        if unchecked > 0 {
            let _ = write!(out, " ({unchecked} after them not checked)");
        }
        Err(invalid(out))
    }
}

fn verdict(out: &mut String, when: &str, verdict: &Verdict) {
    let word = if verdict.met { "met" } else { "not met" };
    let _ = writeln!(out, "  {when:<7} {word}");
    for line in &verdict.lines {
        let mark = if line.met { '✓' } else { '✗' };
        let _ = writeln!(out, "  {:indent$}{mark} {}", "", line.text, indent = 8 + 2 * line.depth);
    }
}
