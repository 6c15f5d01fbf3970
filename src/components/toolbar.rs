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
    let now_us = model.sim().now().0;
    // The scrubber spans what has run, and what the scenario plans (its script, its duration).
    let planned_us = model
        .scenario
        .script
        .iter()
        .map(|e| e.at.0)
        .chain(model.scenario.duration.map(|d| d.0))
        .max()
        .unwrap_or(0);
    let end_us = model.timeline.frontier_time().0.max(now_us).max(planned_us);
    let on_scrub = d.reform(|e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        Action::SeekTime(eda_sim::SimTime(
            eda_sim::view::builder::typed_number(&value).map_or(0, |v| v as u64),
        ))
    });
    let jump_text = use_state(String::new);
    let on_jump_input = {
        let jump_text = jump_text.clone();
        Callback::from(move |e: InputEvent| jump_text.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_jump = {
        let jump_text = jump_text.clone();
        d.reform(move |e: SubmitEvent| {
            e.prevent_default();
            Action::JumpTo((*jump_text).clone())
        })
    };
    let jump_error = model
        .field_error
        .as_ref()
        .filter(|(f, _)| *f == crate::state::Field::JumpTo)
        .map(|(_, m)| m.clone());
    let next = match model.sim().next_event_time() {
        Some(t) => format!("next event at {t}"),
        None => "nothing scheduled".to_string(),
    };
    html! {
        <section class="toolbar" aria-label="Playback">
            <button type="button" onclick={d.reform(|_| Action::Play)} aria-pressed={model.playing.to_string()} title="Play (Space)">{ "Play" }</button>
            <button type="button" onclick={d.reform(|_| Action::Pause)} aria-pressed={(!model.playing).to_string()} title="Pause (Space)">{ "Pause" }</button>
            <button type="button" onclick={d.reform(|_| Action::StepBack)} disabled={model.sim().events_processed() == 0}
                title="Undo the last simulation event (←)">{ "Step back" }</button>
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
                <output class="clock-value" aria-labelledby="clock-label">{ model.sim().now().to_string() }</output>
            </div>
            <label class="timeline-scrubber">
                { "Timeline" }
                <input type="range" min="0" max={end_us.to_string()} step="1" value={now_us.to_string()}
                    aria-valuetext={model.sim().now().to_string()} oninput={on_scrub} />
            </label>
            <form class="jump-to" onsubmit={on_jump}>
                <label>{ "Jump to time" }
                    <input type="text" placeholder="e.g. 1.5s" value={(*jump_text).clone()} oninput={on_jump_input}
                        aria-invalid={jump_error.is_some().then_some("true")}
                        aria-describedby={jump_error.is_some().then_some("jump-error")} />
                </label>
                <button type="submit">{ "Jump" }</button>
                if let Some(error) = jump_error {
                    <span class="field-error" id="jump-error">{ error }</span>
                }
            </form>
            <p class="run-facts">
                <span class="events-processed">{ format!("{} events processed", model.sim().events_processed()) }</span>
                { " · " }{ next }
                { " · trace " }<code class="trace-hash">{ eda_sim::format_hash(model.sim().trace_hash()) }</code>
                if model.behind {
                    <span class="behind">{ " · running as fast as this machine allows" }</span>
                }
            </p>
        </section>
    }
}
