//! Reading the gateway's answers: what the contract describes, and what stands in front of a real gateway.

use studio_core::{Answer, GatewayError};
use zonos_api::{JobStatus, SubmitAnswer};

fn answer(status: u16, content_type: Option<&str>, body: &str) -> Answer {
    Answer { status, retry_after: None, content_type: content_type.map(str::to_owned), body: body.to_owned() }
}

const CHALLENGE: &str = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your \
                         browser before accessing gateway.pixazo.ai.</body></html>";

#[test]
fn a_status_check_answered_by_a_web_page_is_blocked_not_refused() {
    for (status, content_type, body) in [
        (403, Some("text/html; charset=UTF-8"), CHALLENGE),
        (503, Some("text/html"), CHALLENGE),
        // A page without its type, and a type without a page: either is not the gateway's JSON.
        (403, None, CHALLENGE),
        (403, Some("TEXT/HTML"), ""),
        (200, Some("text/html"), CHALLENGE),
        // Text that is neither a status nor an error body.
        (403, Some("text/plain"), "Request blocked."),
    ] {
        let read = answer(status, content_type, body).job_status();
        assert_eq!(read, Err(GatewayError::Blocked { status }), "{status} {content_type:?} {body:?}");
        let words = read.unwrap_err().message();
        assert!(!words.contains("key"), "{words}");
    }
}

#[test]
fn the_gateways_own_json_answers_are_read_as_the_contract_says() {
    let completed = answer(
        200,
        Some("application/json"),
        r#"{"request_id": "zonos-2_a", "status": "COMPLETED", "output": {"media_url": "https://cdn.example/a.wav"}}"#,
    );
    let status = completed.job_status().unwrap();
    assert_eq!(
        (status.status, status.output.unwrap().media_url),
        (JobStatus::Completed, vec!["https://cdn.example/a.wav".to_owned()])
    );

    let forbidden = answer(403, Some("application/json"), r#"{"error": "Forbidden", "message": "Not this model"}"#);
    assert!(matches!(forbidden.job_status(), Err(GatewayError::Refused { status: 403, .. })));
    assert_eq!(forbidden.job_status().unwrap_err().message(), "This key may not use Zonos 2.");
    assert!(matches!(answer(401, None, "").job_status(), Err(GatewayError::Refused { status: 401, body: None, .. })));
    // Cut off mid-JSON: the gateway's, unreadable.
    let cut_off = answer(200, Some("application/json"), r#"{"request_id": "zonos-2_a", "status": "PROC"#);
    assert!(matches!(cut_off.job_status(), Err(GatewayError::Malformed(_))));
}

#[test]
fn a_submission_reads_the_queued_and_the_synchronous_shapes() {
    let queued =
        answer(202, None, r#"{"request_id": "zonos-2_a", "status": "QUEUED", "polling_url": "https://g.example/s"}"#);
    assert!(matches!(queued.submitted(), Ok(SubmitAnswer::Accepted(_))));
    let synchronous = answer(200, Some("application/json"), r#"{"audio": [{"url": "https://cdn.example/a.wav"}]}"#);
    let Ok(SubmitAnswer::Immediate(output)) = synchronous.submitted() else { panic!("expected audio at once") };
    assert_eq!(output.media_url, ["https://cdn.example/a.wav"]);
    assert!(matches!(
        answer(402, None, r#"{"error": "Insufficient Balance"}"#).submitted(),
        Err(GatewayError::Refused { status: 402, .. })
    ));
    assert!(matches!(answer(200, None, "{}").submitted(), Err(GatewayError::Malformed(_))));
}
