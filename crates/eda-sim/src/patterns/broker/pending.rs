//! The broker's pending events: messages in flight between the broker and its clients, and its
//! timers (emit, processing done, TTL, auto-commit, session timeout, join).

/// Pending events of this pattern. `epoch`s make events of a crashed incarnation harmless.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrokerPending {
    /// A producer's next message.
    Emit { producer: usize },
    /// A delivery reaches its consumer. `tag` numbers the consumer's deliveries in the order the
    /// broker sent them (AMQP's delivery tag); `doubled`: a faulty link sends this delivery
    /// twice (both arrivals carry the tag).
    Arrive {
        consumer: usize,
        message: u64,
        epoch: u64,
        broker_epoch: u64,
        tag: u64,
        doubled: bool,
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
    /// A delivery's consumer timeout runs out (`delivery`: which delivery of the message).
    AckDeadline {
        queue: usize,
        consumer: usize,
        message: u64,
        delivery: u32,
        epoch: u64,
    },
    /// A producer's record (`origin`: the producer's id for it) reaches the broker.
    PublishArrive { producer: usize, origin: u64 },
    /// The broker's acknowledgement of a record reaches its producer.
    AckArrive { producer: usize, origin: u64 },
    /// A producer's wait for the acknowledgement of its `attempt`th sending runs out.
    RequestTimeout { producer: usize, origin: u64, attempt: u32 },
    /// A member cut off from the broker since network generation `cut` has been silent for its
    /// session timeout.
    SessionSilent { consumer: usize, cut: u64 },
    /// The followers of a partition have copied the record at `offset` from the leader of
    /// `leader_epoch`.
    Replicate {
        topic: usize,
        partition: u32,
        offset: u64,
        leader_epoch: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettlementKey {
    Ack,
    Requeue,
    Reject,
}
