//! The Zonos 2 gateway contract, as documented in `shared/reference/zonos-2-api.md`.
//!
//! One truth for the browser app, the proxy and the sandbox: the request with its documented defaults and ranges,
//! the answers (202, status, queue errors), and validation that names every problem at once. No I/O, so it
//! compiles for `wasm32-unknown-unknown` and for the server alike.

mod access;
mod audio_format;
mod decimal;
mod duplicate_keys;
mod error_body;
mod field;
mod language;
mod proxy;
mod raw;
mod request;
mod response;
mod review;
mod status;
mod validation;

pub use access::{
    BudgetLeft, SignInFailure, SignedIn, UsageRow, BUDGET_SPENT, JOIN_FRAGMENT, JOIN_PATH_PREFIX, OIDC_CALLBACK_PATH,
    OIDC_START_PATH, OPEN_ACCESS_PERSON, REVOKE_PATH, SESSION_PATH, SIGN_IN_FAILED_FRAGMENT, SIGN_IN_PATH,
    SIGN_IN_REQUIRED, SIGN_OUT_PATH, USAGE_PATH,
};
pub use audio_format::AudioFormat;
pub use decimal::Decimal;
pub use duplicate_keys::first_duplicate_key;
pub use error_body::ErrorBody;
pub use field::{format_number, Field, NumberKind, NumericSpec};
pub use language::Language;
pub use proxy::{
    events_path, OfferedVoice, ProxyOffer, UploadedReference, CONFIG_FILE, EVENTS_PATH_PREFIX, RECONNECT_EVENT,
    REFERENCES_PATH, STATUS_EVENT,
};
pub use raw::{RawRequest, RawValue};
pub use request::{GenerateRequest, DEFAULT_TEXT};
pub use response::{JobStatusResponse, MalformedBody, Output, SubmitAccepted, SubmitAnswer, CALLBACK_WRAPPERS};
pub use review::{
    QrDrawing, ReviewItem, ReviewMade, ReviewRequest, MOST_REVIEW_DAYS, MOST_REVIEW_ITEMS, REVIEWS_PATH,
    REVIEW_ENDED_EVENT, REVIEW_PAGE_PREFIX, TALLY_EVENT,
};
pub use status::JobStatus;
pub use validation::{is_http_url, summarize, FieldError, Problem};

/// The documented gateway host.
pub const DEFAULT_GATEWAY_URL: &str = "https://gateway.pixazo.ai";
/// Path of the generate request (`POST`).
pub const GENERATE_PATH: &str = "/zonos-2/v1/zonos-2-request";
/// Prefix of the universal status endpoint (`GET`), followed by the request id.
pub const STATUS_PATH_PREFIX: &str = "/v2/requests/status/";
/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "Ocp-Apim-Subscription-Key";
/// The optional header that asks for a callback instead of polling.
pub const WEBHOOK_HEADER: &str = "X-Webhook-URL";
/// The model id the gateway reports in status bodies.
pub const MODEL_ID: &str = "zonos-2";
/// Every request id starts with this, followed by a UUID.
pub const REQUEST_ID_PREFIX: &str = "zonos-2_";
/// The documented advice: poll every 5–10 seconds.
pub const RECOMMENDED_POLL_SECONDS: u32 = 5;

/// The status path for one request id.
pub fn status_path(request_id: &str) -> String {
    format!("{STATUS_PATH_PREFIX}{request_id}")
}

/// Whether `id` has the documented shape `zonos-2_` + UUID (8-4-4-4-12 hex digits), so it is safe to put in a path.
pub fn is_request_id(id: &str) -> bool {
    let Some(uuid) = id.strip_prefix(REQUEST_ID_PREFIX) else {
        return false;
    };
    let groups: Vec<&str> = uuid.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_must_have_the_documented_shape() {
        assert!(is_request_id("zonos-2_019d3b6e-7c1a-7b2e-9f00-0a1b2c3d4e5f"));
        assert!(!is_request_id("zonos-2_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"));
        assert!(!is_request_id("019d3b6e-7c1a-7b2e-9f00-0a1b2c3d4e5f"));
        assert!(!is_request_id("zonos-2_../../etc/passwd"));
        assert!(!is_request_id("zonos-2_019d3b6e-7c1a-7b2e-9f00-0a1b2c3d4e5f/x"));
        assert!(!is_request_id(""));
    }

    #[test]
    fn status_path_appends_the_id() {
        assert_eq!(status_path("zonos-2_a"), "/v2/requests/status/zonos-2_a");
    }
}
