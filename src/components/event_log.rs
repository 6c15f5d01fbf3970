//! The event log: the newest trace records, one row each (time, what, event, from, to).

use crate::state::Inspect;
use crate::state::{Action, LOG_ROWS};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[component]
pub fn EventLog() -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let rows = model.log_rows();
    // Every record up to the cursor, kept or not (older ones come back when the cursor does).
    let total = model.timeline.records_end();
    let (entity, text) = (model.log_entity.clone(), model.log_text.clone());
    let on_entity = {
        let text = text.clone();
        props.dispatch.reform(move |e: Event| {
            Action::Inspect(Inspect::FilterLog {
                entity: e.target_unchecked_into::<HtmlSelectElement>().value(),
                text: text.clone(),
            })
        })
    };
    let on_text = {
        let entity = entity.clone();
        props.dispatch.reform(move |e: InputEvent| {
            Action::Inspect(Inspect::FilterLog {
                entity: entity.clone(),
                text: e.target_unchecked_into::<HtmlInputElement>().value(),
            })
        })
    };
    html! {
        <>
            <div class="log-filters">
                <label>{ crate::tr!("filter-entity") }
                    <select onchange={on_entity}>
                        <option value="" selected={entity.is_empty()}>{ crate::tr!("all-entities") }</option>
                        { for model.sim().entities().iter().map(|e| html! {
                            <option value={e.name.clone()} selected={e.name == entity}>{ format!("{} ({})", e.name, crate::i18n::kind_label(e.kind)) }</option>
                        }) }
                    </select>
                </label>
                <label>{ crate::tr!("filter-events") }
                    <input type="search" placeholder={crate::tr!("filter-placeholder")} value={text} oninput={on_text} />
                </label>
            </div>
            <table class="event-log">
                <caption>
                    { crate::tr!("event-log") }
                    <span class="log-count">{ " " }{
                        if total > LOG_ROWS { crate::tr!("log-newest", shown = LOG_ROWS, total = total) }
                        else { crate::tr!("log-total", total = total) }
                    }</span>
                </caption>
                <thead>
                    <tr><th scope="col">{ crate::tr!("column-time") }</th><th scope="col">{ crate::tr!("column-what") }</th><th scope="col">{ crate::tr!("column-event") }</th>
                        <th scope="col">{ crate::tr!("column-from") }</th><th scope="col">{ crate::tr!("column-to") }</th></tr>
                </thead>
                <tbody>
                    { for rows.into_iter().map(|r| html! {
                        // Unkeyed: rows are patched in place, cheaper than building new ones
                        // when every row changes (a seek, a refresh while playing).
                        <tr class={format!("log-row {}", r.what.to_ascii_lowercase().replace(' ', "-"))}>
                            <td class="time">
                                <button type="button" class="goto"
                                    aria-label={crate::tr!("move-cursor-to", what = r.what.clone(), event = r.event.clone(), from = r.from.clone(), to = r.to.clone(), time = r.time.clone(), index = r.index)}
                                    title={r.time_exact.clone()}
                                    onclick={props.dispatch.reform(move |_| Action::Inspect(Inspect::SeekToRecord(r.index)))}>{ r.time.clone() }</button>
                            </td>
                            <td>{ r.what }</td><td>{ r.event }</td>
                            <td>{ r.from }</td><td>{ r.to }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if total == 0 {
                <p class="hint">{ crate::tr!("log-empty") }</p>
            }
        </>
    }
}
