//! The sandbox gateway: the documented contract, real speech, concurrency and counting. Its refusals, its voice list
//! and its cross-origin headers are tested in-process (`oneshot`); jobs, which fetch their reference, over real
//! sockets on loopback.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request};
use common::*;
use serde_json::{json, Value};
use zonos_api::{JobStatus, SubmitAccepted, API_KEY_HEADER, GENERATE_PATH};
use zonos_server::sandbox::{Timings, FRAMES_PER_SECOND};

#[tokio::test]
async fn a_job_goes_from_queued_to_completed_with_real_speech() {
    let addr = start(None).await;
    let response = submit(addr, Some(KEY), &request_body(&voice_url(addr, "basil.wav"))).await;
    assert_eq!(response.status(), 202);
    let accepted: Value = response.json().await.unwrap();
    let id = accepted["request_id"].as_str().unwrap().to_owned();
    assert!(zonos_api::is_request_id(&id), "{id}");
    assert_eq!(accepted["status"], "QUEUED");
    assert_eq!(accepted["polling_url"], format!("http://{addr}/v2/requests/status/{id}"));

    let status = follow(accepted["polling_url"].as_str().unwrap()).await;
    assert_eq!(status.status, JobStatus::Completed, "{:?}", status.error);
    assert_eq!(
        (status.request_id.as_str(), status.model_id.as_deref(), status.error.as_deref()),
        (id.as_str(), Some("zonos-2"), None)
    );
    for stamp in [&status.created_at, &status.updated_at, &status.completed_at] {
        let stamp = stamp.as_deref().expect("every timestamp is set");
        assert!(humantime::parse_rfc3339(stamp).is_ok() && stamp.ends_with('Z') && stamp.len() == 24, "{stamp}");
    }
    let output = status.output.clone().expect("a completed job has output");
    assert_eq!((output.media_type.as_deref(), output.file_name.as_deref()), (Some("audio/wav"), Some("output.wav")));
    let wav = audio_of(status).await;
    assert_eq!(output.file_size, Some(wav.len() as u64));
    let (seconds, rms) = measure(&wav);
    assert!(seconds > 1.0 && seconds < 10.0, "a sentence lasts seconds, not {seconds}");
    assert!(rms > 0.01, "speech, not silence (RMS {rms})");
}

#[tokio::test]
async fn the_speech_takes_the_reference_speakers_pitch() {
    let addr = start(None).await;
    let mut pitches = Vec::new();
    for voice in ["basil.wav", "ada.wav"] {
        let reference = download(&voice_url(addr, voice)).await;
        let (_, status) = submit_and_follow(addr, &request_body(&voice_url(addr, voice))).await;
        let spoken = pitch_of(&audio_of(status).await);
        let reference = pitch_of(&reference);
        assert!((spoken / reference - 1.0).abs() < 0.2, "{voice}: spoken at {spoken} Hz, reference at {reference} Hz");
        pitches.push(spoken);
    }
    assert!(pitches[1] > pitches[0] * 2.0, "Ada speaks well above Basil: {pitches:?}");
}

#[tokio::test]
async fn a_missing_or_empty_key_is_refused_with_401() {
    let sandbox = sandbox_routes(None);
    for key in [None, Some(""), Some("   ")] {
        let mut request = post_json(GENERATE_PATH, &request_body(UNSERVED_REFERENCE));
        if let Some(key) = key {
            request = with_key(request, key);
        }
        let response = call(&sandbox, request).await;
        assert_eq!(response.status, 401, "{key:?}");
        let body = response.error();
        assert_eq!(body.error, "Unauthorized");
        assert!(body.message.contains(API_KEY_HEADER), "{}", body.message);
    }
    let status = call(&sandbox, get("/v2/requests/status/zonos-2_x")).await;
    assert_eq!(status.status, 401, "polling needs the key too");
}

#[tokio::test]
async fn with_a_configured_key_only_that_key_is_accepted() {
    let sandbox = sandbox_routes(Some(KEY));
    let body = request_body(UNSERVED_REFERENCE);
    let other = call(&sandbox, with_key(post_json(GENERATE_PATH, &body), "another-key")).await;
    assert_eq!((other.status.as_u16(), other.error().error.as_str()), (401, "Unauthorized"));
    let accepted = call(&sandbox, with_key(post_json(GENERATE_PATH, &body), KEY)).await;
    assert_eq!(accepted.status, 202);
    assert_eq!(accepted.json()["status"], "QUEUED");
}

#[tokio::test]
async fn invalid_requests_get_400_naming_every_field_and_range() {
    let sandbox = sandbox_routes(None);
    let mut body = request_body(UNSERVED_REFERENCE);
    body["temperature"] = json!(2.5);
    body["top_k"] = json!(-1);
    let response = call(&sandbox, with_key(post_json(GENERATE_PATH, &body), KEY)).await;
    assert_eq!(response.status, 400);
    let error = response.error();
    assert_eq!(error.error, "Bad Request");
    assert_eq!(
        error.message,
        "temperature = 2.5 is outside the allowed range 0–2; top_k = -1 is outside the allowed range 0–2048"
    );
    let not_json = with_key(Request::post(GENERATE_PATH).body(Body::from("{not json")).unwrap(), KEY);
    assert_eq!(call(&sandbox, not_json).await.status, 400);
    let stats = stats_in(&sandbox, "").await;
    assert_eq!((stats.submissions_received, stats.submissions_accepted), (2, 0), "refused requests are not accepted");
}

#[tokio::test]
async fn a_missing_text_speaks_the_documented_example() {
    let addr = start(None).await;
    let mut body = request_body(&voice_url(addr, "ada.wav"));
    body.as_object_mut().unwrap().remove("text");
    let (_, without_text) = submit_and_follow(addr, &body).await;
    body["text"] = json!(zonos_api::DEFAULT_TEXT);
    let (_, with_example) = submit_and_follow(addr, &body).await;
    assert_eq!(audio_of(without_text).await, audio_of(with_example).await);
}

#[tokio::test]
async fn max_tokens_limits_the_duration() {
    let addr = start(None).await;
    let mut body = request_body(&voice_url(addr, "ada.wav"));
    body["max_tokens"] = json!(43);
    let (_, status) = submit_and_follow(addr, &body).await;
    let (seconds, _) = measure(&audio_of(status).await);
    assert!(seconds <= 43.0 / FRAMES_PER_SECOND + 0.001, "{seconds} s for 43 frames");
}

#[tokio::test]
async fn the_same_seed_gives_the_same_bytes_and_another_seed_another_take() {
    let addr = start(None).await;
    let body = request_body(&voice_url(addr, "ada.wav"));
    let (first_id, first) = submit_and_follow(addr, &body).await;
    let (second_id, second) = submit_and_follow(addr, &body).await;
    assert_ne!(first_id, second_id, "each submission is its own job");
    let first = audio_of(first).await;
    assert_eq!(first, audio_of(second).await);
    let mut reseeded = body.clone();
    reseeded["seed"] = json!(2_147_483_647);
    let (_, other) = submit_and_follow(addr, &reseeded).await;
    assert_ne!(first, audio_of(other).await, "the seed changes the take");
}

#[tokio::test]
async fn jobs_run_concurrently_and_are_counted() {
    let addr = start(None).await;
    let texts = ["One.", "Two, a little longer.", "Three is the longest of these short sentences."];
    let jobs = texts.map(|text| {
        let mut body = request_body(&voice_url(addr, "ada.wav"));
        body["text"] = json!(text);
        async move { submit_and_follow(addr, &body).await }
    });
    let [a, b, c] = jobs;
    let (a, b, c) = tokio::join!(a, b, c);
    let mut durations = Vec::new();
    for (_, status) in [a, b, c] {
        durations.push(measure(&audio_of(status).await).0);
    }
    assert!(durations[0] < durations[1] && durations[1] < durations[2], "each job speaks its own text: {durations:?}");
    let stats = stats(addr).await;
    assert_eq!((stats.submissions_received, stats.submissions_accepted), (3, 3));
    assert!(stats.polls_served >= 6 && stats.polls_served == stats.polls_received, "{stats:?}");
}

#[tokio::test]
async fn an_unknown_request_id_is_404() {
    let sandbox = sandbox_routes(None);
    let unknown = get("/v2/requests/status/zonos-2_019d3b6e-7c1a-7b2e-9f00-0a1b2c3d4e5f");
    let response = call(&sandbox, with_key(unknown, KEY)).await;
    assert_eq!(response.status, 404);
    assert_eq!(response.error().error, "Not Found");
}

#[tokio::test]
async fn the_sample_voices_are_listed_with_absolute_urls_and_serve_real_audio() {
    let sandbox = sandbox_routes(None);
    let host = "127.0.0.1:7000";
    let mut list = get("/__sandbox/voices");
    list.headers_mut().insert("host", host.parse().unwrap());
    let voices = call(&sandbox, list).await.json();
    let voices = voices.as_array().unwrap();
    let names: Vec<&str> = voices.iter().map(|voice| voice["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ada", "Basil", "Margaux"]);
    for voice in voices {
        let url = voice["url"].as_str().unwrap();
        let path = url.strip_prefix(&format!("http://{host}")).unwrap_or_else(|| panic!("at the host asked: {url}"));
        assert!(path.starts_with("/__sandbox/voices/"), "{url}");
        let audio = call(&sandbox, get(path)).await;
        assert_eq!((audio.status.as_u16(), audio.header("content-type")), (200, "audio/wav"), "{url}");
        let reference = zonos_server::sandbox::reference::decode(audio.body.to_vec()).unwrap();
        let seconds = reference.samples.len() as f32 / reference.sample_rate as f32;
        assert!(seconds > 2.0 && seconds < 8.0, "{url}: {seconds} s");
    }
    assert_eq!(voices[2]["language"], "fr_fr");
}

#[tokio::test]
async fn result_audio_is_sent_uncompressed_for_players() {
    let addr = start(None).await;
    let (_, status) = submit_and_follow(addr, &request_body(&voice_url(addr, "ada.wav"))).await;
    let url = &status.output.unwrap().media_url[0];
    let response = reqwest::Client::new().get(url).header("accept-encoding", "br, gzip").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers().get("content-encoding"), None);
    let length: u64 = response.headers()["content-length"].to_str().unwrap().parse().unwrap();
    assert_eq!(length, response.bytes().await.unwrap().len() as u64);
}

#[tokio::test]
async fn a_page_on_another_origin_may_call_it_with_the_documented_headers() {
    let sandbox = sandbox_routes(None);
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri(GENERATE_PATH)
        .header("origin", "http://static.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, cache-control, ocp-apim-subscription-key, x-webhook-url",
        )
        .body(Body::empty())
        .unwrap();
    let preflight = call(&sandbox, preflight).await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), "*");
    let allowed = preflight.header("access-control-allow-headers").to_ascii_lowercase();
    for header in ["content-type", "cache-control", "ocp-apim-subscription-key", "x-webhook-url"] {
        assert!(allowed.contains(header), "{header} not in {allowed}");
    }
    let mut refused = post_json(GENERATE_PATH, &request_body(UNSERVED_REFERENCE));
    refused.headers_mut().insert("origin", "http://static.example".parse().unwrap());
    let refused = call(&sandbox, refused).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.header("access-control-allow-origin"), "*", "errors are readable across origins too");
    assert!(refused.header("access-control-expose-headers").contains("retry-after"));
}

/// `serve --sandbox` mounts the same gateway under /sandbox, and its URLs say so.
#[tokio::test]
async fn mounted_under_serve_its_urls_carry_the_mount() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").unwrap();
    let timings = Timings { queue: Duration::from_millis(10), process: Duration::from_millis(10) };
    let listener = zonos_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = serve_config(addr, dist.path().to_owned(), Some(local_sandbox(timings, None)), None);
    serve_on(listener, zonos_server::router(&config).await.unwrap());

    let voices: Vec<Value> =
        reqwest::get(format!("http://{addr}/sandbox/__sandbox/voices")).await.unwrap().json().await.unwrap();
    let voice = voices[0]["url"].as_str().unwrap();
    assert_eq!(voice, format!("http://{addr}/sandbox/__sandbox/voices/ada.wav"));
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/sandbox{GENERATE_PATH}"))
        .header(API_KEY_HEADER, KEY)
        .json(&request_body(voice))
        .send()
        .await
        .unwrap();
    let accepted: SubmitAccepted = accepted(response).await;
    let polling_url = accepted.polling_url.unwrap();
    assert_eq!(polling_url, format!("http://{addr}/sandbox/v2/requests/status/{}", accepted.request_id));
    let status = follow(&polling_url).await;
    let media_url = &status.output.clone().unwrap().media_url[0];
    assert!(media_url.starts_with(&format!("http://{addr}/sandbox/media/")), "{media_url}");
    assert!(measure(&audio_of(status).await).0 > 1.0);
}
