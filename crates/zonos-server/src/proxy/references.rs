//! Reference uploads: a recording or a file from the browser, checked by content to be audio in a documented
//! format, stored under its content hash for a day, and served at a URL the gateway can fetch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use sha2::{Digest, Sha256};

use zonos_api::AudioFormat;

use super::error::ProxyError;
use super::{check_caller, read_body, Proxy};

/// The largest reference accepted: minutes of WAV, far more than a voice needs.
pub const MAX_REFERENCE_BYTES: usize = 20 * 1024 * 1024;
/// How long a stored reference is served.
const LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// What all stored references may take in memory; the oldest go first.
const STORE_BYTES: usize = 256 * 1024 * 1024;

struct Stored {
    bytes: Bytes,
    format: AudioFormat,
    stored: Instant,
}

/// The stored references, by file name (`{sha256}.{extension}`).
#[derive(Default)]
pub struct References(Mutex<HashMap<String, Stored>>);

impl References {
    /// Stores `bytes` (again, if already there: that renews its day) and returns its file name.
    fn store(&self, bytes: Bytes, format: AudioFormat) -> String {
        let name = format!("{}.{}", hex::encode(Sha256::digest(&bytes)), format.extension());
        let mut stored = self.0.lock().expect("references lock");
        stored.retain(|_, reference| reference.stored.elapsed() < LIFETIME);
        stored.insert(name.clone(), Stored { bytes, format, stored: Instant::now() });
        while stored.values().map(|reference| reference.bytes.len()).sum::<usize>() > STORE_BYTES {
            let oldest = stored.iter().min_by_key(|(_, reference)| reference.stored).map(|(name, _)| name.clone());
            stored.remove(&oldest.expect("a store over its size holds something"));
        }
        name
    }

    fn get(&self, name: &str) -> Option<(Bytes, AudioFormat)> {
        let stored = self.0.lock().expect("references lock");
        let reference = stored.get(name).filter(|reference| reference.stored.elapsed() < LIFETIME)?;
        Some((reference.bytes.clone(), reference.format))
    }
}

#[derive(Serialize)]
pub struct Uploaded {
    /// What to send as `reference_audio_url`.
    url: String,
    media_type: &'static str,
    size: usize,
}

/// `POST /api/references`: the body is the audio file itself.
pub async fn upload(State(proxy): State<Arc<Proxy>>, headers: HeaderMap, body: Body) -> Result<Response, ProxyError> {
    check_caller(&proxy.config, &headers)?;
    let bytes = read_body(body, MAX_REFERENCE_BYTES).await?;
    let format = AudioFormat::sniff(&bytes).ok_or(ProxyError::NotAudio)?;
    let size = bytes.len();
    let name = proxy.references.store(bytes, format);
    let base = proxy.callback_base.as_deref().expect("uploads are offered only with a base the gateway can reach");
    let uploaded = Uploaded { url: format!("{base}/api/references/{name}"), media_type: format.content_type(), size };
    Ok((StatusCode::CREATED, Json(uploaded)).into_response())
}

/// `GET /api/references/{name}`: what the gateway fetches.
pub async fn download(State(proxy): State<Arc<Proxy>>, Path(name): Path<String>) -> Result<Response, ProxyError> {
    let (bytes, format) = proxy.references.get(&name).ok_or(ProxyError::UnknownReference(name))?;
    Ok(([(header::CONTENT_TYPE, format.content_type())], bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_content_is_stored_once_under_its_hash() {
        let references = References::default();
        let wav = Bytes::from_static(b"RIFF\x24\0\0\0WAVEfmt ");
        let name = references.store(wav.clone(), AudioFormat::Wav);
        assert_eq!(name.len(), 64 + 4);
        assert_eq!(references.store(wav.clone(), AudioFormat::Wav), name);
        assert_eq!(references.get(&name), Some((wav, AudioFormat::Wav)));
        assert_eq!(references.get("../../etc/passwd"), None);
    }
}
