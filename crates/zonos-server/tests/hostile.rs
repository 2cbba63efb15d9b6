//! The proxy and the sandbox under hostile input: each way a caller could abuse them (found in a review of the
//! release build) is refused or bounded. What the routes refuse is tested in-process (`oneshot`), with any gateway on
//! loopback; connections, deadlines, limits by peer and what the sandbox fetches, over real sockets on loopback.
//! Address filters are tested as functions in `zonos_sandbox::reach`: no test here sends anything anywhere but
//! loopback.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::Request;
use axum::routing::post;
use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zonos_api::{JobStatus, GENERATE_PATH, STATUS_PATH_PREFIX};
use zonos_server::net::client::TrustedProxies;
use zonos_server::sandbox::reach::Reach;
use zonos_server::sandbox::{SandboxConfig, Timings};
use zonos_server::Bounds;

/// A gateway that records every body it is sent and every status call, and accepts every submission.
#[derive(Clone, Default)]
struct Recorder {
    bodies: Arc<Mutex<Vec<Value>>>,
    polls: Arc<Mutex<Vec<String>>>,
}

async fn recording_gateway() -> (SocketAddr, Recorder) {
    let recorder = Recorder::default();
    let (bodies, polls) = (Arc::clone(&recorder.bodies), Arc::clone(&recorder.polls));
    let router = axum::Router::new()
        .route(
            GENERATE_PATH,
            post(move |body: Bytes| async move {
                bodies.lock().unwrap().push(serde_json::from_slice(&body).unwrap());
                let request_id = format!("zonos-2_{}", uuid::Uuid::now_v7());
                (axum::http::StatusCode::ACCEPTED, axum::Json(json!({ "request_id": request_id, "status": "QUEUED" })))
            }),
        )
        .route(
            &format!("{STATUS_PATH_PREFIX}{{request_id}}"),
            axum::routing::get(move |axum::extract::Path(id): axum::extract::Path<String>| async move {
                polls.lock().unwrap().push(id.clone());
                axum::Json(json!({ "request_id": id, "status": "PROCESSING" }))
            }),
        );
    (serve(router).await, recorder)
}

/// The proxy in front of `gateway` (no public URL), with `adjust` applied, served within `bounds`.
async fn proxy_in_front_of(
    gateway: SocketAddr,
    bounds: Bounds,
    adjust: impl FnOnce(&mut zonos_server::proxy::ProxyConfig),
) -> SocketAddr {
    let listener = zonos_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let studio = listener.local_addr().unwrap();
    let mut proxy =
        zonos_server::proxy::ProxyConfig::for_sandbox(studio, &local_sandbox(quick(), None), temporary_store());
    proxy.upstream = format!("http://{gateway}");
    proxy.public_url = None;
    proxy.sandbox = false;
    proxy.media_hosts = vec![gateway.to_string()];
    adjust(&mut proxy);
    let config = serve_config(studio, fake_dist().keep(), None, Some(proxy));
    let router = zonos_server::router(&config).await.unwrap();
    tokio::spawn(zonos_server::serve(listener, router, bounds, std::future::pending()));
    studio
}

/// The proxy's routes in front of `gateway` (no public URL, no sandbox mounted), with `adjust` applied, to call
/// in-process.
async fn routes_in_front_of(gateway: SocketAddr, adjust: impl FnOnce(&mut zonos_server::proxy::ProxyConfig)) -> Studio {
    routes(false, |proxy| {
        proxy.upstream = format!("http://{gateway}");
        proxy.public_url = None;
        proxy.sandbox = false;
        proxy.media_hosts = vec![gateway.to_string()];
        adjust(proxy);
    })
    .await
}

/// A submission of `body` as JSON, to call in-process.
fn submission_of(body: impl Into<Body>) -> Request<Body> {
    Request::post(format!("/api{GENERATE_PATH}")).header("content-type", "application/json").body(body.into()).unwrap()
}

/// `request` naming `host` as its Host.
fn for_host(mut request: Request<Body>, host: &str) -> Request<Body> {
    request.headers_mut().insert("host", host.parse().unwrap());
    request
}

fn submission(studio: SocketAddr, body: impl Into<reqwest::Body>) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(format!("http://{studio}/api{GENERATE_PATH}"))
        .header("content-type", "application/json")
        .body(body)
}

#[tokio::test]
async fn the_gateway_receives_the_request_as_validated_and_nothing_else() {
    let (gateway, recorder) = recording_gateway().await;
    let studio = routes_in_front_of(gateway, |_| {}).await;
    // An invalid value first, a valid one last: read one way it passes, read the other it does not.
    let twice = r#"{"reference_audio_url": "http://127.0.0.1:9/a.wav", "max_tokens": 0, "max_tokens": 100}"#;
    let refused = studio.call(submission_of(twice)).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.error().message, "max_tokens is given more than once");
    assert!(recorder.bodies.lock().unwrap().is_empty(), "nothing reached the gateway");

    let extra = json!({
        "reference_audio_url": "http://127.0.0.1:9/a.wav",
        "text": "Only documented fields go on.",
        "model": "zonos-2-pro",
        "webhook_url": "http://127.0.0.1:9/steal",
        "temperature": 1.5,
    });
    assert_eq!(studio.call(submission_of(extra.to_string())).await.status, 202);
    let sent = recorder.bodies.lock().unwrap().pop().unwrap();
    let fields: Vec<&str> = sent.as_object().unwrap().keys().map(String::as_str).collect();
    let documented = [
        "reference_audio_url",
        "text",
        "language",
        "accurate_mode",
        "clean_speaker_background",
        "temperature",
        "top_p",
        "min_p",
        "top_k",
        "max_tokens",
        "seed",
    ];
    assert!(fields.iter().all(|field| documented.contains(field)), "{sent}");
    assert_eq!((&sent["text"], &sent["temperature"]), (&json!("Only documented fields go on."), &json!(1.5)));
}

#[tokio::test]
async fn status_calls_and_media_are_answered_only_for_requests_this_proxy_issued() {
    let (gateway, recorder) = recording_gateway().await;
    let studio = routes_in_front_of(gateway, |_| {}).await;
    let stranger = "zonos-2_019d0000-0000-7000-8000-000000000009";
    let status = studio.call(get(&format!("/api/v2/requests/status/{stranger}"))).await;
    assert_eq!(status.status, 404);
    let media = format!("http://{gateway}/media/{stranger}/output.wav");
    assert_eq!(studio.call(get(&format!("/api/media?url={}", urlencode(&media)))).await.status, 404);
    assert!(recorder.polls.lock().unwrap().is_empty(), "no status call went upstream");

    // Issued here: its polling_url is absolute, at the proxy (the host it was called by), and answered.
    let body = json!({ "reference_audio_url": "http://127.0.0.1:9/a.wav" }).to_string();
    let accepted = studio.call(submission_of(body)).await.json();
    let polling_url = accepted["polling_url"].as_str().unwrap();
    let polling_path = format!("/api/v2/requests/status/{}", accepted["request_id"].as_str().unwrap());
    assert_eq!(polling_url, format!("http://{}{polling_path}", studio.addr));
    assert_eq!(studio.call(get(&polling_path)).await.status, 200);
    assert_eq!(recorder.polls.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_docs_python_client_follows_the_proxy_s_polling_url() {
    let (gateway, _) = recording_gateway().await;
    let studio = proxy_in_front_of(gateway, Bounds::default(), |_| {}).await;
    // As the docs' workflow has it: submit, then GET the polling_url given back.
    let script = format!(
        "import requests\n\
         accepted = requests.post('http://{studio}/api{GENERATE_PATH}', json={{'reference_audio_url': 'http://127.0.0.1:9/a.wav'}}).json()\n\
         print(requests.get(accepted['polling_url']).json()['status'])"
    );
    let output = tokio::process::Command::new("python3").arg("-c").arg(script).output().await.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "PROCESSING");
}

#[tokio::test]
async fn a_host_the_server_is_not_answers_421_and_sends_nothing() {
    let (gateway, recorder) = recording_gateway().await;
    let studio = routes_in_front_of(gateway, |_| {}).await;
    // A page on attacker.example whose name was rebound to 127.0.0.1.
    let body = json!({ "reference_audio_url": "http://127.0.0.1:9/a.wav" }).to_string();
    let rebound = studio.call(for_host(submission_of(body.clone()), "attacker.example")).await;
    assert_eq!(rebound.status, 421);
    assert_eq!(rebound.error().error, "Misdirected Request");
    assert_eq!(studio.call(for_host(get("/"), "attacker.example:8080")).await.status, 421);
    assert!(recorder.bodies.lock().unwrap().is_empty());
    let named = studio.call(for_host(submission_of(body), &format!("localhost:{}", studio.addr.port()))).await;
    assert_eq!(named.status, 202, "localhost names are this server's");
    assert_eq!(recorder.bodies.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let (gateway, _) = recording_gateway().await;
    let trusted = TrustedProxies(vec!["127.0.0.1/32".parse().unwrap()]);
    let studio = proxy_in_front_of(gateway, Bounds::default(), |proxy| {
        proxy.submissions_per_minute = std::num::NonZeroU32::new(2).unwrap();
        proxy.trusted_proxies = trusted;
    })
    .await;
    let body = json!({ "reference_audio_url": "http://127.0.0.1:9/a.wav" }).to_string();
    let from = |client: &str| submission(studio, body.clone()).header("x-forwarded-for", client).send();
    for client in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(from(client).await.unwrap().status(), 202, "{client}");
        assert_eq!(from(client).await.unwrap().status(), 202, "{client}");
        assert_eq!(from(client).await.unwrap().status(), 429, "{client}: its own limit");
    }
    // A client writing someone else's address in front of its own is still counted as itself.
    assert_eq!(from("198.51.100.3, 198.51.100.1").await.unwrap().status(), 429);
    // IPv6 clients are counted per /64.
    assert_eq!(from("2001:db8:1:2::1").await.unwrap().status(), 202);
    assert_eq!(from("2001:db8:1:2::2").await.unwrap().status(), 202);
    assert_eq!(from("2001:db8:1:2:ffff::3").await.unwrap().status(), 429);
}

#[tokio::test]
async fn the_header_is_ignored_from_an_untrusted_peer() {
    let (gateway, _) = recording_gateway().await;
    let studio = proxy_in_front_of(gateway, Bounds::default(), |proxy| {
        proxy.submissions_per_minute = std::num::NonZeroU32::new(1).unwrap();
    })
    .await;
    let body = json!({ "reference_audio_url": "http://127.0.0.1:9/a.wav" }).to_string();
    let from = |client: &str| submission(studio, body.clone()).header("x-forwarded-for", client).send();
    assert_eq!(from("198.51.100.1").await.unwrap().status(), 202);
    assert_eq!(from("198.51.100.2").await.unwrap().status(), 429, "one peer, one limit, whatever it writes");
}

/// Makes `call` until it answers 429; checks that the calls before were all `allowed` (the status it answers within
/// its limit) and that they were `limit` a minute: the whole burst, plus what the time they took refilled.
async fn limited_at<F: std::future::Future<Output = u16>>(
    what: &str,
    limit: u32,
    allowed: u16,
    mut call: impl FnMut(u32) -> F,
) {
    let started = Instant::now();
    let mut before = 0;
    loop {
        match call(before).await {
            429 => break,
            status => assert_eq!(status, allowed, "{what}: call {before}"),
        }
        before += 1;
        assert!(before < 10 * limit, "{what}: never limited");
    }
    let refilled = (started.elapsed().as_secs_f64() / (60.0 / f64::from(limit))).ceil() as u32;
    assert!((limit..=limit + refilled).contains(&before), "{what}: {before} before the first 429, limit {limit}");
}

#[tokio::test]
async fn uploads_status_calls_and_media_have_limits_too() {
    let studio = start_studio(|_| {}).await;
    // Ten uploads a minute: a flood of distinct tiny files is refused after them, and stores nothing more.
    limited_at("uploads", 10, 201, |index| async move {
        let wav = [b"RIFF\x24\0\0\0WAVEfmt ".as_slice(), &index.to_le_bytes()].concat();
        let response = reqwest::Client::new().post(format!("http://{studio}/api/references")).body(wav);
        response.send().await.unwrap().status().as_u16()
    })
    .await;

    let stranger = "zonos-2_019d0000-0000-7000-8000-000000000009";
    let media = format!("http://{studio}/sandbox/media/{stranger}/output.wav");
    for (what, url) in [
        ("status calls", format!("http://{studio}/api/v2/requests/status/{stranger}")),
        ("media", format!("http://{studio}/api/media?url={}", urlencode(&media))),
    ] {
        let url = &url;
        limited_at(what, 120, 404, |_| async move { reqwest::get(url).await.unwrap().status().as_u16() }).await;
    }
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_off() {
    let (gateway, _) = recording_gateway().await;
    let bounds = Bounds { header_read: Duration::from_secs(1), ..Bounds::default() };
    let studio = proxy_in_front_of(gateway, bounds, |_| {}).await;
    let mut connection = tokio::net::TcpStream::connect(studio).await.unwrap();
    let started = Instant::now();
    let mut closed = false;
    for byte in b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaa".iter() {
        if connection.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        let mut buffer = [0u8; 256];
        if let Ok(read) = tokio::time::timeout(Duration::from_millis(200), connection.read(&mut buffer)).await {
            // An answer (408) or the end of the connection: either way the server has given up on it.
            if read.map_or(true, |read| read == 0 || buffer.starts_with(b"HTTP/1.1 408")) {
                closed = true;
                break;
            }
        }
    }
    assert!(closed, "the connection was held for {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(5), "cut off after {:?}", started.elapsed());
}

#[tokio::test]
async fn event_streams_are_capped_per_client() {
    let (gateway, _) = recording_gateway().await;
    let studio =
        proxy_in_front_of(gateway, Bounds::default(), |proxy| proxy.public_url = Some("http://127.0.0.1:9".into()))
            .await;
    let body = json!({ "reference_audio_url": "http://127.0.0.1:9/a.wav" }).to_string();
    let accepted: Value = submission(studio, body).send().await.unwrap().json().await.unwrap();
    let events = format!("http://{studio}/api/v2/requests/events/{}", accepted["request_id"].as_str().unwrap());
    let mut open = Vec::new();
    for _ in 0..16 {
        let stream = reqwest::Client::new().get(&events).send().await.unwrap();
        assert_eq!(stream.status(), 200);
        open.push(stream);
    }
    let seventeenth = reqwest::Client::new().get(&events).send().await.unwrap();
    assert_eq!(seventeenth.status(), 429, "sixteen streams per client");
}

#[tokio::test]
async fn a_client_trickling_its_body_is_answered_408() {
    let (gateway, recorder) = recording_gateway().await;
    let bounds = Bounds { body: Duration::from_secs(1), ..Bounds::default() };
    let studio = proxy_in_front_of(gateway, bounds, |_| {}).await;
    let mut connection = tokio::net::TcpStream::connect(studio).await.unwrap();
    let head = format!(
        "POST /api{GENERATE_PATH} HTTP/1.1\r\nHost: {studio}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{{"
    );
    connection.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = [0u8; 12];
    tokio::time::timeout(Duration::from_secs(5), connection.read_exact(&mut answer)).await.expect("answered").unwrap();
    assert_eq!(&answer, b"HTTP/1.1 408", "after {:?}", started.elapsed());
    assert!(recorder.bodies.lock().unwrap().is_empty());
}

#[tokio::test]
async fn connections_are_capped_per_client() {
    let (gateway, _) = recording_gateway().await;
    let bounds = Bounds { connections_per_client: 20, ..Bounds::default() };
    let studio = proxy_in_front_of(gateway, bounds, |_| {}).await;
    let mut sockets = Vec::new();
    for _ in 0..20 {
        sockets.push(tokio::net::TcpStream::connect(studio).await.unwrap());
    }
    let mut over = tokio::net::TcpStream::connect(studio).await.unwrap();
    let _ = over.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), over.read_to_end(&mut answer)).await;
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "the 21st connection is closed unanswered: {answer:?}");
    // The first twenty are served.
    sockets[0].write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.unwrap();
    let mut head = [0u8; 12];
    sockets[0].read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
}

#[tokio::test]
async fn the_page_and_the_api_say_they_may_not_be_framed_or_sniffed() {
    let studio = studio_routes(|_| {}).await;
    for path in ["/", "/api/config", "/healthz"] {
        let response = studio.call(get(path)).await;
        assert_eq!(response.status, 200, "{path}");
        assert!(response.header("content-security-policy").contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(
            (response.header("x-content-type-options"), response.header("referrer-policy")),
            ("nosniff", "no-referrer"),
            "{path}"
        );
    }
}

/// The sandbox alone, reaching only what `reach` allows, with its key.
async fn exposed_sandbox(reach: Reach, timings: Timings) -> SocketAddr {
    serve(zonos_server::sandbox_router(SandboxConfig { timings, key: Some(KEY.to_owned()), reach, synchronous: false }))
        .await
}

/// A server of the test's own on loopback: `/voice.wav` is a real reference, `/moved` redirects to it; it counts
/// the requests it gets.
async fn reference_server() -> (SocketAddr, Arc<Mutex<u32>>) {
    let hits = Arc::new(Mutex::new(0));
    let (counted, moved) = (Arc::clone(&hits), Arc::clone(&hits));
    let voice = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../zonos-sandbox/voices/basil.wav")).unwrap();
    let router = axum::Router::new()
        .route(
            "/voice.wav",
            axum::routing::get(move || async move {
                *counted.lock().unwrap() += 1;
                ([("content-type", "audio/wav")], voice)
            }),
        )
        .route(
            "/moved",
            axum::routing::get(move || async move {
                *moved.lock().unwrap() += 1;
                axum::response::Redirect::temporary("/voice.wav")
            }),
        );
    (serve(router).await, hits)
}

async fn failed_with(sandbox: SocketAddr, body: &Value) -> String {
    let (_, status) = submit_and_follow(sandbox, body).await;
    assert_eq!(status.status, JobStatus::Failed);
    status.error.unwrap()
}

#[tokio::test]
async fn an_exposed_sandbox_reaches_no_loopback_service_and_follows_no_redirect() {
    let (host, hits) = reference_server().await;
    let exposed = exposed_sandbox(Reach::default(), quick()).await;
    let error = failed_with(exposed, &request_body(&format!("http://{host}/voice.wav"))).await;
    assert_eq!(error, "the reference audio could not be fetched from its URL");
    assert_eq!(*hits.lock().unwrap(), 0, "no connection was made");
    // Webhooks likewise.
    let hooked = reqwest::Client::new()
        .post(format!("http://{exposed}{GENERATE_PATH}"))
        .header(zonos_api::API_KEY_HEADER, KEY)
        .header(zonos_api::WEBHOOK_HEADER, format!("http://{host}/hook"))
        .json(&request_body("https://cdn.example/a.wav"))
        .send()
        .await
        .unwrap();
    assert_eq!(hooked.status(), 400);

    // On loopback itself, it reaches loopback, but never where a redirect points.
    let local = exposed_sandbox(Reach { loopback: true, ..Reach::default() }, quick()).await;
    let error = failed_with(local, &request_body(&format!("http://{host}/moved"))).await;
    assert_eq!(error, "the reference audio could not be fetched from its URL");
    assert_eq!(*hits.lock().unwrap(), 1, "the redirect was asked for; its target never");
}

#[tokio::test]
async fn long_text_is_bounded_before_speaking_and_max_tokens_while_speaking() {
    let sandbox = start(None).await;
    let voice = voice_url(sandbox, "basil.wav");
    let sixty_kb = "This sentence is read again and again, far longer than any take. ".repeat(1000);
    let started = Instant::now();
    let (_, status) =
        submit_and_follow(sandbox, &json!({ "reference_audio_url": voice, "text": sixty_kb, "max_tokens": 50 })).await;
    assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());
    let (seconds, _) = measure(&audio_of(status).await);
    assert!(seconds <= 50.0 / 86.0 + 0.01, "{seconds} s for 50 frames");
    // Without max_tokens: no more than the documented most, 6144 frames.
    let (_, status) = submit_and_follow(sandbox, &json!({ "reference_audio_url": voice, "text": sixty_kb })).await;
    let (seconds, _) = measure(&audio_of(status).await);
    assert!(seconds <= 6144.0 / 86.0 + 0.01 && seconds > 30.0, "{seconds} s");
}

#[tokio::test]
async fn only_a_few_jobs_speak_at_once_and_the_others_wait_queued() {
    let process = Duration::from_millis(2_000);
    let timings = Timings { queue: Duration::from_millis(10), process };
    let sandbox = serve(zonos_server::sandbox_router(local_sandbox(timings, Some(KEY)))).await;
    let body = request_body(&voice_url(sandbox, "basil.wav"));
    let mut urls = Vec::new();
    for _ in 0..6 {
        let id = accepted(submit(sandbox, Some(KEY), &body).await).await.request_id;
        urls.push(format!("http://{sandbox}{}", zonos_api::status_path(&id)));
    }
    // Until four speak: no job ends before its process stage, long after the others' queue stage.
    let deadline = Instant::now() + Duration::from_secs(30);
    let stages = loop {
        let mut stages = Vec::new();
        for url in &urls {
            stages.push(poll(url).await.status);
        }
        if stages.iter().filter(|stage| **stage == JobStatus::Processing).count() >= 4 {
            break stages;
        }
        assert!(Instant::now() < deadline, "four jobs never spoke: {stages:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(stages.iter().filter(|stage| **stage == JobStatus::Processing).count(), 4, "{stages:?}");
    assert_eq!(stages.iter().filter(|stage| **stage == JobStatus::Queued).count(), 2, "{stages:?}");
    // And the two waited for a place, not for their queue stage: each ended a whole process stage after the first
    // of the four, whose end freed the place it took.
    let mut ends = Vec::new();
    for url in &urls {
        let ended = follow(url).await;
        assert_eq!(ended.status, JobStatus::Completed, "{:?}", ended.error);
        ends.push(humantime::parse_rfc3339(ended.completed_at.as_deref().unwrap()).unwrap());
    }
    let first = *ends.iter().min().unwrap();
    let waited = ends.iter().filter(|end| end.duration_since(first).unwrap_or_default() >= process).count();
    assert_eq!(
        waited,
        2,
        "the ends after the first: {:?}",
        ends.iter().map(|end| end.duration_since(first)).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn references_of_an_undocumented_format_or_a_rate_out_of_range_fail() {
    let sandbox = start(None).await;
    let files = axum::Router::new()
        .route(
            "/basil.flac",
            axum::routing::get(|| async {
                std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/references/basil.flac")).unwrap()
            }),
        )
        .route("/low.wav", axum::routing::get(|| async { wav_at(20) }));
    let files = serve(files).await;
    let flac = failed_with(sandbox, &request_body(&format!("http://{files}/basil.flac"))).await;
    assert!(flac.contains("could not be decoded"), "{flac}");
    let low = failed_with(sandbox, &request_body(&format!("http://{files}/low.wav"))).await;
    assert!(low.contains("outside 8–192 kHz"), "{low}");
    // The worker that refused them is still there.
    let (_, status) = submit_and_follow(sandbox, &request_body(&voice_url(sandbox, "basil.wav"))).await;
    assert_eq!(status.status, JobStatus::Completed);
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A mono 16-bit WAV of a tone at `rate` samples a second.
fn wav_at(rate: u32) -> Vec<u8> {
    let spec =
        hound::WavSpec { channels: 1, sample_rate: rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
    for index in 0..4000 {
        writer.write_sample(((index as f32 * 0.3).sin() * 8000.0) as i16).unwrap();
    }
    writer.finalize().unwrap();
    bytes.into_inner()
}

#[tokio::test]
async fn the_sandbox_s_test_controls_need_its_key_when_it_has_one() {
    let sandbox = sandbox_routes(Some(KEY));
    let fault = json!({ "fault": "submit-500" });
    let without = call(&sandbox, post_json("/__sandbox/faults", &fault)).await;
    assert_eq!((without.status.as_u16(), without.error().error.as_str()), (401, "Unauthorized"));
    assert_eq!(call(&sandbox, get("/__sandbox/stats")).await.status, 401);
    assert_eq!(call(&sandbox, get("/__sandbox/faults")).await.status, 401, "nor may they be read");
    let with = call(&sandbox, with_key(post_json("/__sandbox/faults", &fault), KEY)).await;
    assert_eq!(with.status, 200);
    assert_eq!(with.json(), json!([{ "fault": "submit-500", "count": 1, "retry_after": 1 }]));
}
