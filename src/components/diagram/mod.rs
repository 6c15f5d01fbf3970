//! The diagram, the centre of the page: the entities laid out along the flow of messages
//! ([`layout`]), drawn as what they are ([`node`], [`svg`]), the messages moving between them on
//! a canvas on top ([`canvas`]), and what a pointer or a key on it reaches ([`hit`]): click a
//! message to inspect its path, click a node to edit it, drag a node to move it, walk the
//! nodes with the arrow keys.

pub mod canvas;
pub mod caption;
mod guarantees;
pub mod hit;
pub mod layout;
pub mod node;
pub mod svg;
mod text_width;

pub use canvas::{context_2d, media, FlowCanvas};
pub use svg::Diagram;

use crate::state::Action;
use crate::state::Edit;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Pixels the diagram pans for one arrow key on it.
const PAN_STEP_PX: f64 = 60.0;
/// How much one press of a zoom button (or one notch of Ctrl+wheel) zooms.
const ZOOM_STEP: f64 = 1.25;
const ZOOM_MIN: f64 = 0.5;
const ZOOM_MAX: f64 = 3.0;
/// Below this zoom the figures in the nodes and the keys on the links would be under 11 px:
/// they are hidden, and the names stay.
const ZOOM_LABELS_MIN: f64 = 0.85;
/// Fitted to its panel, the diagram grows up to this much beyond its natural size; it never
/// shrinks below it (its text would go under 11 px): a narrow panel pans it instead.
const FIT_GROWTH_MAX: f64 = 1.25;

/// Room the action buttons of the entity being edited take above its node, in diagram units.
const ACTIONS_HEIGHT: f64 = 30.0;
/// Diagram units a node moves for one Alt+arrow press.
const KEY_MOVE_STEP: f64 = 10.0;
/// Pixels a pointer travels before a press on a node becomes a drag (below: a click).
const DRAG_THRESHOLD_PX: f64 = 4.0;

/// A node being dragged (to move it, or from its port to link it to another): which, where the
/// pointer took hold of it, and whether it moved yet.
struct Drag {
    name: String,
    grab: (f64, f64),
    start: (f64, f64),
    moved: bool,
    linking: bool,
    /// Where the node was placed by hand before the drag (none: by the layout), to put it back
    /// when it is dropped on another node (which links the two instead).
    placed: Option<(i32, i32)>,
}

/// The entity under an event's target, by the node it is inside of.
fn node_of(event: &web_sys::Event) -> Option<(web_sys::Element, String)> {
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let node = target.closest("g.node[data-entity]").ok()??;
    let name = node.get_attribute("data-entity")?;
    Some((node, name))
}

fn focus_node(name: &str) {
    let selector = format!(
        "g.node[data-entity=\"{}\"]",
        name.replace('\\', "\\\\").replace('"', "\\\"")
    );
    let node = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&selector).ok().flatten());
    if let Some(node) = node {
        // SVG elements can take focus, though web-sys types `focus` on HTML elements only.
        if let Ok(focus) = js_sys::Reflect::get(&node, &"focus".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
            let _ = focus.call0(&node);
        }
    }
}

/// The diagram with the moving messages over it, and everything a pointer or a key does there.
#[component]
pub fn DiagramView() -> Html {
    let props = &crate::shared::use_frame();
    let drag: Rc<RefCell<Option<Drag>>> = use_mut_ref(|| None);
    // The line of a link being drawn, in diagram units: from the node's port to the pointer.
    let link_line = use_state(|| None::<(f64, f64, f64, f64)>);
    // A link started from the keyboard (L on a node): the entity it starts from.
    let link_from = use_state(|| None::<String>);
    let suppress_click = use_mut_ref(|| false);
    let state = props.state.clone();
    let dispatch = props.dispatch.clone();
    // The stack by reference: Yew hands events over from the page's root, so an event's
    // current target is not the element whose handler runs.
    let stack = use_node_ref();
    // Laid out once per change of the scenario; every handler below reads this one.
    let layout = {
        let shared = props.state.model.clone();
        use_memo(props.state.model.borrow().scenario_revision, move |_| {
            layout::layout(&shared.borrow().scenario)
        })
    };
    let svg_of = |stack: &web_sys::Element| stack.query_selector("svg").ok().flatten();

    let on_pointer_down = {
        let (drag, state, stack, layout) = (drag.clone(), state.clone(), stack.clone(), layout.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            let Some((_, name)) = node_of(&e) else { return };
            let on_port = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| {
                    t.get_attribute("class")
                        .is_some_and(|c| c.split_whitespace().any(|c| c == "port"))
                });
            let Some(stack) = stack.cast::<web_sys::Element>() else {
                return;
            };
            let (Some(svg), Some(&(nx, ny, _))) = (svg_of(&stack), layout.nodes.get(&name)) else {
                return;
            };
            let Some((x, y)) = hit::to_diagram(&layout, &svg, e.client_x() as f64, e.client_y() as f64) else {
                return;
            };
            let _ = stack.set_pointer_capture(e.pointer_id());
            let placed = state.model.borrow().scenario.positions.get(&name).map(|p| (p.x, p.y));
            *drag.borrow_mut() = Some(Drag {
                name,
                grab: (x - nx, y - ny),
                start: (e.client_x() as f64, e.client_y() as f64),
                moved: false,
                linking: on_port || e.shift_key(),
                placed,
            });
        })
    };
    let on_pointer_move = {
        let (drag, dispatch, stack, link_line, layout) = (
            drag.clone(),
            dispatch.clone(),
            stack.clone(),
            link_line.clone(),
            layout.clone(),
        );
        Callback::from(move |e: PointerEvent| {
            let mut held = drag.borrow_mut();
            let Some(d) = held.as_mut() else { return };
            let (cx, cy) = (e.client_x() as f64, e.client_y() as f64);
            if !d.moved && (cx - d.start.0).hypot(cy - d.start.1) < DRAG_THRESHOLD_PX {
                return;
            }
            d.moved = true;
            let Some(stack) = stack.cast::<web_sys::Element>() else {
                return;
            };
            let Some((x, y)) = svg_of(&stack).and_then(|svg| hit::to_diagram(&layout, &svg, cx, cy)) else {
                return;
            };
            if d.linking {
                if let Some(&(nx, ny, nh)) = layout.nodes.get(&d.name) {
                    link_line.set(Some((nx + layout::NODE_WIDTH, ny + nh / 2.0, x, y)));
                }
                return;
            }
            let (name, (gx, gy)) = (d.name.clone(), d.grab);
            drop(held);
            dispatch.emit(Action::Edit(Edit::MoveNode {
                name,
                x: (x - gx).round() as i32,
                y: (y - gy).round() as i32,
            }));
        })
    };
    let on_pointer_up = {
        let (drag, suppress_click, dispatch, stack, link_line, layout) = (
            drag.clone(),
            suppress_click.clone(),
            dispatch.clone(),
            stack.clone(),
            link_line.clone(),
            layout.clone(),
        );
        Callback::from(move |e: PointerEvent| {
            let Some(d) = drag.borrow_mut().take() else { return };
            *suppress_click.borrow_mut() = d.moved;
            if !d.moved {
                return;
            }
            link_line.set(None);
            // Released over another entity: link the two (a node dragged onto another goes back
            // where it was: dropping it there means "link", not "pile up").
            let target = stack
                .cast::<web_sys::Element>()
                .and_then(|s| svg_of(&s))
                .and_then(|svg| hit::to_diagram(&layout, &svg, e.client_x() as f64, e.client_y() as f64))
                .and_then(|(x, y)| layout.node_at_except(x, y, &d.name).map(str::to_string));
            let Some(to) = target else { return };
            if !d.linking {
                dispatch.emit(Action::Edit(match d.placed {
                    Some((x, y)) => Edit::MoveNode {
                        name: d.name.clone(),
                        x,
                        y,
                    },
                    None => Edit::Unplace { name: d.name.clone() },
                }));
            }
            dispatch.emit(Action::Edit(Edit::Connect { from: d.name, to }));
        })
    };
    let on_click = {
        let (state, dispatch, stack, link_from, layout) = (
            state.clone(),
            dispatch.clone(),
            stack.clone(),
            link_from.clone(),
            layout.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            if std::mem::take(&mut *suppress_click.borrow_mut()) {
                return;
            }
            // The node's action buttons act by themselves.
            let on_control = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("button, input, a").ok().flatten())
                .is_some();
            if on_control {
                return;
            }
            // A link started from a node's buttons ends on the next node clicked.
            if let (Some(from), Some((_, to))) = ((*link_from).clone(), node_of(&e)) {
                link_from.set(None);
                if from != to {
                    dispatch.emit(Action::Edit(Edit::Connect { from, to }));
                }
                return;
            }
            let canvas = stack
                .cast::<web_sys::Element>()
                .and_then(|stack| stack.query_selector("canvas.flow-canvas").ok().flatten());
            if let Some(action) =
                canvas.and_then(|c| hit::click_action(&state, &layout, &c, e.client_x() as f64, e.client_y() as f64))
            {
                dispatch.emit(action);
            }
        })
    };
    // None: fitted to the panel; else a zoom factor of the natural size.
    let zoom = use_state(|| None::<f64>);
    let natural = layout.width;
    let current_zoom = {
        let (zoom, stack) = (zoom.clone(), stack.clone());
        move || {
            zoom.unwrap_or_else(|| {
                let panel = stack
                    .cast::<web_sys::Element>()
                    .map_or(natural, |s| f64::from(s.client_width()));
                (panel / natural).clamp(1.0, FIT_GROWTH_MAX)
            })
        }
    };
    let on_key = {
        let (state, dispatch, link_from, layout) = (state.clone(), dispatch.clone(), link_from.clone(), layout.clone());
        let (zoom, current_zoom, stack) = (zoom.clone(), current_zoom.clone(), stack.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Zoom keys anywhere in the diagram: Z in, Shift+Z out, 0 fits (clear of + and −,
            // which change the speed everywhere).
            if !e.ctrl_key() && !e.meta_key() && !e.alt_key() {
                let zoomed = match e.key().as_str() {
                    "z" => Some(Some((current_zoom() * ZOOM_STEP).clamp(ZOOM_MIN, ZOOM_MAX))),
                    "Z" => Some(Some((current_zoom() / ZOOM_STEP).clamp(ZOOM_MIN, ZOOM_MAX))),
                    "0" => Some(None),
                    _ => None,
                };
                if let Some(level) = zoomed {
                    zoom.set(level);
                    e.prevent_default();
                    e.stop_propagation();
                    return;
                }
            }
            // On the diagram itself (not a node), the arrow keys pan it.
            let on_stack = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| t.class_name() == "diagram-stack");
            if on_stack {
                let (dx, dy) = match e.key().as_str() {
                    "ArrowRight" => (PAN_STEP_PX, 0.0),
                    "ArrowLeft" => (-PAN_STEP_PX, 0.0),
                    "ArrowDown" => (0.0, PAN_STEP_PX),
                    "ArrowUp" => (0.0, -PAN_STEP_PX),
                    _ => return,
                };
                if let Some(stack) = stack.cast::<web_sys::Element>() {
                    stack.scroll_by_with_x_and_y(dx, dy);
                }
                e.prevent_default();
                e.stop_propagation();
                return;
            }
            let Some((_, name)) = node_of(&e) else { return };
            // A link started with L ends with Enter on another node, or Escape.
            if let Some(from) = (*link_from).clone() {
                match e.key().as_str() {
                    "Enter" | " " => {
                        link_from.set(None);
                        if from != name {
                            dispatch.emit(Action::Edit(Edit::Connect { from, to: name }));
                        }
                        e.prevent_default();
                        e.stop_propagation();
                        return;
                    }
                    "Escape" => {
                        link_from.set(None);
                        e.prevent_default();
                        e.stop_propagation();
                        return;
                    }
                    _ => {}
                }
            }
            if matches!(e.key().as_str(), "l" | "L") && !e.ctrl_key() && !e.meta_key() && !e.alt_key() {
                link_from.set(Some(name));
                e.prevent_default();
                e.stop_propagation();
                return;
            }
            let direction = match e.key().as_str() {
                "ArrowRight" => Some((1.0, 0.0)),
                "ArrowLeft" => Some((-1.0, 0.0)),
                "ArrowDown" => Some((0.0, 1.0)),
                "ArrowUp" => Some((0.0, -1.0)),
                _ => None,
            };
            match (direction, e.key().as_str()) {
                (Some((dx, dy)), _) if e.alt_key() => {
                    let Some(&(x, y, _)) = layout.nodes.get(&name) else {
                        return;
                    };
                    dispatch.emit(Action::Edit(Edit::MoveNode {
                        name,
                        x: (x + dx * KEY_MOVE_STEP).round() as i32,
                        y: (y + dy * KEY_MOVE_STEP).round() as i32,
                    }));
                }
                (Some(direction), _) => {
                    if let Some(next) = hit::neighbour(&layout, &name, direction) {
                        focus_node(next);
                    }
                }
                (None, "Enter" | " ") => {
                    let kind = eda_sim::view::builder::kind_of(&state.model.borrow().scenario, &name);
                    if let Some(kind) = kind {
                        dispatch.emit(Action::Edit(Edit::EditEntity(Some((kind.id.to_string(), name)))));
                    }
                }
                _ => return,
            }
            e.prevent_default();
            e.stop_propagation();
        })
    };
    let zoom_by = |factor: f64| {
        let (zoom, current_zoom) = (zoom.clone(), current_zoom.clone());
        Callback::from(move |_: MouseEvent| zoom.set(Some((current_zoom() * factor).clamp(ZOOM_MIN, ZOOM_MAX))))
    };
    let on_wheel = {
        let (zoom, current_zoom) = (zoom.clone(), current_zoom.clone());
        Callback::from(move |e: WheelEvent| {
            // Ctrl+wheel (and a trackpad's pinch, which the browser sends as one) zooms; a
            // plain wheel scrolls the page and pans a diagram larger than its panel.
            if e.ctrl_key() {
                e.prevent_default();
                let factor = if e.delta_y() < 0.0 { ZOOM_STEP } else { 1.0 / ZOOM_STEP };
                zoom.set(Some((current_zoom() * factor).clamp(ZOOM_MIN, ZOOM_MAX)));
            }
        })
    };
    let surface_style = match *zoom {
        None => format!(
            "width: 100%; min-width: {natural}px; max-width: {}px",
            natural * FIT_GROWTH_MAX
        ),
        Some(z) => format!("width: {}px", (natural * z).round()),
    };
    let playing = props.state.model.borrow().playing;
    let variant = props.state.model.borrow().comparison.as_ref().map(|c| c.editing_b);
    let zoom_text = match *zoom {
        None => crate::tr!("zoom-fitted"),
        Some(z) => format!("{:.0} %", z * 100.0),
    };
    html! {
        <section class="diagram-panel" id="diagram" aria-label={crate::tr!("diagram")} tabindex="-1">
            <figure class={if playing { "diagram playing" } else { "diagram paused" }}>
                if let Some(editing_b) = variant {
                    <p class="variant-badge">{ crate::tr!("variant-editing", side = if editing_b { "B" } else { "A" }) }</p>
                }
                <div class="diagram-zoom" role="group" aria-label={crate::tr!("diagram-zoom")}>
                    <button type="button" onclick={zoom_by(1.0 / ZOOM_STEP)} aria-label={crate::tr!("zoom-out")} title={crate::tr!("zoom-out-title")}>{ "−" }</button>
                    <button type="button" onclick={zoom_by(ZOOM_STEP)} aria-label={crate::tr!("zoom-in")} title={crate::tr!("zoom-in-title")}>{ "+" }</button>
                    <button type="button" disabled={zoom.is_none()} onclick={{ let zoom = zoom.clone(); Callback::from(move |_: MouseEvent| zoom.set(None)) }}>
                        { crate::tr!("fit-diagram") }
                    </button>
                    <output class="zoom-value" aria-label={crate::tr!("zoom-level")}>{ zoom_text }</output>
                </div>
                if let Some(from) = &*link_from {
                    <p class="link-hint" role="status">
                        { crate::tr!("linking-from", name = from.clone()) }
                    </p>
                }
                <div class="diagram-stack" ref={stack} tabindex="0" role="group"
                    aria-label={crate::tr!("diagram-view")} onclick={on_click} onpointerdown={on_pointer_down} onpointermove={on_pointer_move}
                    onpointerup={on_pointer_up.clone()} onpointercancel={on_pointer_up} onkeydown={on_key} onwheel={on_wheel}>
                    // Zoomed out below legibility, the secondary labels (figures, keys) are hidden.
                    <div class={if zoom.is_some_and(|z| z < ZOOM_LABELS_MIN) { "diagram-surface zoomed-out" } else { "diagram-surface" }} style={surface_style}>
                        <Diagram layout={layout.clone()} />
                        <FlowCanvas layout={layout.clone()} />
                        if let Some((x1, y1, x2, y2)) = *link_line {
                            <svg class="link-preview" viewBox={format!("0 0 {} {}", layout.width, layout.height)} aria-hidden="true">
                                <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} />
                            </svg>
                        }
                        <NodeActions link_from={link_from.clone()} layout={layout.clone()} />
                    </div>
                </div>
                <caption::DiagramCaption layout={layout.clone()} />
            </figure>
        </section>
    }
}

#[derive(Properties, Clone)]
struct NodeActionsProps {
    link_from: UseStateHandle<Option<String>>,
    layout: Rc<layout::Layout>,
}

impl PartialEq for NodeActionsProps {
    fn eq(&self, other: &Self) -> bool {
        self.link_from == other.link_from && Rc::ptr_eq(&self.layout, &other.layout)
    }
}

/// Buttons on the entity being edited, beside its node in the diagram: link it to another,
/// crash or restart it, delete it. Named "{entity}: what", so each is told apart from the same
/// action on the entity's card.
/// Redrawn with the detailed panels, not on every frame: it reads the entity's report.
#[component]
fn NodeActions(props: &NodeActionsProps) -> Html {
    let panels = crate::shared::use_panels();
    let (dispatch, layout, link_from) = (&panels.dispatch, &*props.layout, &props.link_from);
    let model = panels.state.model.borrow();
    let Some((_, name)) = model.editing.clone() else {
        return html! {};
    };
    let (Some(&(x, y, h)), Some(id)) = (layout.nodes.get(&name), model.sim().entity_id(&name)) else {
        return html! {};
    };
    let kind = model.sim().entities()[id.0 as usize].kind;
    // Above the node, clear of the work dots under it; below it when there is no room above.
    let top = if y >= ACTIONS_HEIGHT {
        y - ACTIONS_HEIGHT
    } else {
        y + h + 14.0
    };
    // Aligned with the node's side nearer the middle, so the row stays on the diagram.
    let side = if x + layout::NODE_WIDTH / 2.0 > layout.width / 2.0 {
        format!(
            "right: {:.3}%;",
            (layout.width - x - layout::NODE_WIDTH) / layout.width * 100.0
        )
    } else {
        format!("left: {:.3}%;", x / layout.width * 100.0)
    };
    let style = format!("{side} top: {:.3}%;", top / layout.height * 100.0);
    let down = model
        .sim()
        .report()
        .entity(&name)
        .and_then(|r| r.counters.get("down").and_then(serde_json::Value::as_u64))
        == Some(1);
    let replicated = kind == eda_sim::EntityKind::Topic
        && model
            .scenario
            .broker
            .topics
            .iter()
            .any(|t| t.id == name && t.replicas > 1);
    let command = |command: eda_sim::Command| dispatch.reform(move |_| Action::Edit(Edit::RunCommand(command.clone())));
    let start_link = {
        let (link_from, name) = (link_from.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            link_from.set(Some(name.clone()));
            focus_node(&name);
        })
    };
    html! {
        <div class="node-actions" role="group" aria-label={crate::tr!("node-actions", name = name.clone())} style={style}>
            <button type="button" onclick={start_link} title={crate::tr!("node-link-title")}>
                { crate::tr!("node-link", name = name.clone()) }
            </button>
            if super::entities::crashable(kind) {
                if down {
                    <button type="button" onclick={command(eda_sim::Command::Restart { entity: name.clone() })}>{ crate::tr!("node-restart", name = name.clone()) }</button>
                } else {
                    <button type="button" class="fault" onclick={command(eda_sim::Command::Crash { entity: name.clone() })}>{ crate::tr!("node-crash", name = name.clone()) }</button>
                }
            }
            if replicated {
                <button type="button" class="fault" onclick={command(eda_sim::Command::FailOver { topic: name.clone() })}>{ crate::tr!("node-fail-over", name = name.clone()) }</button>
            }
            <button type="button" onclick={dispatch.reform(|_| Action::Edit(Edit::DeleteEntity))}>{ crate::tr!("node-delete", name = name.clone()) }</button>
        </div>
    }
}
