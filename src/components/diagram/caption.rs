//! Under the diagram: its size, the exports, the tidy action, whether it is playing, and a
//! legend of every mark the diagram and the moving messages use.

use super::canvas::status_class;
use super::layout::LayoutProps;
use crate::state::Action;
use crate::state::Edit;
use crate::tr;
use eda_sim::view::flow::FlowStatus;
use yew::prelude::*;

#[component]
pub fn DiagramCaption(given: &LayoutProps) -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let layout = &given.layout;
    let summary = tr!(
        "diagram-summary",
        entities = layout.nodes.len(),
        links = layout.links.len()
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
    let placed = !model.scenario.positions.is_empty();
    html! {
        <figcaption>
            <span>{ summary }</span>
            <span class="export-buttons">
                <button type="button" onclick={export(false)}>{ tr!("export-svg") }</button>
                <button type="button" onclick={export(true)}>{ tr!("export-png") }</button>
                <button type="button" disabled={!placed} title={tr!("tidy-layout-title")}
                    onclick={props.dispatch.reform(|_| Action::Edit(Edit::TidyLayout))}>{ tr!("tidy-layout") }</button>
            </span>
            <span class={if model.playing { "play-state playing" } else { "play-state" }}>
                { if model.playing { tr!("state-playing") } else { tr!("state-paused") } }
            </span>
            { legend() }
        </figcaption>
    }
}

/// Every mark the diagram and the canvas above it use, with what it means.
fn legend() -> Html {
    let item = |class: &'static str, text: &'static str| {
        html! { <span class="legend-item"><span class={class}></span>{ tr!(text) }</span> }
    };
    html! {
        <span class="legend" aria-label={tr!("legend")}>
            { for FlowStatus::ALL.iter().map(|s| html! {
                <span class="legend-item"><span class={super::super::class_list(&[Some("swatch"), Some(status_class(*s))])}></span>{ tr!(&format!("flow-{}", s.label().replace(' ', "-"))) }</span>
            }) }
            { item("mark trail", "legend-trail") }
            { item("mark cell-ready", "legend-ready") }
            { item("mark cell-unacked", "legend-unacked") }
            { item("mark cell-consumed", "legend-consumed") }
            { item("mark cell-uncopied", "legend-uncopied") }
            { item("mark cell-open", "legend-open") }
            { item("mark cell-aborted", "legend-aborted") }
            { item("mark slot-busy", "legend-busy-worker") }
            { item("mark owner", "legend-owner") }
            { item("mark edge-key", "legend-key") }
            { item("mark faulty-link", "legend-faulty") }
            { item("mark cut-link", "legend-cut") }
            { item("mark just-happened", "legend-just-happened") }
            { item("mark took-part", "legend-took-part") }
            { item("mark work-dot", "legend-work-dot") }
            { item("mark port", "legend-port") }
            { item("mark down", "legend-down") }
            { item("mark busy", "legend-busy") }
        </span>
    }
}
