//! Reference uploads: a recording or a file from the browser, checked by content to be audio in a documented
//! format, kept in the store under its content hash for a day, and served at a URL the gateway can fetch (from any
//! replica, after any restart).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sha2::{Digest, Sha256};

use zonos_api::{AudioFormat, UploadedReference, REFERENCES_PATH};

use super::error::ProxyError;
use super::limits::Call;
use super::{check_caller, read_body, Proxy, API_PREFIX};

/// The largest reference accepted: minutes of WAV, far more than a voice needs.
pub const MAX_REFERENCE_BYTES: usize = 20 * 1024 * 1024;

/// A reference's name: the SHA-256 of its bytes and its format's extension. Hashing 20 MB takes a while: off the
/// async runtime.
async fn name_of(bytes: Bytes, format: AudioFormat) -> String {
    let hash =
        tokio::task::spawn_blocking(move || hex::encode(Sha256::digest(&bytes))).await.expect("hashing does not panic");
    format!("{hash}.{}", format.extension())
}

/// `POST /api/references`: the body is the audio file itself.
pub async fn upload(
    State(proxy): State<Arc<Proxy>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ProxyError> {
    check_caller(&proxy.config, &headers)?;
    proxy.limits.allow(Call::Upload, &proxy.client(peer, &headers)).await?;
    let bytes = read_body(body, MAX_REFERENCE_BYTES).await?;
    let format = AudioFormat::sniff(&bytes).ok_or(ProxyError::NotAudio)?;
    let size = bytes.len();
    let name = name_of(bytes.clone(), format).await;
    proxy.store.put_reference(&name, bytes).await?;
    let base = proxy.callback_base.as_deref().expect("uploads are offered only with a base the gateway can reach");
    let uploaded = UploadedReference {
        url: format!("{base}{API_PREFIX}{REFERENCES_PATH}/{name}"),
        media_type: format.content_type().to_owned(),
        size: size as u64,
    };
    Ok((StatusCode::CREATED, Json(uploaded)).into_response())
}

/// `GET /api/references/{name}`: what the gateway fetches.
pub async fn download(State(proxy): State<Arc<Proxy>>, Path(name): Path<String>) -> Result<Response, ProxyError> {
    let (bytes, format) = proxy.store.reference(&name).await?.ok_or(ProxyError::UnknownReference(name))?;
    Ok(([(header::CONTENT_TYPE, format.content_type())], bytes).into_response())
}
