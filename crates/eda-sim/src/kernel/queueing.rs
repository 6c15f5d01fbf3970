//! Queueing theory beside the simulation: what an M/M/c queue (Poisson arrivals, exponential
//! service times, c servers, unlimited waiting room) predicts for a given load, so that a run can
//! be compared with the theory it should follow. Erlang C comes from Erlang B's recurrence, which
//! stays exact for thousands of servers where factorials overflow.

/// What an M/M/c queue predicts in steady state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MmcPrediction {
    /// ρ = λ / (c μ): the share of time each server is busy.
    pub utilisation: f64,
    /// False when ρ ≥ 1: the queue grows without bound and nothing below applies.
    pub stable: bool,
    /// Erlang C: the chance an arrival finds every server busy and waits.
    pub wait_probability: f64,
    /// Mean time waiting before service (Wq), in seconds.
    pub wait_mean_s: f64,
    /// Mean time in the system, waiting and served (W = Wq + 1/μ), in seconds.
    pub response_mean_s: f64,
    /// Mean number in the system (L = λ W, Little's law).
    pub in_system_mean: f64,
}

/// Erlang B for `servers` servers and `load` erlangs (λ/μ), by B(0) = 1,
/// B(k) = a B(k-1) / (k + a B(k-1)): `servers` steps.
pub fn erlang_b(servers: u32, load: f64) -> f64 {
    (1..=servers).fold(1.0, |b, k| load * b / (k as f64 + load * b))
}

/// Erlang C: the probability of waiting in an M/M/c queue with `servers` servers and `load`
/// erlangs; 1 when the queue is not stable (load ≥ servers).
pub fn erlang_c(servers: u32, load: f64) -> f64 {
    let c = servers as f64;
    if servers == 0 || load >= c {
        return 1.0;
    }
    let b = erlang_b(servers, load);
    b / (1.0 - (load / c) * (1.0 - b))
}

/// The M/M/c prediction for arrival rate `lambda` and service rate `mu` (both per second) with
/// `servers` servers; `None` when a rate is not positive.
pub fn mmc(lambda: f64, mu: f64, servers: u32) -> Option<MmcPrediction> {
    if !(lambda > 0.0 && mu > 0.0 && servers > 0 && lambda.is_finite() && mu.is_finite()) {
        return None;
    }
    let load = lambda / mu;
    let utilisation = load / servers as f64;
    if utilisation >= 1.0 {
        return Some(MmcPrediction {
            utilisation,
            stable: false,
            wait_probability: 1.0,
            wait_mean_s: f64::INFINITY,
            response_mean_s: f64::INFINITY,
            in_system_mean: f64::INFINITY,
        });
    }
    let wait_probability = erlang_c(servers, load);
    let wait_mean_s = wait_probability / (servers as f64 * mu - lambda);
    let response_mean_s = wait_mean_s + 1.0 / mu;
    Some(MmcPrediction {
        utilisation,
        stable: true,
        wait_probability,
        wait_mean_s,
        response_mean_s,
        in_system_mean: lambda * response_mean_s,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_server_waits_with_the_probability_of_its_utilisation() {
        let p = mmc(8.0, 10.0, 1).unwrap();
        assert!((p.wait_probability - 0.8).abs() < 1e-12);
        // M/M/1: W = 1 / (μ - λ) = 0.5 s, L = ρ / (1 - ρ) = 4.
        assert!((p.response_mean_s - 0.5).abs() < 1e-12);
        assert!((p.in_system_mean - 4.0).abs() < 1e-9);
    }

    #[test]
    fn erlang_c_matches_its_closed_form_for_two_servers() {
        // c = 2, a = 1: C = (a²/2 · 1/(1-ρ)) / (1 + a + a²/2 · 1/(1-ρ)) = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // c = 10, a = 8: 0.409 (tables give 0.4092).
        assert!((erlang_c(10, 8.0) - 0.4092).abs() < 5e-4, "{}", erlang_c(10, 8.0));
    }

    #[test]
    fn a_saturated_queue_is_unstable_and_many_servers_stay_finite() {
        let p = mmc(10.0, 10.0, 1).unwrap();
        assert!(!p.stable && p.response_mean_s.is_infinite());
        let big = mmc(950.0, 1.0, 1_000).unwrap();
        assert!(big.stable && big.wait_probability.is_finite() && big.wait_probability < 1.0);
        assert!(mmc(0.0, 1.0, 1).is_none());
    }
}
