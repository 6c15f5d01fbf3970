//! Checks of the `discovery` section before a run: ids, references, names, limits, and a TTL
//! that outlasts the heartbeat gap.

use super::spec::{DiscoverySpec, MAX_OPERATIONS, MAX_WATCHES};
use crate::kernel::entity::EntityKind;
use crate::kernel::time::SimDuration;
use crate::kernel::validate::Validator;

impl DiscoverySpec {
    pub fn claim_ids(&self, v: &mut Validator) {
        for (i, r) in self.registries.iter().enumerate() {
            v.claim(
                format!("discovery.registries[{i}].id"),
                &r.id,
                EntityKind::ServiceRegistry,
            );
        }
        for (i, p) in self.providers.iter().enumerate() {
            v.claim(format!("discovery.providers[{i}].id"), &p.id, EntityKind::Provider);
        }
        for (i, c) in self.clients.iter().enumerate() {
            v.claim(format!("discovery.clients[{i}].id"), &c.id, EntityKind::DiscoveryClient);
        }
    }

    pub fn validate(&self, v: &mut Validator) {
        for (i, r) in self.registries.iter().enumerate() {
            let path = format!("discovery.registries[{i}]");
            v.distribution(format!("{path}.propagation_delay"), &r.propagation_delay, false);
            v.distribution(format!("{path}.network_delay"), &r.network_delay, false);
        }
        for (i, p) in self.providers.iter().enumerate() {
            let path = format!("discovery.providers[{i}]");
            v.name(format!("{path}.name"), &p.name);
            v.name(format!("{path}.endpoint"), &p.endpoint);
            v.expect(format!("{path}.registry"), &p.registry, &[EntityKind::ServiceRegistry]);
            if p.operations.len() > MAX_OPERATIONS {
                v.report(
                    format!("{path}.operations"),
                    format!(
                        "{} operations; at most {MAX_OPERATIONS} per provider",
                        p.operations.len()
                    ),
                );
            }
            for (j, op) in p.operations.iter().enumerate() {
                v.name(format!("{path}.operations[{j}]"), op);
            }
            v.distribution(format!("{path}.heartbeat_every"), &p.heartbeat_every, true);
            v.duration(format!("{path}.ttl"), p.ttl);
            // The longest gap a live provider may leave between heartbeats (the mean when the
            // gaps are unbounded): the TTL must outlast it or a healthy entry would expire.
            let (longest, what) = match p.heartbeat_every.max() {
                Some(max) => (max, "the longest heartbeat gap"),
                None => (
                    SimDuration(p.heartbeat_every.mean_us() as u64),
                    "the mean heartbeat gap",
                ),
            };
            if p.ttl <= longest {
                v.report(
                    format!("{path}.ttl"),
                    format!(
                        "ttl {} must be longer than heartbeat_every ({what} is {longest}), or a live provider would expire between two heartbeats",
                        p.ttl
                    ),
                );
            }
            if let Some(at) = p.register_at {
                v.duration(format!("{path}.register_at"), at);
            }
            v.distribution(format!("{path}.service_time"), &p.service_time, false);
        }
        for (i, c) in self.clients.iter().enumerate() {
            let path = format!("discovery.clients[{i}]");
            v.expect(format!("{path}.registry"), &c.registry, &[EntityKind::ServiceRegistry]);
            if c.watch.len() > MAX_WATCHES {
                v.report(
                    format!("{path}.watch"),
                    format!("{} names; a client watches at most {MAX_WATCHES}", c.watch.len()),
                );
            }
            for (j, name) in c.watch.iter().enumerate() {
                v.name(format!("{path}.watch[{j}]"), name);
            }
            if c.call_timeout.0 == 0 {
                v.report(
                    format!("{path}.call_timeout"),
                    "a call timeout of zero would fail every call",
                );
            }
            v.duration(format!("{path}.call_timeout"), c.call_timeout);
        }
    }
}
