//! Statistics kept while a run goes: a latency histogram with bounded memory whatever the run
//! length, and busy-time accounting for utilisation.

/// Sub-buckets per power of two: values are kept with a relative error below 1/128 (< 0.8 %).
const SUB_BUCKETS: u64 = 128;

/// A log-linear histogram of durations in microseconds (HdrHistogram-like, fixed precision).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram {
    /// Counts of the buckets from `first_bucket` to the largest bucket seen, every bucket in
    /// between included: recording is one index. Latencies fill most buckets of their range,
    /// so this takes about the memory a sparse map would; the widest range a run can fill
    /// (0 µs to its ten-year limit) is 5,392 buckets, 43 KB.
    counts: Vec<u64>,
    first_bucket: u32,
    count: u64,
    sum_us: u128,
    max_us: u64,
}

fn bucket_of(value: u64) -> u32 {
    if value < SUB_BUCKETS {
        return value as u32;
    }
    let exponent = 63 - value.leading_zeros() as u64; // ≥ 7: value is in [2^e, 2^(e+1))
    let shift = exponent - 7; // the octave splits into 128 sub-buckets of width 2^shift
    let mantissa = (value >> shift) - SUB_BUCKETS; // 0..128 within this octave
    (SUB_BUCKETS + (exponent - 7) * SUB_BUCKETS + mantissa) as u32
}

/// The smallest and largest value of a bucket.
fn bucket_range(bucket: u32) -> (u64, u64) {
    let bucket = bucket as u64;
    if bucket < SUB_BUCKETS {
        return (bucket, bucket);
    }
    let exponent = (bucket - SUB_BUCKETS) / SUB_BUCKETS + 7;
    let mantissa = (bucket - SUB_BUCKETS) % SUB_BUCKETS + SUB_BUCKETS;
    let shift = exponent - 7;
    let low = mantissa << shift;
    (low, low + (1u64 << shift) - 1)
}

impl Histogram {
    pub fn record(&mut self, value_us: u64) {
        let bucket = bucket_of(value_us);
        if self.counts.is_empty() {
            self.first_bucket = bucket;
        } else if bucket < self.first_bucket {
            let missing = (self.first_bucket - bucket) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, missing));
            self.first_bucket = bucket;
        }
        let index = (bucket - self.first_bucket) as usize;
        if index >= self.counts.len() {
            self.counts.resize(index + 1, 0);
        }
        self.counts[index] += 1;
        self.count += 1;
        self.sum_us += value_us as u128;
        self.max_us = self.max_us.max(value_us);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// The exact mean, in microseconds (0 when empty).
    pub fn mean_us(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum_us as f64 / self.count as f64
        }
    }

    pub fn max_us(&self) -> u64 {
        self.max_us
    }

    /// The value below which a fraction `q` (0–1) of the samples lie, within the bucket
    /// precision (the bucket's midpoint), in microseconds; 0 when empty.
    pub fn quantile_us(&self, q: f64) -> u64 {
        if self.count == 0 {
            return 0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (bucket, &n) in (self.first_bucket..).zip(&self.counts) {
            seen += n;
            if seen >= rank {
                let (low, high) = bucket_range(bucket);
                return (low + (high - low) / 2).min(self.max_us);
            }
        }
        self.max_us
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_cover_every_value_in_order_and_contain_it() {
        let mut last = 0;
        for value in (0..5_000u64).chain([1 << 20, (1 << 20) + 12_345, u64::MAX / 3]) {
            let b = bucket_of(value);
            let (low, high) = bucket_range(b);
            assert!(low <= value && value <= high, "{value} not in {low}..={high}");
            assert!(b >= last || value > 5_000);
            last = b;
            assert!((high - low) as f64 <= value as f64 / 64.0 + 1.0);
        }
    }

    #[test]
    fn the_widest_range_of_a_run_has_5392_buckets() {
        assert_eq!(bucket_of(crate::kernel::limits::MAX_RUN_US) + 1, 5_392);
    }

    #[test]
    fn recording_order_does_not_matter() {
        let values: Vec<u64> = (0..2_000u64).map(|i| (i * 7_919) % 1_000_003).collect();
        let mut up = Histogram::default();
        let mut down = Histogram::default();
        for &v in &values {
            up.record(v);
        }
        for &v in values.iter().rev() {
            down.record(v);
        }
        assert_eq!(up, down);
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
            assert_eq!(up.quantile_us(q), down.quantile_us(q));
        }
        assert!(down.quantile_us(0.5) > 400_000 && down.quantile_us(0.5) < 600_000);
    }

    #[test]
    fn quantiles_are_within_one_percent() {
        let mut h = Histogram::default();
        for v in 1..=100_000u64 {
            h.record(v);
        }
        for (q, exact) in [(0.5, 50_000.0), (0.95, 95_000.0), (0.99, 99_000.0)] {
            let got = h.quantile_us(q) as f64;
            assert!((got - exact).abs() / exact < 0.01, "q{q}: {got}");
        }
        assert_eq!(h.mean_us(), 50_000.5);
        assert_eq!(h.quantile_us(1.0), 100_000);
    }
}
