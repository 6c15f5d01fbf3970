//! The simulation's only source of randomness: one seeded, portable generator and the
//! distributions scenarios use for delays, service times and arrival gaps.
//!
//! Algorithm: xoshiro256++ (Blackman & Vigna), seeded from the scenario's `u64` seed by
//! SplitMix64, as `rand_xoshiro` documents for `seed_from_u64`. Both are defined on 64-bit
//! integers only, so native and wasm32 builds produce the same sequence. Exponential draws use
//! Marsaglia and Tsang's ziggurat (256 layers), whose tables are computed once with the `libm`
//! crate (a pure-Rust port of musl's libm), never the platform's math library; every other
//! operation is IEEE-754 arithmetic, which native and wasm32 perform bit for bit alike.

use crate::kernel::time::SimDuration;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::sync::OnceLock;

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

    /// A standard exponential draw (mean 1), by the ziggurat method.
    pub fn standard_exponential(&mut self) -> f64 {
        let z = ziggurat();
        loop {
            let bits = self.next_u64();
            let j = (bits >> 32) as u32;
            let i = (bits & 0xff) as usize;
            let x = j as f64 * z.w[i];
            if j < z.k[i] {
                return x; // inside the layer's rectangle: about 99 % of draws
            }
            if i == 0 {
                // The tail beyond R is itself exponential, shifted by R.
                return ZIGGURAT_R - libm::log(1.0 - self.next_unit_f64());
            }
            if z.f[i] + self.next_unit_f64() * (z.f[i - 1] - z.f[i]) < libm::exp(-x) {
                return x;
            }
        }
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
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

    /// Draws one duration. Exponential samples are a standard exponential draw × the mean,
    /// rounded to the nearest microsecond and capped at 1,000 × the mean so a single draw
    /// cannot stall a run.
    pub fn sample(&self, rng: &mut SimRng) -> SimDuration {
        match *self {
            Distribution::Constant(d) => d,
            Distribution::Uniform { min, max } => SimDuration(rng.between(min.0, max.0.max(min.0))),
            Distribution::Exponential { mean } => {
                let draw = rng.standard_exponential() * mean.0 as f64;
                let cap = mean.0 as f64 * 1_000.0;
                // `as` truncates toward zero, which for this non-negative, finite value is
                // the floor: exact, and the same on every platform.
                SimDuration((draw.min(cap) + 0.5) as u64)
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

/// Where the ziggurat's base layer ends (Marsaglia & Tsang, 256 layers).
const ZIGGURAT_R: f64 = 7.697_117_470_131_05;
/// The area of each layer.
const ZIGGURAT_V: f64 = 3.949_659_822_581_557e-3;

/// Ziggurat tables for the exponential distribution: per layer, the integer threshold `k`
/// below which a draw is accepted at once, the scale `w` from a 32-bit integer to x, and the
/// density `f` at the layer's edge.
struct Ziggurat {
    k: [u32; 256],
    w: [f64; 256],
    f: [f64; 256],
}

fn ziggurat() -> &'static Ziggurat {
    static TABLES: OnceLock<Ziggurat> = OnceLock::new();
    TABLES.get_or_init(|| {
        let scale = 4_294_967_296.0; // 2^32
        let mut z = Ziggurat {
            k: [0; 256],
            w: [0.0; 256],
            f: [0.0; 256],
        };
        let mut d = ZIGGURAT_R;
        let mut t = d;
        let q = ZIGGURAT_V / libm::exp(-d);
        z.k[0] = ((d / q) * scale) as u32;
        z.k[1] = 0;
        z.w[0] = q / scale;
        z.w[255] = d / scale;
        z.f[0] = 1.0;
        z.f[255] = libm::exp(-d);
        for i in (1..=254).rev() {
            d = -libm::log(ZIGGURAT_V / d + libm::exp(-d));
            z.k[i + 1] = ((d / t) * scale) as u32;
            t = d;
            z.f[i] = libm::exp(-d);
            z.w[i] = d / scale;
        }
        z
    })
}
