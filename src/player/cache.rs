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

async fn blob_of(response: &Response) -> Option<Blob> {
    JsFuture::from(response.blob().ok()?).await.ok()?.dyn_into().ok()
}

/// A `blob:` URL of the audio at `url`: from the cache if it is there; else fetched once and kept.
/// `None` when it can be neither read from the cache nor fetched (the caller falls back to `url` itself).
pub async fn local_url(url: &str) -> Option<String> {
    let cache = open().await;
    if let Some(cache) = &cache {
        let cached =
            JsFuture::from(cache.match_with_str(url)).await.ok().and_then(|found| found.dyn_into::<Response>().ok());
        if let Some(blob) = match cached {
            Some(response) => blob_of(&response).await,
            None => None,
        } {
            return Url::create_object_url_with_blob(&blob).ok();
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
    Url::create_object_url_with_blob(&blob_of(&response).await?).ok()
}
