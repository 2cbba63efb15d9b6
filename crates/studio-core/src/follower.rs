//! Following an accepted job by polling, as a state machine with no I/O: given what the last status call
//! returned, it says when to ask again, or that the job has ended, or that it is time to give up.

use zonos_api::JobStatusResponse;

use crate::GatewayError;

/// The longest pause between two status calls, however often they fail.
pub const MAX_BACKOFF_MS: u32 = 60_000;
/// How long a job is followed before the page stops asking: far longer than a job takes.
pub const DEADLINE_MS: f64 = 15.0 * 60.0 * 1000.0;

/// What to do after a status call.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Ask again after `ms`; `notice` says why it is later than usual, if it is.
    PollIn { ms: u32, notice: Option<String> },
    /// The job ended (COMPLETED, FAILED or ERROR).
    Finished(Box<JobStatusResponse>),
    /// Stop following, for this reason.
    GiveUp(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Follower {
    interval_ms: u32,
    /// The current pause after failures; back to `interval_ms` after a good answer.
    backoff_ms: u32,
    deadline_ms: f64,
}

fn seconds(ms: u32) -> u32 {
    ms.div_ceil(1000)
}

impl Follower {
    /// Polls every `interval_seconds` (the docs advise 5–10), from a job accepted at `started_ms`.
    pub fn new(interval_seconds: u32, started_ms: f64) -> Follower {
        let interval_ms = interval_seconds.max(1) * 1000;
        Follower { interval_ms, backoff_ms: interval_ms, deadline_ms: started_ms + DEADLINE_MS }
    }

    /// The pause before the first status call.
    pub fn first_pause(&self) -> u32 {
        self.interval_ms
    }

    /// The pause after a failure: doubled each time, within bounds.
    fn back_off(&mut self, at_least_ms: u32) -> u32 {
        self.backoff_ms = (self.backoff_ms.saturating_mul(2)).clamp(at_least_ms, MAX_BACKOFF_MS.max(at_least_ms));
        self.backoff_ms
    }

    pub fn next(&mut self, outcome: Result<JobStatusResponse, GatewayError>, now_ms: f64) -> Next {
        let next = match outcome {
            Ok(status) if status.status.is_final() => return Next::Finished(Box::new(status)),
            Ok(_) => {
                self.backoff_ms = self.interval_ms;
                Next::PollIn { ms: self.interval_ms, notice: None }
            }
            Err(error) => match (error.rate_limited(), error.status()) {
                (Some(retry_after), _) => {
                    let ms = self.back_off(retry_after * 1000);
                    Next::PollIn {
                        ms,
                        notice: Some(format!("The gateway asked to slow down: checking again in {} s.", seconds(ms))),
                    }
                }
                (None, Some(status)) if status < 500 => {
                    return Next::GiveUp(format!("The status could not be checked: {}", error.message()));
                }
                _ => {
                    let ms = self.back_off(self.interval_ms);
                    // Blocked, the job still ends: by its callback, or by a later check that gets through.
                    let waiting = match error {
                        GatewayError::Blocked { .. } => "Still waiting for its callback;",
                        _ => "The job is safe:",
                    };
                    Next::PollIn {
                        ms,
                        notice: Some(format!("{} {waiting} checking again in {} s.", error.message(), seconds(ms))),
                    }
                }
            },
        };
        if now_ms >= self.deadline_ms {
            let minutes = (DEADLINE_MS / 60_000.0) as u32;
            return Next::GiveUp(format!(
                "No final status after {minutes} minutes: stopped checking. The job may still finish at the gateway."
            ));
        }
        next
    }
}
