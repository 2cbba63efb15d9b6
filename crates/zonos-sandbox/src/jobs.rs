//! The sandbox's jobs: each one lives QUEUED → PROCESSING → COMPLETED (or FAILED, or ERROR) on its own task, so
//! jobs are independent and concurrent; a few speak at once, the others wait QUEUED. Their status bodies and audio
//! are kept in memory, within a budget, for an hour after they end.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use zonos_api::{GenerateRequest, JobStatus, JobStatusResponse, Output, MODEL_ID, REQUEST_ID_PREFIX};

use super::faults::Fault;
use super::reference::{self, ReferenceError};
use super::speech::{self, Delivery, SpeechError};
use super::stats::Counter;
use super::webhook;
use crate::reach::Reach;

/// The documented timestamp format, e.g. `2026-03-31T10:00:15.000Z`.
pub fn timestamp(at: SystemTime) -> String {
    humantime::format_rfc3339_millis(at).to_string()
}

/// How long each stage takes.
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    pub queue: Duration,
    pub process: Duration,
}

/// What a job needs to run, fixed when it is accepted.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub request: GenerateRequest,
    /// Where its audio will be served.
    pub media_url: String,
    /// Where its final status is POSTed (`X-Webhook-URL`).
    pub webhook_url: Option<String>,
    /// An ending injected for tests (`job-failed`, `job-error`) instead of speech.
    pub injected: Option<Fault>,
    /// A webhook fault injected for tests (`webhook-wrapped`, `webhook-drop`).
    pub webhook_fault: Option<Fault>,
}

/// Why a job produced no audio; the text becomes its `error`.
#[derive(Debug, thiserror::Error)]
enum JobFailure {
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error(transparent)]
    Speech(#[from] SpeechError),
    #[error("the reference audio analysis stopped unexpectedly")]
    Analysis,
}

/// How long a finished job's status and audio are kept.
pub const KEPT_FOR: Duration = Duration::from_secs(60 * 60);
/// What all kept audio may take in memory: the oldest goes first (its status stays, its media answers 404).
const AUDIO_BUDGET: usize = 256 * 1024 * 1024;

/// A finished job's audio, and when it was made.
struct Audio {
    wav: Bytes,
    made: Instant,
}

/// Every job the sandbox has accepted and still keeps.
#[derive(Default)]
pub struct Jobs {
    statuses: Mutex<HashMap<String, (JobStatusResponse, Option<Instant>)>>,
    audio: Mutex<HashMap<String, Audio>>,
}

impl Jobs {
    /// Records a new job as QUEUED and returns its id (`zonos-2_` + a UUID, as documented).
    pub fn accept(&self) -> String {
        let id = format!("{REQUEST_ID_PREFIX}{}", uuid::Uuid::now_v7());
        let now = timestamp(SystemTime::now());
        let status = JobStatusResponse {
            request_id: id.clone(),
            status: JobStatus::Queued,
            model_id: Some(MODEL_ID.to_owned()),
            error: None,
            output: None,
            created_at: Some(now.clone()),
            updated_at: Some(now),
            completed_at: None,
        };
        self.statuses.lock().expect("jobs lock").insert(id.clone(), (status, None));
        id
    }

    /// The job's status body.
    pub fn status(&self, id: &str) -> Option<JobStatusResponse> {
        self.statuses.lock().expect("jobs lock").get(id).map(|(status, _)| status.clone())
    }

    /// The job's WAV; cheap to clone, so each download shares the stored bytes.
    pub fn audio(&self, id: &str) -> Option<Bytes> {
        self.audio.lock().expect("audio lock").get(id).map(|audio| audio.wav.clone())
    }

    /// Keeps a job's audio, letting the oldest go while all of it would exceed the budget.
    fn keep_audio(&self, id: &str, wav: Bytes) {
        let mut kept = self.audio.lock().expect("audio lock");
        kept.insert(id.to_owned(), Audio { wav, made: Instant::now() });
        while kept.values().map(|audio| audio.wav.len()).sum::<usize>() > AUDIO_BUDGET {
            let oldest = kept.iter().min_by_key(|(_, audio)| audio.made).map(|(id, _)| id.clone());
            kept.remove(&oldest.expect("over budget means something is kept"));
        }
    }

    /// Forgets the jobs that had ended `KEPT_FOR` before `now`, and their audio.
    fn expire(&self, now: Instant) {
        let mut statuses = self.statuses.lock().expect("jobs lock");
        statuses.retain(|_, (_, ended)| ended.is_none_or(|ended| now.saturating_duration_since(ended) < KEPT_FOR));
        self.audio.lock().expect("audio lock").retain(|id, _| statuses.contains_key(id));
    }

    /// Applies `change`, stamps it, and returns the new status body.
    fn update(&self, id: &str, change: impl FnOnce(&mut JobStatusResponse)) -> Option<JobStatusResponse> {
        let mut statuses = self.statuses.lock().expect("jobs lock");
        let (status, ended) = statuses.get_mut(id)?;
        change(status);
        let now = timestamp(SystemTime::now());
        if status.status.is_final() {
            status.completed_at = Some(now.clone());
            *ended = Some(Instant::now());
        }
        status.updated_at = Some(now);
        Some(status.clone())
    }

    /// Runs one job to its end (speaking when one of the `speaking` places is free), then calls its webhook if it
    /// has one. Returns its final status.
    pub async fn run(self: Arc<Self>, job: Job, sandbox: Arc<super::Sandbox>) -> Option<JobStatusResponse> {
        let (timings, client, stats) = (sandbox.config.timings, &sandbox.client, &sandbox.stats);
        tokio::time::sleep(timings.queue).await;
        let _speaking = Arc::clone(&sandbox.speaking).acquire_owned().await.expect("never closed");
        self.update(&job.id, |status| status.status = JobStatus::Processing);
        let work = async {
            match job.injected {
                Some(fault) => Err(fault),
                None => Ok(produce(client, &sandbox.config.reach, &job.request).await),
            }
        };
        let (outcome, ()) = tokio::join!(work, tokio::time::sleep(timings.process));
        let ended = self.update(&job.id, |status| match outcome {
            Ok(Ok(wav)) => {
                status.status = JobStatus::Completed;
                status.output = Some(Output {
                    media_url: vec![job.media_url.clone()],
                    media_type: Some("audio/wav".to_owned()),
                    file_name: Some("output.wav".to_owned()),
                    file_size: Some(wav.len() as u64),
                });
                self.keep_audio(&job.id, Bytes::from(wav));
            }
            Ok(Err(failure)) => {
                tracing::warn!(error = %failure, request_id = %job.id, "sandbox job failed");
                status.status = JobStatus::Failed;
                status.error = Some(failure.to_string());
            }
            Err(fault) => {
                (status.status, status.error) = if fault == Fault::JobError {
                    (
                        JobStatus::Error,
                        Some("A system error stopped the job; it was not charged (injected fault)".into()),
                    )
                } else {
                    (
                        JobStatus::Failed,
                        Some("The model could not generate audio for this request (injected fault)".into()),
                    )
                };
            }
        });
        let call_back = job.webhook_url.as_deref().filter(|_| job.webhook_fault != Some(Fault::WebhookDrop));
        if let (Some(url), Some(ended)) = (call_back, &ended) {
            let wrapped = job.webhook_fault == Some(Fault::WebhookWrapped);
            if webhook::deliver(client, url, ended, wrapped).await {
                stats.count(Counter::WebhookDelivered);
            }
        }
        ended
    }
}

/// Forgets expired jobs once a minute, for as long as the sandbox runs.
pub async fn expire_every_minute(jobs: Weak<Jobs>) {
    let minute = Duration::from_secs(60);
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + minute, minute);
    loop {
        ticks.tick().await;
        let Some(jobs) = jobs.upgrade() else { return };
        jobs.expire(Instant::now());
    }
}

/// Fetches and analyses the reference, then speaks the text at its pitch.
async fn produce(client: &reqwest::Client, reach: &Reach, request: &GenerateRequest) -> Result<Vec<u8>, JobFailure> {
    let bytes = reference::fetch(client, reach, &request.reference_audio_url).await?;
    // Decoding and pitch analysis are CPU work: off the async threads.
    let pitch = tokio::task::spawn_blocking(move || reference::decode(bytes)?.pitch_hz())
        .await
        .map_err(|_| JobFailure::Analysis)??;
    // Without a seed each take differs, as a sampled model's do.
    let seed = request.seed.unwrap_or_else(|| uuid::Uuid::new_v4().as_u128() as u32 & 0x7FFF_FFFF);
    Ok(speech::speak(request, Delivery::imitating(pitch, request, seed)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_the_documented_format() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_774_951_215_000);
        assert_eq!(timestamp(at), "2026-03-31T10:00:15.000Z");
    }

    #[test]
    fn finished_jobs_are_forgotten_after_an_hour_and_audio_stays_within_its_budget() {
        let jobs = Jobs::default();
        let (old, recent, running) = (jobs.accept(), jobs.accept(), jobs.accept());
        for id in [&old, &recent] {
            jobs.update(id, |status| status.status = JobStatus::Completed);
            jobs.keep_audio(id, Bytes::from_static(b"RIFF"));
        }
        let later = Instant::now() + KEPT_FOR / 2;
        jobs.update(&recent, |_| {});
        jobs.statuses.lock().unwrap().get_mut(&recent).unwrap().1 = Some(later);
        jobs.expire(later + KEPT_FOR / 2 + Duration::from_secs(1));
        assert_eq!((jobs.status(&old), jobs.audio(&old)), (None, None));
        assert!(jobs.status(&recent).is_some() && jobs.audio(&recent).is_some());
        assert!(jobs.status(&running).is_some(), "a job still running is kept");

        let half = Bytes::from(vec![0u8; AUDIO_BUDGET / 2 + 1]);
        jobs.keep_audio("first", half.clone());
        jobs.keep_audio("second", half);
        assert_eq!(jobs.audio("first"), None, "the oldest audio went to keep within the budget");
        assert!(jobs.audio("second").is_some());
    }

    #[test]
    fn ids_have_the_documented_shape_and_start_queued() {
        let jobs = Jobs::default();
        let id = jobs.accept();
        assert!(zonos_api::is_request_id(&id), "{id}");
        let status = jobs.status(&id).unwrap();
        assert_eq!((status.status, status.output, status.error), (JobStatus::Queued, None, None));
        assert_eq!(jobs.status("zonos-2_unknown"), None);
    }
}
