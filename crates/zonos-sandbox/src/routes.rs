//! The sandbox's endpoints, answering exactly as the docs describe, plus its test controls under `/__sandbox`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use zonos_api::{GenerateRequest, JobStatus, JobStatusResponse, SubmitAccepted, API_KEY_HEADER, MODEL_ID};

use super::faults::{Armed, Call, Fault};
use super::jobs::Job;
use super::stats::{Counter, Snapshot};
use super::voices;
use super::Sandbox;

/// How long a `*-hang` fault keeps a call unanswered: longer than any sensible client timeout.
const HANG: Duration = Duration::from_secs(300);
/// What `poll-challenge` answers: a bot challenge's page, as a bot wall in front of a gateway shows non-browsers.
const CHALLENGE_PAGE: &str = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head>\
    <body><h1>Just a moment...</h1><p>Checking your browser before accessing the gateway.</p></body></html>";

/// Why the sandbox refuses a call; answered in the documented error-body shape.
#[derive(Debug, thiserror::Error)]
pub(super) enum Refusal {
    #[error("Missing {API_KEY_HEADER} header")]
    MissingKey,
    #[error("Invalid subscription key")]
    WrongKey,
    #[error("the body is not JSON: {0}")]
    NotJson(serde_json::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("X-Webhook-URL must be an http or https URL at an address this gateway may call")]
    BadWebhook,
    #[error("No request {0}")]
    UnknownRequest(String),
    #[error("No audio for {0}")]
    NoAudio(String),
    #[error("No sample voice {0}")]
    UnknownVoice(String),
    #[error("{0}")]
    Injected(InjectedRefusal),
}

/// The documented queue errors, on demand.
#[derive(Debug, thiserror::Error)]
pub(super) enum InjectedRefusal {
    #[error("Model '{MODEL_ID}' not found or is disabled")]
    ModelNotFound,
    #[error("Access denied due to invalid subscription key")]
    KeyRefused,
    #[error("Your wallet does not have enough balance.")]
    InsufficientBalance,
    #[error("This subscription may not use model '{MODEL_ID}'")]
    Forbidden,
    #[error("Rate limit exceeded. Try again in {0} seconds.")]
    TooManyRequests(u64),
    #[error("The gateway failed to handle the request")]
    Internal,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        use InjectedRefusal as Injected;
        let (status, error) = match &self {
            Refusal::MissingKey | Refusal::WrongKey | Refusal::Injected(Injected::KeyRefused) => {
                (StatusCode::UNAUTHORIZED, "Unauthorized")
            }
            Refusal::NotJson(_) | Refusal::Invalid(_) | Refusal::BadWebhook => (StatusCode::BAD_REQUEST, "Bad Request"),
            Refusal::UnknownRequest(_) | Refusal::NoAudio(_) | Refusal::UnknownVoice(_) => {
                (StatusCode::NOT_FOUND, "Not Found")
            }
            Refusal::Injected(Injected::ModelNotFound) => (StatusCode::BAD_REQUEST, "Model not found"),
            Refusal::Injected(Injected::InsufficientBalance) => (StatusCode::PAYMENT_REQUIRED, "Insufficient Balance"),
            Refusal::Injected(Injected::Forbidden) => (StatusCode::FORBIDDEN, "Forbidden"),
            Refusal::Injected(Injected::TooManyRequests(_)) => (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests"),
            Refusal::Injected(Injected::Internal) => (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error"),
        };
        let retry_after = match self {
            Refusal::Injected(Injected::TooManyRequests(seconds)) => Some(seconds),
            _ => None,
        };
        super::error_response(status, error, self.to_string(), retry_after)
    }
}

/// The documented key check: a missing or empty key is refused, and with `--key` any other key too.
fn check_key(sandbox: &Sandbox, headers: &HeaderMap) -> Result<(), Refusal> {
    let given = headers.get(API_KEY_HEADER).and_then(|value| value.to_str().ok()).unwrap_or("").trim();
    match &sandbox.config.key {
        _ if given.is_empty() => Err(Refusal::MissingKey),
        Some(key) if key != given => Err(Refusal::WrongKey),
        _ => Ok(()),
    }
}

/// `http://host` plus the mount, from the request's own Host header, so URLs work from wherever it was reached.
fn base_url(sandbox: &Sandbox, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or("127.0.0.1");
    format!("http://{host}{}", sandbox.mount)
}

/// The refusal an armed submit fault calls for, after hanging if it says so.
async fn injected_submit_refusal(armed: Armed) -> Refusal {
    Refusal::Injected(match armed.fault {
        Fault::Submit400 => InjectedRefusal::ModelNotFound,
        Fault::Submit401 => InjectedRefusal::KeyRefused,
        Fault::Submit402 => InjectedRefusal::InsufficientBalance,
        Fault::Submit403 => InjectedRefusal::Forbidden,
        Fault::Submit429 => InjectedRefusal::TooManyRequests(armed.retry_after),
        _ => {
            if armed.fault == Fault::SubmitHang {
                tokio::time::sleep(HANG).await;
            }
            InjectedRefusal::Internal
        }
    })
}

pub(super) async fn submit(
    State(sandbox): State<Arc<Sandbox>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    sandbox.stats.count(Counter::SubmissionReceived);
    check_key(&sandbox, &headers)?;
    if let Some(armed) = sandbox.faults.take(Call::Submit) {
        return Err(injected_submit_refusal(armed).await);
    }
    let body: Value = serde_json::from_slice(&body).map_err(Refusal::NotJson)?;
    let request =
        GenerateRequest::from_json(&body).map_err(|errors| Refusal::Invalid(zonos_api::summarize(&errors)))?;
    let webhook_url = match headers.get(zonos_api::WEBHOOK_HEADER) {
        None => None,
        Some(value) => {
            let url = value.to_str().ok().and_then(|url| reqwest::Url::parse(url).ok());
            match url.filter(|url| sandbox.config.reach.allows_url(url)) {
                Some(url) => Some(url.to_string()),
                None => return Err(Refusal::BadWebhook),
            }
        }
    };
    let id = sandbox.jobs.accept();
    sandbox.stats.count(Counter::SubmissionAccepted);
    let base = base_url(&sandbox, &headers);
    let job = Job {
        media_url: format!("{base}/media/{id}/output.wav"),
        id: id.clone(),
        request,
        // Answered at once, a job has nothing to call back about.
        webhook_url: webhook_url.filter(|_| !sandbox.config.synchronous),
        injected: sandbox.faults.take(Call::Job).map(|armed| armed.fault),
        webhook_fault: sandbox.faults.take(Call::Webhook).map(|armed| armed.fault),
    };
    if sandbox.config.synchronous {
        let ended = Arc::clone(&sandbox.jobs).run(job, Arc::clone(&sandbox)).await;
        return Ok(Json(ended.map(synchronous_answer)).into_response());
    }
    tokio::spawn(Arc::clone(&sandbox.jobs).run(job, Arc::clone(&sandbox)));
    let accepted = SubmitAccepted {
        polling_url: Some(format!("{base}{}", zonos_api::status_path(&id))),
        request_id: id,
        status: JobStatus::Queued,
    };
    Ok((StatusCode::ACCEPTED, Json(accepted)).into_response())
}

/// A finished job as a synchronous gateway answers its submission: the audio, or else the status that says why not.
fn synchronous_answer(ended: JobStatusResponse) -> Value {
    match (ended.status, &ended.output) {
        (JobStatus::Completed, Some(output)) => {
            let audio: Vec<Value> = output
                .media_url
                .iter()
                .map(|url| {
                    json!({ "url": url, "content_type": output.media_type, "file_name": output.file_name,
                            "file_size": output.file_size })
                })
                .collect();
            json!({ "audio": audio })
        }
        _ => json!(ended),
    }
}

pub(super) async fn status(
    State(sandbox): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Path(request_id): Path<String>,
) -> Result<Response, Refusal> {
    sandbox.stats.count(Counter::PollReceived);
    check_key(&sandbox, &headers)?;
    match sandbox.faults.take(Call::Poll).map(|armed| armed.fault) {
        Some(Fault::PollMalformed) => {
            let cut_off = format!(r#"{{"request_id": "{request_id}", "status": "PROC"#);
            return Ok(([(header::CONTENT_TYPE, "application/json")], cut_off).into_response());
        }
        Some(Fault::PollHang) => {
            tokio::time::sleep(HANG).await;
            return Err(Refusal::Injected(InjectedRefusal::Internal));
        }
        Some(Fault::PollChallenge) => {
            let page = [(header::CONTENT_TYPE, "text/html; charset=UTF-8")];
            return Ok((StatusCode::FORBIDDEN, page, CHALLENGE_PAGE).into_response());
        }
        Some(_) => return Err(Refusal::Injected(InjectedRefusal::Internal)),
        None => {}
    }
    let status: JobStatusResponse = sandbox.jobs.status(&request_id).ok_or(Refusal::UnknownRequest(request_id))?;
    sandbox.stats.count(Counter::PollServed);
    Ok(Json(status).into_response())
}

/// The result audio, public as on the gateway's CDN.
pub(super) async fn media(
    State(sandbox): State<Arc<Sandbox>>,
    Path(request_id): Path<String>,
) -> Result<Response, Refusal> {
    let injected = sandbox.faults.take(Call::Media).is_some();
    let wav = sandbox.jobs.audio(&request_id).filter(|_| !injected).ok_or(Refusal::NoAudio(request_id))?;
    Ok(([(header::CONTENT_TYPE, "audio/wav")], wav).into_response())
}

/// The sample voices, with absolute URLs.
pub(super) async fn voice_list(State(sandbox): State<Arc<Sandbox>>, headers: HeaderMap) -> Json<Vec<voices::Voice>> {
    Json(voices::listed(&base_url(&sandbox, &headers)))
}

pub(super) async fn voice_audio(Path(file): Path<String>) -> Result<Response, Refusal> {
    let voice = voices::by_file(&file).ok_or(Refusal::UnknownVoice(file))?;
    Ok(([(header::CONTENT_TYPE, "audio/wav")], Bytes::from_static(voice.wav)).into_response())
}

/// The test controls answer only with the key, when the sandbox was given one: exposed on a network, nobody else
/// may make it misbehave.
fn check_controls(sandbox: &Sandbox, headers: &HeaderMap) -> Result<(), Refusal> {
    match sandbox.config.key {
        Some(_) => check_key(sandbox, headers),
        None => Ok(()),
    }
}

/// What tests count to prove that nothing was sent twice.
pub(super) async fn stats(State(sandbox): State<Arc<Sandbox>>, headers: HeaderMap) -> Result<Json<Snapshot>, Refusal> {
    check_controls(&sandbox, &headers)?;
    Ok(Json(sandbox.stats.snapshot()))
}

pub(super) async fn arm_fault(
    State(sandbox): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Json(armed): Json<Armed>,
) -> Result<Json<Vec<Armed>>, Refusal> {
    check_controls(&sandbox, &headers)?;
    sandbox.faults.arm(armed);
    Ok(Json(sandbox.faults.armed()))
}

pub(super) async fn armed_faults(
    State(sandbox): State<Arc<Sandbox>>,
    headers: HeaderMap,
) -> Result<Json<Vec<Armed>>, Refusal> {
    check_controls(&sandbox, &headers)?;
    Ok(Json(sandbox.faults.armed()))
}

pub(super) async fn clear_faults(
    State(sandbox): State<Arc<Sandbox>>,
    headers: HeaderMap,
) -> Result<StatusCode, Refusal> {
    check_controls(&sandbox, &headers)?;
    sandbox.faults.clear();
    Ok(StatusCode::NO_CONTENT)
}
