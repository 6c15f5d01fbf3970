//! Timeline lanes: one lane per entity, a mark for every record in which it takes part, the
//! cursor as a line. Zoom and pan by buttons, the mouse wheel and dragging; a click on the
//! lanes moves the cursor to that instant. Drawn on a canvas, so a million records stay cheap:
//! each lane keeps one mark per pixel column.

use crate::state::Action;
use crate::state::Playback;
use eda_sim::view::flow::{self, FlowStatus};
use eda_sim::SimTime;
use wasm_bindgen::JsCast;
use yew::prelude::*;

const LANE_HEIGHT: f64 = 16.0;
const LABEL_WIDTH: f64 = 130.0;
const AXIS_HEIGHT: f64 = 20.0;
const WIDTH: f64 = 900.0;
/// The narrowest window the lanes zoom to, in microseconds.
const MIN_SPAN_US: u64 = 100;

/// The visible window of simulated time: start and length, in microseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View {
    pub start_us: u64,
    pub span_us: u64,
}

impl View {
    pub fn end_us(self) -> u64 {
        self.start_us.saturating_add(self.span_us)
    }

    /// Half as wide (or twice: `factor` 2.0), keeping the instant `anchor_us` where it is on screen.
    pub fn zoom(self, factor: f64, anchor_us: u64, run_us: u64) -> View {
        let span = ((self.span_us as f64 * factor).round() as u64).clamp(MIN_SPAN_US, run_us.max(MIN_SPAN_US) * 2);
        let anchor = anchor_us.clamp(self.start_us, self.end_us());
        let fraction = (anchor - self.start_us) as f64 / self.span_us.max(1) as f64;
        let start = anchor.saturating_sub((fraction * span as f64).round() as u64);
        View {
            start_us: start,
            span_us: span,
        }
    }

    /// Moved by `fraction` of its width (negative: earlier), never before time 0.
    pub fn pan(self, fraction: f64) -> View {
        let shift = (self.span_us as f64 * fraction).round() as i64;
        let start = (self.start_us as i64 + shift).max(0) as u64;
        View {
            start_us: start,
            ..self
        }
    }

    /// The instant at `x` pixels into the plot of `width` pixels.
    pub fn time_at(self, x: f64, width: f64) -> u64 {
        let fraction = (x / width).clamp(0.0, 1.0);
        self.start_us + (fraction * self.span_us as f64).round() as u64
    }
}

/// A run (its scenario revision and the first kept record), a window (start, span) and a
/// number of lanes.
type ViewKey = (u64, usize, u64, u64, usize);

/// Marks already computed for one view of one run: one cell per lane and pixel column holding
/// the most telling status seen there. New records are added as the run grows; a seek only
/// redraws.
#[derive(Default)]
pub struct MarkCache {
    key: ViewKey,
    upto: usize,
    /// What the canvas shows now: the key, the records counted and the colour scheme.
    drawn: Option<(ViewKey, usize, bool)>,
    columns: usize,
    /// `cells[lane * columns + column]`: `None` no record, `Some(status)` a record there.
    cells: Vec<Option<Option<FlowStatus>>>,
}

impl MarkCache {
    /// Brings the marks up to date with `history` for `view` (`run` names the run).
    /// Brings the marks up to date with the kept records `history` (the run's records from
    /// number `start` on).
    fn update(
        &mut self,
        (run, start): (u64, usize),
        view: View,
        lanes: usize,
        columns: usize,
        history: &[eda_sim::TraceRecord],
    ) {
        let key = (run, start, view.start_us, view.span_us, lanes);
        if key != self.key || columns != self.columns || history.len() < self.upto {
            self.key = key;
            self.columns = columns;
            self.cells = vec![None; columns * lanes.max(1)];
            self.upto = history.partition_point(|r| r.time.0 < view.start_us);
        }
        let plot = columns as f64;
        for record in &history[self.upto..] {
            if record.time.0 > view.end_us() {
                break;
            }
            self.upto += 1;
            let column = (((record.time.0 - view.start_us) as f64 / view.span_us.max(1) as f64) * plot) as usize;
            let column = column.min(columns - 1);
            let status = flow::outcome(&record.kind);
            let (from, to) = record.kind.endpoints();
            for entity in std::iter::once(from).chain(to) {
                if let Some(cell) = self.cells.get_mut(entity.0 as usize * columns + column) {
                    // An outcome (acked, dropped…) is not hidden by a plain record after it.
                    if !(matches!(cell, Some(Some(_))) && status.is_none()) {
                        *cell = Some(status);
                    }
                }
            }
        }
    }
}

fn fmt_us(us: u64) -> String {
    crate::human_time::clock(SimTime(us))
}

#[component]
pub fn TimelineLanes() -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let run_us = model.timeline.frontier_time().0.max(1_000_000);
    let view = use_state(|| None::<View>);
    let drag = use_mut_ref(|| None::<(f64, View, bool)>);
    let marks = use_mut_ref(MarkCache::default);
    let canvas = use_node_ref();
    let current = view.unwrap_or(View {
        start_us: 0,
        span_us: run_us,
    });
    let now = model.sim().now().0;
    // While following the run, keep the cursor in sight.
    let shown = if view.is_some() && (now < current.start_us || now > current.end_us()) && model.playing {
        View {
            start_us: now.saturating_sub(current.span_us / 10),
            ..current
        }
    } else {
        current
    };
    let lanes: Vec<String> = model.sim().entities().iter().map(|e| e.name.clone()).collect();
    let height = AXIS_HEIGHT + lanes.len().max(1) as f64 * LANE_HEIGHT + 4.0;
    {
        let (canvas, state, marks) = (canvas.clone(), props.state.clone(), marks.clone());
        use_effect(move || {
            if let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                draw(&canvas, &state, &mut marks.borrow_mut(), shown, height);
            }
        });
    }
    let set = |next: View| {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| view.set(Some(next)))
    };
    let plot_width = WIDTH - LABEL_WIDTH;
    let x_in_plot = |e: &MouseEvent| -> Option<f64> {
        let target = e.target()?.dyn_into::<web_sys::Element>().ok()?;
        let rect = target.get_bounding_client_rect();
        let scale = WIDTH / rect.width().max(1.0);
        Some((e.client_x() as f64 - rect.left()) * scale - LABEL_WIDTH)
    };
    let on_down = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(x) = x_in_plot(&e) {
                *drag.borrow_mut() = Some((x, shown, false));
            }
        })
    };
    let on_move = {
        let (drag, view) = (drag.clone(), view.clone());
        Callback::from(move |e: MouseEvent| {
            let Some((x0, from, _)) = *drag.borrow() else { return };
            if e.buttons() & 1 == 0 {
                return;
            }
            if let Some(x) = x_in_plot(&e) {
                if (x - x0).abs() > 3.0 {
                    *drag.borrow_mut() = Some((x0, from, true));
                    view.set(Some(from.pan((x0 - x) / plot_width)));
                }
            }
        })
    };
    let on_up = {
        let (drag, dispatch) = (drag.clone(), props.dispatch.clone());
        Callback::from(move |e: MouseEvent| {
            let pressed = drag.borrow_mut().take();
            let Some((_, from, moved)) = pressed else { return };
            if moved {
                return;
            }
            if let Some(x) = x_in_plot(&e).filter(|x| *x >= 0.0) {
                dispatch.emit(Action::Playback(Playback::SeekTime(SimTime(
                    from.time_at(x, plot_width),
                ))));
            }
        })
    };
    // The wheel zooms around the pointer. Its listener is registered as not passive, so that
    // zooming does not also scroll the page.
    let latest = use_mut_ref(|| (shown, run_us));
    *latest.borrow_mut() = (shown, run_us);
    {
        let (canvas, view, latest) = (canvas.clone(), view.clone(), latest.clone());
        use_effect_with(lanes.is_empty(), move |_| {
            let listener = canvas.cast::<web_sys::HtmlCanvasElement>().map(|element| {
                let options = gloo::events::EventListenerOptions::enable_prevent_default();
                gloo::events::EventListener::new_with_options(&element, "wheel", options, move |event| {
                    let Some(wheel) = event.dyn_ref::<web_sys::WheelEvent>() else {
                        return;
                    };
                    let Some(x) = x_in_plot(wheel) else { return };
                    if x < 0.0 {
                        return;
                    }
                    wheel.prevent_default();
                    let (shown, run_us) = *latest.borrow();
                    let factor = if wheel.delta_y() < 0.0 { 0.8 } else { 1.25 };
                    view.set(Some(shown.zoom(factor, shown.time_at(x, plot_width), run_us)));
                })
            });
            move || drop(listener)
        });
    }
    let cursor_left = (now >= shown.start_us && now <= shown.end_us()).then(|| {
        let fraction = (now - shown.start_us) as f64 / shown.span_us.max(1) as f64;
        (LABEL_WIDTH + fraction * plot_width) / WIDTH * 100.0
    });
    let label = crate::tr!(
        "lanes-label",
        lanes = lanes.len(),
        from = fmt_us(shown.start_us),
        to = fmt_us(shown.end_us()),
        at = fmt_us(now)
    );
    let (fold, folded) = super::fold_button(&props.dispatch, &model, "lanes", &crate::tr!("lanes"));
    html! {
        <section class={if folded { "panel lanes-panel collapsed" } else { "panel lanes-panel" }} aria-labelledby="lanes-heading">
            <div class="lanes-header">
                <h2 id="lanes-heading">{ crate::tr!("lanes") }</h2>
                { fold }
                <span class="lanes-window" role="status" aria-label={crate::tr!("visible-window")}>
                    { format!("{} – {}", fmt_us(shown.start_us), fmt_us(shown.end_us())) }
                </span>
                <div class="lanes-buttons">
                    <button type="button" onclick={set(shown.zoom(0.5, now, run_us))}>{ crate::tr!("lanes-zoom-in") }</button>
                    <button type="button" onclick={set(shown.zoom(2.0, now, run_us))}>{ crate::tr!("lanes-zoom-out") }</button>
                    <button type="button" onclick={set(shown.pan(-0.5))}>{ crate::tr!("lanes-earlier") }</button>
                    <button type="button" onclick={set(shown.pan(0.5))}>{ crate::tr!("lanes-later") }</button>
                    <button type="button" onclick={set(View { start_us: 0, span_us: run_us })}>{ crate::tr!("lanes-whole-run") }</button>
                </div>
            </div>
            if lanes.is_empty() {
                <p class="hint">{ crate::tr!("lanes-empty") }</p>
            } else {
                <div class="lanes-scroll">
                    <div class="lanes-stack">
                        <canvas ref={canvas} class="lanes" role="img" aria-label={label}
                            style={format!("aspect-ratio: {WIDTH} / {height}")}
                            onmousedown={on_down} onmousemove={on_move} onmouseup={on_up} />
                        // The cursor and the pale "not yet" part after it sit over the marks, so a
                        // seek moves two boxes instead of redrawing the canvas.
                        if let Some(left) = cursor_left {
                            <div class="lanes-future" style={format!("left: {left:.3}%")}></div>
                            <div class="lanes-cursor" style={format!("left: {left:.3}%")}></div>
                        }
                    </div>
                </div>
            }
        </section>
    }
}

fn colour(status: Option<FlowStatus>, dark: bool) -> &'static str {
    match status {
        Some(FlowStatus::Acked) => "#2e9e5b",
        Some(FlowStatus::Dropped) => "#d0453a",
        Some(FlowStatus::DeadLettered) => "#8e44ad",
        Some(FlowStatus::Redelivered) => "#c9a227",
        _ if dark => "#8fb4ff",
        _ => "#2f6fde",
    }
}

fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    state: &crate::state::Playground,
    cache: &mut MarkCache,
    view: View,
    height: f64,
) {
    let model = state.model.borrow();
    let sim = model.sim();
    let entities = sim.entities();
    let plot = WIDTH - LABEL_WIDTH;
    let columns = plot.ceil() as usize;
    cache.update(
        (model.scenario_revision, model.timeline.records_start()),
        view,
        entities.len(),
        columns,
        model.timeline.history(),
    );
    let dark = super::diagram::media("(prefers-color-scheme: dark)");
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 3.0);
    let (w, h) = ((WIDTH * ratio) as u32, (height * ratio) as u32);
    let resized = canvas.width() != w || canvas.height() != h;
    if resized {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    // Nothing new to show (a seek moves only the cursor, drawn over the canvas): keep it.
    let signature = (cache.key, cache.upto, dark);
    if !resized && cache.drawn == Some(signature) {
        return;
    }
    cache.drawn = Some(signature);
    let Some(ctx) = super::diagram::context_2d(canvas) else {
        return;
    };
    let (ink, muted, line) = if dark {
        ("#e6e9ef", "#9aa4b5", "#323b4a")
    } else {
        ("#1c2330", "#5b6578", "#d5dae3")
    };
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, WIDTH, height);
    // Setting a font parses it every time; the context keeps it between draws.
    const FONT: &str = "11px sans-serif";
    if ctx.font() != FONT {
        ctx.set_font(FONT);
    }
    for (i, entity) in entities.iter().enumerate() {
        let y = AXIS_HEIGHT + i as f64 * LANE_HEIGHT;
        if i % 2 == 1 {
            ctx.set_fill_style_str(line);
            ctx.set_global_alpha(0.35);
            ctx.fill_rect(LABEL_WIDTH, y, plot, LANE_HEIGHT);
            ctx.set_global_alpha(1.0);
        }
        ctx.set_fill_style_str(ink);
        // Cut by characters, never inside one.
        let name: String = if entity.name.chars().count() > 20 {
            entity.name.chars().take(19).chain(std::iter::once('…')).collect()
        } else {
            entity.name.clone()
        };
        let _ = ctx.fill_text(&name, 4.0, y + LANE_HEIGHT - 4.0);
    }
    // Axis: five ticks.
    ctx.set_fill_style_str(muted);
    for tick in 0..5 {
        let x = LABEL_WIDTH + plot * tick as f64 / 4.0;
        let us = view.start_us + view.span_us / 4 * tick;
        ctx.set_fill_style_str(line);
        ctx.fill_rect(x, AXIS_HEIGHT - 4.0, 1.0, height - AXIS_HEIGHT);
        ctx.set_fill_style_str(muted);
        let text = crate::human_time::human(us);
        let x_text = if tick == 4 { x - 48.0 } else { x + 2.0 };
        let _ = ctx.fill_text(&text, x_text, 12.0);
    }
    // Marks: one per lane and pixel column, kept between draws (the cursor is drawn over them).
    let cells = &cache.cells;
    // One path per colour.
    let mut marks: litemap::LiteMap<&str, Vec<(usize, usize)>> = litemap::LiteMap::new_vec();
    for (index, cell) in cells.iter().enumerate() {
        let Some(status) = cell else { continue };
        let (lane, column) = (index / columns, index % columns);
        marks.entry(colour(*status, dark)).or_default().push((lane, column));
    }
    for (fill, cells) in marks {
        ctx.set_fill_style_str(fill);
        ctx.begin_path();
        for (lane, column) in cells {
            ctx.rect(
                LABEL_WIDTH + column as f64,
                AXIS_HEIGHT + lane as f64 * LANE_HEIGHT + 3.0,
                2.0,
                LANE_HEIGHT - 6.0,
            );
        }
        ctx.fill();
    }
    ctx.set_global_alpha(1.0);
}

#[cfg(test)]
mod tests {
    use super::View;

    #[test]
    fn zoom_keeps_the_anchor_in_place_and_pan_stops_at_zero() {
        let view = View {
            start_us: 0,
            span_us: 10_000_000,
        };
        let zoomed = view.zoom(0.5, 4_000_000, 10_000_000);
        assert_eq!(zoomed.span_us, 5_000_000);
        assert_eq!(zoomed.start_us, 2_000_000, "4 s stays 40 % across");
        assert_eq!(zoomed.pan(-1.0).start_us, 0);
        assert_eq!(zoomed.pan(0.5).start_us, 4_500_000);
        assert_eq!(zoomed.time_at(450.0, 900.0), 4_500_000);
        assert_eq!(view.zoom(1e-9, 0, 10_000_000).span_us, super::MIN_SPAN_US);
    }
}
