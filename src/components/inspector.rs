//! The inspector: the event picked in the log, all its fields, and its whole path so far:
//! every record of the same bus event, request, broker message or stored event, and through
//! causes those of what set it off in other patterns (order → request → append → event).

use crate::state::Inspect;
use crate::state::{Action, LogRow};
use yew::prelude::*;

#[component]
pub fn Inspector() -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let Some((index, path)) = &model.inspected else {
        return html! {};
    };
    let timeline = &model.timeline;
    let Some(record) = timeline.record(*index) else {
        return html! {
            <section class="panel inspector" aria-labelledby="inspector-heading">
                <h2 id="inspector-heading">{ "Inspector" }</h2>
                <p class="hint">{ "The picked event lies after the cursor: move the cursor forward to see it." }</p>
            </section>
        };
    };
    let sim = model.sim();
    let row = LogRow::of(sim, *index, record);
    let fields = serde_json::to_string_pretty(&record.kind).unwrap_or_default();
    html! {
        <section class="panel inspector" aria-labelledby="inspector-heading">
            <h2 id="inspector-heading">{ "Inspector" }</h2>
            <dl class="inspected">
                <dt>{ "Time" }</dt><dd>{ &row.time_exact }</dd>
                <dt>{ "What" }</dt><dd>{ &row.what }</dd>
                <dt>{ "About" }</dt><dd>{ &row.event }</dd>
                <dt>{ "From" }</dt><dd>{ &row.from }</dd>
                <dt>{ "To" }</dt><dd>{ &row.to }</dd>
                if let Some(cause) = record.cause.and_then(|c| timeline.record(c as usize).map(|r| LogRow::of(sim, c as usize, r))) {
                    <dt>{ "Caused by" }</dt><dd>{ format!("{} {} at {}", cause.what, cause.event, cause.time) }</dd>
                }
            </dl>
            <details>
                <summary>{ "All fields" }</summary>
                <pre class="fields">{ fields }</pre>
            </details>
            <table class="message-path">
                <caption>{ format!("Path so far ({} record{})", path.len(), if path.len() == 1 { "" } else { "s" }) }</caption>
                <thead><tr><th scope="col">{ "Time" }</th><th scope="col">{ "What" }</th><th scope="col">{ "About" }</th><th scope="col">{ "From" }</th><th scope="col">{ "To" }</th></tr></thead>
                <tbody>
                    { for path.iter().filter_map(|&i| timeline.record(i).map(|r| LogRow::of(sim, i, r))).map(|step| html! {
                        <tr class={super::class_list(&[(step.index == *index).then_some("current")])}>
                            <td>{ step.time }</td><td>{ step.what }</td><td>{ step.event }</td><td>{ step.from }</td><td>{ step.to }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" onclick={props.dispatch.reform(|_| Action::Inspect(Inspect::CloseInspector))}>{ "Close inspector" }</button>
        </section>
    }
}
