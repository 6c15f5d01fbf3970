//! Playing, stepping and seeking: the reducer's actions that move the cursor along the run, and
//! the pace of a frame while playing.

use super::*;

/// A long jump on its way (see [`Model::seeking`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seeking {
    pub target: SimTime,
    /// Where the clock stood when the jump began, for its progress.
    pub from: SimTime,
    pub events_left: u64,
}

impl Seeking {
    /// How far the jump has got, from 0 to 1, with the clock at `now`.
    pub fn done(&self, now: SimTime) -> f64 {
        let span = self.target.0.saturating_sub(self.from.0).max(1);
        (now.0.saturating_sub(self.from.0) as f64 / span as f64).clamp(0.0, 1.0)
    }
}

impl Model {
    /// Play, pause, step, seek, speed and the animation frame.
    pub(super) fn playback(&mut self, action: Playback) {
        match action {
            Playback::Play if self.sim().halted().is_none() => {
                self.playing = true;
            }
            Playback::Pause => {
                self.playing = false;
                self.behind = false;
            }
            Playback::Step => {
                self.playing = false;
                self.behind = false;
                let before = self.timeline.records_end();
                match self.timeline.step() {
                    Ok(true) => self.announce_records_since(before),
                    Ok(false) => self.announcement = crate::tr!("said-nothing-scheduled"),
                    Err(e) => self.fail(&e),
                }
            }
            Playback::StepBack => {
                self.playing = false;
                self.behind = false;
                match self.timeline.step_back() {
                    Ok(true) => {
                        self.announcement = crate::tr!("said-stepped-back", at = self.sim().now().to_string());
                    }
                    Ok(false) => self.announcement = crate::tr!("said-at-start"),
                    Err(e) => self.fail(&e),
                }
            }
            Playback::Reset => {
                self.playing = false;
                self.behind = false;
                self.error = None;
                if let Err(e) = self.timeline.seek_to_event(0) {
                    self.fail(&e);
                }
                self.announcement = crate::tr!("said-reset");
            }
            Playback::SeekTime(t) => {
                self.playing = false;
                self.behind = false;
                match self.timeline.seek_to_time(t, JUMP_EVENTS_AT_ONCE) {
                    Ok(progress) if !progress.reached => {
                        // Too far for one go: the jump goes on over the next frames.
                        self.seeking = Some(Seeking {
                            target: t,
                            from: self.sim().now(),
                            events_left: MAX_EVENTS_PER_JUMP.saturating_sub(progress.processed),
                        });
                        self.announcement = crate::tr!("said-jumping", at = crate::human_time::clock(t));
                    }
                    Ok(_) => self.announcement = crate::tr!("said-moved", at = crate::human_time::clock(t)),
                    Err(e) => self.fail(&e),
                }
            }
            Playback::JumpTo(text) => match crate::human_time::parse(&text) {
                Ok(d) => {
                    self.field_error = None;
                    self.playback(Playback::SeekTime(SimTime(d.0)));
                }
                Err(e) => self.field_error = Some((Field::JumpTo, format!("{}.", crate::i18n::problems::words(&e)))),
            },
            Playback::SetSpeed(i) => self.speed_index = i.min(SPEEDS.len() - 1),
            Playback::ChangeSpeed(delta) => {
                let next = (self.speed_index as i64 + delta as i64).clamp(0, SPEEDS.len() as i64 - 1) as usize;
                self.speed_index = next;
                self.announcement = crate::tr!("said-speed", speed = SPEEDS[next].to_string());
            }
            Playback::Tick { wall_ms } => self.tick(wall_ms),
            // A run stopped by a limit does not play on.
            Playback::Play => {}
        }
    }

    pub(super) fn tick(&mut self, wall_ms: f64) {
        if let Some(seeking) = self.seeking {
            self.continue_jump(seeking);
            return;
        }
        if !self.playing {
            return;
        }
        let wall_ms = wall_ms.clamp(0.0, MAX_FRAME_MS);
        self.wall_ms_since_refresh += wall_ms;
        self.frames_since_refresh += 1;
        if self.wall_ms_since_refresh >= PANEL_REFRESH_MS && self.frames_since_refresh >= PANEL_REFRESH_FRAMES_MIN {
            self.wall_ms_since_refresh = 0.0;
            self.frames_since_refresh = 0;
            self.panel_revision += 1;
        }
        let speed = self.speed();
        let events_per_s = self.events_per_s();
        let (trips, busy) = crate::motion::trips_of(self.sim());
        let scene = crate::motion::Scene {
            now: self.sim().now(),
            trips: &trips,
            busy,
            next_event: self.sim().next_event_time(),
            events_per_s,
        };
        let pace = crate::motion::pace(&scene, speed, wall_ms);
        self.effective_speed = pace.speed;
        if let Some(skipped) = pace.skipped {
            let note = crate::tr!("said-skipped", span = crate::human_time::human(skipped.0));
            // Shown beside the clock; the live region speaks of what the user did, not of every
            // frame the player skips.
            self.skip_note = Some(note);
            self.rate_samples.clear();
        }
        match self.run_frame_within_budget(&pace, speed) {
            Ok(reached) => self.behind = !reached,
            Err(e) => self.fail(&e),
        }
        self.rate_samples
            .push_back((self.sim().now(), self.sim().events_processed()));
        while self.rate_samples.len() > RATE_SAMPLES_MAX {
            self.rate_samples.pop_front();
        }
    }

    /// Simulation events per virtual second over the last frames (0 until there are two).
    /// One frame of a long jump: as many events as [`JUMP_FRAME_WORK_MS_MAX`] of wall time
    /// allows, then the page draws where the jump has got to.
    fn continue_jump(&mut self, mut seeking: Seeking) {
        let started = wall_clock_ms();
        loop {
            let slice = seeking.events_left.min(EVENTS_BETWEEN_CLOCK_CHECKS * 8);
            match self.timeline.run_until(seeking.target, slice) {
                Ok(progress) if progress.reached => {
                    self.seeking = None;
                    self.panel_revision += 1;
                    self.announcement = crate::tr!("said-moved", at = crate::human_time::clock(seeking.target));
                    return;
                }
                Ok(progress) => seeking.events_left = seeking.events_left.saturating_sub(progress.processed.max(1)),
                Err(e) => {
                    self.seeking = None;
                    self.fail(&e);
                    return;
                }
            }
            if seeking.events_left == 0 {
                self.seeking = None;
                self.panel_revision += 1;
                self.error = Some(crate::tr!(
                    "error-jump-stopped",
                    at = crate::human_time::clock(self.sim().now()),
                    target = crate::human_time::clock(seeking.target),
                    most = MAX_EVENTS_PER_JUMP
                ));
                return;
            }
            if wall_clock_ms() - started > JUMP_FRAME_WORK_MS_MAX {
                break;
            }
        }
        self.seeking = Some(seeking);
        // The detailed panels follow a few times a second, as while playing.
        self.frames_since_refresh += 1;
        if self.frames_since_refresh >= PANEL_REFRESH_FRAMES_MIN {
            self.frames_since_refresh = 0;
            self.panel_revision += 1;
        }
    }

    /// Runs the frame's events (see [`crate::motion::run_frame`]) in slices, looking at the wall
    /// clock between them: past [`FRAME_WORK_MS_MAX`] the frame stops short of its target.
    pub(super) fn run_frame_within_budget(&mut self, pace: &crate::motion::Pace, speed: f64) -> Result<bool, SimError> {
        let started = wall_clock_ms();
        let mut left = MAX_EVENTS_PER_FRAME;
        loop {
            let before = self.sim().events_processed();
            let slice = left.min(EVENTS_BETWEEN_CLOCK_CHECKS);
            if crate::motion::run_frame(&mut self.timeline, pace, speed, slice)? {
                return Ok(true);
            }
            let done = self.sim().events_processed() - before;
            left = left.saturating_sub(done.max(1));
            if left == 0 || wall_clock_ms() - started > FRAME_WORK_MS_MAX {
                return Ok(false);
            }
        }
    }

    pub fn events_per_s(&self) -> f64 {
        match (self.rate_samples.front(), self.rate_samples.back()) {
            (Some(&(t0, e0)), Some(&(t1, e1))) if t1 > t0 => (e1 - e0) as f64 / ((t1.0 - t0.0) as f64 / 1e6),
            _ => 0.0,
        }
    }

    /// True before anything has happened: edits then change the initial setup.
    pub(super) fn at_start(&self) -> bool {
        self.sim().now() == SimTime::ZERO && self.sim().events_processed() == 0
    }

    pub(super) fn fail(&mut self, error: &SimError) {
        self.playing = false;
        self.behind = false;
        self.error = Some(crate::tr!(
            "error-simulation-stopped",
            why = crate::i18n::errors::sim(error)
        ));
    }

    /// Describes the first record added since `before`, and how many more there were.
    pub(super) fn announce_records_since(&mut self, before: usize) {
        let (records, start) = (self.timeline.records(), self.timeline.records_start());
        let first = before.max(start).saturating_sub(start).min(records.len());
        let added = &records[first..];
        self.announcement = match added.first() {
            Some(record) => {
                let row = LogRow::of(self.sim(), start + first, record);
                let more = match added.len() - 1 {
                    0 => String::new(),
                    n => crate::tr!("said-more-records", count = n),
                };
                format!(
                    "{}: {} {} {} → {}{more}",
                    row.time, row.what, row.event, row.from, row.to
                )
            }
            None => crate::tr!("said-nothing-recorded", at = self.sim().now().to_string()),
        };
    }
}

/// Milliseconds of the page's clock (0 outside a browser: native tests never run out of time).
fn wall_clock_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}
