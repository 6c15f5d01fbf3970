//! A/B comparison: a scenario and a variant of it run with the same seed, the counters that
//! differ between the two runs at a moment, and the first moment their traces part. Both runs
//! share by one link of their own kind (`ab1.`, see [`link`]).

mod divergence;
mod link;

pub use divergence::{first_divergence, Divergence, FirstDivergence};
pub use link::{
    decode_comparison, encode_comparison, encode_comparison_in, is_comparison_link, ComparisonLink,
    COMPARISON_LINK_PREFIX,
};

use crate::kernel::report::Report;
use crate::scenario::Scenario;
use serde::Serialize;
use serde_json::Value;

/// Variant B of `a` as it starts: the same scenario, named as the variant, with A's seed.
pub fn variant_of(a: &Scenario) -> Scenario {
    let mut b = a.clone();
    b.name = if a.name.is_empty() {
        "Variant B".into()
    } else {
        format!("{} (B)", a.name)
    };
    b
}

/// `b` with `a`'s seed: both runs of a comparison draw the same random numbers.
pub fn same_seed(a: &Scenario, b: &Scenario) -> Scenario {
    let mut b = b.clone();
    b.seed = a.seed;
    b
}

/// One counter whose value differs between the two runs (`None`: that run has no such entity
/// or counter).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CounterDiff {
    pub entity: String,
    pub counter: String,
    pub a: Option<Value>,
    pub b: Option<Value>,
}

impl CounterDiff {
    /// B − A when both are numbers.
    pub fn change(&self) -> Option<f64> {
        Some(self.b.as_ref()?.as_f64()? - self.a.as_ref()?.as_f64()?)
    }
}

/// Every counter that differs between two reports, entity by entity in A's order (then the
/// entities only B has), counters in name order.
pub fn counter_diffs(a: &Report, b: &Report) -> Vec<CounterDiff> {
    let mut out = Vec::new();
    let mut entities: Vec<&str> = a.entities.iter().map(|e| e.name.as_str()).collect();
    entities.extend(
        b.entities
            .iter()
            .map(|e| e.name.as_str())
            .filter(|name| a.entity(name).is_none()),
    );
    for name in entities {
        let (ea, eb) = (a.entity(name), b.entity(name));
        let mut counters: Vec<&String> = ea.iter().chain(eb.iter()).flat_map(|e| e.counters.keys()).collect();
        counters.sort();
        counters.dedup();
        for counter in counters {
            let va = ea.and_then(|e| e.counters.get(counter));
            let vb = eb.and_then(|e| e.counters.get(counter));
            let same = match (va, vb) {
                (Some(x), Some(y)) => match (x.as_f64(), y.as_f64()) {
                    (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
                    _ => x == y,
                },
                (None, None) => true,
                _ => false,
            };
            if !same {
                out.push(CounterDiff {
                    entity: name.to_string(),
                    counter: counter.clone(),
                    a: va.cloned(),
                    b: vb.cloned(),
                });
            }
        }
    }
    out
}
