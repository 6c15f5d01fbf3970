//! How fast the clock runs while playing, so that what moves can be followed. The chosen speed
//! (1×, 10×…) is what the player aims for; around a message on its way between two entities
//! it runs slower, so that the trip takes long enough on screen to be seen (a 50 µs hop at 1×
//! would otherwise be over before the next frame), and across a stretch where nothing is
//! scheduled for a long while it jumps ahead and says how far. When messages are many (a
//! busy system at the chosen speed), nothing is slowed: they are drawn as the stream they are.
//! Every moving mark is still a real message at its real position at the clock's instant.

use eda_sim::view::flow;
use eda_sim::view::timeline::Timeline;
use eda_sim::{Sim, SimDuration, SimError, SimTime};

/// The shortest time a lone message's trip takes on screen, in wall-clock milliseconds.
pub const TRIP_WALL_MS_MIN: f64 = 800.0;
/// The clock never runs more than this many times slower than the chosen speed.
pub const SLOWDOWN_MAX: f64 = 1_000_000.0;
/// Above this many simulation events per wall-clock second at the chosen speed, messages are a
/// stream: each trip is slowed less (to [`TRIP_WALL_MS_IN_STREAM`]), and the clock never runs
/// more than [`SLOWDOWN_MAX_IN_STREAM`] times slower than the chosen speed, so a busy system
/// keeps moving along.
pub const STREAM_EVENTS_PER_WALL_S: f64 = 30.0;
/// Above this chosen speed nothing is slowed down: the user asked for speed, and a fast run
/// draws its messages as streaks (only idle stretches are still skipped).
pub const SLOW_MOTION_SPEED_MAX: f64 = 10.0;
/// The shortest time a trip takes on screen when messages are a stream.
pub const TRIP_WALL_MS_IN_STREAM: f64 = 300.0;
/// The most the clock is slowed when messages are a stream.
pub const SLOWDOWN_MAX_IN_STREAM: f64 = 100.0;
/// A stretch with nothing moving and nothing due for longer than this (wall-clock
/// milliseconds at the chosen speed) is skipped…
pub const IDLE_SKIP_WALL_MS: f64 = 150.0;
/// …up to this long (wall-clock milliseconds at the chosen speed) before the next event.
pub const IDLE_LEAD_WALL_MS: f64 = 50.0;

/// A message on its way: when it left and when it arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trip {
    pub sent: SimTime,
    pub arrives: SimTime,
}

/// What the clock does during one frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pace {
    /// Where the clock should be at the end of the frame.
    pub target: SimTime,
    /// Virtual seconds per wall-clock second during the frame.
    pub speed: f64,
    /// Set when the frame jumps over a stretch where nothing happens: how much was skipped.
    pub skipped: Option<SimDuration>,
}

/// The state of the run the pace depends on, at the start of a frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scene<'a> {
    pub now: SimTime,
    /// Messages between two entities, in flight now.
    pub trips: &'a [Trip],
    /// Whether any entity is working on something (a handler, a worker) now.
    pub busy: bool,
    pub next_event: Option<SimTime>,
    /// Recent simulation events per virtual second (0 when not known yet).
    pub events_per_s: f64,
}

/// Whether messages are too many at `speed` to follow one by one.
pub fn is_stream(events_per_s: f64, speed: f64) -> bool {
    events_per_s * speed > STREAM_EVENTS_PER_WALL_S
}

/// The clock's pace for a frame of `wall_ms` at the chosen `speed`.
pub fn pace(scene: &Scene, speed: f64, wall_ms: f64) -> Pace {
    let advance = |speed: f64| SimDuration((wall_ms * 1_000.0 * speed).round().max(0.0) as u64);
    let stream = is_stream(scene.events_per_s, speed);
    let shortest_us = scene
        .trips
        .iter()
        .filter(|t| t.arrives > scene.now)
        .map(|t| t.arrives.0.saturating_sub(t.sent.0))
        .min();
    if let (true, Some(shortest_us)) = (speed <= SLOW_MOTION_SPEED_MAX, shortest_us) {
        let (trip_wall_ms, slowdown_max) = if stream {
            (TRIP_WALL_MS_IN_STREAM, SLOWDOWN_MAX_IN_STREAM)
        } else {
            (TRIP_WALL_MS_MIN, SLOWDOWN_MAX)
        };
        // Virtual seconds per wall second at which the shortest trip lasts long enough.
        let visible = shortest_us as f64 / 1_000.0 / trip_wall_ms;
        let slowed = visible.clamp(speed / slowdown_max, speed);
        return Pace {
            target: scene.now.saturating_add(advance(slowed)),
            speed: slowed,
            skipped: None,
        };
    }
    let idle = scene.trips.is_empty() && !scene.busy;
    if let (true, Some(next)) = (idle, scene.next_event) {
        let gap_us = next.0.saturating_sub(scene.now.0) as f64;
        let lead_us = IDLE_LEAD_WALL_MS * 1_000.0 * speed;
        if gap_us > IDLE_SKIP_WALL_MS * 1_000.0 * speed {
            let target = SimTime(next.0.saturating_sub(lead_us.round() as u64).max(scene.now.0));
            return Pace {
                target,
                speed,
                skipped: Some(SimDuration(target.0 - scene.now.0)),
            };
        }
    }
    Pace {
        target: scene.now.saturating_add(advance(speed)),
        speed,
        skipped: None,
    }
}

/// Most pending trips and pieces of work looked at to pace a frame.
const FLIGHTS_LOOKED_AT_MAX: usize = 2_000;
/// Most instants one frame processes one by one, looking for a new trip after each.
const INSTANTS_WATCHED_MAX: usize = 64;

/// The messages in flight at the cursor, and whether any entity is working on something.
pub fn trips_of(sim: &Sim) -> (Vec<Trip>, bool) {
    let flights = flow::flights(sim, FLIGHTS_LOOKED_AT_MAX);
    let busy = flights.iter().any(|f| f.from == f.to);
    let trips = flights
        .iter()
        .filter(|f| f.from != f.to)
        .map(|f| Trip {
            sent: f.sent,
            arrives: f.arrives,
        })
        .collect();
    (trips, busy)
}

/// Runs one frame: every event due up to the pace's target (at most `max_events`). At the
/// speeds where trips are slowed down to be seen, it stops at the first instant that sends a
/// message on its way, so that the next frame slows the clock for it before it has gone.
/// Returns whether the target was reached.
pub fn run_frame(timeline: &mut Timeline, pace: &Pace, speed_chosen: f64, max_events: u64) -> Result<bool, SimError> {
    if pace.skipped.is_some() || speed_chosen > SLOW_MOTION_SPEED_MAX {
        return Ok(timeline.run_until(pace.target, max_events)?.reached);
    }
    let mut budget = max_events;
    for _ in 0..INSTANTS_WATCHED_MAX {
        let Some(next) = timeline.sim().next_event_time().filter(|&t| t <= pace.target) else {
            return Ok(timeline.run_until(pace.target, budget)?.reached);
        };
        let progress = timeline.run_until(next, budget)?;
        budget -= progress.processed;
        if !progress.reached {
            return Ok(false);
        }
        let (trips, _) = trips_of(timeline.sim());
        if trips.iter().any(|t| t.sent == next && t.arrives > next) {
            return Ok(true);
        }
    }
    Ok(timeline.run_until(pace.target, budget)?.reached)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trip(sent: u64, arrives: u64) -> Trip {
        Trip {
            sent: SimTime(sent),
            arrives: SimTime(arrives),
        }
    }

    fn scene(now: u64, trips: &[Trip], next: Option<u64>) -> Scene<'_> {
        Scene {
            now: SimTime(now),
            trips,
            busy: false,
            next_event: next.map(SimTime),
            events_per_s: 2.0,
        }
    }

    #[test]
    fn a_short_trip_slows_the_clock_until_it_lasts_long_enough_to_see() {
        let trips = [trip(1_000, 1_050)];
        let p = pace(&scene(1_000, &trips, Some(1_050)), 1.0, 16.0);
        // 50 µs over 800 ms of wall time.
        assert!((p.speed - 50e-6 / 0.8).abs() < 1e-12, "{}", p.speed);
        let frames = (50.0 / (p.target.0 - 1_000) as f64).round();
        assert!((45.0..=55.0).contains(&frames), "{frames} frames");
        assert_eq!(p.skipped, None);
    }

    #[test]
    fn a_trip_long_enough_keeps_the_chosen_speed() {
        let trips = [trip(0, 5_000_000)];
        let p = pace(&scene(0, &trips, Some(5_000_000)), 1.0, 20.0);
        assert_eq!((p.speed, p.target), (1.0, SimTime(20_000)));
    }

    #[test]
    fn many_events_at_the_chosen_speed_are_a_stream_and_are_slowed_less() {
        let trips = [trip(0, 50)];
        let mut busy = scene(0, &trips, Some(50));
        busy.events_per_s = 500.0;
        let p = pace(&busy, 1.0, 20.0);
        assert_eq!(p.speed, 1.0 / SLOWDOWN_MAX_IN_STREAM);
        let trips = [trip(0, 30_000)];
        let mut busy = scene(0, &trips, Some(30_000));
        busy.events_per_s = 500.0;
        assert_eq!(pace(&busy, 1.0, 20.0).speed, 0.1);
        assert!(is_stream(500.0, 1.0) && !is_stream(500.0, 0.01));
    }

    #[test]
    fn a_long_idle_stretch_is_skipped_to_just_before_the_next_event_and_said() {
        let nine_hours = 9 * 3_600 * 1_000_000;
        let p = pace(&scene(0, &[], Some(nine_hours)), 1.0, 16.0);
        assert_eq!(p.target, SimTime(nine_hours - 50_000));
        assert_eq!(p.skipped, Some(SimDuration(nine_hours - 50_000)));
        // Not while something is being worked on, nor for a short gap.
        let mut working = scene(0, &[], Some(nine_hours));
        working.busy = true;
        assert_eq!(pace(&working, 1.0, 16.0).skipped, None);
        assert_eq!(pace(&scene(0, &[], Some(100_000)), 1.0, 16.0).skipped, None);
    }

    #[test]
    fn the_slowdown_has_a_floor() {
        let trips = [trip(0, 1)];
        let mut sparse = scene(0, &trips, Some(1));
        sparse.events_per_s = 0.001;
        let p = pace(&sparse, 10.0, 16.0);
        assert_eq!(p.speed, 10.0 / SLOWDOWN_MAX);
        sparse.events_per_s = 100.0;
        assert_eq!(pace(&sparse, 10.0, 16.0).speed, 10.0 / SLOWDOWN_MAX_IN_STREAM);
        // Above the slow-motion speeds the chosen speed is kept.
        assert_eq!(pace(&sparse, 100.0, 16.0).speed, 100.0);
    }
}
