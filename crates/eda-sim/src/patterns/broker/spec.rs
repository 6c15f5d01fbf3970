//! The broker's section of a scenario: exchanges, queues, topics, consumer groups, producers and
//! consumers, as the scenario format spells them (serde), with their defaults.

pub use crate::kernel::link::LinkFaults;
use crate::kernel::rng::Distribution;
use crate::kernel::time::SimDuration;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    /// A delivery left unacknowledged this long makes the broker close its consumer's channel
    /// (RabbitMQ's `consumer_timeout`): everything that consumer held goes back to the queue and
    /// the consumer reconnects. Without it, a delivery lost on the way stays unacknowledged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer_timeout: Option<SimDuration>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    pub id: String,
    pub partitions: u32,
    /// Copies of each partition (a leader and its followers); 1 (default): no followers.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub replicas: u32,
    /// How long a follower takes to copy a record from its leader (replicas above 1 only).
    /// Consumers read only what every follower has (the high watermark).
    #[serde(
        default = "default_replication_delay",
        skip_serializing_if = "is_default_replication_delay"
    )]
    pub replication_delay: Distribution,
}

fn is_one(n: &u32) -> bool {
    *n == 1
}
fn default_replication_delay() -> Distribution {
    Distribution::Constant(SimDuration::from_millis(2))
}
fn is_default_replication_delay(d: &Distribution) -> bool {
    *d == default_replication_delay()
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
    /// When the broker acknowledges a record (Kafka's `acks`; default all); for a queue or an
    /// exchange, all and leader are publisher confirms.
    #[serde(default, skip_serializing_if = "Acks::is_default")]
    pub acks: Acks,
    /// How often a record that was not acknowledged within the request
    /// timeout is sent again (default 0: never).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retries: u32,
    /// How long to wait for an acknowledgement before retrying or, retries
    /// spent, giving up (default 1 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<SimDuration>,
    /// Topic producers: Kafka's idempotent producer: every record carries the producer's id and
    /// a sequence number, and the broker discards a copy of a record it already has (needs
    /// acks all).
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotent: bool,
    /// Faults of the link to the broker, both ways (records out,
    /// acknowledgements back). Default: a perfect link.
    #[serde(default, skip_serializing_if = "is_perfect_as_written")]
    pub link: LinkFaults,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// How long a producer with retries waits for an acknowledgement when the scenario does not say.
pub const DEFAULT_REQUEST_TIMEOUT: SimDuration = SimDuration(1_000_000);

/// When the broker acknowledges a record to its producer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Acks {
    /// Never: the producer sends and forgets (it cannot retry what it never hears about).
    None,
    /// When the partition's leader has appended it: a leader failover before its followers
    /// copied it loses an acknowledged record.
    Leader,
    /// When every replica has it (Kafka's default since 3.0).
    #[default]
    All,
}

impl Acks {
    pub fn label(self) -> &'static str {
        match self {
            Acks::None => "acks none",
            Acks::Leader => "acks leader",
            Acks::All => "acks all",
        }
    }

    fn is_default(&self) -> bool {
        *self == Acks::default()
    }
}

/// A producer's stream of messages (the shared stream format).
pub type EmitsSpec = crate::kernel::stream::StreamSpec;

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

/// When a queue consumer's message counts as done for the broker, and whether a repeat is caught.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guarantee {
    /// Automatic acknowledgement: the broker forgets a message as soon as it sends it (no
    /// prefetch limit). Never processed twice; lost if the link drops it or the consumer
    /// crashes before processing it.
    AtMostOnce,
    /// Acknowledgement after processing: nothing acknowledged is lost, but a crash or a lost
    /// ack between processing and the broker's receipt of the ack makes a second processing.
    #[default]
    AtLeastOnce,
    /// At-least-once delivery with a dedupe store keyed by message id (shared by the queue's
    /// idempotent consumers, as a service's database is), written with the processing's own
    /// effects: a message whose id is in the store is acknowledged without processing it again.
    Idempotent,
    /// Group members that write what they process to another topic (`writes_to`): Kafka's
    /// transactions make those records and the offsets consumed one commit, so a crash aborts
    /// both and the records are written again only once the offsets say they must be
    /// (exactly-once within the broker, for readers that read committed records only).
    Transactional,
}

impl Guarantee {
    pub fn label(self) -> &'static str {
        match self {
            Guarantee::AtMostOnce => "at-most-once",
            Guarantee::AtLeastOnce => "at-least-once",
            Guarantee::Idempotent => "exactly-once (idempotent)",
            Guarantee::Transactional => "exactly-once (transactions)",
        }
    }

    fn is_default(&self) -> bool {
        *self == Guarantee::default()
    }
}

/// Which records of a topic a group member reads (Kafka's `isolation.level`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Isolation {
    /// Every record below the high watermark, those of open and aborted transactions too.
    #[default]
    ReadUncommitted,
    /// Only up to the first record of a transaction still open (the last stable offset), and
    /// never a record of an aborted transaction.
    ReadCommitted,
}

impl Isolation {
    pub fn label(self) -> &'static str {
        match self {
            Isolation::ReadUncommitted => "read uncommitted",
            Isolation::ReadCommitted => "read committed",
        }
    }

    fn is_default(&self) -> bool {
        *self == Isolation::default()
    }
}

fn is_perfect_as_written(link: &LinkFaults) -> bool {
    *link == LinkFaults::default()
}

/// Message ids an idempotent consumer's store remembers when the scenario does not say.
pub const DEFAULT_DEDUPE_WINDOW: u32 = 10_000;

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
    /// At-most-once, at-least-once (default) or idempotent. For a group member, at-most-once
    /// commits a record's offset when it fetches it, before processing it.
    #[serde(default, skip_serializing_if = "Guarantee::is_default")]
    pub guarantee: Guarantee,
    /// Idempotent consumers: message ids the dedupe store remembers (default 10,000); an older
    /// repeat is processed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedupe_window: Option<u32>,
    /// Idempotent consumers: key the dedupe store on this body field (an event id the producer
    /// wrote into the message) instead of the message id, so that the same event published
    /// twice, as two messages, is caught too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedupe_on: Option<String>,
    /// Adds up this numeric field of every body it processes (an order's amount): beside what
    /// the messages its queue accepted (or the records its topic's producers count as written)
    /// add up to, losses and duplicates show as money missing or counted twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum_field: Option<String>,
    /// Queue consumers: faults of the link between the broker and this consumer, both ways
    /// (deliveries out, acknowledgements back). Default: a perfect link.
    #[serde(default, skip_serializing_if = "is_perfect_as_written")]
    pub link: LinkFaults,
    /// Group members: read-process-write. Each record it processes is written to this topic
    /// (same key and body), as a stream processor does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writes_to: Option<String>,
    /// Group members: read uncommitted (default) or read committed records only.
    #[serde(default, skip_serializing_if = "Isolation::is_default")]
    pub isolation: Isolation,
}

impl BrokerSpec {
    /// Whether a producer waits for acknowledgements (see [`super::publishing`]): a topic
    /// producer whose acks, retries, idempotence, link or replicated topic make it matter. Any
    /// other publishes as producers always did, and draws nothing more from the generator.
    pub fn waits_for_acks(&self, p: &ProducerSpec) -> bool {
        let replicated = p
            .topic
            .as_ref()
            .is_some_and(|topic| self.topics.iter().any(|t| &t.id == topic && t.replicas > 1));
        replicated
            || p.acks != Acks::default()
            || p.retries > 0
            || p.request_timeout.is_some()
            || p.idempotent
            || !p.link.is_perfect()
    }

    pub fn is_empty(&self) -> bool {
        self.exchanges.is_empty()
            && self.queues.is_empty()
            && self.topics.is_empty()
            && self.groups.is_empty()
            && self.producers.is_empty()
            && self.consumers.is_empty()
    }
}
