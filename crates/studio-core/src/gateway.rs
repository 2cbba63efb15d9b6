//! Where the app's calls go: through the proxy that served the page (which adds the key), or directly to the
//! gateway the person named, with their key. The rule that matters most here: the key goes to that gateway's origin
//! and nowhere else, whatever URL an answer names.

use zonos_api::{SubmitAccepted, API_KEY_HEADER, GENERATE_PATH};

/// How long the gateway may take to queue a submission, and to answer a status call.
pub const SUBMIT_TIMEOUT_SECONDS: u32 = 30;
pub const STATUS_TIMEOUT_SECONDS: u32 = 15;
/// Where the proxy serves the gateway's calls: relative, so that a page served under any path prefix (behind a
/// reverse proxy at `/studio/`, say) reaches the proxy that served it.
pub const PROXY_BASE: &str = "api";

/// A gateway the app can call.
#[derive(Debug, Clone, PartialEq)]
pub struct Gateway {
    /// The base the documented paths are appended to.
    base: String,
    /// The key, in direct mode only: the proxy adds its own.
    key: Option<String>,
    /// The proxy pushes final statuses over Server-Sent Events.
    events: bool,
}

impl Gateway {
    /// Through the proxy that served the page.
    pub fn through_proxy(events: bool) -> Gateway {
        Gateway { base: PROXY_BASE.to_owned(), key: None, events }
    }

    /// Directly, with the person's key.
    pub fn direct(base: &str, key: &str) -> Gateway {
        Gateway { base: base.trim().trim_end_matches('/').to_owned(), key: Some(key.trim().to_owned()), events: false }
    }

    pub fn is_proxy(&self) -> bool {
        self.key.is_none()
    }

    /// The headers of every call: JSON, no caching, and the key in direct mode.
    pub fn headers(&self) -> Vec<(&str, &str)> {
        let mut headers = vec![("Content-Type", "application/json"), ("Cache-Control", "no-cache")];
        if let Some(key) = &self.key {
            headers.push((API_KEY_HEADER, key));
        }
        headers
    }

    pub fn submit_url(&self) -> String {
        format!("{}{GENERATE_PATH}", self.base)
    }

    /// Where to ask for the job's status: the `polling_url` the gateway gave, if it is this gateway's (see
    /// [`Gateway::own_status_url`]).
    pub fn status_url(&self, accepted: &SubmitAccepted, origin: impl Fn(&str) -> Option<String>) -> String {
        self.own_status_url(accepted.polling_url.as_deref(), &accepted.request_id, origin)
    }

    /// `known` (a status URL given by an answer, or kept from before), if it is at this gateway's origin as `origin`
    /// reads URLs (the browser's own parser, in the app); else this gateway's own status path. Through the proxy,
    /// always its own path, relative to the page: the proxy's `polling_url` names an address the browser may not
    /// reach it by. A job kept from an earlier visit may have been sent through another mode or gateway.
    pub fn own_status_url(
        &self,
        known: Option<&str>,
        request_id: &str,
        origin: impl Fn(&str) -> Option<String>,
    ) -> String {
        let own = |url: &&str| !self.is_proxy() && origin(url).is_some_and(|url| Some(url) == origin(&self.base));
        match known.filter(own) {
            Some(url) => url.to_owned(),
            None => format!("{}{}", self.base, zonos_api::status_path(request_id)),
        }
    }

    /// The proxy's push stream for a job, when it offers one.
    pub fn events_url(&self, request_id: &str) -> Option<String> {
        self.events.then(|| format!("{PROXY_BASE}{}", zonos_api::events_path(request_id)))
    }

    /// Where the page fetches result audio: same-origin through the proxy (so it can be drawn, kept and downloaded
    /// under its name), else straight from the gateway's CDN.
    pub fn media_url(&self, url: &str) -> String {
        if self.is_proxy() {
            format!("{PROXY_BASE}/media?url={}", encode_component(url))
        } else {
            url.to_owned()
        }
    }
}

/// `text` as one component of a URL: every byte but the unreserved ones percent-encoded. (Hex digits by hand: the
/// formatting machinery for them would weigh on the app's first load.)
pub fn encode_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => encoded.push(char::from(byte)),
            _ => {
                encoded.push('%');
                encoded.push(char::from(HEX[usize::from(byte >> 4)]));
                encoded.push(char::from(HEX[usize::from(byte & 15)]));
            }
        }
    }
    encoded
}
