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
                <h2 id="inspector-heading">{ crate::tr!("inspector") }</h2>
                <p class="hint">{ crate::tr!("inspector-after-cursor") }</p>
            </section>
        };
    };
    let sim = model.sim();
    let row = LogRow::of(sim, *index, record);
    let fields = serde_json::to_string_pretty(&record.kind).unwrap_or_default();
    html! {
        <section class="panel inspector" aria-labelledby="inspector-heading">
            <h2 id="inspector-heading">{ crate::tr!("inspector") }</h2>
            <dl class="inspected">
                <dt>{ crate::tr!("column-time") }</dt><dd>{ &row.time_exact }</dd>
                <dt>{ crate::tr!("column-what") }</dt><dd>{ &row.what }</dd>
                <dt>{ crate::tr!("column-about") }</dt><dd>{ &row.event }</dd>
                <dt>{ crate::tr!("column-from") }</dt><dd>{ &row.from }</dd>
                <dt>{ crate::tr!("column-to") }</dt><dd>{ &row.to }</dd>
                if let Some(cause) = record.cause.and_then(|c| timeline.record(c as usize).map(|r| LogRow::of(sim, c as usize, r))) {
                    <dt>{ crate::tr!("caused-by") }</dt><dd>{ crate::tr!("caused-by-record", what = cause.what.clone(), event = cause.event.clone(), time = cause.time.clone()) }</dd>
                }
            </dl>
            <details>
                <summary>{ crate::tr!("all-fields") }</summary>
                <pre class="fields">{ fields }</pre>
            </details>
            <table class="message-path">
                <caption>{ crate::tr!("path-so-far", count = path.len()) }</caption>
                <thead><tr><th scope="col">{ crate::tr!("column-time") }</th><th scope="col">{ crate::tr!("column-what") }</th><th scope="col">{ crate::tr!("column-about") }</th><th scope="col">{ crate::tr!("column-from") }</th><th scope="col">{ crate::tr!("column-to") }</th></tr></thead>
                <tbody>
                    { for path.iter().filter_map(|&i| timeline.record(i).map(|r| LogRow::of(sim, i, r))).map(|step| html! {
                        <tr class={super::class_list(&[(step.index == *index).then_some("current")])}>
                            <td>{ step.time }</td><td>{ step.what }</td><td>{ step.event }</td><td>{ step.from }</td><td>{ step.to }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" onclick={props.dispatch.reform(|_| Action::Inspect(Inspect::CloseInspector))}>{ crate::tr!("close-inspector") }</button>
        </section>
    }
}
