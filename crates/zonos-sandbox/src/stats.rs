//! What the sandbox counts, so that tests can prove a client sent nothing twice (`GET /__sandbox/stats`).

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

#[derive(Debug, Default)]
pub struct Stats {
    submissions_received: AtomicU64,
    submissions_accepted: AtomicU64,
    polls_received: AtomicU64,
    polls_served: AtomicU64,
    webhooks_delivered: AtomicU64,
}

/// A copy of the counters at one moment, as `GET /__sandbox/stats` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Every submit call that reached the sandbox, refused or not.
    pub submissions_received: u64,
    /// Submissions answered 202: jobs created (and, on a real gateway, paid for).
    pub submissions_accepted: u64,
    pub polls_received: u64,
    /// Status calls answered with a job's status body.
    pub polls_served: u64,
    pub webhooks_delivered: u64,
}

/// One of the counters.
#[derive(Debug, Clone, Copy)]
pub enum Counter {
    SubmissionReceived,
    SubmissionAccepted,
    PollReceived,
    PollServed,
    WebhookDelivered,
}

impl Stats {
    pub fn count(&self, counter: Counter) {
        let field = match counter {
            Counter::SubmissionReceived => &self.submissions_received,
            Counter::SubmissionAccepted => &self.submissions_accepted,
            Counter::PollReceived => &self.polls_received,
            Counter::PollServed => &self.polls_served,
            Counter::WebhookDelivered => &self.webhooks_delivered,
        };
        field.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Snapshot {
        let read = |field: &AtomicU64| field.load(Ordering::Relaxed);
        Snapshot {
            submissions_received: read(&self.submissions_received),
            submissions_accepted: read(&self.submissions_accepted),
            polls_received: read(&self.polls_received),
            polls_served: read(&self.polls_served),
            webhooks_delivered: read(&self.webhooks_delivered),
        }
    }
}
