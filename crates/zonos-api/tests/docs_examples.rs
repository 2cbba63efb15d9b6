//! Every JSON example in the Zonos 2 docs (copied as written into `examples/`) parses into the contract's types and
//! serializes back to the same JSON.

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use zonos_api::{
    ErrorBody, GenerateRequest, JobStatus, JobStatusResponse, Language, SubmitAccepted, SubmitAnswer, DEFAULT_TEXT,
};

const REQUEST: &str = include_str!("examples/request.json");

const ACCEPTED: &str = include_str!("examples/accepted.json");

const COMPLETED: &str = include_str!("examples/completed.json");

const ERROR_VIA_STATUS: &str = include_str!("examples/error_via_status.json");

const INSUFFICIENT_BALANCE: &str = include_str!("examples/insufficient_balance.json");

const MODEL_NOT_FOUND: &str = include_str!("examples/model_not_found.json");

/// Parses `json` as `T`, checks that writing it back gives the same JSON, and returns it.
fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> T {
    let parsed: T = serde_json::from_str(json).expect("the docs' example parses");
    let original: Value = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), original, "round trip of {json}");
    parsed
}

#[test]
fn the_generate_request_example() {
    let request: GenerateRequest = round_trip(REQUEST);
    assert_eq!(request.reference_audio_url, "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/Reference.wav");
    assert_eq!(request.text.as_deref(), Some(DEFAULT_TEXT));
    assert_eq!(request.language, Language::EnUs);
    assert!(request.accurate_mode);
    assert!(!request.clean_speaker_background);
    assert_eq!((request.temperature, request.top_p, request.min_p, request.top_k), (1.15, 0.0, 0.18, 106));
    assert_eq!((request.max_tokens, request.seed), (None, None));
}

#[test]
fn the_example_request_is_the_documented_defaults() {
    let example: GenerateRequest = serde_json::from_str(REQUEST).unwrap();
    let defaults = GenerateRequest {
        text: Some(DEFAULT_TEXT.to_owned()),
        ..GenerateRequest::with_reference(example.reference_audio_url.clone())
    };
    assert_eq!(example, defaults);
}

#[test]
fn the_202_response_example() {
    let accepted: SubmitAccepted = round_trip(ACCEPTED);
    assert_eq!(accepted.status, JobStatus::Queued);
    assert_eq!(accepted.request_id, "zonos-2_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    assert_eq!(SubmitAnswer::parse(ACCEPTED).unwrap(), SubmitAnswer::Accepted(accepted));
}

#[test]
fn the_completed_status_example() {
    let status: JobStatusResponse = round_trip(COMPLETED);
    assert_eq!(status.status, JobStatus::Completed);
    assert_eq!(status.model_id.as_deref(), Some("zonos-2"));
    assert_eq!(status.error, None);
    let output = status.output.as_ref().expect("a completed job has output");
    assert_eq!(
        output.media_url,
        ["https://pub-582b7213209642b9b995c96c95a30381.r2.dev/v1/zonos-2_019dxxxx/output.wav"]
    );
    assert_eq!(output.media_type.as_deref(), Some("audio/wav"));
    assert_eq!(output.file_name.as_deref(), Some("output.wav"));
    assert_eq!(output.file_size, Some(1_245_678));
    assert_eq!(status.created_at.as_deref(), Some("2026-03-31T10:00:00.000Z"));
    assert_eq!(status.completed_at.as_deref(), Some("2026-03-31T10:00:15.000Z"));
    assert_eq!(JobStatusResponse::parse(COMPLETED).unwrap(), status);
}

#[test]
fn the_error_via_status_example() {
    let status: JobStatusResponse = round_trip(ERROR_VIA_STATUS);
    assert_eq!(status.status, JobStatus::Error);
    assert_eq!(status.error.as_deref(), Some("Description of the error"));
    assert_eq!(status.output, None);
}

#[test]
fn the_queue_error_examples() {
    let balance: ErrorBody = round_trip(INSUFFICIENT_BALANCE);
    assert_eq!(balance.error, "Insufficient Balance");
    assert_eq!(balance.summary(), "Your wallet does not have enough balance.");
    let not_found: ErrorBody = round_trip(MODEL_NOT_FOUND);
    assert_eq!(not_found.error, "Model not found");
    assert_eq!(not_found.message, "Model 'zonos-2' not found or is disabled");
}
