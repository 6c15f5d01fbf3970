//! The builder: add any kind of entity, list what the scenario holds, and edit the selected
//! entity's properties (links to other entities included) with each field's message beside it.
//! What a field accepts and what it changes is decided by `eda_sim::view::builder`; this is the form.

use crate::shared::SlowPanelProps as PanelProps;
use crate::state::Edit;
use crate::state::{Action, Confirmation, Field};
use eda_sim::view::builder::{self, kinds, FieldSpec, FieldType};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[component]
pub fn BuildPanel() -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    // The kind chosen in the form; until the user picks one, what the scenario lacks.
    let chosen = use_state(|| None::<String>);
    let suggested = {
        let shared = props.state.model.clone();
        use_memo(model.scenario_revision, move |_| {
            suggested_kind(&shared.borrow().scenario)
        })
    };
    let kind = chosen.as_deref().unwrap_or(*suggested).to_string();
    let name = use_state(String::new);
    let on_kind = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(Some(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_submit = {
        let (kind, name, dispatch, state) = (kind.clone(), name.clone(), props.dispatch.clone(), props.state.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            dispatch.emit(Action::Edit(Edit::AddEntity {
                kind: kind.clone(),
                name: (*name).clone(),
            }));
            // Keep the name when it was refused, so the message beside it still makes sense.
            let refused = state
                .model
                .borrow()
                .field_error
                .as_ref()
                .is_some_and(|(f, _)| *f == Field::NewEntity);
            if !refused {
                name.set(String::new());
            }
        })
    };
    let error = model
        .field_error
        .as_ref()
        .filter(|(f, _)| *f == Field::NewEntity)
        .map(|(_, m)| m.clone());
    // Listing the entities reads the whole scenario: once per change of it, not per redraw.
    let items = {
        let shared = props.state.model.clone();
        use_memo(model.scenario_revision, move |_| {
            builder::items(&shared.borrow().scenario)
        })
    };
    let editing = model.editing.clone();
    let (fold, folded) = super::fold_button(&props.dispatch, &model, "build", &crate::tr!("build"));
    let mut patterns: Vec<&str> = kinds().filter(|k| k.addable).map(|k| k.pattern).collect();
    patterns.dedup();
    html! {
        <section class={if folded { "panel builder collapsed" } else { "panel builder" }} aria-labelledby="build-heading">
            <h2 id="build-heading">{ crate::tr!("build") }</h2>
            { fold }
            { palette(&props.dispatch, model.scenario_has_event_bus()) }
            <form class="add-entity" onsubmit={on_submit}>
                <label>{ crate::tr!("entity-kind") }
                    <select onchange={on_kind}>
                        { for patterns.iter().map(|pattern| html! {
                            <optgroup label={crate::tr!(&format!("kinds-pattern-{}", pattern.to_ascii_lowercase().replace(' ', "-")))}>
                                { for kinds().filter(|k| k.addable && k.pattern == *pattern).map(|k| html! {
                                    <option value={k.id} selected={kind == k.id}>{ crate::i18n::kind_name(k) }</option>
                                }) }
                            </optgroup>
                        }) }
                    </select>
                </label>
                <label>{ crate::tr!("entity-name") }
                    <input type="text" value={(*name).clone()} oninput={on_name} maxlength="64" placeholder={crate::tr!("entity-name-placeholder")}
                        aria-invalid={error.is_some().then_some("true")}
                        aria-describedby={error.is_some().then_some("add-entity-error")} />
                </label>
                <button type="submit">{ crate::tr!("add-entity") }</button>
                if let Some(error) = error {
                    <p class="field-error" id="add-entity-error">{ error }</p>
                }
            </form>
            if items.is_empty() {
                <p class="hint">{ crate::tr!("builder-empty") }</p>
            } else {
                <ul class="entity-list" aria-label={crate::tr!("entities-in-scenario")}>
                    { for items.iter().map(|item| {
                        let target = (item.kind.id.to_string(), item.name.clone());
                        let current = editing.as_ref() == Some(&target);
                        html! {
                            <li>
                                <button type="button" class={super::class_list(&[Some("entity-item"), current.then_some("current")])}
                                    aria-pressed={current.to_string()}
                                    aria-label={crate::tr!("edit-entity", kind = crate::i18n::kind_name(item.kind).to_lowercase(), name = item.name.clone())}
                                    onclick={props.dispatch.reform(move |_| Action::Edit(Edit::EditEntity(Some(target.clone()))))}>
                                    <span class="entity-name">{ &item.name }</span>
                                    <span class="kind">{ crate::i18n::kind_name(item.kind) }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
            <button type="button" class="secondary" onclick={props.dispatch.reform(|_| Action::Edit(Edit::StartEmpty))}>
                { crate::tr!("new-empty-scenario") }
            </button>
        </section>
    }
}

#[component]
pub fn PropertiesPanel() -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    // The form's values, read once per change of the scenario or of the entity shown (the
    // panel redraws on every seek, when neither changes).
    let views = {
        let shared = props.state.model.clone();
        use_memo((model.scenario_revision, model.editing.clone()), move |(_, editing)| {
            let (kind_id, name) = editing.as_ref()?;
            let kind = builder::kind(kind_id)?;
            let model = shared.borrow();
            let exists = builder::items(&model.scenario)
                .iter()
                .any(|i| i.kind.id == kind.id && &i.name == name);
            exists.then(|| builder::entity_fields(&model.scenario, kind, name))
        })
    };
    let Some((kind_id, name)) = model.editing.clone() else {
        return html! {};
    };
    let Some(kind) = builder::kind(&kind_id) else {
        return html! {};
    };
    let Some(views) = views.as_ref() else {
        return html! {};
    };
    let heading = crate::tr!(
        "properties-of",
        kind = crate::i18n::kind_name(kind).to_lowercase(),
        name = name.clone()
    );
    html! {
        // Keyed by entity: text typed (and refused) for one entity never shows on another.
        <section key={format!("{}/{name}", kind.id)} class="panel properties" aria-labelledby="properties-heading">
            <h2 id="properties-heading">{ &heading }</h2>
            { for kind.fields.iter().zip(views).map(|(field, view)| property(props, &model, kind, field, view)) }
            <div class="property-actions">
                if kind.list.is_some() {
                    <button type="button" class="fault" onclick={props.dispatch.reform(|_| Action::Edit(Edit::DeleteEntity))}>
                        { crate::tr!("delete-entity", name = name.clone()) }
                    </button>
                }
                <button type="button" onclick={props.dispatch.reform(|_| Action::Edit(Edit::EditEntity(None)))}>{ crate::tr!("close-properties") }</button>
            </div>
        </section>
    }
}

fn property(
    props: &PanelProps,
    model: &crate::state::Model,
    kind: &'static builder::KindSpec,
    field: &'static FieldSpec,
    view: &builder::FieldView,
) -> Html {
    let scenario = &model.scenario;
    let (label, help) = (
        crate::i18n::field_label(kind, field),
        crate::i18n::field_help(kind, field),
    );
    let id = format!("property-{}", field.key.replace('.', "-"));
    let help_id = format!("{id}-help");
    let error = model
        .property_error
        .as_ref()
        .filter(|(key, _)| key == field.key)
        .map(|(_, m)| m.clone());
    let error_id = format!("{id}-error");
    let described = if error.is_some() {
        format!("{error_id} {help_id}")
    } else {
        help_id.clone()
    };
    // What was typed and is kept until the entities it names exist, shown as typed.
    let editing = model.editing.as_ref().map(|(_, name)| name.as_str());
    let pending = model
        .pending
        .iter()
        .find(|p| Some(p.name.as_str()) == editing && p.key == field.key);
    let current = pending.map_or_else(|| view.text.clone(), |p| p.text.clone());
    let key = field.key.to_string();
    let on_change = {
        let key = key.clone();
        props.dispatch.reform(move |e: Event| {
            let target = e.target_unchecked_into::<web_sys::Element>();
            let text = if let Some(area) = wasm_bindgen::JsCast::dyn_ref::<HtmlTextAreaElement>(&target) {
                area.value()
            } else if let Some(select) = wasm_bindgen::JsCast::dyn_ref::<HtmlSelectElement>(&target) {
                select.value()
            } else {
                e.target_unchecked_into::<HtmlInputElement>().value()
            };
            Action::Edit(Edit::SetProperty { key: key.clone(), text })
        })
    };
    let invalid = error.is_some().then_some("true");
    let control = match field.ty {
        FieldType::Choice(options) => html! {
            <select id={id.clone()} onchange={on_change} aria-describedby={described.clone()} aria-invalid={invalid}>
                { for options.iter().map(|o| html! { <option value={*o} selected={current == *o}>{ crate::i18n::core_words::choice(o) }</option> }) }
            </select>
        },
        FieldType::Reference(_) => {
            let options = &view.candidates;
            html! {
                <select id={id.clone()} onchange={on_change} aria-describedby={described.clone()} aria-invalid={invalid}>
                    if field.optional || current.is_empty() {
                        <option value="" selected={current.is_empty()}>{ crate::tr!("option-none") }</option>
                    }
                    { for options.iter().map(|o| html! { <option value={o.clone()} selected={current == *o}>{ o }</option> }) }
                </select>
            }
        }
        FieldType::EventTypes => {
            let chosen = &view.list;
            let types: Vec<String> = scenario.event_bus.event_types.iter().map(|t| t.name.clone()).collect();
            return html! {
                <fieldset class="property" aria-describedby={described}>
                    <legend>{ label.clone() }</legend>
                    if types.is_empty() {
                        <p class="hint">{ crate::tr!("need-event-type") }</p>
                    }
                    { for types.iter().map(|t| {
                        let (key, event_type) = (key.clone(), t.clone());
                        let toggle = props.dispatch.reform(move |e: Event| Action::Edit(Edit::SetPropertyType {
                            key: key.clone(),
                            event_type: event_type.clone(),
                            on: e.target_unchecked_into::<HtmlInputElement>().checked(),
                        }));
                        html! {
                            <label class="subscription">
                                <input type="checkbox" checked={chosen.contains(t)} onchange={toggle} />{ t }
                            </label>
                        }
                    }) }
                    <small id={help_id}>{ help.clone() }</small>
                    if let Some(error) = error { <p class="field-error" id={error_id}>{ error }</p> }
                </fieldset>
            };
        }
        FieldType::Switch => {
            let key = key.clone();
            let toggle = props.dispatch.reform(move |e: Event| {
                Action::Edit(Edit::SetProperty {
                    key: key.clone(),
                    text: e.target_unchecked_into::<HtmlInputElement>().checked().to_string(),
                })
            });
            return html! {
                <div class="property switch">
                    <label>
                        <input id={id} type="checkbox" checked={current == "true"} onchange={toggle}
                            aria-describedby={described} aria-invalid={invalid} />
                        { label.clone() }
                    </label>
                    <small id={help_id}>{ help.clone() }</small>
                    if let Some(error) = error { <p class="field-error" id={error_id}>{ error }</p> }
                </div>
            };
        }
        FieldType::Json => html! {
            <textarea id={id.clone()} rows="2" value={current.clone()} onchange={on_change}
                aria-describedby={described.clone()} aria-invalid={invalid} spellcheck="false" />
        },
        // Text, not a number input: a browser turns a mistyped number into an empty value,
        // which would silently clear an optional count instead of saying what is wrong.
        FieldType::Count => html! {
            <input id={id.clone()} type="text" inputmode="numeric" value={current.clone()} onchange={on_change}
                aria-describedby={described.clone()} aria-invalid={invalid} spellcheck="false" />
        },
        _ => html! {
            <input id={id.clone()} type="text" value={current.clone()} onchange={on_change}
                aria-describedby={described.clone()} aria-invalid={invalid} spellcheck="false" />
        },
    };
    html! {
        <div class="property">
            <label for={id.clone()}>{ label.clone() }</label>
            { control }
            <small id={help_id}>{ help.clone() }</small>
            if let Some(error) = error { <p class="field-error" id={error_id}>{ error }</p> }
            if let Some(pending) = pending {
                <p class="pending-note" role="note">
                    { crate::tr!("pending-note", names = pending.waits_for.join(", "), count = pending.waits_for.len()) }
                </p>
            }
        </div>
    }
}

/// The question of a destructive action, with Delete (or Discard) and Cancel; or the binding
/// key a link drawn from an exchange to a queue needs.
#[component]
pub fn ConfirmDialog() -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let cancel = use_node_ref();
    let key_field = use_node_ref();
    let dialog = use_node_ref();
    let before = use_mut_ref(|| None::<web_sys::HtmlElement>);
    {
        // A modal dialog: the page behind it is inert until it is answered. Focus moves to the
        // safe answer when the question appears, and back where it was when it is answered.
        let (cancel, dialog, key_field) = (cancel.clone(), dialog.clone(), key_field.clone());
        use_effect_with(model.confirmation.is_some(), move |open| {
            let document = web_sys::window().and_then(|w| w.document());
            if *open {
                *before.borrow_mut() = document
                    .and_then(|d| d.active_element())
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
                if let Some(dialog) = dialog.cast::<web_sys::HtmlDialogElement>() {
                    if !dialog.open() {
                        let _ = dialog.show_modal();
                    }
                }
                // The key's field when a key is asked for, else the safe answer.
                if let Some(first) = key_field
                    .cast::<web_sys::HtmlElement>()
                    .or_else(|| cancel.cast::<web_sys::HtmlElement>())
                {
                    let _ = first.focus();
                }
            } else if let Some(previous) = before.borrow_mut().take() {
                if previous.is_connected() {
                    let _ = previous.focus();
                }
            }
        });
    }
    let Some(confirmation) = model.confirmation.clone() else {
        return html! {};
    };
    // Escape closes a modal dialog by itself: it is the same as Cancel.
    let on_cancel = props.dispatch.reform(|e: Event| {
        e.prevent_default();
        Action::Edit(Edit::Confirm(false))
    });
    let (question, detail, yes) = match confirmation {
        Confirmation::Delete { question, detail, .. } => (question, detail, crate::tr!("confirm-delete")),
        Confirmation::Clear { detail } => (
            crate::tr!("start-empty-question"),
            detail,
            crate::tr!("confirm-discard"),
        ),
        Confirmation::BindingKey { exchange, queue } => {
            let on_bind = {
                let (dispatch, key_field) = (props.dispatch.clone(), key_field.clone());
                let (exchange, queue) = (exchange.clone(), queue.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let key = key_field
                        .cast::<HtmlInputElement>()
                        .map(|i| i.value())
                        .unwrap_or_default();
                    dispatch.emit(Action::Edit(Edit::Bind {
                        exchange: exchange.clone(),
                        queue: queue.clone(),
                        key,
                    }));
                })
            };
            return html! {
                <dialog ref={dialog} class="confirm binding" role="dialog" aria-modal="true" aria-labelledby="confirm-heading"
                    aria-describedby="confirm-detail" oncancel={on_cancel}>
                    <form onsubmit={on_bind}>
                        <h2 id="confirm-heading">{ crate::tr!("bind-heading", queue = queue.clone(), exchange = exchange.clone()) }</h2>
                        <p id="confirm-detail">
                            { crate::tr!("bind-detail", queue = queue.clone()) }{ " " }
                            { crate::tr!("bind-rules") }
                        </p>
                        <label>{ crate::tr!("binding-key") }
                            <input type="text" ref={key_field} maxlength="64" placeholder={crate::tr!("binding-key-placeholder")} />
                        </label>
                        <div class="confirm-buttons">
                            <button type="submit">{ crate::tr!("bind") }</button>
                            <button type="button" ref={cancel} onclick={props.dispatch.reform(|_| Action::Edit(Edit::Confirm(false)))}>{ crate::tr!("cancel") }</button>
                        </div>
                    </form>
                </dialog>
            };
        }
    };
    html! {
        <dialog ref={dialog} class="confirm" role="alertdialog" aria-modal="true" aria-labelledby="confirm-heading"
            aria-describedby="confirm-detail" oncancel={on_cancel}>
            <h2 id="confirm-heading">{ question }</h2>
            <p id="confirm-detail">{ detail }</p>
            <div class="confirm-buttons">
                <button type="button" class="fault" onclick={props.dispatch.reform(|_| Action::Edit(Edit::Confirm(true)))}>{ yes }</button>
                <button type="button" ref={cancel} onclick={props.dispatch.reform(|_| Action::Edit(Edit::Confirm(false)))}>{ crate::tr!("cancel") }</button>
            </div>
        </dialog>
    }
}

/// The palette's buttons: kind id and the button's name. Each name is unique on the page even
/// as a prefix ("Add registry", not "Add service registry", beside "Add service"), so a button
/// is found by its name alone.
const PALETTE: &[(&str, &str)] = &[
    ("producer", "Add producer"),
    ("exchange", "Add exchange"),
    ("queue", "Add queue"),
    ("topic", "Add topic"),
    ("consumer-group", "Add group"),
    ("consumer", "Add consumer"),
    ("client", "Add client"),
    ("service", "Add service"),
    ("registry", "Add registry"),
    ("provider", "Add provider"),
    ("discovery-client", "Add discovery client"),
    ("event-bus", "Add event bus"),
    ("event-source", "Add event source"),
    ("listener", "Add listener"),
    ("event-store", "Add event store"),
    ("projection", "Add projection"),
];

/// One button per kind of entity: adds one with a fresh name, placed by the layout, and opens
/// its properties. Where the event-bus panels are shown they have their own "Add listener".
fn palette(dispatch: &Callback<Action>, event_bus_panels: bool) -> Html {
    html! {
        <div class="palette" role="toolbar" aria-label={crate::tr!("add-to-diagram")}>
            { for PALETTE.iter().filter(|(id, _)| !(event_bus_panels && *id == "listener")).map(|&(id, _)| {
                let kind = builder::kind(id);
                let name = crate::tr!(&format!("palette-{id}"));
                let title = kind.map_or(String::new(), |k| crate::tr!("add-fresh", kind = crate::i18n::kind_name(k).to_lowercase()));
                let icon = kind_icon(id);
                html! {
                    <button type="button" class="palette-button" title={title}
                        onclick={dispatch.reform(move |_| Action::Edit(Edit::AddEntity { kind: id.to_string(), name: String::new() }))}>
                        <span class="icon" aria-hidden="true">{ icon }</span>{ name }
                    </button>
                }
            }) }
        </div>
    }
}

/// The icon of a builder kind, the same as its node's in the diagram.
fn kind_icon(id: &str) -> &'static str {
    use eda_sim::EntityKind as K;
    let kind = match id {
        "producer" => K::Producer,
        "exchange" => K::Exchange,
        "queue" => K::Queue,
        "topic" => K::Topic,
        "consumer-group" => K::ConsumerGroup,
        "consumer" => K::Consumer,
        "client" => K::Client,
        "service" => K::Service,
        "registry" => K::ServiceRegistry,
        "provider" => K::Provider,
        "discovery-client" => K::DiscoveryClient,
        "event-bus" => K::EventBus,
        "event-source" => K::EventSource,
        "listener" => K::Listener,
        "event-store" => K::EventStore,
        _ => K::Projection,
    };
    super::diagram::node::icon(kind)
}

/// The kind of entity the scenario most obviously lacks, for the form's default: what the
/// last part added needs next (a queue's consumer, a service's clients…), else a producer.
pub fn suggested_kind(scenario: &eda_sim::Scenario) -> &'static str {
    let items = builder::items(scenario);
    let has = |id: &str| items.iter().any(|i| i.kind.id == id);
    // (present, missing): when the first is there and the second is not, suggest the second.
    const NEXT: &[(&str, &str)] = &[
        ("exchange", "queue"),
        ("queue", "consumer"),
        ("topic", "consumer-group"),
        ("consumer-group", "consumer"),
        ("producer", "queue"),
        ("service", "client"),
        ("client", "service"),
        ("registry", "provider"),
        ("provider", "discovery-client"),
        ("event-bus", "event-source"),
        ("event-source", "listener"),
        ("event-store", "projection"),
    ];
    if items.iter().all(|i| i.kind.id == "event-type") {
        return "producer";
    }
    if has("queue") && !has("producer") && !has("exchange") {
        return "producer";
    }
    NEXT.iter()
        .find(|(present, missing)| has(present) && !has(missing) && !(*missing == "queue" && has("topic")))
        .map_or("queue", |(_, missing)| *missing)
}
