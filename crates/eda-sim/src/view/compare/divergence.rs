//! The first moment two runs part: both scenarios run in lockstep, event by event, their
//! records compared as they are written, until one record differs, one run ends before the
//! other, or the event budget is spent.

use crate::kernel::time::SimTime;
use crate::scenario::Scenario;
use crate::view::lesson::record_line;
use crate::{Sim, TraceRecord};
use serde::Serialize;

/// Where two runs part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Divergence {
    /// Events both runs processed alike before the one whose records differ.
    pub events: u64,
    /// The instant of the first differing record (in JSON, microseconds).
    #[serde(rename = "time_us")]
    pub time: SimTime,
    /// The differing record in each run, as a log line (`None`: that run wrote no record there).
    pub a: Option<String>,
    pub b: Option<String>,
}

/// What the search found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstDivergence {
    /// The runs part here.
    At(Divergence),
    /// The runs are the same for as long as they were compared: to their end or their duration
    /// (`finished`), or for `events` events up to `time` (the budget ran out).
    Same {
        events: u64,
        #[serde(rename = "time_us")]
        time: SimTime,
        finished: bool,
    },
}

/// Runs `a` and `b` (with `a`'s seed) side by side for at most `max_events` events each, up to
/// `until` (or, when both have a `duration`, the longer one), and returns where their traces
/// first differ.
/// Errors (a scenario that is not valid, a run stopped by a limit) are in words.
pub fn first_divergence(
    a: &Scenario,
    b: &Scenario,
    until: Option<SimTime>,
    max_events: u64,
) -> Result<FirstDivergence, String> {
    let b = super::same_seed(a, b);
    let mut sa = Sim::new(a).map_err(|e| format!("A: {e}"))?;
    let mut sb = Sim::new(&b).map_err(|e| format!("B: {e}"))?;
    // Records name entities by number: when both runs have the same entities in the same order
    // they compare as they are; otherwise as the lines the log shows.
    let same_entities = sa
        .entities()
        .iter()
        .map(|e| &e.name)
        .eq(sb.entities().iter().map(|e| &e.name));
    let end = until.or(match (a.duration, b.duration) {
        (Some(x), Some(y)) => Some(SimTime(x.max(y).0)),
        _ => None,
    });
    let mut events: u64 = 0;
    loop {
        let (ra, rb) = (sa.take_new_records(), sb.take_new_records());
        // The records of the event just processed (or of the start): the events before it agree.
        if let Some(parted) = parting(&sa, &ra, &sb, &rb, same_entities, events.saturating_sub(1)) {
            return Ok(FirstDivergence::At(parted));
        }
        if events >= max_events {
            return Ok(FirstDivergence::Same {
                events,
                time: sa.now(),
                finished: false,
            });
        }
        // Scenarios that both say how long they last are compared for that long.
        let past = |sim: &Sim| end.is_some_and(|end| sim.next_event_time().is_none_or(|t| t > end));
        if past(&sa) && past(&sb) {
            return Ok(FirstDivergence::Same {
                events,
                time: sa.now(),
                finished: true,
            });
        }
        let more_a = sa.step().map_err(|e| format!("A: {e}"))?;
        let more_b = sb.step().map_err(|e| format!("B: {e}"))?;
        match (more_a, more_b) {
            (false, false) => {
                return Ok(FirstDivergence::Same {
                    events,
                    time: sa.now(),
                    finished: true,
                })
            }
            (true, true) => events += 1,
            // One run has more to do than the other: they part at its next record.
            _ => {
                let (ra, rb) = (sa.take_new_records(), sb.take_new_records());
                let time = ra.first().or(rb.first()).map_or(sa.now().max(sb.now()), |r| r.time);
                return Ok(FirstDivergence::At(Divergence {
                    events,
                    time,
                    a: ra.first().map(|r| record_line(&sa, r)),
                    b: rb.first().map(|r| record_line(&sb, r)),
                }));
            }
        }
    }
}

/// The first pair of records that differ in one event's records, if any.
fn parting(
    sa: &Sim,
    ra: &[TraceRecord],
    sb: &Sim,
    rb: &[TraceRecord],
    same_entities: bool,
    events: u64,
) -> Option<Divergence> {
    let same = |x: &TraceRecord, y: &TraceRecord| {
        x.time == y.time
            && if same_entities {
                x.kind == y.kind
            } else {
                record_line(sa, x) == record_line(sb, y)
            }
    };
    let at = (0..ra.len().max(rb.len())).find(|&i| match (ra.get(i), rb.get(i)) {
        (Some(x), Some(y)) => !same(x, y),
        _ => true,
    })?;
    let time = match (ra.get(at), rb.get(at)) {
        (Some(x), Some(y)) => x.time.min(y.time),
        (Some(x), None) | (None, Some(x)) => x.time,
        (None, None) => sa.now(),
    };
    Some(Divergence {
        events,
        time,
        a: ra.get(at).map(|r| record_line(sa, r)),
        b: rb.get(at).map(|r| record_line(sb, r)),
    })
}
