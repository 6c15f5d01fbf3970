//! The event log: the newest trace records, one row each (time, what, event, from, to).

use crate::app::PanelProps;
use crate::state::LOG_ROWS;
use yew::prelude::*;

#[component]
pub fn EventLog(props: &PanelProps) -> Html {
    let model = props.state.model.borrow();
    let rows = model.log_rows();
    let total = model.timeline.records().len();
    html! {
        <>
            <table class="event-log">
                <caption>
                    { "Event log" }
                    <span class="log-count">{
                        if total > LOG_ROWS { format!(" — newest {LOG_ROWS} of {total} records") }
                        else { format!(" — {total} records") }
                    }</span>
                </caption>
                <thead>
                    <tr><th scope="col">{ "Time" }</th><th scope="col">{ "What" }</th><th scope="col">{ "Event" }</th>
                        <th scope="col">{ "From" }</th><th scope="col">{ "To" }</th></tr>
                </thead>
                <tbody>
                    { for rows.into_iter().map(|r| html! {
                        <tr class={classes!("log-row", r.what.to_lowercase())}>
                            <td class="time">{ r.time }</td><td>{ r.what }</td><td>{ r.event }</td>
                            <td>{ r.from }</td><td>{ r.to }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if total == 0 {
                <p class="hint">{ "Nothing has happened yet: press Step or Play, or publish an event." }</p>
            }
        </>
    }
}
