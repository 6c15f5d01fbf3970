//! The reducer's rules for lessons and A/B comparisons, natively: opening a step, Show me,
//! steps done, the address's link, and the two sides of a comparison kept at one moment.

use super::*;
use eda_sim::view::compare::FirstDivergence;

fn start(id: &str) -> Model {
    let mut m = Model::order_example();
    act(&mut m, Action::Lesson(LessonAction::Start(id.into())));
    assert!(m.lesson.is_some(), "{:?}", m.error);
    m
}

/// An action as the page's reducer applies it (every user action redraws the panels).
fn act(m: &mut Model, action: Action) {
    m.panel_revision += 1;
    m.apply(action);
}

/// order-service's workers typed into its properties form, as a user does.
fn set_workers(m: &mut Model, workers: &str) {
    act(
        m,
        Action::Edit(Edit::EditEntity(Some(("service".into(), "order-service".into())))),
    );
    act(
        m,
        Action::Edit(Edit::SetProperty {
            key: "workers".into(),
            text: workers.into(),
        }),
    );
}

fn met(m: &Model) -> bool {
    m.lesson
        .as_ref()
        .and_then(|run| run.verdict.as_ref())
        .is_some_and(|v| v.met)
}

#[test]
fn show_me_reaches_the_goal_and_the_step_is_kept_as_done() {
    let mut m = start("request-response");
    assert!(!met(&m));
    act(&mut m, Action::Lesson(LessonAction::ShowMe));
    assert!(met(&m), "{:?}", m.lesson.as_ref().unwrap().verdict);
    assert_eq!(m.steps_done("request-response"), [0]);
    assert!(m.lessons_done_json().contains("request-response"));
    // Step 2 starts from step 1's run: its goal is not met yet, and checking says so.
    act(&mut m, Action::Lesson(LessonAction::GoTo(1)));
    act(&mut m, Action::Lesson(LessonAction::Check));
    assert!(!met(&m));
    assert!(m.announcement.starts_with("Not yet"), "{}", m.announcement);
    // The ordinary controls reach it too: workers in the properties, then a jump.
    set_workers(&mut m, "4");
    act(&mut m, Action::Playback(Playback::SeekTime(SimTime(60_000_000))));
    assert!(met(&m), "{:?}", m.lesson.as_ref().unwrap().verdict);
    assert_eq!(m.steps_done("request-response"), [0, 1]);
}

#[test]
fn a_step_link_opens_after_the_earlier_steps_without_touching_the_autosave() {
    let lesson = eda_sim::view::lesson::builtin("sync-vs-async").unwrap();
    let mut m = Model::order_example();
    let edits = m.edit_revision;
    act(
        &mut m,
        Action::Share(Share::OpenLink(format!(
            "#{}",
            eda_sim::view::lesson::encode_link(&lesson, 2)
        ))),
    );
    let run = m.lesson.as_ref().expect("opened");
    assert_eq!(run.step, 2);
    assert_eq!(m.sim().now(), SimTime(20_000_000));
    assert_eq!(m.edit_revision, edits, "opening a lesson is not the user's own edit");
    assert!(m.address_link().unwrap().starts_with("lesson1."));
    act(&mut m, Action::Lesson(LessonAction::Leave));
    assert!(m.address_link().unwrap().starts_with("v1."));
}

#[test]
fn steps_done_in_an_earlier_visit_are_merged_with_those_done_since() {
    let mut m = start("event-bus");
    act(&mut m, Action::Lesson(LessonAction::ShowMe));
    act(
        &mut m,
        Action::Lesson(LessonAction::RestoreDone(
            r#"[["event-bus", [2]], ["queues-old", [0, 99]]]"#.into(),
        )),
    );
    assert_eq!(m.steps_done("event-bus"), [0, 2]);
    assert!(!m.lesson_complete());
    // A broken record in the browser is ignored.
    act(&mut m, Action::Lesson(LessonAction::RestoreDone("{".into())));
    assert_eq!(m.steps_done("event-bus"), [0, 2]);
}

#[test]
fn a_comparison_edits_b_keeps_both_at_one_moment_and_finds_where_they_part() {
    let mut m = Model::order_example();
    act(&mut m, Action::Share(Share::LoadPreset("request-reply".into())));
    act(&mut m, Action::Playback(Playback::SeekTime(SimTime(5_000_000))));
    act(&mut m, Action::Compare(CompareAction::Start));
    let same = matches!(
        m.comparison.as_ref().unwrap().divergence,
        Some(Ok(FirstDivergence::Same { .. }))
    );
    assert!(same, "an unchanged variant never parts");
    act(&mut m, Action::Compare(CompareAction::Edit(true)));
    assert!(m.comparison.as_ref().unwrap().editing_b);
    assert_eq!(m.sim().now(), SimTime(5_000_000));
    set_workers(&mut m, "8");
    let c = m.comparison.as_ref().unwrap();
    assert_eq!(m.scenario.request_reply.services[0].workers, 8, "B is being edited");
    assert_eq!(
        c.other.borrow().scenario.request_reply.services[0].workers,
        4,
        "A is unchanged"
    );
    assert_eq!(c.other.borrow().sim().now(), m.sim().now());
    let Some(Ok(FirstDivergence::At(at))) = c.divergence.clone() else {
        panic!("the runs should part: {:?}", c.divergence);
    };
    act(&mut m, Action::Compare(CompareAction::GoToDivergence));
    assert_eq!(m.sim().now(), at.time);
    assert_eq!(m.comparison.as_ref().unwrap().other.borrow().sim().now(), at.time);
    assert!(m.address_link().unwrap().starts_with("ab1."));
    // Back to A and out: the side being edited stays.
    act(&mut m, Action::Compare(CompareAction::Edit(false)));
    assert_eq!(m.scenario.request_reply.services[0].workers, 4);
    act(&mut m, Action::Compare(CompareAction::End));
    assert!(m.comparison.is_none());
    assert_eq!(m.scenario.request_reply.services[0].workers, 4);
}

#[test]
fn show_me_completes_every_built_in_lesson_step_by_step() {
    // (Event sourcing's last step goes back in time with a record open in the inspector.)
    for lesson in eda_sim::view::lesson::builtins() {
        let mut m = start(&lesson.id);
        for step in 0..lesson.steps.len() {
            act(&mut m, Action::Lesson(LessonAction::GoTo(step)));
            assert!(!met(&m), "{} step {}: met before", lesson.id, step + 1);
            act(&mut m, Action::Lesson(LessonAction::ShowMe));
            assert!(
                met(&m),
                "{} step {}: {:?} {:?}",
                lesson.id,
                step + 1,
                m.lesson.as_ref().unwrap().verdict,
                m.error
            );
        }
        assert!(m.lesson_complete(), "{}", lesson.id);
    }
}

#[test]
fn lesson_and_comparison_links_open_in_the_sharers_language_unless_the_reader_chose_one() {
    let lesson = eda_sim::view::lesson::builtin("event-bus").unwrap();
    let link = format!("#{}", eda_sim::view::lesson::encode_link_in(&lesson, 1, Some("zh-CN")));
    let mut m = Model::order_example();
    act(&mut m, Action::Share(Share::OpenLink(link.clone())));
    assert_eq!(m.lang, crate::i18n::Lang::Zh);
    assert!(m.announcement.contains("第 2 步"), "{}", m.announcement);
    // The page's own links carry the language it is in.
    let again = eda_sim::view::lesson::decode_link(&m.address_link().unwrap()).unwrap();
    assert_eq!(again.lang.as_deref(), Some("zh-CN"));

    let mut chosen = Model::order_example();
    act(
        &mut chosen,
        Action::SetLanguage {
            lang: crate::i18n::Lang::En,
            chosen: true,
        },
    );
    act(&mut chosen, Action::Share(Share::OpenLink(link)));
    assert_eq!(chosen.lang, crate::i18n::Lang::En);

    let scenario = m.scenario.clone();
    let ab = eda_sim::view::compare::encode_comparison_in(&scenario, &scenario, None, false, Some("zh-CN"));
    let mut c = Model::order_example();
    act(&mut c, Action::Share(Share::OpenLink(format!("#{ab}"))));
    assert!(c.comparison.is_some(), "{:?}", c.error);
    assert_eq!(c.lang, crate::i18n::Lang::Zh);
    crate::i18n::set(crate::i18n::Lang::En);
}
