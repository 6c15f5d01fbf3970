//! Event sourcing. SKELETON: being written.

use crate::engine::{Ctx, Entities, Sim, SimError};
use crate::report::EntityReport;
use crate::scenario::{Command, Validator};
use crate::time::SimTime;
use crate::trace::EntityId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventStoreSpec {}

impl EventStoreSpec {
    pub fn is_empty(&self) -> bool {
        true
    }
    pub fn claim_ids(&self, _v: &mut Validator) {}
    pub fn validate(&self, _v: &mut Validator) {}
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorePending {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum StoreRecord {}

impl StoreRecord {
    pub fn verb(&self) -> &'static str {
        match *self {}
    }
    pub fn endpoints(&self) -> (EntityId, Option<EntityId>) {
        match *self {}
    }
    pub fn subject(&self, _sim: &Sim) -> String {
        match *self {}
    }
}

#[derive(Clone, Debug, Default)]
pub struct EventStoreWorld {}

impl EventStoreWorld {
    pub fn build(_spec: &EventStoreSpec, _entities: &mut Entities) -> Self {
        EventStoreWorld {}
    }
    pub fn start(&mut self, _ctx: &mut Ctx) {}
    pub fn handle(&mut self, _ctx: &mut Ctx, pending: StorePending) {
        match pending {}
    }
    pub fn command(&mut self, _ctx: &mut Ctx, _entities: &Entities, _command: &Command) -> Result<(), SimError> {
        Ok(())
    }
    pub fn link(
        &mut self,
        _spec: &EventStoreSpec,
        _entities: &Entities,
        _bus: &crate::patterns::event_bus::EventBusWorld,
    ) {
    }
    pub fn append_effect(
        &mut self,
        _ctx: &mut Ctx,
        _store: usize,
        _stream: String,
        _event_type: String,
        _data: serde_json::Map<String, serde_json::Value>,
    ) {
    }
    pub fn report(&self, _entities: &Entities, _now: SimTime) -> Vec<EntityReport> {
        Vec::new()
    }
}
