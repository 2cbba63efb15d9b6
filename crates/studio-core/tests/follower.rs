//! The polling state machine: when to ask again, when to stop, and what to tell the person.

use studio_core::follower::{Follower, Next, DEADLINE_MS, MAX_BACKOFF_MS};
use studio_core::GatewayError;
use zonos_api::{ErrorBody, JobStatus, JobStatusResponse};

fn status(status: JobStatus) -> JobStatusResponse {
    JobStatusResponse::parse(&format!(r#"{{"request_id": "zonos-2_x", "status": "{}"}}"#, status.code())).unwrap()
}

fn refused(status: u16, retry_after: Option<u32>) -> GatewayError {
    GatewayError::Refused { status, body: Some(ErrorBody::new("Error", "said the gateway")), retry_after }
}

fn pause(next: Next) -> (u32, Option<String>) {
    match next {
        Next::PollIn { ms, notice } => (ms, notice),
        other => panic!("expected another poll, got {other:?}"),
    }
}

#[test]
fn it_polls_at_the_interval_until_the_job_ends() {
    let mut follower = Follower::new(5, 0.0);
    assert_eq!(follower.first_pause(), 5_000);
    assert_eq!(pause(follower.next(Ok(status(JobStatus::Queued)), 5_000.0)), (5_000, None));
    assert_eq!(pause(follower.next(Ok(status(JobStatus::Processing)), 10_000.0)), (5_000, None));
    for end in [JobStatus::Completed, JobStatus::Failed, JobStatus::Error] {
        assert_eq!(follower.clone().next(Ok(status(end)), 15_000.0), Next::Finished(Box::new(status(end))));
    }
}

#[test]
fn failures_back_off_doubling_up_to_a_minute_and_a_good_answer_resets() {
    let mut follower = Follower::new(5, 0.0);
    let pauses: Vec<u32> = (0..6).map(|_| pause(follower.next(Err(refused(500, None)), 1_000.0)).0).collect();
    assert_eq!(pauses, [10_000, 20_000, 40_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
    assert_eq!(pause(follower.next(Ok(status(JobStatus::Queued)), 2_000.0)).0, 5_000);
    assert_eq!(pause(follower.next(Err(GatewayError::Network("reset".into())), 3_000.0)).0, 10_000);
}

#[test]
fn a_dropped_or_malformed_answer_keeps_the_job_and_says_so() {
    let mut follower = Follower::new(5, 0.0);
    for error in [
        GatewayError::Malformed("EOF while parsing".into()),
        GatewayError::Network("Failed to fetch".into()),
        GatewayError::Timeout { seconds: 15 },
        refused(502, None),
    ] {
        let (_, notice) = pause(follower.next(Err(error.clone()), 1_000.0));
        let notice = notice.expect("the person is told");
        assert!(notice.starts_with(&error.message()) && notice.contains("The job is safe"), "{notice}");
    }
}

#[test]
fn a_429_waits_at_least_as_long_as_asked() {
    let mut follower = Follower::new(5, 0.0);
    let (ms, notice) = pause(follower.next(Err(refused(429, Some(30))), 1_000.0));
    assert_eq!(ms, 30_000);
    assert_eq!(notice.unwrap(), "The gateway asked to slow down: checking again in 30 s.");
    let (ms, _) = pause(follower.next(Err(refused(429, Some(90))), 2_000.0));
    assert_eq!(ms, 90_000, "longer than the usual cap when the gateway asks");
}

#[test]
fn a_refusal_to_tell_the_status_stops_following() {
    let mut follower = Follower::new(5, 0.0);
    let Next::GiveUp(reason) = follower.next(Err(refused(401, None)), 1_000.0) else { panic!("gives up") };
    assert_eq!(reason, "The status could not be checked: The API key was refused.");
}

#[test]
fn following_stops_at_the_deadline_but_a_final_status_still_counts() {
    let mut follower = Follower::new(5, 1_000.0);
    let late = 1_000.0 + DEADLINE_MS;
    assert_eq!(
        follower.clone().next(Ok(status(JobStatus::Completed)), late),
        Next::Finished(Box::new(status(JobStatus::Completed)))
    );
    let Next::GiveUp(reason) = follower.next(Ok(status(JobStatus::Processing)), late) else { panic!("gives up") };
    assert!(reason.contains("15 minutes") && reason.contains("may still finish"), "{reason}");
}

#[test]
fn a_blocked_status_check_waits_for_the_callback_and_checks_again_later() {
    let mut follower = Follower::new(5, 0.0);
    let blocked = || Err(GatewayError::Blocked { status: 403 });
    let notices: Vec<(u32, Option<String>)> = (0..2).map(|_| pause(follower.next(blocked(), 1_000.0))).collect();
    let said = |seconds: u32| {
        format!(
            "The gateway's status check was blocked (it answered with a web page, not a status). Still waiting for \
             its callback; checking again in {seconds} s."
        )
    };
    assert_eq!(notices, [(10_000, Some(said(10))), (20_000, Some(said(20)))]);
    assert!(!notices.iter().any(|(_, notice)| notice.as_deref().unwrap_or_default().contains("key")));
}
