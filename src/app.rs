//! The page: header, alert region, toolbar, diagram, editing panels and the event log, all
//! driven by one reducer ([`Playground`]).

use crate::components::{
    builder::{BuildPanel, ConfirmDialog, PropertiesPanel},
    charts::Charts,
    diagram::DiagramView,
    entities::EntityCards,
    event_log::EventLog,
    inspector::Inspector,
    lanes::TimelineLanes,
    replay::ReplayView,
    toolbar::Toolbar,
};
use crate::i18n::Lang;
use crate::playback::use_playback;
use crate::shared::{PanelProps, SlowPanelProps};
use crate::state::{Action, Playground};
use crate::state::{Edit, Playback, Share};
use crate::tr;
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    let state = use_reducer(Playground::default);
    let dispatch = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action: Action| dispatcher.dispatch(action))
    };
    use_playback(&state);
    crate::components::share::use_links_and_autosave(&state, dispatch.clone());
    crate::components::lesson::use_lesson_memory(&PanelProps {
        state: (*state).clone(),
        dispatch: dispatch.clone(),
    });
    let (on_drag_over, on_drop, pending_import) = crate::components::share::use_drop_import(dispatch.clone());
    let (playing, presenting, dialog_open) = {
        let model = state.model.borrow();
        (
            model.playing,
            model.presenting,
            model.show_shortcuts || model.confirmation.is_some(),
        )
    };
    use_keyboard_shortcuts(dispatch.clone(), playing, presenting, dialog_open);
    // The document says which language it is in (screen readers, fonts, hyphenation).
    let lang = state.model.borrow().lang;
    use_effect_with(lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });

    let props = PanelProps {
        state: (*state).clone(),
        dispatch: dispatch.clone(),
    };
    let slow = SlowPanelProps {
        state: (*state).clone(),
        dispatch: dispatch.clone(),
        panel_revision: state.model.borrow().panel_revision,
    };
    let model = state.model.borrow();
    // Focus moves into the shortcuts' list when it opens, and back where it was when it closes.
    let shortcuts_close = use_node_ref();
    {
        let close = shortcuts_close.clone();
        let before = use_mut_ref(|| None::<web_sys::HtmlElement>);
        use_effect_with(model.show_shortcuts, move |open| {
            if *open {
                *before.borrow_mut() = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.active_element())
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(button) = close.cast::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            } else if let Some(previous) = before.borrow_mut().take() {
                let _ = previous.focus();
            }
        });
    }
    let on_dismiss = dispatch.reform(|_| Action::DismissError);
    let on_open_repaired = dispatch.reform(|_| Action::Share(Share::OpenRepairedLink));
    let has_entities = !model.sim().entities().is_empty();
    let (name, description) = crate::i18n::scenario_words(&model.scenario.name, &model.scenario.description);
    let on_language = dispatch.reform(|e: Event| {
        let tag = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
        let lang = Lang::from_tag(&tag).unwrap_or_default();
        // The user's own choice is remembered for the next visits.
        use gloo::storage::Storage;
        let _ = gloo::storage::LocalStorage::raw().set_item(crate::i18n::CHOICE_KEY, lang.tag());
        Action::SetLanguage { lang, chosen: true }
    });
    let on_preset = dispatch.reform(|e: Event| {
        Action::Share(Share::LoadPreset(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>().value(),
        ))
    });
    html! {
        <ContextProvider<PanelProps> context={props.clone()}>
        <ContextProvider<SlowPanelProps> context={slow.clone()}>
        <div class={if model.presenting { "app presenting" } else { "app" }} ondragover={on_drag_over} ondrop={on_drop}>
            <nav class="skip-links" aria-label={tr!("skip-links")}>
                <a class="skip-link" href="#diagram" onclick={skip_to("diagram")}>{ tr!("skip-to-diagram") }</a>
                <a class="skip-link" href="#event-log" onclick={skip_to("event-log")}>{ tr!("skip-to-log") }</a>
            </nav>
            <header class="masthead">
                <div class="title-row">
                    <h1>{ tr!("app-title") }</h1>
                    <span class="start-buttons">
                    <button type="button" class="gallery-button" aria-expanded={model.gallery_open.to_string()}
                        onclick={dispatch.reform(|_| Action::Share(Share::ShowGallery(true)))}>{ tr!("examples-button") }</button>
                    <button type="button" class="gallery-button" aria-expanded={model.lessons_open.to_string()}
                        onclick={dispatch.reform(|_| Action::Lesson(crate::state::LessonAction::ShowList(true)))}>{ tr!("lessons-button") }</button>
                    </span>
                    <label class="language">{ tr!("language-label") }
                        <select onchange={on_language}>
                            { for [Lang::En, Lang::Zh].into_iter().map(|lang| html! {
                                <option value={lang.tag()} lang={lang.tag()} selected={model.lang == lang}>{ lang.own_name() }</option>
                            }) }
                        </select>
                    </label>
                    <button type="button" class="shortcuts-button" aria-label={tr!("shortcuts-button")}
                        onclick={dispatch.reform(|_| Action::ShowShortcuts(true))}>{ "?" }</button>
                    <label class="preset-picker">{ tr!("example-picker") }
                        <select onchange={on_preset}>
                            <option value="" selected=true disabled=true>{ tr!("example-choose") }</option>
                            { for eda_sim::view::presets::PRESETS.iter().map(|p| html! {
                                <option value={p.id}>{ format!("{} — {}", tr!(crate::i18n::pattern_message(p.pattern)), tr!(&format!("preset-{}-name", p.id))) }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <p class="scenario-title" title={description.clone()}>
                    <strong>{ if name.is_empty() { tr!("untitled-scenario") } else { name } }</strong>
                    { " — " }{ description }
                </p>
            </header>
            <div role="alert" class={crate::components::class_list(&[Some("alert"), model.error.is_none().then_some("empty")])}>
                if let Some(error) = &model.error {
                    <p class="alert-text">
                        { error }
                        if let Some(offer) = model.repair_offer() {
                            { " " }{ tr!("repaired-offer", changes = offer.changes.join("; ")) }
                        }
                    </p>
                    <div class="alert-actions">
                        if model.repair_offer().is_some() {
                            <button type="button" onclick={on_open_repaired}>{ tr!("open-repaired") }</button>
                        }
                        <button type="button" onclick={on_dismiss}>{ tr!("dismiss") }</button>
                    </div>
                }
            </div>
            { crate::components::share::share_bar(&slow, &pending_import) }
            { crate::components::share::restore_offer(&slow) }
            { crate::components::share::gallery(&slow) }
            { crate::components::lesson::lesson_list(&slow, &pending_import) }
            <Toolbar />
            <main class={crate::components::class_list(&[Some("workspace"), model.lesson.is_some().then_some("with-lesson"), model.comparison.is_some().then_some("comparing")])}>
                <crate::components::lesson::LessonPanel />
                if has_entities {
                    <DiagramView />
                }
                <crate::components::compare::OtherVariantDiagram />
                <div class="main-column">
                    <crate::components::compare::ComparePanel />
                    <TimelineLanes />
                    <EntityCards />
                    <Charts />
                    <crate::components::theory::TheoryPanel />
                    <ReplayView />
                </div>
                <div class="side-column">
                    <Inspector />
                    <PropertiesPanel />
                    <BuildPanel />
                    <crate::components::editor::Editor />
                </div>
                <section class={if model.collapsed.iter().any(|c| c == "log") { "log-panel collapsed" } else { "log-panel" }}
                    id="event-log" aria-label={tr!("event-log-panel")} tabindex="-1">
                    <h2 class="log-heading">{ tr!("event-log") }</h2>
                    { crate::components::fold_button(&dispatch, &model, "log", &tr!("event-log")).0 }
                    <EventLog />
                </section>
            </main>
            <ConfirmDialog />
            <p class="announcer" role="status" aria-label={tr!("announcements")}>{ &model.announcement }</p>
            if model.show_shortcuts {
                <div class="shortcuts" role="dialog" aria-modal="false" aria-labelledby="shortcuts-heading">
                    <h2 id="shortcuts-heading">{ tr!("shortcuts-heading") }</h2>
                    <dl>
                        { for SHORTCUTS.iter().map(|(keys, what)| html! {
                            <>
                                <dt>{ keys_text(keys) }</dt>
                                <dd>{ tr!(what) }</dd>
                            </>
                        }) }
                    </dl>
                    <button type="button" ref={shortcuts_close} onclick={dispatch.reform(|_| Action::ShowShortcuts(false))}>{ tr!("shortcuts-close") }</button>
                </div>
            }
        </div>
        </ContextProvider<SlowPanelProps>>
        </ContextProvider<PanelProps>>
    }
}

/// The keyboard shortcuts, as the dialog lists them: one map for the whole page, each as its
/// keys (literal, or a message with them) and the message saying what they do. Keys on a
/// focused diagram node or on the timeline act there and nowhere else.
const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "shortcut-space"),
    ("→", "shortcut-right"),
    ("←", "shortcut-left"),
    ("+ / −", "shortcut-speed"),
    ("P", "shortcut-present"),
    ("@shortcut-clicker-keys", "shortcut-clicker"),
    ("?", "shortcut-help"),
    ("Esc", "shortcut-escape"),
    ("@shortcut-timeline-keys", "shortcut-timeline"),
    ("@shortcut-zoom-keys", "shortcut-zoom"),
    ("@shortcut-pan-keys", "shortcut-pan"),
    ("@shortcut-walk-keys", "shortcut-walk"),
    ("@shortcut-link-keys", "shortcut-link"),
    ("@shortcut-move-keys", "shortcut-move"),
    ("@shortcut-open-keys", "shortcut-open"),
];

/// A shortcut's keys: literal keys in `<kbd>`, or the message naming where they act.
fn keys_text(keys: &str) -> Html {
    match keys.strip_prefix('@') {
        Some(id) => html! { { tr!(id) } },
        None => html! { <kbd>{ keys }</kbd> },
    }
}

/// A skip link's action: focus the panel with this id and bring it into view, without
/// touching the address (whose fragment is a share link).
fn skip_to(id: &'static str) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        let target = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(target) = target {
            target.scroll_into_view();
            let _ = target.focus();
        }
    })
}

/// Space plays or pauses, → steps, ← steps back, + and − change the speed, ? lists the
/// shortcuts and Escape closes that list, P presents (Escape leaves when no dialog is open), and
/// while presenting Page Down and Page Up step (a clicker's buttons, even on a slider); all but
/// those two only when the focus is not in a form field.
#[hook]
fn use_keyboard_shortcuts(dispatch: Callback<Action>, playing: bool, presenting: bool, dialog_open: bool) {
    use_effect_with(
        (playing, presenting, dialog_open),
        move |&(playing, presenting, dialog_open)| {
            let on_leave = dispatch.clone();
            let listener = web_sys::window().map(|window| {
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&window, "keydown", options, move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if event.ctrl_key() || event.meta_key() || event.alt_key() {
                        return;
                    }
                    // A clicker's Page Down and Page Up step while presenting, whatever has the focus.
                    if presenting && matches!(event.key().as_str(), "PageDown" | "PageUp") {
                        event.prevent_default();
                        dispatch.emit(Action::Playback(if event.key() == "PageDown" {
                            Playback::Step
                        } else {
                            Playback::StepBack
                        }));
                        return;
                    }
                    if typing_in_a_field(event) {
                        return;
                    }
                    let on_button = event
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|e| e.tag_name() == "BUTTON");
                    match event.key().as_str() {
                        // Space on a focused button presses that button; elsewhere it plays or pauses.
                        " " if !on_button => {
                            event.prevent_default();
                            dispatch.emit(if playing {
                                Action::Playback(Playback::Pause)
                            } else {
                                Action::Playback(Playback::Play)
                            });
                        }
                        "ArrowRight" => {
                            event.prevent_default();
                            dispatch.emit(Action::Playback(Playback::Step));
                        }
                        "ArrowLeft" => {
                            event.prevent_default();
                            dispatch.emit(Action::Playback(Playback::StepBack));
                        }
                        "+" | "=" => dispatch.emit(Action::Playback(Playback::ChangeSpeed(1))),
                        "-" | "_" => dispatch.emit(Action::Playback(Playback::ChangeSpeed(-1))),
                        "?" => dispatch.emit(Action::ShowShortcuts(true)),
                        "p" | "P" if !dialog_open => {
                            dispatch.emit(Action::Present(!presenting));
                        }
                        "Escape" => {
                            dispatch.emit(Action::ShowShortcuts(false));
                            dispatch.emit(Action::Edit(Edit::Confirm(false)));
                            // One Escape closes a dialog; the next leaves presentation mode.
                            if presenting && !dialog_open {
                                dispatch.emit(Action::Present(false));
                            }
                        }
                        _ => {}
                    }
                })
            });
            // The page follows presentation mode in and out of full screen (entering it needs the
            // key press or click that asked for it, which is still recent here).
            crate::components::toolbar::full_screen(presenting);
            // Leaving full screen by the browser's own means (its Esc, F11) leaves presentation mode.
            let fullscreen = web_sys::window().and_then(|window| window.document()).map(|document| {
                let dispatch = on_leave.clone();
                let watched = document.clone();
                EventListener::new(&document, "fullscreenchange", move |_| {
                    if presenting && watched.fullscreen_element().is_none() {
                        dispatch.emit(Action::Present(false));
                    }
                })
            });
            move || {
                drop(listener);
                drop(fullscreen);
            }
        },
    );
}

fn typing_in_a_field(event: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(target.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
}
