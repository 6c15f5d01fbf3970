//! A run as a timeline you can move along: step forward, step back, seek to any event or
//! instant. The furthest run's records are kept once, in order; the simulation is
//! snapshotted every so many events, and seeking restores the nearest snapshot at or before the
//! target and replays forward from it, never from time 0. At most [`MAX_SNAPSHOTS`] snapshots
//! are kept: when there would be more, every other one is dropped and the spacing doubles, so
//! a seek replays at most `events / (MAX_SNAPSHOTS / 2)` events. Snapshots of a simulation with
//! long logs (an event store, a topic) are big, so they are also thinned when together they would
//! take more than [`SNAPSHOT_BYTES_MAX`]: memory stays bounded, seeks get longer. Replaying
//! ground already recorded keeps no records, only the hash.
//!
//! The records themselves are kept for a window of at most [`RECORDS_KEPT_MAX`], the newest the
//! cursor has passed: beyond it the oldest are dropped, a quarter at a time, so an hour of a busy
//! system stays within bounded memory. Going back before the window restores a snapshot, as any
//! seek does, and the window starts again there: the records are regenerated as the replay
//! passes them, and the log, the lanes and the inspector see them again.

use crate::engine::RunProgress;
use crate::engine::Sim;
use crate::kernel::error::SimError;
use crate::kernel::time::{SimDuration, SimTime};
use crate::scenario::{Scenario, ScenarioError};
use crate::trace::{Retention, TraceRecord};

/// Chart samples kept at most (the sampling interval doubles when there would be more).
pub const MAX_SAMPLES: usize = 400;
/// Virtual time between chart samples at first.
pub const FIRST_SAMPLE_INTERVAL: SimDuration = SimDuration(50_000);

/// The counters charts follow, by entity kind: (kind, counter).
const SAMPLED: &[(&str, &str)] = &[
    ("service", "completed"),
    ("service", "response_ms_p50"),
    ("service", "response_ms_p95"),
    ("service", "response_ms_p99"),
    ("service", "queued"),
    ("queue", "ready"),
    ("listener", "queued"),
    ("listener", "handled"),
    ("consumer group", "lag_total"),
    ("consumer", "handled"),
    ("topic", "records"),
];

/// The followed counters at one instant of the furthest run.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub time: SimTime,
    /// (entity, counter, value), in entity order.
    pub values: Vec<(String, &'static str, f64)>,
}

/// Snapshots kept at most: a seek replays at most `events / 128` events (with a million
/// events the spacing is 4,096, so at most 4,095).
pub const MAX_SNAPSHOTS: usize = 256;
/// Memory all snapshots together may take, estimated from what grows with a run (see
/// [`Sim::retained_bytes`]); beyond it snapshots are thinned (never below two). With the live
/// run's [`MAX_RETAINED_BYTES_IN_PAGE`], a page's run stays within about 512 MiB.
pub const SNAPSHOT_BYTES_MAX: u64 = 256 << 20;
/// Records kept at most (a few dozen bytes each); see the module's documentation.
pub const RECORDS_KEPT_MAX: usize = 400_000;

/// Events between snapshots at first (the spacing doubles as the run grows).
pub const FIRST_SNAPSHOT_SPACING: u64 = 256;

#[derive(Clone, Debug)]
pub struct Timeline {
    /// The kept window of the run's records, in order: `history[0]` is the run's record
    /// number `history_start`; it ends at or after the cursor.
    history: Vec<TraceRecord>,
    history_start: u64,
    /// [`RECORDS_KEPT_MAX`], unless a test asks for a smaller window.
    records_kept_max: usize,
    /// The instant of each processed event of the furthest run, by event index.
    event_times: Vec<SimTime>,
    /// The number of records after each processed event of the furthest run.
    record_counts: Vec<u64>,
    /// Records written while the simulation was built, before any event.
    initial_records: u64,
    /// `snapshots[i]` is the simulation after `i × spacing` events (its record buffer empty),
    /// with its [`Sim::retained_bytes`].
    snapshots: Vec<(Sim, u64)>,
    spacing: u64,
    cursor: Sim,
    /// Events replayed by the last seek (for tests and the performance figures).
    last_replay: u64,
    /// Chart samples of the furthest run, every `sample_interval` of virtual time.
    samples: Vec<Sample>,
    sample_interval: SimDuration,
    next_sample: SimTime,
    /// The furthest instant the clock has reached (it may lie past the last event).
    furthest_time: SimTime,
}

/// Memory the page's live run may hold in what grows with it (see [`Sim::retained_bytes`]);
/// the snapshots hold at most [`SNAPSHOT_BYTES_MAX`] besides.
pub const MAX_RETAINED_BYTES_IN_PAGE: u64 = 256 << 20;

impl Timeline {
    pub fn new(scenario: &Scenario) -> Result<Timeline, ScenarioError> {
        let mut cursor = Sim::new(scenario)?;
        cursor.limit_retained_bytes(MAX_RETAINED_BYTES_IN_PAGE);
        // What starting up recorded (members joining a group, …) exists before any event.
        let history = cursor.take_new_records();
        Ok(Timeline {
            initial_records: history.len() as u64,
            history,
            history_start: 0,
            records_kept_max: RECORDS_KEPT_MAX,
            event_times: Vec::new(),
            record_counts: Vec::new(),
            snapshots: vec![(cursor.clone(), cursor.retained_bytes())],
            spacing: FIRST_SNAPSHOT_SPACING,
            cursor,
            last_replay: 0,
            samples: Vec::new(),
            sample_interval: FIRST_SAMPLE_INTERVAL,
            next_sample: SimTime::ZERO,
            furthest_time: SimTime::ZERO,
        })
    }

    /// Keeps at most `records` records (at least 16) from now on instead of [`RECORDS_KEPT_MAX`].
    pub fn keep_records_at_most(&mut self, records: usize) {
        self.records_kept_max = records.max(16);
    }

    /// The simulation at the cursor.
    pub fn sim(&self) -> &Sim {
        &self.cursor
    }

    /// The kept records up to the cursor, in order: `records()[i]` is the run's record number
    /// `records_start() + i`.
    pub fn records(&self) -> &[TraceRecord] {
        let upto = self.cursor.trace().count().saturating_sub(self.history_start) as usize;
        &self.history[..upto.min(self.history.len())]
    }

    /// The run's number of the first kept record (0 until the run outgrows the window).
    pub fn records_start(&self) -> usize {
        self.history_start as usize
    }

    /// The run's record number `index`, if it is kept and at or before the cursor.
    pub fn record(&self, index: usize) -> Option<&TraceRecord> {
        index
            .checked_sub(self.records_start())
            .and_then(|i| self.records().get(i))
    }

    /// The number the cursor's next record will have: every record up to the cursor is below.
    pub fn records_end(&self) -> usize {
        self.cursor.trace().count() as usize
    }

    /// The kept window of records, the cursor's and those after it (see [`Self::records_start`]).
    pub fn history(&self) -> &[TraceRecord] {
        &self.history
    }

    /// Events processed by the furthest run.
    pub fn frontier_events(&self) -> u64 {
        self.event_times.len() as u64
    }

    /// The instant of the furthest run's last event (or the cursor's clock if it is further).
    pub fn frontier_time(&self) -> SimTime {
        let last = self.event_times.last().copied().unwrap_or(SimTime::ZERO);
        last.max(self.cursor.now()).max(self.furthest_time)
    }

    /// Snapshots held now (for tests and diagnostics).
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// Memory all snapshots take together, estimated (at most [`SNAPSHOT_BYTES_MAX`], unless
    /// only the two snapshots that are never thinned away take more).
    pub fn snapshot_bytes(&self) -> u64 {
        self.snapshots.iter().map(|(_, bytes)| bytes).sum()
    }

    /// Processes one event at the cursor; `Ok(false)` when nothing is left.
    pub fn step(&mut self) -> Result<bool, SimError> {
        let before = self.cursor.events_processed();
        // Ground already recorded only needs replaying: its records are in the history.
        let new_ground = before == self.frontier_events();
        if new_ground {
            // Between events nothing changes: sample every instant the next event jumps over.
            if let Some(next) = self.cursor.next_event_time() {
                self.sample_until(next);
            }
        }
        // Records are kept where they extend the window; elsewhere they are in it already.
        let extends_window = self.cursor.trace().count() == self.history_start + self.history.len() as u64;
        self.cursor.set_retention(if extends_window {
            Retention::Full
        } else {
            Retention::HashOnly
        });
        if !self.cursor.step()? {
            return Ok(false);
        }
        if extends_window {
            let records = self.cursor.take_new_records();
            self.history.extend(records);
            if self.history.len() > self.records_kept_max {
                let dropped = self.history.len() - self.records_kept_max * 3 / 4;
                self.history.drain(..dropped);
                self.history_start += dropped as u64;
            }
        }
        if new_ground {
            // Keep when it happened, and snapshot now and then.
            self.event_times.push(self.cursor.now());
            self.record_counts.push(self.cursor.trace().count());
            let done = before + 1;
            if done.is_multiple_of(self.spacing) {
                self.snapshots.push((self.cursor.clone(), self.cursor.retained_bytes()));
                while self.snapshots.len() > MAX_SNAPSHOTS
                    || (self.snapshots.len() > 2 && self.snapshot_bytes() > SNAPSHOT_BYTES_MAX)
                {
                    self.thin_snapshots();
                }
            }
        }
        Ok(true)
    }

    /// Drops every other snapshot; the spacing doubles.
    fn thin_snapshots(&mut self) {
        let kept: Vec<(Sim, u64)> = self.snapshots.drain(..).step_by(2).collect();
        self.snapshots = kept;
        self.spacing *= 2;
    }

    /// Chart samples of the furthest run, oldest first.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// Takes the samples due before `t` from the cursor (which is at the frontier).
    fn sample_until(&mut self, t: SimTime) {
        while self.next_sample < t {
            let report = self.cursor.report();
            let values = report
                .entities
                .iter()
                .flat_map(|e| {
                    SAMPLED
                        .iter()
                        .filter(move |(kind, _)| *kind == e.kind)
                        .filter_map(move |(_, counter)| e.number(counter).map(|v| (e.name.clone(), *counter, v)))
                })
                .collect();
            self.samples.push(Sample {
                time: self.next_sample,
                values,
            });
            self.next_sample = self.next_sample.saturating_add(self.sample_interval);
            if self.samples.len() > MAX_SAMPLES {
                let kept: Vec<Sample> = self.samples.drain(..).step_by(2).collect();
                self.samples = kept;
                self.sample_interval = SimDuration(self.sample_interval.0 * 2);
                self.next_sample = self
                    .samples
                    .last()
                    .map(|s| s.time)
                    .unwrap_or(SimTime::ZERO)
                    .saturating_add(self.sample_interval);
            }
        }
    }

    /// Processes events due at or before `until` (at most `max_events`), then sets the clock
    /// to `until` if every due event was processed.
    pub fn run_until(&mut self, until: SimTime, max_events: u64) -> Result<RunProgress, SimError> {
        let mut processed = 0;
        while self.cursor.next_event_time().is_some_and(|t| t <= until) {
            if processed == max_events {
                return Ok(RunProgress {
                    processed,
                    reached: false,
                });
            }
            self.step()?;
            processed += 1;
        }
        if self.cursor.events_processed() == self.frontier_events() {
            self.sample_until(until);
        }
        // Nothing is due any more: this only moves the clock.
        self.cursor.run_until(until)?;
        self.furthest_time = self.furthest_time.max(self.cursor.now());
        Ok(RunProgress {
            processed,
            reached: true,
        })
    }

    /// Events replayed by the last seek.
    pub fn last_replay(&self) -> u64 {
        self.last_replay
    }

    /// Restores the nearest snapshot at or before event `n`.
    fn restore(&mut self, n: u64) {
        let k = ((n / self.spacing) as usize).min(self.snapshots.len() - 1);
        self.cursor = self.snapshots[k].0.clone();
        // Outside the kept window, the window starts again here and fills as the replay goes.
        let at = self.cursor.trace().count();
        if at < self.history_start || at > self.history_start + self.history.len() as u64 {
            self.history.clear();
            self.history_start = at;
        }
    }

    /// Moves the cursor to just after event `n` (0: the start), restoring the nearest snapshot
    /// and replaying forward. Beyond the furthest run, it runs on.
    pub fn seek_to_event(&mut self, n: u64) -> Result<(), SimError> {
        let here = self.cursor.events_processed();
        // The clock may stand past the last processed event (after running to an instant).
        let last_event = if here == 0 {
            SimTime::ZERO
        } else {
            self.event_times[here as usize - 1]
        };
        let clock_ahead = self.cursor.now() > last_event;
        let snapshot_ahead =
            n / self.spacing > here / self.spacing && ((n / self.spacing) as usize) < self.snapshots.len();
        if n < here || snapshot_ahead || (n == here && clock_ahead) {
            self.restore(n);
        }
        let start = self.cursor.events_processed();
        while self.cursor.events_processed() < n {
            if !self.step()? {
                break;
            }
        }
        self.last_replay = self.cursor.events_processed() - start;
        Ok(())
    }

    /// Moves the cursor to instant `t`: every event at or before `t` has happened.
    pub fn seek_to_time(&mut self, t: SimTime, max_events: u64) -> Result<RunProgress, SimError> {
        if t <= self.frontier_time() {
            let n = self.event_times.partition_point(|&e| e <= t) as u64;
            if self.cursor.now() > t {
                self.restore(n); // the clock only moves forward: start again before t
            }
            self.seek_to_event(n)?;
            // Usually this only moves the clock to `t`. But when the furthest run stopped partway
            // through the instant `t` (a Step between events of one instant, or a play budget
            // running out), the rest of that instant is new ground: it runs through `step`, so
            // it is recorded and the cursor never gets ahead of the history.
            self.run_until(t, max_events)
        } else {
            let n = self.frontier_events();
            self.seek_to_event(n)?;
            self.run_until(t, max_events)
        }
    }

    /// How many events must have happened for record `r` (an index into the history) to exist.
    pub fn event_of_record(&self, r: usize) -> u64 {
        if (r as u64) < self.initial_records {
            return 0;
        }
        self.record_counts.partition_point(|&count| count as usize <= r) as u64 + 1
    }

    /// Goes back one event; false at the start.
    pub fn step_back(&mut self) -> Result<bool, SimError> {
        let here = self.cursor.events_processed();
        if here == 0 {
            return Ok(false);
        }
        self.seek_to_event(here - 1)?;
        Ok(true)
    }
}
