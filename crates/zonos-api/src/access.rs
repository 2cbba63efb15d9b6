//! Who may use a proxy that asks (`serve --access codes` or `oidc`): signing in and out, invite links, what a
//! person has left of their budgets, and the spend log an admin reads. Written once for the server and the app.

use serde::{Deserialize, Serialize};

/// Where the app signs in with an access code (`{"code": …}`), and out, under the proxy's `/api`.
pub const SIGN_IN_PATH: &str = "/access/sign-in";
pub const SIGN_OUT_PATH: &str = "/access/sign-out";
/// An invite link is the studio's address, then this, then an access code with a number of uses. It only sends
/// the page there with the code in the fragment ([`JOIN_FRAGMENT`]): a link preview that fetches it uses nothing,
/// and the code reaches no server log again.
pub const JOIN_PATH_PREFIX: &str = "/join/";
pub const JOIN_FRAGMENT: &str = "#join=";
/// Where the page goes to sign in with an OpenID provider (`--access oidc`), under the proxy's `/api`: it sends the
/// browser on to the provider, which sends it back to [`OIDC_CALLBACK_PATH`]; that opens the session and sends it to
/// the studio's page, or to the page with [`SIGN_IN_FAILED_FRAGMENT`] and the [`SignInFailure`]'s name.
pub const OIDC_START_PATH: &str = "/access/oidc/start";
pub const OIDC_CALLBACK_PATH: &str = "/access/oidc/callback";
pub const SIGN_IN_FAILED_FRAGMENT: &str = "#sign-in-failed=";

/// Why a sign-in with an OpenID provider did not open a session. Only its name travels, in the page's address:
/// the words are the page's own, so a crafted link can't make the page say anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFailure {
    /// The sign-in it finishes was not begun here, in this browser, in the last minutes (or was finished already).
    NotBegunHere,
    /// The provider did not sign the person in (they declined, or it refused this studio).
    Declined,
    /// The provider's answer could not be verified (an ID token expired, for another studio, or badly signed).
    Unverified,
    /// The provider, or this studio's store, could not be reached.
    Unreachable,
}

impl SignInFailure {
    pub const ALL: [SignInFailure; 4] =
        [SignInFailure::NotBegunHere, SignInFailure::Declined, SignInFailure::Unverified, SignInFailure::Unreachable];

    pub fn name(self) -> &'static str {
        match self {
            SignInFailure::NotBegunHere => "not-begun-here",
            SignInFailure::Declined => "declined",
            SignInFailure::Unverified => "unverified",
            SignInFailure::Unreachable => "unreachable",
        }
    }

    pub fn from_name(name: &str) -> Option<SignInFailure> {
        Self::ALL.into_iter().find(|failure| failure.name() == name)
    }

    /// What the sign-in panel says.
    pub fn words(self) -> &'static str {
        match self {
            SignInFailure::NotBegunHere => "That sign-in expired, or was begun in another browser: sign in again.",
            SignInFailure::Declined => "The sign-in service did not sign you in: try again, or ask whoever runs it.",
            SignInFailure::Unverified => {
                "The sign-in service's answer could not be verified: sign in again (the server's log says why)."
            }
            SignInFailure::Unreachable => "The sign-in service could not be reached: try again in a moment.",
        }
    }
}

/// The error title of a call refused for want of a session (the gateway's own 401s say otherwise).
pub const SIGN_IN_REQUIRED: &str = "Sign In Required";
/// Who is signed in, with what is left of their budgets ([`SignedIn`]), under the proxy's `/api`.
pub const SESSION_PATH: &str = "/access/session";
/// The spend log by person and day ([`UsageRow`]s), for an admin, under the proxy's `/api`; `?days=N` (7 by default).
pub const USAGE_PATH: &str = "/access/usage";
/// Where an admin revokes a person (`{"name": …}`), under the proxy's `/api`.
pub const REVOKE_PATH: &str = "/access/revoke";

/// Who the page is signed in as ([`SESSION_PATH`]); with open access, nobody (and no budget applies).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub person: Option<String>,
    /// They may read the spend log and revoke people.
    pub admin: bool,
    /// The page can sign them out (an access code's session; a reverse proxy's sign-in ends there).
    #[serde(default)]
    pub sign_out: bool,
    pub budget: BudgetLeft,
}

/// A person's budgets of submissions and what they used (in [`SignedIn`]); a limit of `None` is no limit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLeft {
    pub daily: Option<u32>,
    pub used_today: u32,
    pub in_all: Option<u32>,
    pub used_in_all: u32,
}

impl BudgetLeft {
    /// What is left, in the words the page shows near Generate: today's budget first (the one that renews), or
    /// nothing when no budget applies.
    pub fn words(&self) -> Option<String> {
        let left = |limit: u32, used: u32| limit.saturating_sub(used);
        match (self.daily, self.in_all) {
            (Some(daily), _) => Some(format!("{} of {daily} left today", left(daily, self.used_today))),
            (None, Some(in_all)) => Some(format!("{} of {in_all} left in all", left(in_all, self.used_in_all))),
            (None, None) => None,
        }
    }
}

/// The error title of a submission past the person's budget (429): not a rate limit, never sent again by itself.
pub const BUDGET_SPENT: &str = "Budget Spent";

/// Who the spend log says sent a submission where nobody signs in (`--access open`).
pub const OPEN_ACCESS_PERSON: &str = "(open access)";

/// The spend log's submissions of one person on one day (UTC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageRow {
    pub person: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Submissions sent upstream.
    pub takes: u32,
    pub completed: u32,
    /// Failed or ended in error, or refused by the gateway.
    pub failed: u32,
    /// How long the audio served of them plays, in seconds.
    pub audio_seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_failure_goes_by_its_name_and_back() {
        for failure in SignInFailure::ALL {
            assert_eq!(SignInFailure::from_name(failure.name()), Some(failure));
        }
        assert_eq!(SignInFailure::from_name("<b>you have been hacked</b>"), None);
    }

    #[test]
    fn whats_left_is_said_by_the_budget_that_applies() {
        let left =
            |daily, used_today, in_all, used_in_all| BudgetLeft { daily, used_today, in_all, used_in_all }.words();
        assert_eq!(left(Some(20), 3, Some(50), 40), Some("17 of 20 left today".into()));
        assert_eq!(left(Some(2), 5, None, 5), Some("0 of 2 left today".into()));
        assert_eq!(left(None, 3, Some(50), 48), Some("2 of 50 left in all".into()));
        assert_eq!(left(None, 3, None, 3), None);
    }
}
