//! Reference uploads: a recording or a file from the browser, checked by content to be audio in a documented
//! format, stored under its content hash for a day, and served at a URL the gateway can fetch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::error::ProxyError;
use super::{read_body, Proxy};

/// The largest reference accepted: minutes of WAV, far more than a voice needs.
pub const MAX_REFERENCE_BYTES: usize = 20 * 1024 * 1024;
/// How long a stored reference is served.
const LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// What all stored references may take in memory; the oldest go first.
const STORE_BYTES: usize = 256 * 1024 * 1024;

/// A documented audio format, recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    Wav,
    Mp3,
    Ogg,
    M4a,
    Aac,
}

impl AudioFormat {
    pub fn sniff(bytes: &[u8]) -> Option<AudioFormat> {
        match bytes {
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'A', b'V', b'E', ..] => Some(AudioFormat::Wav),
            [b'O', b'g', b'g', b'S', ..] => Some(AudioFormat::Ogg),
            [_, _, _, _, b'f', b't', b'y', b'p', ..] => Some(AudioFormat::M4a),
            [b'I', b'D', b'3', ..] => Some(AudioFormat::Mp3),
            // Both start with a frame sync; ADTS (AAC) has layer bits 00, MPEG audio (MP3) does not.
            [0xFF, second, ..] if second & 0xF6 == 0xF0 => Some(AudioFormat::Aac),
            [0xFF, second, ..] if second & 0xE0 == 0xE0 && second & 0x06 != 0 => Some(AudioFormat::Mp3),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Ogg => "ogg",
            AudioFormat::M4a => "m4a",
            AudioFormat::Aac => "aac",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::Ogg => "audio/ogg",
            AudioFormat::M4a => "audio/mp4",
            AudioFormat::Aac => "audio/aac",
        }
    }
}

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
pub async fn upload(State(proxy): State<Arc<Proxy>>, body: Body) -> Result<Response, ProxyError> {
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
    fn formats_are_recognised_by_their_first_bytes() {
        let cases: [(&[u8], Option<AudioFormat>); 8] = [
            (b"RIFF\x24\0\0\0WAVEfmt ", Some(AudioFormat::Wav)),
            (b"OggS\0\x02", Some(AudioFormat::Ogg)),
            (b"\0\0\0\x20ftypM4A ", Some(AudioFormat::M4a)),
            (b"ID3\x04\0", Some(AudioFormat::Mp3)),
            (&[0xFF, 0xFB, 0x90, 0x64], Some(AudioFormat::Mp3)),
            (&[0xFF, 0xF1, 0x50, 0x80], Some(AudioFormat::Aac)),
            (b"RIFF\x24\0\0\0AVI LIST", None),
            (b"<!doctype html>", None),
        ];
        for (bytes, format) in cases {
            assert_eq!(AudioFormat::sniff(bytes), format, "{bytes:?}");
        }
    }

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
