//! The event-sourcing replay view: pick a store, a stream and a moment (by default the
//! cursor's), and see the aggregate as it was then, which events built it, and what each event
//! changed field by field. The state comes from the nearest snapshot plus replay; the history
//! from a full replay of the stream.

use eda_sim::patterns::event_store::At;
use eda_sim::SimTime;
use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Streams listed in a drop-down at most; with more, the stream is typed (with suggestions).
const STREAMS_LISTED_MAX: usize = 200;

fn value_text(value: &Option<Value>) -> String {
    match value {
        None => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[component]
pub fn ReplayView() -> Html {
    let props = &crate::shared::use_panels();
    let store_choice = use_state(|| 0usize);
    let stream_choice = use_state(String::new);
    let moment_text = use_state(String::new);
    let moment = use_state(|| None::<SimTime>);
    let moment_error = use_state(|| None::<String>);

    let model = props.state.model.borrow();
    let sim = model.sim();
    let world = sim.event_store();
    if world.stores.is_empty() {
        return html! {};
    }
    let store_index = (*store_choice).min(world.stores.len() - 1);
    let store = &world.stores[store_index];
    let streams: Vec<&String> = store.streams.keys().collect();
    let stream = if store.streams.contains_key(&*stream_choice) {
        (*stream_choice).clone()
    } else {
        streams.first().map(|s| s.to_string()).unwrap_or_default()
    };
    let now = sim.now();
    let at = (*moment).unwrap_or(now).min(now);

    let on_store = {
        let store_choice = store_choice.clone();
        Callback::from(move |e: Event| {
            store_choice.set(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .unwrap_or(0),
            )
        })
    };
    let on_stream = {
        let stream_choice = stream_choice.clone();
        Callback::from(move |e: Event| stream_choice.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_stream_typed = {
        let stream_choice = stream_choice.clone();
        Callback::from(move |e: Event| {
            stream_choice.set(e.target_unchecked_into::<HtmlInputElement>().value().trim().to_string())
        })
    };
    let on_moment_input = {
        let moment_text = moment_text.clone();
        Callback::from(move |e: InputEvent| moment_text.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_replay = {
        let (moment_text, moment, moment_error) = (moment_text.clone(), moment.clone(), moment_error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = moment_text.trim().to_string();
            if text.is_empty() {
                moment.set(None);
                moment_error.set(None);
                return;
            }
            match crate::human_time::parse(&text) {
                Ok(d) => {
                    moment.set(Some(SimTime(d.0)));
                    moment_error.set(None);
                }
                Err(err) => moment_error.set(Some(format!("{}.", crate::i18n::problems::words(&err)))),
            }
        })
    };

    let rebuilt = world.state_at(store_index, &stream, At::Time(at));
    let history = world.state_at_full_replay(store_index, &stream, At::Time(at));
    let beyond = (*moment).is_some_and(|m| m > now);
    let (fold, folded) = super::fold_button(&props.dispatch, &model, "replay", &crate::tr!("replay"));
    html! {
        <section class={if folded { "panel replay collapsed" } else { "panel replay" }} aria-labelledby="replay-heading">
            <h2 id="replay-heading">{ crate::tr!("replay") }</h2>
            { fold }
            <form class="replay-controls" onsubmit={on_replay}>
                if world.stores.len() > 1 {
                    <label>{ crate::tr!("replay-store") }
                        <select onchange={on_store}>
                            { for world.stores.iter().enumerate().map(|(i, s)| html! {
                                <option value={i.to_string()} selected={i == store_index}>{ &s.name }</option>
                            }) }
                        </select>
                    </label>
                }
                if streams.len() <= STREAMS_LISTED_MAX {
                    <label>{ crate::tr!("replay-stream") }
                        <select onchange={on_stream}>
                            { for streams.iter().map(|s| html! { <option value={s.to_string()} selected={**s == stream}>{ s.as_str() }</option> }) }
                        </select>
                    </label>
                } else {
                    // Thousands of streams (an order each): typed, with suggestions, rather than a
                    // list the page would rebuild as every new stream shifts it.
                    <label>{ crate::tr!("replay-stream-of", count = streams.len()) }
                        <input type="text" list="replay-streams" value={stream.clone()} onchange={on_stream_typed} />
                        <datalist id="replay-streams">
                            { for streams.iter().filter(|s| s.starts_with(stream.as_str()) || stream.is_empty()).take(STREAMS_LISTED_MAX).map(|s| html! { <option value={s.to_string()} /> }) }
                        </datalist>
                    </label>
                }
                <label>{ crate::tr!("replay-to-time") }
                    <input type="text" placeholder={crate::tr!("replay-now", time = crate::human_time::clock(now))} value={(*moment_text).clone()} oninput={on_moment_input}
                        aria-invalid={moment_error.is_some().then_some("true")} />
                </label>
                <button type="submit">{ crate::tr!("replay-button") }</button>
                if let Some(error) = &*moment_error {
                    <p class="field-error">{ error }</p>
                }
            </form>
            if streams.is_empty() {
                <p class="hint">{ crate::tr!("replay-empty") }</p>
            } else if let (Some(rebuilt), Some(history)) = (rebuilt, history) {
                <p class="replay-summary">
                    { crate::tr!("replay-summary", stream = stream.clone(), at = crate::human_time::clock(at), version = rebuilt.version) }
                    { match rebuilt.from_snapshot {
                        Some(v) => crate::tr!("replay-from-snapshot", version = v, count = rebuilt.history.len()),
                        None => crate::tr!("replay-from-events", count = rebuilt.history.len()),
                    } }
                    if beyond { { crate::tr!("replay-beyond") } }
                </p>
                <table class="replay-state">
                    <caption>{ crate::tr!("replay-state-of", stream = stream.clone()) }</caption>
                    <thead><tr><th scope="col">{ crate::tr!("column-field") }</th><th scope="col">{ crate::tr!("column-value") }</th></tr></thead>
                    <tbody>
                        { for rebuilt.state.iter().map(|(field, value)| html! {
                            <tr><td>{ field }</td><td>{ value_text(&Some(value.clone())) }</td></tr>
                        }) }
                    </tbody>
                </table>
                <table class="replay-history">
                    <caption>{ crate::tr!("replay-events-of", stream = stream.clone()) }</caption>
                    <thead><tr><th scope="col">{ crate::tr!("column-version") }</th><th scope="col">{ crate::tr!("column-time") }</th><th scope="col">{ crate::tr!("column-event") }</th><th scope="col">{ crate::tr!("column-changes") }</th></tr></thead>
                    <tbody>
                        { for history.history.iter().map(|change| html! {
                            <tr>
                                <td>{ change.version }</td>
                                <td title={crate::human_time::exact(change.appended_at)}>{ crate::human_time::clock(change.appended_at) }</td>
                                <td>{ &change.event_type }</td>
                                <td>{ change.fields.iter().map(|f| format!("{}: {} → {}", f.field, value_text(&f.old), value_text(&f.new))).collect::<Vec<_>>().join("; ") }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
