//! The sandbox's endpoints, answering exactly as the docs describe.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use zonos_api::{ErrorBody, GenerateRequest, JobStatus, JobStatusResponse, SubmitAccepted, API_KEY_HEADER};

use super::Sandbox;

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
    #[error("No request {0}")]
    UnknownRequest(String),
    #[error("No audio for {0}")]
    NoAudio(String),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, error) = match self {
            Refusal::MissingKey | Refusal::WrongKey => (StatusCode::UNAUTHORIZED, "Unauthorized"),
            Refusal::NotJson(_) | Refusal::Invalid(_) => (StatusCode::BAD_REQUEST, "Bad Request"),
            Refusal::UnknownRequest(_) | Refusal::NoAudio(_) => (StatusCode::NOT_FOUND, "Not Found"),
        };
        (status, Json(ErrorBody::new(error, self.to_string()))).into_response()
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

pub(super) async fn submit(
    State(sandbox): State<Arc<Sandbox>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    check_key(&sandbox, &headers)?;
    let body: Value = serde_json::from_slice(&body).map_err(Refusal::NotJson)?;
    let request =
        GenerateRequest::from_json(&body).map_err(|errors| Refusal::Invalid(zonos_api::summarize(&errors)))?;
    let id = sandbox.jobs.accept();
    let base = base_url(&sandbox, &headers);
    let media_url = format!("{base}/media/{id}/output.wav");
    tokio::spawn(Arc::clone(&sandbox.jobs).run(id.clone(), request, sandbox.config.timings, media_url));
    let accepted = SubmitAccepted {
        polling_url: Some(format!("{base}{}", zonos_api::status_path(&id))),
        request_id: id,
        status: JobStatus::Queued,
    };
    Ok((StatusCode::ACCEPTED, Json(accepted)).into_response())
}

pub(super) async fn status(
    State(sandbox): State<Arc<Sandbox>>,
    headers: HeaderMap,
    Path(request_id): Path<String>,
) -> Result<Json<JobStatusResponse>, Refusal> {
    check_key(&sandbox, &headers)?;
    sandbox.jobs.poll(&request_id).map(Json).ok_or(Refusal::UnknownRequest(request_id))
}

/// The result audio, public as on the gateway's CDN.
pub(super) async fn media(
    State(sandbox): State<Arc<Sandbox>>,
    Path(request_id): Path<String>,
) -> Result<Response, Refusal> {
    let wav = sandbox.jobs.audio(&request_id).ok_or(Refusal::NoAudio(request_id))?;
    Ok(([(header::CONTENT_TYPE, "audio/wav")], wav).into_response())
}

/// What tests count to prove that nothing was sent twice.
pub(super) async fn stats(State(sandbox): State<Arc<Sandbox>>) -> Json<Value> {
    Json(json!({ "submissions_accepted": sandbox.jobs.accepted(), "polls_served": sandbox.jobs.polls() }))
}
