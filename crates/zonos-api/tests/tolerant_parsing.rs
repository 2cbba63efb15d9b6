//! Real gateways differ from the docs in small ways; the contract reads them all.

use zonos_api::{JobStatus, JobStatusResponse, SubmitAnswer};

#[test]
fn unknown_fields_and_missing_optional_ones_are_fine() {
    let status = JobStatusResponse::parse(
        r#"{"request_id": "zonos-2_a", "status": "PROCESSING", "progress": 0.4, "queue_position": null}"#,
    )
    .unwrap();
    assert_eq!(status.status, JobStatus::Processing);
    assert_eq!((status.model_id, status.error, status.output, status.created_at), (None, None, None, None));
}

#[test]
fn media_url_may_be_one_string() {
    let status = JobStatusResponse::parse(
        r#"{"request_id": "zonos-2_a", "status": "completed", "output": {"media_url": "https://cdn.example/a.wav"}}"#,
    )
    .unwrap();
    assert_eq!(status.status, JobStatus::Completed);
    assert_eq!(status.output.unwrap().media_url, ["https://cdn.example/a.wav"]);
}

#[test]
fn a_submit_answer_that_already_carries_audio_is_a_completed_job() {
    let answer = SubmitAnswer::parse(
        r#"{"audio": [{"url": "https://cdn.example/out.wav", "content_type": "audio/wav", "file_name": "out.wav",
            "file_size": 1234}]}"#,
    )
    .unwrap();
    let SubmitAnswer::Immediate(output) = &answer else { panic!("expected an immediate answer, got {answer:?}") };
    assert_eq!(output.media_url, ["https://cdn.example/out.wav"]);
    assert_eq!(output.media_type.as_deref(), Some("audio/wav"));
    assert_eq!(output.file_name.as_deref(), Some("out.wav"));
    assert_eq!(output.file_size, Some(1234));
    assert_eq!(answer.output(), Some(output));
}

#[test]
fn a_submit_answer_with_a_final_status_is_finished() {
    let answer = SubmitAnswer::parse(
        r#"{"request_id": "zonos-2_a", "status": "COMPLETED", "output": {"media_url": ["https://cdn.example/a.wav"]}}"#,
    )
    .unwrap();
    let SubmitAnswer::Finished(status) = &answer else { panic!("expected a finished job, got {answer:?}") };
    assert_eq!(status.status, JobStatus::Completed);
    assert_eq!(answer.output().unwrap().media_url, ["https://cdn.example/a.wav"]);
}

#[test]
fn a_202_without_polling_url_is_still_accepted() {
    let answer = SubmitAnswer::parse(r#"{"request_id": "zonos-2_a", "status": "QUEUED"}"#).unwrap();
    let SubmitAnswer::Accepted(accepted) = answer else { panic!("expected accepted") };
    assert_eq!(accepted.polling_url, None);
}

#[test]
fn malformed_bodies_say_why() {
    for body in ["", "<html>502 Bad Gateway</html>", "{}", r#"{"status": "DONE"}"#, r#"{"audio": []}"#] {
        let error = SubmitAnswer::parse(body).expect_err(body);
        assert!(error.to_string().starts_with("the gateway's answer could not be read: "), "{error}");
    }
    assert!(JobStatusResponse::parse(r#"{"status": "QUEUED"}"#).is_err(), "a status body needs its request id");
}

#[test]
fn a_callback_carries_its_status_at_the_top_or_under_any_known_wrapper() {
    let status =
        r#"{"request_id": "zonos-2_a", "status": "COMPLETED", "output": {"media_url": "https://cdn.example/a.wav"}}"#;
    let top = JobStatusResponse::from_callback(status.as_bytes()).unwrap();
    assert_eq!(top.output.as_ref().unwrap().media_url, ["https://cdn.example/a.wav"]);
    for wrapper in zonos_api::CALLBACK_WRAPPERS {
        let wrapped = format!(r#"{{"event": "request.completed", "{wrapper}": {status}}}"#);
        assert_eq!(JobStatusResponse::from_callback(wrapped.as_bytes()).unwrap(), top, "{wrapper}");
    }
    let listed = r#"{"data": {"request_id": "zonos-2_a", "status": "COMPLETED", "output": {"media_url": ["https://cdn.example/a.wav"]}}}"#;
    assert_eq!(JobStatusResponse::from_callback(listed.as_bytes()).unwrap(), top, "a list of URLs, wrapped");
}

#[test]
fn a_callback_without_a_status_is_malformed() {
    for body in [
        "",
        "<html></html>",
        "{}",
        r#"{"data": {"request_id": "zonos-2_a"}}"#,
        r#"{"other": {"status": "QUEUED", "request_id": "zonos-2_a"}}"#,
    ] {
        assert!(JobStatusResponse::from_callback(body.as_bytes()).is_err(), "{body}");
    }
    let unknown = r#"{"data": {"request_id": "zonos-2_a", "status": "DONE"}}"#;
    assert!(JobStatusResponse::from_callback(unknown.as_bytes()).is_err());
}
