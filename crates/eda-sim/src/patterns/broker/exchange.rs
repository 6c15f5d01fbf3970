//! RabbitMQ-like exchanges: the routing rules (direct, fanout, topic with `*` and `#`) that decide
//! which queues get a copy of a published message.

use super::Ctx;
use super::{BrokerRecord, BrokerWorld, DropReason, ExchangeKind};
use crate::kernel::ids::EntityId;
use serde_json::{Map, Value};

#[derive(Clone, Debug)]
pub struct Exchange {
    pub entity: EntityId,
    pub kind: ExchangeKind,
    pub bindings: Vec<(usize, String)>,
    pub routed: u64,
    pub unroutable: u64,
}

impl Exchange {
    /// The queues a message with this routing key goes to, each once however many bindings
    /// match, in queue order.
    pub fn route(&self, routing_key: &str) -> Vec<usize> {
        let mut queues: Vec<usize> = self
            .bindings
            .iter()
            .filter(|(_, binding)| match self.kind {
                ExchangeKind::Direct => binding == routing_key,
                ExchangeKind::Fanout => true,
                ExchangeKind::Topic => topic_matches(binding, routing_key),
            })
            .map(|(q, _)| *q)
            .collect();
        crate::kernel::collections::sort_by_key(&mut queues, |&q| q);
        queues.dedup(); // one copy per queue, however many bindings match
        queues
    }
}

impl BrokerWorld {
    /// A producer publishes through an exchange: one copy of the message to every queue its
    /// routing key reaches, or one copy dropped as unroutable when it reaches none.
    pub(super) fn publish_to_exchange(
        &mut self,
        ctx: &mut Ctx,
        producer: usize,
        exchange: usize,
        (key, payload): (String, Map<String, Value>),
        origin: Option<u64>,
    ) {
        let (producer_entity, to) = (self.producers[producer].entity, self.exchanges[exchange].entity);
        let queues = self.exchanges[exchange].route(&key);
        if queues.is_empty() {
            self.exchanges[exchange].unroutable += 1;
            let message = self.new_message(producer, key.clone(), payload, origin);
            ctx.record(BrokerRecord::Published {
                message,
                producer: producer_entity,
                to,
                key,
            });
            self.drop_message(ctx, to, message, DropReason::Unroutable);
            return;
        }
        self.exchanges[exchange].routed += 1;
        for q in queues {
            let message = self.new_message(producer, key.clone(), payload.clone(), origin);
            ctx.record(BrokerRecord::Published {
                message,
                producer: producer_entity,
                to,
                key: key.clone(),
            });
            self.enqueue(ctx, q, message, Some(producer));
        }
    }
}

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
