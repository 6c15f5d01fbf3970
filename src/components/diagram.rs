//! The diagram: every entity of the scenario as a node, laid out in columns along the flow of
//! messages, with its links, counters, queue bars and a topic's partitions (SVG, redrawn a few
//! times a second), and the messages moving between them drawn on a canvas on top of it every
//! frame, coloured by status.

use crate::app::{PanelProps, SlowPanelProps};
use eda_sim::view::builder;
use eda_sim::view::flow::{self, FlowStatus};
use eda_sim::{EntityKind, Scenario, SimTime};
use litemap::LiteMap;
use serde_json::Value;
use wasm_bindgen::JsCast;
use yew::prelude::*;

const COLUMN_WIDTH: f64 = 200.0;
const NODE_WIDTH: f64 = 160.0;
const NODE_HEIGHT: f64 = 70.0;
const PARTITION_ROW: f64 = 20.0;
const ROW_GAP: f64 = 30.0;
/// The diagram is at least this tall for its width, columns centred in it: a scenario of a few
/// entities fills the middle of the page instead of a thin strip at its top.
const MIN_HEIGHT_PER_WIDTH: f64 = 0.34;
const MARGIN: f64 = 16.0;
const MIN_WIDTH: f64 = 760.0;
/// A queue bar is full at this many waiting messages when the queue has no capacity.
const QUEUE_BAR_MAX: f64 = 12.0;
/// Most moving messages drawn in one frame.
const MAX_FLIGHTS_DRAWN: usize = 2_000;
/// Recent outcomes (acked, dropped…) flash at their entity for this many records back.
const RECENT_OUTCOMES: usize = 60;

/// The counters a node shows first, when its entity has them (the most telling of each kind).
const PREFERRED_COUNTERS: &[&str] = &[
    "ready",
    "records",
    "members",
    "handled",
    "sent",
    "completed",
    "queued",
    "routed",
    "published",
    "dispatched",
    "events",
    "applied",
    "registered",
    "entries",
    "delivered",
    "received",
    "enqueued",
    "arrived",
    "unroutable",
];

/// Where each entity is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Entity name → (x, y, height) of its box.
    pub nodes: LiteMap<String, (f64, f64, f64)>,
    pub links: Vec<builder::Link>,
}

/// Columns by longest path along the links (sources of messages on the left), rows in the
/// order the scenario lists entities.
pub fn layout(scenario: &Scenario) -> Layout {
    let items: Vec<builder::Item> = builder::items(scenario)
        .into_iter()
        .filter(|i| i.kind.id != "event-type" && i.kind.id != "broker")
        .collect();
    let links = builder::links(scenario);
    let mut column: LiteMap<&str, usize> = LiteMap::new_vec();
    for item in &items {
        column.insert(item.name.as_str(), 0);
    }
    // Longest path by relaxation; a cycle stops growing after as many rounds as there are nodes.
    for _ in 0..items.len() {
        let mut changed = false;
        for link in &links {
            let (Some(&from), Some(&to)) = (column.get(link.from.as_str()), column.get(link.to.as_str())) else {
                continue;
            };
            if to < from + 1 {
                column.insert(
                    items.iter().find(|i| i.name == link.to).map_or("", |i| i.name.as_str()),
                    from + 1,
                );
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let columns = column.values().copied().max().map_or(1, |c| c + 1);
    let width = (MARGIN * 2.0 + columns as f64 * COLUMN_WIDTH).max(MIN_WIDTH);
    // Room on the right of the last column for a queue gauge (drawn beside its node).
    let spacing = (width - MARGIN * 2.0 - NODE_WIDTH - 16.0) / (columns.max(2) - 1) as f64;
    let node_height = |item: &builder::Item| {
        if item.kind.id == "topic" {
            NODE_HEIGHT + PARTITION_ROW
        } else {
            NODE_HEIGHT
        }
    };
    // How tall each column is, then the diagram's height, then each column centred in it.
    let mut column_heights = vec![0.0f64; columns];
    for item in &items {
        let c = column.get(item.name.as_str()).copied().unwrap_or(0);
        column_heights[c] += node_height(item) + ROW_GAP;
    }
    let tallest = column_heights.iter().copied().fold(0.0, f64::max) - ROW_GAP;
    let height = (tallest + MARGIN * 2.0).max(width * MIN_HEIGHT_PER_WIDTH).max(80.0);
    let mut next_y: Vec<f64> = column_heights
        .iter()
        .map(|h| ((height - (h - ROW_GAP).max(0.0)) / 2.0).max(MARGIN))
        .collect();
    let mut nodes = LiteMap::new_vec();
    for item in &items {
        let c = column.get(item.name.as_str()).copied().unwrap_or(0);
        let h = node_height(item);
        let x = if columns == 1 {
            MARGIN
        } else {
            MARGIN + c as f64 * spacing
        };
        nodes.insert(item.name.clone(), (x, next_y[c], h));
        next_y[c] += h + ROW_GAP;
    }
    Layout {
        width,
        height,
        nodes,
        links,
    }
}

/// Where a message is drawn: the fraction of its trip done at `now`.
pub fn progress(now: SimTime, sent: SimTime, arrives: SimTime) -> f64 {
    let span = arrives.0.saturating_sub(sent.0);
    if span == 0 {
        return 1.0;
    }
    (now.0.saturating_sub(sent.0) as f64 / span as f64).clamp(0.0, 1.0)
}

fn css_class(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::EventSource | EntityKind::Producer | EntityKind::Client | EntityKind::DiscoveryClient => "source",
        EntityKind::EventBus | EntityKind::Exchange | EntityKind::ServiceRegistry | EntityKind::Broker => "bus",
        EntityKind::Queue | EntityKind::Topic | EntityKind::EventStore => "store",
        _ => "listener",
    }
}

/// A name that fits in a node: at most 20 characters, cut with an ellipsis.
fn short_name(name: &str) -> String {
    if name.chars().count() <= 20 {
        name.to_string()
    } else {
        name.chars().take(19).chain(std::iter::once('…')).collect()
    }
}

/// A count in at most about five characters: `950`, `12.3k`, `4.1M`.
fn compact(value: &Value) -> String {
    let n = value.as_f64().unwrap_or(0.0);
    if n < 1_000.0 {
        short(value)
    } else if n < 1_000_000.0 {
        format!("{:.1}k", n / 1_000.0)
    } else {
        format!("{:.1}M", n / 1_000_000.0)
    }
}

fn number(counters: &serde_json::Map<String, Value>, key: &str) -> f64 {
    counters.get(key).and_then(Value::as_f64).unwrap_or(0.0)
}

fn short(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_f64() => format!("{:.1}", n.as_f64().unwrap_or(0.0)),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// The entities, their links and counters.
#[component]
pub fn Diagram(props: &SlowPanelProps) -> Html {
    let model = props.state.model.borrow();
    let sim = model.sim();
    let layout = {
        let shared = props.state.model.clone();
        use_memo(model.scenario_revision, move |_| layout(&shared.borrow().scenario))
    };
    let report = sim.report();
    let now = sim.now();
    let bus = sim.event_bus();

    let edges = layout.links.iter().filter_map(|link| {
        let (fx, fy, fh) = *layout.nodes.get(&link.from)?;
        let (tx, ty, th) = *layout.nodes.get(&link.to)?;
        let (x1, y1) = (fx + NODE_WIDTH, fy + fh / 2.0);
        let (x2, y2) = if tx > fx { (tx, ty + th / 2.0) } else { (tx + NODE_WIDTH / 2.0, ty + if ty > fy { 0.0 } else { th }) };
        Some(html! {
            <g class="link">
                <line class="edge" x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} marker-end="url(#arrow)" />
                <title>{ format!("{} {} {}", link.from, link.relation, link.to) }</title>
            </g>
        })
    });

    // What happened at this very instant, to highlight.
    let mut active: Vec<u32> = Vec::new();
    for record in model
        .timeline
        .records()
        .iter()
        .rev()
        .take_while(|r| r.time == now)
        .take(50)
    {
        let (from, to) = record.kind.endpoints();
        active.push(from.0);
        active.extend(to.map(|t| t.0));
    }

    let nodes = sim.entities().iter().enumerate().filter_map(|(id, entity)| {
        let &(x, y, h) = layout.nodes.get(&entity.name)?;
        let name = &entity.name;
        let counters = report.entity(name).map(|r| r.counters.clone()).unwrap_or_default();
        let down = number(&counters, "down") == 1.0 || counters.get("up").and_then(Value::as_u64) == Some(0);
        // Waiting messages and the gauge's full scale.
        let (waiting, scale) = match entity.kind {
            EntityKind::Queue => {
                let capacity = model.scenario.broker.queues.iter().find(|q| &q.id == name).and_then(|q| q.capacity);
                (number(&counters, "ready"), capacity.map_or(QUEUE_BAR_MAX.max(number(&counters, "depth_max")), f64::from))
            }
            EntityKind::Listener => {
                let l = bus.listeners.get(entity.index);
                (l.map_or(0.0, |l| l.inbox.len() as f64), QUEUE_BAR_MAX)
            }
            EntityKind::Service => (number(&counters, "queued"), QUEUE_BAR_MAX.max(number(&counters, "queue_len_max"))),
            _ => (0.0, 0.0),
        };
        let preferred = PREFERRED_COUNTERS.iter().filter_map(|k| counters.get(*k).map(|v| (k.to_string(), v)));
        let others = counters
            .iter()
            .filter(|(k, v)| v.is_number() && !PREFERRED_COUNTERS.contains(&k.as_str()) && !["down", "up"].contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v));
        let mut stats: Vec<String> = preferred
            .chain(others)
            .take(2)
            .map(|(k, v)| format!("{} {}", k.replace('_', " "), short(v)))
            .collect();
        let label = if entity.kind == EntityKind::Listener {
            let l = &bus.listeners[entity.index];
            stats = vec![format!("queue {} · delivered {}", l.inbox.len(), l.delivered), format!("handled {}", l.handled)];
            format!(
                "listener {name}: {} delivered, {} waiting, {} handled{}",
                l.delivered,
                l.inbox.len(),
                l.handled,
                if l.in_service.is_some() { ", busy" } else { "" }
            )
        } else {
            let facts: Vec<String> = counters
                .iter()
                .filter(|(_, v)| v.is_number())
                .take(4)
                .map(|(k, v)| format!("{} {}", k.replace('_', " "), short(v)))
                .collect();
            format!("{} {name}{}: {}", entity.kind.label(), if down { " (down)" } else { "" }, facts.join(", "))
        };
        let busy = entity.kind == EntityKind::Listener && bus.listeners[entity.index].in_service.is_some();
        let partitions = match (entity.kind, counters.get("log_end_offsets")) {
            (EntityKind::Topic, Some(Value::Object(ends))) => {
                let count = ends.len().max(1);
                let cell = (NODE_WIDTH - 16.0) / count as f64;
                html! {
                    <g class="partitions">
                        { for ends.iter().enumerate().map(|(i, (p, end))| {
                            let px = x + 8.0 + i as f64 * cell;
                            html! {
                                <g class="partition">
                                    <rect x={px.to_string()} y={(y + NODE_HEIGHT - 6.0).to_string()} width={(cell - 3.0).max(4.0).to_string()} height="18" rx="3" />
                                    <text class="stats" x={(px + 3.0).to_string()} y={(y + NODE_HEIGHT + 7.0).to_string()}>{ format!("p{p} {}", compact(end)) }</text>
                                    <title>{ format!("partition {p} of {name}: log end offset {}", short(end)) }</title>
                                </g>
                            }
                        }) }
                    </g>
                }
            }
            _ => html! {},
        };
        let bar = (scale > 0.0).then(|| {
            let full = h - 8.0;
            let filled = (waiting / scale).clamp(0.0, 1.0) * full;
            html! {
                <>
                    <rect class="queue-gauge" x={(x + NODE_WIDTH + 4.0).to_string()} y={(y + 4.0).to_string()} width="8" height={full.to_string()} />
                    <rect class="queue-bar" x={(x + NODE_WIDTH + 4.0).to_string()} width="8"
                        y={(y + 4.0 + full - filled).to_string()} height={filled.to_string()} />
                </>
            }
        });
        let selected = model.selected.contains(name);
        let class = super::class_list(&[
            Some("node"),
            Some(css_class(entity.kind)),
            active.contains(&(id as u32)).then_some("active"),
            busy.then_some("busy"),
            down.then_some("down"),
            selected.then_some("selected"),
        ]);
        Some(html! {
            <g class={class} aria-label={label} data-entity={name.clone()}>
                <rect x={x.to_string()} y={y.to_string()} width={NODE_WIDTH.to_string()} height={h.to_string()} rx="8" />
                <text class="name" x={(x + 8.0).to_string()} y={(y + 18.0).to_string()}>{ short_name(name) }</text>
                // The kind on its own line under the name, so a long name never runs into it.
                <text class="kind" x={(x + 8.0).to_string()} y={(y + 32.0).to_string()}>{ entity.kind.label() }</text>
                if down {
                    <text class="down-label" x={(x + NODE_WIDTH - 8.0).to_string()} y={(y + 32.0).to_string()} text-anchor="end">{ "DOWN" }</text>
                }
                { for stats.iter().enumerate().map(|(i, s)| html! {
                    <text class="stats" x={(x + 8.0).to_string()} y={(y + 48.0 + i as f64 * 14.0).to_string()}>{ s }</text>
                }) }
                { partitions }
                { for bar }
            </g>
        })
    });

    let summary = format!("{} entities, {} links", layout.nodes.len(), layout.links.len());
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
    let (width, height) = (layout.width, layout.height);
    html! {
        <figure class={if model.playing { "diagram playing" } else { "diagram paused" }}>
                <svg viewBox={format!("0 0 {width} {height}")} role="group" aria-label="Scenario diagram" xmlns="http://www.w3.org/2000/svg">
                    <desc>{ summary.clone() }</desc>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                        </marker>
                    </defs>
                    { for edges }
                    { for nodes }
                </svg>
            <figcaption>
                <span>{ summary }</span>
                <span class="export-buttons">
                    <button type="button" onclick={export(false)}>{ "Export diagram as SVG" }</button>
                    <button type="button" onclick={export(true)}>{ "Export diagram as PNG" }</button>
                </span>
                <span class={if model.playing { "play-state playing" } else { "play-state" }}>
                    { if model.playing { "▶ Playing" } else { "❚❚ Paused" } }
                </span>
                <span class="legend" aria-label="Legend">
                    { for FlowStatus::ALL.iter().map(|s| html! {
                        <span class="legend-item"><span class={super::class_list(&[Some("swatch"), Some(status_class(*s))])}></span>{ s.label() }</span>
                    }) }
                    <span class="legend-item"><span class="mark trail"></span>{ "a message's last moment of travel" }</span>
                    <span class="legend-item"><span class="mark just-happened"></span>{ "just happened here" }</span>
                    <span class="legend-item"><span class="mark down"></span>{ "down (crashed)" }</span>
                    <span class="legend-item"><span class="mark gauge"></span>{ "waiting line (full at capacity)" }</span>
                    <span class="legend-item"><span class="mark busy"></span>{ "busy handling" }</span>
                </span>
            </figcaption>
        </figure>
    }
}

fn status_class(status: FlowStatus) -> &'static str {
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
pub fn FlowCanvas(props: &PanelProps) -> Html {
    let canvas = use_node_ref();
    let model = props.state.model.borrow();
    let layout = {
        // Laid out once per scenario, not per frame.
        let shared = props.state.model.clone();
        use_memo(model.scenario_revision, move |_| layout(&shared.borrow().scenario))
    };
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
    let described = format!("{moving} messages moving, {working} being processed at {now}");
    html! {
        <canvas ref={canvas} class="flow-canvas" aria-hidden="true" data-flights={count.to_string()} data-moving={moving.to_string()}
            title={described} style={format!("aspect-ratio: {} / {}", layout.width, layout.height)} />
    }
}

/// Where each pending trip or piece of work is drawn at the cursor: (x, y, radius, flight).
/// Work in progress stacks up at the bottom right of its entity; trips move along their link.
fn flight_positions(
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
        let (Some((fx, fy, fh)), Some((tx, ty, th))) = (place(sim.entity_name(f.from)), place(sim.entity_name(f.to)))
        else {
            continue;
        };
        if f.from == f.to {
            let n = working.entry(f.from.0).or_default();
            if *n < 8 {
                out.push((fx + NODE_WIDTH - 6.0 - *n as f64 * 10.0, fy + fh + 8.0, 4.5, f));
            }
            *n += 1;
            continue;
        }
        let mut p = progress(now, f.sent, f.arrives);
        if stepwise {
            p = (p * 2.0).round() / 2.0;
        }
        let (x1, y1, x2, y2) = trip_line((fx, fy, fh), (tx, ty, th));
        out.push((x1 + (x2 - x1) * p, y1 + (y2 - y1) * p, 5.0, f));
    }
    out
}

/// The line a trip travels along, between the boxes `(x, y, height)` of its two ends: from
/// the sender's right side to the receiver's left side (or its top or bottom when it is not
/// further right).
fn trip_line((fx, fy, fh): (f64, f64, f64), (tx, ty, th): (f64, f64, f64)) -> (f64, f64, f64, f64) {
    let (x1, y1) = (fx + NODE_WIDTH, fy + fh / 2.0);
    let (x2, y2) = if tx > fx {
        (tx, ty + th / 2.0)
    } else {
        (tx + NODE_WIDTH / 2.0, ty + if ty > fy { 0.0 } else { th })
    };
    (x1, y1, x2, y2)
}

/// Wall-clock milliseconds of travel a moving message's trail shows behind it.
const TRAIL_WALL_MS: f64 = 150.0;

/// What a click on the diagram at (`client_x`, `client_y`) picks: the message under it (to
/// inspect), else the entity under it (to edit).
pub fn click_action(
    state: &crate::state::Playground,
    canvas: &web_sys::Element,
    client_x: f64,
    client_y: f64,
) -> Option<crate::state::Action> {
    let model = state.model.borrow();
    let layout = layout(&model.scenario);
    let rect = canvas.get_bounding_client_rect();
    if rect.width() <= 0.0 {
        return None;
    }
    let scale = layout.width / rect.width();
    let (x, y) = ((client_x - rect.left()) * scale, (client_y - rect.top()) * scale);
    let sim = model.sim();
    // Where the dots are drawn: in steps when motion is reduced.
    let flights = flow::flights(sim, MAX_FLIGHTS_DRAWN);
    let hit = flight_positions(sim, &flights, &layout, media("(prefers-reduced-motion: reduce)"))
        .into_iter()
        .filter_map(|(fx, fy, _, f)| {
            let distance = ((fx - x).powi(2) + (fy - y).powi(2)).sqrt();
            (distance <= 10.0).then_some((distance, f))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some(key) = hit.and_then(|(_, f)| f.key) {
        return Some(crate::state::Action::InspectMessage(key));
    }
    let (name, _) = layout
        .nodes
        .iter()
        .find(|(_, &(nx, ny, nh))| x >= nx && x <= nx + NODE_WIDTH && y >= ny && y <= ny + nh)?;
    let kind = builder::kind_of(&model.scenario, name)?;
    Some(crate::state::Action::EditEntity(Some((
        kind.id.to_string(),
        name.clone(),
    ))))
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
    // Messages waiting in queues and inboxes, up to a row of dots under the gauge.
    for entity in sim.entities() {
        let waiting = match entity.kind {
            EntityKind::Queue => sim.broker().queues.get(entity.index).map_or(0, |q| q.ready.len()),
            EntityKind::Listener => sim.event_bus().listeners.get(entity.index).map_or(0, |l| l.inbox.len()),
            _ => 0,
        };
        if let Some((x, y, _)) = centre(&entity.name) {
            for i in 0..waiting.min(8) {
                dots.entry(FlowStatus::Queued).or_default().push((
                    x + 6.0 + i as f64 * 10.0,
                    y + NODE_HEIGHT + 8.0,
                    4.0,
                ));
            }
        }
    }
    // Behind each moving message, the stretch it travelled in the last moments: motion that
    // reads even in a still frame, and streams of fast messages as streaks.
    let trail_us = (model.effective_speed * TRAIL_WALL_MS * 1_000.0) as u64;
    if trail_us > 0 && !stepwise {
        context.begin_path();
        for f in flights.iter().filter(|f| f.from != f.to) {
            let (Some(a), Some(b)) = (centre(sim.entity_name(f.from)), centre(sim.entity_name(f.to))) else {
                continue;
            };
            let (x1, y1, x2, y2) = trip_line(a, b);
            let p = progress(now, f.sent, f.arrives);
            let back = progress(SimTime(now.0.saturating_sub(trail_us)), f.sent, f.arrives);
            context.move_to(x1 + (x2 - x1) * back, y1 + (y2 - y1) * back);
            context.line_to(x1 + (x2 - x1) * p, y1 + (y2 - y1) * p);
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
        if let Some((x, y, h)) = centre(sim.entity_name(at)) {
            context.begin_path();
            let _ = context.arc(x + NODE_WIDTH - 8.0, y + h / 2.0, 7.0, 0.0, std::f64::consts::TAU);
            context.set_stroke_style_str(status_colour(status, dark));
            context.set_line_width(2.5);
            context.stroke();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{layout, progress};
    use eda_sim::SimTime;

    #[test]
    fn a_message_is_drawn_in_proportion_to_its_trip() {
        assert_eq!(progress(SimTime(0), SimTime(0), SimTime(10)), 0.0);
        assert_eq!(progress(SimTime(5), SimTime(0), SimTime(10)), 0.5);
        assert_eq!(progress(SimTime(50), SimTime(0), SimTime(10)), 1.0);
        assert_eq!(progress(SimTime(3), SimTime(3), SimTime(3)), 1.0);
    }

    #[test]
    fn entities_are_laid_out_along_the_flow() {
        let scenario =
            eda_sim::Scenario::from_json(eda_sim::view::presets::preset("order-system").unwrap().json).unwrap();
        let l = layout(&scenario);
        let x = |name: &str| l.nodes.get(name).expect("laid out").0;
        assert!(x("shoppers") < x("order-service"));
        assert!(x("order-service") < x("orders"));
        assert!(x("orders") < x("order-view"));
        assert!(x("order-topic") < x("order-system-group"));
        assert!(x("order-system-group") < x("analytics-1"));
        // No two boxes overlap.
        let boxes: Vec<_> = l.nodes.values().collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart = (a.0 - b.0).abs() >= super::NODE_WIDTH || a.1 + a.2 <= b.1 || b.1 + b.2 <= a.1;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }
}
