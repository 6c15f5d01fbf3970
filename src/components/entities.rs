//! Entity cards: every entity outside the event-bus diagram (services, clients, broker parts,
//! registries, stores…) with the counters the core reports for it now, and the actions a user
//! can take on it (send a request, publish a message, crash, restart).

use crate::app::SlowPanelProps as PanelProps;
use crate::state::{Action, Field};
use eda_sim::{Command, EntityKind};
use serde_json::Value;
use web_sys::HtmlInputElement;
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
                EntityKind::Client => {
                    let spec = model.scenario.request_reply.clients.iter().find(|c| c.id == name);
                    let orders = spec
                        .and_then(|c| model.scenario.request_reply.services.iter().find(|s| s.id == c.service))
                        .is_some_and(|s| s.orders.is_some());
                    let (label, verb) = if orders { ("Create order", "Create order as") } else { ("Send request", "Send request from") };
                    actions.push(html! {
                        <button type="button" aria-label={format!("{verb} {name}")}
                            onclick={run(Command::Request { client: name.clone() })}>{ label }</button>
                    });
                    let rate = spec
                        .and_then(|c| c.arrivals.as_ref())
                        .map(|a| format!("{:.1}", 1e6 / a.every.mean_us().max(1.0)))
                        .unwrap_or_else(|| "0".into());
                    let client = name.clone();
                    let on_rate = props.dispatch.reform(move |e: Event| Action::SetClientRate {
                        client: client.clone(),
                        text: e.target_unchecked_into::<HtmlInputElement>().value(),
                    });
                    let what = if orders { "Orders" } else { "Requests" };
                    actions.push(html! {
                        <label class="rate">{ format!("{what} per second") }
                            <input type="number" min="0" step="any" value={rate} onchange={on_rate}
                                aria-label={format!("{what} per second from {name}")} />
                        </label>
                    });
                }
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
            // Bars: a queue's depth (against its capacity or its deepest so far), a group's lag per partition.
            let mut bars: Vec<(String, f64, f64)> = Vec::new();
            let number = |key: &str| counters.get(key).and_then(Value::as_f64).unwrap_or(0.0);
            match kind {
                EntityKind::Queue => bars.push(("depth".into(), number("ready"), number("depth_max").max(1.0))),
                EntityKind::ConsumerGroup => {
                    if let Some(Value::Object(lag)) = counters.get("lag") {
                        let most = lag.values().filter_map(Value::as_f64).fold(1.0f64, f64::max);
                        for (partition, value) in lag {
                            bars.push((format!("lag p{partition}"), value.as_f64().unwrap_or(0.0), most));
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
                <article class={classes!("entity-card", down.then_some("down"), selected.then_some("selected"))} aria-label={format!("{} {name}", kind.label())}>
                    <header><h3>{ &name }</h3><span class="kind">{ kind.label() }</span></header>
                    <dl>
                        { for counters.iter().map(|(counter, value)| html! {
                            <div class="counter"><dt>{ counter.replace('_', " ") }</dt><dd>{ show(value) }</dd></div>
                        }) }
                    </dl>
                    if !bars.is_empty() {
                        <div class="bars">
                            { for bars.iter().map(|(label, value, most)| html! {
                                <div class="bar-row">
                                    <span class="bar-label">{ label }</span>
                                    <span class="bar" role="meter" aria-label={format!("{label} of {name}")}
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
    html! {
        <section class="entities-panel" aria-labelledby="entities-heading">
            <h2 id="entities-heading">{ "Entities" }</h2>
            if let Some(error) = rate_error {
                <p class="field-error">{ error }</p>
            }
            <div class="cards">{ for cards }</div>
        </section>
    }
}
