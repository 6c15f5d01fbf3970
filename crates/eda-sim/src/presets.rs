//! Built-in scenarios, embedded at compile time from `static/scenarios/` and `docs/examples/`,
//! so the UI, the tests and the CLI run exactly the same inputs.

/// The seed's Java example: order state changes published on an event bus, an SMS listener.
pub const ORDER_EVENTS_SMS: &str = include_str!("../../../static/scenarios/order-events-sms.json");

/// One built-in scenario: a stable id, its pattern, and its JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub id: &'static str,
    pub pattern: &'static str,
    pub json: &'static str,
}

/// Every built-in scenario, in the order the UI offers them.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "order-events-sms",
        pattern: "Event bus",
        json: ORDER_EVENTS_SMS,
    },
    Preset {
        id: "topics",
        pattern: "Broker: topics",
        json: include_str!("../../../docs/examples/topics.json"),
    },
    Preset {
        id: "queues",
        pattern: "Broker: queues",
        json: include_str!("../../../docs/examples/queues.json"),
    },
    Preset {
        id: "request-reply",
        pattern: "Request-response",
        json: include_str!("../../../docs/examples/request-reply.json"),
    },
    Preset {
        id: "service-discovery",
        pattern: "Service discovery",
        json: include_str!("../../../static/scenarios/service-discovery.json"),
    },
    Preset {
        id: "event-sourcing",
        pattern: "Event sourcing",
        json: include_str!("../../../static/scenarios/event-sourcing.json"),
    },
    Preset {
        id: "order-system",
        pattern: "All five together",
        json: include_str!("../../../docs/examples/order-system.json"),
    },
];

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
