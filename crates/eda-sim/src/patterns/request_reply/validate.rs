//! Checks a request-response section before anything is built: ranges, references to other
//! entities, and the order flow's links.

use super::spec::{EventWrite, LinkSpec, RequestReplySpec, MAX_REPLICAS, MAX_USERS, MAX_WORKERS};
use crate::kernel::entity::EntityKind;
use crate::kernel::validate::{name_problem, Validator};

impl RequestReplySpec {
    pub fn claim_ids(&self, v: &mut Validator) {
        for (i, s) in self.services.iter().enumerate() {
            v.claim(format!("request_reply.services[{i}].id"), &s.id, EntityKind::Service);
        }
        for (i, c) in self.clients.iter().enumerate() {
            v.claim(format!("request_reply.clients[{i}].id"), &c.id, EntityKind::Client);
        }
    }

    pub fn validate(&self, v: &mut Validator, bus_has_type: &dyn Fn(&str) -> bool) {
        for (i, s) in self.services.iter().enumerate() {
            let path = format!("request_reply.services[{i}]");
            if s.workers == 0 || s.workers > MAX_WORKERS {
                v.report(
                    format!("{path}.workers"),
                    format!("must be between 1 and {MAX_WORKERS}"),
                );
            }
            if s.replicas == 0 || s.replicas > MAX_REPLICAS {
                v.report(
                    format!("{path}.replicas"),
                    format!("must be between 1 and {MAX_REPLICAS}"),
                );
            }
            v.distribution(format!("{path}.service_time"), &s.service_time, false);
            if let Some(orders) = &s.orders {
                v.duration(format!("{path}.orders.validity"), orders.validity);
                for (field, links, outcome) in [
                    ("on_created", &orders.on_created, "OrderCreated"),
                    ("on_paid", &orders.on_paid, "OrderPaid"),
                    ("on_rejected", &orders.on_rejected, "OrderRejected"),
                ] {
                    for (j, link) in links.iter().enumerate() {
                        check_link(v, &format!("{path}.orders.{field}[{j}]"), link, outcome, bus_has_type);
                    }
                }
                let events = format!("{path}.orders.events");
                match &orders.events {
                    EventWrite::Atomic => {}
                    EventWrite::DualWrite { publish_time } => {
                        v.distribution(format!("{events}.dual_write.publish_time"), publish_time, false)
                    }
                    EventWrite::PublishFirst { commit_time } => {
                        v.distribution(format!("{events}.publish_first.commit_time"), commit_time, false)
                    }
                    EventWrite::Outbox {
                        relay_interval,
                        publish_time,
                    } => {
                        let interval = format!("{events}.outbox.relay_interval");
                        if relay_interval.0 == 0 {
                            v.report(
                                interval.clone(),
                                "a relay that reads the outbox every 0s would never let time pass; use at least 1us",
                            );
                        }
                        v.duration(interval, *relay_interval);
                        v.distribution(format!("{events}.outbox.publish_time"), publish_time, false);
                    }
                }
            }
        }
        for (i, c) in self.clients.iter().enumerate() {
            let path = format!("request_reply.clients[{i}]");
            c.link.validate(v, &format!("{path}.link"));
            v.expect(format!("{path}.service"), &c.service, &[EntityKind::Service]);
            match (&c.arrivals, &c.users) {
                (Some(a), None) => v.stream(&format!("{path}.arrivals"), a),
                (None, Some(u)) => {
                    if u.count == 0 || u.count > MAX_USERS {
                        v.report(
                            format!("{path}.users.count"),
                            format!("must be between 1 and {MAX_USERS}"),
                        );
                    }
                    v.distribution(format!("{path}.users.think_time"), &u.think_time, false);
                }
                (Some(_), Some(_)) => v.report(
                    path.clone(),
                    "a client is open loop (arrivals) or closed loop (users), not both",
                ),
                (None, None) => {} // requests only by script or by hand
            }
            if let Some(timeout) = c.timeout {
                if timeout.0 == 0 {
                    v.report(
                        format!("{path}.timeout"),
                        "a timeout of zero would fail every request; leave it out for none",
                    );
                }
                v.duration(format!("{path}.timeout"), timeout);
            }
            if c.retries > 100 {
                v.report(format!("{path}.retries"), "at most 100 retries");
            }
            v.duration(format!("{path}.backoff"), c.backoff);
            v.distribution(format!("{path}.network_delay"), &c.network_delay, false);
            v.distribution(format!("{path}.confirm_after"), &c.confirm_after, false);
            if c.wrong_code_percent > 100 {
                v.report(format!("{path}.wrong_code_percent"), "a percentage between 0 and 100");
            }
        }
    }
}

fn check_link(v: &mut Validator, path: &str, link: &LinkSpec, outcome: &str, bus_has_type: &dyn Fn(&str) -> bool) {
    match link {
        LinkSpec::Publish { source, event_type } => {
            v.expect(format!("{path}.publish.source"), source, &[EntityKind::EventSource]);
            let ty = event_type.as_deref().unwrap_or(outcome);
            if !bus_has_type(ty) {
                let field = if event_type.is_some() { "event_type" } else { "source" };
                v.report(
                    format!("{path}.publish.{field}"),
                    format!("the event bus has no event type {:?}", ty),
                );
            }
        }
        LinkSpec::Produce { producer } => {
            v.expect(format!("{path}.produce.producer"), producer, &[EntityKind::Producer]);
        }
        LinkSpec::Append { store, stream } => {
            v.expect(format!("{path}.append.store"), store, &[EntityKind::EventStore]);
            if let Some(problem) = name_problem(stream) {
                v.report(format!("{path}.append.stream"), problem);
            }
        }
    }
}
