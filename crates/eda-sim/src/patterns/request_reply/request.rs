//! One request in flight: where it is, which attempt it is, and the conservation check that
//! every request sent is accounted for.

use super::pending::OperationKey;
use super::state::RequestReplyWorld;
use crate::kernel::time::SimTime;

/// Where a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestState {
    /// On its way to the service.
    Travelling,
    Waiting,
    InService,
    /// Answered; the answer is on its way back.
    Answering,
    /// Dropped by a crash of its service.
    Lost,
}

#[derive(Clone, Debug)]
pub struct Request {
    pub client: usize,
    pub service: usize,
    pub operation: OperationKey,
    pub attempt: u32,
    pub user: Option<u32>,
    pub sent_at: SimTime,
    /// When it reached its service and was taken in (to measure its time there).
    pub reached_at: SimTime,
    pub state: RequestState,
    /// The client stopped waiting (timed out); a later answer is ignored.
    pub abandoned: bool,
    /// Its idempotency key: the id of the first attempt of what the client asked (retries and
    /// the link's copies keep it).
    pub intent: u64,
    /// A copy the client's link made: the client never sent it and ignores its answer.
    pub copy: bool,
    /// Its idempotency key was seen: it is answered with the order already created.
    pub replayed: bool,
}

impl RequestReplyWorld {
    /// Conservation check: every attempt sent is answered, timed out, lost for good in a crash,
    /// or still on its way. Returns (sent, accounted for).
    pub fn request_accounting(&self) -> (u64, u64) {
        let sent: u64 = self.clients.iter().map(|c| c.sent).sum();
        let timed_out: u64 = self.clients.iter().map(|c| c.timed_out).sum();
        let open = self.requests.values().filter(|r| !r.abandoned).count() as u64;
        (sent, self.answers_received + timed_out + self.lost_unsettled + open)
    }
}
