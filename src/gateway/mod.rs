//! Talking to a gateway: one client for both ways the app can reach it, through our proxy (which adds the key) or
//! directly (the person's key, sent only to the gateway they configured).

pub mod connection;

use zonos_api::{GenerateRequest, JobStatusResponse, SubmitAccepted, SubmitAnswer};

pub use studio_core::gateway::Gateway;
use studio_core::gateway::{STATUS_TIMEOUT_SECONDS, SUBMIT_TIMEOUT_SECONDS};
pub use studio_core::{GatewayError, DEFAULT_RETRY_SECONDS};

use crate::platform::http;

/// A URL's origin as the browser reads it (`None` for a relative URL, or one with an opaque origin): what decides
/// where the key may go (see [`Gateway::own_status_url`]).
pub(crate) fn origin(url: &str) -> Option<String> {
    web_sys::Url::new(url).ok().map(|url| url.origin()).filter(|origin| origin != "null")
}

/// The gateway's two calls, over the network; a refusal for want of a session brings the sign-in back. Nothing here retries: whether to send again is the caller's decision
/// (see `studio_core::submit`).
// The page runs on one thread: its futures are never sent anywhere, so no `Send` bound is wanted.
#[allow(async_fn_in_trait)]
pub trait Calls {
    /// Sends the request once.
    async fn submit(&self, request: &GenerateRequest) -> Result<SubmitAnswer, GatewayError>;
    async fn status(&self, url: &str) -> Result<JobStatusResponse, GatewayError>;
    /// Where to poll an accepted job (see [`Gateway::status_url`]).
    fn polling_url(&self, accepted: &SubmitAccepted) -> String;
    /// Where to poll a job known from before (see [`Gateway::own_status_url`]).
    fn polling_url_of(&self, known: Option<&str>, request_id: &str) -> String;
}

impl Calls for Gateway {
    async fn submit(&self, request: &GenerateRequest) -> Result<SubmitAnswer, GatewayError> {
        let body = wasm_bindgen::JsValue::from_str(&serde_json::to_string(request).expect("a request serializes"));
        let answer = http::send("POST", &self.submit_url(), &self.headers(), Some(&body), SUBMIT_TIMEOUT_SECONDS).await;
        answer?.submitted().inspect_err(crate::access::heed)
    }

    async fn status(&self, url: &str) -> Result<JobStatusResponse, GatewayError> {
        http::send("GET", url, &self.headers(), None, STATUS_TIMEOUT_SECONDS)
            .await?
            .job_status()
            .inspect_err(crate::access::heed)
    }

    fn polling_url(&self, accepted: &SubmitAccepted) -> String {
        self.status_url(accepted, origin)
    }

    fn polling_url_of(&self, known: Option<&str>, request_id: &str) -> String {
        self.own_status_url(known, request_id, origin)
    }
}
