//! The two documented calls, forwarded to the configured upstream with the key added on the server. What goes
//! upstream is the request as validated, written anew from the contract's type (no field twice, no unknown field);
//! status calls go upstream only for request ids this proxy issued. Upstream status codes and bodies pass through
//! unchanged, except that a `polling_url` points at the proxy (absolute, as the contract has it).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::Value;
use zonos_api::{GenerateRequest, JobStatusResponse, SubmitAnswer, API_KEY_HEADER, GENERATE_PATH, WEBHOOK_HEADER};

use super::error::ProxyError;
use super::limits::{Call, Reservation};
use super::voice::{voice_hash, SAMPLE_VOICE, VOICE_HASH};
use super::{check_caller, check_json_type, check_request_id, passed_on, read_body, Proxy, API_PREFIX, JSON_LIMIT};
use crate::access::sessions::Person;
use crate::access::usage;
use crate::store::now_secs;

/// How long the gateway may take to queue a submission, and to answer a poll.
const SUBMIT_TIMEOUT: Duration = Duration::from_secs(30);
const STATUS_TIMEOUT: Duration = Duration::from_secs(15);

/// The upstream's whole answer: what the browser gets back.
pub struct Answer {
    status: StatusCode,
    /// The headers that pass through: content type and `Retry-After`.
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    async fn of(request: reqwest::RequestBuilder, timeout: Duration) -> Result<Answer, ProxyError> {
        // Only a failure to connect proves nothing was sent.
        let failed = |error: reqwest::Error| {
            if error.is_timeout() {
                ProxyError::Timeout(timeout)
            } else if error.is_connect() {
                ProxyError::Unreachable(error.without_url().to_string())
            } else {
                ProxyError::CutOff(error.without_url().to_string())
            }
        };
        let response = request.timeout(timeout).send().await.map_err(failed)?;
        let (status, headers) = (response.status(), passed_on(&response, &[header::CONTENT_TYPE, header::RETRY_AFTER]));
        Ok(Answer { status, headers, body: response.bytes().await.map_err(failed)? })
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        (self.status, self.headers, self.body).into_response()
    }
}

/// `POST /api/zonos-2/v1/zonos-2-request`: validated here first, so that nothing invalid is paid for.
pub async fn submit(
    State(proxy): State<Arc<Proxy>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    person: Option<Extension<Person>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Answer, ProxyError> {
    check_caller(&proxy.config, &headers)?;
    check_json_type(&headers)?;
    let body = read_body(body, JSON_LIMIT).await?;
    if let Some(field) = zonos_api::first_duplicate_key(&body) {
        return Err(ProxyError::DuplicateField(field));
    }
    let json: Value = serde_json::from_slice(&body).map_err(ProxyError::NotJson)?;
    let request =
        GenerateRequest::from_json(&json).map_err(|errors| ProxyError::Invalid(zonos_api::summarize(&errors)))?;
    let validated = Bytes::from(serde_json::to_vec(&request).expect("a request serializes"));
    let settings = settings_of(&request, &proxy.config.voices);
    let person = person.map(|Extension(person)| person);
    let reservation = proxy.limits.admit(&proxy.client(peer, &headers), person.as_ref()).await?;
    let submission = Submission {
        body: validated,
        settings,
        person: person.map_or(zonos_api::OPEN_ACCESS_PERSON.to_owned(), |person| person.name),
        polling_base: proxy.own_base(&headers),
    };
    // On its own task, which a stopping server waits for: a browser that goes away must not cut off a submission
    // already on its way (and counted).
    let forwarding = proxy.shutdown.track(forward_submission(Arc::clone(&proxy), submission, reservation));
    forwarding.await.unwrap_or_else(|error| Err(ProxyError::CutOff(error.to_string())))
}

/// What a take's Content Credentials say of its request: every setting but the text (which can be long, and is
/// heard in the take) and the reference's URL (an uploaded voice's would let anyone holding the take fetch the
/// speaker's own recording; a pasted one may carry a token). A sample voice is named instead; any other is kept
/// as its URL's hash (see `voice`; left out of the credentials), which a speaker's consent record must match
/// for the take to be shared for review.
fn settings_of(request: &GenerateRequest, samples: &[zonos_api::OfferedVoice]) -> String {
    let mut settings = serde_json::to_value(request).expect("a request serializes");
    if let Value::Object(fields) = &mut settings {
        fields.remove(zonos_api::Field::Text.key());
        fields.remove(zonos_api::Field::ReferenceAudioUrl.key());
        match samples.iter().find(|voice| voice.url == request.reference_audio_url) {
            Some(sample) => fields.insert(SAMPLE_VOICE.to_owned(), Value::String(sample.name.clone())),
            None => fields.insert(VOICE_HASH.to_owned(), Value::String(voice_hash(&request.reference_audio_url))),
        };
    }
    settings.to_string()
}

/// A validated submission, on its way upstream.
struct Submission {
    body: Bytes,
    /// Its settings without the text, for its Content Credentials and the spend log.
    settings: String,
    /// Who sends it.
    person: String,
    /// This proxy's own address, for the polling URL the browser is given.
    polling_base: String,
}

async fn forward_submission(
    proxy: Arc<Proxy>,
    submission: Submission,
    reservation: Reservation,
) -> Result<Answer, ProxyError> {
    let Submission { body, settings, person, polling_base } = submission;
    let mut request = proxy
        .client
        .post(format!("{}{GENERATE_PATH}", proxy.config.upstream))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CACHE_CONTROL, "no-cache")
        .header(API_KEY_HEADER, proxy.key.expose())
        .body(body);
    let token = match &proxy.callback_base {
        Some(base) => {
            let token = proxy.open_callback().await?;
            request = request.header(WEBHOOK_HEADER, format!("{base}{API_PREFIX}/webhooks/{token}"));
            Some(token)
        }
        None => None,
    };
    let answer = Answer::of(request, SUBMIT_TIMEOUT).await;
    let accepted = answer.as_ref().ok().and_then(accepted_request_id);
    // What the store can't keep now is said in the log; the browser still gets the gateway's answer, which it
    // paid for (it then polls, or its stream says it can't follow).
    let kept = match (&accepted, &token) {
        (Some(request_id), token) => proxy.store.issue(request_id, token.as_deref(), &settings).await,
        (None, Some(token)) => proxy.store.close_callback(token).await,
        (None, None) => Ok(()),
    };
    // Answered at once, with the audio: its media is this proxy's to serve, by the request ids its URLs name.
    let answered_at_once = answer.as_ref().ok().map(immediate_request_ids).unwrap_or_default();
    let kept = match kept {
        Ok(()) => issue_all(&proxy, &answered_at_once, &settings).await,
        failed => failed,
    };
    if let Err(error) = kept {
        tracing::error!(%error, "the store could not note a submission's request id");
    }
    let unreachable = matches!(answer, Err(ProxyError::Unreachable(_)));
    if !unreachable {
        let answered = answer.as_ref().ok().map(|answer| answer.status);
        let spend = usage::spend_of(&person, &settings, answered, accepted.as_deref(), &answered_at_once, now_secs());
        if let Err(error) = proxy.store.record_spend(&spend).await {
            tracing::error!(%error, "the spend log could not note a submission");
        }
    }
    // Only a plain refusal (4xx) or no connection at all proves it was not accepted; anything else counts.
    let refused = unreachable || answer.as_ref().is_ok_and(|answer| answer.status.is_client_error());
    if refused {
        reservation.give_back().await;
    } else {
        reservation.keep();
    }
    let mut answer = answer?;
    if let Some(request_id) = accepted {
        answer.body = with_proxy_polling_url(&answer.body, &polling_base, &request_id);
    }
    Ok(answer)
}

/// The request id of a 202 answer.
fn accepted_request_id(answer: &Answer) -> Option<String> {
    if answer.status != StatusCode::ACCEPTED {
        return None;
    }
    let body: Value = serde_json::from_slice(&answer.body).ok()?;
    let request_id = body.get("request_id")?.as_str()?;
    zonos_api::is_request_id(request_id).then(|| request_id.to_owned())
}

/// The request ids named by the media URLs of an answer that carries the audio already (a synchronous gateway's).
fn immediate_request_ids(answer: &Answer) -> Vec<String> {
    let parsed = Some(&answer.body)
        .filter(|_| answer.status.is_success())
        .and_then(|body| SubmitAnswer::parse(std::str::from_utf8(body).ok()?).ok());
    let urls =
        parsed.as_ref().and_then(SubmitAnswer::output).map(|output| output.media_url.as_slice()).unwrap_or_default();
    urls.iter()
        .filter_map(|url| reqwest::Url::parse(url).ok())
        .filter_map(|url| super::media::request_id_in(&url).map(str::to_owned))
        .collect()
}

async fn issue_all(proxy: &Proxy, request_ids: &[String], settings: &str) -> Result<(), crate::store::StoreError> {
    for request_id in request_ids {
        proxy.store.issue(request_id, None, settings).await?;
    }
    Ok(())
}

/// The 202 body with its `polling_url` on the proxy's own status path (under `base`, this proxy's own address), so
/// the browser never polls upstream.
fn with_proxy_polling_url(body: &Bytes, base: &str, request_id: &str) -> Bytes {
    let Ok(Value::Object(mut accepted)) = serde_json::from_slice::<Value>(body) else { return body.clone() };
    let url = format!("{base}{API_PREFIX}{}", zonos_api::status_path(request_id));
    accepted.insert("polling_url".to_owned(), Value::String(url));
    Bytes::from(serde_json::to_vec(&accepted).expect("JSON serializes"))
}

/// `GET /api/v2/requests/status/{request_id}`: for request ids this proxy issued, and no other.
pub async fn status(
    State(proxy): State<Arc<Proxy>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(request_id): Path<String>,
) -> Result<Answer, ProxyError> {
    check_request_id(&request_id)?;
    proxy.limits.allow(Call::Status, &proxy.client(peer, &headers)).await?;
    if !proxy.store.is_issued(&request_id).await? {
        return Err(ProxyError::NotIssued(request_id));
    }
    let answer = ask_status(&proxy, &request_id).await?;
    if let Some(status) = status_in(&answer, &request_id) {
        usage::settle_status(&proxy.store, &status).await;
    }
    Ok(answer)
}

/// The job's status an answer of the gateway carries, if it is one, and of `request_id`.
fn status_in(answer: &Answer, request_id: &str) -> Option<JobStatusResponse> {
    Some(&answer.body)
        .filter(|_| answer.status.is_success())
        .and_then(|body| JobStatusResponse::parse(std::str::from_utf8(body).ok()?).ok())
        .filter(|status| status.request_id == request_id)
}

/// The job's status call, upstream, with the key.
async fn ask_status(proxy: &Proxy, request_id: &str) -> Result<Answer, ProxyError> {
    let request = proxy
        .client
        .get(format!("{}{}", proxy.config.upstream, zonos_api::status_path(request_id)))
        .header(API_KEY_HEADER, proxy.key.expose());
    Answer::of(request, STATUS_TIMEOUT).await
}

/// The job's status as the proxy reads it for itself (see `push`), when the gateway gives one.
pub async fn status_of(proxy: &Proxy, request_id: &str) -> Result<JobStatusResponse, ProxyError> {
    let answer = ask_status(proxy, request_id).await?;
    status_in(&answer, request_id).ok_or(ProxyError::NoStatus(answer.status))
}
