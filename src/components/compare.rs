//! The A/B comparison panel: which variant the panels edit, the other variant's diagram at the
//! same moment beside the main one, where the two traces part, the counters that differ, and
//! the pair's link.

use crate::shared::{use_panels, SlowPanelProps};
use crate::state::{Action, CompareAction, Playground, DIVERGENCE_EVENTS_IN_PAGE};
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
                <p class="divergence-at"><strong>{ format!("The runs part at {}", crate::human_time::exact(d.time)) }</strong>
                    { format!(", after {} events the same in both:", d.events) }</p>
                <dl class="divergence-records">
                    <dt>{ "A" }</dt><dd>{ d.a.clone().unwrap_or_else(|| "no record in this event".into()) }</dd>
                    <dt>{ "B" }</dt><dd>{ d.b.clone().unwrap_or_else(|| "no record in this event".into()) }</dd>
                </dl>
                <button type="button" onclick={dispatch.reform(|_| Action::Compare(CompareAction::GoToDivergence))}>{ "Go to the divergence" }</button>
            </>
        },
        Some(Ok(FirstDivergence::Same { events, time, finished })) => html! {
            <p class="divergence-at">{ if *finished {
                format!("The two traces are the same to their end ({events} events): nothing B changes shows in this run.")
            } else {
                format!("The two traces are the same for the first {events} events (to {}); the search stops there ({DIVERGENCE_EVENTS_IN_PAGE} events at most).", crate::human_time::clock(*time))
            } }</p>
        },
        Some(Err(why)) => html! { <p class="divergence-at">{ format!("Where the runs part is not known: {why}") }</p> },
        None => html! {},
    };
    let other_now = other.sim().now();
    html! {
        <section class="compare-panel" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{ "A/B comparison" }</h2>
            if let Some(why) = &c.sync_error {
                <p class="compare-note behind">{ format!("Variant {other_side}'s run stopped at {}: {why}", crate::human_time::clock(other_now)) }</p>
            } else if other_now != now {
                <p class="compare-note behind">{ format!("Variant {other_side} is catching up: at {} of {}.", crate::human_time::clock(other_now), crate::human_time::clock(now)) }</p>
            }
            <p class="compare-note">{ format!(
                "Both variants run with seed {}. The diagram above and every editing panel show variant {main_side}; variant {other_side} is drawn here at the same moment.",
                model.scenario.seed
            ) }</p>
            <div class="compare-actions" role="group" aria-label="Variant to edit">
                <button type="button" aria-pressed={(!c.editing_b).to_string()}
                    onclick={dispatch.reform(|_| Action::Compare(CompareAction::Edit(false)))}>{ "Edit variant A" }</button>
                <button type="button" aria-pressed={c.editing_b.to_string()}
                    onclick={dispatch.reform(|_| Action::Compare(CompareAction::Edit(true)))}>{ "Edit variant B" }</button>
                <button type="button" onclick={on_copy(dispatch, &props.state)}>{ "Copy A/B link" }</button>
                <button type="button" onclick={dispatch.reform(|_| Action::Compare(CompareAction::End))}>{ "End comparison" }</button>
            </div>
            <div class="divergence" role="group" aria-label="First divergence">
                <h3>{ "First divergence" }</h3>
                { divergence }
            </div>
            <table class="compare-table">
                <caption>{ format!("Counters that differ at {} ({})", crate::human_time::clock(now), diffs.len()) }</caption>
                <thead><tr><th scope="col">{ "Entity" }</th><th scope="col">{ "Counter" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "B − A" }</th></tr></thead>
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
                <p class="compare-note">{ format!("…and {} more (eda run --link with the A/B link lists them all).", diffs.len() - DIFF_ROWS_MAX) }</p>
            }
            if diffs.is_empty() {
                <p class="compare-note">{ "No counter differs at this moment." }</p>
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
        "untitled"
    } else {
        other.scenario.name.as_str()
    };
    html! {
        <figure class="compare-diagram" role="group" aria-label={format!("Diagram of variant {side}")}>
            <figcaption>
                <span class="variant-badge other">{ format!("Variant {side}") }</span>{ " " }<strong>{ name }</strong>
                <span class="compare-note">{ format!(" — at the same moment; Edit variant {side} to change it") }</span>
            </figcaption>
            <div class="compare-diagram-view">
                <ContextProvider<SlowPanelProps> context={other_props}>
                    <crate::components::diagram::Diagram layout={layout} />
                </ContextProvider<SlowPanelProps>>
            </div>
        </figure>
    }
}

fn on_copy(dispatch: &Callback<Action>, state: &Playground) -> Callback<MouseEvent> {
    let (dispatch, state) = (dispatch.clone(), state.clone());
    Callback::from(move |_: MouseEvent| {
        dispatch.emit(Action::Compare(CompareAction::CopyLink));
        if let Some(link) = &state.model.borrow().share_link {
            crate::components::share::show_in_address_bar(link);
            crate::components::share::copy_to_clipboard(&crate::components::share::share_url(link));
        }
    })
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
