//! Playback controls and the virtual clock.

use crate::app::PanelProps;
use crate::state::{Action, SPEEDS};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Formats a speed factor: `0.01×`, `1×`, `1000×`.
pub fn speed_label(speed: f64) -> String {
    if speed >= 1.0 {
        format!("{speed:.0}×")
    } else {
        format!("{speed}×")
    }
}

#[component]
pub fn Toolbar(props: &PanelProps) -> Html {
    let model = props.state.model.borrow();
    let d = &props.dispatch;
    let on_speed = d.reform(|e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        Action::SetSpeed(value.parse().unwrap_or(crate::state::SPEED_REAL_TIME))
    });
    let speed = speed_label(model.speed());
    let next = match model.sim.next_event_time() {
        Some(t) => format!("next event at {t}"),
        None => "nothing scheduled".to_string(),
    };
    html! {
        <section class="toolbar" aria-label="Playback">
            <button type="button" onclick={d.reform(|_| Action::Play)} disabled={model.playing} title="Play (Space)">{ "Play" }</button>
            <button type="button" onclick={d.reform(|_| Action::Pause)} disabled={!model.playing} title="Pause (Space)">{ "Pause" }</button>
            <button type="button" onclick={d.reform(|_| Action::Step)} title="Process one simulation event (→)">{ "Step" }</button>
            <button type="button" onclick={d.reform(|_| Action::Reset)} title="Back to time 0">{ "Reset" }</button>
            <label class="speed">
                { "Speed" }
                <input type="range" min="0" max={(SPEEDS.len() - 1).to_string()} step="1"
                    value={model.speed_index.to_string()} aria-valuetext={speed.clone()} oninput={on_speed} />
                <span class="speed-value">{ speed }</span>
            </label>
            <div class="clock">
                <span class="clock-label" id="clock-label">{ "Virtual clock" }</span>
                <output class="clock-value" aria-labelledby="clock-label">{ model.sim.now().to_string() }</output>
            </div>
            <p class="run-facts">
                <span class="events-processed">{ format!("{} events processed", model.sim.events_processed()) }</span>
                { " · " }{ next }
                { " · trace " }<code class="trace-hash">{ eda_sim::format_hash(model.sim.trace_hash()) }</code>
                if model.behind {
                    <span class="behind">{ " · running as fast as this machine allows" }</span>
                }
            </p>
        </section>
    }
}
