//! Entity cards: every entity outside the event-bus diagram (services, clients, broker parts,
//! registries, stores…) with the counters the core reports for it now, and the actions a user
//! can take on it (send a request, publish a message, fail a topic's leaders over, crash,
//! restart).

use crate::state::Edit;
use crate::state::{Action, Field, Inspect};
use eda_sim::{Command, EntityKind};
use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The words of the log records a counter of what a delivery guarantee allowed counts (searched
/// for in the event log), and whether those records are the topic's rather than the entity's
/// own (a producer's losses are records its topic removed).
pub(crate) fn records_of(kind: EntityKind, counter: &str) -> Option<(String, bool)> {
    let own = |needle: &str| Some((crate::i18n::records::find(needle), false));
    match (kind, counter) {
        (EntityKind::Consumer, "lost") => own("never processed"),
        (EntityKind::Consumer, "duplicates") => own("— duplicate"),
        (EntityKind::Consumer, "deduplicated") => own("deduplicated"),
        (EntityKind::Consumer, "reordered") => own("out of order"),
        (EntityKind::Consumer, "transactions_aborted") => own("marked aborted"),
        (EntityKind::Consumer, "transactions_committed") => own("offsets consumed, together"),
        (EntityKind::Consumer, "aborted_skipped") => own("written by an aborted transaction"),
        (EntityKind::Consumer | EntityKind::Producer, "link_lost") => own("lost on the link"),
        (EntityKind::Consumer | EntityKind::Producer, "link_doubled") => own("doubled on the link"),
        (EntityKind::Producer, "lost") => Some((crate::i18n::records::find("already acknowledged"), true)),
        (EntityKind::Producer, "retried") => own("no acknowledgement in time"),
        (EntityKind::Producer, "gave_up") => own("retries spent"),
        (EntityKind::Producer, "duplicates_discarded") => own("same producer id and sequence"),
        (EntityKind::Topic, "truncated") => own("truncated"),
        (EntityKind::Service, "events_lost") => own("event never published"),
        (EntityKind::Service, "orders_duplicated") => own("duplicate order"),
        (EntityKind::Service, "orders_replayed") => own("idempotent replay"),
        (EntityKind::Client | EntityKind::Listener | EntityKind::EventStore, "link_lost") => own("lost on the link"),
        (EntityKind::EventStore, "link_doubled") => own("doubled on the link"),
        (EntityKind::Listener, "link_doubled") => own("doubled on the link"),
        (EntityKind::Listener, "reordered") => own("out of order"),
        (EntityKind::Listener, "duplicates") => own("handled again"),
        (EntityKind::Listener | EntityKind::Consumer, "unreachable") => own("cut off by the partition"),
        (EntityKind::Client, "link_doubled") => own("doubled on the link"),
        (EntityKind::Service, "events_invented") => own("event never written"),
        (EntityKind::Service, "events_repeated") => own("relay published again"),
        _ => None,
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_f64() => format!("{:.3}", n.as_f64().unwrap_or(0.0)),
        Value::Object(map) if map.is_empty() => crate::tr!("value-none"),
        Value::Bool(true) => crate::tr!("value-true"),
        Value::Bool(false) => crate::tr!("value-false"),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", show(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An action button of a card: its visible label, its accessible name (which names the
/// entity), and what it does.
/// A button whose visible words are the message `label`.
fn button(label: &'static str, accessible_name: String, onclick: Callback<MouseEvent>) -> Html {
    styled_button(None, label, accessible_name, onclick)
}

/// [`button`] with a class of its own (`fault` for Crash).
pub(crate) fn styled_button(
    class: Option<&'static str>,
    label: &'static str,
    accessible_name: String,
    onclick: Callback<MouseEvent>,
) -> Html {
    html! {
        <button type="button" {class} aria-label={accessible_name} {onclick}>{ crate::tr!(label) }</button>
    }
}

/// The command that cuts `name` off the network (joining whatever is cut off already), or
/// reconnects it (healing the network when nothing else stays cut off).
pub(crate) fn network_toggle(sim: &eda_sim::Sim, name: &str) -> Option<Command> {
    let id = sim.entity_id(name)?;
    let network = sim.network();
    let mut sides: Vec<Vec<String>> = network
        .split
        .iter()
        .map(|side| side.iter().map(|&e| sim.entity_name(e).to_string()).collect())
        .collect();
    if network.side(id) != 0 {
        for side in &mut sides {
            side.retain(|n| n != name);
        }
        if sides.iter().skip(1).all(Vec::is_empty) {
            return Some(Command::Heal {});
        }
    } else {
        if sides.len() < 2 {
            sides.resize(2, Vec::new());
        }
        sides[0].retain(|n| n != name);
        sides[1].push(name.to_string());
    }
    Some(Command::Partition { sides })
}

pub(crate) fn crashable(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Service
            | EntityKind::Broker
            | EntityKind::Consumer
            | EntityKind::ServiceRegistry
            | EntityKind::Provider
            | EntityKind::DiscoveryClient
    )
}

#[component]
pub fn EntityCards() -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let sim = model.sim();
    let report = sim.report();
    let cards: Vec<Html> = sim
        .entities()
        .iter()
        .filter(|e| !matches!(e.kind, EntityKind::EventBus | EntityKind::EventSource | EntityKind::Listener))
        .map(|entity| {
            let name = entity.name.clone();
            let kind = entity.kind;
            let counters = report.entity(&name).map(|r| r.counters.clone()).unwrap_or_default();
            let mut actions: Vec<Html> = Vec::new();
            let run = |command: Command| props.dispatch.reform(move |_| Action::Edit(Edit::RunCommand(command.clone())));
            match kind {
                EntityKind::Client => {
                    let spec = model.scenario.request_reply.clients.iter().find(|c| c.id == name);
                    let orders = spec
                        .and_then(|c| model.scenario.request_reply.services.iter().find(|s| s.id == c.service))
                        .is_some_and(|s| s.orders.is_some());
                    let (label, named) = if orders { ("card-create-order", "card-create-order-name") } else { ("card-send-request", "card-send-request-name") };
                    actions.push(button(label, crate::tr!(named, name = name.clone()), run(Command::Request { client: name.clone() })));
                    let rate = spec
                        .and_then(|c| c.arrivals.as_ref())
                        .map(|a| format!("{:.1}", 1e6 / a.every.mean_us().max(1.0)))
                        .unwrap_or_else(|| "0".into());
                    let client = name.clone();
                    let on_rate = props.dispatch.reform(move |e: Event| Action::Edit(Edit::SetClientRate {
                        client: client.clone(),
                        text: e.target_unchecked_into::<HtmlInputElement>().value(),
                    }));
                    let (what, named) = if orders {
                        ("card-orders-per-second", "card-orders-per-second-name")
                    } else {
                        ("card-requests-per-second", "card-requests-per-second-name")
                    };
                    actions.push(html! {
                        <label class="rate">{ crate::tr!(what) }
                            <input type="number" min="0" step="any" value={rate} onchange={on_rate}
                                aria-label={crate::tr!(named, name = name.clone())} />
                        </label>
                    });
                }
                EntityKind::Producer => actions.push(button(
                    "card-publish",
                    crate::tr!("card-publish-name", name = name.clone()),
                    run(Command::Produce { producer: name.clone(), key: None, payload: None }),
                )),
                EntityKind::Topic if model.scenario.broker.topics.iter().any(|t| t.id == name && t.replicas > 1) => {
                    actions.push(styled_button(
                        Some("fault"),
                        "card-fail-over",
                        crate::tr!("card-fail-over-name", name = name.clone()),
                        run(Command::FailOver { topic: name.clone() }),
                    ))
                }
                EntityKind::Provider => {
                    actions.push(button("card-register", crate::tr!("card-register-name", name = name.clone()), run(Command::Register { provider: name.clone() })));
                    actions.push(button(
                        "card-deregister",
                        crate::tr!("card-deregister-name", name = name.clone()),
                        run(Command::Deregister { provider: name.clone() }),
                    ));
                }
                EntityKind::DiscoveryClient => actions.push(html! {
                    <DiscoveryActions client={name.clone()} dispatch={props.dispatch.clone()} />
                }),
                EntityKind::EventStore => actions.push(html! {
                    <AppendForm store={name.clone()} dispatch={props.dispatch.clone()} />
                }),
                EntityKind::Projection => actions.push(button(
                    "card-rebuild",
                    crate::tr!("card-rebuild-name", name = name.clone()),
                    run(Command::RebuildProjection { projection: name.clone() }),
                )),
                EntityKind::Consumer
                    if model.scenario.broker.consumers.iter().any(|c| c.id == name && c.group.is_some()) =>
                {
                    actions.push(button("card-join", crate::tr!("card-join-name", name = name.clone()), run(Command::Join { consumer: name.clone() })));
                    actions.push(button(
                        "card-leave",
                        crate::tr!("card-leave-name", name = name.clone()),
                        run(Command::Leave { consumer: name.clone() }),
                    ));
                }
                _ => {}
            }
            if eda_sim::command::NETWORKED.contains(&kind) {
                if let Some(command) = network_toggle(sim, &name) {
                    let cut = sim.entity_id(&name).is_some_and(|id| sim.network_side(id) != 0);
                    actions.push(if cut {
                        button("card-reconnect", crate::tr!("card-reconnect-name", name = name.clone()), run(command))
                    } else {
                        styled_button(Some("fault"), "card-cut-off", crate::tr!("card-cut-off-name", name = name.clone()), run(command))
                    });
                }
            }
            if crashable(kind) {
                actions.push(styled_button(
                    Some("fault"),
                    "card-crash",
                    crate::tr!("card-crash-name", name = name.clone()),
                    run(Command::Crash { entity: name.clone() }),
                ));
                actions.push(button("card-restart", crate::tr!("card-restart-name", name = name.clone()), run(Command::Restart { entity: name.clone() })));
            }
            // Bars: a queue's depth (against its capacity or its deepest so far), a group's lag per partition.
            let mut bars: Vec<(String, f64, f64)> = Vec::new();
            let number = |key: &str| counters.get(key).and_then(Value::as_f64).unwrap_or(0.0);
            match kind {
                EntityKind::Queue => bars.push((crate::tr!("bar-depth"), number("ready"), number("depth_max").max(1.0))),
                EntityKind::ConsumerGroup => {
                    if let Some(Value::Object(lag)) = counters.get("lag") {
                        let most = lag.values().filter_map(Value::as_f64).fold(1.0f64, f64::max);
                        for (partition, value) in lag {
                            bars.push((crate::tr!("bar-lag", partition = partition.clone()), value.as_f64().unwrap_or(0.0), most));
                        }
                    }
                }
                EntityKind::Topic => {
                    if let Some(Value::Object(ends)) = counters.get("log_end_offsets") {
                        let most = ends.values().filter_map(Value::as_f64).fold(1.0f64, f64::max);
                        for (partition, value) in ends {
                            bars.push((format!("p{partition}"), value.as_f64().unwrap_or(0.0), most));
                        }
                    }
                }
                _ => {}
            }
            let down = counters.get("down").and_then(Value::as_u64) == Some(1)
                || counters.get("up").and_then(Value::as_u64) == Some(0);
            let selected = model.selected.contains(&name);
            html! {
                <article class={super::class_list(&[Some("entity-card"), down.then_some("down"), selected.then_some("selected")])} aria-label={format!("{} {name}", crate::i18n::kind_label(kind))}>
                    <header><h3>{ &name }</h3><span class="kind">{ crate::i18n::kind_label(kind) }</span></header>
                    <dl>
                        { for counters.iter().filter(|(counter, _)| !super::theory::is_theory_counter(counter)).map(|(counter, value)| {
                            // What a guarantee allowed links to the records that show it.
                            let records = (value.as_u64().unwrap_or(0) > 0)
                                .then(|| records_of(kind, counter))
                                .flatten()
                                .map(|(needle, on_topic)| {
                                    let topic = on_topic
                                        .then(|| model.scenario.broker.producers.iter().find(|p| p.id == name))
                                        .flatten()
                                        .and_then(|p| p.topic.clone());
                                    (needle, topic.unwrap_or_else(|| name.clone()))
                                });
                            let words = crate::i18n::core_words::counter(counter);
                            let value = &crate::i18n::core_words::labelled(counter, value);
                            html! {
                                <div class="counter"><dt>{ words.clone() }</dt><dd>{
                                    match records {
                                        Some((needle, whose)) => {
                                            let filter = Action::Inspect(Inspect::FilterLog { entity: whose, text: needle.to_string() });
                                            html! {
                                                <button type="button" class={if matches!(counter.as_str(), "deduplicated" | "duplicates_discarded" | "orders_replayed" | "aborted_skipped" | "transactions_committed") { "counter-link caught" } else { "counter-link" }}
                                                    title={crate::tr!("card-show-records")}
                                                    aria-label={crate::tr!("card-show-records-name", value = show(value), counter = words.clone(), name = name.clone())}
                                                    onclick={props.dispatch.reform(move |_| filter.clone())}>{ show(value) }</button>
                                            }
                                        }
                                        None => html! { { show(value) } },
                                    }
                                }</dd></div>
                            }
                        }) }
                    </dl>
                    if !bars.is_empty() {
                        <div class="bars">
                            { for bars.iter().map(|(label, value, most)| html! {
                                <div class="bar-row">
                                    <span class="bar-label">{ label }</span>
                                    <span class="bar" role="meter" aria-label={crate::tr!("card-bar-name", bar = label.clone(), name = name.clone())}
                                        aria-valuemin="0" aria-valuemax={most.to_string()} aria-valuenow={value.to_string()}>
                                        <span class="bar-fill" style={format!("width: {:.1}%", (value / most * 100.0).min(100.0))}></span>
                                    </span>
                                    <span class="bar-value">{ value }</span>
                                </div>
                            }) }
                        </div>
                    }
                    if !actions.is_empty() {
                        <div class="card-actions">{ for actions }</div>
                    }
                </article>
            }
        })
        .collect();
    if cards.is_empty() {
        return html! {};
    }
    let rate_error = model
        .field_error
        .as_ref()
        .filter(|(f, _)| *f == Field::ClientRate)
        .map(|(_, m)| m.clone());
    let (fold, folded) = super::fold_button(&props.dispatch, &model, "entities", &crate::tr!("entities"));
    html! {
        <section class={if folded { "entities-panel collapsed" } else { "entities-panel" }} aria-labelledby="entities-heading">
            <h2 id="entities-heading">{ crate::tr!("entities") }</h2>
            { fold }
            if let Some(error) = rate_error {
                <p class="field-error">{ error }</p>
            }
            <div class="cards">{ for cards }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DiscoveryActionsProps {
    client: String,
    dispatch: Callback<Action>,
}

/// A discovery client's commands: look up, watch or call a service name.
#[component]
fn DiscoveryActions(props: &DiscoveryActionsProps) -> Html {
    let name = use_state(String::new);
    let operation = use_state(|| "echo".to_string());
    let error = use_state(|| None::<String>);
    let client = props.client.clone();
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_operation = {
        let operation = operation.clone();
        Callback::from(move |e: InputEvent| operation.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let command = |verb: &'static str| {
        let (name, operation, error, client, dispatch) = (
            name.clone(),
            operation.clone(),
            error.clone(),
            client.clone(),
            props.dispatch.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let service = name.trim().to_string();
            if service.is_empty() {
                error.set(Some(crate::tr!("service-name-first")));
                return;
            }
            error.set(None);
            let client = client.clone();
            let command = match verb {
                "lookup" => Command::Lookup { client, name: service },
                "watch" => Command::Watch { client, name: service },
                _ => Command::Call {
                    client,
                    name: service,
                    operation: operation.trim().to_string(),
                    payload: "hello".into(),
                },
            };
            dispatch.emit(Action::Edit(Edit::RunCommand(command)));
        })
    };
    let error_id = format!("discovery-{}-error", props.client);
    html! {
        <div class="command-form">
            <label>{ crate::tr!("service-name") }
                <input type="text" value={(*name).clone()} oninput={on_name} maxlength="64" placeholder="foo"
                    aria-label={crate::tr!("service-name-for", client = props.client.clone())}
                    aria-describedby={error.is_some().then(|| error_id.clone())} />
            </label>
            <label>{ crate::tr!("operation") }
                <input type="text" value={(*operation).clone()} oninput={on_operation} maxlength="64"
                    aria-label={crate::tr!("operation-for", client = props.client.clone())} />
            </label>
            { button("look-up", crate::tr!("look-up-with", client = props.client.clone()), command("lookup")) }
            { button("watch", crate::tr!("watch-with", client = props.client.clone()), command("watch")) }
            { button("call", crate::tr!("call-with", client = props.client.clone()), command("call")) }
            if let Some(message) = &*error { <p class="field-error" id={error_id}>{ message }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AppendFormProps {
    store: String,
    dispatch: Callback<Action>,
}

/// Appends one event to a stream of an event store: stream, type and the fields it sets.
#[component]
fn AppendForm(props: &AppendFormProps) -> Html {
    let stream = use_state(|| "user-1".to_string());
    let event_type = use_state(|| "NameChanged".to_string());
    let data = use_state(|| "{\"name\": \"Ada\"}".to_string());
    let error = use_state(|| None::<String>);
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_submit = {
        let (stream, event_type, data, error, store, dispatch) = (
            stream.clone(),
            event_type.clone(),
            data.clone(),
            error.clone(),
            props.store.clone(),
            props.dispatch.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let fields = match serde_json::from_str(data.trim()) {
                Ok(Value::Object(map)) => map,
                Ok(_) => {
                    error.set(Some(crate::tr!("append-not-object")));
                    return;
                }
                Err(e) => {
                    error.set(Some(crate::tr!("append-not-json", error = e.to_string())));
                    return;
                }
            };
            if stream.trim().is_empty() || event_type.trim().is_empty() {
                error.set(Some(crate::tr!("append-name-both")));
                return;
            }
            error.set(None);
            dispatch.emit(Action::Edit(Edit::RunCommand(Command::Append {
                store: store.clone(),
                stream: stream.trim().to_string(),
                event_type: event_type.trim().to_string(),
                data: fields,
                expected_version: None,
            })));
        })
    };
    let error_id = format!("append-{}-error", props.store);
    html! {
        <form class="command-form" onsubmit={on_submit}>
            <label>{ crate::tr!("append-stream") }
                <input type="text" value={(*stream).clone()} oninput={text_input(&stream)} maxlength="64"
                    aria-label={crate::tr!("append-stream-in", store = props.store.clone())} />
            </label>
            <label>{ crate::tr!("append-event-type") }
                <input type="text" value={(*event_type).clone()} oninput={text_input(&event_type)} maxlength="64"
                    aria-label={crate::tr!("append-event-type-to", store = props.store.clone())} />
            </label>
            <label>{ crate::tr!("append-data") }
                <input type="text" value={(*data).clone()} oninput={text_input(&data)} maxlength="2000"
                    aria-label={crate::tr!("append-data-for", store = props.store.clone())}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then(|| error_id.clone())} />
            </label>
            <button type="submit" aria-label={crate::tr!("append-event-to", store = props.store.clone())}>{ crate::tr!("append-event") }</button>
            if let Some(message) = &*error { <p class="field-error" id={error_id}>{ message }</p> }
        </form>
    }
}
