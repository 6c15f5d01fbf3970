//! Everything that can be pending in the event queue: a script entry or one pattern's own event.

use crate::patterns::broker::BrokerPending;
use crate::patterns::discovery::DiscoveryPending;
use crate::patterns::event_bus::BusPending;
use crate::patterns::event_store::StorePending;
use crate::patterns::request_reply::RpcPending;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Entry `n` of the scenario's script.
    Script(usize),
    Bus(BusPending),
    Rpc(RpcPending),
    Broker(BrokerPending),
    Discovery(DiscoveryPending),
    Store(StorePending),
}

/// Each pattern's own pending event, as the queue holds it.
macro_rules! from_pattern {
    ($($variant:ident($ty:ty)),*) => {
        $(impl From<$ty> for Pending {
            #[inline]
            fn from(pending: $ty) -> Pending {
                Pending::$variant(pending)
            }
        })*
    };
}

from_pattern!(
    Bus(BusPending),
    Rpc(RpcPending),
    Broker(BrokerPending),
    Discovery(DiscoveryPending),
    Store(StorePending)
);
