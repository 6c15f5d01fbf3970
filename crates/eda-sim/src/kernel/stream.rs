//! A stream of arrivals: gaps drawn from a distribution, an optional first instant and an
//! optional count. Request-response clients and broker producers share it.

use crate::kernel::rng::{Distribution, SimRng};
use crate::kernel::time::SimDuration;
use serde::{Deserialize, Serialize};

/// A stream of arrivals (requests, messages): gaps drawn from `every`, an optional first
/// instant and an optional count. Shared by request-response clients and broker producers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamSpec {
    /// The gap between two arrivals (exponential gaps make a Poisson stream).
    pub every: Distribution,
    /// The first arrival's instant; by default one gap after time 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<SimDuration>,
    /// How many arrivals; by default no end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

impl StreamSpec {
    /// When the first arrival happens: at `start`, or one gap after time 0.
    pub fn first_delay(&self, rng: &mut SimRng) -> SimDuration {
        self.start.unwrap_or_else(|| self.every.sample(rng))
    }
}
