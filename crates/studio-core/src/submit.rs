//! What to do once a submission was answered: the table that keeps a paid request from being sent twice by
//! accident. Only an answer that proves the gateway did not accept it (429, too many requests) lets the page send
//! it again by itself, a few times, after the wait it was told; anything that may have been accepted (a 5xx, a
//! timeout, a dropped connection, an answer that can't be read) is never sent again without the person asking.

use crate::GatewayError;

/// How many times a rate-limited submission is sent again before the page gives up.
pub const MAX_RESENDS: u32 = 5;
/// The longest wait before sending again by itself; a longer `Retry-After` (a daily cap) is left to the person.
pub const MAX_RESEND_WAIT_SECONDS: u32 = 120;

/// What the page does after a submission failed.
#[derive(Debug, Clone, PartialEq)]
pub enum AfterFailure {
    /// Not accepted, and worth another try: send it again after `seconds`, saying `why` meanwhile.
    SendAgainIn { seconds: u32, why: String },
    /// Refused: not accepted, and not sent again unless the person asks.
    Refused(String),
    /// No answer says whether it was accepted (and paid for): never sent again unless the person asks.
    Uncertain(String),
}

/// The next step after a submission failed with `error`, having been sent again `resends` times already. (An
/// accepted one is followed; one whose answer carried its end is done.)
pub fn after_failure(error: &GatewayError, resends: u32) -> AfterFailure {
    let wait = error.rate_limited().filter(|seconds| *seconds <= MAX_RESEND_WAIT_SECONDS);
    if let Some(seconds) = wait.filter(|_| resends < MAX_RESENDS) {
        return AfterFailure::SendAgainIn { seconds, why: error.message() };
    }
    if error.may_have_been_accepted() {
        AfterFailure::Uncertain(format!(
            "{} It may have been accepted anyway, so it was not sent again: check before you send it again.",
            error.message()
        ))
    } else {
        AfterFailure::Refused(error.message())
    }
}
