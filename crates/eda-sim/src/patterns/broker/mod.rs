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
//! duplicates appear exactly where a real system would produce them. Each queue consumer has a
//! delivery guarantee (at-most-once, at-least-once, idempotent) and a link to the broker that may
//! lose, double, delay and reorder what crosses it; every loss and duplicate is recorded. Topic
//! producers choose Kafka's acks, retries and idempotence, over a link of their own, and a
//! topic's partitions may have followers and fail over to one. Group members may write what they
//! process to another topic, in Kafka's transactions, for readers that read committed records.

mod assignor;
mod commit;
mod consumer;
mod crash;
mod dedupe;
mod delivery;
mod exchange;
mod fetch;
mod group;
mod kinds;
mod partition;
mod partitioner;
mod pending;
mod producer;
mod publishing;
mod queue;
mod records;
mod replication;
mod report;
mod spec;
mod topic;
mod transaction;
mod validate;
mod validate_output;
mod world;

pub use assignor::assign;
pub use consumer::{Consumer, Role};
pub use dedupe::DedupeStore;
pub use exchange::{topic_matches, Exchange};
pub use fetch::FETCH_RETRY;
pub use group::{Group, ProcessedOffsets};
pub use kinds::KINDS;
pub use partitioner::{murmur2, partition_for_key};
pub use pending::{BrokerPending, SettlementKey};
pub use producer::{InFlight, Producer, Target};
pub use queue::{Message, Queue};
pub use records::{AbortReason, BrokerRecord, DropReason, LossReason, Settlement};
pub use spec::{
    Acks, Assignor, BindingSpec, BrokerSpec, CommitPolicy, ConsumerSpec, EmitsSpec, ExchangeKind, ExchangeSpec,
    FailureAction, GroupSpec, Guarantee, Isolation, LinkFaults, OffsetReset, Overflow, ProducerSpec, QueueSpec,
    TopicSpec, DEFAULT_DEDUPE_WINDOW, DEFAULT_REQUEST_TIMEOUT,
};
pub use topic::{LogEntry, Partition, Topic};
pub use transaction::{OpenTransaction, Output, TransactionOutcome};
pub use validate::{MAX_DEDUPE_WINDOW, MAX_PARTITIONS, MAX_PREFETCH, MAX_REPLICAS, MAX_RETRIES};
pub use world::BrokerWorld;

/// The context this pattern's handlers work with: they schedule [`BrokerPending`]s and write
/// [`BrokerRecord`]s, and ask other patterns for effects.
pub type Ctx<'a> = crate::kernel::ctx::Ctx<'a, BrokerPending, BrokerRecord>;
