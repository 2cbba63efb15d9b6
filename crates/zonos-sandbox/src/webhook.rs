//! `X-Webhook-URL`: when a job ends, its final status body is POSTed there, retried with backoff as a gateway does.

use std::time::Duration;

use serde_json::json;
use zonos_api::JobStatusResponse;

/// The pauses before each retry; four attempts in all.
const BACKOFF: [Duration; 3] = [Duration::from_millis(250), Duration::from_millis(500), Duration::from_secs(1)];
/// How long one attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// Delivers `status` to `url` until it is accepted (any 2xx) or the attempts run out. Returns whether it was.
/// `wrapped`, the status goes under `data`, as some deployments of the real gateway send it.
pub async fn deliver(client: &reqwest::Client, url: &str, status: &JobStatusResponse, wrapped: bool) -> bool {
    let body = if wrapped {
        json!({ "event": format!("request.{}", status.status.code().to_lowercase()), "data": status })
    } else {
        json!(status)
    };
    let pauses = std::iter::once(Duration::ZERO).chain(BACKOFF);
    for (attempt, pause) in pauses.enumerate() {
        tokio::time::sleep(pause).await;
        match client.post(url).json(&body).timeout(ATTEMPT_TIMEOUT).send().await {
            Ok(response) if response.status().is_success() => return true,
            Ok(response) => {
                tracing::warn!(attempt, status = %response.status(), request_id = %status.request_id, "webhook refused")
            }
            // Without the URL: it may hold a token that authenticates the callback.
            Err(error) => {
                tracing::warn!(attempt, error = %error.without_url(), request_id = %status.request_id, "webhook unreachable")
            }
        }
    }
    false
}
