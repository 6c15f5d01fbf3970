//! Measuring what queueing theory predicts, with its uncertainty: how many are in a place on
//! average over time (the time integral of a count, for Little's law), and a mean with a 95 %
//! confidence interval by batch means (successive observations of a queue are correlated, so
//! their plain standard error would claim more certainty than the run has).

use crate::kernel::time::SimTime;

/// How many are in a place now, and the integral of that count over time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Occupancy {
    pub now: u32,
    since: SimTime,
    area_us: u128,
}

impl Occupancy {
    /// The count changes by `delta` at `at`.
    pub fn change(&mut self, at: SimTime, delta: i64) {
        self.area_us += u128::from(self.now) * u128::from(at.since(self.since).0);
        self.since = at;
        self.now = (i64::from(self.now) + delta).max(0) as u32;
    }

    /// The time-average count from time 0 to `at`.
    pub fn mean(&self, at: SimTime) -> f64 {
        if at.0 == 0 {
            return 0.0;
        }
        let area = self.area_us + u128::from(self.now) * u128::from(at.since(self.since).0);
        area as f64 / at.0 as f64
    }
}

/// Batches kept at most: when full, neighbours merge and batches grow twice as large, so memory
/// stays bounded whatever the run's length.
const BATCHES_MAX: usize = 64;
/// Observations a batch needs before the interval is given.
pub const BATCH_SIZE_MIN: u64 = 128;

/// A mean and its 95 % confidence interval by batch means.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchMeans {
    batch_size: u64,
    /// Sums of full batches, and of the batch being filled.
    sums: Vec<f64>,
    current_sum: f64,
    current_count: u64,
    count: u64,
    total: f64,
}

impl BatchMeans {
    pub fn record(&mut self, x: f64) {
        if self.batch_size == 0 {
            self.batch_size = 1;
        }
        self.count += 1;
        self.total += x;
        self.current_sum += x;
        self.current_count += 1;
        if self.current_count == self.batch_size {
            self.sums.push(self.current_sum);
            self.current_sum = 0.0;
            self.current_count = 0;
            if self.sums.len() == BATCHES_MAX {
                self.sums = self.sums.chunks(2).map(|pair| pair.iter().sum()).collect();
                self.batch_size *= 2;
            }
        }
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.total / self.count as f64
        }
    }

    /// Half the width of the 95 % confidence interval of the mean, from the full batches;
    /// `None` with fewer than 10 of them, or batches shorter than [`BATCH_SIZE_MIN`] (shorter
    /// batches of a queue's observations are still correlated, and the interval would be too
    /// narrow).
    pub fn half_width_95(&self) -> Option<f64> {
        let k = self.sums.len();
        if k < 10 || self.batch_size < BATCH_SIZE_MIN {
            return None;
        }
        let means: Vec<f64> = self.sums.iter().map(|s| s / self.batch_size as f64).collect();
        let mean = means.iter().sum::<f64>() / k as f64;
        let variance = means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (k - 1) as f64;
        // Student's t at 97.5 % for k - 1 degrees of freedom (k is between 10 and 64 here),
        // taken at the fewest degrees of each range, so the interval is never too narrow.
        let t = match k - 1 {
            9 => 2.262,
            10..=14 => 2.228,
            15..=19 => 2.131,
            20..=29 => 2.086,
            30..=39 => 2.042,
            _ => 2.021,
        };
        Some(t * (variance / k as f64).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_average_weighs_each_count_by_how_long_it_lasted() {
        let mut o = Occupancy::default();
        o.change(SimTime(0), 2); // 2 for 10 µs
        o.change(SimTime(10), -1); // 1 for 30 µs
        assert!((o.mean(SimTime(40)) - (2.0 * 10.0 + 30.0) / 40.0).abs() < 1e-12);
    }

    #[test]
    fn batch_means_stay_bounded_and_cover_the_mean() {
        let mut b = BatchMeans::default();
        for i in 0..100_000u64 {
            b.record((i % 7) as f64);
        }
        assert!(b.sums.len() < BATCHES_MAX);
        assert!((b.mean() - 3.0).abs() < 0.01);
        assert!(b.half_width_95().unwrap() < 0.05);
        assert!(BatchMeans::default().half_width_95().is_none());
    }
}
