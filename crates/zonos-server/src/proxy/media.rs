//! `GET /api/media?url=…`: result audio fetched same-origin, so the app can draw, cache and download it; only from
//! the allowed hosts, only plain paths, and only the audio of a request this proxy issued (its id is in the path).
//! A WAV leaves marked as AI-generated speech (a RIFF INFO chunk: see `studio_core::provenance`) and with Content
//! Credentials signed by the proxy (see `credentials`), its audio bytes untouched. The whole file is served (a range of the gateway's bytes would not match the marked file): results
//! are a few megabytes, and the app keeps them on the device.

use std::sync::Arc;

use axum::body::Body;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use reqwest::Url;
use serde::Deserialize;
use studio_core::provenance::{self, Provenance};

use super::credentials::Made;
use super::error::ProxyError;
use super::limits::Call;
use super::{passed_on, Proxy};

/// How long one download may take in all: a result is a few megabytes at most.
const MEDIA_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);
/// The most a result may weigh: the longest take (6144 frames, about 71 s) is under 7 MB as 44.1 kHz 16-bit WAV.
const MOST_MEDIA_BYTES: usize = 32 * 1024 * 1024;
/// Results held in memory at once (each up to twice [`MOST_MEDIA_BYTES`] while it is marked and signed); the rest wait.
static MARKING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// The answer's whole body, refused past [`MOST_MEDIA_BYTES`] (at once when its announced length is).
async fn whole(upstream: reqwest::Response) -> Result<Vec<u8>, ProxyError> {
    if upstream.content_length().is_some_and(|length| length > MOST_MEDIA_BYTES as u64) {
        return Err(ProxyError::MediaTooLarge(MOST_MEDIA_BYTES));
    }
    let mut body = Vec::new();
    let mut stream = upstream.bytes_stream();
    while let Some(piece) = stream.next().await {
        let piece = piece.map_err(|error| ProxyError::Unreachable(error.without_url().to_string()))?;
        if body.len() + piece.len() > MOST_MEDIA_BYTES {
            return Err(ProxyError::MediaTooLarge(MOST_MEDIA_BYTES));
        }
        body.extend_from_slice(&piece);
    }
    Ok(body)
}

#[derive(Deserialize)]
pub struct MediaQuery {
    url: String,
}

/// The URL, if it is http(s) on an allowed host (`host` or `host:port`) with a plain path.
pub fn allowed_url(url: &str, hosts: &[String]) -> Result<Url, ProxyError> {
    let refused = || ProxyError::MediaRefused { url: url.to_owned(), allowed: hosts.join(", ") };
    let parsed = Url::parse(url).map_err(|_| refused())?;
    let host = parsed.host_str().ok_or_else(refused)?;
    // An entry without a port allows only the scheme's default port.
    let given = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let host_allowed = hosts.contains(&given);
    // The parser resolves dot segments, even encoded ones, so the URL as given is checked: a media URL has none.
    let given = url.to_ascii_lowercase();
    let plain_path = !["%2e", "%2f", "%5c", "\\", "/../", "/./"].iter().any(|hidden| given.contains(hidden))
        && !given.ends_with("/..");
    let plain =
        matches!(parsed.scheme(), "http" | "https") && parsed.username().is_empty() && parsed.password().is_none();
    if host_allowed && plain_path && plain {
        Ok(parsed)
    } else {
        Err(refused())
    }
}

/// The request id a media URL's path names (the docs' CDN: `…/v1/zonos-2_…/output.wav`), if any.
pub(super) fn request_id_in(url: &Url) -> Option<&str> {
    url.path_segments()?.find(|segment| zonos_api::is_request_id(segment))
}

/// Fetches the result, and answers with the whole file, a WAV marked.
pub async fn media(
    State(proxy): State<Arc<Proxy>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<MediaQuery>,
    headers: HeaderMap,
) -> Result<Response, ProxyError> {
    proxy.limits.allow(Call::Media, &proxy.client(peer, &headers)).await?;
    let audio = marked_audio(&proxy, &query.url).await?;
    Ok((StatusCode::OK, audio.headers, Body::from(audio.bytes)).into_response())
}

/// A result as this proxy serves it, and the request it is of.
pub(super) struct MarkedAudio {
    pub request_id: String,
    /// The settings (JSON) its request was issued with.
    pub settings: String,
    /// The media host's `Content-Type`.
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

/// The media host's answer for `url` (an allowed host's), if it is a success.
async fn fetched(proxy: &Proxy, url: Url) -> Result<reqwest::Response, ProxyError> {
    let request = proxy.client.get(url).timeout(MEDIA_TIMEOUT);
    let upstream = request.send().await.map_err(|error| ProxyError::Unreachable(error.without_url().to_string()))?;
    match upstream.status() {
        status if status.is_success() => Ok(upstream),
        status => Err(ProxyError::MediaStatus(status)),
    }
}

/// The audio at `url` (an allowed host's), whole, as it came.
pub(super) async fn whole_audio(proxy: &Proxy, url: Url) -> Result<Vec<u8>, ProxyError> {
    whole(fetched(proxy, url).await?).await
}

/// The result at `url` (an allowed host's, of a request this proxy issued), whole: a WAV marked as AI-generated
/// speech and signed; another format as it came.
pub(super) async fn marked_audio(proxy: &Arc<Proxy>, url: &str) -> Result<MarkedAudio, ProxyError> {
    let parsed = allowed_url(url, &proxy.config.media_hosts)?;
    let request_id = request_id_in(&parsed)
        .map(str::to_owned)
        .ok_or_else(|| ProxyError::MediaRefused { url: url.to_owned(), allowed: "a request's audio".to_owned() })?;
    let Some(settings) = proxy.store.issued_settings(&request_id).await? else {
        return Err(ProxyError::NotIssued(request_id));
    };
    let _turn = MARKING.acquire().await.map_err(|_| ProxyError::Unreachable("the proxy is stopping".to_owned()))?;
    let upstream = fetched(proxy, parsed).await?;
    let headers = passed_on(&upstream, &[header::CONTENT_TYPE]);
    let body = whole(upstream).await?;
    crate::access::usage::settle_audio(&proxy.store, &request_id, &body).await;
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let provenance = Provenance { request_ids: vec![request_id.clone()], date: now[..10].to_owned() };
    // Not a WAV (the docs' results are; another format passes as it came).
    let Some(marked) = provenance::mark(&body, &provenance) else {
        return Ok(MarkedAudio { request_id, settings, headers, bytes: body });
    };
    // The gateway's copy is let go before signing makes another: at most two copies of a result at once.
    drop(body);
    let issued = settings;
    let mut settings: Option<serde_json::Value> =
        serde_json::from_str(&issued).ok().filter(serde_json::Value::is_object);
    // The voice's hash is the proxy's own: a take's credentials say nothing of an uploaded or pasted voice.
    if let Some(serde_json::Value::Object(fields)) = settings.as_mut() {
        fields.remove(super::voice::VOICE_HASH);
    }
    let made = Made { request_id: request_id.clone(), settings, when: now };
    // Hashing a few megabytes: off the async runtime. A take whose credentials can't be signed is still served,
    // marked as AI-generated, and the failure is told to the operator.
    let proxy = Arc::clone(proxy);
    let signing = tokio::task::spawn_blocking(move || match proxy.credentials.sign(&marked, &made) {
        Ok(signed) => signed,
        Err(error) => {
            tracing::error!(%error, "a take's Content Credentials could not be signed");
            marked
        }
    });
    let bytes = signing.await.map_err(|error| ProxyError::Unreachable(format!("signing stopped: {error}")))?;
    Ok(MarkedAudio { request_id, settings: issued, headers, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_urls_on_allowed_hosts_pass() {
        let hosts = ["cdn.example".to_owned(), "127.0.0.1:8080".to_owned()];
        for url in ["https://cdn.example/v1/a/output.wav", "http://127.0.0.1:8080/sandbox/media/x/output.wav"] {
            assert!(allowed_url(url, &hosts).is_ok(), "{url}");
        }
        for url in [
            "https://evil.example/output.wav",
            "https://cdn.example.evil.example/output.wav",
            "http://127.0.0.1:9999/output.wav",
            "https://cdn.example:6379/output.wav",
            "http://127.0.0.1/output.wav",
            "file:///etc/passwd",
            "https://user:pass@cdn.example/output.wav",
            "https://cdn.example/v1/..%2f..%2fsecret",
            "https://cdn.example/v1/%2E%2E/secret",
            "https://cdn.example/v1/../../secret",
            "not a url",
        ] {
            assert!(matches!(allowed_url(url, &hosts), Err(ProxyError::MediaRefused { .. })), "{url}");
        }
    }

    #[test]
    fn a_media_url_names_its_request() {
        let id = "zonos-2_019d0000-0000-7000-8000-000000000001";
        let documented: Url = format!("https://cdn.example/v1/{id}/output.wav").parse().unwrap();
        assert_eq!(request_id_in(&documented), Some(id));
        assert_eq!(request_id_in(&"https://cdn.example/v1/output.wav".parse().unwrap()), None);
    }
}
