//! The load balancer in front of a service's replicas: which replica takes each request.

use super::service::Service;
use super::spec::Balancing;
use crate::kernel::rng::SimRng;

impl Service {
    pub fn outstanding(&self, replica: usize) -> usize {
        let r = &self.replicas[replica];
        r.busy_workers as usize + r.waiting.len()
    }

    /// The replica that takes the next request, by the service's balancing rule.
    pub(super) fn pick_replica(&mut self, rng: &mut SimRng) -> usize {
        match self.balancing {
            Balancing::RoundRobin => {
                let r = self.next_replica % self.replicas.len();
                self.next_replica = (r + 1) % self.replicas.len();
                r
            }
            Balancing::LeastOutstanding => (0..self.replicas.len())
                .min_by_key(|&r| (self.outstanding(r), r))
                .unwrap_or(0),
            Balancing::Random => rng.below(self.replicas.len() as u64) as usize,
        }
    }
}
