//! Checks an event-sourcing section before anything is built: unique names, snapshot intervals,
//! and references to bus sources and stores.

use super::spec::EventStoreSpec;
use crate::kernel::entity::EntityKind;
use crate::kernel::validate::Validator;

impl EventStoreSpec {
    pub fn claim_ids(&self, v: &mut Validator) {
        for (i, s) in self.stores.iter().enumerate() {
            v.claim(format!("event_store.stores[{i}].id"), &s.id, EntityKind::EventStore);
        }
        for (i, p) in self.projections.iter().enumerate() {
            v.claim(
                format!("event_store.projections[{i}].id"),
                &p.id,
                EntityKind::Projection,
            );
        }
    }

    pub fn validate(&self, v: &mut Validator) {
        for (i, s) in self.stores.iter().enumerate() {
            let path = format!("event_store.stores[{i}]");
            if s.snapshot_every == Some(0) {
                v.report(
                    format!("{path}.snapshot_every"),
                    "must be at least 1; leave it out for no snapshots",
                );
            }
            if let Some(publish) = &s.publish_to {
                v.expect(
                    format!("{path}.publish_to.source"),
                    &publish.source,
                    &[EntityKind::EventSource],
                );
                publish.link.validate(v, &format!("{path}.publish_to.link"));
            }
        }
        for (i, p) in self.projections.iter().enumerate() {
            let path = format!("event_store.projections[{i}]");
            v.expect(format!("{path}.store"), &p.store, &[EntityKind::EventStore]);
            v.distribution(format!("{path}.lag"), &p.lag, false);
        }
    }
}
