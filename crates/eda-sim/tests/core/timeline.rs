//! The timeline: seeking and stepping back show exactly the state a fresh run has there, and
//! seeking replays from a nearby snapshot, not from time 0.

use eda_sim::view::timeline::{Timeline, MAX_SNAPSHOTS, SNAPSHOT_BYTES_MAX};
use eda_sim::{Scenario, Sim, SimTime};

fn scenario() -> Scenario {
    Scenario::from_json(include_str!("../../../../docs/examples/order-system.json")).unwrap()
}

/// A fresh simulation stepped `n` times.
fn fresh(n: u64) -> Sim {
    let mut sim = Sim::new(&scenario()).unwrap();
    for _ in 0..n {
        sim.step().unwrap();
    }
    sim
}

#[test]
fn seeking_to_any_event_shows_what_a_fresh_run_has_there() {
    let mut timeline = Timeline::new(&scenario()).unwrap();
    timeline.seek_to_event(5_000).unwrap();
    for n in [4_999, 0, 1, 255, 256, 257, 3_000, 1_234, 5_000, 4_321, 7_000] {
        timeline.seek_to_event(n).unwrap();
        let expected = fresh(n);
        assert_eq!(timeline.sim().events_processed(), n);
        assert_eq!(timeline.sim().trace_hash(), expected.trace_hash(), "at event {n}");
        assert_eq!(timeline.sim().now(), expected.now());
        assert_eq!(timeline.records(), expected.trace().records(), "records at event {n}");
        assert_eq!(timeline.sim().report(), expected.report());
    }
}

#[test]
fn stepping_back_undoes_exactly_one_event() {
    let mut timeline = Timeline::new(&scenario()).unwrap();
    timeline.seek_to_event(700).unwrap();
    let hash = timeline.sim().trace_hash();
    let records = timeline.records().len();
    timeline.step().unwrap();
    assert_ne!(timeline.sim().trace_hash(), hash);
    assert!(timeline.step_back().unwrap());
    assert_eq!(timeline.sim().events_processed(), 700);
    assert_eq!(timeline.sim().trace_hash(), hash);
    assert_eq!(timeline.records().len(), records);
    timeline.seek_to_event(0).unwrap();
    assert!(!timeline.step_back().unwrap(), "nothing before the start");
}

#[test]
fn seeking_to_an_instant_equals_running_to_it() {
    let mut timeline = Timeline::new(&scenario()).unwrap();
    for seconds_x10 in [150u64, 30, 95, 200, 10, 0] {
        let t = SimTime(seconds_x10 * 100_000);
        timeline.seek_to_time(t, u64::MAX).unwrap();
        let mut expected = Sim::new(&scenario()).unwrap();
        expected.run_until(t).unwrap();
        assert_eq!(timeline.sim().now(), t);
        assert_eq!(timeline.sim().trace_hash(), expected.trace_hash(), "at {t}");
        assert_eq!(timeline.sim().events_processed(), expected.events_processed());
    }
}

#[test]
fn snapshots_stay_few_and_a_seek_replays_only_from_the_nearest_one() {
    let busy = Scenario::from_json(include_str!("../../../../docs/examples/request-reply.json")).unwrap();
    let mut timeline = Timeline::new(&busy).unwrap();
    timeline.seek_to_time(SimTime(60_000_000), u64::MAX).unwrap();
    let events = timeline.frontier_events();
    assert!(events > 50_000, "{events}");
    assert!(timeline.snapshot_count() <= MAX_SNAPSHOTS);
    let most = events / (MAX_SNAPSHOTS as u64 / 2);
    for n in [events - 1, events / 2 + 17, 3, events / 3] {
        timeline.seek_to_event(n).unwrap();
        assert!(
            timeline.last_replay() <= most,
            "seek to {n} replayed {} events",
            timeline.last_replay()
        );
    }
}

#[test]
fn seeking_to_a_record_lands_just_after_the_event_that_wrote_it() {
    let mut timeline = Timeline::new(&scenario()).unwrap();
    timeline.seek_to_event(2_000).unwrap();
    let records = timeline.records().to_vec();
    for r in [0, 1, 17, 500, records.len() - 1] {
        timeline.seek_to_event(timeline.event_of_record(r)).unwrap();
        let visible = timeline.records();
        assert!(visible.len() > r, "record {r} exists at its event");
        assert_eq!(visible[r], records[r]);
        // One event earlier it did not exist yet (unless it was written at start-up).
        if timeline.step_back().unwrap() {
            assert!(
                timeline.records().len() <= r,
                "record {r} is written by that very event"
            );
        }
    }
}

#[test]
fn chart_samples_are_evenly_spaced_bounded_and_equal_to_the_state_at_their_instant() {
    let busy = Scenario::from_json(include_str!("../../../../docs/examples/request-reply.json")).unwrap();
    let mut timeline = Timeline::new(&busy).unwrap();
    timeline.seek_to_time(SimTime(60_000_000), u64::MAX).unwrap();
    let samples = timeline.samples();
    assert!(
        samples.len() > 100 && samples.len() <= eda_sim::view::timeline::MAX_SAMPLES,
        "{}",
        samples.len()
    );
    let gap = samples[1].time.0 - samples[0].time.0;
    assert!(samples.windows(2).all(|w| w[1].time.0 - w[0].time.0 == gap));
    for sample in [&samples[10], &samples[samples.len() / 2], samples.last().unwrap()] {
        let mut fresh = Sim::new(&busy).unwrap();
        fresh.run_until(sample.time).unwrap();
        let completed = fresh
            .report()
            .entity("order-service")
            .unwrap()
            .number("completed")
            .unwrap();
        let sampled = sample
            .values
            .iter()
            .find(|(e, c, _)| e == "order-service" && *c == "completed")
            .unwrap()
            .2;
        assert_eq!(sampled, completed, "at {}", sample.time);
    }
}

#[test]
fn after_running_past_the_last_event_the_start_and_every_event_are_still_reachable() {
    // The order example's last event is at about 3 s; run the clock on to 10 s.
    let scenario = Scenario::from_json(eda_sim::view::presets::ORDER_EVENTS_SMS).unwrap();
    let mut timeline = Timeline::new(&scenario).unwrap();
    timeline.run_until(SimTime(10_000_000), u64::MAX).unwrap();
    let events = timeline.sim().events_processed();
    assert_eq!(timeline.frontier_time(), SimTime(10_000_000));
    // Seeking to the last event brings the clock back to that event's instant.
    timeline.seek_to_event(events).unwrap();
    assert!(timeline.sim().now() < SimTime(10_000_000));
    assert_eq!(
        timeline.frontier_time(),
        SimTime(10_000_000),
        "the furthest instant is remembered"
    );
    // And the start is the start.
    timeline.run_until(SimTime(10_000_000), u64::MAX).unwrap();
    timeline.seek_to_event(0).unwrap();
    assert_eq!((timeline.sim().now(), timeline.records().len()), (SimTime::ZERO, 0));
}

#[test]
fn snapshots_of_a_growing_log_stay_within_their_memory_budget_and_seeks_stay_exact() {
    // A topic nobody reads: its log grows by one record per event, so every snapshot is bigger
    // than the one before.
    let text = r#"{"version": 1, "seed": 7, "broker": {
        "topics": [{"id": "t", "partitions": 2}],
        "producers": [{"id": "p", "topic": "t", "keys": ["a", "b"], "emits": {"every": {"constant": "1ms"}}}]}}"#;
    let log = Scenario::from_json(text).unwrap();
    let mut timeline = Timeline::new(&log).unwrap();
    timeline.seek_to_time(SimTime(150_000_000), u64::MAX).unwrap();
    let events = timeline.frontier_events();
    assert!(
        timeline.sim().retained_items() >= 149_000,
        "{}",
        timeline.sim().retained_items()
    );
    assert!(
        timeline.snapshot_bytes() <= SNAPSHOT_BYTES_MAX,
        "{}",
        timeline.snapshot_bytes()
    );
    assert!(timeline.snapshot_count() >= 2);
    // Thinned by the budget, not the count: fewer snapshots than the count limit allows.
    assert!(
        timeline.snapshot_count() < MAX_SNAPSHOTS / 2,
        "{}",
        timeline.snapshot_count()
    );
    let mut fresh = Sim::new(&log).unwrap();
    for _ in 0..events / 3 {
        fresh.step().unwrap();
    }
    timeline.seek_to_event(events / 3).unwrap();
    assert_eq!(timeline.sim().trace_hash(), fresh.trace_hash());
    assert_eq!(timeline.sim().report(), fresh.report());
}

#[test]
fn replaying_recorded_ground_gives_the_same_hash_and_records_as_recording_it() {
    let mut timeline = Timeline::new(&scenario()).unwrap();
    timeline.seek_to_event(3_000).unwrap();
    let ahead = (timeline.sim().trace_hash(), timeline.records().to_vec());
    // Back to the start, then forward again over recorded ground (replayed without records).
    timeline.seek_to_event(10).unwrap();
    timeline.seek_to_event(3_000).unwrap();
    assert_eq!((timeline.sim().trace_hash(), timeline.records().to_vec()), ahead);
    // Past the recorded ground the cursor records again.
    timeline.seek_to_event(3_200).unwrap();
    assert_eq!(timeline.records(), fresh(3_200).trace().records());
}

#[test]
fn seeking_to_the_instant_a_run_stopped_partway_through_records_the_rest_of_it() {
    // Step until the cursor stands between two events of one instant, at the recorded frontier.
    let mut timeline = Timeline::new(&scenario()).unwrap();
    let mut steps = 0;
    while timeline.sim().next_event_time() != Some(timeline.sim().now()) || timeline.sim().events_processed() == 0 {
        assert!(timeline.step().unwrap(), "the scenario has events sharing an instant");
        steps += 1;
        assert!(steps < 100_000);
    }
    let instant = timeline.sim().now();
    timeline.seek_to_time(instant, u64::MAX).unwrap();
    // Every event of that instant has happened, and each was recorded as new ground.
    let mut expected = Sim::new(&scenario()).unwrap();
    expected.run_until(instant).unwrap();
    let n = expected.events_processed();
    assert!(n > steps, "the rest of the instant ran");
    assert_eq!(timeline.frontier_events(), n);
    assert_eq!(timeline.sim().trace_hash(), expected.trace_hash());
    assert_eq!(timeline.records(), expected.trace().records());
    // The timeline is still whole: stepping back and on works, and keeps recording.
    assert!(timeline.step_back().unwrap());
    timeline.seek_to_event(n + 50).unwrap();
    assert_eq!(timeline.records(), fresh(n + 50).trace().records());
}

#[test]
fn a_long_run_keeps_a_bounded_window_of_records_and_regenerates_older_ones_on_the_way_back() {
    const KEPT: usize = 2_000;
    let mut timeline = Timeline::new(&scenario()).unwrap();
    timeline.keep_records_at_most(KEPT);
    let everything = fresh(8_000);
    let all = everything.trace().records();
    timeline.seek_to_event(8_000).unwrap();
    // Only a window is kept, ending at the cursor, and it is the run's own records.
    assert!(timeline.history().len() <= KEPT, "{}", timeline.history().len());
    let start = timeline.records_start();
    assert!(start > 0);
    assert_eq!(timeline.records_end(), all.len());
    assert_eq!(timeline.records(), &all[start..]);
    assert_eq!(timeline.record(all.len() - 1), all.last());
    assert_eq!(timeline.record(start - 1), None, "dropped");
    // Going back before the window regenerates the records there, exactly.
    for n in [100, 3_000, 7_999, 1] {
        timeline.seek_to_event(n).unwrap();
        let expected = fresh(n);
        let here = expected.trace().records();
        assert_eq!(timeline.sim().trace_hash(), expected.trace_hash(), "at event {n}");
        assert_eq!(timeline.records_end(), here.len(), "at event {n}");
        let start = timeline.records_start();
        assert_eq!(timeline.records(), &here[start..], "at event {n}");
        assert!(timeline.records().len() <= KEPT);
        // The newest record before the cursor is always there to show and inspect.
        if let Some(last) = here.last() {
            assert_eq!(timeline.record(here.len() - 1), Some(last));
        }
    }
    // And forward again past where the first run went.
    timeline.seek_to_event(9_000).unwrap();
    let expected = fresh(9_000);
    assert_eq!(timeline.sim().trace_hash(), expected.trace_hash());
    assert_eq!(
        timeline.records(),
        &expected.trace().records()[timeline.records_start()..]
    );
}
