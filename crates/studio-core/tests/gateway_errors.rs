//! Every gateway failure in plain words, and which ones may have cost money (never re-sent by themselves).

use studio_core::GatewayError;
use zonos_api::ErrorBody;

fn refused(status: u16, message: &str) -> GatewayError {
    GatewayError::Refused { status, body: Some(ErrorBody::new("Error", message)), retry_after: None }
}

#[test]
fn queue_errors_map_to_plain_words() {
    let cases = [
        (
            400,
            "Model 'zonos-2' not found or is disabled",
            "The gateway refused the request: Model 'zonos-2' not found or is disabled",
        ),
        (401, "Invalid subscription key", "The API key was refused."),
        (402, "Your wallet does not have enough balance.", "Insufficient balance: top up the wallet."),
        (403, "Forbidden", "This key may not use Zonos 2."),
        (429, "Slow down", "Too many requests: retrying in 5 s."),
        (500, "boom", "The gateway failed."),
        (503, "", "The gateway failed (HTTP 503)."),
    ];
    for (status, said, words) in cases {
        assert_eq!(refused(status, said).message(), words, "{status}");
    }
    let with_retry_after = GatewayError::Refused { status: 429, body: None, retry_after: Some(12) };
    assert_eq!(with_retry_after.message(), "Too many requests: retrying in 12 s.");
    assert_eq!(with_retry_after.rate_limited(), Some(12));
    assert_eq!(GatewayError::Timeout { seconds: 30 }.message(), "The gateway did not answer within 30 s.");
    assert!(GatewayError::Network("Failed to fetch".into()).message().starts_with("The gateway could not be reached"));
    assert!(GatewayError::Malformed("expected value".into()).message().contains("could not be read"));
}

#[test]
fn only_our_proxys_sign_in_refusal_asks_to_sign_in() {
    let sign_in = GatewayError::Refused {
        status: 401,
        body: Some(ErrorBody::new(zonos_api::SIGN_IN_REQUIRED, "Sign in to use this studio: enter your access code.")),
        retry_after: None,
    };
    assert!(sign_in.needs_sign_in());
    assert_eq!(sign_in.message(), "Sign in above: this studio asks for your access code again.");
    assert!(!sign_in.may_have_been_accepted());
    // The gateway's refused key, and a sign-in title on another status, are not.
    assert!(!refused(401, "Invalid subscription key").needs_sign_in());
    assert!(!GatewayError::Refused { status: 401, body: None, retry_after: None }.needs_sign_in());
    let forbidden = GatewayError::Refused {
        status: 403,
        body: Some(ErrorBody::new(zonos_api::SIGN_IN_REQUIRED, "")),
        retry_after: None,
    };
    assert!(!forbidden.needs_sign_in());
}

#[test]
fn a_spent_budget_is_said_in_the_proxys_words_and_never_sent_again_by_itself() {
    let words = "Your budget for today is spent: 20 of 20. It renews at 00:00 UTC.";
    for retry_after in [Some(3), None] {
        let spent = GatewayError::Refused {
            status: 429,
            body: Some(ErrorBody::new(zonos_api::BUDGET_SPENT, words)),
            retry_after,
        };
        assert_eq!(spent.message(), words);
        assert_eq!(spent.rate_limited(), None, "{retry_after:?}");
        assert!(!spent.may_have_been_accepted());
    }
    // A rate limit still waits and says so.
    assert_eq!(refused(429, "Too Many Requests").rate_limited(), Some(5));
}

#[test]
fn only_answers_that_say_no_are_safe_to_send_again() {
    for status in [400, 401, 402, 403, 429] {
        assert!(!refused(status, "").may_have_been_accepted(), "{status}");
    }
    for error in [
        refused(500, ""),
        refused(504, ""),
        GatewayError::Timeout { seconds: 30 },
        GatewayError::Network("Failed to fetch".into()),
        GatewayError::Malformed("EOF".into()),
        GatewayError::Blocked { status: 403 },
    ] {
        assert!(error.may_have_been_accepted(), "{error:?}");
    }
    assert_eq!(refused(500, "").rate_limited(), None);
}
