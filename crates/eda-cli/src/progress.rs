//! Runs a simulation to its target in slices of events, so that every run keeps to an event
//! budget and a long run can show a progress bar. The core never reads a clock; this is the one
//! place that does, between slices. Slicing does not change the result: each slice goes on exactly
//! where the last one stopped (tests/cli.rs compares hashes for tiny slices against whole runs).

use eda_sim::view::share::SharedState;
use eda_sim::{Sim, SimError, SimTime};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Wall time a run takes before its progress bar appears.
const BAR_DELAY: Duration = Duration::from_secs(1);

/// Where a run stops.
#[derive(Clone, Copy)]
pub enum Target<'a> {
    /// When nothing is left to happen.
    End,
    /// At this simulated time (`--until` or the scenario's `duration`).
    Until(SimTime),
    /// At a share link's moment: its event count, then its cursor.
    Moment(&'a SharedState),
}

/// How a run is carried out.
pub struct Pace {
    /// Most events the whole run may process.
    pub max_events: u64,
    /// Events per slice (at least 1).
    pub slice_events: u64,
    /// False for `--quiet`.
    pub show_bar: bool,
}

/// Runs `sim` towards `target`. `Ok(true)`: the target was reached; `Ok(false)`: the event budget
/// ran out first; `Err`: a limit of the simulator stopped it.
pub fn run(sim: &mut Sim, target: Target, pace: &Pace) -> Result<bool, SimError> {
    let end = match target {
        Target::End => None,
        Target::Until(until) => Some(until),
        Target::Moment(state) => state.cursor.map(|c| SimTime(c.0)),
    };
    let mut bar = Bar::new(pace.show_bar, end, sim.events_processed());
    let outcome = run_slices(sim, target, pace, &mut bar);
    bar.finish();
    outcome
}

fn run_slices(sim: &mut Sim, target: Target, pace: &Pace, bar: &mut Bar) -> Result<bool, SimError> {
    let mut events_left = pace.max_events;
    let until = match target {
        Target::End => None,
        Target::Until(until) => Some(until),
        Target::Moment(state) => {
            // `run_to_moment` checks `cursor > now` on each call: a slice that stops at the
            // cursor's instant with events still due there would pass for arrival. So slices
            // catch up with the event count only, and the cursor is run to like `--until`.
            let events_only = SharedState {
                cursor: None,
                ..state.clone()
            };
            loop {
                let before = sim.events_processed();
                let slice = events_left.min(pace.slice_events);
                let caught_up = eda_sim::view::share::run_to_moment(sim, &events_only, slice)?;
                events_left -= sim.events_processed() - before;
                if caught_up {
                    break;
                }
                if events_left == 0 {
                    return Ok(false);
                }
                bar.update(sim);
            }
            match state.cursor.map(|c| SimTime(c.0)) {
                Some(cursor) if cursor > sim.now() => Some(cursor),
                _ => return Ok(true),
            }
        }
    };
    loop {
        let slice = events_left.min(pace.slice_events);
        let progress = match until {
            Some(until) => sim.run_until_budget(until, slice)?,
            None => sim.run_to_end(slice)?,
        };
        events_left -= progress.processed;
        if progress.reached {
            return Ok(true);
        }
        if events_left == 0 {
            return Ok(false);
        }
        bar.update(sim);
    }
}

/// The progress bar on stderr: created once a run has taken [`BAR_DELAY`], and only on a
/// terminal. It shows the simulated time reached against the end, or the events processed when
/// the run has no end, and the events per second.
struct Bar {
    enabled: bool,
    started: Instant,
    events_at_start: u64,
    end: Option<SimTime>,
    shown: Option<ProgressBar>,
}

impl Bar {
    fn new(show_bar: bool, end: Option<SimTime>, events_at_start: u64) -> Bar {
        Bar {
            enabled: show_bar && std::io::stderr().is_terminal(),
            started: Instant::now(),
            events_at_start,
            end,
            shown: None,
        }
    }

    fn update(&mut self, sim: &Sim) {
        if !self.enabled {
            return;
        }
        let elapsed = self.started.elapsed();
        if self.shown.is_none() && elapsed < BAR_DELAY {
            return;
        }
        let end = self.end;
        let bar = self.shown.get_or_insert_with(|| {
            let (bar, template) = match end {
                Some(end) => (
                    ProgressBar::new(end.0.max(1)),
                    "{spinner} [{elapsed_precise}] {wide_bar} {msg}",
                ),
                None => (ProgressBar::new_spinner(), "{spinner} [{elapsed_precise}] {msg}"),
            };
            let style = ProgressStyle::with_template(template).expect("a valid template");
            let bar = bar.with_style(style).with_elapsed(elapsed);
            // Keeps the spinner and the clock going while a slow slice runs.
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        let events = sim.events_processed() - self.events_at_start;
        let rate = count(events as f64 / elapsed.as_secs_f64().max(1e-9));
        let now = sim.now();
        match end {
            Some(end) => {
                bar.set_message(format!("{} of {} simulated, {rate} events/s", short(now), short(end)));
                bar.set_position(now.0.min(end.0));
            }
            None => bar.set_message(format!(
                "{} events, {} simulated, {rate} events/s",
                count(events as f64),
                short(now)
            )),
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.shown.take() {
            bar.finish_and_clear();
        }
    }
}

/// An instant in the unit that fits it, to one decimal: `350.0 ms`, `12.5 s`, `2.3 d`.
fn short(time: SimTime) -> String {
    let us = time.0 as f64;
    let units = [(86_400e6, "d"), (3_600e6, "h"), (60e6, "min"), (1e6, "s"), (1e3, "ms")];
    match units.iter().find(|(size, _)| us >= *size) {
        Some((size, unit)) => format!("{:.1} {unit}", us / size),
        None => format!("{us} us"),
    }
}

/// A count, short: `950`, `12.3 k`, `4.5 M`, `1.2 G`.
fn count(n: f64) -> String {
    let units = [(1e9, " G"), (1e6, " M"), (1e3, " k")];
    match units.iter().find(|(size, _)| n >= *size) {
        Some((size, unit)) => format!("{:.1}{unit}", n / size),
        None => format!("{n:.0}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_counts_read_in_the_unit_that_fits() {
        assert_eq!(short(SimTime(0)), "0 us");
        assert_eq!(short(SimTime(350_000)), "350.0 ms");
        assert_eq!(short(SimTime(12_500_000)), "12.5 s");
        assert_eq!(short(SimTime(2 * 86_400_000_000 + 43_200_000_000)), "2.5 d");
        assert_eq!(count(950.0), "950");
        assert_eq!(count(4_500_000.0), "4.5 M");
    }
}
