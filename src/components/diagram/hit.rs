//! What a pointer or a key on the diagram reaches: the message under a click (to inspect),
//! else the entity (to edit); a node dragged to a new place; the next node in the direction
//! of an arrow key.

use super::canvas::{flight_positions, media, MAX_FLIGHTS_DRAWN};
use super::layout::{Layout, NODE_WIDTH};
use crate::state::{Action, Playground};
use crate::state::{Edit, Inspect};
use eda_sim::view::{builder, flow};

/// A point of the page (`client_x`, `client_y`) in diagram units, given the element the
/// diagram is drawn in (the canvas or the SVG, both the diagram's size).
pub fn to_diagram(layout: &Layout, element: &web_sys::Element, client_x: f64, client_y: f64) -> Option<(f64, f64)> {
    let rect = element.get_bounding_client_rect();
    if rect.width() <= 0.0 {
        return None;
    }
    let scale = layout.width / rect.width();
    Some(((client_x - rect.left()) * scale, (client_y - rect.top()) * scale))
}

/// What a click on the diagram at (`client_x`, `client_y`) picks: the message under it (to
/// inspect), else the entity under it (to edit).
pub fn click_action(
    state: &Playground,
    layout: &Layout,
    canvas: &web_sys::Element,
    client_x: f64,
    client_y: f64,
) -> Option<Action> {
    let model = state.model.borrow();
    let (x, y) = to_diagram(layout, canvas, client_x, client_y)?;
    let sim = model.sim();
    // Where the dots are drawn: in steps when motion is reduced.
    let flights = flow::flights(sim, MAX_FLIGHTS_DRAWN);
    let hit = flight_positions(sim, &flights, layout, media("(prefers-reduced-motion: reduce)"))
        .into_iter()
        .filter_map(|(fx, fy, _, f)| {
            let distance = ((fx - x).powi(2) + (fy - y).powi(2)).sqrt();
            (distance <= 10.0).then_some((distance, f))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some(key) = hit.and_then(|(_, f)| f.key) {
        return Some(Action::Inspect(Inspect::InspectMessage(key)));
    }
    let name = layout.node_at(x, y)?;
    let kind = builder::kind_of(&model.scenario, name)?;
    Some(Action::Edit(Edit::EditEntity(Some((
        kind.id.to_string(),
        name.to_string(),
    )))))
}

/// The node nearest to `from` in the direction (`dx`, `dy`) (one of them ±1, the other 0):
/// ahead of it, preferring the one most in line.
pub fn neighbour<'a>(layout: &'a Layout, from: &str, (dx, dy): (f64, f64)) -> Option<&'a str> {
    let &(fx, fy, fh) = layout.nodes.get(from)?;
    let centre = |x: f64, y: f64, h: f64| (x + NODE_WIDTH / 2.0, y + h / 2.0);
    let (cx, cy) = centre(fx, fy, fh);
    layout
        .nodes
        .iter()
        .filter(|(name, _)| name.as_str() != from)
        .filter_map(|(name, &(x, y, h))| {
            let (nx, ny) = centre(x, y, h);
            let ahead = (nx - cx) * dx + (ny - cy) * dy;
            let aside = ((nx - cx) * dy).abs() + ((ny - cy) * dx).abs();
            (ahead > 1.0).then_some((ahead + aside * 2.0, name.as_str()))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_keys_walk_to_the_nearest_node_in_their_direction() {
        let scenario =
            eda_sim::Scenario::from_json(eda_sim::view::presets::preset("order-system").unwrap().json).unwrap();
        let l = super::super::layout::layout(&scenario);
        let right = neighbour(&l, "shoppers", (1.0, 0.0)).expect("something to the right");
        assert!(l.nodes.get(right).unwrap().0 > l.nodes.get("shoppers").unwrap().0);
        assert_eq!(
            neighbour(&l, "shoppers", (-1.0, 0.0)),
            None,
            "nothing left of the first column"
        );
        // Walking right and back left returns to a node of the first column.
        let back = neighbour(&l, right, (-1.0, 0.0)).unwrap();
        assert_eq!(l.nodes.get(back).unwrap().0, l.nodes.get("shoppers").unwrap().0);
    }
}
