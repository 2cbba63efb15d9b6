//! The sandbox gateway over real sockets: the documented contract, real speech, concurrency and counting.

use std::io::Cursor;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use zonos_api::{ErrorBody, JobStatus, JobStatusResponse, SubmitAccepted, API_KEY_HEADER, GENERATE_PATH};
use zonos_server::sandbox::{SandboxConfig, Timings, FRAMES_PER_SECOND, SAMPLE_RATE};

const KEY: &str = "test-key";

async fn start(key: Option<&str>) -> SocketAddr {
    let timings = Timings { queue: Duration::from_millis(30), process: Duration::from_millis(30) };
    let router = zonos_server::sandbox_router(SandboxConfig { timings, key: key.map(str::to_owned) });
    let listener = zonos_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(zonos_server::serve(listener, router, std::future::pending()));
    addr
}

fn request_body() -> Value {
    json!({
        "reference_audio_url": "https://cdn.example/voice.wav",
        "text": "The quick brown fox jumps over the lazy dog.",
        "language": "en_us",
        "seed": 7
    })
}

async fn submit(addr: SocketAddr, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = reqwest::Client::new().post(format!("http://{addr}{GENERATE_PATH}")).json(body);
    if let Some(key) = key {
        request = request.header(API_KEY_HEADER, key);
    }
    request.send().await.unwrap()
}

async fn poll(url: &str) -> JobStatusResponse {
    let response = reqwest::Client::new().get(url).header(API_KEY_HEADER, KEY).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Polls until the job ends (within a generous deadline), checking the documented flow on the way.
async fn follow(polling_url: &str) -> JobStatusResponse {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    loop {
        let status = poll(polling_url).await;
        if seen.last() != Some(&status.status) {
            seen.push(status.status);
        }
        if status.status.is_final() {
            let order = [JobStatus::Queued, JobStatus::Processing, status.status];
            assert!(seen.iter().all(|stage| order.contains(stage)), "the documented flow, not {seen:?}");
            return status;
        }
        assert_eq!(status.output, None, "no output before the job ends");
        assert!(Instant::now() < deadline, "the job did not end: {seen:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn submit_and_follow(addr: SocketAddr, body: &Value) -> (String, JobStatusResponse) {
    let response = submit(addr, Some(KEY), body).await;
    assert_eq!(response.status(), 202);
    let accepted: SubmitAccepted = response.json().await.unwrap();
    let polling_url = accepted.polling_url.expect("an absolute polling_url");
    (accepted.request_id, follow(&polling_url).await)
}

async fn download(url: &str) -> Vec<u8> {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "audio/wav");
    response.bytes().await.unwrap().to_vec()
}

/// Seconds of audio and the RMS level (0–1) of a mono 16-bit WAV at the sandbox's rate.
fn measure(wav: &[u8]) -> (f64, f64) {
    let mut reader = hound::WavReader::new(Cursor::new(wav)).unwrap();
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.sample_rate, spec.bits_per_sample), (1, SAMPLE_RATE, 16));
    let samples: Vec<f64> = reader.samples::<i16>().map(|sample| f64::from(sample.unwrap()) / 32768.0).collect();
    let rms = (samples.iter().map(|sample| sample * sample).sum::<f64>() / samples.len().max(1) as f64).sqrt();
    (samples.len() as f64 / f64::from(SAMPLE_RATE), rms)
}

#[tokio::test]
async fn a_job_goes_from_queued_to_completed_with_real_speech() {
    let addr = start(None).await;
    let response = submit(addr, Some(KEY), &request_body()).await;
    assert_eq!(response.status(), 202);
    let accepted: Value = response.json().await.unwrap();
    let id = accepted["request_id"].as_str().unwrap().to_owned();
    assert!(zonos_api::is_request_id(&id), "{id}");
    assert_eq!(accepted["status"], "QUEUED");
    assert_eq!(accepted["polling_url"], format!("http://{addr}/v2/requests/status/{id}"));

    let status = follow(accepted["polling_url"].as_str().unwrap()).await;
    assert_eq!(status.status, JobStatus::Completed);
    assert_eq!(
        (status.request_id.as_str(), status.model_id.as_deref(), status.error.as_deref()),
        (id.as_str(), Some("zonos-2"), None)
    );
    for stamp in [&status.created_at, &status.updated_at, &status.completed_at] {
        let stamp = stamp.as_deref().expect("every timestamp is set");
        assert!(humantime::parse_rfc3339(stamp).is_ok() && stamp.ends_with('Z') && stamp.len() == 24, "{stamp}");
    }
    let output = status.output.expect("a completed job has output");
    assert_eq!((output.media_type.as_deref(), output.file_name.as_deref()), (Some("audio/wav"), Some("output.wav")));
    let wav = download(&output.media_url[0]).await;
    assert_eq!(output.file_size, Some(wav.len() as u64));
    let (seconds, rms) = measure(&wav);
    assert!(seconds > 1.0 && seconds < 10.0, "a sentence lasts seconds, not {seconds}");
    assert!(rms > 0.01, "speech, not silence (RMS {rms})");
}

#[tokio::test]
async fn a_missing_or_empty_key_is_refused_with_401() {
    let addr = start(None).await;
    for key in [None, Some(""), Some("   ")] {
        let response = submit(addr, key, &request_body()).await;
        assert_eq!(response.status(), 401, "{key:?}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.error, "Unauthorized");
        assert!(body.message.contains(API_KEY_HEADER), "{}", body.message);
    }
    let status = reqwest::get(format!("http://{addr}/v2/requests/status/zonos-2_x")).await.unwrap();
    assert_eq!(status.status(), 401, "polling needs the key too");
}

#[tokio::test]
async fn with_a_configured_key_only_that_key_is_accepted() {
    let addr = start(Some(KEY)).await;
    assert_eq!(submit(addr, Some("another-key"), &request_body()).await.status(), 401);
    assert_eq!(submit(addr, Some(KEY), &request_body()).await.status(), 202);
}

#[tokio::test]
async fn invalid_requests_get_400_naming_every_field_and_range() {
    let addr = start(None).await;
    let mut body = request_body();
    body["temperature"] = json!(2.5);
    body["top_k"] = json!(-1);
    let response = submit(addr, Some(KEY), &body).await;
    assert_eq!(response.status(), 400);
    let error: ErrorBody = response.json().await.unwrap();
    assert_eq!(error.error, "Bad Request");
    assert_eq!(
        error.message,
        "temperature = 2.5 is outside the allowed range 0–2; top_k = -1 is outside the allowed range 0–2048"
    );
    let not_json = reqwest::Client::new()
        .post(format!("http://{addr}{GENERATE_PATH}"))
        .header(API_KEY_HEADER, KEY)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 400);
    let stats: Value = reqwest::get(format!("http://{addr}/__sandbox/stats")).await.unwrap().json().await.unwrap();
    assert_eq!(stats["submissions_accepted"], 0, "refused requests are not accepted");
}

#[tokio::test]
async fn max_tokens_limits_the_duration() {
    let addr = start(None).await;
    let mut body = request_body();
    body["max_tokens"] = json!(43);
    let (_, status) = submit_and_follow(addr, &body).await;
    let (seconds, _) = measure(&download(&status.output.unwrap().media_url[0]).await);
    assert!(seconds <= 43.0 / FRAMES_PER_SECOND + 0.001, "{seconds} s for 43 frames");
}

#[tokio::test]
async fn the_same_request_gives_the_same_bytes() {
    let addr = start(None).await;
    let (first_id, first) = submit_and_follow(addr, &request_body()).await;
    let (second_id, second) = submit_and_follow(addr, &request_body()).await;
    assert_ne!(first_id, second_id, "each submission is its own job");
    let first = download(&first.output.unwrap().media_url[0]).await;
    let second = download(&second.output.unwrap().media_url[0]).await;
    assert_eq!(first, second);
}

#[tokio::test]
async fn jobs_run_concurrently_and_are_counted() {
    let addr = start(None).await;
    let texts = ["One.", "Two, a little longer.", "Three is the longest of these short sentences."];
    let jobs = texts.map(|text| {
        let mut body = request_body();
        body["text"] = json!(text);
        async move { submit_and_follow(addr, &body).await }
    });
    let [a, b, c] = jobs;
    let (a, b, c) = tokio::join!(a, b, c);
    let mut durations = Vec::new();
    for (_, status) in [a, b, c] {
        assert_eq!(status.status, JobStatus::Completed);
        durations.push(measure(&download(&status.output.unwrap().media_url[0]).await).0);
    }
    assert!(durations[0] < durations[1] && durations[1] < durations[2], "each job speaks its own text: {durations:?}");
    let stats: Value = reqwest::get(format!("http://{addr}/__sandbox/stats")).await.unwrap().json().await.unwrap();
    assert_eq!(stats["submissions_accepted"], 3);
    assert!(stats["polls_served"].as_u64().unwrap() >= 6, "{stats}");
}

#[tokio::test]
async fn an_unknown_request_id_is_404() {
    let addr = start(None).await;
    let response = reqwest::Client::new()
        .get(format!("http://{addr}/v2/requests/status/zonos-2_019d3b6e-7c1a-7b2e-9f00-0a1b2c3d4e5f"))
        .header(API_KEY_HEADER, KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

/// The docs' cURL example, with only the host changed, runs unchanged against the sandbox.
#[tokio::test]
async fn the_docs_curl_example_is_accepted() {
    let addr = start(None).await;
    let output = tokio::process::Command::new("curl")
        .args(["-s", "-w", "\n%{http_code}", "-X", "POST", &format!("http://{addr}/zonos-2/v1/zonos-2-request")])
        .args(["-H", "Content-Type: application/json", "-H", "Cache-Control: no-cache"])
        .args(["-H", "Ocp-Apim-Subscription-Key: YOUR_API_KEY", "--data-raw"])
        .arg(include_str!("../../zonos-api/tests/examples/request.json"))
        .output()
        .await
        .expect("curl runs");
    let printed = String::from_utf8(output.stdout).unwrap();
    let (body, code) = printed.rsplit_once('\n').unwrap();
    assert_eq!(code, "202");
    let accepted: SubmitAccepted = serde_json::from_str(body).unwrap();
    assert_eq!(accepted.status, JobStatus::Queued);
}

/// `serve --sandbox` mounts the same gateway under /sandbox, and its URLs say so.
#[tokio::test]
async fn mounted_under_serve_its_urls_carry_the_mount() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").unwrap();
    let timings = Timings { queue: Duration::from_millis(10), process: Duration::from_millis(10) };
    let config =
        zonos_server::ServeConfig { dist: dist.path().to_owned(), sandbox: Some(SandboxConfig { timings, key: None }) };
    let listener = zonos_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(zonos_server::serve(listener, zonos_server::router(&config).unwrap(), std::future::pending()));

    let response = reqwest::Client::new()
        .post(format!("http://{addr}/sandbox{GENERATE_PATH}"))
        .header(API_KEY_HEADER, KEY)
        .json(&request_body())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let accepted: SubmitAccepted = response.json().await.unwrap();
    let polling_url = accepted.polling_url.unwrap();
    assert_eq!(polling_url, format!("http://{addr}/sandbox/v2/requests/status/{}", accepted.request_id));
    let status = follow(&polling_url).await;
    let media_url = &status.output.unwrap().media_url[0];
    assert!(media_url.starts_with(&format!("http://{addr}/sandbox/media/")), "{media_url}");
    assert!(measure(&download(media_url).await).0 > 1.0);
}
