//! `X-Webhook-URL`: the final status body is POSTed once when the job ends, retried with backoff on failure. The
//! deliveries go over real sockets on loopback; a refused URL is tested in-process (`oneshot`).

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Json;
use common::*;
use serde_json::{json, Value};
use zonos_api::{JobStatus, JobStatusResponse, WEBHOOK_HEADER};

/// A receiver that refuses the first `refusals` calls with 503, and records every body it gets.
#[derive(Clone, Default)]
struct Receiver {
    bodies: Arc<Mutex<Vec<Value>>>,
    refusals: Arc<Mutex<u32>>,
}

async fn receive(State(receiver): State<Receiver>, Json(body): Json<Value>) -> StatusCode {
    receiver.bodies.lock().unwrap().push(body);
    let mut refusals = receiver.refusals.lock().unwrap();
    if *refusals > 0 {
        *refusals -= 1;
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

async fn receiver(refusals: u32) -> (SocketAddr, Receiver) {
    let receiver = Receiver { refusals: Arc::new(Mutex::new(refusals)), ..Receiver::default() };
    let router = axum::Router::new().route("/hook", post(receive)).with_state(receiver.clone());
    (serve(router).await, receiver)
}

async fn submit_with_webhook(addr: SocketAddr, hook: SocketAddr) -> String {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}{}", zonos_api::GENERATE_PATH))
        .header(zonos_api::API_KEY_HEADER, KEY)
        .header(WEBHOOK_HEADER, format!("http://{hook}/hook"))
        .json(&request_body(&voice_url(addr, "ada.wav")))
        .send()
        .await
        .unwrap();
    accepted(response).await.request_id
}

/// The bodies delivered once the sandbox at `addr` counts `delivered` webhooks delivered: it counts one when its
/// attempts for a job have ended, so that no more can come for it.
async fn bodies_once_delivered(addr: SocketAddr, receiver: &Receiver, delivered: u64) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while stats(addr).await.webhooks_delivered < delivered {
        assert!(Instant::now() < deadline, "only {} deliveries", receiver.bodies.lock().unwrap().len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(stats(addr).await.webhooks_delivered, delivered);
    receiver.bodies.lock().unwrap().clone()
}

#[tokio::test]
async fn the_final_status_is_delivered_once() {
    let addr = start(None).await;
    let (hook, receiver) = receiver(0).await;
    let id = submit_with_webhook(addr, hook).await;
    let bodies = bodies_once_delivered(addr, &receiver, 1).await;
    assert_eq!(bodies.len(), 1, "delivered once");
    let delivered: JobStatusResponse = serde_json::from_value(bodies[0].clone()).unwrap();
    assert_eq!((delivered.request_id.as_str(), delivered.status), (id.as_str(), JobStatus::Completed));
    let polled = poll(&format!("http://{addr}{}", zonos_api::status_path(&id))).await;
    assert_eq!(delivered, polled, "the same body the status endpoint serves");
}

async fn arm(addr: SocketAddr, fault: &str) {
    let url = format!("http://{addr}/__sandbox/faults");
    let response = reqwest::Client::new().post(url).json(&json!({ "fault": fault })).send().await.unwrap();
    assert_eq!(response.status(), 200, "{fault}");
}

#[tokio::test]
async fn webhook_wrapped_sends_the_status_under_data() {
    let addr = start(None).await;
    let (hook, receiver) = receiver(0).await;
    arm(addr, "webhook-wrapped").await;
    let id = submit_with_webhook(addr, hook).await;
    let bodies = bodies_once_delivered(addr, &receiver, 1).await;
    assert_eq!(bodies.len(), 1, "delivered once");
    assert_eq!(bodies[0]["event"], "request.completed");
    let polled = poll(&format!("http://{addr}{}", zonos_api::status_path(&id))).await;
    assert_eq!(serde_json::from_value::<JobStatusResponse>(bodies[0]["data"].clone()).unwrap(), polled);
    assert_eq!(bodies[0].get("status"), None, "nothing at the top level");
}

#[tokio::test]
async fn webhook_drop_never_calls_back_and_the_job_still_ends() {
    let addr = start(None).await;
    let (hook, receiver) = receiver(0).await;
    arm(addr, "webhook-drop").await;
    let id = submit_with_webhook(addr, hook).await;
    let ended = follow(&format!("http://{addr}{}", zonos_api::status_path(&id))).await;
    assert_eq!(ended.status, JobStatus::Completed);
    // Only the one job: the next calls back again. Its delivery comes a queue and a process stage after the first
    // job's end, where the first job's own would have come at once: it is the only one.
    let next = submit_with_webhook(addr, hook).await;
    let bodies = bodies_once_delivered(addr, &receiver, 1).await;
    let delivered: Vec<&str> = bodies.iter().map(|body| body["request_id"].as_str().unwrap()).collect();
    assert_eq!(delivered, [next.as_str()], "nothing for the dropped job {id}");
}

#[tokio::test]
async fn a_refused_delivery_is_retried_with_backoff() {
    let addr = start(None).await;
    let (hook, receiver) = receiver(2).await;
    submit_with_webhook(addr, hook).await;
    let bodies = bodies_once_delivered(addr, &receiver, 1).await;
    assert_eq!(bodies.len(), 3, "two refusals, then one success, then nothing more");
    assert!(bodies.windows(2).all(|pair| pair[0] == pair[1]), "each attempt carries the same final body");
    assert_eq!(bodies[0]["status"], "COMPLETED");
}

#[tokio::test]
async fn a_webhook_url_that_is_not_http_is_refused() {
    let sandbox = sandbox_routes(None);
    let mut request = with_key(post_json(zonos_api::GENERATE_PATH, &request_body(UNSERVED_REFERENCE)), KEY);
    request.headers_mut().insert(WEBHOOK_HEADER, "file:///etc/passwd".parse().unwrap());
    let response = call(&sandbox, request).await;
    assert_eq!(response.status, 400);
    assert!(response.error().message.contains("X-Webhook-URL"), "{}", response.text());
    assert_eq!(stats_in(&sandbox, "").await.submissions_accepted, 0);
}
