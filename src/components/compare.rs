//! The A/B comparison panel: which variant the panels edit, the other variant's diagram at the
//! same moment beside the main one, where the two traces part, the counters that differ, and
//! the pair's link.

use crate::shared::{use_panels, SlowPanelProps};
use crate::state::{Action, CompareAction, Playground, DIVERGENCE_EVENTS_IN_PAGE};
use crate::tr;
use eda_sim::view::compare::{counter_diffs, FirstDivergence};
use yew::prelude::*;

/// Rows of the differences table shown at most (the rest are counted).
const DIFF_ROWS_MAX: usize = 40;

#[component]
pub fn ComparePanel() -> Html {
    let props = use_panels();
    let model = props.state.model.borrow();
    let Some(c) = &model.comparison else {
        return html! {};
    };
    let dispatch = &props.dispatch;
    let other = c.other.borrow();
    let (main_side, other_side) = if c.editing_b { ("B", "A") } else { ("A", "B") };
    let (sim_a, sim_b) = if c.editing_b {
        (other.sim(), model.sim())
    } else {
        (model.sim(), other.sim())
    };
    let now = model.sim().now();
    let diffs = counter_diffs(&sim_a.report(), &sim_b.report());
    let shown = |v: &Option<serde_json::Value>| match v {
        None => "—".to_string(),
        Some(serde_json::Value::Number(n)) => number(n.as_f64().unwrap_or(0.0)),
        Some(other) => {
            let text = other.to_string();
            if text.chars().count() > 40 {
                format!("{}…", text.chars().take(39).collect::<String>())
            } else {
                text
            }
        }
    };
    let divergence = match &c.divergence {
        Some(Ok(FirstDivergence::At(d))) => html! {
            <>
                <p class="divergence-at"><strong>{ tr!("runs-part-at", time = crate::human_time::exact(d.time)) }</strong>
                    { tr!("runs-part-after", events = d.events) }</p>
                <dl class="divergence-records">
                    <dt>{ "A" }</dt><dd>{ d.a.clone().unwrap_or_else(|| tr!("no-record-here")) }</dd>
                    <dt>{ "B" }</dt><dd>{ d.b.clone().unwrap_or_else(|| tr!("no-record-here")) }</dd>
                </dl>
                <button type="button" onclick={dispatch.reform(|_| Action::Compare(CompareAction::GoToDivergence))}>{ tr!("go-to-divergence") }</button>
            </>
        },
        Some(Ok(FirstDivergence::Same { events, time, finished })) => html! {
            <p class="divergence-at">{ if *finished {
                tr!("traces-same-to-end", events = *events)
            } else {
                tr!("traces-same-so-far", events = *events, time = crate::human_time::clock(*time), most = DIVERGENCE_EVENTS_IN_PAGE)
            } }</p>
        },
        Some(Err(why)) => html! { <p class="divergence-at">{ tr!("divergence-unknown", why = why.clone()) }</p> },
        None => html! {},
    };
    let other_now = other.sim().now();
    html! {
        <section class="compare-panel" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{ tr!("compare-heading") }</h2>
            if let Some(why) = &c.sync_error {
                <p class="compare-note behind">{ tr!("other-stopped", side = other_side, at = crate::human_time::clock(other_now), why = why.clone()) }</p>
            } else if other_now != now {
                <p class="compare-note behind">{ tr!("catching-up", side = other_side, at = crate::human_time::clock(other_now), now = crate::human_time::clock(now)) }</p>
            }
            <p class="compare-note">{ tr!("compare-note", seed = model.scenario.seed.to_string(), main = main_side, other = other_side) }</p>
            <div class="compare-actions" role="group" aria-label={tr!("variant-to-edit")}>
                <button type="button" aria-pressed={(!c.editing_b).to_string()}
                    onclick={dispatch.reform(|_| Action::Compare(CompareAction::Edit(false)))}>{ tr!("edit-variant-a") }</button>
                <button type="button" aria-pressed={c.editing_b.to_string()}
                    onclick={dispatch.reform(|_| Action::Compare(CompareAction::Edit(true)))}>{ tr!("edit-variant-b") }</button>
                <button type="button" onclick={crate::components::share::copy_link_on_click(dispatch, &props.state, Action::Compare(CompareAction::CopyLink))}>{ tr!("copy-ab-link") }</button>
                <button type="button" onclick={dispatch.reform(|_| Action::Compare(CompareAction::End))}>{ tr!("end-comparison") }</button>
            </div>
            <div class="divergence" role="group" aria-label={tr!("first-divergence")}>
                <h3>{ tr!("first-divergence") }</h3>
                { divergence }
            </div>
            <table class="compare-table">
                <caption>{ tr!("counters-differ-at", time = crate::human_time::clock(now), count = diffs.len()) }</caption>
                <thead><tr><th scope="col">{ tr!("column-entity") }</th><th scope="col">{ tr!("column-counter") }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "B − A" }</th></tr></thead>
                <tbody>
                    { for diffs.iter().take(DIFF_ROWS_MAX).map(|d| html! {
                        <tr>
                            <td>{ &d.entity }</td>
                            <td>{ &d.counter }</td>
                            <td>{ shown(&d.a) }</td>
                            <td>{ shown(&d.b) }</td>
                            <td>{ d.change().map(|x| if x > 0.0 { format!("+{}", number(x)) } else { number(x) }).unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if diffs.len() > DIFF_ROWS_MAX {
                <p class="compare-note">{ tr!("more-differences", count = diffs.len() - DIFF_ROWS_MAX) }</p>
            }
            if diffs.is_empty() {
                <p class="compare-note">{ tr!("no-differences") }</p>
            }
        </section>
    }
}

/// The variant not being edited, drawn beside the main diagram at the same moment by the same
/// component, from its own model.
#[component]
pub fn OtherVariantDiagram() -> Html {
    let props = use_panels();
    let model = props.state.model.borrow();
    let Some(c) = &model.comparison else {
        return html! {};
    };
    let other = c.other.borrow();
    let side = if c.editing_b { "A" } else { "B" };
    let other_props = SlowPanelProps {
        state: Playground {
            model: std::rc::Rc::clone(&c.other),
            revision: props.panel_revision,
        },
        dispatch: Callback::noop(),
        panel_revision: props.panel_revision,
    };
    let layout = std::rc::Rc::new(crate::components::diagram::layout::layout(&other.scenario));
    let name = if other.scenario.name.is_empty() {
        tr!("untitled")
    } else {
        crate::i18n::scenario_words(&other.scenario.name, &other.scenario.description).0
    };
    html! {
        <figure class="compare-diagram" role="group" aria-label={tr!("variant-diagram", side = side)}>
            <figcaption>
                <span class="variant-badge other">{ tr!("variant", side = side) }</span>{ " " }<strong>{ name }</strong>
                <span class="compare-note">{ " " }{ tr!("variant-note", side = side) }</span>
            </figcaption>
            <div class="compare-diagram-view">
                <ContextProvider<SlowPanelProps> context={other_props}>
                    <crate::components::diagram::Diagram layout={layout} />
                </ContextProvider<SlowPanelProps>>
            </div>
        </figure>
    }
}

/// `1234`, `0.625`, `-3.5`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
