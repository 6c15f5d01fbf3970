//! The moving messages: drawn on a canvas over the diagram on every animation frame, each at
//! its real position along its hop at the clock's instant, coloured by its status, with a
//! short trail behind it; work in progress as dots under its entity; a ring where an outcome
//! (acked, dropped…) just happened.

use super::layout::{progress, Layout, LayoutProps, NODE_WIDTH};
use eda_sim::view::flow::{self, FlowStatus};
use eda_sim::SimTime;
use litemap::LiteMap;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Most moving messages drawn in one frame.
pub const MAX_FLIGHTS_DRAWN: usize = 2_000;
/// Recent outcomes (acked, dropped…) flash at their entity for this many records back.
const RECENT_OUTCOMES: usize = 60;
/// Wall-clock milliseconds of travel a moving message's trail shows behind it.
const TRAIL_WALL_MS: f64 = 150.0;

/// The CSS class of a status (the legend's swatch).
pub fn status_class(status: FlowStatus) -> &'static str {
    match status {
        FlowStatus::InFlight => "in-flight",
        FlowStatus::Queued => "queued",
        FlowStatus::Processing => "processing",
        FlowStatus::Acked => "acked",
        FlowStatus::Redelivered => "redelivered",
        FlowStatus::DeadLettered => "dead-lettered",
        FlowStatus::Dropped => "dropped",
    }
}

/// Colours of the statuses on the canvas (the legend's swatches use the same, from CSS).
fn status_colour(status: FlowStatus, dark: bool) -> &'static str {
    match (status, dark) {
        (FlowStatus::InFlight, false) => "#2f6fde",
        (FlowStatus::InFlight, true) => "#8fb4ff",
        (FlowStatus::Queued, false) => "#7b61c9",
        (FlowStatus::Queued, true) => "#b7a4ff",
        (FlowStatus::Processing, false) => "#d9822b",
        (FlowStatus::Processing, true) => "#f0a050",
        (FlowStatus::Acked, false) => "#2e9e5b",
        (FlowStatus::Acked, true) => "#5fd38d",
        (FlowStatus::Redelivered, false) => "#c9a227",
        (FlowStatus::Redelivered, true) => "#e8c85a",
        (FlowStatus::DeadLettered, false) => "#8e44ad",
        (FlowStatus::DeadLettered, true) => "#d08ef0",
        (FlowStatus::Dropped, false) => "#c0392b",
        (FlowStatus::Dropped, true) => "#ff7a6b",
    }
}

/// The canvas's 2D drawing context, if the browser gives one.
pub fn context_2d(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
}

/// Whether a media query matches now. The query lists are made once and kept: asking the window
/// for a new one on every frame made the browser bring its styles up to date each time.
pub fn media(query: &'static str) -> bool {
    thread_local! {
        static LISTS: std::cell::RefCell<Vec<(&'static str, Option<web_sys::MediaQueryList>)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    LISTS.with(|lists| {
        let mut lists = lists.borrow_mut();
        if !lists.iter().any(|(q, _)| *q == query) {
            let list = web_sys::window().and_then(|w| w.match_media(query).ok().flatten());
            lists.push((query, list));
        }
        lists
            .iter()
            .find(|(q, _)| *q == query)
            .and_then(|(_, list)| list.as_ref())
            .is_some_and(|list| list.matches())
    })
}

/// The moving messages, redrawn on every render (every animation frame while playing).
#[component]
pub fn FlowCanvas(given: &LayoutProps) -> Html {
    let props = &crate::shared::use_frame();
    let canvas = use_node_ref();
    let model = props.state.model.borrow();
    let layout = given.layout.clone();
    let now = model.sim().now();
    // Listed once per frame: counted here, drawn by the effect.
    let in_flight = flow::flights(model.sim(), MAX_FLIGHTS_DRAWN);
    let moving = in_flight.iter().filter(|f| f.from != f.to).count();
    let (working, count) = (in_flight.len() - moving, in_flight.len());
    {
        let canvas = canvas.clone();
        let state = props.state.clone();
        let layout = layout.clone();
        use_effect(move || {
            if let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                draw(&canvas, &state, &layout, &in_flight);
            }
        });
    }
    let described = crate::tr!(
        "canvas-moving",
        moving = moving,
        working = working,
        now = now.to_string()
    );
    html! {
        <canvas ref={canvas} class="flow-canvas" aria-hidden="true" data-flights={count.to_string()} data-moving={moving.to_string()}
            title={described} style={format!("aspect-ratio: {} / {}", layout.width, layout.height)} />
    }
}

/// Where each pending trip or piece of work is drawn at the cursor: (x, y, radius, flight).
/// Work in progress stacks up at the bottom right of its entity; trips move along their link.
pub fn flight_positions(
    sim: &eda_sim::Sim,
    flights: &[flow::Flight],
    layout: &Layout,
    stepwise: bool,
) -> Vec<(f64, f64, f64, flow::Flight)> {
    let now = sim.now();
    let place = |name: &str| layout.nodes.get(name).copied();
    let mut working: LiteMap<u32, usize> = LiteMap::new_vec();
    let mut out = Vec::new();
    for &f in flights {
        let (Some((fx, fy, fh)), Some(_)) = (place(sim.entity_name(f.from)), place(sim.entity_name(f.to))) else {
            continue;
        };
        if f.from == f.to {
            let n = working.entry(f.from.0).or_default();
            if *n < 8 {
                out.push((fx + NODE_WIDTH - 10.0 - *n as f64 * 10.0, fy + fh, 4.5, f));
            }
            *n += 1;
            continue;
        }
        let mut p = progress(now, f.sent, f.arrives);
        if stepwise {
            p = (p * 2.0).round() / 2.0;
        }
        let Some(route) = layout.route(sim.entity_name(f.from), sim.entity_name(f.to)) else {
            continue;
        };
        let (x, y) = route.point_at(p);
        out.push((x, y, 5.0, f));
    }
    out
}

fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    state: &crate::state::Playground,
    layout: &Layout,
    flights: &[flow::Flight],
) {
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 3.0);
    let (w, h) = ((layout.width * ratio) as u32, (layout.height * ratio) as u32);
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    let Some(context) = context_2d(canvas) else {
        return;
    };
    let _ = context.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    context.clear_rect(0.0, 0.0, layout.width, layout.height);
    let dark = media("(prefers-color-scheme: dark)");
    let stepwise = media("(prefers-reduced-motion: reduce)");
    let model = state.model.borrow();
    let sim = model.sim();
    let now = sim.now();
    let centre = |name: &str| layout.nodes.get(name).copied();
    // One path per colour: a thousand dots cost a handful of calls into the canvas.
    let mut dots: LiteMap<FlowStatus, Vec<(f64, f64, f64)>> = LiteMap::new_vec();
    for (x, y, radius, f) in flight_positions(sim, flights, layout, stepwise) {
        dots.entry(f.status).or_default().push((x, y, radius));
    }
    // Behind each moving message, the stretch it travelled in the last moments: motion that
    // reads even in a still frame, and streams of fast messages as streaks.
    let trail_us = (model.effective_speed * TRAIL_WALL_MS * 1_000.0) as u64;
    if trail_us > 0 && !stepwise {
        context.begin_path();
        for f in flights.iter().filter(|f| f.from != f.to) {
            let Some(route) = layout.route(sim.entity_name(f.from), sim.entity_name(f.to)) else {
                continue;
            };
            let p = progress(now, f.sent, f.arrives);
            let back = progress(SimTime(now.0.saturating_sub(trail_us)), f.sent, f.arrives);
            for (x1, y1, x2, y2) in route.stretch(back, p) {
                context.move_to(x1, y1);
                context.line_to(x2, y2);
            }
        }
        context.set_stroke_style_str(status_colour(FlowStatus::InFlight, dark));
        context.set_global_alpha(0.45);
        context.set_line_width(4.0);
        context.set_line_cap("round");
        context.stroke();
        context.set_global_alpha(1.0);
    }
    for (status, points) in &dots {
        context.begin_path();
        for &(x, y, r) in points {
            context.move_to(x + r, y);
            let _ = context.arc(x, y, r, 0.0, std::f64::consts::TAU);
        }
        context.set_fill_style_str(status_colour(*status, dark));
        context.fill();
    }
    // Outcomes of this instant and just before: a ring on the entity where it happened.
    for record in model.timeline.records().iter().rev().take(RECENT_OUTCOMES) {
        if now.0.saturating_sub(record.time.0) > 1_000_000 {
            break;
        }
        let Some(status) = flow::outcome(&record.kind) else {
            continue;
        };
        if status == FlowStatus::Queued {
            continue;
        }
        let (from, to) = record.kind.endpoints();
        let at = if status == FlowStatus::Acked {
            from
        } else {
            to.unwrap_or(from)
        };
        if let Some((x, y, _)) = centre(sim.entity_name(at)) {
            context.begin_path();
            // On the box's top-left corner, clear of the port, the figures and the name.
            let _ = context.arc(x, y, 7.0, 0.0, std::f64::consts::TAU);
            context.set_stroke_style_str(status_colour(status, dark));
            context.set_line_width(2.5);
            context.stroke();
        }
    }
}
