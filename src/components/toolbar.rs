//! Playback controls and the virtual clock.

use crate::state::Playback;
use crate::state::{Action, SPEEDS};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Formats a speed factor with at most three significant figures: `0.01×`, `0.0167×`, `1×`,
/// `1000×`.
pub fn speed_label(speed: f64) -> String {
    if speed >= 1.0 || speed <= 0.0 {
        format!("{speed:.0}×")
    } else {
        let decimals = (2 - speed.log10().floor() as i32).clamp(0, 9) as usize;
        let text = format!("{speed:.decimals$}");
        format!("{}×", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn speeds_read_with_three_significant_figures_at_most() {
        assert_eq!(super::speed_label(1_000.0), "1000×");
        assert_eq!(super::speed_label(1.0), "1×");
        assert_eq!(super::speed_label(0.3), "0.3×");
        assert_eq!(super::speed_label(0.01), "0.01×");
        assert_eq!(super::speed_label(1.0 / 60.0), "0.0167×");
        assert_eq!(super::speed_label(0.00125), "0.00125×");
    }
}

#[component]
pub fn Toolbar() -> Html {
    let props = &crate::shared::use_frame();
    let model = props.state.model.borrow();
    let d = &props.dispatch;
    let on_speed = d.reform(|e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        Action::Playback(Playback::SetSpeed(
            value.parse().unwrap_or(crate::state::SPEED_REAL_TIME),
        ))
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
        Action::Playback(Playback::SeekTime(eda_sim::SimTime(
            eda_sim::view::builder::typed_number(&value).map_or(0, |v| v as u64),
        )))
    });
    // Arrow keys move by one event (Shift: by a tenth of the run), not by one microsecond.
    let on_scrub_key = {
        let tenth_us = (end_us / 10).max(1);
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            let forward = match e.key().as_str() {
                "ArrowRight" | "ArrowUp" => true,
                "ArrowLeft" | "ArrowDown" => false,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            d.emit(match (e.shift_key(), forward) {
                (false, true) => Action::Playback(Playback::Step),
                (false, false) => Action::Playback(Playback::StepBack),
                (true, true) => Action::Playback(Playback::SeekTime(eda_sim::SimTime(now_us.saturating_add(tenth_us)))),
                (true, false) => {
                    Action::Playback(Playback::SeekTime(eda_sim::SimTime(now_us.saturating_sub(tenth_us))))
                }
            })
        })
    };
    let jump_text = use_state(String::new);
    let on_jump_input = {
        let jump_text = jump_text.clone();
        Callback::from(move |e: InputEvent| jump_text.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_jump = {
        let jump_text = jump_text.clone();
        d.reform(move |e: SubmitEvent| {
            e.prevent_default();
            Action::Playback(Playback::JumpTo((*jump_text).clone()))
        })
    };
    let jump_error = model
        .field_error
        .as_ref()
        .filter(|(f, _)| *f == crate::state::Field::JumpTo)
        .map(|(_, m)| m.clone());
    let next = match model.sim().next_event_time() {
        Some(t) => crate::tr!("next-event-at", time = crate::human_time::clock(t)),
        None => crate::tr!("nothing-scheduled"),
    };
    let now = model.sim().now();
    // Slow motion, shown while a message's trip is slowed down to be seen.
    let slowed = model.playing && model.effective_speed < model.speed() * 0.999;
    let pace = if slowed {
        crate::tr!("slow-motion", speed = speed_label(model.effective_speed))
    } else {
        String::new()
    };
    let (play_label, play_icon, play_title) = if model.playing {
        (crate::tr!("pause"), "❚❚", crate::tr!("pause-title"))
    } else {
        (crate::tr!("play"), "▶", crate::tr!("play-title"))
    };
    html! {
        <section class="toolbar" aria-label={crate::tr!("playback")}>
            <button type="button" class={if model.playing { "play-pause playing" } else { "play-pause" }}
                onclick={d.reform(if model.playing { |_| Action::Playback(Playback::Pause) } else { |_| Action::Playback(Playback::Play) })}
                aria-label={play_label.clone()} title={play_title}>
                <span class="icon" aria-hidden="true">{ play_icon }</span>{ play_label }
            </button>
            <button type="button" onclick={d.reform(|_| Action::Playback(Playback::StepBack))} disabled={model.sim().events_processed() == 0}
                title={crate::tr!("step-back-title")}>{ crate::tr!("step-back") }</button>
            <button type="button" onclick={d.reform(|_| Action::Playback(Playback::Step))} title={crate::tr!("step-title")}>{ crate::tr!("step") }</button>
            <button type="button" onclick={d.reform(|_| Action::Playback(Playback::Reset))} title={crate::tr!("reset-title")}>{ crate::tr!("reset") }</button>
            if model.presenting {
                <button type="button" class="present" onclick={d.reform(|_| Action::Present(false))}
                    title={crate::tr!("exit-presentation-title")}>{ crate::tr!("exit-presentation") }</button>
            } else {
                <button type="button" class="present" onclick={d.reform(|_| Action::Present(true))}
                    title={crate::tr!("present-title")}>{ crate::tr!("present") }</button>
            }
            if model.presenting {
                { presenting_line(&model) }
                { crate::components::lesson::presenting_step(&model) }
            }
            <label class="speed">
                { crate::tr!("speed") }
                <input type="range" min="0" max={(SPEEDS.len() - 1).to_string()} step="1"
                    value={model.speed_index.to_string()} aria-valuetext={speed.clone()} oninput={on_speed} />
                <span class="speed-value">{ speed }</span>
            </label>
            <div class="clock">
                <span class="clock-label" id="clock-label">{ crate::tr!("virtual-clock") }</span>
                <output class="clock-value" aria-labelledby="clock-label" title={crate::human_time::exact(now)}
                    data-us={now.0.to_string()}>{ crate::human_time::clock(now) }</output>
            </div>
            <label class="timeline-scrubber">
                { crate::tr!("timeline") }
                <input type="range" min="0" max={end_us.to_string()} step="1" value={now_us.to_string()}
                    aria-valuetext={crate::human_time::exact(now)} title={crate::human_time::exact(now)}
                    oninput={on_scrub} onkeydown={on_scrub_key} />
            </label>
            <form class="jump-to" onsubmit={on_jump}>
                <label>{ crate::tr!("jump-to-time") }
                    <input type="text" placeholder={crate::tr!("jump-placeholder")} value={(*jump_text).clone()} oninput={on_jump_input}
                        aria-invalid={jump_error.is_some().then_some("true")}
                        aria-describedby={jump_error.is_some().then_some("jump-error")} />
                </label>
                <button type="submit">{ crate::tr!("jump") }</button>
                if let Some(error) = jump_error {
                    <span class="field-error" id="jump-error">{ error }</span>
                }
            </form>
            <p class="run-facts">
                <span class="events-processed">{ crate::tr!("events-processed", count = model.sim().events_processed()) }</span>
                { " · " }{ next }
                { format!(" · {} ", crate::tr!("trace")) }<code class="trace-hash">{ eda_sim::format_hash(model.sim().trace_hash()) }</code>
                <span class="pace" data-effective-speed={model.effective_speed.to_string()}>
                    if slowed {
                        { " · " }{ pace }
                    }
                    if let Some(note) = &model.skip_note {
                        { " · " }<span class="skip-note">{ note.clone() }</span>
                    }
                </span>
                if model.behind {
                    <span class="behind">{ format!(" · {}", crate::tr!("running-behind")) }</span>
                }
            </p>
            if let Some(seeking) = model.seeking {
                <div class="jumping" role="status" aria-label={crate::tr!("jump-in-progress")}>
                    <progress max="1" value={seeking.done(model.sim().now()).to_string()} />
                    { crate::tr!(
                        "jumping-to",
                        time = crate::human_time::clock(seeking.target),
                        percent = format!("{:.0}", seeking.done(model.sim().now()) * 100.0)
                    ) }
                    <button type="button" onclick={d.reform(|_| Action::Playback(Playback::Pause))}>{ crate::tr!("stop-jumping") }</button>
                </div>
            }
        </section>
    }
}

/// Asks the browser to show the page full-screen (or to stop); a browser that refuses (no user
/// gesture, or no Fullscreen API) leaves presentation mode in the window.
pub fn full_screen(on: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if on && document.fullscreen_element().is_none() {
        if let Some(root) = document.document_element() {
            request_full_screen(&root);
        }
    } else if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    }
}

/// The line under the controls while presenting: the scenario, and what happened last (read out
/// when stepping, not at every event while playing).
fn presenting_line(model: &crate::state::Model) -> Html {
    let name = model.scenario_title();
    let latest = model.latest_happening().map(|h| format!(" · {h}")).unwrap_or_default();
    html! {
        <p class="presenting-now" aria-live={if model.playing { "off" } else { "polite" }} title={format!("{name}{latest}")}>
            <strong>{ name }</strong>{ latest }
        </p>
    }
}

/// `requestFullscreen()` with its refusal handled: web-sys's binding drops the promise, and a
/// refused one would be an uncaught error in the console.
fn request_full_screen(root: &web_sys::Element) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    thread_local! {
        static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
    }
    let request = js_sys::Reflect::get(root, &JsValue::from_str("requestFullscreen"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(promise) = request.and_then(|f| f.call0(root).ok()) else {
        return;
    };
    if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
        IGNORE.with(|ignore| {
            let _ = promise.catch(ignore);
        });
    }
}
