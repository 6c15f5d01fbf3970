//! `eda run --link ab1.…`: an A/B link runs both scenarios with the same seed to the link's
//! moment (or `--until`, or their duration) and reports both, the counters that differ and the
//! first moment the two traces part.

use crate::args::RunArgs;
use crate::progress::{self, Pace, Target};
use crate::{budget_message, invalid, Failure};
use eda_sim::trace::Retention;
use eda_sim::view::compare::{counter_diffs, decode_comparison, first_divergence, FirstDivergence};
use eda_sim::{Report, Sim, SimTime};
use std::fmt::Write;

/// `+3`, `-0.25`, `+1.333`.
fn signed(change: f64) -> String {
    if change.fract() == 0.0 {
        format!("{change:+}")
    } else {
        let text = format!("{change:+.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

pub fn run(run_args: &RunArgs, link: &str) -> Result<String, Failure> {
    let opened = decode_comparison(link).map_err(|e| invalid(format!("eda: {e}")))?;
    let (mut a, mut b) = (opened.a, opened.b);
    if let Some(seed) = run_args.seed {
        a.seed = seed;
        b.seed = seed;
    }
    let end = run_args
        .until
        .or(opened.cursor)
        .or(match (a.duration, b.duration) {
            (Some(x), Some(y)) => Some(x.max(y)),
            _ => None,
        })
        .map(|d| SimTime(d.0));
    let target = end.map_or(Target::End, Target::Until);
    let pace = Pace {
        max_events: run_args.max_events,
        slice_events: run_args.slice_events,
        show_bar: !run_args.quiet,
    };
    let mut stopped = None;
    let mut reports: Vec<Report> = Vec::new();
    for (side, scenario) in [("A", &a), ("B", &b)] {
        let mut sim =
            Sim::with_retention(scenario, Retention::HashOnly).map_err(|e| invalid(format!("eda: run {side}: {e}")))?;
        match progress::run(&mut sim, target, &pace) {
            Ok(true) => {}
            Ok(false) => {
                stopped.get_or_insert(format!(
                    "run {side}: {}",
                    budget_message(target, run_args.max_events, sim.now())
                ));
            }
            Err(e) => {
                stopped.get_or_insert(format!("eda: run {side}: {e}"));
            }
        }
        reports.push(sim.report());
    }
    let (ra, rb) = (&reports[0], &reports[1]);
    let differences = counter_diffs(ra, rb);
    let divergence = first_divergence(&a, &b, end, run_args.max_events).map_err(|e| invalid(format!("eda: {e}")))?;
    let text = if run_args.json {
        let json = serde_json::json!({
            "seed": a.seed,
            "a": ra,
            "b": rb,
            "differences": differences,
            "first_divergence": divergence,
        });
        serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
    } else {
        let mut out = format!("A/B comparison, both runs with seed {}\n", a.seed);
        let _ = write!(out, "\n== run A\n{}", ra.to_text());
        let _ = write!(out, "\n== run B\n{}", rb.to_text());
        let _ = writeln!(out, "\n== counters that differ ({})", differences.len());
        for d in &differences {
            let shown = |v: &Option<serde_json::Value>| v.as_ref().map_or("—".to_string(), |v| v.to_string());
            let change = d.change().map(|c| format!("  ({})", signed(c))).unwrap_or_default();
            let _ = writeln!(
                out,
                "{} {}: A {} · B {}{change}",
                d.entity,
                d.counter,
                shown(&d.a),
                shown(&d.b)
            );
        }
        let _ = writeln!(out, "\n== first divergence");
        match &divergence {
            FirstDivergence::At(at) => {
                let _ = writeln!(out, "at {} (after {} events)", at.time, at.events);
                let _ = writeln!(out, "  A: {}", at.a.as_deref().unwrap_or("(nothing)"));
                let _ = writeln!(out, "  B: {}", at.b.as_deref().unwrap_or("(nothing)"));
            }
            FirstDivergence::Same { events, time, finished } => {
                let how = if *finished { "to their end" } else { "so far" };
                let _ = writeln!(out, "none: the traces are the same {how} ({events} events, to {time})");
            }
        }
        out
    };
    match stopped {
        None => Ok(text),
        Some(message) => {
            print!("{text}");
            Err(Failure { code: 3, message })
        }
    }
}
