//! A job's life after Generate: sent once, followed (Server-Sent Events, else polling with backoff) until it ends.
//! [`Jobs`] owns every job of the page; each job is its own signal, so one job's progress redraws only its card.

pub mod follower;
mod runner;
mod view;

use leptos::prelude::*;
use zonos_api::{GenerateRequest, JobStatus, Output};

pub use runner::{check_again, run};
pub use view::{JobActions, JobList};

/// Where a job stands, as the page tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
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
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub status: JobStatus,
    pub since_ms: f64,
}

/// How the final status arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Events,
    Polling,
    /// The gateway answered the submission with the result itself.
    AtOnce,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
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
}

impl Job {
    pub fn new(number: u32, request: GenerateRequest, now_ms: f64) -> Job {
        Job {
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
        matches!(self.phase, Phase::Sending | Phase::WaitingToResend | Phase::Following)
    }
}

/// Every job of the page, newest last.
#[derive(Debug, Clone, Copy)]
pub struct Jobs {
    list: RwSignal<Vec<RwSignal<Job>>>,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs { list: RwSignal::new(Vec::new()) }
    }
}

impl Jobs {
    /// A new job for `request`, being sent.
    pub fn start(&self, request: GenerateRequest, now_ms: f64) -> RwSignal<Job> {
        let number = self.list.with_untracked(Vec::len) as u32 + 1;
        let job = RwSignal::new(Job::new(number, request, now_ms));
        self.list.update(|list| list.push(job));
        job
    }

    pub fn list(&self) -> Signal<Vec<RwSignal<Job>>> {
        self.list.into()
    }

    /// Whether a submission is on its way: Generate waits for it, so one press is one submission.
    pub fn sending(&self) -> Signal<bool> {
        let list = self.list;
        Signal::derive(move || list.with(|list| list.iter().any(|job| job.with(|job| job.phase == Phase::Sending))))
    }
}
