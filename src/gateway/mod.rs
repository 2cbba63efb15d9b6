//! Talking to a gateway: one client for both ways the app can reach it, through our proxy (which adds the key) or
//! directly (the person's key, sent only to the gateway they configured).

pub mod connection;
mod error;

use leptos::prelude::*;
use zonos_api::{GenerateRequest, JobStatusResponse, SubmitAccepted, SubmitAnswer, API_KEY_HEADER, GENERATE_PATH};

pub use error::{GatewayError, DEFAULT_RETRY_SECONDS};

use crate::platform::http;
use crate::settings::Settings;
use connection::Connection;

/// How long the gateway may take to queue a submission, and to answer a status call.
const SUBMIT_TIMEOUT_SECONDS: u32 = 30;
const STATUS_TIMEOUT_SECONDS: u32 = 15;
/// Where the proxy serves the gateway's calls: relative, so that a page served under any path prefix (behind a
/// reverse proxy at `/studio/`, say) reaches the proxy that served it.
const PROXY_BASE: &str = "api";

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

    fn headers(&self) -> Vec<(&str, &str)> {
        let mut headers = vec![("Content-Type", "application/json"), ("Cache-Control", "no-cache")];
        if let Some(key) = &self.key {
            headers.push((API_KEY_HEADER, key));
        }
        headers
    }

    /// Sends the request once. Nothing here retries: whether to send again is the caller's decision.
    pub async fn submit(&self, request: &GenerateRequest) -> Result<SubmitAnswer, GatewayError> {
        let body = serde_json::to_string(request).expect("a request serializes");
        let url = format!("{}{GENERATE_PATH}", self.base);
        let body = wasm_bindgen::JsValue::from_str(&body);
        let answer = http::send("POST", &url, &self.headers(), Some(&body), SUBMIT_TIMEOUT_SECONDS).await?;
        if !(200..300).contains(&answer.status) {
            return Err(GatewayError::refused(&answer));
        }
        SubmitAnswer::parse(&answer.body).map_err(|error| GatewayError::Malformed(error.to_string()))
    }

    /// Where to ask for the job's status: the `polling_url` the gateway gave, unless it points anywhere but the
    /// configured gateway (the key goes nowhere else).
    pub fn status_url(&self, accepted: &SubmitAccepted) -> String {
        self.own_status_url(accepted.polling_url.as_deref(), &accepted.request_id)
    }

    /// `known` (a status URL kept from before), if it is this gateway's; else this gateway's status path. A job
    /// kept from an earlier visit may have been sent through another mode or gateway.
    pub fn own_status_url(&self, known: Option<&str>, request_id: &str) -> String {
        let given = known.filter(|url| self.is_own(url));
        given.map(str::to_owned).unwrap_or_else(|| format!("{}{}", self.base, zonos_api::status_path(request_id)))
    }

    fn is_own(&self, url: &str) -> bool {
        // Through the proxy, its own status path, relative to the page, is always right: the proxy's `polling_url`
        // is absolute (as the contract has it), and names an address the browser may not reach it by.
        if self.is_proxy() {
            return false;
        }
        url.strip_prefix(&origin_of(&self.base)).is_some_and(|rest| rest.starts_with('/'))
    }

    pub async fn status(&self, url: &str) -> Result<JobStatusResponse, GatewayError> {
        let answer = http::send("GET", url, &self.headers(), None, STATUS_TIMEOUT_SECONDS).await?;
        if !(200..300).contains(&answer.status) {
            return Err(GatewayError::refused(&answer));
        }
        JobStatusResponse::parse(&answer.body).map_err(|error| GatewayError::Malformed(error.to_string()))
    }

    /// The proxy's push stream for a job, when it offers one.
    pub fn events_url(&self, request_id: &str) -> Option<String> {
        self.events.then(|| format!("{PROXY_BASE}/v2/requests/events/{request_id}"))
    }

    /// Where the page fetches result audio: same-origin through the proxy (so it can be downloaded under its name),
    /// else straight from the gateway's CDN.
    pub fn media_url(&self, url: &str) -> String {
        if self.is_proxy() {
            format!("{PROXY_BASE}/media?url={}", String::from(js_sys::encode_uri_component(url)))
        } else {
            url.to_owned()
        }
    }
}

/// `scheme://host[:port]` of an absolute URL.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or_default()),
        None => url.to_owned(),
    }
}

/// The gateway to use now, or why there is none.
pub fn gateway_for(connection: RwSignal<Option<Connection>>, settings: Settings) -> Result<Gateway, String> {
    match connection.get_untracked() {
        None => Err("Still finding the gateway: try again in a moment.".to_owned()),
        Some(Connection::Proxy(offer)) => Ok(Gateway::through_proxy(offer.events)),
        Some(Connection::Direct(_)) => {
            let key = settings.key.get_untracked();
            if key.trim().is_empty() {
                Err("Enter your API key under Connection: this page calls the gateway directly.".to_owned())
            } else {
                Ok(Gateway::direct(&settings.gateway_url.get_untracked(), &key))
            }
        }
    }
}
