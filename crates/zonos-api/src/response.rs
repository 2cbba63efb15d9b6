use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::JobStatus;

/// The documented 202 answer to a generate request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmitAccepted {
    pub request_id: String,
    pub status: JobStatus,
    /// Absolute status URL. Tolerated when missing: the client then builds it from the request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polling_url: Option<String>,
}

/// The generated media of a completed job.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Output {
    /// One URL or a list of them on the wire; always a list here.
    #[serde(default, deserialize_with = "urls")]
    pub media_url: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// The body of `GET /v2/requests/status/{request_id}`, and of the webhook callback.
///
/// `error` and `output` are always written (as `null` when empty), as the docs show them; the others only when known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobStatusResponse {
    pub request_id: String,
    pub status: JobStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_id: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub output: Option<Output>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
}

/// What a gateway may answer to a generate request.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitAnswer {
    /// The documented 202: queued, follow the polling URL.
    Accepted(SubmitAccepted),
    /// A status body that has already ended (completed, failed or error).
    Finished(JobStatusResponse),
    /// A synchronous answer carrying the audio, e.g. `{"audio": [{"url": "..."}]}`: completed, with no request id.
    Immediate(Output),
}

/// A body that is not what the contract describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedBody {
    pub reason: String,
}

impl fmt::Display for MalformedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the gateway's answer could not be read: {}", self.reason)
    }
}

impl std::error::Error for MalformedBody {}

impl From<serde_json::Error> for MalformedBody {
    fn from(error: serde_json::Error) -> Self {
        MalformedBody { reason: error.to_string() }
    }
}

/// Where a webhook body may carry the status, when not at its top level: the callback's shape is undocumented, and
/// integrators find it wrapped under each of these.
pub const CALLBACK_WRAPPERS: [&str; 5] = ["data", "payload", "result", "response", "output"];

impl JobStatusResponse {
    /// Parses a status body (from polling).
    pub fn parse(body: &str) -> Result<Self, MalformedBody> {
        Ok(serde_json::from_str(body)?)
    }

    /// Parses a webhook's body: a status at its top level, or under one of the [`CALLBACK_WRAPPERS`].
    pub fn from_callback(body: &[u8]) -> Result<Self, MalformedBody> {
        let value: Value = serde_json::from_slice(body)?;
        // A top-level status comes first: a plain status body has an `output` of its own.
        let status = std::iter::once(&value)
            .chain(CALLBACK_WRAPPERS.iter().filter_map(|wrapper| value.get(wrapper)))
            .find(|candidate| candidate.get("status").is_some())
            .ok_or_else(|| MalformedBody { reason: "it holds no status".to_owned() })?;
        Ok(JobStatusResponse::deserialize(status)?)
    }
}

impl SubmitAnswer {
    /// Parses the body of a successful generate request, whichever of the known shapes it has.
    pub fn parse(body: &str) -> Result<Self, MalformedBody> {
        let value: Value = serde_json::from_str(body)?;
        if let Some(output) = value.get("audio").and_then(immediate_output) {
            return Ok(SubmitAnswer::Immediate(output));
        }
        let status = value
            .get("status")
            .ok_or_else(|| MalformedBody { reason: "it has neither a status nor audio".to_owned() })?;
        let status = JobStatus::deserialize(status)?;
        Ok(if status.is_final() {
            SubmitAnswer::Finished(serde_json::from_value(value)?)
        } else {
            SubmitAnswer::Accepted(serde_json::from_value(value)?)
        })
    }

    /// The media, when the answer already carries it.
    pub fn output(&self) -> Option<&Output> {
        match self {
            SubmitAnswer::Accepted(_) => None,
            SubmitAnswer::Finished(status) => status.output.as_ref(),
            SubmitAnswer::Immediate(output) => Some(output),
        }
    }
}

/// Reads `[{"url": ..., "content_type": ..., "file_name": ..., "file_size": ...}, ...]` (or one such item, or bare
/// URLs) into an [`Output`]; `None` when it holds no URL.
fn immediate_output(audio: &Value) -> Option<Output> {
    let items: Vec<&Value> = match audio {
        Value::Array(items) => items.iter().collect(),
        item => vec![item],
    };
    let media_url: Vec<String> = items.iter().filter_map(|item| url_of(item)).collect();
    let first = items.first().filter(|_| !media_url.is_empty())?;
    let text = |key: &str| first.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(Output {
        media_type: text("content_type").or_else(|| text("media_type")),
        file_name: text("file_name"),
        file_size: first.get("file_size").and_then(Value::as_u64),
        media_url,
    })
}

/// A URL given as a string or as an object with a `url`.
fn url_of(item: &Value) -> Option<String> {
    match item {
        Value::String(url) => Some(url.clone()),
        Value::Object(object) => object.get("url").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// `media_url` as one URL, a list of them, or null.
fn urls<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    match &value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|item| url_of(item).ok_or_else(|| serde::de::Error::custom(format!("not a URL: {item}"))))
            .collect(),
        item => url_of(item).map(|url| vec![url]).ok_or_else(|| serde::de::Error::custom(format!("not a URL: {item}"))),
    }
}
