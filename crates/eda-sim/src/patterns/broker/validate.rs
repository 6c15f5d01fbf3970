//! What makes a broker section valid: ids claimed once, references that resolve, limits kept,
//! no dead-letter cycles, and fields that apply only to queue consumers or only to group members.

use super::{Acks, BrokerSpec, CommitPolicy, ConsumerSpec, FailureAction, Guarantee, LinkFaults, ProducerSpec};
use crate::kernel::entity::EntityKind;
use crate::kernel::time::SimDuration;
use crate::kernel::validate::Validator;

/// Most partitions of one topic, and prefetch of one consumer.
pub const MAX_PARTITIONS: u32 = 256;
pub const MAX_PREFETCH: u32 = 10_000;
/// Most message ids one dedupe store remembers (about 24 MB at most).
pub const MAX_DEDUPE_WINDOW: u32 = 1_000_000;
/// Most replicas of a partition, and retries of one record.
pub const MAX_REPLICAS: u32 = 7;
pub const MAX_RETRIES: u32 = 100;

/// Checks a span that must be longer than zero (`zero` says why) and within the longest allowed.
fn positive_span(v: &mut Validator, path: String, span: SimDuration, zero: &str) {
    if span.0 == 0 {
        v.report(path.clone(), zero);
    }
    v.duration(path, span);
}

impl BrokerSpec {
    /// Acks (publisher confirms for queues), retries, the link, and for topic producers Kafka's
    /// idempotence.
    fn validate_producer_guarantees(&self, v: &mut Validator, path: &str, p: &ProducerSpec) {
        if p.topic.is_none() && p.idempotent {
            v.report(
                format!("{path}.idempotent"),
                "applies to topic producers (Kafka's producer id and sequence); a queue's repeats are caught by its consumers: give them \"guarantee\": \"idempotent\"",
            );
        }
        if p.retries > MAX_RETRIES {
            v.report(format!("{path}.retries"), format!("must be at most {MAX_RETRIES}"));
        }
        if p.retries > 0 && p.acks == Acks::None {
            v.report(
                format!("{path}.retries"),
                "a producer with acks none never hears back, so it has nothing to retry",
            );
        }
        if let Some(timeout) = p.request_timeout {
            let zero = "a request timeout of zero would give up before any acknowledgement could come";
            positive_span(v, format!("{path}.request_timeout"), timeout, zero);
            if p.acks == Acks::None {
                v.report(
                    format!("{path}.request_timeout"),
                    "a producer with acks none waits for nothing (it is how long one waits for an acknowledgement)",
                );
            }
        }
        if p.idempotent && p.acks != Acks::All {
            v.report(
                format!("{path}.idempotent"),
                "the idempotent producer needs acks all (as Kafka requires)",
            );
        }
        p.link.validate(v, &format!("{path}.link"));
    }

    pub fn claim_ids(&self, v: &mut Validator) {
        if self.is_empty() {
            return;
        }
        v.claim("broker.id".into(), &self.id, EntityKind::Broker);
        let lists: [(&str, Vec<&str>, EntityKind); 6] = [
            (
                "exchanges",
                self.exchanges.iter().map(|x| x.id.as_str()).collect(),
                EntityKind::Exchange,
            ),
            (
                "queues",
                self.queues.iter().map(|x| x.id.as_str()).collect(),
                EntityKind::Queue,
            ),
            (
                "topics",
                self.topics.iter().map(|x| x.id.as_str()).collect(),
                EntityKind::Topic,
            ),
            (
                "groups",
                self.groups.iter().map(|x| x.id.as_str()).collect(),
                EntityKind::ConsumerGroup,
            ),
            (
                "producers",
                self.producers.iter().map(|x| x.id.as_str()).collect(),
                EntityKind::Producer,
            ),
            (
                "consumers",
                self.consumers.iter().map(|x| x.id.as_str()).collect(),
                EntityKind::Consumer,
            ),
        ];
        for (list, ids, kind) in lists {
            for (i, id) in ids.into_iter().enumerate() {
                v.claim(format!("broker.{list}[{i}].id"), id, kind);
            }
        }
    }

    pub fn validate(&self, v: &mut Validator) {
        v.distribution("broker.network_delay".into(), &self.network_delay, false);
        for (i, x) in self.exchanges.iter().enumerate() {
            for (j, b) in x.bindings.iter().enumerate() {
                let path = format!("broker.exchanges[{i}].bindings[{j}]");
                v.expect(format!("{path}.queue"), &b.queue, &[EntityKind::Queue]);
            }
        }
        for (i, q) in self.queues.iter().enumerate() {
            let path = format!("broker.queues[{i}]");
            if q.capacity == Some(0) {
                v.report(
                    format!("{path}.capacity"),
                    "a capacity of 0 would refuse every message; leave it out for no limit",
                );
            }
            if let Some(ttl) = q.message_ttl {
                let zero = "a TTL of zero would expire every message at once; use at least 1us";
                positive_span(v, format!("{path}.message_ttl"), ttl, zero);
            }
            // Following dead-letter queues from here must not lead back here.
            let mut chain = vec![q.id.as_str()];
            let mut next = q.dead_letter.as_deref();
            while let Some(name) = next {
                if name == q.id && chain.len() > 1 {
                    chain.push(name);
                    v.report(
                        format!("{path}.dead_letter"),
                        format!("dead-letter queues form a cycle: {}", chain.join(" → ")),
                    );
                    break;
                }
                if chain.contains(&name) || chain.len() > self.queues.len() {
                    break;
                }
                chain.push(name);
                next = self
                    .queues
                    .iter()
                    .find(|x| x.id == name)
                    .and_then(|x| x.dead_letter.as_deref());
            }
            if let Some(timeout) = q.consumer_timeout {
                let zero = "a consumer timeout of zero would close every channel at once; use at least 1us";
                positive_span(v, format!("{path}.consumer_timeout"), timeout, zero);
            }
            if q.max_deliveries == Some(0) {
                v.report(format!("{path}.max_deliveries"), "must be at least 1");
            }
            if let Some(dlq) = &q.dead_letter {
                v.expect(format!("{path}.dead_letter"), dlq, &[EntityKind::Queue]);
                if dlq == &q.id {
                    v.report(
                        format!("{path}.dead_letter"),
                        "a queue cannot be its own dead-letter queue",
                    );
                }
            }
        }
        for (i, t) in self.topics.iter().enumerate() {
            if t.partitions == 0 || t.partitions > MAX_PARTITIONS {
                v.report(
                    format!("broker.topics[{i}].partitions"),
                    format!("must be between 1 and {MAX_PARTITIONS}"),
                );
            }
            if t.replicas == 0 || t.replicas > MAX_REPLICAS {
                v.report(
                    format!("broker.topics[{i}].replicas"),
                    format!("must be between 1 and {MAX_REPLICAS} (a leader and its followers)"),
                );
            }
            v.distribution(
                format!("broker.topics[{i}].replication_delay"),
                &t.replication_delay,
                false,
            );
        }
        for (i, g) in self.groups.iter().enumerate() {
            let path = format!("broker.groups[{i}]");
            v.expect(format!("{path}.topic"), &g.topic, &[EntityKind::Topic]);
            if let CommitPolicy::Auto { interval } = g.commit {
                if interval.0 == 0 {
                    v.report(format!("{path}.commit.auto.interval"), "must be longer than zero");
                }
                v.duration(format!("{path}.commit.auto.interval"), interval);
            }
            v.duration(format!("{path}.session_timeout"), g.session_timeout);
        }
        for (i, p) in self.producers.iter().enumerate() {
            let path = format!("broker.producers[{i}]");
            let targets = [&p.exchange, &p.queue, &p.topic].iter().filter(|t| t.is_some()).count();
            if targets != 1 {
                v.report(
                    path.clone(),
                    "a producer publishes to exactly one of: exchange, queue, topic",
                );
            }
            if let Some(x) = &p.exchange {
                v.expect(format!("{path}.exchange"), x, &[EntityKind::Exchange]);
            }
            if let Some(q) = &p.queue {
                v.expect(format!("{path}.queue"), q, &[EntityKind::Queue]);
            }
            if let Some(t) = &p.topic {
                v.expect(format!("{path}.topic"), t, &[EntityKind::Topic]);
            }
            if let Some(e) = &p.emits {
                v.stream(&format!("{path}.emits"), e);
            }
            self.validate_producer_guarantees(v, &path, p);
        }
        for (i, c) in self.consumers.iter().enumerate() {
            let path = format!("broker.consumers[{i}]");
            match (&c.queue, &c.group) {
                (Some(q), None) => v.expect(format!("{path}.queue"), q, &[EntityKind::Queue]),
                (None, Some(g)) => v.expect(format!("{path}.group"), g, &[EntityKind::ConsumerGroup]),
                _ => v.report(path.clone(), "a consumer reads from exactly one of: queue, group"),
            }
            if c.prefetch == 0 || c.prefetch > MAX_PREFETCH {
                v.report(
                    format!("{path}.prefetch"),
                    format!("must be between 1 and {MAX_PREFETCH}"),
                );
            }
            v.distribution(format!("{path}.processing_time"), &c.processing_time, false);
            if c.fail_percent > 100 {
                v.report(format!("{path}.fail_percent"), "a percentage between 0 and 100");
            }
            if let Some(join) = c.join_at {
                v.duration(format!("{path}.join_at"), join);
            }
            c.link.validate(v, &format!("{path}.link"));
            self.validate_output(v, &path, c);
            if c.sum_field.as_deref().is_some_and(str::is_empty) {
                v.report(
                    format!("{path}.sum_field"),
                    "name a field of the message bodies, e.g. \"amount\"",
                );
            }
            if let Some(field) = &c.dedupe_on {
                if field.is_empty() {
                    v.report(
                        format!("{path}.dedupe_on"),
                        "name a field of the message bodies, e.g. \"event_id\"",
                    );
                }
                if c.guarantee != Guarantee::Idempotent {
                    v.report(
                        format!("{path}.dedupe_on"),
                        "applies to idempotent consumers only (\"guarantee\": \"idempotent\")",
                    );
                }
                // One store per queue or group: its idempotent consumers must key it alike.
                let shares = |o: &&ConsumerSpec| {
                    o.guarantee == Guarantee::Idempotent
                        && ((c.queue.is_some() && o.queue == c.queue) || (c.group.is_some() && o.group == c.group))
                };
                if self.consumers.iter().filter(shares).any(|o| o.dedupe_on != c.dedupe_on) {
                    v.report(
                        format!("{path}.dedupe_on"),
                        "the idempotent consumers of one queue or group share one dedupe store: give them all the same dedupe_on",
                    );
                }
            }
            if let Some(window) = c.dedupe_window {
                if window == 0 || window > MAX_DEDUPE_WINDOW {
                    v.report(
                        format!("{path}.dedupe_window"),
                        format!("must be between 1 and {MAX_DEDUPE_WINDOW}"),
                    );
                }
                if c.guarantee != Guarantee::Idempotent {
                    v.report(
                        format!("{path}.dedupe_window"),
                        "applies to idempotent consumers only (\"guarantee\": \"idempotent\")",
                    );
                }
            }
            if c.group.is_some() {
                for (field, set) in [
                    ("prefetch", c.prefetch != 1),
                    ("fail_percent", c.fail_percent != 0),
                    ("on_failure", c.on_failure != FailureAction::default()),
                    ("link", c.link != LinkFaults::default()),
                ] {
                    if set {
                        v.report(
                            format!("{path}.{field}"),
                            "applies to queue consumers only, not to consumer-group members",
                        );
                    }
                }
            } else if c.join_at.is_some() {
                v.report(format!("{path}.join_at"), "applies to consumer-group members only");
            }
        }
    }
}
