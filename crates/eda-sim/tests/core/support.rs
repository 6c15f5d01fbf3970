//! Small builders shared by the specification tests.

use eda_sim::patterns::event_bus::BusRecord;
use eda_sim::scenario::{BusSpec, EmitSpec, EventTypeSpec, ListenerSpec, ScriptEntry, SourceSpec};
use eda_sim::{Command, Distribution, Scenario, SimDuration, TraceKind, TraceRecord};

/// The instant `n` milliseconds into a run.
pub fn at_ms(n: u64) -> eda_sim::SimTime {
    eda_sim::SimTime(n * 1_000)
}

/// Runs a command now; a test fails at once, naming it, if the simulator refuses it.
pub fn when(sim: &mut eda_sim::Sim, command: Command) {
    sim.apply(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
}

pub fn ms(n: u64) -> SimDuration {
    SimDuration::from_millis(n)
}

pub fn constant(d: SimDuration) -> Distribution {
    Distribution::Constant(d)
}

/// The order hierarchy with one bus `bus` (dispatch `delay`) and one source `orders`.
pub fn order_world(delay: SimDuration) -> Scenario {
    let mut s = Scenario::empty(7);
    s.event_bus.event_types = vec![
        EventTypeSpec {
            name: "OrderStateChanged".into(),
            parent: None,
        },
        EventTypeSpec {
            name: "OrderCreated".into(),
            parent: Some("OrderStateChanged".into()),
        },
        EventTypeSpec {
            name: "OrderPaid".into(),
            parent: Some("OrderStateChanged".into()),
        },
        EventTypeSpec {
            name: "OrderShipped".into(),
            parent: Some("OrderStateChanged".into()),
        },
    ];
    s.event_bus.buses = vec![BusSpec {
        id: "bus".into(),
        dispatch_delay: constant(delay),
    }];
    s.event_bus.sources = vec![SourceSpec {
        id: "orders".into(),
        bus: "bus".into(),
        emits: vec![],
    }];
    s
}

pub fn listener(s: &mut Scenario, id: &str, subscriptions: &[&str], processing: SimDuration) {
    s.event_bus.listeners.push(ListenerSpec {
        id: id.into(),
        bus: "bus".into(),
        subscriptions: subscriptions.iter().map(|t| t.to_string()).collect(),
        processing_time: constant(processing),
        link: Default::default(),
    });
}

pub fn publish_at(s: &mut Scenario, at: SimDuration, event_type: &str) {
    s.script.push(ScriptEntry {
        at,
        command: Command::Publish {
            source: "orders".into(),
            event_type: event_type.into(),
        },
    });
}

pub fn script(s: &mut Scenario, at: SimDuration, command: Command) {
    s.script.push(ScriptEntry { at, command });
}

pub fn emitter(s: &mut Scenario, event_type: &str, every: Distribution, count: Option<u64>) {
    s.event_bus.sources[0].emits.push(EmitSpec {
        event_type: event_type.into(),
        every,
        start: None,
        count,
    });
}

/// Records of one kind (by its log verb) that involve the entity named `who`.
pub fn records<'a>(sim: &'a eda_sim::Sim, verb: &str, who: &str) -> Vec<&'a TraceRecord> {
    sim.trace()
        .records()
        .iter()
        .filter(|r| r.kind.verb() == verb)
        .filter(|r| {
            let (from, to) = r.kind.endpoints();
            sim.entity_name(from) == who || to.map(|t| sim.entity_name(t) == who).unwrap_or(false)
        })
        .collect()
}

/// The event-type names of the records, in order.
pub fn type_names(sim: &eda_sim::Sim, records: &[&TraceRecord]) -> Vec<String> {
    records
        .iter()
        .map(|r| match &r.kind {
            TraceKind::Bus(b) => sim.event_bus().types.name(b.event_type()).to_string(),
            other => panic!("not a bus record: {other:?}"),
        })
        .collect()
}

pub fn is_delivered(kind: &TraceKind) -> bool {
    matches!(kind, TraceKind::Bus(BusRecord::Delivered { .. }))
}

/// The named number in an entity's report now (a counter, a gauge); a test fails at once,
/// naming both, if the entity or the number does not exist.
pub fn number(sim: &eda_sim::Sim, entity: &str, name: &str) -> f64 {
    sim.report()
        .entity(entity)
        .and_then(|e| e.number(name))
        .unwrap_or_else(|| panic!("no {name} for {entity}"))
}

/// How many broker records in the trace `what` picks.
pub fn count(sim: &eda_sim::Sim, what: impl Fn(&eda_sim::patterns::broker::BrokerRecord) -> bool) -> usize {
    sim.trace()
        .records()
        .iter()
        .filter(|r| matches!(&r.kind, TraceKind::Broker(b) if what(b)))
        .count()
}

/// An entity's report as JSON text (to look for words in it).
pub fn report_text(sim: &eda_sim::Sim, entity: &str) -> String {
    let report = sim.report();
    let e = report.entity(entity).unwrap_or_else(|| panic!("no {entity}"));
    serde_json::to_string(&e.counters).unwrap()
}
