//! The diagram's picture: every entity as a node drawn as what it is (see [`super::node`]) and
//! its links with the binding keys written on them. Redrawn a few times a second while
//! playing; the moving messages are on the canvas above it.

use super::layout::{LayoutProps, DELIVERY_HEIGHT, NODE_WIDTH};
use super::node::{facts, family, fit, icon};
use yew::prelude::*;

/// The entities, their links and what each holds.
#[component]
pub fn Diagram(given: &LayoutProps) -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let sim = model.sim();
    let layout = &given.layout;
    let report = sim.report();
    let now = sim.now();

    let edges = layout.links.iter().zip(&layout.lines).filter_map(|(link, &(x1, y1, x2, y2))| {
        layout.nodes.get(&link.from)?;
        layout.nodes.get(&link.to)?;
        let keys = (!link.keys.is_empty()).then(|| {
            let text = fit(&link.keys.join(", "), 22);
            // Along the link, nearer its end, where links from one exchange have fanned out.
            let (lx, ly) = (x1 + (x2 - x1) * 0.62, y1 + (y2 - y1) * 0.62);
            html! { <text class="edge-key" x={lx.to_string()} y={(ly - 5.0).to_string()} text-anchor="middle">{ text }</text> }
        });
        // A faulty link says what it does under its middle (above it go binding keys) when it
        // is long enough to hold the words; a short one shows the sign alone (its consumer's
        // node and the link's title say the rest).
        let faults = link.faults.as_ref().map(|f| {
            let (lx, ly) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
            // About 8.5 px a character at the fault text's size, so that it ends before the nodes do.
            let room_chars = ((x2 - x1).hypot(y2 - y1) / 8.5) as usize;
            let f = crate::i18n::core_words::link_faults(f);
            let text = if room_chars >= 12 { fit(&format!("⚡ {f}"), room_chars.min(34)) } else { "⚡".to_string() };
            html! { <text class="edge-fault" x={lx.to_string()} y={(ly + 14.0).to_string()} text-anchor="middle">{ text }</text> }
        });
        let relation = crate::i18n::core_words::relation(&link.relation);
        let mut title = if link.keys.is_empty() {
            format!("{} {relation} {}", link.from, link.to)
        } else {
            crate::tr!(
                "edge-title-keys",
                from = link.from.clone(),
                relation = relation,
                to = link.to.clone(),
                keys = link.keys.join(", ")
            )
        };
        if let Some(f) = &link.faults {
            title = crate::tr!(
                "edge-title-faults",
                title = title,
                faults = crate::i18n::core_words::link_faults(f)
            );
        }
        // Its ends on two sides of a network partition: nothing crosses it now.
        let side = |name: &str| sim.entity_id(name).map(|id| sim.network_side(id));
        let cut = sim.network().is_split() && side(&link.from) != side(&link.to);
        if cut {
            title = crate::tr!("edge-title-cut", title = title);
        }
        let scissors = cut.then(|| {
            let (lx, ly) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
            html! { <text class="edge-cut" x={lx.to_string()} y={(ly + 4.0).to_string()} text-anchor="middle">{ "✂" }</text> }
        });
        let class = match (cut, link.faults.is_some()) {
            (true, _) => "edge cut",
            (false, true) => "edge faulty",
            (false, false) => "edge",
        };
        Some(html! {
            <g class="link" data-from={link.from.clone()} data-to={link.to.clone()}>
                <line class={class} x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} marker-end="url(#arrow)" />
                { for keys }
                { for faults }
                { for scissors }
                <title>{ title }</title>
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
        // The layout gave a consumer that shows its delivery figures the room for them.
        let delivery = entity.kind == eda_sim::EntityKind::Consumer && h >= DELIVERY_HEIGHT;
        let facts = facts(sim, entity, &counters, (x, y), delivery);
        // A group member's name leaves room for its owner colour in the corner.
        let member = entity.kind == eda_sim::EntityKind::Consumer
            && matches!(sim.broker().consumers[entity.index].role, eda_sim::patterns::broker::Role::Group(_));
        let name_chars = if member { 14 } else { 15 };
        // Cut off from the first side of a network partition (the side most entities are on).
        let cut_off = sim.network_side(eda_sim::EntityId(id as u32)) != 0;
        let busy = entity.kind == eda_sim::EntityKind::Listener && sim.event_bus().listeners[entity.index].in_service.is_some();
        let class = super::super::class_list(&[
            Some("node"),
            Some(family(entity.kind)),
            active.contains(&(id as u32)).then_some("active"),
            busy.then_some("busy"),
            facts.down.then_some("down"),
            cut_off.then_some("cut-off"),
            model.selected.contains(name).then_some("selected"),
            model
                .lesson
                .as_ref()
                .is_some_and(|run| run.current().highlight.contains(name))
                .then_some("lesson-focus"),
        ]);
        Some(html! {
            <g class={class} role="img" aria-roledescription="entity"
                aria-label={if cut_off { crate::tr!("node-cut-off", label = facts.label) } else { facts.label }}
                data-entity={name.clone()}
                data-kind={entity.kind.label()} tabindex="0">
                <rect class="box" x={x.to_string()} y={y.to_string()} width={NODE_WIDTH.to_string()} height={h.to_string()} rx="8" />
                <text class="icon" x={(x + 8.0).to_string()} y={(y + 18.0).to_string()} aria-hidden="true">{ icon(entity.kind) }</text>
                <text class="name" x={(x + 26.0).to_string()} y={(y + 18.0).to_string()}>{ fit(name, name_chars) }</text>
                // The kind on its own line under the name, so a long name never runs into it.
                <text class="kind" x={(x + 8.0).to_string()} y={(y + 32.0).to_string()}>{ crate::i18n::kind_label(entity.kind) }</text>
                if facts.down {
                    <line class="strike" x1={x.to_string()} y1={(y + h).to_string()} x2={(x + NODE_WIDTH).to_string()} y2={y.to_string()} />
                    // Above the box's corner: unmissable, and clear of the name and the kind.
                    <text class="down-label" x={(x + NODE_WIDTH).to_string()} y={(y - 5.0).to_string()} text-anchor="end">{ "✕ DOWN" }</text>
                } else if cut_off {
                    <text class="cut-label" x={(x + NODE_WIDTH).to_string()} y={(y - 5.0).to_string()} text-anchor="end">{ "✂ CUT OFF" }</text>
                }
                { facts.body }
                // Where a link to another entity is drawn from (or Shift and drag anywhere on it).
                <circle class="port" cx={(x + NODE_WIDTH).to_string()} cy={(y + h / 2.0).to_string()} r="6">
                    <title>{ crate::tr!("node-drag-hint", name = name.clone()) }</title>
                </circle>
            </g>
        })
    });

    let summary = crate::tr!(
        "diagram-summary",
        entities = layout.nodes.len(),
        links = layout.links.len()
    );
    let (width, height) = (layout.width, layout.height);
    html! {
        <svg viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()}
            role="group" aria-label={crate::tr!("diagram-name")} xmlns="http://www.w3.org/2000/svg">
            <desc>{ crate::tr!("diagram-description", summary = summary) }</desc>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                </marker>
            </defs>
            { for edges }
            { for nodes }
        </svg>
    }
}
