//! The diagram, the centre of the page: the entities laid out along the flow of messages
//! ([`layout`]), drawn as what they are ([`node`], [`svg`]), the messages moving between them on
//! a canvas on top ([`canvas`]), and what a pointer or a key on it reaches ([`hit`]): click a
//! message to inspect its path, click a node to edit it, drag a node to move it, walk the
//! nodes with the arrow keys.

pub mod canvas;
pub mod caption;
pub mod hit;
pub mod layout;
pub mod node;
pub mod svg;

pub use canvas::{context_2d, media, FlowCanvas};
pub use svg::Diagram;

use crate::app::{PanelProps, SlowPanelProps};
use crate::state::Action;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How much one press of a zoom button (or one notch of Ctrl+wheel) zooms.
const ZOOM_STEP: f64 = 1.25;
const ZOOM_MIN: f64 = 0.5;
const ZOOM_MAX: f64 = 3.0;
/// Fitted to its panel, the diagram grows up to this much beyond its natural size; it never
/// shrinks below it (its text would go under 11 px): a narrow panel pans it instead.
const FIT_GROWTH_MAX: f64 = 1.25;

/// Diagram units a node moves for one Alt+arrow press.
const KEY_MOVE_STEP: f64 = 10.0;
/// Pixels a pointer travels before a press on a node becomes a drag (below: a click).
const DRAG_THRESHOLD_PX: f64 = 4.0;

/// A node being dragged: which, where the pointer took hold of it, and whether it moved yet.
struct Drag {
    name: String,
    grab: (f64, f64),
    start: (f64, f64),
    moved: bool,
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
pub fn DiagramView(props: &PanelProps) -> Html {
    let drag: Rc<RefCell<Option<Drag>>> = use_mut_ref(|| None);
    let suppress_click = use_mut_ref(|| false);
    let state = props.state.clone();
    let dispatch = props.dispatch.clone();
    // The stack by reference: Yew hands events over from the page's root, so an event's
    // current target is not the element whose handler runs.
    let stack = use_node_ref();
    let svg_of = |stack: &web_sys::Element| stack.query_selector("svg").ok().flatten();

    let on_pointer_down = {
        let (drag, state, stack) = (drag.clone(), state.clone(), stack.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            let Some((_, name)) = node_of(&e) else { return };
            let Some(stack) = stack.cast::<web_sys::Element>() else {
                return;
            };
            let layout = layout::layout(&state.model.borrow().scenario);
            let (Some(svg), Some(&(nx, ny, _))) = (svg_of(&stack), layout.nodes.get(&name)) else {
                return;
            };
            let Some((x, y)) = hit::to_diagram(&layout, &svg, e.client_x() as f64, e.client_y() as f64) else {
                return;
            };
            let _ = stack.set_pointer_capture(e.pointer_id());
            *drag.borrow_mut() = Some(Drag {
                name,
                grab: (x - nx, y - ny),
                start: (e.client_x() as f64, e.client_y() as f64),
                moved: false,
            });
        })
    };
    let on_pointer_move = {
        let (drag, state, dispatch, stack) = (drag.clone(), state.clone(), dispatch.clone(), stack.clone());
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
            let layout = layout::layout(&state.model.borrow().scenario);
            let Some((x, y)) = svg_of(&stack).and_then(|svg| hit::to_diagram(&layout, &svg, cx, cy)) else {
                return;
            };
            let (name, (gx, gy)) = (d.name.clone(), d.grab);
            drop(held);
            dispatch.emit(Action::MoveNode {
                name,
                x: (x - gx).round() as i32,
                y: (y - gy).round() as i32,
            });
        })
    };
    let on_pointer_up = {
        let (drag, suppress_click) = (drag.clone(), suppress_click.clone());
        Callback::from(move |_: PointerEvent| {
            if let Some(d) = drag.borrow_mut().take() {
                *suppress_click.borrow_mut() = d.moved;
            }
        })
    };
    let on_click = {
        let (state, dispatch, stack) = (state.clone(), dispatch.clone(), stack.clone());
        Callback::from(move |e: MouseEvent| {
            if std::mem::take(&mut *suppress_click.borrow_mut()) {
                return;
            }
            let canvas = stack
                .cast::<web_sys::Element>()
                .and_then(|stack| stack.query_selector("canvas.flow-canvas").ok().flatten());
            if let Some(action) =
                canvas.and_then(|c| hit::click_action(&state, &c, e.client_x() as f64, e.client_y() as f64))
            {
                dispatch.emit(action);
            }
        })
    };
    let on_key = {
        let (state, dispatch) = (state.clone(), dispatch.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some((_, name)) = node_of(&e) else { return };
            let direction = match e.key().as_str() {
                "ArrowRight" => Some((1.0, 0.0)),
                "ArrowLeft" => Some((-1.0, 0.0)),
                "ArrowDown" => Some((0.0, 1.0)),
                "ArrowUp" => Some((0.0, -1.0)),
                _ => None,
            };
            let layout = layout::layout(&state.model.borrow().scenario);
            match (direction, e.key().as_str()) {
                (Some((dx, dy)), _) if e.alt_key() => {
                    let Some(&(x, y, _)) = layout.nodes.get(&name) else {
                        return;
                    };
                    dispatch.emit(Action::MoveNode {
                        name,
                        x: (x + dx * KEY_MOVE_STEP).round() as i32,
                        y: (y + dy * KEY_MOVE_STEP).round() as i32,
                    });
                }
                (Some(direction), _) => {
                    if let Some(next) = hit::neighbour(&layout, &name, direction) {
                        focus_node(next);
                    }
                }
                (None, "Enter" | " ") => {
                    let kind = eda_sim::view::builder::kind_of(&state.model.borrow().scenario, &name);
                    if let Some(kind) = kind {
                        dispatch.emit(Action::EditEntity(Some((kind.id.to_string(), name))));
                    }
                }
                _ => return,
            }
            e.prevent_default();
            e.stop_propagation();
        })
    };
    let layout = {
        let shared = props.state.model.clone();
        use_memo(props.state.model.borrow().scenario_revision, move |_| {
            layout::layout(&shared.borrow().scenario)
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
    let slow = SlowPanelProps {
        state: props.state.clone(),
        dispatch: props.dispatch.clone(),
        panel_revision: props.state.model.borrow().panel_revision,
    };
    let playing = props.state.model.borrow().playing;
    let zoom_text = match *zoom {
        None => "fitted".to_string(),
        Some(z) => format!("{:.0} %", z * 100.0),
    };
    html! {
        <section class="diagram-panel" id="diagram" aria-label="Diagram" tabindex="-1">
            <figure class={if playing { "diagram playing" } else { "diagram paused" }}>
                <div class="diagram-zoom" role="group" aria-label="Diagram zoom">
                    <button type="button" onclick={zoom_by(1.0 / ZOOM_STEP)} aria-label="Zoom diagram out" title="Zoom out (Ctrl+wheel or pinch also zooms)">{ "−" }</button>
                    <button type="button" onclick={zoom_by(ZOOM_STEP)} aria-label="Zoom diagram in" title="Zoom in (Ctrl+wheel or pinch also zooms)">{ "+" }</button>
                    <button type="button" disabled={zoom.is_none()} onclick={{ let zoom = zoom.clone(); Callback::from(move |_: MouseEvent| zoom.set(None)) }}>
                        { "Fit diagram" }
                    </button>
                    <output class="zoom-value" aria-label="Diagram zoom level">{ zoom_text }</output>
                </div>
                <div class="diagram-stack" ref={stack} onclick={on_click} onpointerdown={on_pointer_down} onpointermove={on_pointer_move}
                    onpointerup={on_pointer_up.clone()} onpointercancel={on_pointer_up} onkeydown={on_key} onwheel={on_wheel}>
                    <div class="diagram-surface" style={surface_style}>
                        <Diagram ..slow.clone() />
                        <FlowCanvas ..props.clone() />
                    </div>
                </div>
                <caption::DiagramCaption ..slow />
            </figure>
        </section>
    }
}
