//! What the server's tests share: a sandbox on a free port, the documented calls, audio measurement; and the routes
//! called in-process with `oneshot` ([`call`], [`Studio`]) where the subject is route logic and no socket is needed.
#![allow(dead_code)] // each test binary uses its own part of these helpers

pub mod oidc;
pub mod redis;

use std::io::Cursor;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;
use zonos_api::{JobStatus, JobStatusResponse, SubmitAccepted, API_KEY_HEADER, GENERATE_PATH};
use zonos_server::sandbox::reach::Reach;
use zonos_server::sandbox::{reference, SandboxConfig, Snapshot, Timings, SAMPLE_RATE};
use zonos_server::Bounds;

pub const KEY: &str = "sk-test-7f3a9c2e51";

pub fn quick() -> Timings {
    Timings { queue: Duration::from_millis(30), process: Duration::from_millis(30) }
}

/// Serves `router` on a free loopback port until the test ends.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let listener = zonos_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = listener.local_addr().unwrap();
    serve_on(listener, router);
    addr
}

/// Serves `router` on `listener` until the test ends, within the default bounds.
pub fn serve_on(listener: tokio::net::TcpListener, router: axum::Router) {
    tokio::spawn(zonos_server::serve(listener, router, Bounds::default(), std::future::pending()));
}

/// A sandbox as the tests run it, on loopback (which it may then reach: its own sample voices).
pub fn local_sandbox(timings: Timings, key: Option<&str>) -> SandboxConfig {
    SandboxConfig {
        timings,
        key: key.map(str::to_owned),
        reach: Reach { loopback: true, ..Reach::default() },
        synchronous: false,
    }
}

/// The sandbox alone, as `zonos-server sandbox` runs it, with short stages.
pub async fn start(key: Option<&str>) -> SocketAddr {
    serve(zonos_server::sandbox_router(local_sandbox(quick(), key))).await
}

/// What `serve` serves, listening at `local`: the names it answers to are its address's and the public URL's.
pub fn serve_config(
    local: SocketAddr,
    dist: std::path::PathBuf,
    sandbox: Option<SandboxConfig>,
    proxy: Option<zonos_server::proxy::ProxyConfig>,
) -> zonos_server::ServeConfig {
    let public_url = proxy.as_ref().and_then(|proxy| proxy.public_url.clone());
    let allowed_hosts = zonos_server::AllowedHosts::new(local, public_url.as_deref(), &[]);
    zonos_server::ServeConfig { dist, sandbox, proxy, shutdown: Default::default(), allowed_hosts }
}

/// One of the sandbox's own sample voices, reached over the socket like any reference.
pub fn voice_url(addr: SocketAddr, file: &str) -> String {
    format!("http://{addr}/__sandbox/voices/{file}")
}

pub fn request_body(reference_audio_url: &str) -> Value {
    json!({
        "reference_audio_url": reference_audio_url,
        "text": "The quick brown fox jumps over the lazy dog.",
        "language": "en_us",
        "seed": 7
    })
}

pub async fn submit(addr: SocketAddr, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = reqwest::Client::new().post(format!("http://{addr}{GENERATE_PATH}")).json(body);
    if let Some(key) = key {
        request = request.header(API_KEY_HEADER, key);
    }
    request.send().await.unwrap()
}

pub async fn poll(url: &str) -> JobStatusResponse {
    poll_with(url, Some(KEY)).await
}

/// A status call with `key`, or with none as a browser calls the proxy.
pub async fn poll_with(url: &str, key: Option<&str>) -> JobStatusResponse {
    let mut request = reqwest::Client::new().get(url);
    if let Some(key) = key {
        request = request.header(API_KEY_HEADER, key);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Polls the sandbox until the job ends.
pub async fn follow(polling_url: &str) -> JobStatusResponse {
    follow_with(polling_url, Some(KEY)).await
}

/// Polls until the job ends (within a generous deadline), checking the documented flow on the way.
pub async fn follow_with(polling_url: &str, key: Option<&str>) -> JobStatusResponse {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    loop {
        let status = poll_with(polling_url, key).await;
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

pub async fn accepted(response: reqwest::Response) -> SubmitAccepted {
    assert_eq!(response.status(), 202);
    response.json().await.unwrap()
}

pub async fn submit_and_follow(addr: SocketAddr, body: &Value) -> (String, JobStatusResponse) {
    let accepted = accepted(submit(addr, Some(KEY), body).await).await;
    let polling_url = accepted.polling_url.expect("an absolute polling_url");
    (accepted.request_id, follow(&polling_url).await)
}

/// The audio of a completed job.
pub async fn audio_of(status: JobStatusResponse) -> Vec<u8> {
    assert_eq!(status.status, JobStatus::Completed, "{:?}", status.error);
    download(&status.output.expect("a completed job has output").media_url[0]).await
}

pub async fn download(url: &str) -> Vec<u8> {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "audio/wav");
    response.bytes().await.unwrap().to_vec()
}

/// Seconds of audio and the RMS level (0–1) of a mono 16-bit WAV at the sandbox's rate.
pub fn measure(wav: &[u8]) -> (f64, f64) {
    let mut reader = hound::WavReader::new(Cursor::new(wav)).unwrap();
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.sample_rate, spec.bits_per_sample), (1, SAMPLE_RATE, 16));
    let samples: Vec<f64> = reader.samples::<i16>().map(|sample| f64::from(sample.unwrap()) / 32768.0).collect();
    let rms = (samples.iter().map(|sample| sample * sample).sum::<f64>() / samples.len().max(1) as f64).sqrt();
    (samples.len() as f64 / f64::from(SAMPLE_RATE), rms)
}

/// The speaker's pitch in Hz, by the sandbox's own estimator.
pub fn pitch_of(audio: &[u8]) -> f32 {
    reference::decode(audio.to_vec()).unwrap().pitch_hz().unwrap()
}

/// The sandbox's test controls at `base`, with the key: a sandbox given a key answers them only with it.
fn controls(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    request.header(API_KEY_HEADER, KEY)
}

pub async fn stats(addr: SocketAddr) -> Snapshot {
    sandbox_stats(&format!("http://{addr}")).await
}

async fn sandbox_stats(base: &str) -> Snapshot {
    let request = controls(reqwest::Client::new().get(format!("{base}/__sandbox/stats")));
    request.send().await.unwrap().json().await.unwrap()
}

/// A stand-in build of the app, enough for `serve` to start.
pub fn fake_dist() -> tempfile::TempDir {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>Zonos Studio</title>").unwrap();
    dist
}

/// `serve --sandbox` as the demo runs it (sandbox key `KEY`, short stages), with `adjust` applied to the proxy.
pub async fn start_studio(adjust: impl FnOnce(&mut zonos_server::proxy::ProxyConfig)) -> SocketAddr {
    start_studio_with(local_sandbox(quick(), Some(KEY)), adjust).await
}

/// `serve --sandbox` with this sandbox, and `adjust` applied to the proxy.
pub async fn start_studio_with(
    sandbox: SandboxConfig,
    adjust: impl FnOnce(&mut zonos_server::proxy::ProxyConfig),
) -> SocketAddr {
    let listener = zonos_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let local = listener.local_addr().unwrap();
    let mut proxy = zonos_server::proxy::ProxyConfig::for_sandbox(local, &sandbox, temporary_store());
    adjust(&mut proxy);
    // The build directory must outlive the server: it is left for the OS to clean up.
    let dist = fake_dist().keep();
    let config = serve_config(local, dist, Some(sandbox), Some(proxy));
    serve_on(listener, zonos_server::router(&config).await.unwrap());
    local
}

/// An embedded store of the test's own, in a directory left for the OS to clean up (it outlives the server).
pub fn temporary_store() -> zonos_server::store::StoreConfig {
    zonos_server::store::StoreConfig::Embedded { data_dir: tempfile::tempdir().unwrap().keep() }
}

/// A submission through the proxy, as the browser sends it: no key.
pub async fn submit_via_proxy(studio: SocketAddr, body: &Value) -> reqwest::Response {
    reqwest::Client::new().post(format!("http://{studio}/api{GENERATE_PATH}")).json(body).send().await.unwrap()
}

/// The final status pushed over a job's event stream at the proxy at `base` (`http://host:port`), within `within`.
pub async fn pushed_final(base: &str, request_id: &str, within: Duration) -> JobStatusResponse {
    let response = reqwest::get(format!("{base}/api/v2/requests/events/{request_id}")).await.unwrap();
    assert_eq!(response.status(), 200);
    let body = tokio::time::timeout(within, response.text()).await.expect("pushed in time").unwrap();
    let data = body
        .split("\n\n")
        .find(|event| event.contains("event: status"))
        .and_then(|event| event.lines().find_map(|line| line.strip_prefix("data: ")))
        .unwrap_or_else(|| panic!("no status event in {body:?}"));
    serde_json::from_str(data).unwrap()
}

/// The sandbox's stats behind `serve --sandbox`.
pub async fn upstream_stats(studio: SocketAddr) -> Snapshot {
    sandbox_stats(&format!("http://{studio}/sandbox")).await
}

/// Arms a fault in the sandbox behind `serve --sandbox`.
pub async fn arm_upstream(studio: SocketAddr, fault: Value) {
    arm_sandbox(&format!("http://{studio}/sandbox"), fault).await
}

/// Arms a fault in the sandbox at `base` (`http://host:port`, and its mount if any).
pub async fn arm_sandbox(base: &str, fault: Value) {
    let url = format!("{base}/__sandbox/faults");
    let response = controls(reqwest::Client::new().post(url)).json(&fault).send().await.unwrap();
    assert_eq!(response.status(), 200, "{fault}");
}

/// The peer every in-process request comes from, unless it says otherwise: a client on loopback.
pub fn peer() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 50_000))
}

/// A whole answer of a router called in-process.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// The body as JSON (failing the test if it isn't).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("{}: not JSON ({error}): {:?}", self.status, self.text()))
    }

    /// The body in the documented error shape.
    pub fn error(&self) -> zonos_api::ErrorBody {
        serde_json::from_value(self.json()).unwrap()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value as text; empty when it is absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(|value| value.to_str().unwrap()).unwrap_or_default()
    }
}

/// Calls `router` in-process (`tower::ServiceExt::oneshot`), as from [`peer`] unless the request gives its own
/// `ConnectInfo`, and reads the whole answer.
pub async fn call(router: &axum::Router, mut request: Request<Body>) -> Answer {
    if request.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
        request.extensions_mut().insert(ConnectInfo(peer()));
    }
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    Answer { status: parts.status, headers: parts.headers, body }
}

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// A POST of `body` as JSON.
pub fn post_json(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri).header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())).unwrap()
}

/// `request` with the key.
pub fn with_key(mut request: Request<Body>, key: &str) -> Request<Body> {
    request.headers_mut().insert(API_KEY_HEADER, HeaderValue::from_str(key).unwrap());
    request
}

/// A reference URL on loopback where nothing is served: for calls refused before any reference is fetched.
pub const UNSERVED_REFERENCE: &str = "http://127.0.0.1:9/a.wav";

/// The sandbox alone (`zonos-server sandbox`'s routes, with short stages), to call in-process.
pub fn sandbox_routes(key: Option<&str>) -> axum::Router {
    zonos_server::sandbox_router(local_sandbox(quick(), key))
}

/// The stats of the sandbox `routes` (alone, or as mounted at `mount`), called in-process with the key.
pub async fn stats_in(routes: &axum::Router, mount: &str) -> Snapshot {
    serde_json::from_value(call(routes, with_key(get(&format!("{mount}/__sandbox/stats")), KEY)).await.json()).unwrap()
}

/// `serve --sandbox`'s routes, called in-process: no socket serves them. Its address is a loopback listener that
/// nothing accepts on, so that anything calling it (the proxy calling its upstream, the sandbox mounted there,
/// or the sandbox calling back) would show as a connection waiting: see [`Studio::assert_unreached`].
pub struct Studio {
    pub router: axum::Router,
    pub addr: SocketAddr,
    listener: std::net::TcpListener,
}

impl Studio {
    /// Calls the routes as a browser at the studio's address would: with its Host, unless the request names one.
    pub async fn call(&self, mut request: Request<Body>) -> Answer {
        if !request.headers().contains_key(header::HOST) {
            request.headers_mut().insert(header::HOST, HeaderValue::from_str(&self.addr.to_string()).unwrap());
        }
        call(&self.router, request).await
    }

    /// Nothing has connected to the studio's address: no call went upstream (on loopback, a connection attempt is
    /// in the listener's queue by the time it returns).
    pub fn assert_unreached(&self) {
        self.listener.set_nonblocking(true).unwrap();
        match self.listener.accept() {
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("something called the studio's address: {other:?}"),
        }
    }
}

/// `serve --sandbox`'s routes as [`start_studio`] serves them, with `adjust` applied to the proxy, to call in-process.
pub async fn studio_routes(adjust: impl FnOnce(&mut zonos_server::proxy::ProxyConfig)) -> Studio {
    routes(true, adjust).await
}

/// `serve`'s routes with the proxy configured as for the sandbox and then `adjust`ed, and the sandbox mounted or
/// not, to call in-process.
pub async fn routes(mounted: bool, adjust: impl FnOnce(&mut zonos_server::proxy::ProxyConfig)) -> Studio {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let sandbox = local_sandbox(quick(), Some(KEY));
    let mut proxy = zonos_server::proxy::ProxyConfig::for_sandbox(addr, &sandbox, temporary_store());
    adjust(&mut proxy);
    let config = serve_config(addr, fake_dist().keep(), mounted.then_some(sandbox), Some(proxy));
    Studio { router: zonos_server::router(&config).await.unwrap(), addr, listener }
}

/// An SSE response, read event by event.
pub struct EventStream {
    response: reqwest::Response,
    pending: String,
}

impl EventStream {
    pub async fn open(url: &str) -> EventStream {
        let response = reqwest::get(url).await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        EventStream { response, pending: String::new() }
    }

    /// The next event's name and data (JSON if it reads as JSON; keep-alive comments skipped), or none once the
    /// stream has ended. Panics if none comes within 10 s.
    pub async fn next(&mut self) -> Option<(String, Value)> {
        loop {
            if let Some(end) = self.pending.find("\n\n") {
                let event: String = self.pending.drain(..end + 2).collect();
                let field = |name: &str| {
                    event.lines().find_map(|line| line.strip_prefix(name)).map(|value| value.trim().to_owned())
                };
                let (Some(name), Some(data)) = (field("event:"), field("data:")) else { continue };
                return Some((name, serde_json::from_str(&data).unwrap_or(Value::String(data))));
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk()).await;
            self.pending.push_str(&String::from_utf8_lossy(&chunk.expect("an event within 10 s").unwrap()?));
        }
    }
}
