//! The sandbox's jobs: each one lives QUEUED → PROCESSING → COMPLETED (or FAILED, or ERROR) on its own task, so
//! jobs are independent and concurrent. Their status bodies and audio are kept in memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use zonos_api::{GenerateRequest, JobStatus, JobStatusResponse, Output, MODEL_ID, REQUEST_ID_PREFIX};

use super::faults::Fault;
use super::reference::{self, ReferenceError};
use super::speech::{self, Delivery, SpeechError};
use super::stats::{Counter, Stats};
use super::webhook;

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

/// Every job the sandbox has accepted.
#[derive(Default)]
pub struct Jobs {
    statuses: Mutex<HashMap<String, JobStatusResponse>>,
    audio: Mutex<HashMap<String, Bytes>>,
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
        self.statuses.lock().expect("jobs lock").insert(id.clone(), status);
        id
    }

    /// The job's status body.
    pub fn status(&self, id: &str) -> Option<JobStatusResponse> {
        self.statuses.lock().expect("jobs lock").get(id).cloned()
    }

    /// The job's WAV; cheap to clone, so each download shares the stored bytes.
    pub fn audio(&self, id: &str) -> Option<Bytes> {
        self.audio.lock().expect("audio lock").get(id).cloned()
    }

    /// Applies `change`, stamps it, and returns the new status body.
    fn update(&self, id: &str, change: impl FnOnce(&mut JobStatusResponse)) -> Option<JobStatusResponse> {
        let mut statuses = self.statuses.lock().expect("jobs lock");
        let status = statuses.get_mut(id)?;
        change(status);
        let now = timestamp(SystemTime::now());
        if status.status.is_final() {
            status.completed_at = Some(now.clone());
        }
        status.updated_at = Some(now);
        Some(status.clone())
    }

    /// Runs one job to its end, then calls its webhook if it has one.
    pub async fn run(self: Arc<Self>, job: Job, timings: Timings, client: reqwest::Client, stats: Arc<Stats>) {
        tokio::time::sleep(timings.queue).await;
        self.update(&job.id, |status| status.status = JobStatus::Processing);
        let work = async {
            match job.injected {
                Some(fault) => Err(fault),
                None => Ok(produce(&client, &job.request).await),
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
                self.audio.lock().expect("audio lock").insert(job.id.clone(), Bytes::from(wav));
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
        if let (Some(url), Some(ended)) = (&job.webhook_url, ended) {
            if webhook::deliver(&client, url, &ended).await {
                stats.count(Counter::WebhookDelivered);
            }
        }
    }
}

/// Fetches and analyses the reference, then speaks the text at its pitch.
async fn produce(client: &reqwest::Client, request: &GenerateRequest) -> Result<Vec<u8>, JobFailure> {
    let bytes = reference::fetch(client, &request.reference_audio_url).await?;
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
    fn ids_have_the_documented_shape_and_start_queued() {
        let jobs = Jobs::default();
        let id = jobs.accept();
        assert!(zonos_api::is_request_id(&id), "{id}");
        let status = jobs.status(&id).unwrap();
        assert_eq!((status.status, status.output, status.error), (JobStatus::Queued, None, None));
        assert_eq!(jobs.status("zonos-2_unknown"), None);
    }
}
