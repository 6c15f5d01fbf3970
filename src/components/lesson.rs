//! Guided lessons on the page: the list to start one from (or a teacher's lesson file), the
//! panel of the step being followed (its text, task, goal checked live, hints, Show me, the
//! steps, its link) and the browser's record of the steps done.

use crate::i18n::lesson_words as words;
use crate::shared::{use_panels, PanelProps};
use crate::state::{Action, LessonAction};
use crate::tr;
use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

/// Where the steps done are kept in the browser.
const DONE_KEY: &str = "eda-playground.lessons-done";

/// Keeps the steps done in the browser (read back on the first render), and the lesson's step
/// in the address bar.
#[hook]
pub fn use_lesson_memory(props: &PanelProps) {
    {
        let dispatch = props.dispatch.clone();
        use_effect_with((), move |_| {
            if let Ok(Some(done)) = LocalStorage::raw().get_item(DONE_KEY) {
                dispatch.emit(Action::Lesson(LessonAction::RestoreDone(done)));
            }
        });
    }
    let (revision, place) = {
        let model = props.state.model.borrow();
        (
            model.lessons_done_revision,
            model.lesson.as_ref().map(|run| (run.lesson.id.clone(), run.step)),
        )
    };
    let model = std::rc::Rc::clone(&props.state.model);
    use_effect_with(revision, move |revision| {
        if *revision > 0 {
            let _ = LocalStorage::raw().set_item(DONE_KEY, &model.borrow().lessons_done_json());
        }
    });
    let model = std::rc::Rc::clone(&props.state.model);
    use_effect_with(place, move |place| {
        if place.is_some() {
            if let Ok(link) = model.borrow().address_link() {
                crate::components::share::show_in_address_bar(&link);
            }
        }
    });
}

/// The list of lessons (a plain function, like the gallery).
pub fn lesson_list(props: &crate::shared::SlowPanelProps, pending: &crate::components::share::PendingImport) -> Html {
    let model = props.state.model.borrow();
    if !model.lessons_open {
        return html! {};
    }
    let on_file = {
        let (dispatch, pending) = (props.dispatch.clone(), pending.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                crate::components::share::read_file(
                    file,
                    dispatch.clone(),
                    pending.clone(),
                    |name, size_bytes, text| Action::Lesson(LessonAction::OpenFile { name, size_bytes, text }),
                );
            }
            input.set_value("");
        })
    };
    html! {
        <section class="gallery lessons" aria-labelledby="lessons-heading">
            <div class="gallery-header">
                <h2 id="lessons-heading">{ tr!("lessons-heading") }</h2>
                <label class="import">{ tr!("open-lesson-file") }
                    <input type="file" accept=".json,application/json" onchange={on_file} />
                </label>
                <button type="button" onclick={props.dispatch.reform(|_| Action::Lesson(LessonAction::ShowList(false)))}>{ tr!("close-lessons") }</button>
            </div>
            <ol class="gallery-cards lesson-cards">
                { for eda_sim::view::lesson::builtins().iter().enumerate().map(|(i, lesson)| {
                    let done = model.steps_done(&lesson.id).len();
                    let steps = lesson.steps.len();
                    let (verb, state) = match done {
                        0 => (tr!("lesson-start"), tr!("lesson-steps", steps = steps)),
                        d if d >= steps => (tr!("lesson-again"), tr!("lesson-done", steps = steps)),
                        d => (tr!("lesson-continue"), tr!("lesson-progress", done = d, steps = steps)),
                    };
                    let id = lesson.id.clone();
                    html! {
                        <li class={if done >= steps { "gallery-card done" } else { "gallery-card" }}>
                            <h3>{ format!("{}. {}", i + 1, words(&lesson.id, "title", &lesson.title)) }</h3>
                            <p class="pattern">{ state }</p>
                            <p>{ words(&lesson.id, "summary", &lesson.summary) }</p>
                            <button type="button" aria-label={tr!("lesson-action", verb = verb.clone(), title = words(&lesson.id, "title", &lesson.title))}
                                onclick={props.dispatch.reform(move |_| Action::Lesson(LessonAction::Start(id.clone())))}>{ verb }</button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

/// The step being followed.
#[component]
pub fn LessonPanel() -> Html {
    let props = use_panels();
    let model = props.state.model.borrow();
    let Some(run) = &model.lesson else {
        return html! {};
    };
    let dispatch = &props.dispatch;
    let lesson = &run.lesson;
    let step = run.current();
    let steps = lesson.steps.len();
    let done = model.steps_done(&lesson.id);
    let met = run.verdict.as_ref().is_some_and(|v| v.met);
    let hints_left = step.hints.len() - run.hints_shown;
    let on_copy =
        crate::components::share::copy_link_on_click(dispatch, &props.state, Action::Lesson(LessonAction::CopyLink));
    let on_save = {
        let lesson = std::rc::Rc::clone(lesson);
        Callback::from(move |_: MouseEvent| {
            let file = format!("{}.lesson.json", lesson.id);
            if let Err(error) = crate::export::download_text(&lesson.to_json(), "application/json", &file) {
                web_sys::console::warn_2(&"Saving the lesson failed:".into(), &error);
            }
        })
    };
    let at = run.step;
    let step_words = |i: usize, key: &str, written: &str| words(&lesson.id, &format!("{}-{key}", i + 1), written);
    html! {
        <section class={if met { "lesson-panel met" } else { "lesson-panel" }} aria-labelledby="lesson-heading">
            <p class="lesson-kicker">{ tr!("lesson-kicker", title = words(&lesson.id, "title", &lesson.title)) }</p>
            <h2 id="lesson-heading">{ tr!("lesson-step-heading", step = at + 1, steps = steps, title = step_words(at, "title", &step.title)) }</h2>
            <ol class="lesson-steps" aria-label={tr!("lesson-steps-label")}>
                { for lesson.steps.iter().enumerate().map(|(i, s)| {
                    let is_done = done.contains(&i);
                    let title = step_words(i, "title", &s.title);
                    let label = if is_done {
                        tr!("lesson-step-done-label", step = i + 1, title = title)
                    } else {
                        tr!("lesson-step-label", step = i + 1, title = title)
                    };
                    html! {
                        <li>
                            <button type="button" class={crate::components::class_list(&[Some("step-dot"), is_done.then_some("done"), (i == at).then_some("current")])}
                                aria-label={label.clone()} title={label} aria-current={(i == at).then_some("step")}
                                onclick={dispatch.reform(move |_| Action::Lesson(LessonAction::GoTo(i)))}>
                                { if is_done { "✓".to_string() } else { (i + 1).to_string() } }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            <p class="lesson-text">{ step_words(at, "text", &step.text) }</p>
            <p class="lesson-task"><strong>{ tr!("your-task") }</strong>{ " " }{ step_words(at, "task", &step.task) }</p>
            <div class="lesson-goal" role="group" aria-label={tr!("goal")}>
                // Not a live region: the page's announcement says when the goal is reached.
                <p class="goal-status">
                    { if met { tr!("goal-reached") } else { tr!("goal-not-yet") } }
                </p>
                if let Some(verdict) = &run.verdict {
                    <ul class="goal-lines">
                        { for verdict.lines.iter().map(|line| html! {
                            <li class={if line.met { "met" } else { "unmet" }} style={format!("margin-left: {}em", line.depth)}>
                                <span aria-hidden="true">{ if line.met { "✓ " } else { "✗ " } }</span>
                                <span class="visually-hidden">{ if line.met { tr!("goal-holds") } else { tr!("goal-does-not-hold") } }{ " " }</span>
                                { crate::i18n::goals::line(line, &model.scenario, &model.timeline) }
                            </li>
                        }) }
                    </ul>
                }
            </div>
            if run.hints_shown > 0 {
                <ol class="lesson-hints" aria-label={tr!("hints")}>
                    { for step.hints.iter().take(run.hints_shown).enumerate().map(|(k, hint)| html! { <li>{ step_words(at, &format!("hint{}", k + 1), hint) }</li> }) }
                </ol>
            }
            if model.lesson_complete() {
                <p class="lesson-complete">{ tr!("lesson-complete") }</p>
            }
            <div class="lesson-actions">
                <button type="button" onclick={dispatch.reform(|_| Action::Lesson(LessonAction::Check))}>{ tr!("check-goal") }</button>
                <button type="button" disabled={hints_left == 0}
                    onclick={dispatch.reform(|_| Action::Lesson(LessonAction::Hint))}>
                    { if step.hints.is_empty() { tr!("no-hints") } else { tr!("hint-left", left = hints_left) } }
                </button>
                <button type="button" disabled={step.moves.is_empty()}
                    onclick={dispatch.reform(|_| Action::Lesson(LessonAction::ShowMe))}>{ tr!("show-me") }</button>
                <button type="button" disabled={at == 0}
                    onclick={dispatch.reform(move |_| Action::Lesson(LessonAction::GoTo(at.saturating_sub(1))))}>{ tr!("previous-step") }</button>
                if at + 1 < steps {
                    <button type="button" class={if met { "primary" } else { "" }}
                        onclick={dispatch.reform(move |_| Action::Lesson(LessonAction::GoTo(at + 1)))}>{ tr!("next-step") }</button>
                } else {
                    <button type="button" class={if met { "primary" } else { "" }}
                        onclick={dispatch.reform(|_| Action::Lesson(LessonAction::ShowList(true)))}>{ tr!("all-lessons") }</button>
                }
            </div>
            <div class="lesson-actions minor">
                <button type="button" onclick={on_copy}>{ tr!("copy-step-link") }</button>
                <button type="button" onclick={on_save}>{ tr!("save-lesson-file") }</button>
                <button type="button" onclick={dispatch.reform(|_| Action::Lesson(LessonAction::Leave))}>{ tr!("leave-lesson") }</button>
            </div>
        </section>
    }
}

/// The step's title and goal in a line, for presentation mode.
pub fn presenting_step(model: &crate::state::Model) -> Html {
    let Some(run) = &model.lesson else {
        return html! {};
    };
    let met = run.verdict.as_ref().is_some_and(|v| v.met);
    html! {
        <p class="presenting-step">
            <strong>{ tr!("lesson-step-heading", step = run.step + 1, steps = run.lesson.steps.len(), title = words(&run.lesson.id, &format!("{}-title", run.step + 1), &run.current().title)) }</strong>
            { format!(" — {}", words(&run.lesson.id, &format!("{}-task", run.step + 1), &run.current().task)) }
            <span class={if met { "met" } else { "unmet" }}>{ " " }{ if met { tr!("presenting-goal-reached") } else { tr!("presenting-not-yet") } }</span>
        </p>
    }
}
