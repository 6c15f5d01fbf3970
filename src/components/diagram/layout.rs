//! Where each entity is drawn: columns along the flow of messages (sources on the left),
//! nodes sized for what they show (a topic grows a row per partition), centred in a diagram
//! that fills the page; a node the user placed by hand stays where it was put.

use eda_sim::view::builder;
use eda_sim::{Scenario, SimTime};
use litemap::LiteMap;

pub const COLUMN_WIDTH: f64 = 200.0;
/// Columns are this much closer from the seventh on, so that a pipeline seven deep (a producer,
/// a topic, a group and its member, their output topic, its group and its reader) fits a
/// 1440-pixel screen without shrinking its text.
const COLUMN_WIDTH_DEEP: f64 = 184.0;
const DEEP_COLUMNS: usize = 7;
pub const NODE_WIDTH: f64 = 160.0;
pub const NODE_HEIGHT: f64 = 70.0;
/// A service's node: its worker slots and its waiting line on two rows.
pub const SERVICE_HEIGHT: f64 = 86.0;
/// A consumer's node when it says what its guarantee allowed (a guarantee chosen; for a queue
/// consumer also link faults or a body field it adds up): up to six lines of figures.
pub const DELIVERY_HEIGHT: f64 = 128.0;
/// A queue whose consumers add up a body field: a line more, for what its messages add up to.
pub const SUMMED_QUEUE_HEIGHT: f64 = 84.0;
/// A topic producer that waits for acknowledgements: its settings and up to four lines of what
/// they allowed.
pub const PRODUCER_HEIGHT: f64 = 118.0;
/// The lines under a replicated topic's partitions: its replicas, its failovers.
pub const REPLICAS_LINE: f64 = 30.0;
/// Height of one partition's row in a topic's node.
pub const PARTITION_ROW: f64 = 17.0;
/// Most partitions drawn as rows; the rest are summed up in one line.
pub const PARTITION_ROWS_MAX: usize = 8;
const ROW_GAP: f64 = 34.0;
/// The diagram is at least this tall for its width, columns centred in it: a scenario of a few
/// entities fills the middle of the page instead of a thin strip at its top.
const MIN_HEIGHT_PER_WIDTH: f64 = 0.34;
pub const MARGIN: f64 = 16.0;
const MIN_WIDTH: f64 = 760.0;

/// Where each entity is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Entity name → (x, y, height) of its box.
    pub nodes: LiteMap<String, (f64, f64, f64)>,
    pub links: Vec<builder::Link>,
    /// The line each link is drawn along, in the order of `links`: its ends spread along the
    /// sides of the boxes, so that links into one entity do not meet in one point.
    pub lines: Vec<Line>,
}

/// The layout handed to the parts of the diagram: made once per change of the scenario by the
/// diagram's view, compared by identity (a new scenario revision makes a new one).
#[derive(yew::Properties, Clone)]
pub struct LayoutProps {
    pub layout: std::rc::Rc<Layout>,
}

impl PartialEq for LayoutProps {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.layout, &other.layout)
    }
}

/// A straight line from (`x1`, `y1`) to (`x2`, `y2`).
pub type Line = (f64, f64, f64, f64);

/// The way a message travels between two entities: one line, or two when it goes through an
/// entity drawn between them (a topic's record fetched by a consumer goes through its group).
#[derive(Clone, Debug, PartialEq)]
pub struct Route(pub Vec<Line>);

impl Route {
    /// Where a message is after the fraction `done` of its trip (measured along the lines).
    pub fn point_at(&self, done: f64) -> (f64, f64) {
        let total: f64 = self.0.iter().map(|l| length(*l)).sum();
        let mut left = done.clamp(0.0, 1.0) * total;
        for &(x1, y1, x2, y2) in &self.0 {
            let here = length((x1, y1, x2, y2));
            if left <= here || here == 0.0 {
                let f = if here == 0.0 { 1.0 } else { left / here };
                return (x1 + (x2 - x1) * f, y1 + (y2 - y1) * f);
            }
            left -= here;
        }
        self.0.last().map_or((0.0, 0.0), |l| (l.2, l.3))
    }

    /// The lines of the stretch from `from` to `to` (fractions of the trip), for a trail.
    pub fn stretch(&self, from: f64, to: f64) -> Vec<Line> {
        let total: f64 = self.0.iter().map(|l| length(*l)).sum();
        let (a, b) = (from.clamp(0.0, 1.0) * total, to.clamp(0.0, 1.0) * total);
        let mut out = Vec::new();
        let mut start = 0.0;
        for &(x1, y1, x2, y2) in &self.0 {
            let here = length((x1, y1, x2, y2));
            let (lo, hi) = ((a - start).max(0.0), (b - start).min(here));
            if hi > lo && here > 0.0 {
                let at = |d: f64| (x1 + (x2 - x1) * d / here, y1 + (y2 - y1) * d / here);
                let (p, q) = (at(lo), at(hi));
                out.push((p.0, p.1, q.0, q.1));
            }
            start += here;
        }
        out
    }
}

fn length((x1, y1, x2, y2): Line) -> f64 {
    (x2 - x1).hypot(y2 - y1)
}

impl Layout {
    /// The entity whose box holds the point (`x`, `y`) in diagram units.
    /// The route of a message from `from` to `to`: along their link, else through an entity
    /// linked to both, else straight between the boxes.
    pub fn route(&self, from: &str, to: &str) -> Option<Route> {
        let line = |a: &str, b: &str| {
            self.links
                .iter()
                .zip(&self.lines)
                .find(|(l, _)| l.from == a && l.to == b)
                .map(|(_, line)| *line)
        };
        if let Some(direct) = line(from, to) {
            return Some(Route(vec![direct]));
        }
        // An answer goes back along the link its request came by.
        if let Some((x1, y1, x2, y2)) = line(to, from) {
            return Some(Route(vec![(x2, y2, x1, y1)]));
        }
        let via = self
            .links
            .iter()
            .filter(|l| l.from == from)
            .find_map(|first| Some((line(from, &first.to)?, line(&first.to, to)?)));
        if let Some((first, second)) = via {
            return Some(Route(vec![first, second]));
        }
        let (a, b) = (*self.nodes.get(from)?, *self.nodes.get(to)?);
        Some(Route(vec![trip_line(a, b)]))
    }

    /// Like [`Self::node_at`], passing over the node `except` (one being dragged).
    pub fn node_at_except(&self, x: f64, y: f64, except: &str) -> Option<&str> {
        self.nodes
            .iter()
            .filter(|(name, _)| name.as_str() != except)
            .find(|(_, &(nx, ny, nh))| x >= nx && x <= nx + NODE_WIDTH && y >= ny && y <= ny + nh)
            .map(|(name, _)| name.as_str())
    }

    pub fn node_at(&self, x: f64, y: f64) -> Option<&str> {
        self.nodes
            .iter()
            .find(|(_, &(nx, ny, nh))| x >= nx && x <= nx + NODE_WIDTH && y >= ny && y <= ny + nh)
            .map(|(name, _)| name.as_str())
    }
}

/// How many partition rows a topic's node holds.
fn partition_rows(scenario: &Scenario, name: &str) -> usize {
    let count = scenario
        .broker
        .topics
        .iter()
        .find(|t| t.id == name)
        .map_or(1, |t| t.partitions as usize);
    if count > PARTITION_ROWS_MAX {
        PARTITION_ROWS_MAX + 1
    } else {
        count.max(1)
    }
}

/// The height of a node of this kind.
fn node_height(scenario: &Scenario, item: &builder::Item) -> f64 {
    match item.kind.id {
        // Name and kind, then a row per partition.
        // A replicated topic adds a line: its replicas and what the followers have not copied.
        "topic" => {
            let replicated = scenario
                .broker
                .topics
                .iter()
                .any(|t| t.id == item.name && t.replicas > 1);
            40.0 + partition_rows(scenario, &item.name) as f64 * PARTITION_ROW
                + 6.0
                + if replicated { REPLICAS_LINE } else { 0.0 }
        }
        // Name and kind, worker slots, the waiting line, a line of figures.
        // An order service whose write and events are not atomic: two lines more.
        "service" => {
            let events = scenario
                .request_reply
                .services
                .iter()
                .any(|s| s.id == item.name && s.orders.as_ref().is_some_and(|o| !o.events.is_atomic()));
            SERVICE_HEIGHT + if events { 28.0 } else { 0.0 }
        }
        // A group member adding up a field may need a line more: what it has not counted.
        "consumer" if shows_delivery(scenario, &item.name) => {
            let summing_member = scenario
                .broker
                .consumers
                .iter()
                .any(|c| c.id == item.name && c.group.is_some() && c.sum_field.is_some());
            let transactions = transactions_shown(scenario, &item.name);
            DELIVERY_HEIGHT + if summing_member { 14.0 } else { 0.0 } + if transactions { 14.0 } else { 0.0 }
        }
        "queue" if summed_queue(scenario, &item.name) => SUMMED_QUEUE_HEIGHT,
        // A listener with a faulty link: a line more, for what it lost and handled twice.
        "listener"
            if scenario
                .event_bus
                .listeners
                .iter()
                .any(|l| l.id == item.name && !l.link.is_perfect()) =>
        {
            NODE_HEIGHT + 14.0
        }
        "producer" if waits_for_acks(scenario, &item.name) => PRODUCER_HEIGHT,
        _ => NODE_HEIGHT,
    }
}

/// Whether the producer called `name` waits for acknowledgements (and so has its settings and
/// what they allowed to show, [`PRODUCER_HEIGHT`]).
pub fn waits_for_acks(scenario: &Scenario, name: &str) -> bool {
    let broker = &scenario.broker;
    broker
        .producers
        .iter()
        .any(|p| p.id == name && broker.waits_for_acks(p))
}

/// Whether a consumer of the queue called `name` adds up a body field.
fn summed_queue(scenario: &Scenario, name: &str) -> bool {
    scenario
        .broker
        .consumers
        .iter()
        .any(|c| c.queue.as_deref() == Some(name) && c.sum_field.is_some())
}

/// Whether the consumer called `name` has a line about transactions: it is transactional, or it
/// reads a topic that transactional members write to (which records it reads then matters).
fn transactions_shown(scenario: &Scenario, name: &str) -> bool {
    use eda_sim::patterns::broker::Guarantee;
    let broker = &scenario.broker;
    let topic_of = |group: &Option<String>| {
        broker
            .groups
            .iter()
            .find(|g| Some(&g.id) == group.as_ref())
            .map(|g| g.topic.as_str())
    };
    broker.consumers.iter().filter(|c| c.id == name).any(|c| {
        c.guarantee == Guarantee::Transactional
            || c.isolation != Default::default()
            || broker.consumers.iter().any(|o| {
                o.guarantee == Guarantee::Transactional
                    && o.writes_to.is_some()
                    && o.writes_to.as_deref() == topic_of(&c.group)
            })
    })
}

/// Whether the consumer called `name` has delivery figures to show (see
/// [`DELIVERY_HEIGHT`]).
fn shows_delivery(scenario: &Scenario, name: &str) -> bool {
    scenario.broker.consumers.iter().any(|c| {
        c.id == name
            && (c.guarantee != Default::default()
                || c.sum_field.is_some()
                || c.writes_to.is_some()
                || (c.queue.is_some() && !c.link.is_perfect()))
    }) || transactions_shown(scenario, name)
}

/// Columns by longest path along the links (sources of messages on the left), rows in the
/// order the scenario lists entities; then the nodes placed by hand where they were put.
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
    let column_width = if columns >= DEEP_COLUMNS {
        COLUMN_WIDTH_DEEP
    } else {
        COLUMN_WIDTH
    };
    let width = (MARGIN * 2.0 + columns as f64 * column_width).max(MIN_WIDTH);
    // Room on the right of the last column for a queue gauge (drawn beside its node).
    let spacing = (width - MARGIN * 2.0 - NODE_WIDTH - 16.0) / (columns.max(2) - 1) as f64;
    // How tall each column is, then the diagram's height, then each column centred in it.
    let mut column_heights = vec![0.0f64; columns];
    for item in &items {
        let c = column.get(item.name.as_str()).copied().unwrap_or(0);
        column_heights[c] += node_height(scenario, item) + ROW_GAP;
    }
    let tallest = column_heights.iter().copied().fold(0.0, f64::max) - ROW_GAP;
    let mut height = (tallest + MARGIN * 2.0).max(width * MIN_HEIGHT_PER_WIDTH).max(80.0);
    let mut next_y: Vec<f64> = column_heights
        .iter()
        .map(|h| ((height - (h - ROW_GAP).max(0.0)) / 2.0).max(MARGIN))
        .collect();
    let mut nodes = LiteMap::new_vec();
    let mut width = width;
    for item in &items {
        let c = column.get(item.name.as_str()).copied().unwrap_or(0);
        let h = node_height(scenario, item);
        let (x, y) = match scenario.positions.get(&item.name) {
            Some(p) => (f64::from(p.x), f64::from(p.y)),
            None => {
                let x = if columns == 1 {
                    MARGIN
                } else {
                    MARGIN + c as f64 * spacing
                };
                let y = next_y[c];
                next_y[c] += h + ROW_GAP;
                (x, y)
            }
        };
        // A node placed by hand beyond the edge makes the diagram grow to hold it.
        width = width.max(x + NODE_WIDTH + 16.0 + MARGIN);
        height = height.max(y + h + 14.0 + MARGIN);
        nodes.insert(item.name.clone(), (x, y, h));
    }
    let lines = link_lines(&nodes, &links);
    Layout {
        width,
        height,
        nodes,
        links,
        lines,
    }
}

/// Where each link starts and ends: on the sides `trip_line` picks, spread along them in the
/// order of the boxes at the other end (so lines do not cross at their ends).
fn link_lines(nodes: &LiteMap<String, (f64, f64, f64)>, links: &[builder::Link]) -> Vec<Line> {
    let spread = |own: &str, other: &builder::Link, outgoing: bool| -> f64 {
        // Links sharing this end, ordered by where their other end is.
        let mut peers: Vec<f64> = links
            .iter()
            .filter(|l| if outgoing { l.from == own } else { l.to == own })
            .filter_map(|l| {
                nodes
                    .get(if outgoing { &l.to } else { &l.from })
                    .map(|b| b.1 + b.2 / 2.0)
            })
            .collect();
        peers.sort_by(f64::total_cmp);
        let mine = nodes
            .get(if outgoing { &other.to } else { &other.from })
            .map_or(0.0, |b| b.1 + b.2 / 2.0);
        let rank = peers.iter().position(|&y| y >= mine).unwrap_or(0);
        let count = peers.len().max(1);
        // Spread over the middle half of the side.
        if count == 1 {
            0.0
        } else {
            (rank as f64 / (count - 1) as f64 - 0.5) * 0.5
        }
    };
    links
        .iter()
        .map(|link| {
            let (Some(&a), Some(&b)) = (nodes.get(&link.from), nodes.get(&link.to)) else {
                return (0.0, 0.0, 0.0, 0.0);
            };
            let (x1, y1, x2, y2) = trip_line(a, b);
            // Only ends on a left or right side are spread (vertically).
            let y1 = if x1 == a.0 || x1 == a.0 + NODE_WIDTH {
                y1 + spread(&link.from, link, true) * a.2
            } else {
                y1
            };
            let y2 = if x2 == b.0 || x2 == b.0 + NODE_WIDTH {
                y2 + spread(&link.to, link, false) * b.2
            } else {
                y2
            };
            (x1, y1, x2, y2)
        })
        .collect()
}

/// Where a message is drawn: the fraction of its trip done at `now`.
pub fn progress(now: SimTime, sent: SimTime, arrives: SimTime) -> f64 {
    let span = arrives.0.saturating_sub(sent.0);
    if span == 0 {
        return 1.0;
    }
    (now.0.saturating_sub(sent.0) as f64 / span as f64).clamp(0.0, 1.0)
}

/// The line a link is drawn along and a trip travels, between the boxes `(x, y, height)` of
/// its two ends: from the sender's right side to the receiver's left side (or its top or
/// bottom when it is not further right).
pub fn trip_line((fx, fy, fh): (f64, f64, f64), (tx, ty, th): (f64, f64, f64)) -> (f64, f64, f64, f64) {
    let (x1, y1) = (fx + NODE_WIDTH, fy + fh / 2.0);
    let (x2, y2) = if tx > fx + NODE_WIDTH / 2.0 {
        (tx, ty + th / 2.0)
    } else if tx + NODE_WIDTH < fx {
        // Further left: from the sender's left side to the receiver's right side.
        return (fx, fy + fh / 2.0, tx + NODE_WIDTH, ty + th / 2.0);
    } else {
        (tx + NODE_WIDTH / 2.0, ty + if ty > fy { 0.0 } else { th })
    };
    (x1, y1, x2, y2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_drawn_in_proportion_to_its_trip() {
        assert_eq!(progress(SimTime(0), SimTime(0), SimTime(10)), 0.0);
        assert_eq!(progress(SimTime(5), SimTime(0), SimTime(10)), 0.5);
        assert_eq!(progress(SimTime(50), SimTime(0), SimTime(10)), 1.0);
        assert_eq!(progress(SimTime(3), SimTime(3), SimTime(3)), 1.0);
    }

    fn example(id: &str) -> Scenario {
        Scenario::from_json(eda_sim::view::presets::preset(id).unwrap().json).unwrap()
    }

    #[test]
    fn entities_are_laid_out_along_the_flow() {
        let l = layout(&example("order-system"));
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
                let apart = (a.0 - b.0).abs() >= NODE_WIDTH || a.1 + a.2 <= b.1 || b.1 + b.2 <= a.1;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn a_node_placed_by_hand_stays_there_and_the_diagram_grows_to_hold_it() {
        let mut scenario = example("queues");
        let auto = layout(&scenario);
        let name = auto.nodes.keys().next().unwrap().clone();
        scenario
            .positions
            .insert(name.clone(), eda_sim::scenario::Position { x: 2_000, y: 1_500 });
        let placed = layout(&scenario);
        let &(x, y, h) = placed.nodes.get(&name).unwrap();
        assert_eq!((x, y), (2_000.0, 1_500.0));
        assert!(placed.width >= x + NODE_WIDTH && placed.height >= y + h);
        // The others keep their automatic places.
        for (other, place) in auto.nodes.iter().filter(|(n, _)| **n != name) {
            assert_eq!(placed.nodes.get(other), Some(place));
        }
        assert_eq!(placed.node_at(2_010.0, 1_510.0), Some(name.as_str()));
        assert_eq!(placed.node_at(1.0, 1.0), None);
    }

    #[test]
    fn links_into_one_entity_end_apart_and_a_fetch_goes_through_the_group() {
        let l = layout(&example("request-reply"));
        let ends: Vec<(f64, f64)> = l
            .links
            .iter()
            .zip(&l.lines)
            .filter(|(link, _)| link.to == "order-service")
            .map(|(_, line)| (line.2, line.3))
            .collect();
        assert!(ends.len() >= 3);
        for (i, a) in ends.iter().enumerate() {
            for b in &ends[i + 1..] {
                assert!((a.1 - b.1).abs() > 5.0, "{a:?} and {b:?} meet");
            }
        }
        // A topic's record on its way to a consumer of the group travels through the group.
        let topics = layout(&example("topics"));
        let route = topics.route("order-topic", "sms-1").unwrap();
        assert_eq!(route.0.len(), 2);
        let group = topics.nodes.get("order-system-group").unwrap();
        assert_eq!(route.0[0].2, group.0, "into the group's left side");
        assert_eq!(route.0[1].0, group.0 + NODE_WIDTH, "out of its right side");
        assert_eq!(route.point_at(0.0), (route.0[0].0, route.0[0].1));
        assert_eq!(route.point_at(1.0), (route.0[1].2, route.0[1].3));
        // A trail is a stretch of the same lines.
        let trail = route.stretch(0.4, 0.6);
        assert!(!trail.is_empty() && trail.len() <= 2);
    }

    #[test]
    fn a_topic_has_a_row_per_partition() {
        let scenario = example("topics");
        let l = layout(&scenario);
        let topic = &scenario.broker.topics[0];
        let &(_, _, h) = l.nodes.get(&topic.id).unwrap();
        let rows = (topic.partitions as usize).min(PARTITION_ROWS_MAX + 1) as f64;
        assert_eq!(h, 40.0 + rows * PARTITION_ROW + 6.0);
    }
}
