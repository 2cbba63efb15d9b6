//! Fault injection: each documented failure on demand, for exactly the number of calls asked, counted in the stats.
//! Faults that answer a call are tested in-process (`oneshot`); hangs, polls of a running job, job and media faults
//! over real sockets on loopback.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::Request;
use common::*;
use serde_json::{json, Value};
use zonos_api::{ErrorBody, JobStatus, SubmitAccepted, API_KEY_HEADER, GENERATE_PATH};

async fn arm(addr: SocketAddr, fault: Value) {
    let response =
        reqwest::Client::new().post(format!("http://{addr}/__sandbox/faults")).json(&fault).send().await.unwrap();
    assert_eq!(response.status(), 200, "{fault}");
}

/// Arms `fault` in the sandbox `routes`, in-process.
async fn arm_in(routes: &axum::Router, fault: Value) {
    let response = call(routes, post_json("/__sandbox/faults", &fault)).await;
    assert_eq!(response.status, 200, "{fault}");
}

/// A submission with the key, in-process.
fn submission(body: &Value) -> Request<axum::body::Body> {
    with_key(post_json(GENERATE_PATH, body), KEY)
}

#[tokio::test]
async fn each_submit_fault_answers_the_documented_status_and_body_then_clears() {
    let sandbox = sandbox_routes(None);
    let body = request_body(UNSERVED_REFERENCE);
    let expected = [
        ("submit-400", 400, "Model not found", "Model 'zonos-2' not found or is disabled"),
        ("submit-401", 401, "Unauthorized", "Access denied due to invalid subscription key"),
        ("submit-402", 402, "Insufficient Balance", "Your wallet does not have enough balance."),
        ("submit-403", 403, "Forbidden", "This subscription may not use model 'zonos-2'"),
        ("submit-429", 429, "Too Many Requests", "Rate limit exceeded. Try again in 1 seconds."),
        ("submit-500", 500, "Internal Server Error", "The gateway failed to handle the request"),
    ];
    for (fault, status, error, message) in expected {
        arm_in(&sandbox, json!({ "fault": fault })).await;
        let response = call(&sandbox, submission(&body)).await;
        assert_eq!(response.status, status, "{fault}");
        let retry_after = response.headers.get("retry-after").map(|value| value.to_str().unwrap().to_owned());
        assert_eq!(retry_after.as_deref(), (status == 429).then_some("1"), "{fault}");
        assert_eq!(response.error(), ErrorBody::new(error, message), "{fault}");
    }
    assert_eq!(call(&sandbox, submission(&body)).await.status, 202, "each fault served its one call");
    let stats = stats_in(&sandbox, "").await;
    assert_eq!((stats.submissions_received, stats.submissions_accepted), (7, 1));
}

#[tokio::test]
async fn a_fault_serves_its_count_and_a_retry_after_can_be_chosen() {
    let sandbox = sandbox_routes(None);
    let body = request_body(UNSERVED_REFERENCE);
    arm_in(&sandbox, json!({ "fault": "submit-429", "count": 2, "retry_after": 7 })).await;
    let armed = call(&sandbox, get("/__sandbox/faults")).await.json();
    assert_eq!(armed, json!([{ "fault": "submit-429", "count": 2, "retry_after": 7 }]));
    for _ in 0..2 {
        let response = call(&sandbox, submission(&body)).await;
        assert_eq!((response.status.as_u16(), response.header("retry-after")), (429, "7"));
    }
    assert_eq!(call(&sandbox, submission(&body)).await.status, 202);
}

#[tokio::test]
async fn faults_can_be_cleared_and_unknown_ones_are_refused() {
    let sandbox = sandbox_routes(None);
    arm_in(&sandbox, json!({ "fault": "submit-500", "count": 3 })).await;
    let clear = Request::delete("/__sandbox/faults").body(axum::body::Body::empty()).unwrap();
    assert_eq!(call(&sandbox, clear).await.status, 204);
    assert_eq!(call(&sandbox, submission(&request_body(UNSERVED_REFERENCE))).await.status, 202);
    let unknown = call(&sandbox, post_json("/__sandbox/faults", &json!({ "fault": "submit-418" }))).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.text().contains("submit-429"), "the refusal lists the known faults");
}

#[tokio::test]
async fn a_hung_submission_is_not_answered_and_not_accepted() {
    let addr = start(None).await;
    arm(addr, json!({ "fault": "submit-hang" })).await;
    let hung = reqwest::Client::new()
        .post(format!("http://{addr}{}", zonos_api::GENERATE_PATH))
        .header(API_KEY_HEADER, KEY)
        .json(&request_body(&voice_url(addr, "ada.wav")))
        .timeout(Duration::from_millis(500))
        .send()
        .await;
    assert!(hung.unwrap_err().is_timeout());
    let stats = stats(addr).await;
    assert_eq!((stats.submissions_received, stats.submissions_accepted), (1, 0));
}

#[tokio::test]
async fn poll_faults_fail_one_poll_each_and_the_job_goes_on() {
    let addr = start(None).await;
    let accepted: SubmitAccepted =
        accepted(submit(addr, Some(KEY), &request_body(&voice_url(addr, "ada.wav"))).await).await;
    let url = accepted.polling_url.unwrap();
    let client = reqwest::Client::new();
    let poll_once = || client.get(&url).header(API_KEY_HEADER, KEY).timeout(Duration::from_millis(500)).send();

    arm(addr, json!({ "fault": "poll-500" })).await;
    let failed = poll_once().await.unwrap();
    assert_eq!(failed.status(), 500);
    assert_eq!(failed.json::<ErrorBody>().await.unwrap().error, "Internal Server Error");

    arm(addr, json!({ "fault": "poll-malformed" })).await;
    let malformed = poll_once().await.unwrap();
    assert_eq!(
        (malformed.status().as_u16(), &malformed.headers()["content-type"]),
        (200, &"application/json".parse().unwrap())
    );
    let text = malformed.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "cut off: {text}");

    arm(addr, json!({ "fault": "poll-hang" })).await;
    assert!(poll_once().await.unwrap_err().is_timeout());

    arm(addr, json!({ "fault": "poll-challenge" })).await;
    let challenged = poll_once().await.unwrap();
    assert_eq!(challenged.status(), 403);
    assert!(challenged.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = challenged.text().await.unwrap();
    assert!(
        page.contains("<title>Just a moment...</title>") && serde_json::from_str::<Value>(&page).is_err(),
        "{page}"
    );

    assert_eq!(follow(&url).await.status, JobStatus::Completed, "the job itself was never touched");
    let stats = stats(addr).await;
    assert_eq!(stats.polls_received, stats.polls_served + 4, "{stats:?}");
}

#[tokio::test]
async fn job_faults_end_the_next_jobs_failed_or_error() {
    let addr = start(None).await;
    let body = request_body(&voice_url(addr, "ada.wav"));
    arm(addr, json!({ "fault": "job-failed" })).await;
    arm(addr, json!({ "fault": "job-error" })).await;
    let (_, failed) = submit_and_follow(addr, &body).await;
    let (_, errored) = submit_and_follow(addr, &body).await;
    let (_, completed) = submit_and_follow(addr, &body).await;
    assert_eq!((failed.status, &failed.output), (JobStatus::Failed, &None));
    assert!(failed.error.unwrap().contains("could not generate audio"));
    assert_eq!((errored.status, &errored.output), (JobStatus::Error, &None));
    assert!(errored.error.unwrap().contains("not charged"));
    assert!(errored.completed_at.is_some());
    assert_eq!(completed.status, JobStatus::Completed);
}

#[tokio::test]
async fn a_media_fault_makes_one_download_404() {
    let addr = start(None).await;
    let (_, status) = submit_and_follow(addr, &request_body(&voice_url(addr, "ada.wav"))).await;
    let url = status.output.unwrap().media_url[0].clone();
    arm(addr, json!({ "fault": "media-404" })).await;
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 404);
    assert!(measure(&download(&url).await).0 > 1.0, "the next download works");
}
