//! Result audio kept in the browser's Cache Storage: a take still plays, and downloads, when the gateway's link has
//! expired or the network is gone. Only same-origin audio (through the proxy) can be read, and so kept.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Cache, Response, Url};

const CACHE_NAME: &str = "zonos-studio-takes";

async fn open() -> Option<Cache> {
    // Cache Storage exists only in secure contexts (HTTPS, localhost).
    let caches = web_sys::window()?.caches().ok()?;
    JsFuture::from(caches.open(CACHE_NAME)).await.ok()?.dyn_into().ok()
}

/// The audio at `url`: from the cache if it is there; else fetched once and kept. `None` when it can be neither
/// read from the cache nor fetched.
async fn response(url: &str) -> Option<Response> {
    let cache = open().await;
    if let Some(cache) = &cache {
        let cached = JsFuture::from(cache.match_with_str(url)).await.ok().and_then(|found| found.dyn_into().ok());
        if cached.is_some() {
            return cached;
        }
    }
    let response: Response = JsFuture::from(web_sys::window()?.fetch_with_str(url)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    if let (Some(cache), Ok(copy)) = (&cache, response.clone()) {
        // A full store is not fatal: the take plays from the network this time.
        let _ = JsFuture::from(cache.put_with_str(url, &copy)).await;
    }
    Some(response)
}

/// A `blob:` URL of the audio at `url` (the caller falls back to `url` itself on `None`).
pub async fn local_url(url: &str) -> Option<String> {
    let blob: Blob = JsFuture::from(response(url).await?.blob().ok()?).await.ok()?.dyn_into().ok()?;
    Url::create_object_url_with_blob(&blob).ok()
}

/// The bytes of the audio at `url`.
pub async fn bytes(url: &str) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(response(url).await?.array_buffer().ok()?).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}
