//! The reducer's editing rules, natively: building from empty, what a missing prerequisite
//! says, and edits kept until what they name exists.

use super::*;

fn model() -> Model {
    Model::order_example()
}

#[test]
fn building_from_empty_edits_properties_and_deletes_after_confirmation() {
    let mut m = model();
    m.apply(Action::Edit(Edit::StartEmpty));
    assert!(
        matches!(m.confirmation, Some(Confirmation::Clear { .. })),
        "a scenario with entities asks first"
    );
    m.apply(Action::Edit(Edit::Confirm(true)));
    assert!(m.sim().entities().is_empty());
    for (kind, name) in [("queue", "work"), ("producer", "jobs"), ("consumer", "worker")] {
        m.apply(Action::Edit(Edit::AddEntity {
            kind: kind.into(),
            name: name.into(),
        }));
    }
    assert_eq!(m.editing, Some(("consumer".to_string(), "worker".to_string())));
    m.apply(Action::Edit(Edit::SetProperty {
        key: "prefetch".into(),
        text: "lots".into(),
    }));
    assert!(m
        .property_error
        .as_ref()
        .is_some_and(|(k, msg)| k == "prefetch" && msg.contains("whole number")));
    m.apply(Action::Edit(Edit::SetProperty {
        key: "prefetch".into(),
        text: "4".into(),
    }));
    assert_eq!(m.property_error, None);
    assert_eq!(m.scenario.broker.consumers[0].prefetch, 4);
    m.apply(Action::Edit(Edit::EditEntity(Some(("producer".into(), "jobs".into())))));
    m.apply(Action::Edit(Edit::SetProperty {
        key: "emits.every".into(),
        text: "100ms".into(),
    }));
    m.apply(Action::Playback(Playback::SeekTime(SimTime(1_000_000))));
    m.apply(Action::Edit(Edit::EditEntity(Some(("queue".into(), "work".into())))));
    m.apply(Action::Edit(Edit::DeleteEntity));
    let Some(Confirmation::Delete { detail, .. }) = &m.confirmation else {
        panic!("deleting a queue with traffic asks first");
    };
    assert!(detail.contains("producer jobs, consumer worker"), "{detail}");
    m.apply(Action::Edit(Edit::Confirm(false)));
    assert_eq!(m.scenario.broker.queues.len(), 1, "cancel keeps it");
    m.apply(Action::Edit(Edit::DeleteEntity));
    m.apply(Action::Edit(Edit::Confirm(true)));
    assert!(m.scenario.broker.is_empty());
    assert_eq!(m.sim().now(), SimTime(1_000_000), "the cursor stays where it was");
}

#[test]
fn a_missing_prerequisite_is_named_next_to_the_add_form() {
    let mut m = Model::new(Scenario::empty(1)).unwrap();
    m.apply(Action::Edit(Edit::AddEntity {
        kind: "client".into(),
        name: "shop".into(),
    }));
    let Some((Field::NewEntity, message)) = &m.field_error else {
        panic!("expected a message for the add form");
    };
    assert!(message.contains("Add a service first"), "{message}");
    assert!(m.sim().entities().is_empty());
}

#[test]
fn a_binding_typed_before_its_queue_exists_is_kept_and_applied_when_the_queue_is_added() {
    let mut m = model();
    m.apply(Action::Edit(Edit::StartEmpty));
    m.apply(Action::Edit(Edit::Confirm(true)));
    m.apply(Action::Edit(Edit::AddEntity {
        kind: "exchange".into(),
        name: "jobs".into(),
    }));
    m.apply(Action::Edit(Edit::AddEntity {
        kind: "queue".into(),
        name: "work".into(),
    }));
    m.apply(Action::Edit(Edit::EditEntity(Some(("exchange".into(), "jobs".into())))));
    m.apply(Action::Edit(Edit::SetProperty {
        key: "bindings".into(),
        text: "work:job.#, parked:job.failed".into(),
    }));
    // The binding to work applies now; the one to parked waits, with nothing lost.
    assert_eq!(m.property_error, None);
    let keys = |m: &Model, q: &str| {
        builder::links(&m.scenario)
            .into_iter()
            .find(|l| l.from == "jobs" && l.to == q)
            .map(|l| l.keys)
    };
    assert_eq!(keys(&m, "work"), Some(vec!["job.#".to_string()]));
    assert_eq!(keys(&m, "parked"), None);
    assert_eq!(m.pending.len(), 1);
    assert_eq!(m.pending[0].waits_for, ["parked"]);
    assert!(
        m.announcement.contains("kept until parked exists"),
        "{}",
        m.announcement
    );
    m.apply(Action::Edit(Edit::AddEntity {
        kind: "queue".into(),
        name: "parked".into(),
    }));
    assert_eq!(keys(&m, "parked"), Some(vec!["job.failed".to_string()]));
    assert_eq!(keys(&m, "work"), Some(vec!["job.#".to_string()]));
    assert!(m.pending.is_empty());
}
