//! Every way a call to the gateway can go wrong, as a type the UI renders in plain words.

use zonos_api::{ErrorBody, JobStatusResponse, SubmitAnswer, BUDGET_SPENT, SIGN_IN_REQUIRED};

/// An answer, whatever its status.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    /// `Retry-After` in seconds, when given as seconds.
    pub retry_after: Option<u32>,
    /// `Content-Type`, when given.
    pub content_type: Option<String>,
    pub body: String,
}

impl Answer {
    fn succeeded(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether this is not the gateway's JSON at all: a web page (a bot challenge in front of the gateway, a
    /// proxy's error page) or other text.
    fn is_foreign(&self) -> bool {
        let html =
            self.content_type.as_deref().is_some_and(|kind| kind.trim().to_ascii_lowercase().starts_with("text/html"));
        let body = self.body.trim_start();
        html || !(body.is_empty() || body.starts_with('{') || body.starts_with('['))
    }

    /// What a generate request's answer says.
    pub fn submitted(&self) -> Result<SubmitAnswer, GatewayError> {
        if !self.succeeded() {
            return Err(GatewayError::refused(self));
        }
        SubmitAnswer::parse(&self.body).map_err(|error| GatewayError::Malformed(error.to_string()))
    }

    /// What a status call's answer says. Real gateways put their status endpoint behind a bot challenge for some
    /// callers: a web page in place of a status is its own case, never read as a refusal of the key.
    pub fn job_status(&self) -> Result<JobStatusResponse, GatewayError> {
        if self.is_foreign() {
            return Err(GatewayError::Blocked { status: self.status });
        }
        if !self.succeeded() {
            return Err(GatewayError::refused(self));
        }
        JobStatusResponse::parse(&self.body).map_err(|error| GatewayError::Malformed(error.to_string()))
    }
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The connection failed or was refused (including by CORS): the browser does not say which.
    Network(String),
    /// No complete answer within the deadline.
    Timeout { seconds: u32 },
}

/// Why a gateway call gave no usable answer.
#[derive(Debug, Clone, PartialEq)]
pub enum GatewayError {
    /// The gateway answered with an error status (and, usually, the documented error body).
    Refused { status: u16, body: Option<ErrorBody>, retry_after: Option<u32> },
    /// The answer was not what the contract describes.
    Malformed(String),
    /// A status check answered with a web page (or other text), not the gateway's JSON: something in front of the
    /// gateway stopped it.
    Blocked { status: u16 },
    /// No answer: a dropped connection, an unreachable host, or a refusal by the browser's CORS checks.
    Network(String),
    /// No answer within the deadline.
    Timeout { seconds: u32 },
}

/// How long to wait after a 429 that does not say.
pub const DEFAULT_RETRY_SECONDS: u32 = 5;

impl GatewayError {
    /// The error an error-status answer stands for.
    pub fn refused(answer: &Answer) -> GatewayError {
        GatewayError::Refused {
            status: answer.status,
            body: serde_json::from_str::<ErrorBody>(&answer.body).ok(),
            retry_after: answer.retry_after,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            GatewayError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Seconds to wait before asking again, when the gateway said "too many requests". A person's spent budget is
    /// not that: nothing is sent again by itself.
    pub fn rate_limited(&self) -> Option<u32> {
        match self {
            GatewayError::Refused { status: 429, .. } if self.budget_spent() => None,
            GatewayError::Refused { status: 429, retry_after, .. } => {
                Some(retry_after.unwrap_or(DEFAULT_RETRY_SECONDS))
            }
            _ => None,
        }
    }

    /// Whether our proxy refused it because the person's budget is spent.
    fn budget_spent(&self) -> bool {
        matches!(self, GatewayError::Refused { status: 429, body: Some(body), .. } if body.error == BUDGET_SPENT)
    }

    /// Whether our proxy asks the person to sign in (again: a session ended, or was revoked). The gateway's own 401
    /// (a refused key) is another thing, and says so.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, GatewayError::Refused { status: 401, body: Some(body), .. } if body.error == SIGN_IN_REQUIRED)
    }

    /// Whether a submission that ended this way may still have been accepted, and paid for: then it is never sent
    /// again without the person asking.
    pub fn may_have_been_accepted(&self) -> bool {
        match self {
            GatewayError::Refused { status, .. } => *status >= 500,
            GatewayError::Malformed(_)
            | GatewayError::Blocked { .. }
            | GatewayError::Network(_)
            | GatewayError::Timeout { .. } => true,
        }
    }

    /// What happened, in plain words.
    pub fn message(&self) -> String {
        match self {
            GatewayError::Refused { status, body, retry_after } => {
                let said = body.as_ref().map(ErrorBody::summary).filter(|said| !said.trim().is_empty());
                match status {
                    400 => format!("The gateway refused the request: {}", said.unwrap_or("it was not valid.")),
                    401 if self.needs_sign_in() => {
                        "Sign in above: this studio asks for your access code again.".to_owned()
                    }
                    401 => "The API key was refused.".to_owned(),
                    402 => "Insufficient balance: top up the wallet.".to_owned(),
                    403 => "This key may not use Zonos 2.".to_owned(),
                    404 => format!(
                        "The gateway does not know this request{}",
                        said.map(|said| format!(": {said}")).unwrap_or(".".into())
                    ),
                    429 if self.budget_spent() => said.unwrap_or("Your budget is spent.").to_owned(),
                    429 => {
                        format!("Too many requests: retrying in {} s.", retry_after.unwrap_or(DEFAULT_RETRY_SECONDS))
                    }
                    500 => "The gateway failed.".to_owned(),
                    status if *status > 500 => format!("The gateway failed (HTTP {status})."),
                    status => format!(
                        "The gateway refused the request (HTTP {status}){}",
                        said.map(|said| format!(": {said}")).unwrap_or(".".into())
                    ),
                }
            }
            GatewayError::Malformed(reason) => format!("The gateway's answer could not be read: {reason}."),
            GatewayError::Blocked { .. } => {
                "The gateway's status check was blocked (it answered with a web page, not a status).".to_owned()
            }
            GatewayError::Network(_) => {
                "The gateway could not be reached: the network is down, or the gateway does not allow this page."
                    .to_owned()
            }
            GatewayError::Timeout { seconds } => format!("The gateway did not answer within {seconds} s."),
        }
    }
}

impl From<Failure> for GatewayError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Network(reason) => GatewayError::Network(reason),
            Failure::Timeout { seconds } => GatewayError::Timeout { seconds },
        }
    }
}
