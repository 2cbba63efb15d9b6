//! Fault injection for tests, never on by default: `POST /__sandbox/faults` arms a fault for the next N calls it
//! matches, so that a client's handling of every documented failure can be tested against a real gateway.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// One way the gateway can misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault {
    #[serde(rename = "submit-400")]
    Submit400,
    #[serde(rename = "submit-401")]
    Submit401,
    #[serde(rename = "submit-402")]
    Submit402,
    #[serde(rename = "submit-403")]
    Submit403,
    /// Answered with a `Retry-After` header.
    #[serde(rename = "submit-429")]
    Submit429,
    #[serde(rename = "submit-500")]
    Submit500,
    /// The submission is never answered (within any reasonable client timeout).
    #[serde(rename = "submit-hang")]
    SubmitHang,
    #[serde(rename = "poll-500")]
    Poll500,
    /// A 200 whose body is cut off mid-JSON.
    #[serde(rename = "poll-malformed")]
    PollMalformed,
    #[serde(rename = "poll-hang")]
    PollHang,
    /// A 403 with a bot challenge's web page ("Just a moment…") instead of a status, as some callers of the real
    /// gateway's status endpoint get.
    #[serde(rename = "poll-challenge")]
    PollChallenge,
    /// The next accepted job's callback carries its status under `data`, as some of the real gateway's do.
    #[serde(rename = "webhook-wrapped")]
    WebhookWrapped,
    /// The next accepted job never calls its webhook back.
    #[serde(rename = "webhook-drop")]
    WebhookDrop,
    /// The next accepted job ends FAILED.
    #[serde(rename = "job-failed")]
    JobFailed,
    /// The next accepted job ends ERROR (a system error: not charged).
    #[serde(rename = "job-error")]
    JobError,
    #[serde(rename = "media-404")]
    Media404,
}

/// The kind of call a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Submit,
    Poll,
    /// A job, when it is accepted.
    Job,
    /// A job's webhook, when it is accepted.
    Webhook,
    Media,
}

impl Fault {
    fn call(self) -> Call {
        match self {
            Fault::Submit400
            | Fault::Submit401
            | Fault::Submit402
            | Fault::Submit403
            | Fault::Submit429
            | Fault::Submit500
            | Fault::SubmitHang => Call::Submit,
            Fault::Poll500 | Fault::PollMalformed | Fault::PollHang | Fault::PollChallenge => Call::Poll,
            Fault::JobFailed | Fault::JobError => Call::Job,
            Fault::WebhookWrapped | Fault::WebhookDrop => Call::Webhook,
            Fault::Media404 => Call::Media,
        }
    }
}

/// `POST /__sandbox/faults`'s body, and what is armed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Armed {
    pub fault: Fault,
    /// How many matching calls misbehave.
    #[serde(default = "one")]
    pub count: u32,
    /// The `Retry-After` seconds of `submit-429`.
    #[serde(default = "one_u64")]
    pub retry_after: u64,
}

fn one() -> u32 {
    1
}

fn one_u64() -> u64 {
    1
}

/// The armed faults, consumed first armed, first used.
#[derive(Default)]
pub struct Faults(Mutex<Vec<Armed>>);

impl Faults {
    pub fn arm(&self, armed: Armed) {
        if armed.count > 0 {
            self.0.lock().expect("faults lock").push(armed);
        }
    }

    pub fn armed(&self) -> Vec<Armed> {
        self.0.lock().expect("faults lock").clone()
    }

    pub fn clear(&self) {
        self.0.lock().expect("faults lock").clear();
    }

    /// The fault this call must suffer, if one is armed for its kind; it counts as one use.
    pub fn take(&self, call: Call) -> Option<Armed> {
        let mut armed = self.0.lock().expect("faults lock");
        let index = armed.iter().position(|entry| entry.fault.call() == call)?;
        let taken = armed[index];
        armed[index].count -= 1;
        if armed[index].count == 0 {
            armed.remove(index);
        }
        Some(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_serves_its_count_of_matching_calls_in_order() {
        let faults = Faults::default();
        faults.arm(serde_json::from_str(r#"{"fault": "poll-500", "count": 2}"#).unwrap());
        faults.arm(serde_json::from_str(r#"{"fault": "submit-429", "retry_after": 3}"#).unwrap());
        faults.arm(serde_json::from_str(r#"{"fault": "poll-hang"}"#).unwrap());
        assert_eq!(faults.take(Call::Media), None);
        let taken = faults.take(Call::Submit).unwrap();
        assert_eq!((taken.fault, taken.retry_after), (Fault::Submit429, 3));
        assert_eq!(faults.take(Call::Submit), None);
        let polls: Vec<_> = std::iter::from_fn(|| faults.take(Call::Poll)).map(|armed| armed.fault).collect();
        assert_eq!(polls, [Fault::Poll500, Fault::Poll500, Fault::PollHang]);
        assert!(faults.armed().is_empty());
    }

    #[test]
    fn an_unknown_fault_is_refused_naming_the_known_ones() {
        let error = serde_json::from_str::<Armed>(r#"{"fault": "submit-418"}"#).unwrap_err().to_string();
        assert!(error.contains("submit-429") && error.contains("media-404"), "{error}");
    }
}
