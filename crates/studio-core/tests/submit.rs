//! The submit table, row by row: what the page does after each answer a submission can get, so that a paid request
//! is never sent twice by accident.

use proptest::prelude::*;
use studio_core::submit::{after_failure, AfterFailure, MAX_RESENDS, MAX_RESEND_WAIT_SECONDS};
use studio_core::GatewayError;
use zonos_api::ErrorBody;

fn refused(status: u16, retry_after: Option<u32>) -> GatewayError {
    GatewayError::Refused { status, body: Some(ErrorBody::new("Error", "said the gateway")), retry_after }
}

#[test]
fn a_429_is_sent_again_after_the_wait_it_asked() {
    assert_eq!(
        after_failure(&refused(429, Some(7)), 0),
        AfterFailure::SendAgainIn { seconds: 7, why: "Too many requests: retrying in 7 s.".into() }
    );
    // Without a Retry-After: a wait of its own.
    assert!(matches!(after_failure(&refused(429, None), 0), AfterFailure::SendAgainIn { seconds: 5, .. }));
}

#[test]
fn a_429_is_not_sent_again_after_too_many_tries_or_too_long_a_wait() {
    assert!(matches!(after_failure(&refused(429, Some(1)), MAX_RESENDS), AfterFailure::Refused(_)));
    // A daily cap says "tomorrow": that is for the person to decide.
    assert!(matches!(after_failure(&refused(429, Some(MAX_RESEND_WAIT_SECONDS + 1)), 0), AfterFailure::Refused(_)));
}

#[test]
fn a_plain_refusal_is_not_sent_again() {
    for status in [400, 401, 402, 403, 404, 409, 422] {
        assert!(matches!(after_failure(&refused(status, None), 0), AfterFailure::Refused(_)), "{status}");
    }
    assert_eq!(
        after_failure(&refused(402, None), 0),
        AfterFailure::Refused("Insufficient balance: top up the wallet.".into())
    );
}

#[test]
fn what_may_have_been_accepted_is_never_sent_again_by_itself() {
    let maybe = [
        refused(500, None),
        refused(502, None),
        refused(503, Some(1)),
        GatewayError::Timeout { seconds: 30 },
        GatewayError::Network("connection reset".into()),
        GatewayError::Malformed("cut off".into()),
    ];
    for outcome in maybe {
        match after_failure(&outcome, 0) {
            AfterFailure::Uncertain(words) => assert!(words.ends_with("check before you send it again."), "{words}"),
            other => panic!("{outcome:?} gave {other:?}"),
        }
    }
}

/// Any way a submission can go wrong.
fn any_error() -> impl Strategy<Value = GatewayError> {
    prop_oneof![
        (400u16..600, proptest::option::of(0u32..100_000)).prop_map(|(status, retry_after)| GatewayError::Refused {
            status,
            body: None,
            retry_after
        }),
        any::<u32>().prop_map(|seconds| GatewayError::Timeout { seconds }),
        ".*".prop_map(GatewayError::Network),
        ".*".prop_map(GatewayError::Malformed),
    ]
}

proptest! {
    /// Sent again by itself only on a 429 (never accepted), within the tries and the wait allowed.
    #[test]
    fn only_a_rate_limit_is_ever_sent_again(error in any_error(), resends in 0u32..10) {
        if let AfterFailure::SendAgainIn { seconds, .. } = after_failure(&error, resends) {
            prop_assert_eq!(error.status(), Some(429));
            prop_assert!(!error.may_have_been_accepted());
            prop_assert!(resends < MAX_RESENDS && seconds <= MAX_RESEND_WAIT_SECONDS);
        }
    }

    /// However the answers fall, a submission goes out at most once more than the times it was refused with a 429,
    /// and never more than 1 + MAX_RESENDS times.
    #[test]
    fn a_run_of_answers_never_sends_more_than_allowed(errors in proptest::collection::vec(any_error(), 1..20)) {
        let mut sent = 0;
        for error in &errors {
            sent += 1;
            match after_failure(error, sent - 1) {
                AfterFailure::SendAgainIn { .. } => continue,
                _ => break,
            }
        }
        prop_assert!(sent <= 1 + MAX_RESENDS);
        let rate_limited = errors.iter().take(sent as usize - 1).all(|error| error.status() == Some(429));
        prop_assert!(rate_limited);
    }
}
