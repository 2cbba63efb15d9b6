//! The sandbox's jobs: each one lives QUEUED → PROCESSING → COMPLETED (or FAILED) on its own task, so jobs are
//! independent and concurrent. Their status bodies and audio are kept in memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use zonos_api::{GenerateRequest, JobStatus, JobStatusResponse, Output, MODEL_ID, REQUEST_ID_PREFIX};

use super::speech;

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

/// Every job the sandbox has accepted, and what tests may count.
#[derive(Default)]
pub struct Jobs {
    statuses: Mutex<HashMap<String, JobStatusResponse>>,
    audio: Mutex<HashMap<String, Bytes>>,
    accepted: AtomicU64,
    polls: AtomicU64,
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
        self.accepted.fetch_add(1, Ordering::Relaxed);
        id
    }

    /// The job's status body, counted as one poll served.
    pub fn poll(&self, id: &str) -> Option<JobStatusResponse> {
        let status = self.statuses.lock().expect("jobs lock").get(id).cloned();
        if status.is_some() {
            self.polls.fetch_add(1, Ordering::Relaxed);
        }
        status
    }

    /// The job's WAV; cheap to clone, so each download shares the stored bytes.
    pub fn audio(&self, id: &str) -> Option<Bytes> {
        self.audio.lock().expect("audio lock").get(id).cloned()
    }

    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    pub fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
    }

    fn update(&self, id: &str, change: impl FnOnce(&mut JobStatusResponse)) {
        if let Some(status) = self.statuses.lock().expect("jobs lock").get_mut(id) {
            change(status);
            let now = timestamp(SystemTime::now());
            if status.status.is_final() {
                status.completed_at = Some(now.clone());
            }
            status.updated_at = Some(now);
        }
    }

    /// Runs one job to its end. `media_url` is where its audio will be served.
    pub async fn run(self: Arc<Self>, id: String, request: GenerateRequest, timings: Timings, media_url: String) {
        tokio::time::sleep(timings.queue).await;
        self.update(&id, |status| status.status = JobStatus::Processing);
        let (spoken, ()) = tokio::join!(speech::speak(&request), tokio::time::sleep(timings.process));
        match spoken {
            Ok(wav) => {
                let file_size = wav.len() as u64;
                self.audio.lock().expect("audio lock").insert(id.clone(), Bytes::from(wav));
                self.update(&id, |status| {
                    status.status = JobStatus::Completed;
                    status.output = Some(Output {
                        media_url: vec![media_url],
                        media_type: Some("audio/wav".to_owned()),
                        file_name: Some("output.wav".to_owned()),
                        file_size: Some(file_size),
                    });
                });
            }
            Err(error) => {
                tracing::warn!(%error, request_id = %id, "sandbox job failed");
                self.update(&id, |status| {
                    status.status = JobStatus::Failed;
                    status.error = Some(error.to_string());
                });
            }
        }
    }
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
        let status = jobs.poll(&id).unwrap();
        assert_eq!((status.status, status.output, status.error), (JobStatus::Queued, None, None));
        assert_eq!((jobs.accepted(), jobs.polls()), (1, 1));
        assert_eq!(jobs.poll("zonos-2_unknown"), None);
        assert_eq!(jobs.polls(), 1, "an unknown id is not a poll served");
    }
}
