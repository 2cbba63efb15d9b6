//! A job's life after Generate: sent once, followed (Server-Sent Events, else polling with backoff) until it ends.
//! [`Jobs`] owns every job of the page; each job is its own signal, so one job's progress redraws only its card.
//! Once the takes' part has loaded, every job is kept in this device's storage as it changes, so a reload loses
//! nothing that was paid for.

mod kept;
mod runner;
mod view;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use zonos_api::{GenerateRequest, JobStatus, Output};

use crate::script::Part;

pub use kept::restore;
pub use runner::{drive, preload_driver, Drive};
pub use view::{job_list, JobActions};

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
    /// The person's name for it, if they gave one.
    #[serde(default)]
    pub name: Option<String>,
    /// Kept by the person: a good take.
    #[serde(default)]
    pub starred: bool,
    /// Its place in a long script, if it is a part of one.
    #[serde(default)]
    pub part: Option<Part>,
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
            name: None,
            starred: false,
            part: None,
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
    fn reloaded(mut self) -> Job {
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

/// Every job of the page, newest last.
#[derive(Debug, Clone, Copy)]
pub struct Jobs {
    list: RwSignal<Vec<RwSignal<Job>>>,
    /// The first number free of the takes kept on this device: a take started before they are back is numbered
    /// after them, so that no two takes ever share a number.
    first_free: u32,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs::new()
    }
}

impl Jobs {
    /// No jobs yet: those kept from earlier visits come with [`restore`].
    pub fn new() -> Jobs {
        Jobs { list: RwSignal::new(Vec::new()), first_free: kept::highest_number() + 1 }
    }

    /// Puts `kept` (from an earlier visit) before the jobs started since the page opened.
    fn put_first(&self, kept: Vec<RwSignal<Job>>) {
        self.list.update(|list| {
            list.splice(0..0, kept);
        });
    }

    /// A new job for `request`, being sent.
    pub fn start(&self, request: GenerateRequest, now_ms: f64) -> RwSignal<Job> {
        let number = self
            .list
            .with_untracked(|list| list.iter().map(|job| job.with_untracked(|job| job.number) + 1).max())
            .unwrap_or(0)
            .max(self.first_free);
        let job = RwSignal::new(Job::new(number, request, now_ms));
        self.list.update(|list| list.push(job));
        job
    }

    /// The parts of a long script, one take each, waiting for their turn.
    pub fn start_script(&self, requests: Vec<GenerateRequest>, now_ms: f64) -> Vec<RwSignal<Job>> {
        let count = requests.len() as u32;
        let mut script = None;
        requests
            .into_iter()
            .enumerate()
            .map(|(index, request)| {
                let job = self.start(request, now_ms);
                let number = job.with_untracked(|job| job.number);
                let part = Part { script: *script.get_or_insert(number), index: index as u32, count };
                job.update(|job| {
                    job.phase = Phase::Waiting;
                    job.part = Some(part);
                });
                job
            })
            .collect()
    }

    /// The number of every script: its first part's.
    pub fn scripts(&self) -> Signal<Vec<u32>> {
        let list = self.list;
        Signal::derive(move || {
            list.with(|list| {
                list.iter()
                    .filter_map(|job| job.with(|job| job.part.filter(|part| part.index == 0)))
                    .map(|part| part.script)
                    .collect()
            })
        })
    }

    /// The parts of script `script`, in order.
    pub fn parts_of(&self, script: u32) -> Signal<Vec<RwSignal<Job>>> {
        let list = self.list;
        Signal::derive(move || {
            list.with(|list| {
                list.iter()
                    .copied()
                    .filter(|job| job.with(|job| job.part.is_some_and(|part| part.script == script)))
                    .collect()
            })
        })
    }

    /// Forgets one take; returns the links to its audio.
    pub fn remove(&self, job: RwSignal<Job>) -> Vec<String> {
        self.list.update(|list| list.retain(|kept| *kept != job));
        job.with_untracked(Job::audio_links)
    }

    /// Forgets every take that is neither running nor starred; returns the links to their audio.
    pub fn clear(&self) -> Vec<String> {
        let mut forgotten = Vec::new();
        self.list.update(|list| {
            list.retain(|job| {
                job.with_untracked(|job| {
                    let kept = job.is_active() || job.starred;
                    if !kept {
                        forgotten.extend(job.audio_links());
                    }
                    kept
                })
            })
        });
        forgotten
    }

    /// The takes whose audio may be removed from this device to make room for `keep`'s: those older than it, with
    /// audio, not starred, oldest first. Only older ones, so that a take whose audio went never pushes out another
    /// when a reload plays it again.
    pub fn removable_audio(&self, keep: RwSignal<Job>) -> Vec<RwSignal<Job>> {
        self.list.with_untracked(|list| {
            list.iter()
                .copied()
                .take_while(|job| *job != keep)
                .filter(|job| job.with_untracked(|job| !job.starred && job.output.is_some()))
                .collect()
        })
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
