//! Result audio kept in the browser's Cache Storage: a take still plays, and downloads, when the gateway's link has
//! expired or the network is gone. Only same-origin audio (through the proxy) can be read, and so kept. When the
//! store is full, room is made by removing other takes' audio, in the order the caller gives.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Cache, DomException, RequestInit, Response, Url};

use crate::platform::http::{self, Deadline};

const CACHE_NAME: &str = "zonos-studio-takes";

async fn open() -> Option<Cache> {
    // Cache Storage exists only in secure contexts (HTTPS, localhost).
    let caches = web_sys::window()?.caches().ok()?;
    JsFuture::from(caches.open(CACHE_NAME)).await.ok()?.dyn_into().ok()
}

fn is_full(error: &JsValue) -> bool {
    error.dyn_ref::<DomException>().is_some_and(|error| error.name() == "QuotaExceededError")
}

/// Removes every key in `urls`; whether any was there.
async fn remove(cache: &Cache, urls: &[String]) -> bool {
    let mut removed = false;
    for url in urls {
        removed |= JsFuture::from(cache.delete_with_str(url)).await.is_ok_and(|found| found.is_truthy());
    }
    removed
}

/// Keeps `response` under `url`, removing the audio of `room`'s entries, in order, while the store is full.
/// Returns the indices in `room` of what was removed.
async fn keep(cache: &Cache, url: &str, response: &Response, room: &[Vec<String>]) -> Vec<usize> {
    let mut removed = Vec::new();
    let mut candidates = room.iter().enumerate();
    loop {
        let Ok(copy) = response.clone() else { return removed };
        match JsFuture::from(cache.put_with_str(url, &copy)).await {
            Err(error) if is_full(&error) => {
                // Nothing left to remove: the take plays from the network this time.
                let Some((index, urls)) = candidates.next() else { return removed };
                if remove(cache, urls).await {
                    removed.push(index);
                }
            }
            // Kept, or failed for another reason: a take that can't be kept still plays from the network.
            _ => return removed,
        }
    }
}

/// The audio at `url`: from the cache if it is there; else fetched once, under `deadline`, and kept. `None` when it
/// can be neither read from the cache nor fetched.
async fn response(url: &str, room: &[Vec<String>], deadline: &Deadline) -> Option<(Response, Vec<usize>)> {
    let cache = open().await;
    if let Some(cache) = &cache {
        let cached = JsFuture::from(cache.match_with_str(url)).await.ok().and_then(|found| found.dyn_into().ok());
        if let Some(cached) = cached {
            return Some((cached, Vec::new()));
        }
    }
    let response = http::fetch(url, &RequestInit::new(), deadline).await.ok()?;
    if !response.ok() {
        return None;
    }
    let removed = match &cache {
        Some(cache) => keep(cache, url, &response, room).await,
        None => Vec::new(),
    };
    Some((response, removed))
}

/// A take's audio on this device.
pub struct Local {
    /// A `blob:` URL of the audio (the caller falls back to the remote URL on `None`).
    pub url: Option<String>,
    /// The indices in `room` whose audio was removed to keep this one.
    pub removed: Vec<usize>,
}

/// The audio at `url`, kept on this device if it fits, or if removing other takes' audio (`room`: each take's keys,
/// in the order they may go) makes it fit.
pub async fn local_url(url: &str, room: &[Vec<String>]) -> Local {
    let nothing = || Local { url: None, removed: Vec::new() };
    let Ok(deadline) = Deadline::after(http::MEDIA_TIMEOUT_SECONDS) else { return nothing() };
    let Some((response, removed)) = response(url, room, &deadline).await else { return nothing() };
    let blob = match response.blob() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|blob| blob.dyn_into::<Blob>().ok()),
        Err(_) => None,
    };
    Local { url: blob.and_then(|blob| Url::create_object_url_with_blob(&blob).ok()), removed }
}

/// The audio at `url`, as the browser's bytes (for it to decode).
pub async fn buffer(url: &str) -> Option<js_sys::ArrayBuffer> {
    let deadline = Deadline::after(http::MEDIA_TIMEOUT_SECONDS).ok()?;
    let (response, _) = response(url, &[], &deadline).await?;
    http::array_buffer(&response, &deadline).await.ok()
}

/// The bytes of the audio at `url`.
pub async fn bytes(url: &str) -> Option<Vec<u8>> {
    Some(js_sys::Uint8Array::new(&buffer(url).await?.into()).to_vec())
}

/// Removes the audio kept under `urls`: a deleted take's audio must not fill the store.
pub async fn forget(urls: Vec<String>) {
    if let Some(cache) = open().await {
        remove(&cache, &urls).await;
    }
}
