//! What the real gateway does beyond its docs, met by the proxy over real sockets: a status endpoint behind a bot
//! challenge, webhooks that never come or come wrapped, and a synchronous answer to the submission. How callbacks are
//! read is tested in-process (`oneshot`), with a gateway on loopback.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Json;
use common::*;
use serde_json::{json, Value};
use zonos_api::{
    JobStatus, JobStatusResponse, SubmitAccepted, SubmitAnswer, CALLBACK_WRAPPERS, GENERATE_PATH, WEBHOOK_HEADER,
};
use zonos_server::proxy::ApiKey;

fn voice(studio: SocketAddr) -> String {
    format!("http://{studio}/sandbox/__sandbox/voices/ada.wav")
}

/// Longer than the proxy's first own status check (15 s), with room to spare.
const BEYOND_THE_FIRST_CHECK: Duration = Duration::from_secs(40);

#[tokio::test]
async fn a_webhook_that_never_comes_is_made_up_by_the_proxys_own_status_check() {
    let studio = start_studio(|_| {}).await;
    arm_upstream(studio, json!({ "fault": "webhook-drop" })).await;
    let accepted = accepted(submit_via_proxy(studio, &request_body(&voice(studio))).await).await;
    let pushed = pushed_final(&format!("http://{studio}"), &accepted.request_id, BEYOND_THE_FIRST_CHECK).await;
    assert_eq!((pushed.request_id.as_str(), pushed.status), (accepted.request_id.as_str(), JobStatus::Completed));
    assert!(measure(&audio_of(pushed).await).0 > 1.0);
    let stats = upstream_stats(studio).await;
    assert_eq!((stats.submissions_received, stats.webhooks_delivered), (1, 0), "{stats:?}");
    assert!(stats.polls_served >= 1, "the proxy asked for itself: {stats:?}");
}

#[tokio::test]
async fn a_status_endpoint_behind_a_challenge_does_not_stop_a_pushed_job() {
    let studio = start_studio(|_| {}).await;
    arm_upstream(studio, json!({ "fault": "poll-challenge", "count": 1000 })).await;
    let accepted = accepted(submit_via_proxy(studio, &request_body(&voice(studio))).await).await;
    // What a browser that polls would get: the page, passed through as it is.
    let polled = reqwest::get(format!("http://{studio}/api{}", zonos_api::status_path(&accepted.request_id)));
    let polled = polled.await.unwrap();
    assert_eq!(polled.status(), 403);
    assert!(polled.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let pushed = pushed_final(&format!("http://{studio}"), &accepted.request_id, Duration::from_secs(30)).await;
    assert_eq!(pushed.status, JobStatus::Completed);
    assert_eq!(upstream_stats(studio).await.webhooks_delivered, 1);
}

#[tokio::test]
async fn a_synchronous_gateway_answers_the_submission_with_the_audio() {
    let sandbox = zonos_server::sandbox::SandboxConfig { synchronous: true, ..local_sandbox(quick(), Some(KEY)) };
    let studio = start_studio_with(sandbox, |_| {}).await;
    let response = submit_via_proxy(studio, &request_body(&voice(studio))).await;
    assert_eq!(response.status(), 200);
    let answer = SubmitAnswer::parse(&response.text().await.unwrap()).unwrap();
    let SubmitAnswer::Immediate(output) = answer else { panic!("expected the audio at once, got {answer:?}") };
    assert_eq!(output.media_type.as_deref(), Some("audio/wav"));
    // Fetched as the page fetches it: same-origin, through the proxy.
    let media = reqwest::Client::new()
        .get(format!("http://{studio}/api/media"))
        .query(&[("url", output.media_url[0].as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(media.status(), 200);
    assert!(measure(&media.bytes().await.unwrap()).0 > 1.0);
    let stats = upstream_stats(studio).await;
    assert_eq!((stats.submissions_accepted, stats.polls_received, stats.webhooks_delivered), (1, 0, 0));
}

/// A gateway that accepts every submission and keeps the webhook URL it was given, for the test to call back.
#[derive(Clone, Default)]
struct RecordingGateway {
    webhooks: Arc<Mutex<Vec<String>>>,
}

async fn accept(State(gateway): State<RecordingGateway>, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    let webhook = headers.get(WEBHOOK_HEADER).and_then(|value| value.to_str().ok()).unwrap_or_default();
    gateway.webhooks.lock().unwrap().push(webhook.to_owned());
    let request_id = format!("zonos-2_{}", uuid::Uuid::now_v7());
    (StatusCode::ACCEPTED, Json(json!({ "request_id": request_id, "status": "QUEUED" })))
}

#[tokio::test]
async fn callbacks_are_read_at_the_top_level_or_under_any_wrapper_and_only_with_their_token() {
    let gateway = RecordingGateway::default();
    let upstream = serve(axum::Router::new().route(GENERATE_PATH, post(accept)).with_state(gateway.clone())).await;
    let studio = studio_routes(|proxy| {
        proxy.upstream = format!("http://{upstream}");
        proxy.key = ApiKey::new(KEY).unwrap();
    })
    .await;
    let submission = || post_json(&format!("/api{GENERATE_PATH}"), &request_body(&voice(studio.addr)));
    // The webhook URL the gateway was given, as a path at the studio.
    let webhook = || {
        let url = gateway.webhooks.lock().unwrap().last().cloned().unwrap();
        url.strip_prefix(&format!("http://{}", studio.addr))
            .unwrap_or_else(|| panic!("at the studio: {url}"))
            .to_owned()
    };
    for wrapper in std::iter::once(None).chain(CALLBACK_WRAPPERS.map(Some)) {
        let submitted = studio.call(submission()).await;
        assert_eq!(submitted.status, 202, "{wrapper:?}");
        let accepted: SubmitAccepted = serde_json::from_value(submitted.json()).unwrap();
        let webhook = webhook();
        let status = json!({ "request_id": accepted.request_id, "status": "COMPLETED", "error": null,
                             "output": { "media_url": format!("https://cdn.example/{}.wav", accepted.request_id) } });
        let body = match wrapper {
            Some(wrapper) => json!({ "event": "request.completed", wrapper: status }),
            None => status,
        };
        let forged = studio.call(post_json("/api/webhooks/not-its-token", &body)).await;
        assert_eq!(forged.status, 403, "{wrapper:?}");
        let delivered = studio.call(post_json(&webhook, &body)).await;
        assert_eq!(delivered.status, 204, "{wrapper:?}");
        // A second end, later, is thanked and ignored: the first one is the job's.
        let late = json!({ "data": { "request_id": accepted.request_id, "status": "FAILED", "error": "late" } });
        assert_eq!(studio.call(post_json(&webhook, &late)).await.status, 204, "{wrapper:?}");
        let events = studio.call(get(&format!("/api/v2/requests/events/{}", accepted.request_id))).await;
        assert_eq!(events.status, 200, "{wrapper:?}");
        let stream = events.text();
        let data = stream.lines().find_map(|line| line.strip_prefix("data: ")).unwrap_or_else(|| panic!("{stream}"));
        let pushed: JobStatusResponse = serde_json::from_str(data).unwrap();
        assert_eq!(pushed.status, JobStatus::Completed, "{wrapper:?}");
        assert_eq!(pushed.output.unwrap().media_url, [format!("https://cdn.example/{}.wav", accepted.request_id)]);
    }
    let unwrapped = json!({ "event": "request.completed", "other": { "status": "COMPLETED" } });
    assert_eq!(studio.call(post_json(&webhook(), &unwrapped)).await.status, 400);
}

/// `serve --sandbox` on every interface, as a presenter runs it for others on the network, reached by the loopback
/// address of the same family: a take is generated, pushed and downloaded. Open, as `--access open` asks (off
/// loopback, codes are the default: see access_codes).
#[tokio::test]
async fn the_demo_served_on_every_address_generates_end_to_end() {
    for (every, loopback) in [("0.0.0.0", "127.0.0.1"), ("[::]", "[::1]")] {
        let port = std::net::TcpListener::bind(format!("{loopback}:0")).unwrap().local_addr().unwrap().port();
        let dist = fake_dist();
        let data = tempfile::tempdir().unwrap();
        let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_zonos-server"))
            .args([
                "serve",
                "--sandbox",
                "--queue-ms",
                "50",
                "--process-ms",
                "50",
                "--addr",
                &format!("{every}:{port}"),
                "--access",
                "open",
            ])
            .arg("--dist")
            .arg(dist.path())
            .arg("--data-dir")
            .arg(data.path())
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://{loopback}:{port}");
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while reqwest::get(format!("{base}/healthz")).await.is_err() {
            assert!(std::time::Instant::now() < deadline, "the server did not start on {every}:{port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let body = request_body(&format!("{base}/sandbox/__sandbox/voices/ada.wav"));
        let response = reqwest::Client::new().post(format!("{base}/api{GENERATE_PATH}")).json(&body).send().await;
        let response = response.unwrap();
        assert_eq!(response.status(), 202, "{every}: {}", response.text().await.unwrap());
        let accepted = accepted(response).await;
        let pushed: JobStatusResponse = pushed_final(&base, &accepted.request_id, Duration::from_secs(10)).await;
        assert_eq!(pushed.status, JobStatus::Completed, "{every}: {:?}", pushed.error);
        let media_url = pushed.output.unwrap().media_url[0].clone();
        let media = reqwest::Client::new().get(format!("{base}/api/media")).query(&[("url", media_url)]).send().await;
        let media = media.unwrap();
        assert_eq!(media.status(), 200, "{every}");
        assert!(measure(&media.bytes().await.unwrap()).0 > 1.0, "{every}");
        let stats: zonos_server::sandbox::Snapshot =
            reqwest::get(format!("{base}/sandbox/__sandbox/stats")).await.unwrap().json().await.unwrap();
        assert_eq!((stats.webhooks_delivered, stats.polls_received), (1, 0), "{every}: pushed, never polled");
        server.kill().unwrap();
        server.wait().unwrap();
    }
}
