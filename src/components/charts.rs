//! Charts over simulated time, synced to the cursor: throughput, response-time percentiles,
//! queue depths and consumer lag, drawn from the timeline's samples of the furthest run, with a
//! line at the cursor and each series' value there.

use eda_sim::view::timeline::Sample;
use eda_sim::SimTime;
use litemap::LiteMap;
use yew::prelude::*;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 120.0;
const COLOURS: [&str; 6] = ["#2f6fde", "#d9822b", "#2e9e5b", "#c0392b", "#8e44ad", "#7f8c8d"];

/// One line of a chart: its name and (time, value) points.
struct Series {
    name: String,
    points: Vec<(SimTime, f64)>,
    /// The colour's place in [`COLOURS`].
    colour: usize,
    /// Variant B of a comparison: dashed, in the colour of the same series of A.
    dashed: bool,
}

/// Series of counters as they are (gauges: depth, lag, percentiles). With `by_counter`, each
/// counter of an entity is its own series (p50, p95, p99); otherwise one series per entity.
fn gauges(samples: &[Sample], counters: &[&str], by_counter: bool) -> Vec<Series> {
    let mut by_name: LiteMap<String, Vec<(SimTime, f64)>> = LiteMap::new_vec();
    for s in samples {
        for (entity, counter, value) in &s.values {
            if counters.contains(counter) {
                let name = if by_counter {
                    format!("{entity} {}", counter.rsplit('_').next().unwrap_or(counter))
                } else {
                    entity.clone()
                };
                by_name.entry(name).or_default().push((s.time, *value));
            }
        }
    }
    by_name
        .into_iter()
        .enumerate()
        .map(|(colour, (name, points))| Series {
            name,
            points,
            colour,
            dashed: false,
        })
        .collect()
}

/// Series of a counter's rate per second between samples (throughput).
fn rates(samples: &[Sample], counters: &[&str]) -> Vec<Series> {
    gauges(samples, counters, false)
        .into_iter()
        .map(|s| Series {
            name: s.name,
            colour: s.colour,
            dashed: false,
            points: s
                .points
                .windows(2)
                .map(|w| {
                    let seconds = (w[1].0 .0 - w[0].0 .0) as f64 / 1e6;
                    (
                        w[1].0,
                        if seconds > 0.0 {
                            (w[1].1 - w[0].1) / seconds
                        } else {
                            0.0
                        },
                    )
                })
                .collect(),
        })
        .filter(|s| !s.points.is_empty())
        .collect()
}

fn chart(title: &str, unit: &str, series: Vec<Series>, end: SimTime, cursor: SimTime) -> Html {
    if series.is_empty() {
        return html! {};
    }
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let span = end.0.max(1) as f64;
    let x = |t: SimTime| (t.0 as f64 / span * WIDTH).min(WIDTH);
    let y = |v: f64| HEIGHT - v / max * (HEIGHT - 6.0);
    let at_cursor: Vec<String> = series
        .iter()
        .map(|s| {
            let value = s
                .points
                .iter()
                .rev()
                .find(|p| p.0 <= cursor)
                .map(|p| p.1)
                .unwrap_or(0.0);
            format!("{} {:.1}", s.name, value)
        })
        .collect();
    html! {
        <figure class="chart" role="group" aria-label={crate::tr!("chart", title = title.to_string())}>
            <figcaption><strong>{ format!("{title} ({unit})") }</strong>{ " " }{ crate::tr!("chart-at-cursor", values = at_cursor.join(", ")) }</figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} preserveAspectRatio="none" aria-hidden="true">
                <line class="axis" x1="0" y1={HEIGHT.to_string()} x2={WIDTH.to_string()} y2={HEIGHT.to_string()} />
                { for series.iter().map(|s| html! {
                    <polyline fill="none" stroke={COLOURS[s.colour % COLOURS.len()]} stroke-width="1.5" vector-effect="non-scaling-stroke"
                        stroke-dasharray={s.dashed.then_some("5 3")}
                        points={s.points.iter().map(|p| format!("{:.1},{:.1}", x(p.0), y(p.1))).collect::<Vec<_>>().join(" ")} />
                }) }
                <line class="cursor-line" x1={x(cursor).to_string()} y1="0" x2={x(cursor).to_string()} y2={HEIGHT.to_string()} />
            </svg>
            <div class="chart-scale"><span>{ "0" }</span><span>{ crate::tr!("chart-max", max = format!("{max:.1}"), unit = unit.to_string()) }</span><span>{ end.to_string() }</span></div>
            <ul class="chart-legend">
                { for series.iter().map(|s| html! {
                    <li><span class={if s.dashed { "swatch dashed" } else { "swatch" }} style={format!("background: {}", COLOURS[s.colour % COLOURS.len()])}></span>{ &s.name }</li>
                }) }
            </ul>
        </figure>
    }
}

/// A's series and B's over them: each named for its variant, B's dashed in the colour of A's
/// series of the same name.
fn overlaid(a: Vec<Series>, b: Vec<Series>) -> Vec<Series> {
    let mut out: Vec<Series> = Vec::with_capacity(a.len() + b.len());
    let colours = a.len();
    for s in &a {
        out.push(Series {
            name: format!("{} (A)", s.name),
            points: s.points.clone(),
            colour: s.colour,
            dashed: false,
        });
    }
    for (i, s) in b.into_iter().enumerate() {
        let colour = a.iter().find(|x| x.name == s.name).map_or(colours + i, |x| x.colour);
        out.push(Series {
            name: format!("{} (B)", s.name),
            points: s.points,
            colour,
            dashed: true,
        });
    }
    out
}

#[component]
pub fn Charts() -> Html {
    let props = &crate::shared::use_panels();
    let model = props.state.model.borrow();
    let samples = model.timeline.samples();
    if samples.len() < 2 {
        return html! {};
    }
    let cursor = model.sim().now();
    let end = samples
        .last()
        .map(|s| s.time)
        .unwrap_or(SimTime::ZERO)
        .max(model.timeline.frontier_time())
        .max(cursor);
    // In a comparison, the time axis spans both runs.
    let end = model
        .comparison
        .as_ref()
        .map_or(end, |c| end.max(c.other.borrow().timeline.frontier_time()));
    let (fold, folded) = super::fold_button(&props.dispatch, &model, "charts", &crate::tr!("charts"));
    // In a comparison, the other variant's lines are drawn over these, dashed.
    let other = model.comparison.as_ref().map(|c| (c.other.borrow(), c.editing_b));
    let both = |make: &dyn Fn(&[Sample]) -> Vec<Series>| match &other {
        None => make(samples),
        Some((other, editing_b)) => {
            let (mine, theirs) = (make(samples), make(other.timeline.samples()));
            let (a, b) = if *editing_b { (theirs, mine) } else { (mine, theirs) };
            overlaid(a, b)
        }
    };
    html! {
        <section class={if folded { "charts-panel collapsed" } else { "charts-panel" }} aria-labelledby="charts-heading">
            <h2 id="charts-heading">{ crate::tr!("charts") }</h2>
            { fold }
            <div class="charts">
                { chart(&crate::tr!("chart-throughput"), &crate::tr!("unit-per-s"), both(&|s| rates(s, &["completed", "handled"])), end, cursor) }
                { chart(&crate::tr!("chart-response-time"), &crate::tr!("unit-ms"), both(&|s| gauges(s, &["response_ms_p50", "response_ms_p95", "response_ms_p99"], true)), end, cursor) }
                { chart(&crate::tr!("chart-queue-depth"), &crate::tr!("unit-messages"), both(&|s| gauges(s, &["queued", "ready"], false)), end, cursor) }
                { chart(&crate::tr!("chart-consumer-lag"), &crate::tr!("unit-records"), both(&|s| gauges(s, &["lag_total"], false)), end, cursor) }
            </div>
        </section>
    }
}
