//! Entity cards: every entity outside the event-bus diagram (services, clients, broker parts,
//! registries, stores…) with the counters the core reports for it now, and the actions a user
//! can take on it (send a request, publish a message, crash, restart).

use crate::app::PanelProps;
use crate::state::Action;
use eda_sim::{Command, EntityKind};
use serde_json::Value;
use yew::prelude::*;

fn show(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_f64() => format!("{:.3}", n.as_f64().unwrap_or(0.0)),
        Value::Object(map) if map.is_empty() => "none".into(),
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

fn crashable(kind: EntityKind) -> bool {
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
pub fn EntityCards(props: &PanelProps) -> Html {
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
            let run = |command: Command| props.dispatch.reform(move |_| Action::RunCommand(command.clone()));
            match kind {
                EntityKind::Client => actions.push(html! {
                    <button type="button" aria-label={format!("Send request from {name}")}
                        onclick={run(Command::Request { client: name.clone() })}>{ "Send request" }</button>
                }),
                EntityKind::Producer => actions.push(html! {
                    <button type="button" aria-label={format!("Publish from {name}")}
                        onclick={run(Command::Produce { producer: name.clone(), key: None, payload: None })}>{ "Publish message" }</button>
                }),
                _ => {}
            }
            if crashable(kind) {
                actions.push(html! {
                    <button type="button" class="fault" aria-label={format!("Crash {name}")}
                        onclick={run(Command::Crash { entity: name.clone() })}>{ "Crash" }</button>
                });
                actions.push(html! {
                    <button type="button" aria-label={format!("Restart {name}")}
                        onclick={run(Command::Restart { entity: name.clone() })}>{ "Restart" }</button>
                });
            }
            let down = counters.get("down").and_then(Value::as_u64) == Some(1);
            let selected = model.selected.contains(&name);
            html! {
                <article class={classes!("entity-card", down.then_some("down"), selected.then_some("selected"))} aria-label={format!("{} {name}", kind.label())}>
                    <header><h3>{ &name }</h3><span class="kind">{ kind.label() }</span></header>
                    <dl>
                        { for counters.iter().map(|(counter, value)| html! {
                            <div class="counter"><dt>{ counter.replace('_', " ") }</dt><dd>{ show(value) }</dd></div>
                        }) }
                    </dl>
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
    html! {
        <section class="entities-panel" aria-labelledby="entities-heading">
            <h2 id="entities-heading">{ "Entities" }</h2>
            <div class="cards">{ for cards }</div>
        </section>
    }
}
