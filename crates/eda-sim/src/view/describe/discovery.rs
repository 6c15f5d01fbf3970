//! How a discovery record reads in the event log: its verb, who sent it to whom, and its subject.

use crate::kernel::names::Names;
use crate::patterns::discovery::UNKNOWN_OPERATION;
use crate::patterns::discovery::{DiscoveryRecord, ProviderAction};

impl DiscoveryRecord {
    pub fn verb(&self) -> &'static str {
        match self {
            DiscoveryRecord::Register { .. } => "Register",
            DiscoveryRecord::Heartbeat { .. } => "Heartbeat",
            DiscoveryRecord::Deregister { .. } => "Deregister",
            DiscoveryRecord::Registered { .. } => "Registered",
            DiscoveryRecord::Refused { .. } => "Refused",
            DiscoveryRecord::Deregistered { .. } => "Deregistered",
            DiscoveryRecord::Expired { .. } => "Expired",
            DiscoveryRecord::ProviderFailed { action, .. } => match action {
                ProviderAction::Register => "Register failed",
                ProviderAction::Heartbeat => "Heartbeat failed",
                ProviderAction::Deregister => "Deregister failed",
            },
            DiscoveryRecord::Lookup { .. } => "Lookup",
            DiscoveryRecord::Found { .. } => "Found",
            DiscoveryRecord::LookupFailed { .. } => "Lookup failed",
            DiscoveryRecord::Watch { .. } => "Watch",
            DiscoveryRecord::Watching { .. } => "Watching",
            DiscoveryRecord::WatchFailed { .. } => "Watch failed",
            DiscoveryRecord::Notify { .. } => "Notify",
            DiscoveryRecord::Notified { .. } => "Notified",
            DiscoveryRecord::NotificationLost { .. } => "Notification lost",
            DiscoveryRecord::Call { .. } => "Call",
            DiscoveryRecord::Served { .. } => "Served",
            DiscoveryRecord::Replied { .. } => "Replied",
            DiscoveryRecord::CallFailed { .. } => "Call failed",
        }
    }

    pub fn subject(&self, _names: &dyn Names) -> String {
        match self {
            DiscoveryRecord::Register { name, endpoint, .. }
            | DiscoveryRecord::Registered { name, endpoint, .. }
            | DiscoveryRecord::Found { name, endpoint, .. } => format!("{name} → {endpoint}"),
            DiscoveryRecord::Refused {
                name, endpoint, error, ..
            } => format!("{name} → {endpoint}: {error}"),
            DiscoveryRecord::Heartbeat { name, .. }
            | DiscoveryRecord::Deregister { name, .. }
            | DiscoveryRecord::Lookup { name, .. }
            | DiscoveryRecord::Watch { name, .. }
            | DiscoveryRecord::Watching { name, .. }
            | DiscoveryRecord::NotificationLost { name, .. } => name.clone(),
            DiscoveryRecord::Deregistered { name, removed, .. } => {
                if *removed {
                    format!("{name} removed")
                } else {
                    format!("{name} (not held)")
                }
            }
            DiscoveryRecord::Expired {
                name, last_heartbeat, ..
            } => {
                format!("{name} (last heartbeat at {last_heartbeat})")
            }
            DiscoveryRecord::ProviderFailed { name, error, .. }
            | DiscoveryRecord::LookupFailed { name, error, .. }
            | DiscoveryRecord::WatchFailed { name, error, .. } => format!("{name}: {error}"),
            DiscoveryRecord::Notify { name, endpoint, .. } | DiscoveryRecord::Notified { name, endpoint, .. } => {
                match endpoint {
                    Some(endpoint) => format!("{name} → {endpoint}"),
                    None => format!("{name} gone"),
                }
            }
            DiscoveryRecord::Call {
                name,
                operation,
                payload,
                ..
            } => format!("{name}.{operation}({})", quoted(payload)),
            DiscoveryRecord::Served {
                name, operation, known, ..
            } => {
                if *known {
                    format!("{name}.{operation}")
                } else {
                    format!("{name}.{operation}: {UNKNOWN_OPERATION}")
                }
            }
            DiscoveryRecord::Replied {
                name,
                operation,
                payload,
                ..
            } => format!("{name}.{operation} → {}", quoted(payload)),
            DiscoveryRecord::CallFailed {
                name, operation, error, ..
            } => format!("{name}.{operation}: {error}"),
        }
    }
}

/// A payload as shown in the log: quoted, and cut short if long.
fn quoted(payload: &str) -> String {
    const SHOWN_CHARS: usize = 40;
    if payload.chars().count() > SHOWN_CHARS {
        let head: String = payload.chars().take(SHOWN_CHARS).collect();
        format!("{:?}…", &head)
    } else {
        format!("{payload:?}")
    }
}
