//! Guided lessons: every built-in lesson loads and works (each goal refused before its step's
//! moves and met after them), a step opened by its link starts where the earlier steps left
//! off, lesson links go both ways, and every way a lesson file can be wrong is named.

use eda_sim::view::lesson::{
    builtin, builtins, check_lesson, decode_link, encode_link, is_lesson_link, Goal, Lesson, LessonError, Move,
    Practice, BUILTIN,
};
use eda_sim::view::share::{encode_json, LinkError};
use serde_json::{json, Value};

fn first_lesson() -> Value {
    serde_json::from_str(BUILTIN[0]).expect("the first built-in lesson is JSON")
}

fn problems(value: Value) -> String {
    match Lesson::from_value(value) {
        Ok(_) => panic!("the lesson should have been refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn there_are_at_least_eight_built_in_lessons_and_all_load() {
    assert!(BUILTIN.len() >= 8);
    for json in BUILTIN {
        if let Err(e) = Lesson::from_json(json) {
            panic!("a built-in lesson does not load: {e}");
        }
    }
    let ids: Vec<String> = builtins().iter().map(|l| l.id.clone()).collect();
    assert_eq!(ids.len(), BUILTIN.len());
    for (i, id) in ids.iter().enumerate() {
        assert!(!ids[..i].contains(id), "two lessons are called {id}");
        assert_eq!(builtin(id).map(|l| l.id), Some(id.clone()));
    }
    assert!(builtin("no-such-lesson").is_none());
}

#[test]
fn every_step_of_every_built_in_lesson_is_refused_before_and_met_after_its_moves() {
    for lesson in builtins() {
        let checks = check_lesson(lesson).expect("the lesson's scenario runs");
        assert_eq!(checks.len(), lesson.steps.len(), "{}: a move failed", lesson.id);
        for (i, check) in checks.iter().enumerate() {
            assert!(
                !check.before.met,
                "{} step {}: the goal holds before the step",
                lesson.id,
                i + 1
            );
            let after = check
                .after
                .as_ref()
                .unwrap_or_else(|why| panic!("{} step {}: {why}", lesson.id, i + 1));
            assert!(
                after.met,
                "{} step {}: the goal is not met after the moves: {:?}",
                lesson.id,
                i + 1,
                after.lines
            );
            assert!(
                !lesson.steps[i].moves.is_empty(),
                "{} step {} has no Show me",
                lesson.id,
                i + 1
            );
        }
    }
}

#[test]
fn a_step_opened_by_its_link_starts_after_the_earlier_steps_moves() {
    let lesson = builtin("request-response").expect("a built-in lesson");
    let link = encode_link(&lesson, 1);
    assert!(link.starts_with("lesson1."), "{link}");
    assert!(is_lesson_link(&format!("https://example.org/#{link}")));
    assert!(!is_lesson_link("v1.abc"));
    let opened = decode_link(&link).expect("the link opens");
    assert_eq!(opened.step, 1);
    assert_eq!(opened.lesson, lesson);
    // Step 2 starts where step 1 left off (run to 30 s), its goal not yet met.
    let practice = Practice::at_step(&opened.lesson, opened.step).expect("set up");
    assert_eq!(practice.timeline.sim().now().0, 30_000_000);
    assert!(!lesson.steps[1].goal.check(&practice.moment()).met);
}

#[test]
fn a_teachers_own_lesson_travels_whole_in_its_link() {
    let mut value = first_lesson();
    value["id"] = json!("my-own-lesson");
    value["title"] = json!("Sync and async, my way");
    let lesson = Lesson::from_value(value).expect("valid");
    let link = encode_link(&lesson, 2);
    let opened = decode_link(&link).expect("the link opens");
    assert_eq!(opened.lesson, lesson);
    assert_eq!(opened.step, 2);
    // And as a file: what Save lesson file writes loads back the same.
    assert_eq!(Lesson::from_json(&lesson.to_json()).expect("reloads"), lesson);
}

#[test]
fn broken_lesson_links_say_what_is_wrong() {
    let lesson_link = |json: &str| encode_json(json).replacen("v1.", "lesson1.", 1);
    let cases = [
        (
            lesson_link(r#"{"lesson": "no-such-lesson", "step": 1}"#),
            "does not have",
        ),
        (
            lesson_link(r#"{"lesson": "sync-vs-async", "step": 9}"#),
            "step 9 of a lesson with 3 steps",
        ),
        (lesson_link(r#"{"lesson": "sync-vs-async", "step": 0}"#), "step 0"),
        (
            lesson_link(r#"{"lesson": {"version": 1}, "step": 1}"#),
            "lesson cannot be opened",
        ),
        (lesson_link(r#"{"lessen": "sync-vs-async"}"#), "unknown field"),
        ("lesson2.AAAA".to_string(), "newer"),
        ("lesson1.@@@@".to_string(), "damaged"),
    ];
    for (link, expected) in cases {
        let message = decode_link(&link).expect_err("refused").to_string();
        assert!(message.contains(expected), "{link}: {message}");
    }
    assert!(matches!(
        decode_link("lesson0.AAAA"),
        Err(LinkError::UnknownVersion { .. })
    ));
}

#[test]
fn every_way_a_lesson_can_be_wrong_is_named_with_its_path() {
    let mut value = first_lesson();
    value["version"] = json!(2);
    assert!(matches!(
        Lesson::from_value(value),
        Err(LessonError::UnsupportedVersion { .. })
    ));

    let mut value = first_lesson();
    value["id"] = json!("Not An Id");
    assert!(problems(value).contains("id: 1 to 64 lowercase letters"));

    let mut value = first_lesson();
    value["steps"] = json!([]);
    assert!(problems(value).contains("steps: a lesson has 1 to 40 steps"));

    let mut value = first_lesson();
    value["steps"][0]["goal"] = json!({"counter": {"entity": "web-shop", "counter": "speed", "at_least": 1}});
    let message = problems(value);
    assert!(
        message.contains("steps[0].goal.counter.counter: web-shop has no counter \"speed\" (it has failed"),
        "{message}"
    );

    let mut value = first_lesson();
    value["steps"][1]["goal"] =
        json!({"all": [{"counter": {"entity": "ghost", "counter": "sent", "at_least": 1}}, {"any": []}]});
    let message = problems(value);
    assert!(
        message.contains("steps[1].goal.all[0].counter.entity: there is no entity \"ghost\""),
        "{message}"
    );
    assert!(
        message.contains("steps[1].goal.all[1].any: list at least one condition"),
        "{message}"
    );

    let mut value = first_lesson();
    value["steps"][0]["goal"] = json!({"setting": {"entity": "payment", "field": "speed", "at_most": 4}});
    assert!(problems(value).contains("\"speed\" is not a field of a service (its fields: workers"));

    let mut value = first_lesson();
    value["steps"][0]["goal"] = json!({"counter": {"entity": "payment", "counter": "arrived"}});
    assert!(problems(value).contains("give at_least, at_most or equals"));

    let mut value = first_lesson();
    value["steps"][0]["goal"] = json!({"time": {"at_least": "5s", "at_most": "1s"}});
    assert!(problems(value).contains("at_least 5s is after at_most 1s"));

    let mut value = first_lesson();
    value["steps"][0]["do"] = json!([{"add": {"kind": "dragon", "name": "x"}}]);
    assert!(problems(value).contains("\"dragon\" is not a kind that can be added"));

    let mut value = first_lesson();
    value["steps"][0]["highlight"] = json!(["nobody"]);
    assert!(problems(value).contains("steps[0].highlight[0]: there is no entity \"nobody\""));

    let mut value = first_lesson();
    value["steps"][0]["title"] = json!(" ");
    assert!(problems(value).contains("steps[0].title: empty"));

    let mut value = first_lesson();
    value["scenario"]["request_reply"]["services"][0]["workers"] = json!(0);
    assert!(problems(value).contains("scenario.request_reply.services[0].workers"));

    let mut value = first_lesson();
    value["steps"][0]["goal"] = json!({"all": [{"all": [{"all": [{"all": [{"time": {"at_least": "1s"}}]}]}]}]});
    assert!(problems(value).contains("nested at most 4 deep"));

    let mut value = first_lesson();
    value["surprise"] = json!(true);
    assert!(problems(value).contains("unknown field `surprise`"));

    assert!(Lesson::from_json("{").is_err());
    assert!(Lesson::from_file(0, Some("  ")).unwrap_err().contains("empty"));
    assert!(Lesson::from_file(5 << 20, None)
        .unwrap_err()
        .contains("at most 1024 KB"));
}

#[test]
fn a_move_that_cannot_be_made_is_reported_and_changes_nothing() {
    let lesson = builtin("sync-vs-async").expect("built in");
    let mut practice = Practice::new(lesson.scenario.clone()).expect("runs");
    let before = practice.scenario.clone();
    let refused = practice.apply(&Move::Set {
        entity: "payment".into(),
        field: "workers".into(),
        to: "many".into(),
    });
    assert!(refused.is_err());
    assert_eq!(practice.scenario, before);
    let missing = practice.apply(&Move::Inspect(eda_sim::view::lesson::RecordMatch {
        verb: Some("Appended".into()),
        ..Default::default()
    }));
    assert!(missing.unwrap_err().contains("no record up to"));
    // A goal written out reads back the same.
    let goal: Goal =
        serde_json::from_value(json!({"setting": {"entity": "payment", "field": "workers", "at_most": 4}}))
            .expect("a goal");
    assert_eq!(
        serde_json::to_value(&goal).expect("json")["setting"]["at_most"],
        json!(4.0)
    );
}
