//! Built-in scenarios, embedded at compile time from `static/scenarios/` and `docs/examples/`,
//! so the UI, the tests and the CLI run exactly the same inputs.

/// The seed's Java example: order state changes published on an event bus, an SMS listener.
pub const ORDER_EVENTS_SMS: &str = include_str!("../../../../static/scenarios/order-events-sms.json");

/// One built-in scenario: a stable id, its pattern, and its JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub id: &'static str,
    pub pattern: &'static str,
    /// Shown in the gallery.
    pub title: &'static str,
    /// Two lines for the gallery: what it shows and what to look at.
    pub summary: &'static str,
    pub json: &'static str,
}

/// Every built-in scenario, in the order the UI offers them.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "order-events-sms",
        pattern: "Event bus",
        title: "Order events → SMS",
        summary: "OrderCreated, OrderPaid and OrderShipped are published one second apart on an event bus. An SMS listener subscribed to their parent type OrderStateChanged receives all three.",
        json: ORDER_EVENTS_SMS,
    },
    Preset {
        id: "topics",
        pattern: "Broker: topics",
        title: "Order status over a broker",
        summary: "Order status changes go to topic order-topic; group order-system-group reads from the earliest offset and texts when an order is paid (status 1). A member crashes and the other takes over its partitions.",
        json: include_str!("../../../../docs/examples/topics.json"),
    },
    Preset {
        id: "queues",
        pattern: "Broker: queues",
        title: "Work queue with a dead-letter queue",
        summary: "A topic exchange routes jobs to a queue shared by two workers; failed jobs are retried three times, then parked. One worker crashes and its unacknowledged jobs go to the other.",
        json: include_str!("../../../../docs/examples/queues.json"),
    },
    Preset {
        id: "delivery-guarantees",
        pattern: "Broker: guarantees",
        title: "At-most, at-least and exactly once",
        summary: "The same orders reach three billing consumers over links that lose, double and reorder, and all three crash at 10 s. Watch each total against what its queue accepted: at-most-once comes up short, at-least-once counts some orders twice, the idempotent consumer is exact.",
        json: include_str!("../../../../docs/examples/delivery-guarantees.json"),
    },
    Preset {
        id: "producer-acks",
        pattern: "Broker: guarantees",
        title: "Producer acks and leader failover",
        summary: "Three producers send the same orders to replicated topics over a lossy link, and the partition leaders fail over three times. acks leader loses acknowledged orders, acks all with retries writes some twice, the idempotent producer is exact: watch each reader's total against what was written.",
        json: include_str!("../../../../docs/examples/producer-acks.json"),
    },
    Preset {
        id: "dual-write-outbox",
        pattern: "Broker: guarantees",
        title: "Dual write against the outbox",
        summary: "Three order services crash at the worst moment. Writing, then publishing loses events; publishing, then writing invents them; the transactional outbox loses none and publishes some twice, which an idempotent consumer keyed on the event id catches. Compare each service's written orders with what billing handled.",
        json: include_str!("../../../../docs/examples/dual-write-outbox.json"),
    },
    Preset {
        id: "exactly-once-transactions",
        pattern: "Broker: guarantees",
        title: "Exactly once with transactions",
        summary: "Two stream processors copy payments to a ledger topic and both crash twice. The at-least-once one writes some payments again; the transactional one aborts and writes them again too, but a reader that reads committed records skips the aborted copies. Compare the three auditors' totals.",
        json: include_str!("../../../../docs/examples/exactly-once-transactions.json"),
    },
    Preset {
        id: "network-partition",
        pattern: "Faults: partition",
        title: "A network partition",
        summary: "At 5 s a group member and a payment provider are cut off from everyone else until 12 s, without crashing. The group declares the member dead and rebalances (records processed twice), the registry lets the provider's entry expire (calls fail with Name not found); when the network heals both come back.",
        json: include_str!("../../../../docs/examples/network-partition.json"),
    },
    Preset {
        id: "request-reply",
        pattern: "Request-response",
        title: "Shop checkout",
        summary: "POST /orders returns an order id and a code the user confirms within 30 s. Waves of shoppers arrive until the order service saturates: queues fill, response times climb, 503s appear.",
        json: include_str!("../../../../docs/examples/request-reply.json"),
    },
    Preset {
        id: "service-discovery",
        pattern: "Service discovery",
        title: "Service discovery",
        summary: "Providers foo and bar register echo at a registry; a client finds and calls both, and a lookup of baz fails with \"Name not found\". Then the registry crashes and forgets them.",
        json: include_str!("../../../../static/scenarios/service-discovery.json"),
    },
    Preset {
        id: "event-sourcing",
        pattern: "Event sourcing",
        title: "Event sourcing: a user profile",
        summary: "A user profile is edited over several days as events in a stream, with snapshots and a projection. Replay it to any day to see it as it was, field by field.",
        json: include_str!("../../../../static/scenarios/event-sourcing.json"),
    },
    Preset {
        id: "order-system",
        pattern: "All five together",
        title: "Order system: all five together",
        summary: "Shoppers call an order service; outcomes are appended to an event store that publishes them on a bus, paid orders go to a topic, and payment is found through a registry that crashes.",
        json: include_str!("../../../../docs/examples/order-system.json"),
    },
];

/// Most events of a golden run without a `duration` (the presets end long before).
pub const GOLDEN_RUN_MAX_EVENTS: u64 = 10_000_000;

/// The trace hash of a preset's golden run: to its `duration`, or until nothing is left to
/// happen (as `eda run` does). The tests compare it with `tests/golden/<id>.hash`, natively, in
/// the browser and through the CLI.
pub fn golden_hash(preset: &Preset) -> Result<u64, String> {
    let scenario = crate::Scenario::from_json(preset.json).map_err(|e| e.to_string())?;
    let mut sim =
        crate::Sim::with_retention(&scenario, crate::trace::Retention::HashOnly).map_err(|e| e.to_string())?;
    match scenario.duration {
        Some(until) => sim.run_until(crate::SimTime(until.0)).map(|_| ()),
        None => sim.run_to_end(GOLDEN_RUN_MAX_EVENTS).map(|_| ()),
    }
    .map_err(|e| e.to_string())?;
    Ok(sim.trace_hash())
}

/// The preset with this id.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_preset_loads_and_runs() {
        for p in super::PRESETS {
            let scenario = crate::Scenario::from_json(p.json).unwrap_or_else(|e| panic!("{}: {e}", p.id));
            assert!(!scenario.name.is_empty(), "{} has a name", p.id);
            let mut sim = crate::Sim::new(&scenario).unwrap();
            sim.run_until(crate::SimTime(1_000_000)).unwrap();
            assert!(
                sim.events_processed() > 0 || p.id == "event-sourcing",
                "{} did something",
                p.id
            );
        }
    }
}
