//! Audio in the browser: decoding with Web Audio, and bytes made into a file the page can play or upload.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AudioContext, Blob, Url};

use super::http;

/// The first channel of encoded audio (any format the browser plays), decoded, and its sample rate.
pub async fn decode(encoded: &js_sys::ArrayBuffer) -> Option<(Vec<f32>, u32)> {
    let context = AudioContext::new().ok()?;
    let decoded = JsFuture::from(context.decode_audio_data(encoded).ok()?).await;
    let _ = context.close();
    let buffer: web_sys::AudioBuffer = decoded.ok()?.dyn_into().ok()?;
    Some((buffer.get_channel_data(0).ok()?, buffer.sample_rate() as u32))
}

/// The bytes at `url`, if the page may read them (same-origin, or allowed by the other origin), within the media
/// deadline.
pub async fn fetch(url: &str) -> Option<js_sys::ArrayBuffer> {
    let deadline = http::Deadline::after(http::MEDIA_TIMEOUT_SECONDS).ok()?;
    let response = http::fetch(url, &web_sys::RequestInit::new(), &deadline).await.ok()?;
    if !response.ok() {
        return None;
    }
    http::array_buffer(&response, &deadline).await.ok()
}

/// Lets a `blob:` URL go, and the memory it holds; other URLs are left alone.
pub fn release(url: &str) {
    if url.starts_with("blob:") {
        let _ = Url::revoke_object_url(url);
    }
}

/// `bytes` as one file.
pub fn blob(bytes: &[u8]) -> Option<Blob> {
    Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes))).ok()
}

/// A `blob:` URL of `bytes`, for an audio element or a download link.
pub fn object_url(bytes: &[u8]) -> Option<String> {
    Url::create_object_url_with_blob(&blob(bytes)?).ok()
}
