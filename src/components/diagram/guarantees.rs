//! The figures of a node that say what a delivery guarantee allowed: a queue consumer's (its
//! guarantee, its link, what it lost, processed twice or caught, and the total it counted
//! against what its queue accepted or its topic's producers count as written) and a topic producer's (acks, retries, idempotence, what
//! was confirmed, retried, discarded and lost), and an order service's way of writing and
//! publishing (lost, invented or repeated events). Each comes as lines for the node and words
//! for its accessible name.

use super::node::{compact, width, LINE_CHARS_MAX};
use crate::i18n::core_words as words;
use eda_sim::patterns::broker::{Consumer, Producer};
use eda_sim::patterns::request_reply::{EventWrite, Service};

/// An amount as people write money: `12,200`, `1,070.5`.
pub(super) fn amount(x: f64) -> String {
    let in_cents = (x.abs() * 100.0).round() as u64;
    let (whole, cents) = (in_cents / 100, in_cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(d);
    }
    let sign = if x < 0.0 { "−" } else { "" };
    if cents == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{cents:02}")
    }
}

/// What a queue consumer's guarantee allowed, a line each with its class: the guarantee, its
/// link's faults, what it handled and lost, the repeats it processed or caught, and the total it
/// counted. Returns the same in words for its accessible name.
pub(super) fn delivery_lines(
    c: &Consumer,
    (expected_total, sole_summer, sum_lost): (Option<f64>, bool, f64),
    isolation_shown: bool,
    lines: &mut Vec<String>,
    classes: &mut Vec<&'static str>,
) -> Vec<String> {
    let mut spoken = vec![];
    use eda_sim::patterns::broker::Guarantee;
    let trouble = |bad: bool| if bad { "stats anomaly" } else { "stats" };
    lines.push(crate::tr!(match c.guarantee {
        Guarantee::AtMostOnce => "delivery-at-most-once",
        Guarantee::AtLeastOnce => "delivery-at-least-once",
        Guarantee::Idempotent => "delivery-exactly-once",
        Guarantee::Transactional => "delivery-exactly-once-txn",
    }));
    classes.push("stats guarantee");
    spoken.push(crate::tr!("delivery-spoken", guarantee = words::guarantee(c.guarantee)));
    if !c.link.is_perfect() {
        spoken.push(crate::tr!("delivery-link-spoken", link = words::link_faults(&c.link)));
        // The link's losses and copies in short; the rest (delay, reordering) on the link.
        let mut parts = vec![];
        if c.link.loss_percent > 0 {
            parts.push(crate::tr!("delivery-link-lost", percent = c.link.loss_percent));
        }
        if c.link.duplicate_percent > 0 {
            parts.push(crate::tr!("delivery-link-twice", percent = c.link.duplicate_percent));
        }
        if parts.is_empty() {
            parts.push(crate::tr!("delivery-link-delays"));
        }
        lines.push(crate::tr!("delivery-link", parts = parts.join(", ")));
        classes.push("stats");
    }
    lines.push(crate::tr!(
        "delivery-handled",
        handled = compact(c.handled),
        lost = compact(c.lost)
    ));
    classes.push(trouble(c.lost > 0));
    spoken.push(crate::tr!(
        "delivery-handled-spoken",
        handled = c.handled,
        lost = c.lost
    ));
    // A read-committed member also says how many aborted records it passed over.
    let skips = isolation_shown && c.isolation == eda_sim::patterns::broker::Isolation::ReadCommitted;
    lines.push(match c.guarantee {
        Guarantee::Idempotent => crate::tr!(
            "delivery-deduped",
            twice = compact(c.duplicates),
            deduped = compact(c.deduplicated)
        ),
        _ if skips => crate::tr!(
            "delivery-skipped",
            twice = compact(c.duplicates),
            skipped = compact(c.aborted_skipped)
        ),
        _ => crate::tr!("delivery-twice", twice = compact(c.duplicates)),
    });
    classes.push(trouble(c.duplicates > 0));
    spoken.push(match c.guarantee {
        Guarantee::Idempotent => crate::tr!(
            "delivery-deduped-spoken",
            twice = c.duplicates,
            deduped = c.deduplicated
        ),
        _ => crate::tr!("delivery-twice", twice = c.duplicates),
    });
    spoken.extend(transaction_lines(c, isolation_shown, lines, classes));
    if c.sum_field.is_some() {
        // The total it counted beside what its queue accepted (when it is the queue's only
        // summing consumer), and what makes up the difference: repeats, losses, and what is
        // still on its way, so that the figures add up at any moment.
        let expected = expected_total.filter(|_| sole_summer);
        lines.push(match expected {
            Some(e) => crate::tr!("delivery-sum-of", sum = amount(c.sum), expected = amount(e)),
            None => format!("Σ {}", amount(c.sum)),
        });
        classes.push("stats guarantee");
        let in_flight = expected.map_or(0.0, |e| (e - (c.sum - c.sum_repeated) - sum_lost).max(0.0));
        let group = matches!(c.role, eda_sim::patterns::broker::Role::Group(_));
        let pending = (in_flight >= 0.005).then(|| crate::tr!("delivery-in-flight", amount = amount(in_flight)));
        let mut parts = vec![];
        if sum_lost > 0.0 {
            parts.push(crate::tr!("delivery-sum-lost", amount = amount(sum_lost)));
        }
        if c.sum_repeated > 0.0 {
            parts.push(crate::tr!("delivery-sum-twice", amount = amount(c.sum_repeated)));
        }
        let clean = parts.is_empty();
        if clean {
            parts.push(crate::tr!("delivery-sum-clean"));
        }
        let mut line = parts.join(" · ");
        // A group member has a line more: losses and repeats each get one when both do not fit.
        let mut second = None;
        if group && width(&line) > LINE_CHARS_MAX && parts.len() == 2 {
            line = parts[0].clone();
            second = Some(parts[1].clone());
        }
        if let Some(p) = &pending {
            let last = second.as_mut().unwrap_or(&mut line);
            let longer = if clean {
                crate::tr!("delivery-sum-so-far", pending = p.clone())
            } else {
                format!("{last} · {p}")
            };
            if width(&longer) <= LINE_CHARS_MAX {
                *last = longer;
            }
        }
        let class = if clean { "stats exact" } else { "stats anomaly" };
        for line in std::iter::once(line).chain(second) {
            lines.push(line);
            classes.push(class);
        }
        let message = match (expected, group) {
            (None, _) => "delivery-sum-spoken",
            (Some(_), true) => "delivery-sum-spoken-written",
            (Some(_), false) => "delivery-sum-spoken-accepted",
        };
        let total = crate::tr!(
            message,
            sum = amount(c.sum),
            expected = expected.map(amount).unwrap_or_default(),
            twice = amount(c.sum_repeated),
            lost = amount(sum_lost)
        );
        spoken.push(match pending {
            Some(p) => format!("{total}, {p}"),
            None => total,
        });
    }
    spoken
}

/// What a producer's settings allowed (acks or confirms, retries, idempotence), as
/// [`delivery_lines`] does for consumers.
pub(super) fn producer_lines(p: &Producer, lines: &mut Vec<String>, classes: &mut Vec<&'static str>) -> Vec<String> {
    let trouble = |bad: bool| if bad { "stats anomaly" } else { "stats" };
    // A queue's producer waits for publisher confirms (or for nothing, with acks none).
    let to_queue = !matches!(p.target, eda_sim::patterns::broker::Target::Topic(_));
    let mut settings = vec![if p.idempotent {
        crate::tr!("producer-idempotent")
    } else if to_queue && p.acks != eda_sim::patterns::broker::Acks::None {
        crate::tr!("producer-confirms")
    } else {
        words::acks_short(p.acks)
    }];
    if p.retries > 0 {
        settings.push(crate::tr!("producer-retries", retries = p.retries));
    }
    lines.push(settings.join(" · "));
    classes.push("stats guarantee");
    let mut spoken = vec![crate::tr!(
        if p.idempotent {
            "producer-settings-idempotent-spoken"
        } else {
            "producer-settings-spoken"
        },
        acks = words::acks(p.acks),
        retries = p.retries
    )];
    if !p.link.is_perfect() {
        spoken.push(crate::tr!("delivery-link-spoken", link = words::link_faults(&p.link)));
    }
    lines.push(crate::tr!(
        "producer-acked",
        confirmed = compact(p.confirmed),
        sent = compact(p.sent)
    ));
    classes.push("stats");
    let lost = p.lost_ids.len() as u64;
    lines.push(crate::tr!(
        "producer-retried",
        retried = compact(p.retried),
        lost = compact(lost)
    ));
    classes.push(trouble(lost > 0));
    spoken.push(crate::tr!(
        "producer-sent-spoken",
        sent = p.sent,
        confirmed = p.confirmed,
        retried = p.retried,
        lost = lost
    ));
    if p.idempotent {
        lines.push(crate::tr!("producer-discarded", discarded = compact(p.discarded)));
        classes.push("stats exact");
        spoken.push(crate::tr!("producer-discarded-spoken", discarded = p.discarded));
    } else if p.gave_up > 0 {
        lines.push(crate::tr!("producer-gave-up", count = compact(p.gave_up)));
        classes.push("stats anomaly");
    }
    if p.gave_up > 0 {
        spoken.push(crate::tr!("producer-gave-up", count = p.gave_up));
    }
    spoken
}

/// How an order service's write and its events went together, unless atomically: the way, and
/// what it allowed (lost, invented or repeated events). Returns the same in words.
pub(super) fn event_write_lines(
    s: &Service,
    lines: &mut Vec<String>,
    classes: &mut Vec<&'static str>,
) -> Option<String> {
    if s.event_write.is_atomic() {
        return None;
    }
    let e = &s.events;
    let pending = e.pending();
    // What is on its way changes every moment: the accessible name says it, the node does not.
    lines.push(words::event_write(&s.event_write));
    classes.push("stats guarantee");
    let (what, n, bad) = match s.event_write {
        EventWrite::DualWrite { .. } => ("writes-lost", e.lost, e.lost > 0),
        EventWrite::PublishFirst { .. } => ("writes-invented", e.invented, e.invented > 0),
        _ => ("writes-twice", e.repeated, false),
    };
    // What the database has, against what became of its events.
    lines.push(crate::tr!(
        "writes-db",
        written = compact(e.written),
        count = compact(n),
        what = crate::tr!(what)
    ));
    classes.push(if bad { "stats anomaly" } else { "stats" });
    Some(crate::tr!(
        "writes-spoken",
        way = words::event_write(&s.event_write),
        written = e.written,
        published = e.published,
        lost = e.lost,
        invented = e.invented,
        repeated = e.repeated,
        pending = pending
    ))
}

/// A group member's transactions (committed, aborted) if it is transactional, and which records
/// it reads when that matters (it reads committed only, or its topic has transactional writers).
fn transaction_lines(
    c: &Consumer,
    isolation_shown: bool,
    lines: &mut Vec<String>,
    classes: &mut Vec<&'static str>,
) -> Vec<String> {
    use eda_sim::patterns::broker::{Guarantee, Isolation};
    let mut spoken = vec![];
    if c.guarantee == Guarantee::Transactional {
        let o = &c.output;
        lines.push(crate::tr!(
            "delivery-txns",
            committed = compact(o.committed),
            aborted = compact(o.aborted)
        ));
        classes.push("stats");
        spoken.push(crate::tr!(
            if o.open.is_some() {
                "delivery-txns-open-spoken"
            } else {
                "delivery-txns-spoken"
            },
            committed = o.committed,
            aborted = o.aborted
        ));
    }
    if isolation_shown {
        match c.isolation {
            Isolation::ReadCommitted => {
                lines.push(words::isolation(Isolation::ReadCommitted));
                classes.push("stats exact");
                spoken.push(crate::tr!(
                    "delivery-read-committed-spoken",
                    skipped = c.aborted_skipped
                ));
            }
            Isolation::ReadUncommitted => {
                lines.push(words::isolation(Isolation::ReadUncommitted));
                classes.push("stats anomaly");
                spoken.push(crate::tr!("delivery-read-uncommitted-spoken"));
            }
        }
    }
    spoken
}

#[cfg(test)]
mod tests {
    use super::amount;

    #[test]
    fn amounts_are_grouped_by_thousands_with_cents_only_when_there_are_some() {
        assert_eq!(amount(0.0), "0");
        assert_eq!(amount(999.0), "999");
        assert_eq!(amount(12_200.0), "12,200");
        assert_eq!(amount(1_070.5), "1,070.50");
        assert_eq!(amount(1_234_567.25), "1,234,567.25");
        assert_eq!(amount(-35.0), "−35");
        assert_eq!(amount(1.999), "2");
    }
}
