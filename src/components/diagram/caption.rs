//! Under the diagram: its size, the exports, the tidy action, whether it is playing, and a
//! legend of every mark the diagram and the moving messages use.

use super::canvas::status_class;
use super::layout::LayoutProps;
use crate::state::Action;
use crate::state::Edit;
use eda_sim::view::flow::FlowStatus;
use yew::prelude::*;

#[component]
pub fn DiagramCaption(given: &LayoutProps) -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let layout = &given.layout;
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
    let placed = !model.scenario.positions.is_empty();
    html! {
        <figcaption>
            <span>{ summary }</span>
            <span class="export-buttons">
                <button type="button" onclick={export(false)}>{ "Export diagram as SVG" }</button>
                <button type="button" onclick={export(true)}>{ "Export diagram as PNG" }</button>
                <button type="button" disabled={!placed} title="Put every node back where the automatic layout places it"
                    onclick={props.dispatch.reform(|_| Action::Edit(Edit::TidyLayout))}>{ "Tidy layout" }</button>
            </span>
            <span class={if model.playing { "play-state playing" } else { "play-state" }}>
                { if model.playing { "▶ Playing" } else { "❚❚ Paused" } }
            </span>
            { legend() }
        </figcaption>
    }
}

/// Every mark the diagram and the canvas above it use, with what it means.
fn legend() -> Html {
    let item = |class: &'static str, text: &'static str| {
        html! { <span class="legend-item"><span class={class}></span>{ text }</span> }
    };
    html! {
        <span class="legend" aria-label="Legend">
            { for FlowStatus::ALL.iter().map(|s| html! {
                <span class="legend-item"><span class={super::super::class_list(&[Some("swatch"), Some(status_class(*s))])}></span>{ s.label() }</span>
            }) }
            { item("mark trail", "a message's last moment of travel") }
            { item("mark cell-ready", "waiting in line (ready, or a record not yet consumed)") }
            { item("mark cell-unacked", "delivered, not yet acked / being handled") }
            { item("mark cell-consumed", "a record its group has consumed") }
            { item("mark cell-uncopied", "a record only the partition's leader has (followers not caught up)") }
            { item("mark cell-open", "a record of a transaction still open (read committed waits before it)") }
            { item("mark cell-aborted", "a record of an aborted transaction (read committed skips it)") }
            { item("mark slot-busy", "a busy worker (empty: idle)") }
            { item("mark owner", "partition owner: the consumer of that colour") }
            { item("mark edge-key", "binding key on a link") }
            { item("mark faulty-link", "⚡ a faulty link: it loses, doubles, delays or reorders messages") }
            { item("mark cut-link", "✂ cut by a network partition: nothing crosses it (a cut-off node says ✂ CUT OFF)") }
            { item("mark just-happened", "an outcome just now, in its status's colour (on the box's corner)") }
            { item("mark took-part", "took part in the event at the cursor") }
            { item("mark work-dot", "a message being processed (on the box's edge)") }
            { item("mark port", "drag from here to link to another entity") }
            { item("mark down", "down (crashed)") }
            { item("mark busy", "busy handling") }
        </span>
    }
}
