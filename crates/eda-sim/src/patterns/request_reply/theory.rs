//! Theory beside observation for request-response: what an M/M/c queue predicts for each
//! service from its clients' arrival rate, its service time and its workers, what the run
//! measured of the same quantities (with a confidence interval), Little's law checked on the
//! run, and the ways the scenario departs from the model, said in words.

use super::state::RequestReplyWorld;
use super::Balancing;
use crate::kernel::queueing::{mmc, MmcPrediction};
use crate::kernel::report::EntityReport;
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimTime;
use serde_json::Value;

/// What the model predicts for one service, and why it may not hold.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceTheory {
    /// λ offered to the whole service (requests per second), from its open-loop clients.
    pub arrival_rate_per_s: f64,
    /// μ of one worker (requests per second).
    pub service_rate_per_s: f64,
    /// Workers of one replica (the model's c), and replicas, each taken as its own queue with
    /// λ / replicas.
    pub servers: u32,
    pub replicas: u32,
    /// The M/M/c prediction for one replica, if there is a rate to predict from.
    pub prediction: Option<MmcPrediction>,
    /// Mean network time there and back, added to the time in the service for a client's view.
    pub network_round_trip_s: f64,
    /// Where the scenario is not the model.
    pub notes: Vec<TheoryNote>,
}

/// Where a scenario is not the queueing model the prediction comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TheoryNote {
    NoRate,
    ClosedLoop,
    FaultyClientLink,
    NotPoissonArrivals,
    PartialArrivals,
    NotExponentialService,
    FiniteRoom,
    Retries,
    Confirmations,
    LeastOutstanding,
    ReplicasSplit,
    PublishFirst,
    Unstable,
}

impl TheoryNote {
    /// Every note, in the order the theory checks them.
    pub const ALL: [TheoryNote; 13] = [
        TheoryNote::NoRate,
        TheoryNote::ClosedLoop,
        TheoryNote::FaultyClientLink,
        TheoryNote::NotPoissonArrivals,
        TheoryNote::PartialArrivals,
        TheoryNote::NotExponentialService,
        TheoryNote::FiniteRoom,
        TheoryNote::Retries,
        TheoryNote::Confirmations,
        TheoryNote::LeastOutstanding,
        TheoryNote::ReplicasSplit,
        TheoryNote::PublishFirst,
        TheoryNote::Unstable,
    ];

    /// The note in words, as reports and the CLI give it.
    pub fn text(self) -> &'static str {
        match self {
            TheoryNote::NoRate => "no client sends at a rate of its own: nothing to predict from",
            TheoryNote::ClosedLoop => "closed-loop users wait for their answers before asking again: a finite population, not the model's Poisson arrivals (the prediction counts only clients that send at a rate)",
            TheoryNote::FaultyClientLink => "a faulty client link loses or doubles requests: the service's load differs from its clients' rate",
            TheoryNote::NotPoissonArrivals => "arrival gaps are not exponential: the model assumes Poisson arrivals",
            TheoryNote::PartialArrivals => "a client starts late or stops after a count: the prediction is for the time it sends",
            TheoryNote::NotExponentialService => "service times are not exponential: an M/G/c queue, the prediction is approximate",
            TheoryNote::FiniteRoom => "a finite waiting room turns arrivals away (503) when full: fewer wait than predicted",
            TheoryNote::Retries => "timeouts and retries add load the model does not count",
            TheoryNote::Confirmations => "each order brings a confirmation later: the rate counts both requests",
            TheoryNote::LeastOutstanding => "least-outstanding balancing shares the load better than independent queues: less waiting than predicted",
            TheoryNote::ReplicasSplit => "each replica is taken as its own queue with an equal share of the arrivals",
            TheoryNote::PublishFirst => "publishing first keeps a worker busy until the write commits: the service time counts the commit",
            TheoryNote::Unstable => "unstable: arrivals outpace the workers (ρ ≥ 1), so the queue grows without bound",
        }
    }
}

fn exponential(d: &Distribution) -> bool {
    matches!(d, Distribution::Exponential { .. })
}

impl RequestReplyWorld {
    /// The theory of service `index`.
    pub fn theory(&self, index: usize) -> ServiceTheory {
        let s = &self.services[index];
        let mut notes = Vec::new();
        let clients: Vec<_> = self.clients.iter().filter(|c| c.service == index).collect();
        let open: Vec<_> = clients
            .iter()
            .filter_map(|c| c.arrivals.as_ref().map(|a| (c, a)))
            .collect();
        let mut lambda: f64 = open
            .iter()
            .map(|(_, a)| a.every.mean_us())
            .filter(|&gap| gap > 0.0)
            .map(|gap| 1e6 / gap)
            .sum();
        if open.is_empty() {
            notes.push(TheoryNote::NoRate);
        }
        if clients.iter().any(|c| c.users.is_some()) {
            notes.push(TheoryNote::ClosedLoop);
        }
        if clients.iter().any(|c| !c.link.is_perfect()) {
            notes.push(TheoryNote::FaultyClientLink);
        }
        if open.iter().any(|(_, a)| !exponential(&a.every)) {
            notes.push(TheoryNote::NotPoissonArrivals);
        }
        if open.iter().any(|(_, a)| a.count.is_some() || a.start.is_some()) {
            notes.push(TheoryNote::PartialArrivals);
        }
        if !exponential(&s.service_time) {
            notes.push(TheoryNote::NotExponentialService);
        }
        if s.queue_capacity.is_some() {
            notes.push(TheoryNote::FiniteRoom);
        }
        if clients.iter().any(|c| c.retries > 0 || c.timeout.is_some()) {
            notes.push(TheoryNote::Retries);
        }
        if s.order_validity.is_some() {
            notes.push(TheoryNote::Confirmations);
            lambda *= 2.0;
        }
        let replicas = s.replicas.len().max(1) as u32;
        if replicas > 1 {
            notes.push(match s.balancing {
                Balancing::LeastOutstanding => TheoryNote::LeastOutstanding,
                _ => TheoryNote::ReplicasSplit,
            });
        }
        // Publishing first keeps the worker busy until the write commits.
        let commit_us = match &s.event_write {
            super::EventWrite::PublishFirst { commit_time } => {
                notes.push(TheoryNote::PublishFirst);
                commit_time.mean_us()
            }
            _ => 0.0,
        };
        let mu = match s.service_time.mean_us() + commit_us {
            busy if busy > 0.0 => 1e6 / busy,
            _ => 0.0,
        };
        let prediction = mmc(lambda / replicas as f64, mu, s.workers);
        if prediction.is_some_and(|p| !p.stable) {
            notes.push(TheoryNote::Unstable);
        }
        // The clients' network time there and back, each weighted by how often it sends.
        let rate = |gap: f64| if gap > 0.0 { 1e6 / gap } else { 0.0 };
        let weights: f64 = open.iter().map(|(_, a)| rate(a.every.mean_us())).sum();
        let round_trip_us: f64 = if weights > 0.0 {
            open.iter()
                .map(|(c, a)| rate(a.every.mean_us()) * 2.0 * c.network_delay.mean_us())
                .sum::<f64>()
                / weights
        } else {
            0.0
        };
        ServiceTheory {
            arrival_rate_per_s: lambda,
            service_rate_per_s: mu,
            servers: s.workers,
            replicas,
            prediction,
            network_round_trip_s: round_trip_us / 1e6,
            notes,
        }
    }

    /// The predicted and measured figures of service `index`, added to its report.
    pub(super) fn with_theory(&self, index: usize, mut r: EntityReport, now: SimTime) -> EntityReport {
        let s = &self.services[index];
        let t = self.theory(index);
        let seconds = now.0 as f64 / 1e6;
        if let Some(p) = t.prediction {
            r = r
                .with("predicted_utilisation", p.utilisation)
                .with("predicted_stable", u64::from(p.stable));
            if p.stable {
                r = r
                    .with("predicted_wait_probability", p.wait_probability)
                    .with("predicted_wait_ms_mean", p.wait_mean_s * 1e3)
                    .with("predicted_sojourn_ms_mean", p.response_mean_s * 1e3)
                    .with(
                        "predicted_response_ms_mean",
                        (p.response_mean_s + t.network_round_trip_s) * 1e3,
                    )
                    .with("predicted_in_system_mean", p.in_system_mean * t.replicas as f64);
            }
        }
        let sojourn_s = s.sojourn_s.mean();
        // Requests taken in: every arrival the service was up for and had room for.
        let accepted = s.arrived - s.refused - s.rejected;
        r = r
            .with(
                "arrival_rate_per_s",
                if seconds > 0.0 { accepted as f64 / seconds } else { 0.0 },
            )
            .with(
                "wait_probability",
                if accepted > 0 {
                    s.waited as f64 / accepted as f64
                } else {
                    0.0
                },
            )
            .with("sojourn_ms_mean", sojourn_s * 1e3)
            .with("in_system_mean", s.in_system.mean(now));
        if s.started > 0 {
            r = r.with("wait_ms_mean", s.waited_us_total as f64 / s.started as f64 / 1e3);
        }
        if let Some(h) = s.sojourn_s.half_width_95() {
            r = r.with("sojourn_ms_ci95", h * 1e3);
        }
        // Little's law on the run: the time-average number in the service against the rate
        // taken in times the mean time spent there.
        if seconds > 0.0 {
            r = r.with("littles_law_in_system", accepted as f64 / seconds * sojourn_s);
        }
        if !t.notes.is_empty() {
            r = r.with(
                "theory_notes",
                Value::Array(t.notes.iter().map(|n| Value::from(n.text())).collect()),
            );
        }
        r
    }
}
