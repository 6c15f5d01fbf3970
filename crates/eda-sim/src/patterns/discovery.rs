//! Publish-subscribe service discovery (the seed's Python registry). SKELETON: being written.

use crate::engine::{Ctx, Entities, EntityKind, Sim, SimError};
use crate::report::EntityReport;
use crate::scenario::{Command, Validator};
use crate::time::SimTime;
use crate::trace::EntityId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoverySpec {}

impl DiscoverySpec {
    pub fn is_empty(&self) -> bool {
        true
    }
    pub fn claim_ids(&self, _v: &mut Validator) {}
    pub fn validate(&self, _v: &mut Validator) {}
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscoveryPending {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum DiscoveryRecord {}

impl DiscoveryRecord {
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
pub struct DiscoveryWorld {}

impl DiscoveryWorld {
    pub fn build(_spec: &DiscoverySpec, _entities: &mut Entities) -> Self {
        DiscoveryWorld {}
    }
    pub fn start(&mut self, _ctx: &mut Ctx) {}
    pub fn handle(&mut self, _ctx: &mut Ctx, pending: DiscoveryPending) {
        match pending {}
    }
    pub fn command(&mut self, _ctx: &mut Ctx, _entities: &Entities, _command: &Command) -> Result<(), SimError> {
        Ok(())
    }
    pub fn set_down(&mut self, _ctx: &mut Ctx, _kind: EntityKind, _index: usize, _down: bool) -> bool {
        false
    }
    pub fn report(&self, _entities: &Entities, _now: SimTime) -> Vec<EntityReport> {
        Vec::new()
    }
}
