//! Specification tests of the simulation core, one module per concern, in one test binary.

mod broker;
mod builder;
mod compare;
mod composition;
mod determinism;
mod discovery;
mod engine;
mod event_bus;
mod event_store;
mod flow;
mod handlers_broker;
mod handlers_bus_link;
mod handlers_confirms;
mod handlers_discovery;
mod handlers_event_bus;
mod handlers_event_store;
mod handlers_guarantees;
mod handlers_outbox;
mod handlers_partition;
mod handlers_producers;
mod handlers_request_reply;
mod handlers_rpc_faults;
mod handlers_transactions;
mod lessons;
mod limits;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
#[cfg(not(target_arch = "wasm32"))]
mod properties_guarantees;
#[cfg(not(target_arch = "wasm32"))]
mod properties_outbox;
#[cfg(not(target_arch = "wasm32"))]
mod properties_producers;
#[cfg(not(target_arch = "wasm32"))]
mod properties_transactions;
mod repair;
mod request_reply;
mod rng;
mod scenario;
mod share;
mod support;
mod theory;
mod timeline;
