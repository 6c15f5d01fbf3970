//! One entity drawn as what it is: a queue as its line of waiting messages (ready, and
//! unacked at its head), a topic as a row per partition with its newest records, the
//! consumed ones and the lag, and the consumer that owns it; a service with its worker slots
//! and its waiting line; a listener with its inbox; a registry with its entries; an event
//! store as its append-only log; a projection with its position in that log. Crashed entities
//! are struck through.

use super::guarantees::{amount, delivery_lines, event_write_lines, producer_lines};
use super::layout::{NODE_WIDTH, PARTITION_ROW, PARTITION_ROWS_MAX};
pub use super::text_width::{fit, width};
use eda_sim::patterns::broker::Role;
use eda_sim::{Entity, EntityKind, Sim};
use serde_json::Value;
use yew::prelude::*;

/// Cells of a line of messages drawn in a node.
const CELLS_MAX: usize = 12;
const CELL: f64 = 10.0;
const CELL_GAP: f64 = 2.0;
/// Characters of figures that fit on a line of a node.
pub(super) const LINE_CHARS_MAX: usize = 23;
/// Newest records drawn in a partition's row.
const RECORDS_DRAWN: u64 = 7;
/// Colours told apart for the owners of partitions (consumers), in order of the consumers.
pub const OWNER_COLOURS: usize = 8;

/// What a node shows besides its name and kind, worked out from the simulation.
pub struct NodeFacts {
    pub down: bool,
    /// The accessible description: kind, name, state and main figures.
    pub label: String,
    pub body: Html,
}

/// The icon of an entity kind: one glyph, the same in the legend and the builder.
pub fn icon(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::EventSource | EntityKind::Producer => "▶",
        EntityKind::Client | EntityKind::DiscoveryClient => "☎",
        EntityKind::EventBus | EntityKind::Broker => "⇶",
        EntityKind::Exchange => "⇉",
        EntityKind::Queue => "☰",
        EntityKind::Topic => "≣",
        EntityKind::ConsumerGroup => "⚭",
        EntityKind::Service => "⚙",
        EntityKind::ServiceRegistry => "⌸",
        EntityKind::Provider => "◆",
        EntityKind::EventStore => "▤",
        EntityKind::Projection => "◧",
        EntityKind::Listener | EntityKind::Consumer => "◉",
    }
}

/// The CSS family of a kind (colour of its box).
pub fn family(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::EventSource | EntityKind::Producer | EntityKind::Client | EntityKind::DiscoveryClient => "source",
        EntityKind::EventBus | EntityKind::Exchange | EntityKind::ServiceRegistry | EntityKind::Broker => "bus",
        EntityKind::Queue | EntityKind::Topic | EntityKind::EventStore => "store",
        _ => "listener",
    }
}

/// A count in at most about five characters: `950`, `12.3k`, `4.1M`.
pub fn compact(n: u64) -> String {
    if n < 1_000 {
        n.to_string()
    } else if n < 1_000_000 {
        format!("{:.1}k", n as f64 / 1_000.0)
    } else {
        format!("{:.1}M", n as f64 / 1_000_000.0)
    }
}

/// A count and its noun through the catalogue's plural rules (`message` takes `$count` and
/// `$shown`): `1 event`, `12.4k events`.
fn plural(message: &str, n: u64) -> String {
    crate::tr!(message, count = n, shown = compact(n))
}

fn short(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_f64() => format!("{:.1}", n.as_f64().unwrap_or(0.0)),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// A line of `cells` (class, tooltip) drawn left to right from (`x`, `y`); past
/// [`CELLS_MAX`] the first cells give way to a `+N` count.
fn cell_line(x: f64, y: f64, cells: &[(&'static str, String)], height: f64) -> Html {
    // The `+N` count takes the room of two cells, so the line keeps within the node.
    let hidden = if cells.len() > CELLS_MAX {
        cells.len() - (CELLS_MAX - 2)
    } else {
        0
    };
    let shown = &cells[hidden..];
    html! {
        <g class="cells">
            if hidden > 0 {
                <text class="more" x={x.to_string()} y={(y + height - 1.0).to_string()}>{ format!("+{hidden}") }</text>
            }
            { for shown.iter().enumerate().map(|(i, (class, tip))| {
                let cx = x + if hidden > 0 { 22.0 } else { 0.0 } + i as f64 * (CELL + CELL_GAP);
                html! {
                    <rect class={*class} x={cx.to_string()} y={y.to_string()} width={CELL.to_string()} height={height.to_string()} rx="2">
                        <title>{ tip.clone() }</title>
                    </rect>
                }
            }) }
        </g>
    }
}

/// A line of figures in a node, cut to fit its width.
fn text_line(x: f64, y: f64, text: String) -> Html {
    classed_line("stats", x, y, text)
}

fn classed_line(class: &'static str, x: f64, y: f64, text: String) -> Html {
    html! { <text class={class} x={x.to_string()} y={y.to_string()}>{ fit(&text, LINE_CHARS_MAX) }</text> }
}

/// What the node of `entity` shows at the cursor, its box at (`x`, `y`).
/// `delivery`: a consumer that shows what its guarantee allowed (the layout gave it the room,
/// [`super::layout::DELIVERY_HEIGHT`]).
pub fn facts(
    sim: &Sim,
    entity: &Entity,
    counters: &serde_json::Map<String, Value>,
    (x, y): (f64, f64),
    delivery: bool,
) -> NodeFacts {
    let name = &entity.name;
    let number = |key: &str| counters.get(key).and_then(Value::as_f64).unwrap_or(0.0);
    let mut down = number("down") == 1.0 || counters.get("up").and_then(Value::as_u64) == Some(0);
    let (x0, row1, row2) = (x + 8.0, y + 40.0, y + 64.0);
    let generic = || {
        let lines: Vec<String> = counters
            .iter()
            .filter(|(k, v)| {
                v.is_number()
                    && !["down", "up"].contains(&k.as_str())
                    && !crate::components::theory::is_theory_counter(k)
            })
            .take(2)
            .map(|(k, v)| format!("{} {}", crate::i18n::core_words::counter(k), short(v)))
            .collect();
        html! { <>{ for lines.into_iter().enumerate().map(|(i, s)| text_line(x0, y + 50.0 + i as f64 * 14.0, s)) }</> }
    };
    let (body, figures) = match entity.kind {
        EntityKind::Queue => {
            let q = &sim.broker().queues[entity.index];
            // The head of the line (next out) on the right, towards the consumers.
            let mut cells: Vec<(&'static str, String)> = (0..q.ready.len())
                .rev()
                .map(|i| ("cell ready", crate::tr!("node-queue-cell-ready", n = i + 1)))
                .collect();
            cells.extend((0..q.unacked.len()).map(|_| ("cell unacked", crate::tr!("node-queue-cell-unacked"))));
            let capacity = q.capacity.map_or(String::new(), |c| format!("/{c}"));
            let queue_figures = || {
                crate::tr!(
                    "node-queue-figures",
                    ready = q.ready.len(),
                    capacity = capacity.clone(),
                    unacked = q.unacked.len()
                )
            };
            let mut figures = queue_figures();
            // What its messages add up to, when its consumers add up a field: the expected total.
            let summed = q
                .sum_field
                .as_ref()
                .map(|_| crate::tr!("node-queue-sum", amount = amount(q.sum_expected)));
            if let Some(s) = &summed {
                figures = format!("{figures}, {s}");
            }
            let body = html! {
                <>
                    { cell_line(x0, row1, &cells, 12.0) }
                    { text_line(x0, row2, queue_figures()) }
                    { for summed.map(|s| classed_line("stats guarantee", x0, row2 + 14.0, s)) }
                </>
            };
            (body, figures)
        }
        EntityKind::Listener => {
            let l = &sim.event_bus().listeners[entity.index];
            let mut cells: Vec<(&'static str, String)> = (0..l.inbox.len())
                .rev()
                .map(|i| ("cell ready", crate::tr!("node-listener-cell", n = i + 1)))
                .collect();
            if l.in_service.is_some() {
                cells.push(("cell unacked", crate::tr!("node-listener-cell-busy")));
            }
            let figures = crate::tr!("node-listener-figures", inbox = l.inbox.len(), handled = l.handled);
            // A listener in another process: what its faulty link (or a partition) cost it.
            let faulty = !l.link.is_perfect();
            let lost = l.link_lost + l.unreachable;
            let link_line = faulty.then(|| {
                let class = if lost + l.duplicates > 0 {
                    "stats anomaly"
                } else {
                    "stats"
                };
                classed_line(
                    class,
                    x0,
                    row2 + 14.0,
                    crate::tr!(
                        "node-listener-link",
                        lost = compact(lost),
                        twice = compact(l.duplicates)
                    ),
                )
            });
            let body = html! { <>{ cell_line(x0, row1, &cells, 12.0) }{ text_line(x0, row2, figures.clone()) }{ for link_line }</> };
            let mut spoken = crate::tr!(
                "node-listener-spoken",
                delivered = l.delivered,
                waiting = l.inbox.len(),
                handled = l.handled
            );
            if faulty || l.unreachable > 0 {
                spoken = crate::tr!(
                    "node-listener-link-spoken",
                    spoken = spoken,
                    link = crate::i18n::core_words::link_faults(&l.link),
                    lost = l.link_lost,
                    cut = l.unreachable,
                    twice = l.duplicates,
                    reordered = l.reordered
                );
            }
            (body, spoken)
        }
        EntityKind::Service => {
            let s = &sim.request_reply().services[entity.index];
            down = down || s.down;
            let total = s.workers as usize * s.replicas.len().max(1);
            let busy: usize = s.replicas.iter().map(|r| r.busy_workers as usize).sum();
            let waiting: usize = s.replicas.iter().map(|r| r.waiting.len()).sum();
            let slots: Vec<(&'static str, String)> = (0..total)
                .map(|i| {
                    if i < busy {
                        ("slot busy", crate::tr!("node-worker-busy", n = i + 1))
                    } else {
                        ("slot idle", crate::tr!("node-worker-idle", n = i + 1))
                    }
                })
                .collect();
            let line: Vec<(&'static str, String)> = (0..waiting)
                .rev()
                .map(|i| ("cell ready", crate::tr!("node-request-cell", n = i + 1)))
                .collect();
            let figures = crate::tr!("node-service-figures", busy = busy, total = total, waiting = waiting);
            let (mut lines, mut classes) = (vec![], vec![]);
            let spoken = event_write_lines(s, &mut lines, &mut classes);
            let body = html! {
                <>
                    { cell_line(x0, row1, &slots, 12.0) }
                    { cell_line(x0, row1 + 17.0, &line, 8.0) }
                    { text_line(x0, y + 80.0, figures.clone()) }
                    { for lines.into_iter().zip(classes).enumerate().map(|(i, (s, class))| {
                        classed_line(class, x0, y + 96.0 + i as f64 * 14.0, s)
                    }) }
                </>
            };
            let spoken = spoken.map_or(String::new(), |s| format!("; {s}"));
            (
                body,
                format!(
                    "{}{spoken}",
                    crate::tr!("node-service-spoken", figures = figures, completed = s.completed)
                ),
            )
        }
        EntityKind::Topic => topic_rows(sim, entity, (x, y)),
        EntityKind::Producer if sim.broker().producers[entity.index].tracked => {
            let p = &sim.broker().producers[entity.index];
            let (mut lines, mut classes) = (vec![], vec![]);
            let spoken = producer_lines(p, &mut lines, &mut classes);
            let body = html! {
                <>{ for lines.into_iter().zip(classes).enumerate().map(|(i, (s, class))| {
                    classed_line(class, x0, y + 50.0 + i as f64 * 14.0, s)
                }) }</>
            };
            (body, spoken.join("; "))
        }
        EntityKind::Consumer => {
            let broker = sim.broker();
            let c = &broker.consumers[entity.index];
            down = down || c.down;
            // The partitions it owns, in every group.
            let owned: Vec<String> = broker
                .groups
                .iter()
                .flat_map(|g| {
                    g.owners
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| **o == Some(entity.index))
                        .map(|(p, _)| format!("p{p}"))
                })
                .collect();
            let mut lines = vec![];
            if broker.groups.iter().any(|g| g.members.contains(&entity.index)) {
                lines.push(match owned.len() {
                    0 => crate::tr!("node-owns-none"),
                    1..=4 => crate::tr!("node-owns", partitions = owned.join(" ")),
                    n => crate::tr!("node-owns-many", count = n),
                });
            }
            // The ownership line (group members) is plain; the delivery lines bring their own.
            let mut classes = vec!["stats"; lines.len()];
            let figures = if delivery {
                let mut spoken = lines.clone();
                // What its queue accepted adds up to, and whether it is the queue's only summer.
                // (or, for a group member, what its topic's producers count as written).
                // A group member's losses are its topic's: records written, then removed.
                let (expected, sum_lost) = match c.role {
                    Role::Queue(q) => (
                        broker
                            .queues
                            .get(q)
                            .and_then(|q| q.sum_field.as_ref().map(|_| q.sum_expected)),
                        c.sum_lost,
                    ),
                    Role::Group(g) => {
                        let topic = broker.groups.get(g).and_then(|g| broker.topics.get(g.topic));
                        (
                            topic.and_then(|t| t.sum_field.as_ref().map(|_| t.sum_expected)),
                            topic.map_or(0.0, |t| t.sum_lost),
                        )
                    }
                };
                let summers = broker
                    .consumers
                    .iter()
                    .filter(|o| o.role == c.role && o.sum_field.is_some())
                    .count();
                // Which records it reads matters when its topic has transactional writers.
                let isolation_shown = match c.role {
                    Role::Group(g) => {
                        let topic = broker.groups.get(g).map(|g| g.topic);
                        c.isolation != Default::default()
                            || broker.consumers.iter().any(|o| {
                                o.guarantee == eda_sim::patterns::broker::Guarantee::Transactional
                                    && o.output.topic.is_some()
                                    && o.output.topic == topic
                            })
                    }
                    Role::Queue(_) => false,
                };
                spoken.extend(delivery_lines(
                    c,
                    (expected, summers == 1, sum_lost),
                    isolation_shown,
                    &mut lines,
                    &mut classes,
                ));
                spoken.join("; ")
            } else {
                lines.push(crate::tr!("node-handled", handled = number("handled")));
                lines.join(", ")
            };
            let swatch = (!owned.is_empty()).then(|| {
                html! { <circle class={format!("owner owner-{}", entity.index % OWNER_COLOURS)} cx={(x + NODE_WIDTH - 14.0).to_string()} cy={(y + 14.0).to_string()} r="6" /> }
            });
            let body = html! {
                <>
                    { for swatch }
                    { for lines.into_iter().enumerate().map(|(i, s)| {
                        let class = classes.get(i).copied().unwrap_or("stats");
                        classed_line(class, x0, y + 50.0 + i as f64 * 14.0, s)
                    }) }
                </>
            };
            (body, figures)
        }
        EntityKind::ServiceRegistry => {
            let r = &sim.discovery().registries[entity.index];
            down = down || r.down;
            let names: Vec<&str> = r.entries.keys().map(String::as_str).collect();
            let list = if names.is_empty() {
                crate::tr!("node-registry-empty")
            } else {
                names.join(", ")
            };
            let figures = crate::tr!(
                "node-registry-figures",
                entries = plural("node-registry-entries", names.len() as u64),
                watched = r.watchers.len()
            );
            let body = html! { <>{ text_line(x0, y + 50.0, list) }{ text_line(x0, row2, figures.clone()) }</> };
            (body, format!("{figures}: {}", names.join(", ")))
        }
        EntityKind::EventStore => {
            let s = &sim.event_store().stores[entity.index];
            let start = s.log.len().saturating_sub(CELLS_MAX);
            let cells: Vec<(&'static str, String)> = (start..s.log.len())
                .map(|i| ("cell record", crate::tr!("node-record-cell", n = i + 1)))
                .collect();
            let figures = format!(
                "{} · {}",
                plural("node-store-events", s.log.len() as u64),
                plural("node-store-streams", s.streams.len() as u64)
            );
            let body = html! { <>{ cell_line(x0, row1, &cells, 12.0) }{ text_line(x0, row2, figures.clone()) }</> };
            (body, figures)
        }
        EntityKind::Projection => {
            let world = sim.event_store();
            let p = &world.projections[entity.index];
            let end = world.stores.get(p.store).map_or(0, |s| s.log.len() as u64);
            let done = if end == 0 { 1.0 } else { p.position as f64 / end as f64 };
            let figures = crate::tr!(
                "node-projection-figures",
                position = compact(p.position),
                end = compact(end),
                behind = end.saturating_sub(p.position)
            );
            let body = html! {
                <>
                    <rect class="track" x={x0.to_string()} y={row1.to_string()} width="144" height="8" rx="4" />
                    <rect class="progress" x={x0.to_string()} y={row1.to_string()} width={(144.0 * done).to_string()} height="8" rx="4" />
                    { text_line(x0, row2, figures.clone()) }
                </>
            };
            (body, figures)
        }
        _ => {
            let figures: Vec<String> = counters
                .iter()
                .filter(|(k, v)| v.is_number() && !crate::components::theory::is_theory_counter(k))
                .take(4)
                .map(|(k, v)| format!("{} {}", crate::i18n::core_words::counter(k), short(v)))
                .collect();
            (generic(), figures.join(", "))
        }
    };
    let label = crate::tr!(
        if down { "node-label-down" } else { "node-label" },
        kind = crate::i18n::kind_label(entity.kind),
        name = name.clone(),
        figures = figures
    );
    NodeFacts { down, label, body }
}

/// A topic's partitions, one row each: the owner's colour, the newest records (the consumed
/// ones pale, the lag solid), and the log end offset.
fn topic_rows(sim: &Sim, entity: &Entity, (x, y): (f64, f64)) -> (Html, String) {
    let broker = sim.broker();
    let topic = &broker.topics[entity.index];
    let group = topic.groups.first().and_then(|&g| broker.groups.get(g));
    let consumer_name = |c: usize| broker.consumers.get(c).map_or("?", |c| sim.entity_name(c.entity));
    let mut described = Vec::new();
    let rows = topic.partitions.iter().enumerate().take(PARTITION_ROWS_MAX).map(|(p, partition)| {
        let end = partition.log.len() as u64;
        let copied = partition.high_watermark.min(end);
        let committed = group.and_then(|g| g.committed.get(p).copied().flatten()).unwrap_or(0).min(end);
        let owner = group.and_then(|g| g.owners.get(p).copied().flatten());
        let lag = end - committed;
        let ry = y + 40.0 + p as f64 * PARTITION_ROW;
        let first = end.saturating_sub(RECORDS_DRAWN);
        let uncopied = if end > copied {
            crate::tr!("topic-uncopied", count = end - copied)
        } else {
            String::new()
        };
        // Transactions: records of open ones (read-committed readers wait at the first).
        let open = partition.open_records();
        let transactional = if open > 0 {
            crate::tr!("topic-open", open = open, stable = partition.last_stable_offset())
        } else {
            String::new()
        };
        let tip = crate::tr!(
            "topic-partition-tip",
            p = p,
            end = end,
            committed = committed,
            lag = lag,
            uncopied = uncopied,
            open = transactional,
            owner = owner.map_or(crate::tr!("topic-no-owner"), |c| crate::tr!(
                "topic-owner",
                name = consumer_name(c).to_string()
            ))
        );
        let stable = partition.last_stable_offset();
        let cell = |offset: u64| {
            let entry = partition.log.get(offset as usize);
            if entry.is_some_and(|e| broker.aborted(e.transaction)) {
                "cell aborted"
            } else if offset >= copied {
                "cell uncopied"
            } else if offset >= stable && entry.is_some_and(|e| broker.open(e.transaction)) {
                "cell open"
            } else if offset < committed {
                "cell consumed"
            } else {
                "cell ready"
            }
        };
        described.push(crate::tr!("topic-described", p = p, end = end, lag = lag));
        html! {
            <g class="partition">
                <title>{ tip }</title>
                <text class="stats" x={(x + 8.0).to_string()} y={(ry + 11.0).to_string()}>{ format!("p{p}") }</text>
                if let Some(c) = owner {
                    <circle class={format!("owner owner-{}", c % OWNER_COLOURS)} cx={(x + 36.0).to_string()} cy={(ry + 7.0).to_string()} r="4.5" />
                } else {
                    <circle class="owner none" cx={(x + 36.0).to_string()} cy={(ry + 7.0).to_string()} r="4.5" />
                }
                { for (first..end).enumerate().map(|(i, offset)| html! {
                    <rect class={cell(offset)}
                        x={(x + 46.0 + i as f64 * 9.0).to_string()} y={(ry + 2.0).to_string()} width="7" height="10" rx="1.5" />
                }) }
                <text class="stats offset" x={(x + NODE_WIDTH - 8.0).to_string()} y={(ry + 11.0).to_string()} text-anchor="end">{ compact(end) }</text>
            </g>
        }
    });
    let rows: Vec<Html> = rows.collect();
    let more = topic.partitions.len().saturating_sub(PARTITION_ROWS_MAX);
    let shown_rows = topic.partitions.len().min(PARTITION_ROWS_MAX) + usize::from(more > 0);
    let extra = (more > 0).then(|| {
        let ry = y + 40.0 + PARTITION_ROWS_MAX as f64 * PARTITION_ROW;
        text_line(x + 8.0, ry + 11.0, crate::tr!("topic-more", more = more))
    });
    // Replicas: how many, and the records only the leader has so far (readable once copied).
    let replicas = (topic.replicas > 1).then(|| {
        let uncopied: u64 = topic
            .partitions
            .iter()
            .map(|p| (p.log.len() as u64).saturating_sub(p.high_watermark))
            .sum();
        let ry = y + 40.0 + shown_rows as f64 * PARTITION_ROW + 12.0;
        described.push(crate::tr!(
            "topic-replicas-spoken",
            replicas = topic.replicas,
            uncopied = uncopied,
            failovers = topic.failovers,
            truncated = topic.truncated
        ));
        // Red only when a removed record was one its producer had been told was written.
        let lost: usize = broker
            .producers
            .iter()
            .filter(|p| p.target == eda_sim::patterns::broker::Target::Topic(entity.index))
            .map(|p| p.lost_ids.len())
            .sum();
        let failovers = match (topic.failovers, topic.truncated) {
            (0, _) => crate::tr!("topic-failovers-none"),
            (n, 0) => plural("topic-failovers", n),
            (n, cut) => crate::tr!(
                "topic-failovers-removed",
                failovers = plural("topic-failovers", n),
                removed = compact(cut)
            ),
        };
        html! {
            <>
                { text_line(x + 8.0, ry, crate::tr!("topic-replicas", replicas = topic.replicas, uncopied = uncopied)) }
                { classed_line(if lost > 0 { "stats anomaly" } else { "stats" }, x + 8.0, ry + 14.0, failovers) }
            </>
        }
    });
    (
        html! { <>{ for rows }{ for extra }{ for replicas }</> },
        described.join(", "),
    )
}
