//! The reducer's rules, natively: what each action does to the model.

use super::*;

fn model() -> Model {
    Model::order_example()
}

#[test]
fn stepping_processes_one_event_and_announces_it() {
    let mut m = model();
    m.apply(Action::Playback(Playback::Step));
    assert_eq!(m.sim().events_processed(), 1);
    assert!(
        m.announcement
            .contains("Published OrderCreated #0 order-system → order-events"),
        "{}",
        m.announcement
    );
}

#[test]
fn a_listener_added_and_subscribed_from_the_ui_receives_a_published_event() {
    let mut m = model();
    m.apply(Action::Edit(Edit::AddListener("audit".into())));
    m.apply(Action::Edit(Edit::SetSubscription {
        listener: "audit".into(),
        event_type: "OrderStateChanged".into(),
        subscribed: true,
    }));
    assert_eq!(
        m.scenario.event_bus.listeners[1].subscriptions,
        ["OrderStateChanged"],
        "at time 0 it is an initial subscription"
    );
    m.apply(Action::Edit(Edit::Publish {
        event_type: "OrderPaid".into(),
    }));
    for _ in 0..8 {
        m.apply(Action::Playback(Playback::Step));
    }
    let delivered_to_audit = m
        .log_rows()
        .iter()
        .any(|r| r.what == "Delivered" && r.to == "audit" && r.event == "OrderPaid #1");
    assert!(delivered_to_audit, "{:?}", m.log_rows());
}

#[test]
fn a_subscription_changed_mid_run_becomes_a_timed_command() {
    let mut m = model();
    m.apply(Action::Playback(Playback::Step));
    m.apply(Action::Playback(Playback::Tick { wall_ms: 0.0 }));
    let now = m.sim().now();
    m.apply(Action::Edit(Edit::SetSubscription {
        listener: "sms".into(),
        event_type: "OrderStateChanged".into(),
        subscribed: false,
    }));
    let last = m.scenario.script.last().unwrap();
    assert_eq!(last.at.0, now.0);
    assert!(matches!(last.command, Command::Unsubscribe { .. }));
    assert_eq!(m.sim().now(), now, "the re-run lands on the same instant");
}

#[test]
fn playing_advances_virtual_time_by_wall_time_times_speed() {
    // Nothing moves in an empty scenario, so the clock keeps the chosen speed.
    let mut m = Model::new(Scenario::empty(1)).unwrap();
    m.apply(Action::Playback(Playback::SetSpeed(SPEED_REAL_TIME + 2))); // 10×
    m.apply(Action::Playback(Playback::Tick { wall_ms: 50.0 }));
    assert_eq!(m.sim().now(), SimTime::ZERO, "ticks do nothing while paused");
    m.apply(Action::Playback(Playback::Play));
    m.apply(Action::Playback(Playback::Tick { wall_ms: 50.0 }));
    assert_eq!(m.sim().now(), SimTime(500_000));
    m.apply(Action::Playback(Playback::Tick { wall_ms: 10_000.0 }));
    assert_eq!(m.sim().now(), SimTime(1_500_000), "one frame counts for at most 100 ms");
}

/// Plays `m` for `frames` frames of 16 ms; returns, per frame, the trips in flight.
fn play_frames(m: &mut Model, frames: usize) -> Vec<Vec<crate::motion::Trip>> {
    m.apply(Action::Playback(Playback::Play));
    (0..frames)
        .map(|_| {
            m.apply(Action::Playback(Playback::Tick { wall_ms: 16.0 }));
            crate::motion::trips_of(m.sim()).0
        })
        .collect()
}

#[test]
fn a_lone_message_slows_the_clock_so_its_trip_is_seen_over_many_frames() {
    let mut m = model();
    let frames = play_frames(&mut m, 400);
    assert!(m.effective_speed <= 1.0);
    // The first trip (a published event on its way) is on screen for at least 40 frames, at
    // increasing progress, and the clock is slowed below 1× for it.
    let first = frames.iter().position(|f| !f.is_empty()).expect("a message moves");
    let trip = frames[first][0];
    let shown = frames.iter().filter(|f| f.contains(&trip)).count();
    assert!(shown >= 40, "shown in {shown} frames");
    assert!(
        first < 130,
        "the first message moves within two seconds (frame {first})"
    );
}

#[test]
fn a_long_stretch_with_nothing_scheduled_is_skipped_and_said() {
    let mut m = model();
    m.apply(Action::Share(Share::LoadPreset("event-sourcing".into())));
    assert!(m.error.is_none(), "{:?}", m.error);
    play_frames(&mut m, 2);
    let note = m.skip_note.clone().expect("skipped");
    assert!(
        note.starts_with("Skipped ") && note.ends_with(" with nothing scheduled"),
        "{note}"
    );
    assert!(m.sim().now() > SimTime(3_600_000_000), "{}", m.sim().now());
    // What the user does next clears the note.
    m.apply(Action::Playback(Playback::Pause));
    assert_eq!(m.skip_note, None);
}

#[test]
fn a_taken_name_is_refused_next_to_its_field_and_nothing_changes() {
    let mut m = model();
    let before = m.scenario.clone();
    m.apply(Action::Edit(Edit::AddListener("sms".into())));
    assert_eq!(m.scenario, before);
    let (field, message) = m.field_error.clone().unwrap();
    assert_eq!(field, Field::NewListener);
    assert_eq!(message, "The name \"sms\" is already used by a listener.");
}

#[test]
fn removing_a_source_removes_its_script_and_keeps_the_clock() {
    let mut m = model();
    m.apply(Action::Playback(Playback::Play));
    m.apply(Action::Playback(Playback::Tick { wall_ms: 50.0 }));
    let now = m.sim().now();
    m.apply(Action::Edit(Edit::RemoveEntity("order-system".into())));
    assert!(m
        .scenario
        .script
        .iter()
        .all(|e| !matches!(e.command, Command::Publish { .. })));
    assert_eq!(m.sim().now(), now);
    assert_eq!(m.selected_source, None);
    m.apply(Action::Edit(Edit::Publish {
        event_type: "OrderPaid".into(),
    }));
    assert!(m.error.as_deref().unwrap().contains("Add a source first"));
}

#[test]
fn a_bad_processing_time_is_refused_with_a_message() {
    let mut m = model();
    m.apply(Action::Edit(Edit::SetProcessingTimeMs {
        listener: "sms".into(),
        text: "fast".into(),
    }));
    assert!(m.field_error.unwrap().1.contains("\"fast\" is not a whole number"));
    let mut m = model();
    m.apply(Action::Edit(Edit::SetProcessingTimeMs {
        listener: "sms".into(),
        text: "250".into(),
    }));
    assert_eq!(
        m.scenario.event_bus.listeners[0].processing_time,
        eda_sim::Distribution::Constant(SimDuration(250_000))
    );
}

#[test]
fn reset_returns_to_time_zero_with_the_same_scenario() {
    let mut m = model();
    for _ in 0..5 {
        m.apply(Action::Playback(Playback::Step));
    }
    let scenario = m.scenario.clone();
    m.apply(Action::Playback(Playback::Reset));
    assert_eq!((m.sim().now(), m.timeline.records().len()), (SimTime::ZERO, 0));
    assert_eq!(m.scenario, scenario);
}

#[test]
fn stepping_back_restores_the_previous_moment_exactly() {
    let mut m = model();
    for _ in 0..3 {
        m.apply(Action::Playback(Playback::Step));
    }
    let (now, rows, hash) = (m.sim().now(), m.log_rows(), m.sim().trace_hash());
    m.apply(Action::Playback(Playback::Step));
    m.apply(Action::Playback(Playback::StepBack));
    assert_eq!((m.sim().now(), m.log_rows(), m.sim().trace_hash()), (now, rows, hash));
    assert!(m.announcement.starts_with("Stepped back to"));
}

#[test]
fn seeking_and_jumping_show_the_state_at_that_instant() {
    let mut m = model();
    m.apply(Action::Playback(Playback::SeekTime(SimTime(1_500_000))));
    assert_eq!(m.sim().now(), SimTime(1_500_000));
    let handled: Vec<String> = m
        .log_rows()
        .into_iter()
        .filter(|r| r.what == "Handled")
        .map(|r| r.event)
        .collect();
    assert_eq!(handled, ["OrderPaid #1", "OrderCreated #0"]);
    m.apply(Action::Playback(Playback::JumpTo("0.5s".into())));
    assert_eq!(m.sim().now(), SimTime(500_000));
    assert_eq!(m.log_rows().iter().filter(|r| r.what == "Handled").count(), 1);
    m.apply(Action::Playback(Playback::JumpTo("soon".into())));
    let (field, message) = m.field_error.clone().unwrap();
    assert_eq!(field, Field::JumpTo);
    assert!(message.contains("unknown unit \"soon\""), "{message}");
    assert_eq!(m.sim().now(), SimTime(500_000), "a bad time changes nothing");
}

#[test]
fn loading_an_example_replaces_the_scenario_and_commands_act_on_any_pattern() {
    let mut m = model();
    m.apply(Action::Playback(Playback::SetSpeed(8)));
    m.apply(Action::Share(Share::LoadPreset("request-reply".into())));
    assert_eq!(m.scenario.name, "Shop checkout under a load ramp");
    assert_eq!(m.speed_index, 8, "the speed is kept");
    assert_eq!(m.sim().now(), SimTime::ZERO);
    m.apply(Action::Edit(Edit::RunCommand(Command::Crash {
        entity: "order-service".into(),
    })));
    m.apply(Action::Playback(Playback::SeekTime(SimTime(1_000_000))));
    let report = m.sim().report();
    let service = report.entity("order-service").unwrap();
    assert_eq!(
        service.number("completed"),
        Some(0.0),
        "crashed at 0: nothing completes"
    );
    assert!(service.number("refused").unwrap() > 0.0);
    m.apply(Action::Share(Share::LoadPreset("nope".into())));
    assert_eq!(m.error.as_deref(), Some("There is no built-in example \"nope\"."));
    assert_eq!(m.scenario.name, "Shop checkout under a load ramp", "nothing lost");
}

#[test]
fn the_log_filters_by_entity_and_text_and_a_row_moves_the_cursor_to_its_event() {
    let mut m = model();
    m.apply(Action::Playback(Playback::SeekTime(SimTime(3_000_000))));
    m.apply(Action::Inspect(Inspect::FilterLog {
        entity: "sms".into(),
        text: "handled".into(),
    }));
    let rows = m.log_rows();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.what == "Handled" && r.from == "sms"));
    let paid = rows.iter().find(|r| r.event == "OrderPaid #1").unwrap().clone();
    m.apply(Action::Inspect(Inspect::SeekToRecord(paid.index)));
    assert_eq!(
        m.sim().now().to_string(),
        paid.time,
        "the cursor is at the record's instant"
    );
    assert_eq!(m.log_rows()[0], paid, "and the record is the newest one shown");
    assert_eq!(m.selected, ["sms"]);
    m.apply(Action::Inspect(Inspect::FilterLog {
        entity: String::new(),
        text: "nothing matches this".into(),
    }));
    assert!(m.log_rows().is_empty());
}

#[test]
fn reset_after_running_past_the_last_event_returns_to_zero() {
    let mut m = model();
    m.apply(Action::Playback(Playback::SeekTime(SimTime(10_000_000))));
    assert_eq!(m.sim().now(), SimTime(10_000_000));
    m.apply(Action::Playback(Playback::Reset));
    assert_eq!(m.sim().now(), SimTime::ZERO);
    assert!(m.log_rows().is_empty());
    m.apply(Action::Playback(Playback::SeekTime(SimTime(4_000_000))));
    assert_eq!(m.sim().now(), SimTime(4_000_000), "the whole span stays reachable");
}

#[test]
fn picking_an_event_shows_the_path_of_its_message_so_far() {
    let mut m = model();
    m.apply(Action::Playback(Playback::SeekTime(SimTime(3_000_000))));
    let delivered = m
        .log_rows()
        .into_iter()
        .find(|r| r.what == "Delivered" && r.event == "OrderPaid #1")
        .unwrap();
    m.apply(Action::Inspect(Inspect::SeekToRecord(delivered.index)));
    let (picked, path) = m.inspected.clone().unwrap();
    assert_eq!(picked, delivered.index);
    let whats: Vec<String> = path
        .iter()
        .map(|&i| LogRow::of(m.sim(), i, &m.timeline.records()[i]).what)
        .collect();
    // Up to the picked record: what happened to it later is not part of its path so far.
    assert_eq!(whats, ["Published", "Dispatched", "Delivered"]);
    assert!(path
        .iter()
        .all(|&i| LogRow::of(m.sim(), i, &m.timeline.records()[i]).event == "OrderPaid #1"));
    m.apply(Action::Inspect(Inspect::CloseInspector));
    assert!(m.inspected.is_none());
}

#[test]
fn panels_redraw_on_every_action_and_every_tenth_of_a_second_and_sixth_frame_while_playing() {
    let playground = Rc::new(Playground::default());
    let revision = |p: &Rc<Playground>| p.model.borrow().panel_revision;
    let before = revision(&playground);
    let playground = playground.reduce(Action::Share(Share::LoadPreset("topics".into())));
    assert!(revision(&playground) > before, "loading an example redraws the panels");
    let playground = playground.reduce(Action::Playback(Playback::Play));
    let after_play = revision(&playground);
    let playground = playground.reduce(Action::Playback(Playback::Tick { wall_ms: 40.0 }));
    assert_eq!(revision(&playground), after_play, "a frame alone does not redraw them");
    let playground = playground.reduce(Action::Playback(Playback::Tick { wall_ms: 70.0 }));
    assert_eq!(
        revision(&playground),
        after_play,
        "nor two slow ones: at most every sixth frame"
    );
    let mut playground = playground;
    for _ in 2..PANEL_REFRESH_FRAMES_MIN {
        playground = playground.reduce(Action::Playback(Playback::Tick { wall_ms: 16.0 }));
    }
    assert_eq!(revision(&playground), after_play + 1, "but 100 ms over six frames do");
}

#[test]
fn a_link_reopens_the_same_moment_selection_and_hash() {
    let mut m =
        Model::new(Scenario::from_json(eda_sim::view::presets::preset("queues").unwrap().json).unwrap()).unwrap();
    m.apply(Action::Playback(Playback::SeekTime(SimTime(2_500_000))));
    let row = m.log_rows()[3].clone();
    m.apply(Action::Inspect(Inspect::SeekToRecord(row.index)));
    let link = m.link().unwrap();
    let mut other = model();
    other.apply(Action::Share(Share::OpenLink(format!("http://127.0.0.1:8080/#{link}"))));
    assert_eq!(other.error, None);
    assert_eq!(other.sim().now(), m.sim().now());
    assert_eq!(
        other.sim().events_processed(),
        m.sim().events_processed(),
        "the exact event, not just the instant"
    );
    assert_eq!(other.sim().trace_hash(), m.sim().trace_hash());
    assert_eq!(other.selected, m.selected);
    // Between two events of one instant: the link keeps the exact event.
    let mut m =
        Model::new(Scenario::from_json(eda_sim::view::presets::preset("queues").unwrap().json).unwrap()).unwrap();
    for _ in 0..10_000 {
        if m.sim().events_processed() > 0 && m.sim().next_event_time() == Some(m.sim().now()) {
            break;
        }
        m.apply(Action::Playback(Playback::Step));
    }
    assert_eq!(
        m.sim().next_event_time(),
        Some(m.sim().now()),
        "found two events at one instant"
    );
    let mut other = model();
    other.apply(Action::Share(Share::OpenLink(m.link().unwrap())));
    assert_eq!(other.sim().events_processed(), m.sim().events_processed());
    assert_eq!(other.sim().trace_hash(), m.sim().trace_hash());
}

#[test]
fn a_bad_link_or_file_is_named_and_the_scenario_stays() {
    let mut m = model();
    let before = m.scenario.clone();
    m.apply(Action::Share(Share::OpenLink("#v1.@@@".into())));
    assert!(m.error.as_ref().unwrap().contains("base64url"), "{:?}", m.error);
    assert_eq!(m.scenario, before);
    for (name, size, text, message) in [
        (
            "a.json",
            10,
            Some("nope".to_string()),
            "a.json was not imported: it is not JSON",
        ),
        (
            "b.json",
            0,
            Some(String::new()),
            "b.json was not imported: the file is empty.",
        ),
        (
            "c.json",
            50 * 1024 * 1024,
            None,
            "c.json was not imported: it is 50.0 MB",
        ),
        ("d.json", 20, Some("{\"version\": 3}".to_string()), "version"),
    ] {
        m.apply(Action::Share(Share::ImportFile {
            name: name.into(),
            size_bytes: size,
            text,
        }));
        let error = m.error.take().unwrap();
        assert!(error.contains(message), "{error}");
        assert!(error.contains("The scenario on screen is unchanged."), "{error}");
        assert_eq!(m.scenario, before);
    }
}

#[test]
fn a_saved_scenario_is_offered_only_when_it_differs_and_restored_on_request() {
    let mut m = model();
    m.apply(Action::Share(Share::OfferRestore(m.scenario.to_json_pretty())));
    assert!(m.restore_offer.is_none(), "the same scenario is not offered");
    m.apply(Action::Share(Share::OfferRestore("not json".into())));
    assert!(m.restore_offer.is_none(), "a broken save is not offered");
    let saved = eda_sim::view::presets::preset("topics").unwrap().json.to_string();
    m.apply(Action::Share(Share::OfferRestore(saved)));
    assert!(m.restore_offer.is_some());
    m.apply(Action::Share(Share::Restore(true)));
    assert_eq!(m.scenario.name, "Order status over a broker");
    assert!(m.restore_offer.is_none());
}

/// A queue whose name carries an invisible character, as an earlier build let it be saved.
const SAVED_BEFORE_THE_STRICTER_RULES: &str =
    r#"{"version": 1, "name": "Jobs", "broker": {"queues": [{"id": "jobs\u200b"}]}}"#;

#[test]
fn a_saved_scenario_refused_by_the_stricter_rules_is_offered_repaired_and_says_how() {
    let mut m = model();
    assert!(Scenario::from_json(SAVED_BEFORE_THE_STRICTER_RULES).is_err());
    m.apply(Action::Share(Share::OfferRestore(
        SAVED_BEFORE_THE_STRICTER_RULES.into(),
    )));
    assert_eq!(
        m.restore_repairs,
        [r#"renamed "jobs\u{200b}" to "jobs", without its invisible characters"#]
    );
    m.apply(Action::Share(Share::Restore(true)));
    assert_eq!(m.scenario.name, "Jobs");
    assert_eq!(m.scenario.broker.queues[0].id, "jobs");
}

#[test]
fn a_link_refused_by_the_stricter_rules_says_why_and_opens_repaired_on_request() {
    let mut m = model();
    let before = m.scenario.clone();
    let json = format!("{{\"scenario\":{SAVED_BEFORE_THE_STRICTER_RULES}}}");
    let link = eda_sim::view::share::encode_json(&json);
    m.apply(Action::Share(Share::OpenLink(link)));
    assert!(
        m.error.as_deref().unwrap().contains("scenario.broker.queues[0].id"),
        "{:?}",
        m.error
    );
    assert_eq!(m.scenario, before, "nothing changed yet");
    assert!(m.repair_offer().is_some());
    // Another alert replaces the offer's: the repair is no longer offered with it.
    let refused = m.error.clone();
    m.error = Some("Another problem.".into());
    assert!(m.repair_offer().is_none());
    m.apply(Action::Share(Share::OpenRepairedLink));
    assert_eq!(m.scenario, before, "a stale offer opens nothing");
    m.error = refused;
    m.apply(Action::Share(Share::OpenRepairedLink));
    assert_eq!(m.error, None);
    assert_eq!(m.scenario.broker.queues[0].id, "jobs");
    assert!(m.announcement.starts_with("Opened a repaired copy of the link"));
}

#[test]
fn a_long_jump_goes_on_over_the_frames_and_can_be_stopped() {
    let mut m = model();
    m.apply(Action::Share(Share::LoadPreset("request-reply".into())));
    m.apply(Action::Playback(Playback::JumpTo("3min".into())));
    let seeking = m.seeking.expect("too far for one go");
    assert_eq!(seeking.target, SimTime(180_000_000));
    assert!(m.sim().now() < SimTime(180_000_000));
    assert!(m.frames_wanted() && !m.playing && m.error.is_none());
    // Anything the user does stops it where it got to.
    m.apply(Action::Playback(Playback::Pause));
    assert!(m.seeking.is_none() && !m.frames_wanted());
    // Jump again and let the frames take it to the end.
    m.apply(Action::Playback(Playback::JumpTo("3min".into())));
    let mut frames = 0;
    while m.seeking.is_some() && frames < 20 {
        m.apply(Action::Playback(Playback::Tick { wall_ms: 16.0 }));
        frames += 1;
    }
    assert_eq!(m.sim().now(), SimTime(180_000_000));
    assert!(m.seeking.is_none());
    assert_eq!(m.announcement, "Moved to 3 min 0 s.");
}
