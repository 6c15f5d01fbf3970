//! The simulation's only source of randomness: one seeded, portable generator and the
//! distributions scenarios use for delays, service times and arrival gaps.
//!
//! Algorithm: xoshiro256++ (Blackman & Vigna), seeded from the scenario's `u64` seed by
//! SplitMix64, as `rand_xoshiro` documents for `seed_from_u64`. Both are defined on 64-bit
//! integers only, so native and wasm32 builds produce the same sequence. Floating-point
//! transforms use the `libm` crate (a pure-Rust port of musl's libm), never the platform's
//! math library, so `ln` gives bit-identical results everywhere.

use crate::time::SimDuration;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

/// A deterministic pseudo-random generator owned by one simulation.
#[derive(Clone, Debug)]
pub struct SimRng {
    inner: Xoshiro256PlusPlus,
}

impl SimRng {
    pub fn new(seed: u64) -> Self {
        SimRng {
            inner: Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// A uniform value in `[0, 1)` with 53 bits of precision.
    pub fn next_unit_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `[0, bound)`; `bound` must be non-zero.
    /// Uses the widening-multiply method, which needs no division and is deterministic.
    pub fn below(&mut self, bound: u64) -> u64 {
        debug_assert!(bound > 0);
        ((self.next_u64() as u128 * bound as u128) >> 64) as u64
    }

    /// A uniform integer in `[low, high]` (inclusive).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        match (high - low).checked_add(1) {
            Some(span) => low + self.below(span),
            None => self.next_u64(),
        }
    }
}

/// How long something takes, as a probability distribution over durations.
///
/// In scenario JSON: `{"constant": "5ms"}`, `{"uniform": {"min": "1ms", "max": "3ms"}}`,
/// `{"exponential": {"mean": "10ms"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Distribution {
    /// Always exactly this long.
    Constant(SimDuration),
    /// Any whole microsecond between `min` and `max`, inclusive, equally likely.
    Uniform { min: SimDuration, max: SimDuration },
    /// Memoryless with this mean: gaps between Poisson arrivals, M/M/c service times.
    Exponential { mean: SimDuration },
}

impl Distribution {
    pub fn constant(span: SimDuration) -> Self {
        Distribution::Constant(span)
    }

    /// The distribution's mean, in microseconds.
    pub fn mean_us(&self) -> f64 {
        match *self {
            Distribution::Constant(d) => d.0 as f64,
            Distribution::Uniform { min, max } => (min.0 as f64 + max.0 as f64) / 2.0,
            Distribution::Exponential { mean } => mean.0 as f64,
        }
    }

    /// The largest value this distribution can produce, if bounded.
    pub fn max(&self) -> Option<SimDuration> {
        match *self {
            Distribution::Constant(d) => Some(d),
            Distribution::Uniform { max, .. } => Some(max),
            Distribution::Exponential { .. } => None,
        }
    }

    /// True when every sample is zero (such a gap would repeat forever at one instant).
    pub fn is_always_zero(&self) -> bool {
        self.max() == Some(SimDuration::ZERO) || matches!(self, Distribution::Exponential { mean } if mean.0 == 0)
    }

    /// Draws one duration. Exponential samples are `-mean·ln(1-u)` rounded to the nearest
    /// microsecond and capped at 1,000 × the mean so a single draw cannot stall a run.
    pub fn sample(&self, rng: &mut SimRng) -> SimDuration {
        match *self {
            Distribution::Constant(d) => d,
            Distribution::Uniform { min, max } => SimDuration(rng.between(min.0, max.0.max(min.0))),
            Distribution::Exponential { mean } => {
                let u = rng.next_unit_f64();
                let draw = -(mean.0 as f64) * libm::log(1.0 - u);
                let cap = mean.0 as f64 * 1_000.0;
                SimDuration(libm::floor(draw.min(cap) + 0.5) as u64)
            }
        }
    }
}

impl std::fmt::Display for Distribution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Distribution::Constant(d) => write!(f, "{d}"),
            Distribution::Uniform { min, max } => write!(f, "uniform {min}–{max}"),
            Distribution::Exponential { mean } => write!(f, "exponential, mean {mean}"),
        }
    }
}
