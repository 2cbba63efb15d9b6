//! `serve`'s proxy, with the sandbox as its upstream: forwarding with the key added, validation before anything is
//! paid for, limits, webhook push over SSE, same-origin media and reference uploads. What is refused before any call
//! upstream is tested in-process (`oneshot`); the rest over real sockets.

mod common;

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::*;
use serde_json::{json, Value};
use studio_core::provenance;
use zonos_api::{ErrorBody, JobStatus, JobStatusResponse, SubmitAccepted, API_KEY_HEADER, GENERATE_PATH};
use zonos_server::proxy::{ApiKey, ProxyConfig};

fn voice(studio: SocketAddr) -> String {
    format!("http://{studio}/sandbox/__sandbox/voices/ada.wav")
}

/// Submits through the proxy and follows the job by the `polling_url` it answers with.
async fn generate(studio: SocketAddr) -> (SubmitAccepted, JobStatusResponse) {
    let accepted = accepted(submit_via_proxy(studio, &request_body(&voice(studio))).await).await;
    let polling_url = accepted.polling_url.clone().unwrap();
    let status = follow_with(&polling_url, None).await;
    (accepted, status)
}

#[tokio::test]
async fn a_generation_goes_through_the_proxy_with_the_key_added_there() {
    // The sandbox accepts only `KEY`, which the browser never sends: the proxy adds it.
    let studio = start_studio(|_| {}).await;
    let (accepted, status) = generate(studio).await;
    // Absolute, as the contract has it, and at the proxy: the browser never polls upstream.
    assert_eq!(
        accepted.polling_url.unwrap(),
        format!("http://{studio}/api/v2/requests/status/{}", accepted.request_id)
    );
    assert_eq!(status.status, JobStatus::Completed, "{:?}", status.error);
    assert!(measure(&audio_of(status).await).0 > 1.0);
    let stats = upstream_stats(studio).await;
    assert_eq!((stats.submissions_received, stats.submissions_accepted), (1, 1));
}

#[tokio::test]
async fn an_invalid_request_is_refused_before_it_reaches_the_gateway() {
    let studio = studio_routes(|_| {}).await;
    let submit_path = format!("/api{GENERATE_PATH}");
    let mut body = request_body(&voice(studio.addr));
    body["top_p"] = json!(1.5);
    body["language"] = json!("en");
    let response = studio.call(post_json(&submit_path, &body)).await;
    assert_eq!(response.status, 400);
    let error = response.error();
    assert_eq!(error.error, "Bad Request");
    assert!(error.message.contains("top_p = 1.5 is outside the allowed range 0–1"), "{}", error.message);
    assert!(error.message.contains("language"), "{}", error.message);
    let typed = |content_type: &str, body: Vec<u8>| {
        Request::post(&submit_path).header("content-type", content_type).body(Body::from(body)).unwrap()
    };
    assert_eq!(studio.call(typed("application/json", b"{".to_vec())).await.status, 400);
    let as_text = typed("text/plain", serde_json::to_vec(&request_body(&voice(studio.addr))).unwrap());
    assert_eq!(
        studio.call(as_text).await.status,
        415,
        "only JSON, which a page on another site cannot send without asking"
    );
    // Nothing reached the gateway: nothing even connected to where it is.
    studio.assert_unreached();
}

#[tokio::test]
async fn upstream_errors_pass_through_unchanged() {
    let studio = start_studio(|_| {}).await;
    let body = request_body(&voice(studio));
    arm_upstream(studio, json!({ "fault": "submit-402" })).await;
    let response = submit_via_proxy(studio, &body).await;
    assert_eq!(response.status(), 402);
    let error: ErrorBody = response.json().await.unwrap();
    assert_eq!(error, ErrorBody::new("Insufficient Balance", "Your wallet does not have enough balance."));

    arm_upstream(studio, json!({ "fault": "submit-429", "retry_after": 9 })).await;
    let response = submit_via_proxy(studio, &body).await;
    assert_eq!((response.status().as_u16(), &response.headers()["retry-after"]), (429, &"9".parse().unwrap()));

    let accepted = accepted(submit_via_proxy(studio, &body).await).await;
    arm_upstream(studio, json!({ "fault": "poll-malformed" })).await;
    let url = accepted.polling_url.unwrap();
    let malformed = reqwest::get(&url).await.unwrap();
    assert_eq!(malformed.status(), 200);
    assert!(serde_json::from_str::<Value>(&malformed.text().await.unwrap()).is_err(), "passed on as it came");
}

#[tokio::test]
async fn request_ids_must_have_the_documented_shape() {
    let studio = studio_routes(|_| {}).await;
    for id in
        ["..%2F..%2Fsandbox%2F__sandbox%2Fstats", "zonos-2_not-a-uuid", "other_019d3b6e-7c1a-7b2e-9f00-0a1b2c3d4e5f"]
    {
        let response = studio.call(get(&format!("/api/v2/requests/status/{id}"))).await;
        assert_eq!(response.status, 400, "{id}");
        assert_eq!(response.error().error, "Bad Request", "{id}");
    }
    // No status call went upstream: nothing even connected to where the gateway is.
    studio.assert_unreached();
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let studio = start_studio(|proxy| proxy.submissions_per_minute = NonZeroU32::new(2).unwrap()).await;
    let body = request_body(&voice(studio));
    for _ in 0..2 {
        assert_eq!(submit_via_proxy(studio, &body).await.status(), 202);
    }
    let limited = submit_via_proxy(studio, &body).await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry_after), "{retry_after}");
    assert_eq!(limited.json::<ErrorBody>().await.unwrap().error, "Too Many Requests");
    assert_eq!(upstream_stats(studio).await.submissions_received, 2);
}

#[tokio::test]
async fn the_daily_cap_answers_429_until_midnight_and_only_refusals_do_not_count() {
    let studio = start_studio(|proxy| proxy.daily_cap = Some(2)).await;
    let body = request_body(&voice(studio));
    arm_upstream(studio, json!({ "fault": "submit-402" })).await;
    assert_eq!(submit_via_proxy(studio, &body).await.status(), 402, "refused upstream: not counted");
    arm_upstream(studio, json!({ "fault": "submit-500" })).await;
    assert_eq!(submit_via_proxy(studio, &body).await.status(), 500, "it may have been accepted: counted");
    assert_eq!(submit_via_proxy(studio, &body).await.status(), 202);
    let capped = submit_via_proxy(studio, &body).await;
    assert_eq!(capped.status(), 429);
    let retry_after: u64 = capped.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=86_400).contains(&retry_after), "{retry_after}");
    assert!(capped.json::<ErrorBody>().await.unwrap().message.contains("cap"));
    assert_eq!(upstream_stats(studio).await.submissions_accepted, 1);
}

/// The body of an SSE response, read until the server closes it.
async fn events_of(studio: SocketAddr, request_id: &str) -> String {
    let url = format!("http://{studio}/api/v2/requests/events/{request_id}");
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_final_status_is_pushed_once_over_sse_and_the_stream_closes() {
    let studio = start_studio(|_| {}).await;
    let accepted = accepted(submit_via_proxy(studio, &request_body(&voice(studio))).await).await;
    let stream = tokio::time::timeout(std::time::Duration::from_secs(30), events_of(studio, &accepted.request_id));
    let stream = stream.await.expect("the stream ends after the final status");
    let events: Vec<&str> = stream.split("\n\n").filter(|event| event.contains("data:")).collect();
    assert_eq!(events.len(), 1, "{stream}");
    assert!(events[0].contains("event: status"), "{stream}");
    let data = events[0].lines().find_map(|line| line.strip_prefix("data: ")).unwrap();
    let status: JobStatusResponse = serde_json::from_str(data).unwrap();
    assert_eq!((status.request_id.as_str(), status.status), (accepted.request_id.as_str(), JobStatus::Completed));
    // The browser hears it as the callback arrives; the gateway's callback is answered once the status is kept.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while upstream_stats(studio).await.webhooks_delivered == 0 {
        assert!(std::time::Instant::now() < deadline, "the webhook was delivered");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(upstream_stats(studio).await.webhooks_delivered, 1);
    // Asked again later, the stream still tells the final status at once.
    assert!(events_of(studio, &accepted.request_id).await.contains("COMPLETED"));
}

/// A gateway that accepts every submission and keeps the webhook URL it was given; it never calls back itself.
async fn webhook_keeping_gateway() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let webhooks = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&webhooks);
    let accept = move |headers: axum::http::HeaderMap| async move {
        let webhook = headers.get(zonos_api::WEBHOOK_HEADER).and_then(|value| value.to_str().ok());
        kept.lock().unwrap().push(webhook.unwrap_or_default().to_owned());
        let request_id = format!("zonos-2_{}", uuid::Uuid::now_v7());
        (StatusCode::ACCEPTED, axum::Json(json!({ "request_id": request_id, "status": "QUEUED" })))
    };
    (serve(axum::Router::new().route(GENERATE_PATH, axum::routing::post(accept))).await, webhooks)
}

#[tokio::test]
async fn a_callback_without_the_right_token_is_refused_and_changes_nothing() {
    // The gateway never calls back: only the test does, forging first, then with the token the gateway was given.
    let (gateway, webhooks) = webhook_keeping_gateway().await;
    let studio = studio_routes(|proxy| proxy.upstream = format!("http://{gateway}")).await;
    let submitted = studio.call(post_json(&format!("/api{GENERATE_PATH}"), &request_body(&voice(studio.addr)))).await;
    assert_eq!(submitted.status, 202);
    let request_id = submitted.json()["request_id"].as_str().unwrap().to_owned();
    let forged = json!({ "request_id": request_id, "status": "FAILED", "error": "forged", "output": null });
    for path in ["/api/webhooks/not-the-token", "/api/webhooks/", "/api/webhooks"] {
        let response = studio.call(post_json(path, &forged)).await;
        assert!((403..=405).contains(&response.status.as_u16()), "{path}: {}", response.status);
    }
    // The job's real end, called back with its token, is the first end the proxy keeps: no forged one was.
    let webhook = webhooks.lock().unwrap().last().cloned().unwrap();
    let callback_path = webhook.strip_prefix(&format!("http://{}", studio.addr)).unwrap();
    let real = json!({ "request_id": request_id, "status": "COMPLETED", "error": null,
                       "output": { "media_url": format!("http://{gateway}/media/{request_id}/output.wav") } });
    assert_eq!(studio.call(post_json(callback_path, &real)).await.status, 204);
    let events = studio.call(get(&format!("/api/v2/requests/events/{request_id}"))).await;
    assert_eq!((events.status.as_u16(), events.header("content-type")), (200, "text/event-stream"));
    let stream = events.text();
    let data = stream.lines().find_map(|line| line.strip_prefix("data: ")).unwrap_or_else(|| panic!("{stream}"));
    let pushed: JobStatusResponse = serde_json::from_str(data).unwrap();
    assert_eq!((pushed.request_id.as_str(), pushed.status), (request_id.as_str(), JobStatus::Completed), "{stream}");
}

#[tokio::test]
async fn media_is_served_same_origin_only_from_allowed_hosts() {
    let studio = start_studio(|_| {}).await;
    let (_, status) = generate(studio).await;
    let media_url = status.output.clone().unwrap().media_url[0].clone();
    let client = reqwest::Client::new();
    let media = |url: &str| client.get(format!("http://{studio}/api/media")).query(&[("url", url)]).send();
    let response = media(&media_url).await.unwrap();
    assert_eq!((response.status().as_u16(), &response.headers()["content-type"]), (200, &"audio/wav".parse().unwrap()));
    let served = response.bytes().await.unwrap();
    assert!(measure(&served).0 > 1.0);
    // Marked as AI-generated speech, its audio the gateway's byte for byte.
    let original = client.get(&media_url).send().await.unwrap().bytes().await.unwrap();
    assert!(provenance::read_info(&original).is_empty());
    assert_eq!(provenance::audio_bytes(&served), provenance::audio_bytes(&original));
    let info = provenance::read_info(&served);
    let field = |id: &str| info.iter().find(|(found, _)| found == id).map(|(_, text)| text.clone()).unwrap_or_default();
    assert_eq!(field("INAM"), "AI-generated speech");
    assert_eq!(field("ISFT"), "Zonos Studio");
    assert!(field("ICMT").contains(&status.request_id), "{info:?}");
    assert_eq!(field("ICRD").len(), "2026-11-30".len());
    // And with Content Credentials the proxy signed: made by a trained model, for this request, bound to these bytes.
    let reader = c2pa::Reader::from_context(c2pa::Context::new())
        .with_stream("audio/wav", std::io::Cursor::new(served.to_vec()))
        .unwrap();
    let report: Value = serde_json::from_str(&reader.json()).unwrap();
    let manifest = &report["manifests"][report["active_manifest"].as_str().unwrap()];
    let actions = manifest["assertions"].as_array().unwrap().iter().find(|found| found["label"] == "c2pa.actions.v2");
    let created = &actions.expect("an actions assertion")["data"]["actions"][0];
    assert_eq!(created["action"], "c2pa.created");
    assert_eq!(created["digitalSourceType"], "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
    assert_eq!(created["parameters"]["request_id"], status.request_id.as_str());
    let settings = &created["parameters"]["settings"];
    assert_eq!(settings["sample_voice"], "Ada", "{settings}");
    assert!(settings.get("reference_audio_url").is_none(), "a voice's URL would give its recording away: {settings}");
    assert_eq!(settings["seed"], 7, "{settings}");
    assert!(settings.get("text").is_none(), "the text is heard, not written: {settings}");
    let validated = report["validation_results"]["activeManifest"]["success"].to_string();
    assert!(validated.contains("assertion.dataHash.match"), "{validated}");

    let other = start(None).await; // a host not on the allowlist
    for refused in [
        format!("http://{other}/__sandbox/voices/ada.wav"),
        format!("http://{studio}/sandbox/media/..%2F..%2Fhealthz"),
        format!("http://{studio}/sandbox/%2e%2e/%2e%2e/healthz"),
        "file:///etc/passwd".to_owned(),
    ] {
        let response = media(&refused).await.unwrap();
        assert_eq!(response.status(), 403, "{refused}");
    }
}

fn reference_file(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/references").join(name)).unwrap()
}

#[tokio::test]
async fn an_uploaded_reference_is_stored_by_content_and_cloned() {
    let studio = start_studio(|_| {}).await;
    let client = reqwest::Client::new();
    let mp3 = reference_file("basil.mp3");
    let uploaded: Value = client
        .post(format!("http://{studio}/api/references"))
        .body(mp3.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = uploaded["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("http://{studio}/api/references/")) && url.ends_with(".mp3"), "{url}");
    assert_eq!(uploaded["media_type"], "audio/mpeg");
    assert_eq!(reqwest::get(url).await.unwrap().bytes().await.unwrap(), mp3);

    let response = submit_via_proxy(studio, &request_body(url)).await;
    let polling_url = accepted(response).await.polling_url.unwrap();
    let status = follow_with(&polling_url, None).await;
    let pitch = pitch_of(&audio_of(status).await);
    assert!((70.0..110.0).contains(&pitch), "Basil's voice, not {pitch} Hz");
}

#[tokio::test]
async fn uploads_that_are_not_audio_or_too_large_are_refused() {
    let studio = studio_routes(|_| {}).await;
    let upload = |body: Vec<u8>| studio.call(Request::post("/api/references").body(Body::from(body)).unwrap());
    let page = upload(b"<!doctype html><script>alert(1)</script>".to_vec()).await;
    assert_eq!(page.status, 415);
    assert!(page.error().message.contains("MP3, OGG, WAV, M4A, AAC"));
    let mut huge = reference_file("basil-stereo-48k.wav");
    huge.resize(zonos_server::proxy::MAX_REFERENCE_BYTES + 1, 0);
    assert_eq!(upload(huge).await.status, 413);
    let missing = studio.call(get("/api/references/..%2F..%2Fetc%2Fpasswd")).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn the_config_says_what_the_proxy_offers() {
    let studio = studio_routes(|_| {}).await;
    let config = studio.call(get("/api/config")).await.json();
    assert_eq!((&config["sandbox"], &config["events"], &config["uploads"]), (&json!(true), &json!(true), &json!(true)));
    let voices = config["voices"].as_array().unwrap();
    assert_eq!(voices.len(), 3);
    assert_eq!(voices[0]["url"], voice(studio.addr));
    // The app reads it where a static host's defaults would be: one request at start-up either way.
    let beside_the_page = studio.call(get("/config.json")).await.json();
    assert_eq!(beside_the_page, config);
    assert_eq!(config["proxy"], json!(true));
}

/// The proxy in front of a separate gateway, with no public URL: it forwards and polls, nothing more.
#[tokio::test]
async fn in_front_of_a_gateway_without_a_public_url_it_only_forwards() {
    let gateway = start(Some(KEY)).await;
    let listener = zonos_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let studio = listener.local_addr().unwrap();
    let mut proxy = ProxyConfig::for_sandbox(studio, &local_sandbox(quick(), None), temporary_store());
    proxy.upstream = format!("http://{gateway}");
    proxy.key = ApiKey::new(KEY).unwrap();
    proxy.public_url = None;
    proxy.sandbox = false;
    proxy.voices.clear();
    proxy.media_hosts = vec![gateway.to_string()];
    let config = serve_config(studio, fake_dist().keep(), None, Some(proxy));
    serve_on(listener, zonos_server::router(&config).await.unwrap());

    let offer: Value = reqwest::get(format!("http://{studio}/api/config")).await.unwrap().json().await.unwrap();
    let offered =
        json!({ "proxy": true, "sandbox": false, "events": false, "uploads": false, "voices": [], "sign_in": false });
    assert_eq!(offer, offered);
    let body = request_body(&voice_url(gateway, "basil.wav"));
    let accepted = accepted(submit_via_proxy(studio, &body).await).await;
    let status = follow_with(&accepted.polling_url.unwrap(), None).await;
    assert_eq!(status.status, JobStatus::Completed, "{:?}", status.error);
    let upload = reqwest::Client::new().post(format!("http://{studio}/api/references")).body("x").send().await;
    assert!(matches!(upload.unwrap().status().as_u16(), 404 | 405), "no uploads the gateway could not fetch");
    let stats = stats(gateway).await;
    assert_eq!((stats.submissions_accepted, stats.webhooks_delivered), (1, 0));
    let direct = reqwest::Client::new()
        .get(format!("http://{gateway}{}", zonos_api::status_path(&status.request_id)))
        .header(API_KEY_HEADER, KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(direct.json::<JobStatusResponse>().await.unwrap(), status, "the status passed through unchanged");
}

#[tokio::test]
async fn other_origins_are_refused_unless_allowed() {
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri(format!("/api{GENERATE_PATH}"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let same_origin_only = studio_routes(|_| {}).await;
    let response = same_origin_only.call(preflight("http://elsewhere.example")).await;
    assert_eq!(response.headers.get("access-control-allow-origin"), None);

    let studio = studio_routes(|proxy| proxy.allow_origins = vec!["http://studio.example".to_owned()]).await;
    let allowed = studio.call(preflight("http://studio.example")).await;
    assert_eq!(allowed.headers["access-control-allow-origin"], "http://studio.example");
    let other = studio.call(preflight("http://elsewhere.example")).await;
    assert_eq!(other.headers.get("access-control-allow-origin"), None);
}

#[tokio::test]
async fn a_page_on_another_site_may_not_spend_the_key() {
    let studio = studio_routes(|proxy| proxy.allow_origins = vec!["http://studio.example".to_owned()]).await;
    for (site, origin) in [("cross-site", "http://evil.example"), ("same-site", "http://other.localhost")] {
        let mut request = post_json(&format!("/api{GENERATE_PATH}"), &request_body(&voice(studio.addr)));
        request.headers_mut().insert("sec-fetch-site", site.parse().unwrap());
        request.headers_mut().insert("origin", origin.parse().unwrap());
        let refused = studio.call(request).await;
        assert_eq!(refused.status, 403, "{site} {origin}");
        assert_eq!(refused.error().error, "Forbidden", "{site} {origin}");
    }
    let upload = Request::post("/api/references")
        .header("origin", "http://evil.example")
        .body(Body::from(reference_file("basil.mp3")))
        .unwrap();
    assert_eq!(studio.call(upload).await.status, 403);
    // Nothing reached the gateway: nothing even connected to where it is.
    studio.assert_unreached();
}

#[tokio::test]
async fn an_allowed_origin_and_the_page_s_own_may_spend_the_key() {
    let studio = start_studio(|proxy| proxy.allow_origins = vec!["http://studio.example".to_owned()]).await;
    let client = reqwest::Client::new();
    let from = |site: &str, origin: &str| {
        client
            .post(format!("http://{studio}/api{GENERATE_PATH}"))
            .header("sec-fetch-site", site)
            .header("origin", origin)
            .json(&request_body(&voice(studio)))
            .send()
    };
    assert_eq!(from("cross-site", "http://studio.example").await.unwrap().status(), 202, "an allowed origin may");
    assert_eq!(from("same-origin", &format!("http://{studio}")).await.unwrap().status(), 202);
    assert_eq!(upstream_stats(studio).await.submissions_received, 2);
}
