//! The message broker, with the semantics of the systems it stands for, so what a user learns
//! here holds for them:
//! - **Queues** (RabbitMQ-like): exchanges (direct, fanout, topic with `*` and `#`) route to
//!   queues; competing consumers get messages round-robin within a prefetch limit and settle
//!   each with ack, nack-and-requeue or reject; a delivery limit and per-message TTL send
//!   messages to a dead-letter queue; a full queue refuses publishes or drops its oldest.
//! - **Topics** (Kafka-like): partitioned logs; a key picks its partition as Kafka's default
//!   partitioner does (murmur2, made positive, modulo the partition count), no key goes
//!   round-robin; consumer groups own partitions through an assignor (range, round-robin,
//!   cooperative-sticky), track positions and committed offsets (auto or manual commit), and
//!   rebalance when members join, leave or are declared dead after the session timeout.
//!
//! Crashes of the broker or of consumers redeliver what was not acknowledged, so at-least-once
//! duplicates appear exactly where a real system would produce them.

use crate::collections::{object_of, IdMap};
use crate::engine::{Ctx, Entities, EntityKind, Pending, Sim, Switch};
use crate::report::EntityReport;
use crate::rng::Distribution;
use crate::scenario::Validator;
use crate::time::{SimDuration, SimTime};
use crate::trace::{EntityId, TraceKind};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, VecDeque};

/// Most partitions of one topic, and prefetch of one consumer.
pub const MAX_PARTITIONS: u32 = 256;
pub const MAX_PREFETCH: u32 = 10_000;
/// How long a group member waits before fetching again after the broker refused a fetch.
pub const FETCH_RETRY: SimDuration = SimDuration(100_000);

// ---------------------------------------------------------------------------------------------
// Scenario section
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokerSpec {
    /// The broker's own id (the entity to crash and restart).
    #[serde(default = "default_broker_id")]
    pub id: String,
    /// One-way delay of deliveries, settlements (ack, nack, reject) and group fetches between
    /// the broker and its consumers. Publishing reaches the broker at once.
    #[serde(default = "default_network_delay")]
    pub network_delay: Distribution,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<ExchangeSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<QueueSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<TopicSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub producers: Vec<ProducerSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumers: Vec<ConsumerSpec>,
}

impl Default for BrokerSpec {
    fn default() -> Self {
        BrokerSpec {
            id: default_broker_id(),
            network_delay: default_network_delay(),
            exchanges: vec![],
            queues: vec![],
            topics: vec![],
            groups: vec![],
            producers: vec![],
            consumers: vec![],
        }
    }
}

fn default_broker_id() -> String {
    "broker".into()
}
fn default_network_delay() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(1))
}
fn one() -> u32 {
    1
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeKind {
    /// To queues whose binding key equals the routing key.
    Direct,
    /// To every bound queue.
    Fanout,
    /// To queues whose binding pattern matches the routing key (`*` one word, `#` zero or more).
    Topic,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeSpec {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ExchangeKind,
    #[serde(default)]
    pub bindings: Vec<BindingSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindingSpec {
    pub queue: String,
    /// Binding key (direct) or pattern (topic); ignored by fanout.
    #[serde(default)]
    pub key: String,
}

/// What a full queue does with one more message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Overflow {
    /// Refuse the new message (the publisher is told).
    #[default]
    RejectPublish,
    /// Drop (or dead-letter) the oldest waiting message to make room.
    DropHead,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    pub id: String,
    /// Most messages waiting (ready); no limit if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    #[serde(default)]
    pub overflow: Overflow,
    /// A message waiting longer than this expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_ttl: Option<SimDuration>,
    /// After this many deliveries, a message that is requeued again is dead-lettered instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_deliveries: Option<u32>,
    /// Where rejected, expired, over-delivered and overflowed messages go; dropped (recorded) if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    pub id: String,
    pub partitions: u32,
}

/// Which member gets which partition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignor {
    /// Contiguous ranges per member, the first members taking one extra (Kafka's RangeAssignor).
    #[default]
    Range,
    /// Partitions dealt to members in turn (RoundRobinAssignor).
    RoundRobin,
    /// Balanced, keeping each member's partitions where possible; only moved partitions stop.
    CooperativeSticky,
}

/// Where a group starts reading a partition it has no committed offset for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffsetReset {
    /// Only records produced from now on (Kafka's default).
    #[default]
    Latest,
    /// From the start of the log.
    Earliest,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CommitPolicy {
    /// Commit every member's positions at this interval (and on a graceful rebalance).
    Auto { interval: SimDuration },
    /// Commit after each processed record.
    Manual,
}

impl Default for CommitPolicy {
    fn default() -> Self {
        CommitPolicy::Auto {
            interval: SimDuration::from_secs(5),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub id: String,
    pub topic: String,
    #[serde(default)]
    pub assignor: Assignor,
    #[serde(default)]
    pub auto_offset_reset: OffsetReset,
    #[serde(default)]
    pub commit: CommitPolicy,
    /// How long the group waits before declaring a silent (crashed) member dead.
    #[serde(default = "default_session_timeout")]
    pub session_timeout: SimDuration,
}

fn default_session_timeout() -> SimDuration {
    SimDuration::from_secs(10)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProducerSpec {
    pub id: String,
    /// Publish to this exchange …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<String>,
    /// … or straight to this queue …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// … or to this topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Routing keys (exchanges) or record keys (topics), used in turn; none means no key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// Message bodies (JSON objects), used in turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payloads: Vec<Map<String, Value>>,
    /// Publish a stream of messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emits: Option<EmitsSpec>,
}

/// A producer's stream of messages (the shared stream format).
pub type EmitsSpec = crate::scenario::StreamSpec;

/// What a consumer does with a message it failed to process.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureAction {
    /// nack with requeue: the message goes back to the queue for another try.
    #[default]
    Requeue,
    /// reject without requeue: dead-lettered (or dropped).
    Reject,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerSpec {
    pub id: String,
    /// Consume from this queue …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// … or as a member of this consumer group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Queue consumers: unacknowledged messages it may hold at once.
    #[serde(default = "one")]
    pub prefetch: u32,
    pub processing_time: Distribution,
    /// Percentage of messages whose processing fails (0–100).
    #[serde(default)]
    pub fail_percent: u32,
    #[serde(default)]
    pub on_failure: FailureAction,
    /// Counts a notification for each message whose body has all these fields and values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_when: Option<Map<String, Value>>,
    /// Group members: when it joins its group (default: at time 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_at: Option<SimDuration>,
}

impl BrokerSpec {
    pub fn is_empty(&self) -> bool {
        self.exchanges.is_empty()
            && self.queues.is_empty()
            && self.topics.is_empty()
            && self.groups.is_empty()
            && self.producers.is_empty()
            && self.consumers.is_empty()
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
                v.duration(format!("{path}.message_ttl"), ttl);
                if ttl.0 == 0 {
                    v.report(
                        format!("{path}.message_ttl"),
                        "a TTL of zero would expire every message at once; use at least 1us",
                    );
                }
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
            if c.group.is_some() {
                for (field, set) in [
                    ("prefetch", c.prefetch != 1),
                    ("fail_percent", c.fail_percent != 0),
                    ("on_failure", c.on_failure != FailureAction::default()),
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

// ---------------------------------------------------------------------------------------------
// Routing rules
// ---------------------------------------------------------------------------------------------

/// RabbitMQ topic matching: words separated by dots; `*` matches exactly one word and `#`
/// matches zero or more words. An empty word (`a..b`, `.a`) is an ordinary word, as in RabbitMQ.
///
/// One pass per pattern word over the key's words (time O(pattern words × key words), memory
/// O(key words)), so no pattern the format accepts can make routing slow: backtracking over
/// several `#` words would take exponential time.
pub fn topic_matches(pattern: &str, routing_key: &str) -> bool {
    let key = topic_words(routing_key);
    // matched[j]: the pattern words seen so far can match exactly the first j words of the key.
    let mut matched = vec![false; key.len() + 1];
    matched[0] = true;
    for word in topic_words(pattern) {
        if word == "#" {
            for j in 1..=key.len() {
                matched[j] |= matched[j - 1];
            }
        } else {
            for j in (1..=key.len()).rev() {
                matched[j] = matched[j - 1] && (word == "*" || word == key[j - 1]);
            }
            matched[0] = false;
        }
    }
    matched[key.len()]
}

/// The words of a routing key or binding pattern: none for `""`, else split at every dot.
fn topic_words(text: &str) -> Vec<&str> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split('.').collect()
    }
}

/// Kafka's `Utils.murmur2`: MurmurHash2, 32-bit, seed 0x9747b28c, over the key's bytes.
pub fn murmur2(data: &[u8]) -> i32 {
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let mut h: u32 = 0x9747_b28c ^ data.len() as u32;
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = chunks.remainder();
    if tail.len() >= 3 {
        h ^= (tail[2] as u32) << 16;
    }
    if tail.len() >= 2 {
        h ^= (tail[1] as u32) << 8;
    }
    if !tail.is_empty() {
        h ^= tail[0] as u32;
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// The partition Kafka's default partitioner picks for a keyed record.
pub fn partition_for_key(key: &str, partitions: u32) -> u32 {
    ((murmur2(key.as_bytes()) as u32) & 0x7fff_ffff) % partitions
}

/// Assigns `partitions` partitions to `members` (already sorted by member id).
/// `previous` is the current owner of each partition (for the sticky assignor).
pub fn assign(
    assignor: Assignor,
    partitions: u32,
    members: &[usize],
    previous: &[Option<usize>],
) -> Vec<Option<usize>> {
    let p = partitions as usize;
    let c = members.len();
    let mut owner = vec![None; p];
    if c == 0 {
        return owner;
    }
    match assignor {
        Assignor::Range => {
            let (base, extra) = (p / c, p % c);
            let mut next = 0;
            for (i, &m) in members.iter().enumerate() {
                let take = base + usize::from(i < extra);
                for slot in owner.iter_mut().skip(next).take(take) {
                    *slot = Some(m);
                }
                next += take;
            }
        }
        Assignor::RoundRobin => {
            for (i, slot) in owner.iter_mut().enumerate() {
                *slot = Some(members[i % c]);
            }
        }
        Assignor::CooperativeSticky => {
            let (base, extra) = (p / c, p % c);
            let kept = |m: usize| previous.iter().filter(|&&o| o == Some(m)).count();
            // Members that already hold the most get the extra slots, so fewer partitions move.
            let mut by_holding: Vec<usize> = members.to_vec();
            crate::collections::sort_by_key(&mut by_holding, |&m| {
                (std::cmp::Reverse(kept(m)), members.iter().position(|&x| x == m))
            });
            let quota: litemap::LiteMap<usize, usize> = crate::collections::map_of(
                by_holding
                    .iter()
                    .enumerate()
                    .map(|(i, &m)| (m, base + usize::from(i < extra))),
            );
            let mut count: litemap::LiteMap<usize, usize> = crate::collections::map_of(members.iter().map(|&m| (m, 0)));
            for (partition, prev) in previous.iter().enumerate().take(p) {
                if let Some(m) = prev {
                    if let (Some(&q), Some(n)) = (quota.get(m), count.get_mut(m)) {
                        if *n < q {
                            owner[partition] = Some(*m);
                            *n += 1;
                        }
                    }
                }
            }
            for slot in owner.iter_mut() {
                if slot.is_none() {
                    let least = members
                        .iter()
                        .filter(|m| count[m] < quota[m])
                        .min_by_key(|m| (count[m], members.iter().position(|x| x == *m)))
                        .copied();
                    if let Some(m) = least {
                        *slot = Some(m);
                        *count.get_mut(&m).unwrap_or(&mut 0) += 1;
                    }
                }
            }
        }
    }
    owner
}

// ---------------------------------------------------------------------------------------------
// Trace records
// ---------------------------------------------------------------------------------------------

/// Why a message left without being processed successfully.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// No binding matched the routing key.
    Unroutable,
    /// The queue was full (reject-publish).
    QueueFull,
    /// The queue was full and this was its oldest message (drop-head).
    Overflow,
    /// It waited longer than the queue's message TTL.
    Expired,
    /// A consumer rejected it without requeue.
    Rejected,
    /// It was requeued more often than the queue's delivery limit.
    DeliveryLimit,
    /// The broker was down when it was published.
    BrokerDown,
}

impl DropReason {
    pub fn label(self) -> &'static str {
        match self {
            DropReason::Unroutable => "unroutable",
            DropReason::QueueFull => "queue full",
            DropReason::Overflow => "overflow",
            DropReason::Expired => "expired",
            DropReason::Rejected => "rejected",
            DropReason::DeliveryLimit => "delivery limit",
            DropReason::BrokerDown => "broker down",
        }
    }
}

/// How a consumer settled a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    Ack,
    Requeue,
    Reject,
}

/// What the broker records in the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokerRecord {
    /// A producer published a message (to an exchange or a queue).
    Published {
        message: u64,
        producer: EntityId,
        to: EntityId,
        key: String,
    },
    /// The broker refused a publish or a produce (`reason`); the producer is told.
    Refused {
        producer: EntityId,
        to: EntityId,
        reason: DropReason,
    },
    /// The message is waiting in the queue; `depth` messages are ready there now.
    Enqueued { message: u64, queue: EntityId, depth: u32 },
    /// The broker sent the message to a consumer (redelivered: not its first delivery).
    Delivered {
        message: u64,
        queue: EntityId,
        consumer: EntityId,
        delivery: u32,
    },
    /// The consumer finished processing it (`ok` false: processing failed); `duplicate`: it was processed before.
    Handled {
        message: u64,
        consumer: EntityId,
        ok: bool,
        duplicate: bool,
    },
    /// The consumer's notification rule matched the message body.
    Notified { message: u64, consumer: EntityId },
    /// The broker received the consumer's ack, nack (requeue) or reject.
    Settled {
        message: u64,
        queue: EntityId,
        consumer: EntityId,
        settlement: Settlement,
    },
    /// The message went back to the head of its queue (nack, or its consumer or the broker failed).
    Requeued { message: u64, queue: EntityId },
    /// An ack or nack found no delivery to settle (its consumer or the broker crashed meanwhile).
    SettlementLost { message: u64, consumer: EntityId },
    /// The message moved to a dead-letter queue.
    DeadLettered {
        message: u64,
        from: EntityId,
        to: EntityId,
        reason: DropReason,
    },
    /// The message left the system for good, for this reason.
    Dropped {
        message: u64,
        at: EntityId,
        reason: DropReason,
    },
    /// A record was appended to a partition of a topic.
    Produced {
        message: u64,
        producer: EntityId,
        topic: EntityId,
        partition: u32,
        offset: u64,
        key: Option<String>,
    },
    /// A group member fetched a record (`message`: the record's message id).
    Fetched {
        message: u64,
        consumer: EntityId,
        topic: EntityId,
        partition: u32,
        offset: u64,
    },
    /// A group member processed a record; `duplicate`: the group had processed it before.
    Processed {
        message: u64,
        consumer: EntityId,
        partition: u32,
        offset: u64,
        duplicate: bool,
    },
    /// A member finished a record of a partition it no longer owns: its offset is not committed.
    ProcessedAfterRevoke {
        message: u64,
        consumer: EntityId,
        partition: u32,
        offset: u64,
    },
    /// The group committed `offset` (the next record to read) for a partition.
    Committed {
        group: EntityId,
        partition: u32,
        offset: u64,
    },
    /// A commit or fetch failed because the broker was down.
    BrokerUnavailable { consumer: EntityId },
    /// The group's partitions were (re)assigned; `owners[p]` owns partition p.
    Rebalanced {
        group: EntityId,
        generation: u64,
        owners: Vec<Option<EntityId>>,
    },
    /// A member joined or left its group (`left` false: joined).
    Membership {
        group: EntityId,
        consumer: EntityId,
        left: bool,
    },
}

impl BrokerRecord {
    pub fn verb(&self) -> &'static str {
        match self {
            BrokerRecord::Published { .. } => "Published",
            BrokerRecord::Refused { .. } => "Refused",
            BrokerRecord::Enqueued { .. } => "Enqueued",
            BrokerRecord::Delivered { .. } => "Delivered",
            BrokerRecord::Handled { .. } => "Handled",
            BrokerRecord::Notified { .. } => "Notified",
            BrokerRecord::Settled { .. } => "Settled",
            BrokerRecord::Requeued { .. } => "Requeued",
            BrokerRecord::SettlementLost { .. } => "Settlement lost",
            BrokerRecord::DeadLettered { .. } => "Dead-lettered",
            BrokerRecord::Dropped { .. } => "Dropped",
            BrokerRecord::Produced { .. } => "Produced",
            BrokerRecord::Fetched { .. } => "Fetched",
            BrokerRecord::Processed { .. } => "Processed",
            BrokerRecord::ProcessedAfterRevoke { .. } => "Processed after revoke",
            BrokerRecord::Committed { .. } => "Committed",
            BrokerRecord::BrokerUnavailable { .. } => "Broker unavailable",
            BrokerRecord::Rebalanced { .. } => "Rebalanced",
            BrokerRecord::Membership { left: false, .. } => "Joined",
            BrokerRecord::Membership { left: true, .. } => "Left",
        }
    }

    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {
            BrokerRecord::Published { producer, to, .. } | BrokerRecord::Refused { producer, to, .. } => {
                (producer, Some(to))
            }
            BrokerRecord::Enqueued { queue, .. } | BrokerRecord::Requeued { queue, .. } => (queue, None),
            BrokerRecord::Delivered { queue, consumer, .. } => (queue, Some(consumer)),
            BrokerRecord::Handled { consumer, .. }
            | BrokerRecord::Notified { consumer, .. }
            | BrokerRecord::SettlementLost { consumer, .. }
            | BrokerRecord::Processed { consumer, .. }
            | BrokerRecord::ProcessedAfterRevoke { consumer, .. }
            | BrokerRecord::BrokerUnavailable { consumer } => (consumer, None),
            BrokerRecord::Settled { queue, consumer, .. } => (consumer, Some(queue)),
            BrokerRecord::DeadLettered { from, to, .. } => (from, Some(to)),
            BrokerRecord::Dropped { at, .. } => (at, None),
            BrokerRecord::Produced { producer, topic, .. } => (producer, Some(topic)),
            BrokerRecord::Fetched { consumer, topic, .. } => (topic, Some(consumer)),
            BrokerRecord::Committed { group, .. } | BrokerRecord::Rebalanced { group, .. } => (group, None),
            BrokerRecord::Membership { group, consumer, .. } => (consumer, Some(group)),
        }
    }

    /// The message this record is about, if any (queue copies and topic records alike).
    pub fn message(&self) -> Option<u64> {
        match *self {
            BrokerRecord::Published { message, .. }
            | BrokerRecord::Enqueued { message, .. }
            | BrokerRecord::Delivered { message, .. }
            | BrokerRecord::Handled { message, .. }
            | BrokerRecord::Notified { message, .. }
            | BrokerRecord::Settled { message, .. }
            | BrokerRecord::Requeued { message, .. }
            | BrokerRecord::SettlementLost { message, .. }
            | BrokerRecord::DeadLettered { message, .. }
            | BrokerRecord::Dropped { message, .. }
            | BrokerRecord::Produced { message, .. }
            | BrokerRecord::Fetched { message, .. }
            | BrokerRecord::Processed { message, .. }
            | BrokerRecord::ProcessedAfterRevoke { message, .. } => Some(message),
            BrokerRecord::Refused { .. }
            | BrokerRecord::Committed { .. }
            | BrokerRecord::BrokerUnavailable { .. }
            | BrokerRecord::Rebalanced { .. }
            | BrokerRecord::Membership { .. } => None,
        }
    }

    pub fn subject(&self, sim: &Sim) -> String {
        match self {
            BrokerRecord::Published { message, key, .. } if !key.is_empty() => format!("message #{message} ({key})"),
            BrokerRecord::Published { message, .. } | BrokerRecord::Enqueued { message, .. } => {
                format!("message #{message}")
            }
            BrokerRecord::Refused { reason, .. } => reason.label().to_string(),
            BrokerRecord::Delivered { message, delivery, .. } if *delivery > 1 => {
                format!("message #{message} (redelivery {delivery})")
            }
            BrokerRecord::Handled {
                message, ok, duplicate, ..
            } => format!(
                "message #{message}{}{}",
                if *ok { "" } else { " (failed)" },
                if *duplicate { " — duplicate" } else { "" }
            ),
            BrokerRecord::Settled {
                message, settlement, ..
            } => format!("message #{message}: {settlement:?}").to_ascii_lowercase(),
            BrokerRecord::DeadLettered { message, reason, .. } | BrokerRecord::Dropped { message, reason, .. } => {
                format!("message #{message} ({})", reason.label())
            }
            BrokerRecord::Delivered { message, .. }
            | BrokerRecord::Notified { message, .. }
            | BrokerRecord::Requeued { message, .. }
            | BrokerRecord::SettlementLost { message, .. } => format!("message #{message}"),
            BrokerRecord::Produced {
                partition, offset, key, ..
            } => match key {
                Some(k) => format!("p{partition}@{offset} (key {k})"),
                None => format!("p{partition}@{offset}"),
            },
            BrokerRecord::Fetched { partition, offset, .. }
            | BrokerRecord::ProcessedAfterRevoke { partition, offset, .. } => {
                format!("p{partition}@{offset}")
            }
            BrokerRecord::Processed {
                partition,
                offset,
                duplicate,
                ..
            } => {
                format!("p{partition}@{offset}{}", if *duplicate { " — duplicate" } else { "" })
            }
            BrokerRecord::Committed { partition, offset, .. } => format!("p{partition} → {offset}"),
            BrokerRecord::BrokerUnavailable { .. } => String::new(),
            BrokerRecord::Rebalanced { generation, owners, .. } => {
                let owners: Vec<String> = owners
                    .iter()
                    .enumerate()
                    .map(|(p, o)| format!("p{p}→{}", o.map(|o| sim.entity_name(o)).unwrap_or("none")))
                    .collect();
                format!("generation {generation}: {}", owners.join(", "))
            }
            BrokerRecord::Membership { .. } => String::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// Pending events of this pattern. `epoch`s make events of a crashed incarnation harmless.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrokerPending {
    /// A producer's next message.
    Emit { producer: usize },
    /// A delivery reaches its consumer.
    Arrive {
        consumer: usize,
        message: u64,
        epoch: u64,
        broker_epoch: u64,
    },
    /// A consumer finishes a message.
    Done { consumer: usize, message: u64, epoch: u64 },
    /// A consumer's settlement reaches the broker.
    Settle {
        queue: usize,
        consumer: usize,
        message: u64,
        settlement: SettlementKey,
        epoch: u64,
        broker_epoch: u64,
    },
    /// A message's TTL runs out.
    Expire { queue: usize, message: u64 },
    /// A group member's fetch reaches the broker and comes back with a record.
    Fetch {
        consumer: usize,
        epoch: u64,
        generation: u64,
    },
    /// A group member finishes a record.
    RecordDone {
        consumer: usize,
        partition: u32,
        offset: u64,
        epoch: u64,
    },
    /// A group member looks for work again (after a refused fetch).
    Wake { consumer: usize, epoch: u64 },
    /// A group's auto-commit timer.
    AutoCommit { group: usize },
    /// A silent member's session runs out.
    SessionExpired { consumer: usize, epoch: u64 },
    /// A member joins its group (`join_at`).
    Join { consumer: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettlementKey {
    Ack,
    Requeue,
    Reject,
}

#[derive(Clone, Debug)]
pub struct Message {
    pub producer: usize,
    pub key: String,
    pub payload: Map<String, Value>,
    /// Deliveries so far.
    pub deliveries: u32,
    /// Times a consumer processed it successfully (more than one: a duplicate).
    pub processed: u32,
    /// When it expires, if its queue has a message TTL.
    pub expires_at: Option<SimTime>,
}

#[derive(Clone, Debug)]
pub struct Exchange {
    pub entity: EntityId,
    pub kind: ExchangeKind,
    pub bindings: Vec<(usize, String)>,
    pub routed: u64,
    pub unroutable: u64,
}

#[derive(Clone, Debug)]
pub struct Queue {
    pub entity: EntityId,
    pub capacity: Option<u32>,
    pub overflow: Overflow,
    pub ttl: Option<SimDuration>,
    pub max_deliveries: Option<u32>,
    pub dead_letter: Option<usize>,
    pub ready: VecDeque<u64>,
    /// Delivered, not yet settled: message → consumer.
    pub unacked: VecDeque<(u64, usize)>,
    pub consumers: Vec<usize>,
    cursor: usize,
    pub enqueued: u64,
    pub delivered: u64,
    pub redelivered: u64,
    pub acked: u64,
    pub dead_lettered: u64,
    pub dropped: litemap::LiteMap<DropReason, u64>,
    pub depth_max: u32,
}

#[derive(Clone, Debug)]
pub struct Partition {
    pub log: Vec<LogEntry>,
}

#[derive(Clone, Debug)]
pub struct LogEntry {
    pub message: u64,
    pub key: Option<String>,
    pub payload: Map<String, Value>,
    pub time: SimTime,
}

#[derive(Clone, Debug)]
pub struct Topic {
    pub entity: EntityId,
    pub partitions: Vec<Partition>,
    pub groups: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub entity: EntityId,
    pub topic: usize,
    pub assignor: Assignor,
    pub reset: OffsetReset,
    pub commit: CommitPolicy,
    pub session_timeout: SimDuration,
    /// Members in the group now, sorted by id.
    pub members: Vec<usize>,
    pub owners: Vec<Option<usize>>,
    pub committed: Vec<Option<u64>>,
    /// Highest offset processed per partition (to spot duplicates).
    pub processed_max: Vec<Option<u64>>,
    pub generation: u64,
    pub rebalances: u64,
    /// Whether the auto-commit timer is pending.
    pub commit_timer_armed: bool,
}

impl Group {
    /// Records not yet committed, per partition.
    pub fn lag(&self, topic: &Topic) -> Vec<u64> {
        topic
            .partitions
            .iter()
            .zip(&self.committed)
            .map(|(p, c)| p.log.len() as u64 - c.unwrap_or(0).min(p.log.len() as u64))
            .collect()
    }
}

/// What a consumer reads from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Queue(usize),
    Group(usize),
}

#[derive(Clone, Debug)]
pub struct Consumer {
    pub entity: EntityId,
    pub role: Role,
    pub prefetch: u32,
    pub processing_time: Distribution,
    pub fail_percent: u32,
    pub on_failure: FailureAction,
    pub notify_when: Option<Map<String, Value>>,
    pub down: bool,
    pub epoch: u64,
    /// Queue consumers: deliveries held (in flight, buffered or in processing), and the buffer.
    pub holding: u32,
    pub buffer: VecDeque<u64>,
    pub processing: Option<u64>,
    /// Group members: owned partitions and the next offset to read in each.
    pub positions: litemap::LiteMap<u32, u64>,
    pub cursor: u32,
    pub fetching: bool,
    pub working: Option<(u32, u64)>,
    pub in_group: bool,
    pub handled: u64,
    pub failed: u64,
    pub duplicates: u64,
    pub notified: u64,
    pub busy_us: u64,
    busy_since: SimTime,
}

#[derive(Clone, Debug)]
pub struct Producer {
    pub entity: EntityId,
    pub target: Target,
    pub keys: Vec<String>,
    pub payloads: Vec<Map<String, Value>>,
    pub emits: Option<EmitsSpec>,
    pub remaining: Option<u64>,
    pub sent: u64,
    pub refused: u64,
    next_key: usize,
    next_payload: usize,
    next_partition: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Exchange(usize),
    Queue(usize),
    Topic(usize),
}

/// All state of the broker pattern.
#[derive(Clone, Debug)]
pub struct BrokerWorld {
    pub entity: Option<EntityId>,
    pub network_delay: Distribution,
    pub down: bool,
    pub epoch: u64,
    pub exchanges: Vec<Exchange>,
    pub queues: Vec<Queue>,
    pub topics: Vec<Topic>,
    pub groups: Vec<Group>,
    pub producers: Vec<Producer>,
    pub consumers: Vec<Consumer>,
    /// Queue messages alive (ready, unacked); removed when acked, dropped or dead-lettered out.
    pub messages: IdMap<Message>,
    next_message: u64,
    /// Messages created (one per queue copy or topic record): the conservation total.
    pub created: u64,
    pub acked_total: u64,
    pub dropped_total: u64,
    /// Join times of members that join later than time 0.
    joins: Vec<(usize, SimDuration)>,
}

fn body_matches(rule: &Map<String, Value>, body: &Map<String, Value>) -> bool {
    rule.iter().all(|(k, v)| body.get(k) == Some(v))
}

impl BrokerWorld {
    pub fn build(spec: &BrokerSpec, entities: &mut Entities) -> Self {
        let mut world = BrokerWorld {
            entity: None,
            network_delay: spec.network_delay.clone(),
            down: false,
            epoch: 0,
            exchanges: Vec::new(),
            queues: Vec::new(),
            topics: Vec::new(),
            groups: Vec::new(),
            producers: Vec::new(),
            consumers: Vec::new(),
            messages: IdMap::new(),
            next_message: 0,
            created: 0,
            acked_total: 0,
            dropped_total: 0,
            joins: Vec::new(),
        };
        if spec.is_empty() {
            return world;
        }
        world.entity = Some(entities.add(&spec.id, EntityKind::Broker, 0));
        let queue_index = |name: &str| spec.queues.iter().position(|q| q.id == name).unwrap_or(0);
        for q in &spec.queues {
            let entity = entities.add(&q.id, EntityKind::Queue, world.queues.len());
            world.queues.push(Queue {
                entity,
                capacity: q.capacity,
                overflow: q.overflow,
                ttl: q.message_ttl,
                max_deliveries: q.max_deliveries,
                dead_letter: q.dead_letter.as_deref().map(queue_index),
                ready: VecDeque::new(),
                unacked: VecDeque::new(),
                consumers: Vec::new(),
                cursor: 0,
                enqueued: 0,
                delivered: 0,
                redelivered: 0,
                acked: 0,
                dead_lettered: 0,
                dropped: litemap::LiteMap::new_vec(),
                depth_max: 0,
            });
        }
        for x in &spec.exchanges {
            let entity = entities.add(&x.id, EntityKind::Exchange, world.exchanges.len());
            world.exchanges.push(Exchange {
                entity,
                kind: x.kind,
                bindings: x
                    .bindings
                    .iter()
                    .map(|b| (queue_index(&b.queue), b.key.clone()))
                    .collect(),
                routed: 0,
                unroutable: 0,
            });
        }
        for t in &spec.topics {
            let entity = entities.add(&t.id, EntityKind::Topic, world.topics.len());
            world.topics.push(Topic {
                entity,
                partitions: (0..t.partitions).map(|_| Partition { log: Vec::new() }).collect(),
                groups: Vec::new(),
            });
        }
        for g in &spec.groups {
            let entity = entities.add(&g.id, EntityKind::ConsumerGroup, world.groups.len());
            let topic = spec.topics.iter().position(|t| t.id == g.topic).unwrap_or(0);
            let partitions = world.topics[topic].partitions.len();
            world.topics[topic].groups.push(world.groups.len());
            world.groups.push(Group {
                entity,
                topic,
                assignor: g.assignor,
                reset: g.auto_offset_reset,
                commit: g.commit.clone(),
                session_timeout: g.session_timeout,
                members: Vec::new(),
                owners: vec![None; partitions],
                committed: vec![None; partitions],
                processed_max: vec![None; partitions],
                generation: 0,
                rebalances: 0,
                commit_timer_armed: false,
            });
        }
        for p in &spec.producers {
            let entity = entities.add(&p.id, EntityKind::Producer, world.producers.len());
            let target = if let Some(x) = &p.exchange {
                Target::Exchange(spec.exchanges.iter().position(|e| &e.id == x).unwrap_or(0))
            } else if let Some(q) = &p.queue {
                Target::Queue(queue_index(q))
            } else {
                Target::Topic(
                    spec.topics
                        .iter()
                        .position(|t| Some(&t.id) == p.topic.as_ref())
                        .unwrap_or(0),
                )
            };
            world.producers.push(Producer {
                entity,
                target,
                keys: p.keys.clone(),
                payloads: p.payloads.clone(),
                emits: p.emits.clone(),
                remaining: p.emits.as_ref().and_then(|e| e.count),
                sent: 0,
                refused: 0,
                next_key: 0,
                next_payload: 0,
                next_partition: 0,
            });
        }
        for (i, c) in spec.consumers.iter().enumerate() {
            let entity = entities.add(&c.id, EntityKind::Consumer, i);
            let role = match (&c.queue, &c.group) {
                (Some(q), _) => {
                    let q = queue_index(q);
                    world.queues[q].consumers.push(i);
                    Role::Queue(q)
                }
                (_, g) => Role::Group(spec.groups.iter().position(|x| Some(&x.id) == g.as_ref()).unwrap_or(0)),
            };
            if matches!(role, Role::Group(_)) {
                world.joins.push((i, c.join_at.unwrap_or(SimDuration::ZERO)));
            }
            world.consumers.push(Consumer {
                entity,
                role,
                prefetch: c.prefetch,
                processing_time: c.processing_time.clone(),
                fail_percent: c.fail_percent,
                on_failure: c.on_failure,
                notify_when: c.notify_when.clone(),
                down: false,
                epoch: 0,
                holding: 0,
                buffer: VecDeque::new(),
                processing: None,
                positions: litemap::LiteMap::new_vec(),
                cursor: 0,
                fetching: false,
                working: None,
                in_group: false,
                handled: 0,
                failed: 0,
                duplicates: 0,
                notified: 0,
                busy_us: 0,
                busy_since: SimTime::ZERO,
            });
        }
        world
    }

    /// Schedules producers' first messages, members' joins and auto-commit timers.
    pub fn start(&mut self, ctx: &mut Ctx) {
        for (p, producer) in self.producers.iter().enumerate() {
            if let Some(e) = &producer.emits {
                if producer.remaining != Some(0) {
                    let first = e.first_delay(ctx.rng);
                    ctx.schedule(first, Pending::Broker(BrokerPending::Emit { producer: p }));
                }
            }
        }
        // Members joining at time 0 join together: one rebalance, as a group starting up.
        let (now, later): (Vec<_>, Vec<_>) = self.joins.iter().partition(|(_, at)| at.0 == 0);
        let mut groups_touched = BTreeSet::new();
        for &(c, _) in &now {
            if let Role::Group(g) = self.consumers[c].role {
                self.add_member(ctx, g, c);
                groups_touched.insert(g);
            }
        }
        for g in groups_touched {
            self.rebalance(ctx, g, None);
        }
        for &(c, at) in &later {
            ctx.schedule(at, Pending::Broker(BrokerPending::Join { consumer: c }));
        }
    }

    /// Starts a group's auto-commit timer if it is not running (it runs while there is progress
    /// to commit, so a quiet group lets a run end).
    fn arm_auto_commit(&mut self, ctx: &mut Ctx, group: usize) {
        let g = &mut self.groups[group];
        if let (CommitPolicy::Auto { interval }, false) = (&g.commit, g.commit_timer_armed) {
            g.commit_timer_armed = true;
            ctx.schedule(*interval, Pending::Broker(BrokerPending::AutoCommit { group }));
        }
    }

    /// Messages waiting in queues (counted against the pending-event limit).
    pub fn queued_total(&self) -> usize {
        self.queues.iter().map(|q| q.ready.len()).sum()
    }

    pub fn handle(&mut self, ctx: &mut Ctx, pending: BrokerPending) {
        match pending {
            BrokerPending::Emit { producer } => {
                let p = &mut self.producers[producer];
                if p.remaining == Some(0) {
                    return;
                }
                if let Some(n) = p.remaining.as_mut() {
                    *n -= 1;
                }
                let more = p.remaining != Some(0);
                let gap = p.emits.as_ref().map(|e| e.every.clone());
                self.produce(ctx, producer, None, None);
                if let (true, Some(gap)) = (more, gap) {
                    let after = gap.sample(ctx.rng);
                    ctx.schedule(after, Pending::Broker(BrokerPending::Emit { producer }));
                }
            }
            BrokerPending::Arrive {
                consumer,
                message,
                epoch,
                broker_epoch,
            } => {
                let c = &mut self.consumers[consumer];
                if c.down || c.epoch != epoch || broker_epoch != self.epoch {
                    return; // its delivery was already requeued by the crash
                }
                c.buffer.push_back(message);
                self.start_processing(ctx, consumer);
            }
            BrokerPending::Done {
                consumer,
                message,
                epoch,
            } => self.done(ctx, consumer, message, epoch),
            BrokerPending::Settle {
                queue,
                consumer,
                message,
                settlement,
                epoch,
                broker_epoch,
            } => self.settle(ctx, queue, consumer, message, settlement, epoch, broker_epoch),
            BrokerPending::Expire { queue, message } => {
                // Out with a consumer now: if it comes back after its expiry, requeue expires it.
                let expired = self.expired(message, ctx.now);
                let q = &mut self.queues[queue];
                if let (true, Some(pos)) = (expired, q.ready.iter().position(|&m| m == message)) {
                    q.ready.remove(pos);
                    self.dead_letter(ctx, queue, message, DropReason::Expired);
                }
            }
            BrokerPending::Fetch {
                consumer,
                epoch,
                generation,
            } => self.fetched(ctx, consumer, epoch, generation),
            BrokerPending::RecordDone {
                consumer,
                partition,
                offset,
                epoch,
            } => self.record_done(ctx, consumer, partition, offset, epoch),
            BrokerPending::Wake { consumer, epoch } => {
                if self.consumers[consumer].epoch == epoch {
                    self.consumers[consumer].fetching = false;
                    self.wake(ctx, consumer);
                }
            }
            BrokerPending::AutoCommit { group } => {
                self.groups[group].commit_timer_armed = false;
                self.commit_all(ctx, group);
                let busy = self.groups[group].members.iter().any(|&m| {
                    let c = &self.consumers[m];
                    c.working.is_some() || c.fetching || self.has_work(m)
                });
                if busy || self.uncommitted(group) {
                    self.arm_auto_commit(ctx, group);
                }
            }
            BrokerPending::SessionExpired { consumer, epoch } => {
                let c = &self.consumers[consumer];
                if c.down && c.epoch == epoch && c.in_group {
                    if let Role::Group(g) = c.role {
                        self.remove_member(ctx, g, consumer);
                        self.rebalance(ctx, g, None);
                    }
                }
            }
            BrokerPending::Join { consumer } => self.join(ctx, consumer),
        }
    }

    // ----- producing ------------------------------------------------------------------------

    /// A producer publishes one message now (`key`/`payload` override its own lists).
    pub fn produce(
        &mut self,
        ctx: &mut Ctx,
        producer: usize,
        key: Option<String>,
        payload: Option<Map<String, Value>>,
    ) {
        let p = &mut self.producers[producer];
        let key = key.or_else(|| {
            let k = p.keys.get(p.next_key % p.keys.len().max(1)).cloned();
            p.next_key += 1;
            k
        });
        let payload = payload.unwrap_or_else(|| {
            let body = p
                .payloads
                .get(p.next_payload % p.payloads.len().max(1))
                .cloned()
                .unwrap_or_default();
            p.next_payload += 1;
            body
        });
        p.sent += 1;
        let (producer_entity, target) = (p.entity, p.target);
        let to = match target {
            Target::Exchange(x) => self.exchanges[x].entity,
            Target::Queue(q) => self.queues[q].entity,
            Target::Topic(t) => self.topics[t].entity,
        };
        if self.down {
            self.producers[producer].refused += 1;
            ctx.record(TraceKind::Broker(BrokerRecord::Refused {
                producer: producer_entity,
                to,
                reason: DropReason::BrokerDown,
            }));
            return;
        }
        match target {
            Target::Topic(t) => self.append_record(ctx, producer, t, key, payload),
            Target::Queue(q) => {
                let message = self.new_message(producer, key.clone().unwrap_or_default(), payload);
                ctx.record(TraceKind::Broker(BrokerRecord::Published {
                    message,
                    producer: producer_entity,
                    to,
                    key: key.unwrap_or_default(),
                }));
                self.enqueue(ctx, q, message, Some(producer));
            }
            Target::Exchange(x) => {
                let key = key.unwrap_or_default();
                let exchange = &self.exchanges[x];
                let mut queues: Vec<usize> = exchange
                    .bindings
                    .iter()
                    .filter(|(_, binding)| match exchange.kind {
                        ExchangeKind::Direct => binding == &key,
                        ExchangeKind::Fanout => true,
                        ExchangeKind::Topic => topic_matches(binding, &key),
                    })
                    .map(|(q, _)| *q)
                    .collect();
                crate::collections::sort_by_key(&mut queues, |&q| q);
                queues.dedup(); // one copy per queue, however many bindings match
                if queues.is_empty() {
                    self.exchanges[x].unroutable += 1;
                    let message = self.new_message(producer, key.clone(), payload);
                    ctx.record(TraceKind::Broker(BrokerRecord::Published {
                        message,
                        producer: producer_entity,
                        to,
                        key,
                    }));
                    self.drop_message(ctx, to, message, DropReason::Unroutable);
                    return;
                }
                self.exchanges[x].routed += 1;
                for q in queues {
                    let message = self.new_message(producer, key.clone(), payload.clone());
                    ctx.record(TraceKind::Broker(BrokerRecord::Published {
                        message,
                        producer: producer_entity,
                        to,
                        key: key.clone(),
                    }));
                    self.enqueue(ctx, q, message, Some(producer));
                }
            }
        }
    }

    fn new_message(&mut self, producer: usize, key: String, payload: Map<String, Value>) -> u64 {
        let id = self.next_message;
        self.next_message += 1;
        self.created += 1;
        self.messages.insert(
            id,
            Message {
                producer,
                key,
                payload,
                deliveries: 0,
                processed: 0,
                expires_at: None,
            },
        );
        id
    }

    fn drop_message(&mut self, ctx: &mut Ctx, at: EntityId, message: u64, reason: DropReason) {
        self.messages.remove(&message);
        self.dropped_total += 1;
        ctx.record(TraceKind::Broker(BrokerRecord::Dropped { message, at, reason }));
    }

    /// Puts a message at the tail of a queue, applying its capacity rule.
    fn enqueue(&mut self, ctx: &mut Ctx, queue: usize, message: u64, publisher: Option<usize>) {
        let q = &mut self.queues[queue];
        if q.capacity.is_some_and(|cap| q.ready.len() as u32 >= cap) {
            match q.overflow {
                Overflow::RejectPublish => {
                    *q.dropped.entry(DropReason::QueueFull).or_insert(0) += 1;
                    let at = q.entity;
                    if let Some(p) = publisher {
                        self.producers[p].refused += 1;
                    }
                    self.drop_message(ctx, at, message, DropReason::QueueFull);
                    return;
                }
                Overflow::DropHead => {
                    if let Some(oldest) = q.ready.pop_front() {
                        self.dead_letter(ctx, queue, oldest, DropReason::Overflow);
                    }
                }
            }
        }
        let q = &mut self.queues[queue];
        q.ready.push_back(message);
        q.enqueued += 1;
        let depth = q.ready.len() as u32;
        q.depth_max = q.depth_max.max(depth);
        ctx.record(TraceKind::Broker(BrokerRecord::Enqueued {
            message,
            queue: q.entity,
            depth,
        }));
        if let Some(ttl) = q.ttl {
            if let Some(m) = self.messages.get_mut(&message) {
                m.expires_at = Some(ctx.now.saturating_add(ttl));
            }
            ctx.schedule(ttl, Pending::Broker(BrokerPending::Expire { queue, message }));
        }
        self.dispatch(ctx, queue);
    }

    fn expired(&self, message: u64, now: SimTime) -> bool {
        self.messages
            .get(&message)
            .and_then(|m| m.expires_at)
            .is_some_and(|at| at <= now)
    }

    /// Sends a message to the queue's dead-letter queue, or drops it (recorded) if it has none.
    fn dead_letter(&mut self, ctx: &mut Ctx, queue: usize, message: u64, reason: DropReason) {
        let q = &mut self.queues[queue];
        match q.dead_letter {
            Some(dlq) => {
                q.dead_lettered += 1;
                let (from, to) = (q.entity, self.queues[dlq].entity);
                ctx.record(TraceKind::Broker(BrokerRecord::DeadLettered {
                    message,
                    from,
                    to,
                    reason,
                }));
                if let Some(m) = self.messages.get_mut(&message) {
                    m.deliveries = 0;
                    m.expires_at = None;
                }
                self.enqueue(ctx, dlq, message, None);
            }
            None => {
                *q.dropped.entry(reason).or_insert(0) += 1;
                let at = q.entity;
                self.drop_message(ctx, at, message, reason);
            }
        }
    }

    // ----- queue consumers --------------------------------------------------------------------

    /// Delivers ready messages to consumers with prefetch room, round-robin.
    fn dispatch(&mut self, ctx: &mut Ctx, queue: usize) {
        if self.down {
            return;
        }
        loop {
            let q = &self.queues[queue];
            if q.ready.is_empty() || q.consumers.is_empty() {
                return;
            }
            let n = q.consumers.len();
            let pick = (0..n).map(|i| (q.cursor + i) % n).find(|&i| {
                let c = &self.consumers[q.consumers[i]];
                !c.down && c.holding < c.prefetch
            });
            let Some(slot) = pick else { return };
            let q = &mut self.queues[queue];
            q.cursor = (slot + 1) % n;
            let consumer = q.consumers[slot];
            let Some(message) = q.ready.pop_front() else { return };
            q.unacked.push_back((message, consumer));
            q.delivered += 1;
            let delivery = match self.messages.get_mut(&message) {
                Some(m) => {
                    m.deliveries += 1;
                    m.deliveries
                }
                None => 1,
            };
            if delivery > 1 {
                q.redelivered += 1;
            }
            let c = &mut self.consumers[consumer];
            c.holding += 1;
            ctx.record(TraceKind::Broker(BrokerRecord::Delivered {
                message,
                queue: q.entity,
                consumer: c.entity,
                delivery,
            }));
            let delay = self.network_delay.sample(ctx.rng);
            let pending = BrokerPending::Arrive {
                consumer,
                message,
                epoch: c.epoch,
                broker_epoch: self.epoch,
            };
            ctx.schedule(delay, Pending::Broker(pending));
        }
    }

    fn start_processing(&mut self, ctx: &mut Ctx, consumer: usize) {
        let c = &mut self.consumers[consumer];
        if c.processing.is_some() {
            return;
        }
        let Some(message) = c.buffer.pop_front() else { return };
        c.processing = Some(message);
        c.busy_since = ctx.now;
        let took = c.processing_time.sample(ctx.rng);
        ctx.schedule(
            took,
            Pending::Broker(BrokerPending::Done {
                consumer,
                message,
                epoch: c.epoch,
            }),
        );
    }

    fn done(&mut self, ctx: &mut Ctx, consumer: usize, message: u64, epoch: u64) {
        let c = &mut self.consumers[consumer];
        if c.epoch != epoch || c.processing != Some(message) {
            return;
        }
        c.processing = None;
        c.busy_us += ctx.now.since(c.busy_since).0;
        let ok = ctx.rng.below(100) >= c.fail_percent as u64;
        let Role::Queue(queue) = c.role else { return };
        let (duplicate, notify) = match self.messages.get_mut(&message) {
            Some(m) => {
                // A failed attempt did not do the work: only a second success is a duplicate.
                let duplicate = ok && m.processed > 0;
                if ok {
                    m.processed += 1;
                }
                let rule = c.notify_when.as_ref();
                (duplicate, ok && rule.is_some_and(|r| body_matches(r, &m.payload)))
            }
            None => (false, false),
        };
        if ok {
            c.handled += 1;
        } else {
            c.failed += 1;
        }
        if duplicate {
            c.duplicates += 1;
        }
        ctx.record(TraceKind::Broker(BrokerRecord::Handled {
            message,
            consumer: c.entity,
            ok,
            duplicate,
        }));
        if notify {
            c.notified += 1;
            ctx.record(TraceKind::Broker(BrokerRecord::Notified {
                message,
                consumer: c.entity,
            }));
        }
        let settlement = match (ok, c.on_failure) {
            (true, _) => SettlementKey::Ack,
            (false, FailureAction::Requeue) => SettlementKey::Requeue,
            (false, FailureAction::Reject) => SettlementKey::Reject,
        };
        let delay = self.network_delay.sample(ctx.rng);
        let pending = BrokerPending::Settle {
            queue,
            consumer,
            message,
            settlement,
            epoch,
            broker_epoch: self.epoch,
        };
        ctx.schedule(delay, Pending::Broker(pending));
        self.start_processing(ctx, consumer);
    }

    #[allow(clippy::too_many_arguments)]
    fn settle(
        &mut self,
        ctx: &mut Ctx,
        queue: usize,
        consumer: usize,
        message: u64,
        settlement: SettlementKey,
        epoch: u64,
        broker_epoch: u64,
    ) {
        let c = &self.consumers[consumer];
        let current = !self.down && broker_epoch == self.epoch && c.epoch == epoch;
        // Settlements mostly come back in delivery order: the search is short.
        let held = self.queues[queue].unacked.iter().position(|&(m, _)| m == message);
        let held = held.filter(|&pos| self.queues[queue].unacked[pos].1 == consumer);
        let (true, Some(pos)) = (current, held) else {
            ctx.record(TraceKind::Broker(BrokerRecord::SettlementLost {
                message,
                consumer: c.entity,
            }));
            return;
        };
        let q = &mut self.queues[queue];
        q.unacked.remove(pos);
        let (queue_entity, consumer_entity) = (q.entity, c.entity);
        self.consumers[consumer].holding -= 1;
        let public = match settlement {
            SettlementKey::Ack => Settlement::Ack,
            SettlementKey::Requeue => Settlement::Requeue,
            SettlementKey::Reject => Settlement::Reject,
        };
        ctx.record(TraceKind::Broker(BrokerRecord::Settled {
            message,
            queue: queue_entity,
            consumer: consumer_entity,
            settlement: public,
        }));
        match settlement {
            SettlementKey::Ack => {
                self.queues[queue].acked += 1;
                self.acked_total += 1;
                self.messages.remove(&message);
            }
            SettlementKey::Requeue => {
                let deliveries = self.messages.get(&message).map(|m| m.deliveries).unwrap_or(0);
                if self.queues[queue].max_deliveries.is_some_and(|max| deliveries >= max) {
                    self.dead_letter(ctx, queue, message, DropReason::DeliveryLimit);
                } else {
                    self.requeue(ctx, queue, message);
                }
            }
            SettlementKey::Reject => self.dead_letter(ctx, queue, message, DropReason::Rejected),
        }
        self.dispatch(ctx, queue);
    }

    /// Puts an unacknowledged message back at the head of its queue.
    fn requeue(&mut self, ctx: &mut Ctx, queue: usize, message: u64) {
        if self.expired(message, ctx.now) {
            self.dead_letter(ctx, queue, message, DropReason::Expired);
            return;
        }
        let q = &mut self.queues[queue];
        q.ready.push_front(message);
        ctx.record(TraceKind::Broker(BrokerRecord::Requeued {
            message,
            queue: q.entity,
        }));
    }

    // ----- topics and groups ----------------------------------------------------------------

    fn append_record(
        &mut self,
        ctx: &mut Ctx,
        producer: usize,
        topic: usize,
        key: Option<String>,
        payload: Map<String, Value>,
    ) {
        let partitions = self.topics[topic].partitions.len() as u32;
        let p = &mut self.producers[producer];
        let partition = match &key {
            Some(k) => partition_for_key(k, partitions),
            None => {
                let next = p.next_partition % partitions;
                p.next_partition = (next + 1) % partitions;
                next
            }
        };
        let message = self.next_message;
        self.next_message += 1;
        self.created += 1;
        let t = &mut self.topics[topic];
        let log = &mut t.partitions[partition as usize].log;
        let offset = log.len() as u64;
        log.push(LogEntry {
            message,
            key: key.clone(),
            payload,
            time: ctx.now,
        });
        let topic_entity = t.entity;
        ctx.record(TraceKind::Broker(BrokerRecord::Produced {
            message,
            producer: p.entity,
            topic: topic_entity,
            partition,
            offset,
            key,
        }));
        // Wake the idle owner of the partition in every group reading this topic.
        let groups = self.topics[topic].groups.clone();
        for g in groups {
            if let Some(owner) = self.groups[g].owners[partition as usize] {
                self.wake(ctx, owner);
            }
        }
    }

    fn add_member(&mut self, ctx: &mut Ctx, group: usize, consumer: usize) {
        let c = &mut self.consumers[consumer];
        c.in_group = true;
        let entity = c.entity;
        let g = &mut self.groups[group];
        g.members.push(consumer);
        crate::collections::sort_by_key(&mut g.members, |&m| m);
        ctx.record(TraceKind::Broker(BrokerRecord::Membership {
            group: g.entity,
            consumer: entity,
            left: false,
        }));
    }

    fn remove_member(&mut self, ctx: &mut Ctx, group: usize, consumer: usize) {
        let c = &mut self.consumers[consumer];
        c.in_group = false;
        let entity = c.entity;
        let g = &mut self.groups[group];
        g.members.retain(|&m| m != consumer);
        ctx.record(TraceKind::Broker(BrokerRecord::Membership {
            group: g.entity,
            consumer: entity,
            left: true,
        }));
    }

    /// A member joins its group now (script or UI).
    pub fn join_now(&mut self, ctx: &mut Ctx, consumer: usize) {
        self.join(ctx, consumer);
    }

    fn join(&mut self, ctx: &mut Ctx, consumer: usize) {
        let c = &self.consumers[consumer];
        if c.in_group || c.down {
            return;
        }
        if let Role::Group(g) = c.role {
            self.add_member(ctx, g, consumer);
            self.rebalance(ctx, g, None);
        }
    }

    /// A member leaves gracefully: with auto-commit its positions are committed first.
    pub fn leave(&mut self, ctx: &mut Ctx, consumer: usize) {
        let c = &self.consumers[consumer];
        if !c.in_group {
            return;
        }
        if let Role::Group(g) = c.role {
            self.remove_member(ctx, g, consumer);
            self.rebalance(ctx, g, Some(consumer));
        }
    }

    /// Reassigns the group's partitions. Members that are still alive commit the positions of
    /// the partitions they give up (graceful revocation) when the group auto-commits;
    /// `graceful_leaver` is a member that left politely and commits too.
    fn rebalance(&mut self, ctx: &mut Ctx, group: usize, graceful_leaver: Option<usize>) {
        let g = &self.groups[group];
        let partitions = g.owners.len() as u32;
        let new_owners = assign(g.assignor, partitions, &g.members, &g.owners);
        let auto = matches!(g.commit, CommitPolicy::Auto { .. });
        let eager = g.assignor != Assignor::CooperativeSticky;
        let old_owners = g.owners.clone();
        for (p, (&old, &new)) in old_owners.iter().zip(&new_owners).enumerate() {
            let Some(old) = old else { continue };
            if Some(old) == new && !eager {
                continue; // cooperative: a partition that stays is not revoked
            }
            let alive = !self.consumers[old].down && (self.consumers[old].in_group || graceful_leaver == Some(old));
            if let Some(position) = self.consumers[old].positions.remove(&(p as u32)) {
                if auto && alive {
                    self.commit(ctx, group, p as u32, position);
                }
            }
        }
        let g = &mut self.groups[group];
        g.owners = new_owners;
        g.generation += 1;
        g.rebalances += 1;
        let (reset, topic) = (g.reset, g.topic);
        let owners = g.owners.clone();
        let committed = g.committed.clone();
        let owner_entities = owners.iter().map(|o| o.map(|c| self.consumers[c].entity)).collect();
        ctx.record(TraceKind::Broker(BrokerRecord::Rebalanced {
            group: g.entity,
            generation: g.generation,
            owners: owner_entities,
        }));
        for (p, owner) in owners.iter().enumerate() {
            let Some(owner) = *owner else { continue };
            let c = &mut self.consumers[owner];
            c.positions.entry(p as u32).or_insert_with(|| match committed[p] {
                Some(offset) => offset,
                None => match reset {
                    OffsetReset::Earliest => 0,
                    OffsetReset::Latest => self.topics[topic].partitions[p].log.len() as u64,
                },
            });
        }
        // A fetch in flight belongs to the old generation; let every member look for work.
        let members = self.groups[group].members.clone();
        for m in members {
            self.consumers[m].fetching = false;
            self.wake(ctx, m);
        }
    }

    fn commit(&mut self, ctx: &mut Ctx, group: usize, partition: u32, offset: u64) {
        let g = &mut self.groups[group];
        let slot = &mut g.committed[partition as usize];
        if *slot == Some(offset) {
            return;
        }
        *slot = Some(offset);
        ctx.record(TraceKind::Broker(BrokerRecord::Committed {
            group: g.entity,
            partition,
            offset,
        }));
    }

    fn commit_all(&mut self, ctx: &mut Ctx, group: usize) {
        if self.down {
            return;
        }
        let members = self.groups[group].members.clone();
        for m in members {
            if self.consumers[m].down {
                continue;
            }
            let positions: Vec<(u32, u64)> = self.consumers[m].positions.iter().map(|(&p, &o)| (p, o)).collect();
            for (p, offset) in positions {
                self.commit(ctx, group, p, offset);
            }
        }
    }

    /// True when a live member's position is ahead of the group's committed offset.
    fn uncommitted(&self, group: usize) -> bool {
        let g = &self.groups[group];
        g.members.iter().any(|&m| {
            let c = &self.consumers[m];
            !c.down
                && c.positions
                    .iter()
                    .any(|(&p, &pos)| g.committed[p as usize] != Some(pos))
        })
    }

    /// An idle member with an owned partition that has unread records fetches the next one.
    fn wake(&mut self, ctx: &mut Ctx, consumer: usize) {
        let c = &self.consumers[consumer];
        let Role::Group(group) = c.role else { return };
        if c.down || !c.in_group || c.fetching || c.working.is_some() || c.positions.is_empty() {
            return;
        }
        if !self.has_work(consumer) {
            return;
        }
        let generation = self.groups[group].generation;
        let c = &mut self.consumers[consumer];
        c.fetching = true;
        let delay = self.network_delay.sample(ctx.rng);
        ctx.schedule(
            delay,
            Pending::Broker(BrokerPending::Fetch {
                consumer,
                epoch: c.epoch,
                generation,
            }),
        );
    }

    fn has_work(&self, consumer: usize) -> bool {
        let c = &self.consumers[consumer];
        let Role::Group(group) = c.role else { return false };
        let topic = &self.topics[self.groups[group].topic];
        c.positions
            .iter()
            .any(|(&p, &pos)| pos < topic.partitions[p as usize].log.len() as u64)
    }

    fn fetched(&mut self, ctx: &mut Ctx, consumer: usize, epoch: u64, generation: u64) {
        let c = &self.consumers[consumer];
        let Role::Group(group) = c.role else { return };
        if c.epoch != epoch || c.down || !c.fetching {
            return;
        }
        if self.groups[group].generation != generation {
            self.consumers[consumer].fetching = false;
            self.wake(ctx, consumer);
            return;
        }
        if self.down {
            ctx.record(TraceKind::Broker(BrokerRecord::BrokerUnavailable {
                consumer: c.entity,
            }));
            ctx.schedule(FETCH_RETRY, Pending::Broker(BrokerPending::Wake { consumer, epoch }));
            return;
        }
        let topic_index = self.groups[group].topic;
        let topic = &self.topics[topic_index];
        let c = &mut self.consumers[consumer];
        c.fetching = false;
        // Round-robin over owned partitions that have records, starting after the last one read.
        let owned: Vec<(u32, u64)> = c.positions.iter().map(|(&p, &o)| (p, o)).collect();
        let start = owned.iter().position(|&(p, _)| p >= c.cursor).unwrap_or(0);
        let pick = (0..owned.len())
            .map(|i| owned[(start + i) % owned.len()])
            .find(|&(p, pos)| pos < topic.partitions[p as usize].log.len() as u64);
        let Some((partition, offset)) = pick else { return };
        c.cursor = partition + 1;
        c.working = Some((partition, offset));
        c.busy_since = ctx.now;
        ctx.record(TraceKind::Broker(BrokerRecord::Fetched {
            message: topic.partitions[partition as usize].log[offset as usize].message,
            consumer: c.entity,
            topic: topic.entity,
            partition,
            offset,
        }));
        let took = c.processing_time.sample(ctx.rng);
        ctx.schedule(
            took,
            Pending::Broker(BrokerPending::RecordDone {
                consumer,
                partition,
                offset,
                epoch,
            }),
        );
    }

    fn record_done(&mut self, ctx: &mut Ctx, consumer: usize, partition: u32, offset: u64, epoch: u64) {
        let c = &mut self.consumers[consumer];
        let Role::Group(group) = c.role else { return };
        if c.epoch != epoch || c.working != Some((partition, offset)) {
            return;
        }
        c.working = None;
        c.busy_us += ctx.now.since(c.busy_since).0;
        c.handled += 1;
        let g = &mut self.groups[group];
        let seen = &mut g.processed_max[partition as usize];
        let duplicate = seen.is_some_and(|max| offset <= max);
        *seen = Some(seen.map_or(offset, |max| max.max(offset)));
        if duplicate {
            c.duplicates += 1;
        }
        let message = self.topics[g.topic].partitions[partition as usize].log[offset as usize].message;
        ctx.record(TraceKind::Broker(BrokerRecord::Processed {
            message,
            consumer: c.entity,
            partition,
            offset,
            duplicate,
        }));
        let entry = &self.topics[g.topic].partitions[partition as usize].log[offset as usize];
        if c.notify_when
            .as_ref()
            .is_some_and(|rule| body_matches(rule, &entry.payload))
        {
            c.notified += 1;
            ctx.record(TraceKind::Broker(BrokerRecord::Notified {
                message: entry.message,
                consumer: c.entity,
            }));
        }
        if g.owners[partition as usize] == Some(consumer) && c.positions.contains_key(&partition) {
            c.positions.insert(partition, offset + 1);
            if g.commit == CommitPolicy::Manual {
                if self.down {
                    ctx.record(TraceKind::Broker(BrokerRecord::BrokerUnavailable {
                        consumer: c.entity,
                    }));
                } else {
                    self.commit(ctx, group, partition, offset + 1);
                }
            }
        } else {
            ctx.record(TraceKind::Broker(BrokerRecord::ProcessedAfterRevoke {
                message,
                consumer: c.entity,
                partition,
                offset,
            }));
        }
        self.arm_auto_commit(ctx, group);
        self.wake(ctx, consumer);
    }

    // ----- faults -----------------------------------------------------------------------------

    /// Crashes or restarts the broker or a consumer; returns false for other kinds.
    pub fn set_down(&mut self, ctx: &mut Ctx, kind: EntityKind, index: usize, down: bool) -> Switch {
        match kind {
            EntityKind::Broker => {
                if self.down == down {
                    return Switch::Unchanged;
                }
                self.down = down;
                if down {
                    self.epoch += 1;
                    // Connections drop: every unacknowledged delivery returns to its queue
                    // (messages are durable), and consumers lose what they had prefetched.
                    for q in 0..self.queues.len() {
                        let unacked = std::mem::take(&mut self.queues[q].unacked);
                        // Back to the head in their delivery order.
                        for (message, _) in unacked.into_iter().rev() {
                            self.requeue(ctx, q, message);
                        }
                    }
                    for c in &mut self.consumers {
                        if matches!(c.role, Role::Queue(_)) {
                            c.holding = 0;
                            c.buffer.clear();
                        }
                    }
                } else {
                    for q in 0..self.queues.len() {
                        self.dispatch(ctx, q);
                    }
                    for c in 0..self.consumers.len() {
                        self.consumers[c].fetching = false;
                        self.wake(ctx, c);
                    }
                }
                Switch::Switched
            }
            EntityKind::Consumer => {
                let c = &mut self.consumers[index];
                if c.down == down {
                    return Switch::Unchanged;
                }
                c.down = down;
                c.epoch += 1;
                c.buffer.clear();
                if c.processing.take().is_some() || c.working.take().is_some() {
                    c.busy_us += ctx.now.since(c.busy_since).0;
                }
                c.fetching = false;
                c.holding = 0;
                match c.role.clone() {
                    Role::Queue(queue) => {
                        if down {
                            let q = &mut self.queues[queue];
                            let mine: Vec<u64> = q
                                .unacked
                                .iter()
                                .filter(|&&(_, who)| who == index)
                                .map(|&(m, _)| m)
                                .collect();
                            q.unacked.retain(|&(_, who)| who != index);
                            for m in mine.into_iter().rev() {
                                self.requeue(ctx, queue, m);
                            }
                        }
                        self.dispatch(ctx, queue);
                    }
                    Role::Group(group) => {
                        if down {
                            // Silent until the session times out: its partitions stall meanwhile.
                            let session = self.groups[group].session_timeout;
                            let epoch = self.consumers[index].epoch;
                            ctx.schedule(
                                session,
                                Pending::Broker(BrokerPending::SessionExpired { consumer: index, epoch }),
                            );
                        } else {
                            // A restarted process is a new member: the old one leaves, it joins.
                            if self.consumers[index].in_group {
                                self.remove_member(ctx, group, index);
                            }
                            self.consumers[index].positions.clear();
                            self.add_member(ctx, group, index);
                            self.rebalance(ctx, group, None);
                        }
                    }
                }
                Switch::Switched
            }
            _ => Switch::Unsupported,
        }
    }

    // ----- reporting --------------------------------------------------------------------------

    /// Every message created, by where it is now: (created, accounted for).
    pub fn message_accounting(&self) -> (u64, u64) {
        let topic_records: u64 = self
            .topics
            .iter()
            .flat_map(|t| &t.partitions)
            .map(|p| p.log.len() as u64)
            .sum();
        let alive = self.messages.len() as u64;
        (
            self.created,
            topic_records + alive + self.acked_total + self.dropped_total,
        )
    }

    pub fn report(&self, entities: &Entities, now: SimTime) -> Vec<EntityReport> {
        let mut out = Vec::new();
        let Some(entity) = self.entity else { return out };
        out.push(
            EntityReport::new(entities.name(entity), "broker")
                .with("down", u64::from(self.down))
                .with("messages_created", self.created)
                .with("acked", self.acked_total)
                .with("dropped", self.dropped_total),
        );
        for x in &self.exchanges {
            out.push(
                EntityReport::new(entities.name(x.entity), "exchange")
                    .with("routed", x.routed)
                    .with("unroutable", x.unroutable),
            );
        }
        for q in &self.queues {
            let dropped = object_of(q.dropped.iter().map(|(r, n)| (r.label().to_string(), Value::from(*n))));
            out.push(
                EntityReport::new(entities.name(q.entity), "queue")
                    .with("enqueued", q.enqueued)
                    .with("ready", q.ready.len() as u64)
                    .with("unacked", q.unacked.len() as u64)
                    .with("delivered", q.delivered)
                    .with("redelivered", q.redelivered)
                    .with("acked", q.acked)
                    .with("dead_lettered", q.dead_lettered)
                    .with("dropped", Value::Object(dropped))
                    .with("depth_max", q.depth_max),
            );
        }
        for t in &self.topics {
            let ends = object_of(
                t.partitions
                    .iter()
                    .enumerate()
                    .map(|(p, part)| (p.to_string(), Value::from(part.log.len() as u64))),
            );
            out.push(
                EntityReport::new(entities.name(t.entity), "topic")
                    .with("records", t.partitions.iter().map(|p| p.log.len() as u64).sum::<u64>())
                    .with("log_end_offsets", Value::Object(ends)),
            );
        }
        for g in &self.groups {
            let lag = g.lag(&self.topics[g.topic]);
            let per_partition = |values: Vec<Value>| -> Value {
                Value::Object(object_of(
                    values.into_iter().enumerate().map(|(p, v)| (p.to_string(), v)),
                ))
            };
            out.push(
                EntityReport::new(entities.name(g.entity), "consumer group")
                    .with("members", g.members.len() as u64)
                    .with("generation", g.generation)
                    .with("rebalances", g.rebalances)
                    .with("lag_total", lag.iter().sum::<u64>())
                    .with("lag", per_partition(lag.iter().map(|&l| Value::from(l)).collect()))
                    .with(
                        "committed",
                        per_partition(
                            g.committed
                                .iter()
                                .map(|c| c.map(Value::from).unwrap_or(Value::Null))
                                .collect(),
                        ),
                    )
                    .with(
                        "owners",
                        per_partition(
                            g.owners
                                .iter()
                                .map(|o| {
                                    o.map(|c| Value::from(entities.name(self.consumers[c].entity)))
                                        .unwrap_or(Value::Null)
                                })
                                .collect(),
                        ),
                    ),
            );
        }
        for p in &self.producers {
            out.push(
                EntityReport::new(entities.name(p.entity), "producer")
                    .with("sent", p.sent)
                    .with("refused", p.refused),
            );
        }
        for c in &self.consumers {
            let busy = c.busy_us
                + if c.processing.is_some() || c.working.is_some() {
                    now.since(c.busy_since).0
                } else {
                    0
                };
            let mut r = EntityReport::new(entities.name(c.entity), "consumer")
                .with("handled", c.handled)
                .with("failed", c.failed)
                .with("duplicates", c.duplicates)
                .with("notified", c.notified)
                .with("utilisation", if now.0 == 0 { 0.0 } else { busy as f64 / now.0 as f64 })
                .with("down", u64::from(c.down));
            if let Role::Group(_) = c.role {
                r = r.with(
                    "partitions",
                    c.positions.keys().map(|p| Value::from(*p)).collect::<Vec<_>>(),
                );
            } else {
                r = r.with("unacked", c.holding);
            }
            out.push(r);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur2_matches_kafkas_published_test_vectors() {
        // The cases of Kafka's own UtilsTest.
        for (text, expected) in [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ] {
            assert_eq!(murmur2(text.as_bytes()), expected, "{text}");
        }
    }
}
