//! A take: one job of the page, from Generate to its end, as the page tells it and keeps it.

use serde::{Deserialize, Serialize};

use crate::consent::Consent;
use zonos_api::{GenerateRequest, JobStatus, Output};

/// Where a take stands in a long script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The script's number: its first take's.
    pub script: u32,
    pub index: u32,
    pub count: u32,
}

/// A take sent as one of a set of variations (see [`crate::variations`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variation {
    /// The set's number: its first take's.
    pub set: u32,
    /// What tells it from the others in the set ("Seed 1234").
    pub label: String,
}

/// Where a job stands, as the page tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// A part of a script, waiting for its turn to be sent.
    Waiting,
    /// Being sent.
    Sending,
    /// The gateway said "too many requests" before accepting it: it is sent again after a pause.
    WaitingToResend,
    /// Sent, but no answer says whether the gateway accepted it: never sent again without the person asking.
    Uncertain,
    /// Refused before it was accepted (400, 401, 402, 403…).
    Refused,
    /// Accepted; its status is being followed.
    Following,
    /// The person stopped following it (the gateway has no cancel: it may still run).
    Stopped,
    /// The page stopped following it (a deadline, or the gateway refusing status calls).
    GaveUp,
    /// It ended: COMPLETED, FAILED or ERROR.
    Ended(JobStatus),
}

/// A status the job was seen in, and when (the page's clock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub status: JobStatus,
    pub since_ms: f64,
}

/// How the final status arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    Events,
    Polling,
    /// The gateway answered the submission with the result itself.
    AtOnce,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Take {
    /// What tells it from every other take, in every page of the origin (a take kept by an earlier version has
    /// none: it is given one as it is read, see [`crate::kept`]).
    #[serde(default)]
    pub id: String,
    /// The page's own number for it: "Take 3".
    pub number: u32,
    pub request: GenerateRequest,
    pub phase: Phase,
    pub sent_ms: f64,
    pub request_id: Option<String>,
    pub status_url: Option<String>,
    pub stages: Vec<Stage>,
    pub ended_ms: Option<f64>,
    /// What went wrong, in plain words.
    pub problem: Option<String>,
    /// A passing remark: a status call that failed and will be made again.
    pub notice: Option<String>,
    pub output: Option<Output>,
    pub delivery: Option<Delivery>,
    /// The person's name for it, if they gave one.
    #[serde(default)]
    pub name: Option<String>,
    /// Kept by the person: a good take.
    #[serde(default)]
    pub starred: bool,
    /// Its place in a long script, if it is a part of one.
    #[serde(default)]
    pub part: Option<Part>,
    /// Its place in a set of variations, if it is one of them.
    #[serde(default)]
    pub variation: Option<Variation>,
    /// The speaker's consent to the cloning of its voice (none for a sample voice).
    #[serde(default)]
    pub consent: Option<Consent>,
}

impl Take {
    /// A new take, being sent; `id` must be unique (the page draws it at random).
    pub fn new(id: String, number: u32, request: GenerateRequest, now_ms: f64) -> Take {
        Take {
            id,
            number,
            request,
            phase: Phase::Sending,
            sent_ms: now_ms,
            request_id: None,
            status_url: None,
            stages: Vec::new(),
            ended_ms: None,
            problem: None,
            notice: None,
            output: None,
            delivery: None,
            name: None,
            starred: false,
            part: None,
            variation: None,
            consent: None,
        }
    }

    /// Notes the status, if it is new, at `now_ms`.
    pub fn record(&mut self, status: JobStatus, now_ms: f64) {
        if self.stages.last().map(|stage| stage.status) != Some(status) {
            self.stages.push(Stage { status, since_ms: now_ms });
        }
        if status.is_final() {
            self.phase = Phase::Ended(status);
            self.ended_ms.get_or_insert(now_ms);
        }
    }

    /// Seconds spent in `status`, if the job was seen in it and has moved on (or until `now_ms`).
    pub fn seconds_in(&self, status: JobStatus, now_ms: f64) -> Option<f64> {
        let index = self.stages.iter().position(|stage| stage.status == status)?;
        let until = self.stages.get(index + 1).map(|next| next.since_ms).or(self.ended_ms).unwrap_or(now_ms);
        Some((until - self.stages[index].since_ms).max(0.0) / 1000.0)
    }

    /// Whether the page is still working on it.
    pub fn is_active(&self) -> bool {
        matches!(self.phase, Phase::Waiting | Phase::Sending | Phase::WaitingToResend | Phase::Following)
    }

    /// The gateway's links to this take's audio.
    pub fn audio_links(&self) -> Vec<String> {
        self.output.as_ref().map(|output| output.media_url.clone()).unwrap_or_default()
    }

    /// The job as a reload finds it: one that was being followed is followed again; one caught being sent may
    /// have been accepted, so it is not sent again by itself.
    pub fn reloaded(mut self) -> Take {
        match self.phase {
            Phase::Sending => {
                self.phase = Phase::Uncertain;
                self.problem = Some(
                    "The page was closed while this was being sent: it may have been accepted. Check before you send it again."
                        .to_owned(),
                );
            }
            Phase::Waiting | Phase::WaitingToResend => {
                self.phase = Phase::Refused;
                self.problem = Some("The page was closed before this could be sent again: it was not sent.".to_owned());
            }
            _ => {}
        }
        self
    }
}
