//! Why the proxy answers a call itself instead of passing on the gateway's answer; always in the documented
//! error-body shape, so the app handles one contract.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("{0}")]
    Invalid(String),
    #[error("the body is not JSON: {0}")]
    NotJson(serde_json::Error),
    #[error("{0:?} is not a Zonos 2 request id (zonos-2_ followed by a UUID)")]
    BadRequestId(String),
    #[error("Too many requests from this address: try again in {} s", whole_seconds(*.0))]
    RateLimited(Duration),
    #[error("{0} is given more than once")]
    DuplicateField(String),
    #[error("no request {0} was sent through this proxy")]
    NotIssued(String),
    #[error("too many event streams are open: follow the job by polling its status")]
    TooManyStreams,
    #[error("Today's submission cap is reached: try again in {} s, after midnight UTC", whole_seconds(*.0))]
    DailyCap(Duration),
    /// A person's budget: today's (renewing in the given time, at midnight UTC) or in all (`None`).
    #[error("{}", match .renews_in {
        Some(_) => format!("Your budget for today is spent: {used} of {limit}. It renews at 00:00 UTC."),
        None => format!("Your budget is spent: {used} of {limit} in all. Ask whoever runs this studio for more."),
    })]
    BudgetSpent { used: u32, limit: u32, renews_in: Option<Duration> },
    #[error("the gateway could not be reached: {0}")]
    Unreachable(String),
    #[error("the gateway's answer was cut off ({0}); a submission may still have been accepted")]
    CutOff(String),
    #[error("a page on another site may not call this proxy")]
    CrossSite,
    #[error("send the request as application/json")]
    NotJsonContentType,
    #[error("the gateway did not answer within {} s; a submission may still have been accepted", .0.as_secs())]
    Timeout(Duration),
    #[error("media is fetched only from {allowed}, not from {url:?}")]
    MediaRefused { url: String, allowed: String },
    #[error("the media host answered {0}")]
    MediaStatus(StatusCode),
    #[error("the result is larger than the {} MB this proxy serves", .0 / 1024 / 1024)]
    MediaTooLarge(usize),
    #[error("this callback is not one the proxy asked for")]
    UnknownCallback,
    #[error("the callback's body is not a final status of its request")]
    BadCallback,
    #[error("the gateway answered the status check with {0} and no status (a bot challenge's page, say)")]
    NoStatus(StatusCode),
    #[error("the file is not audio in a documented format (MP3, OGG, WAV, M4A, AAC)")]
    NotAudio,
    #[error("the file is larger than the {} MB limit", .0 / 1024 / 1024)]
    TooLarge(usize),
    #[error("the request's body did not arrive in time")]
    SlowBody,
    #[error("no stored reference {0}; references expire after a day")]
    UnknownReference(String),
    #[error("{0} has no consent record of its speaker for its voice: it can't be shared")]
    NoConsent(String),
    #[error(
        "{0} can't be heard blind: its voice's reference is not one this studio keeps or offers, or it holds no sound"
    )]
    NoReference(String),
    #[error("your guess stands: the real side was revealed to you")]
    GuessStands,
    #[error("the review's audio is larger than the {} MB a review may keep", .0 / 1024 / 1024)]
    ReviewTooLarge(u64),
    #[error("this review has ended, or never was")]
    ReviewGone,
    #[error("this review has all the {0} listeners it counts")]
    ReviewFull(u32),
    #[error("{}", match .0 {
        crate::store::StoreError::Full => "the reference store is full: try again later",
        _ => "the proxy's store is unavailable: try again in a moment",
    })]
    Store(#[from] crate::store::StoreError),
}

/// A wait as `Retry-After` writes it: whole seconds, rounded up, at least one.
fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs_f64().ceil() as u64).max(1)
}

impl ProxyError {
    fn status(&self) -> (StatusCode, &'static str) {
        match self {
            ProxyError::Invalid(_)
            | ProxyError::NotJson(_)
            | ProxyError::BadRequestId(_)
            | ProxyError::BadCallback
            | ProxyError::DuplicateField(_) => (StatusCode::BAD_REQUEST, "Bad Request"),
            ProxyError::NotIssued(_) => (StatusCode::NOT_FOUND, "Not Found"),
            ProxyError::TooManyStreams => (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests"),
            ProxyError::RateLimited(_) | ProxyError::DailyCap(_) => {
                (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests")
            }
            ProxyError::BudgetSpent { .. } => (StatusCode::TOO_MANY_REQUESTS, zonos_api::BUDGET_SPENT),
            ProxyError::Unreachable(_)
            | ProxyError::CutOff(_)
            | ProxyError::MediaStatus(_)
            | ProxyError::NoStatus(_)
            | ProxyError::MediaTooLarge(_) => (StatusCode::BAD_GATEWAY, "Bad Gateway"),
            ProxyError::CrossSite => (StatusCode::FORBIDDEN, "Forbidden"),
            ProxyError::NotJsonContentType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type"),
            ProxyError::Timeout(_) => (StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout"),
            ProxyError::MediaRefused { .. } | ProxyError::UnknownCallback => (StatusCode::FORBIDDEN, "Forbidden"),
            ProxyError::UnknownReference(_) | ProxyError::ReviewGone => (StatusCode::NOT_FOUND, "Not Found"),
            ProxyError::NoConsent(_) | ProxyError::NoReference(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Unprocessable Content")
            }
            ProxyError::GuessStands => (StatusCode::CONFLICT, "Conflict"),
            ProxyError::ReviewFull(_) => (StatusCode::CONFLICT, "Conflict"),
            ProxyError::ReviewTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large"),
            ProxyError::NotAudio => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type"),
            ProxyError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large"),
            ProxyError::SlowBody => (StatusCode::REQUEST_TIMEOUT, "Request Timeout"),
            ProxyError::Store(crate::store::StoreError::Full) => {
                (StatusCode::INSUFFICIENT_STORAGE, "Insufficient Storage")
            }
            ProxyError::Store(_) => (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable"),
        }
    }
}

impl ProxyError {
    /// The store's own failure, if that is what this is (a full store is not a failure).
    fn store_failure(&self) -> Option<&crate::store::StoreError> {
        match self {
            ProxyError::Store(crate::store::StoreError::Full) => None,
            ProxyError::Store(error) => Some(error),
            _ => None,
        }
    }
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        // What the store said stays in the log: a caller learns only that it is unavailable.
        if let Some(error) = self.store_failure() {
            tracing::error!(%error, "the proxy's store failed");
        }
        let (status, error) = self.status();
        let retry_after = match &self {
            ProxyError::RateLimited(wait)
            | ProxyError::DailyCap(wait)
            | ProxyError::BudgetSpent { renews_in: Some(wait), .. } => Some(whole_seconds(*wait)),
            _ => None,
        };
        crate::error_response(status, error, self.to_string(), retry_after)
    }
}
