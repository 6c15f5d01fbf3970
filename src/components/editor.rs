//! The editing panels: publish by hand, the bus, sources, listeners and their subscriptions
//! (where the scenario has an event bus), and the timed commands of the script. Every control is a labelled form element.

use crate::shared::SlowPanelProps as PanelProps;
use crate::state::Edit;
use crate::state::{Action, Field};
use eda_sim::{Distribution, EventTypeId};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Milliseconds shown in a number field for a distribution (its mean, rounded).
fn ms_text(d: &Distribution) -> String {
    format!("{}", (d.mean_us() / 1_000.0).round() as u64)
}

/// The editor's panels: one component, redrawn as a whole when the model's panels are; the
/// panels are plain functions (a component each cost about 1 KB of the wasm).
#[component]
pub fn Editor() -> Html {
    let props = &crate::shared::use_panels();
    // The event-bus panels only where there is an event bus to work with.
    let event_bus = props.state.model.borrow().scenario_has_event_bus();
    html! {
        <aside class="editor" aria-label={crate::tr!("editor-name")}>
            if event_bus {
                { publish_panel(props) }
                { sources_panel(props) }
                { listeners_panel(props) }
            }
            { script_panel(props) }
        </aside>
    }
}

fn publish_panel(props: &PanelProps) -> Html {
    let model = props.state.model.borrow();
    let world = model.sim().event_bus();
    let on_source = props.dispatch.reform(|e: Event| {
        Action::Edit(Edit::SelectSource(
            e.target_unchecked_into::<HtmlSelectElement>().value(),
        ))
    });
    let selected = model.selected_source.clone().unwrap_or_default();
    html! {
        <section class="panel" aria-labelledby="publish-heading">
            <h2 id="publish-heading">{ crate::tr!("publish-heading") }</h2>
            if model.scenario.event_bus.sources.is_empty() {
                <p class="hint">{ crate::tr!("publish-hint") }</p>
            } else {
                <label class="row">{ crate::tr!("publish-source") }
                    <select onchange={on_source}>
                        { for model.scenario.event_bus.sources.iter().map(|s| html! {
                            <option value={s.id.clone()} selected={s.id == selected}>{ &s.id }</option>
                        }) }
                    </select>
                </label>
                <div class="publish-buttons">
                    { for world.types.names.iter().map(|t| {
                        let event_type = t.clone();
                        html! {
                            <button type="button" onclick={props.dispatch.reform(move |_| Action::Edit(Edit::Publish { event_type: event_type.clone() }))}>
                                { crate::tr!("publish-type", type = t.clone()) }
                            </button>
                        }
                    }) }
                </div>
            }
            { for model.scenario.event_bus.buses.iter().map(|b| {
                let bus = b.id.clone();
                let on_delay = props.dispatch.reform(move |e: Event| Action::Edit(Edit::SetDispatchDelayMs {
                    bus: bus.clone(),
                    text: e.target_unchecked_into::<HtmlInputElement>().value(),
                }));
                html! {
                    <label class="row">{ crate::tr!("dispatch-delay", name = b.id.clone()) }
                        <input type="number" min="0" step="1" value={ms_text(&b.dispatch_delay)} onchange={on_delay} />
                    </label>
                }
            }) }
        </section>
    }
}

/// A text field and a button that adds an entity; the field's error is shown beside it.
#[derive(Properties, PartialEq)]
struct AddFormProps {
    label: AttrValue,
    button: AttrValue,
    /// The id of the field's error, for its `aria-describedby`.
    error_id: AttrValue,
    placeholder: AttrValue,
    error: Option<String>,
    on_add: Callback<String>,
}

#[component]
fn AddForm(props: &AddFormProps) -> Html {
    let text = use_state(String::new);
    let error_id = props.error_id.to_string();
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_submit = {
        let text = text.clone();
        let on_add = props.on_add.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_add.emit((*text).clone());
            text.set(String::new());
        })
    };
    html! {
        <form class="add-form" onsubmit={on_submit}>
            <label>{ &props.label }
                <input type="text" value={(*text).clone()} oninput={on_input} placeholder={props.placeholder.clone()}
                    maxlength="64" aria-invalid={props.error.is_some().then_some("true")}
                    aria-describedby={props.error.is_some().then(|| error_id.clone())} />
            </label>
            <button type="submit">{ &props.button }</button>
            if let Some(error) = &props.error {
                <p class="field-error" id={error_id}>{ error }</p>
            }
        </form>
    }
}

fn field_error(props: &PanelProps, field: Field) -> Option<String> {
    props
        .state
        .model
        .borrow()
        .field_error
        .as_ref()
        .filter(|(f, _)| *f == field)
        .map(|(_, m)| m.clone())
}

fn sources_panel(props: &PanelProps) -> Html {
    let model = props.state.model.borrow();
    let world = model.sim().event_bus();
    html! {
        <section class="panel" aria-labelledby="sources-heading">
            <h2 id="sources-heading">{ crate::tr!("sources-heading") }</h2>
            <ul class="entities">
                { for world.sources.iter().map(|s| {
                    let name = model.sim().entity_name(s.entity).to_string();
                    let remove = { let name = name.clone(); props.dispatch.reform(move |_| Action::Edit(Edit::RemoveEntity(name.clone()))) };
                    html! {
                        <li>
                            <span class="entity-name">{ &name }</span>
                            <span class="entity-stats">{ crate::tr!("source-published", count = s.published) }</span>
                            <button type="button" class="remove" aria-label={crate::tr!("remove-source", name = name.clone())} onclick={remove}>{ crate::tr!("remove") }</button>
                        </li>
                    }
                }) }
            </ul>
            <AddForm label={crate::tr!("new-source-name")} button={crate::tr!("add-source")} placeholder={crate::tr!("new-source-placeholder")} error_id="add-source-error"
                error={field_error(props, Field::NewSource)} on_add={props.dispatch.reform(|name| Action::Edit(Edit::AddSource(name)))} />
        </section>
    }
}

fn listeners_panel(props: &PanelProps) -> Html {
    let model = props.state.model.borrow();
    let world = model.sim().event_bus();
    let types = &world.types;
    // Types in hierarchy order (parents before children) with their depth, for indentation.
    let mut ordered: Vec<(EventTypeId, usize)> = Vec::new();
    fn visit(
        types: &eda_sim::patterns::event_bus::TypeHierarchy,
        ty: EventTypeId,
        depth: usize,
        out: &mut Vec<(EventTypeId, usize)>,
    ) {
        out.push((ty, depth));
        for child in types.children(ty) {
            visit(types, child, depth + 1, out);
        }
    }
    for (i, parent) in types.parents.iter().enumerate() {
        if parent.is_none() {
            visit(types, EventTypeId(i as u32), 0, &mut ordered);
        }
    }
    let parameter_error = field_error(props, Field::Parameters);
    html! {
        <section class="panel" aria-labelledby="listeners-heading">
            <h2 id="listeners-heading">{ crate::tr!("listeners-heading") }</h2>
            if let Some(error) = parameter_error {
                <p class="field-error">{ error }</p>
            }
            { for world.listeners.iter().enumerate().map(|(index, l)| {
                let name = model.sim().entity_name(l.entity).to_string();
                let remove = { let name = name.clone(); props.dispatch.reform(move |_| Action::Edit(Edit::RemoveEntity(name.clone()))) };
                let on_processing = { let name = name.clone(); props.dispatch.reform(move |e: Event| Action::Edit(Edit::SetProcessingTimeMs {
                    listener: name.clone(),
                    text: e.target_unchecked_into::<HtmlInputElement>().value(),
                })) };
                html! {
                    <fieldset class="listener">
                        <legend>{ crate::tr!("listener-legend", name = name.clone()) }</legend>
                        <p class="entity-stats">
                            { crate::tr!(if l.in_service.is_some() { "listener-stats-busy" } else { "listener-stats" },
                                delivered = l.delivered, waiting = l.inbox.len(), handled = l.handled) }
                        </p>
                        <div class="subscriptions">
                            { for ordered.iter().map(|&(ty, depth)| {
                                let subscribed = l.subscriptions.contains(&ty);
                                let inherited = !subscribed && world.receives(index, ty);
                                let (listener, event_type) = (name.clone(), types.name(ty).to_string());
                                let toggle = props.dispatch.reform(move |e: Event| Action::Edit(Edit::SetSubscription {
                                    listener: listener.clone(),
                                    event_type: event_type.clone(),
                                    subscribed: e.target_unchecked_into::<HtmlInputElement>().checked(),
                                }));
                                html! {
                                    <label class="subscription" style={format!("margin-left: {}em", depth as f64 * 1.2)}>
                                        <input type="checkbox" checked={subscribed} onchange={toggle} />
                                        { types.name(ty) }
                                        if inherited { <span class="inherited">{ crate::tr!("via-parent") }</span> }
                                    </label>
                                }
                            }) }
                        </div>
                        <label class="row">{ crate::tr!("processing-time") }
                            <input type="number" min="0" step="1" value={ms_text(&l.processing_time)} onchange={on_processing} />
                        </label>
                        { super::listener_faults::listener_faults(&props.dispatch, model.sim(), &name, l) }
                        <button type="button" class="remove" aria-label={crate::tr!("remove-listener", name = name.clone())} onclick={remove}>{ crate::tr!("remove") }</button>
                    </fieldset>
                }
            }) }
            <AddForm label={crate::tr!("new-listener-name")} button={crate::tr!("add-listener")} placeholder={crate::tr!("new-listener-placeholder")} error_id="add-listener-error"
                error={field_error(props, Field::NewListener)} on_add={props.dispatch.reform(|name| Action::Edit(Edit::AddListener(name)))} />
        </section>
    }
}

fn script_panel(props: &PanelProps) -> Html {
    let model = props.state.model.borrow();
    let script = &model.scenario.script;
    html! {
        <section class="panel" aria-labelledby="script-heading">
            <h2 id="script-heading">{ crate::tr!("script-heading") }</h2>
            if script.is_empty() {
                <p class="hint">{ crate::tr!("script-empty") }</p>
            } else {
                <ol class="script">
                    { for script.iter().enumerate().map(|(i, entry)| {
                        let text = crate::tr!(
                            "script-entry",
                            at = crate::human_time::clock(eda_sim::SimTime(entry.at.0)),
                            command = crate::i18n::core_words::command(&entry.command)
                        );
                        html! {
                            <li>
                                <span>{ &text }</span>
                                <button type="button" class="remove" aria-label={crate::tr!("remove-command", command = text.clone())}
                                    onclick={props.dispatch.reform(move |_| Action::Edit(Edit::RemoveScriptEntry(i)))}>{ crate::tr!("remove") }</button>
                            </li>
                        }
                    }) }
                </ol>
            }
        </section>
    }
}
