//! What makes read-process-write valid: members of a group write to another topic, transactions
//! need something to write, and what members write never comes back to the topic they read
//! (a cycle of topics would process its own records for ever).

use super::{BrokerSpec, ConsumerSpec, Guarantee, Isolation};
use crate::kernel::entity::EntityKind;
use crate::kernel::validate::Validator;

impl BrokerSpec {
    /// A consumer's `writes_to`, `isolation` and transactional guarantee.
    pub(super) fn validate_output(&self, v: &mut Validator, path: &str, c: &ConsumerSpec) {
        let member = c.group.is_some();
        if let Some(topic) = &c.writes_to {
            v.expect(format!("{path}.writes_to"), topic, &[EntityKind::Topic]);
            if !member {
                v.report(
                    format!("{path}.writes_to"),
                    "applies to consumer-group members only (read from a topic, write to another)",
                );
            }
            // One group shares its work among its members: they write to one topic.
            let differs = |o: &&ConsumerSpec| o.group.is_some() && o.group == c.group && o.writes_to != c.writes_to;
            if self.consumers.iter().any(|o| differs(&o)) {
                v.report(
                    format!("{path}.writes_to"),
                    "the members of one group share its partitions: give them all the same writes_to",
                );
            }
            if self.feeds_back(c, topic) {
                v.report(
                    format!("{path}.writes_to"),
                    format!("what it writes to \"{topic}\" would come back to the topic its group reads: records would go round for ever"),
                );
            }
        }
        if c.guarantee == Guarantee::Transactional {
            if !member {
                v.report(
                    format!("{path}.guarantee"),
                    "transactional applies to consumer-group members (Kafka's transactions); a queue consumer can be idempotent",
                );
            } else if c.writes_to.is_none() {
                v.report(
                    format!("{path}.guarantee"),
                    "a transaction commits what a member writes with the offsets it consumed: name the topic it writes to (\"writes_to\")",
                );
            }
        }
        if c.isolation != Isolation::default() && !member {
            v.report(format!("{path}.isolation"), "applies to consumer-group members only");
        }
    }

    /// Whether records written to `topic` by `c` reach, through the writes of other members,
    /// the topic `c`'s group reads. At most one step per topic: the walk stops after that many.
    fn feeds_back(&self, c: &ConsumerSpec, topic: &str) -> bool {
        let read_by = |group: &Option<String>| {
            self.groups
                .iter()
                .find(|g| Some(&g.id) == group.as_ref())
                .map(|g| g.topic.as_str())
        };
        let Some(start) = read_by(&c.group) else { return false };
        let mut frontier = vec![topic];
        let mut seen: Vec<&str> = vec![];
        while let Some(t) = frontier.pop() {
            if t == start {
                return true;
            }
            if seen.contains(&t) || seen.len() > self.topics.len() {
                continue;
            }
            seen.push(t);
            for o in &self.consumers {
                if read_by(&o.group) == Some(t) {
                    frontier.extend(o.writes_to.as_deref());
                }
            }
        }
        false
    }
}
