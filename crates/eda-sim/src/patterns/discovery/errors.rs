//! The error texts of service discovery, as the trace records them and the seed's example
//! prints them.

/// The registry refused a registration: the name is held at another endpoint.
pub const NAME_ALREADY_REGISTERED: &str = "Name already registered";
/// A lookup (or the lookup before a call) found no entry for the name.
pub const NAME_NOT_FOUND: &str = "Name not found";
/// The registry was down when the message reached it: the connection failed.
pub const REGISTRY_UNAVAILABLE: &str = "Registry unavailable";
/// A network partition cut the sender off from the registry: the connection failed.
pub const REGISTRY_UNREACHABLE: &str = "Registry unreachable";
/// No live provider of the name answered at the endpoint before the call timeout.
pub const PROVIDER_UNREACHABLE: &str = "Provider unreachable";
/// The provider answered but does not offer the operation.
pub const UNKNOWN_OPERATION: &str = "Unknown operation";
/// A provider took the call but its answer did not come back before the call timeout.
pub const CALL_TIMED_OUT: &str = "Call timed out";
/// The client was down when asked to act.
pub const CLIENT_DOWN: &str = "Client down";
/// The client crashed while the request was outstanding.
pub const CLIENT_CRASHED: &str = "Client crashed";
/// The client already watches [`MAX_WATCHES`](super::MAX_WATCHES) names.
pub const TOO_MANY_WATCHES: &str = "Too many watched names";
