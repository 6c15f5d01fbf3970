//! The diagram: sources → bus → listeners as SVG, with each copy in flight drawn on its way,
//! queue depth as a bar on each listener, and a highlight on what changed at this instant.

use crate::app::PanelProps;
use eda_sim::patterns::event_bus::BusRecord;
use eda_sim::{SimTime, TraceKind};
use std::collections::BTreeSet;
use yew::prelude::*;

const WIDTH: f64 = 760.0;
const ROW_HEIGHT: f64 = 78.0;
const NODE_HEIGHT: f64 = 56.0;
const SOURCE_X: f64 = 16.0;
const SOURCE_W: f64 = 170.0;
const BUS_X: f64 = 290.0;
const BUS_W: f64 = 180.0;
const LISTENER_X: f64 = 574.0;
const LISTENER_W: f64 = 170.0;
/// The queue gauge beside a listener is full at this many waiting messages.
const QUEUE_BAR_MAX: usize = 12;

/// Height of the queue bar for `waiting` messages (full gauge at [`QUEUE_BAR_MAX`]).
fn queue_bar_height(waiting: usize) -> f64 {
    waiting.min(QUEUE_BAR_MAX) as f64 * (NODE_HEIGHT - 8.0) / QUEUE_BAR_MAX as f64
}

fn row_y(index: usize) -> f64 {
    24.0 + index as f64 * ROW_HEIGHT
}

/// Where a copy in flight is drawn: the fraction of its trip done at `now`.
fn progress(now: SimTime, sent: SimTime, arrives: SimTime) -> f64 {
    let span = arrives.0.saturating_sub(sent.0);
    if span == 0 {
        return 1.0;
    }
    (now.0.saturating_sub(sent.0) as f64 / span as f64).clamp(0.0, 1.0)
}

#[component]
pub fn Diagram(props: &PanelProps) -> Html {
    let model = props.state.model.borrow();
    let sim = model.sim();
    let world = sim.event_bus();
    let now = sim.now();
    let rows = world.sources.len().max(world.listeners.len()).max(1);
    let height = row_y(rows) + 8.0;
    let bus_y = (height - NODE_HEIGHT) / 2.0;

    // What happened at this very instant, to highlight.
    let mut active: BTreeSet<u32> = BTreeSet::new();
    for record in model.timeline.records().iter().rev().take_while(|r| r.time == now) {
        let (from, to) = record.kind.endpoints();
        active.insert(from.0);
        if let (Some(to), TraceKind::Bus(BusRecord::Published { .. }) | TraceKind::Bus(BusRecord::Delivered { .. })) =
            (to, &record.kind)
        {
            active.insert(to.0);
        }
    }

    let sources = world.sources.iter().enumerate().map(|(i, s)| {
        let y = row_y(i);
        let name = sim.entity_name(s.entity);
        let bus_y = if world.buses.len() > 1 { row_y(s.bus) } else { bus_y };
        html! {
            <g class={classes!("node", "source", active.contains(&s.entity.0).then_some("active"))}>
                <line class="edge" x1={(SOURCE_X + SOURCE_W).to_string()} y1={(y + NODE_HEIGHT / 2.0).to_string()}
                      x2={BUS_X.to_string()} y2={(bus_y + NODE_HEIGHT / 2.0).to_string()} />
                <rect x={SOURCE_X.to_string()} y={y.to_string()} width={SOURCE_W.to_string()} height={NODE_HEIGHT.to_string()} rx="8" />
                <text class="name" x={(SOURCE_X + 10.0).to_string()} y={(y + 22.0).to_string()}>{ name }</text>
                <text class="stats" x={(SOURCE_X + 10.0).to_string()} y={(y + 42.0).to_string()}>{ format!("published {}", s.published) }</text>
            </g>
        }
    });

    let buses = world.buses.iter().enumerate().map(|(i, b)| {
        let y = if world.buses.len() > 1 { row_y(i) } else { bus_y };
        html! {
            <g class={classes!("node", "bus", active.contains(&b.entity.0).then_some("active"))}>
                <rect x={BUS_X.to_string()} y={y.to_string()} width={BUS_W.to_string()} height={NODE_HEIGHT.to_string()} rx="8" />
                <text class="name" x={(BUS_X + 10.0).to_string()} y={(y + 22.0).to_string()}>{ format!("{} (bus)", sim.entity_name(b.entity)) }</text>
                <text class="stats" x={(BUS_X + 10.0).to_string()} y={(y + 42.0).to_string()}>
                    { format!("dispatched {} · unrouted {}", b.dispatched, b.unrouted) }
                </text>
            </g>
        }
    });

    let bus_anchor = |bus: usize| {
        let y = if world.buses.len() > 1 { row_y(bus) } else { bus_y };
        (BUS_X + BUS_W, y + NODE_HEIGHT / 2.0)
    };

    let listeners = world.listeners.iter().enumerate().map(|(i, l)| {
        let y = row_y(i);
        let (bx, by) = bus_anchor(l.bus);
        let waiting = l.inbox.len();
        let name = sim.entity_name(l.entity);
        let label = format!(
            "listener {name}: {} delivered, {waiting} waiting, {} handled{}",
            l.delivered,
            l.handled,
            if l.in_service.is_some() { ", busy" } else { "" }
        );
        html! {
            <g class={classes!("node", "listener", active.contains(&l.entity.0).then_some("active"), l.in_service.is_some().then_some("busy"))}
               aria-label={label}>
                <line class="edge" x1={bx.to_string()} y1={by.to_string()} x2={LISTENER_X.to_string()} y2={(y + NODE_HEIGHT / 2.0).to_string()} />
                <rect x={LISTENER_X.to_string()} y={y.to_string()} width={LISTENER_W.to_string()} height={NODE_HEIGHT.to_string()} rx="8" />
                <text class="name" x={(LISTENER_X + 10.0).to_string()} y={(y + 20.0).to_string()}>{ name }</text>
                <text class="stats" x={(LISTENER_X + 10.0).to_string()} y={(y + 36.0).to_string()}>
                    { format!("queue {waiting} · delivered {}", l.delivered) }
                </text>
                <text class="stats" x={(LISTENER_X + 10.0).to_string()} y={(y + 50.0).to_string()}>
                    { format!("handled {}{}", l.handled, if l.in_service.is_some() { " · busy" } else { "" }) }
                </text>
                <rect class="queue-gauge" x={(LISTENER_X + LISTENER_W + 4.0).to_string()} y={(y + 4.0).to_string()} width="8"
                      height={(NODE_HEIGHT - 8.0).to_string()} />
                <rect class="queue-bar" x={(LISTENER_X + LISTENER_W + 4.0).to_string()} width="8"
                      y={(y + NODE_HEIGHT - 4.0 - queue_bar_height(waiting)).to_string()} height={queue_bar_height(waiting).to_string()} />
            </g>
        }
    });

    let in_flight = world.in_flight.values().map(|f| {
        let (bx, by) = bus_anchor(world.listeners[f.listener].bus);
        let (lx, ly) = (LISTENER_X, row_y(f.listener) + NODE_HEIGHT / 2.0);
        let p = progress(now, f.sent_at, f.arrives_at);
        let ty = world.types.name(world.events[f.event.0 as usize].event_type);
        html! {
            <circle class="message in-flight" r="6" cx={(bx + (lx - bx) * p).to_string()} cy={(by + (ly - by) * p).to_string()}>
                <title>{ format!("{ty} #{} on its way to {}", f.event.0, sim.entity_name(world.listeners[f.listener].entity)) }</title>
            </circle>
        }
    });

    let summary = format!(
        "{} sources, {} buses, {} listeners; {} copies in flight",
        world.sources.len(),
        world.buses.len(),
        world.listeners.len(),
        world.in_flight.len()
    );
    let export = |png: bool| {
        Callback::from(move |_: MouseEvent| {
            let svg = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("figure.diagram svg").ok().flatten());
            if let Some(svg) = svg {
                let outcome = if png {
                    crate::export::download_png(&svg, "eda-diagram.png")
                } else {
                    crate::export::download_svg(&svg, "eda-diagram.svg")
                };
                if let Err(error) = outcome {
                    web_sys::console::warn_2(&"The export failed:".into(), &error);
                }
            }
        })
    };
    html! {
        <figure class="diagram">
            <div class="export-buttons">
                <button type="button" onclick={export(false)}>{ "Export diagram as SVG" }</button>
                <button type="button" onclick={export(true)}>{ "Export diagram as PNG" }</button>
            </div>
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="group" aria-label="Event bus diagram" xmlns="http://www.w3.org/2000/svg">
                <desc>{ summary.clone() }</desc>
                { for sources }
                { for buses }
                { for listeners }
                { for in_flight }
            </svg>
            <figcaption>
                { summary }
                <span class="legend"><span class="swatch in-flight"></span>{ "in flight" }
                <span class="swatch busy"></span>{ "handling" }<span class="swatch queue"></span>{ "queue" }</span>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::progress;
    use eda_sim::SimTime;

    #[test]
    fn a_copy_is_drawn_in_proportion_to_its_trip() {
        assert_eq!(progress(SimTime(0), SimTime(0), SimTime(10)), 0.0);
        assert_eq!(progress(SimTime(5), SimTime(0), SimTime(10)), 0.5);
        assert_eq!(progress(SimTime(50), SimTime(0), SimTime(10)), 1.0);
        assert_eq!(progress(SimTime(3), SimTime(3), SimTime(3)), 1.0);
    }
}
