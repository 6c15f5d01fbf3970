//! Theory beside observation: for each service, what an M/M/c queue predicts from its clients'
//! arrival rate, its service time and its workers, next to what the run measured (the time in
//! the service with its 95 % confidence interval, and whether the prediction falls inside it),
//! Little's law checked on the run, and the ways the scenario is not the model; for each
//! consumer group, how fast its lag should grow against how fast it did.

use serde_json::{Map, Value};
use yew::prelude::*;

/// Counters that belong to this panel (predictions, and the measurements compared with them):
/// nodes and cards leave them out.
pub fn is_theory_counter(key: &str) -> bool {
    key.starts_with("predicted_")
        || key.ends_with("_growth_per_s")
        || matches!(
            key,
            "arrival_rate_per_s"
                | "wait_probability"
                | "wait_ms_mean"
                | "sojourn_ms_mean"
                | "sojourn_ms_ci95"
                | "in_system_mean"
                | "littles_law_in_system"
                | "theory_notes"
        )
}

fn number(counters: &Map<String, Value>, key: &str) -> Option<f64> {
    counters.get(key).and_then(Value::as_f64)
}

fn percent(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{:.1} %", x * 100.0))
}

fn ms(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{x:.1} ms"))
}

fn count(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{x:.2}"))
}

/// One service's table: each quantity predicted and measured.
fn service_table(sim: &eda_sim::Sim, index: usize, counters: &Map<String, Value>) -> Html {
    let theory = sim.request_reply().theory(index);
    let name = sim.entity_name(sim.request_reply().services[index].entity).to_string();
    let get = |key: &str| number(counters, key);
    let stable = get("predicted_stable") == Some(1.0);
    let predicted = |key: &str| if stable { get(key) } else { None };
    let model = crate::tr!(
        "theory-model",
        servers = theory.servers,
        replicas = theory.replicas,
        arrivals = format!("{:.1}", theory.arrival_rate_per_s),
        service = format!("{:.1}", theory.service_rate_per_s)
    );
    // The time in the service against its confidence interval: the check that matters.
    let (sojourn, half) = (get("sojourn_ms_mean"), get("sojourn_ms_ci95"));
    let verdict = match (predicted("predicted_sojourn_ms_mean"), sojourn, half) {
        _ if theory.prediction.is_none() => ("", "theory-no-rate"),
        _ if !stable => ("differs", "theory-no-steady-state"),
        (Some(p), Some(m), Some(h)) if (p - m).abs() <= h => ("agrees", "theory-inside"),
        (Some(_), Some(_), Some(_)) => ("differs", "theory-outside"),
        _ => ("", "theory-too-few"),
    };
    let measured_sojourn = match (sojourn, half) {
        (Some(m), Some(h)) => format!("{m:.1} ± {h:.1} ms"),
        (m, _) => ms(m),
    };
    let (l, little) = (get("in_system_mean"), get("littles_law_in_system"));
    let little_text = match (l, little) {
        (Some(l), Some(w)) if l > 0.0 && ((l - w) / l).abs() < 0.02 => {
            crate::tr!("theory-little-holds", value = format!("{w:.2}"))
        }
        (Some(_), Some(w)) => crate::tr!("theory-little-not-yet", value = format!("{w:.2}")),
        _ => "—".into(),
    };
    let row = |what: &str, p: String, m: String| {
        html! { <tr><th scope="row">{ crate::tr!(what) }</th><td>{ p }</td><td>{ m }</td></tr> }
    };
    html! {
        <div class="theory-service">
            <table class="theory-table" aria-label={crate::tr!("theory-for-service", name = name.clone())}>
                <caption><strong>{ name.clone() }</strong>{ format!(" — {model}") }</caption>
                <thead><tr><th scope="col">{ crate::tr!("theory-quantity") }</th><th scope="col">{ crate::tr!("theory-predicted") }</th><th scope="col">{ crate::tr!("theory-measured") }</th></tr></thead>
                <tbody>
                    { row("theory-utilisation", percent(get("predicted_utilisation")), percent(get("utilisation"))) }
                    { row("theory-wait-chance", percent(predicted("predicted_wait_probability")), percent(get("wait_probability"))) }
                    { row("theory-mean-wait", ms(predicted("predicted_wait_ms_mean")), ms(get("wait_ms_mean"))) }
                    { row("theory-sojourn", ms(predicted("predicted_sojourn_ms_mean")), measured_sojourn) }
                    { row("theory-response", ms(predicted("predicted_response_ms_mean")), ms(get("response_ms_mean"))) }
                    { row("theory-in-system", count(predicted("predicted_in_system_mean")), format!("{} · {little_text}", count(l))) }
                </tbody>
            </table>
            <p class={super::class_list(&[Some("theory-verdict"), Some(verdict.0)])}>{ crate::tr!(verdict.1) }</p>
            if !theory.notes.is_empty() {
                <ul class="theory-notes" aria-label={crate::tr!("theory-not-the-model", name = name.clone())}>
                    { for theory.notes.iter().map(|n| html! { <li>{ crate::i18n::core_words::theory_note(*n) }</li> }) }
                </ul>
            }
        </div>
    }
}

#[component]
pub fn TheoryPanel() -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let sim = model.sim();
    let (services, groups) = (&sim.request_reply().services, &sim.broker().groups);
    if services.is_empty() && groups.is_empty() {
        return html! {};
    }
    let report = sim.report();
    let counters = |entity| {
        report
            .entity(sim.entity_name(entity))
            .map(|r| r.counters.clone())
            .unwrap_or_default()
    };
    let (fold, folded) = super::fold_button(&props.dispatch, &model, "theory", &crate::tr!("theory"));
    html! {
        <section class={if folded { "theory-panel collapsed" } else { "theory-panel" }} aria-labelledby="theory-heading">
            <h2 id="theory-heading">{ crate::tr!("theory-heading") }</h2>
            { fold }
            <div class="theory">
                { for services.iter().enumerate().map(|(i, s)| service_table(sim, i, &counters(s.entity))) }
                if !groups.is_empty() {
                    <table class="theory-table" aria-label={crate::tr!("theory-lag")}>
                        <caption><strong>{ crate::tr!("theory-lag-caption") }</strong>{ " " }{ crate::tr!("theory-lag-note") }</caption>
                        <thead><tr><th scope="col">{ crate::tr!("theory-group") }</th><th scope="col">{ crate::tr!("theory-predicted-growth") }</th><th scope="col">{ crate::tr!("theory-measured-growth") }</th></tr></thead>
                        <tbody>
                            { for groups.iter().map(|g| {
                                let c = counters(g.entity);
                                let rate = |key: &str| number(&c, key).map_or("—".into(), |x| crate::tr!("theory-records-per-s", rate = format!("{x:.1}")));
                                html! { <tr><th scope="row">{ sim.entity_name(g.entity).to_string() }</th><td>{ rate("predicted_lag_growth_per_s") }</td><td>{ rate("lag_growth_per_s") }</td></tr> }
                            }) }
                        </tbody>
                    </table>
                }
            </div>
        </section>
    }
}
