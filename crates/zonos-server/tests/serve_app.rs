//! `serve`: the built app with the right types, compression and cache headers; `/healthz`. Called in-process
//! (`oneshot`), but for paths sent exactly as written, over a real socket.

mod common;

use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;

use axum::body::Body;
use axum::http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, HOST};
use axum::http::Request;
use common::{call, Answer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zonos_server::{AllowedHosts, Bounds, ServeConfig, StartError};

const WASM: &str = "zonos-studio-0123456789abcdef_bg.wasm";
const SCRIPT: &str = "zonos-studio-0123456789abcdef.js";

/// A stand-in build of the app: a page, a script, a wasm module, and one secret beside (not inside) it.
fn fake_build() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let dist = root.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Zonos Studio</title>".repeat(20)).unwrap();
    std::fs::write(dist.join(WASM), [b"\0asm\x01\0\0\0".as_slice(), &[7u8; 4096]].concat()).unwrap();
    std::fs::write(dist.join(SCRIPT), "export default function init() { return 42; }\n".repeat(40)).unwrap();
    std::fs::write(root.path().join("secret.txt"), "the key").unwrap();
    root
}

async fn start(dist: &Path) -> SocketAddr {
    let listener = zonos_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = zonos_server::router(&config(addr, dist)).await.unwrap();
    tokio::spawn(zonos_server::serve(listener, router, Bounds::default(), std::future::pending()));
    addr
}

/// The app alone (no key, no sandbox), as `serve` without a key serves it at `addr`.
fn config(addr: SocketAddr, dist: &Path) -> ServeConfig {
    ServeConfig {
        dist: dist.to_owned(),
        sandbox: None,
        proxy: None,
        shutdown: Default::default(),
        allowed_hosts: AllowedHosts::new(addr, None, &[]),
    }
}

/// Where the app's routes are taken to be served, when called in-process.
const ADDR: &str = "127.0.0.1:8080";

/// The app's routes, as `serve` without a key serves them at [`ADDR`], to call in-process.
async fn routes(dist: &Path) -> axum::Router {
    zonos_server::router(&config(ADDR.parse().unwrap(), dist)).await.unwrap()
}

/// A GET of `path` at [`ADDR`], accepting `encodings` (the body is seen as sent, not decompressed).
async fn fetch(routes: &axum::Router, path: &str, encodings: Option<&str>) -> Answer {
    let mut request = Request::get(path).header(HOST, ADDR);
    if let Some(encodings) = encodings {
        request = request.header(ACCEPT_ENCODING, encodings);
    }
    call(routes, request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn serves_the_page_and_its_assets_with_their_types_and_cache_policy() {
    let build = fake_build();
    let routes = routes(&build.path().join("dist")).await;

    let page = fetch(&routes, "/", None).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.headers[CONTENT_TYPE], "text/html");
    assert_eq!(page.headers[CACHE_CONTROL], "no-cache");
    assert!(page.text().contains("<title>Zonos Studio</title>"));

    let wasm = fetch(&routes, &format!("/{WASM}"), None).await;
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.headers[CONTENT_TYPE], "application/wasm");
    assert_eq!(wasm.headers[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert!(wasm.body.starts_with(b"\0asm"));

    let script = fetch(&routes, &format!("/{SCRIPT}"), None).await;
    assert_eq!(script.headers[CONTENT_TYPE], "text/javascript");
}

#[tokio::test]
async fn compresses_with_brotli_when_the_browser_accepts_it() {
    let build = fake_build();
    let dist = build.path().join("dist");
    let response = fetch(&routes(&dist).await, &format!("/{SCRIPT}"), Some("br")).await;
    assert_eq!(response.headers[CONTENT_ENCODING], "br");
    let compressed = response.body;
    let mut decompressed = Vec::new();
    brotli::Decompressor::new(compressed.as_ref(), 4096).read_to_end(&mut decompressed).unwrap();
    assert_eq!(decompressed, std::fs::read(dist.join(SCRIPT)).unwrap());
    assert!(compressed.len() < decompressed.len() / 4, "{} of {} bytes", compressed.len(), decompressed.len());
}

#[tokio::test]
async fn prefers_the_build_s_precompressed_file() {
    let build = fake_build();
    let dist = build.path().join("dist");
    let precompressed = b"precompressed by the build".to_vec();
    std::fs::write(dist.join(format!("{WASM}.br")), &precompressed).unwrap();
    let response = fetch(&routes(&dist).await, &format!("/{WASM}"), Some("gzip, br")).await;
    assert_eq!(response.headers[CONTENT_ENCODING], "br");
    assert_eq!(response.headers[CONTENT_TYPE], "application/wasm");
    assert_eq!(response.body.as_ref(), precompressed.as_slice());
}

#[tokio::test]
async fn healthz_answers() {
    let build = fake_build();
    let response = fetch(&routes(&build.path().join("dist")).await, "/healthz", None).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), r#"{"status":"ok"}"#);
}

/// Sends a request line exactly as written (a client library would normalise the `..` away).
async fn raw_get(addr: SocketAddr, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test]
async fn paths_that_leave_the_build_are_refused() {
    let build = fake_build();
    let addr = start(&build.path().join("dist")).await;
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt"] {
        let response = raw_get(addr, path).await;
        assert!(response.starts_with("HTTP/1.1 404") || response.starts_with("HTTP/1.1 400"), "{path}: {response}");
        assert!(!response.contains("the key"), "{path} leaked the file");
    }
    assert!(raw_get(addr, "/index.html").await.starts_with("HTTP/1.1 200"), "the same client reads the page");
}

#[tokio::test]
async fn refuses_to_start_without_a_build() {
    let empty = tempfile::tempdir().unwrap();
    let error = zonos_server::router(&config("127.0.0.1:0".parse().unwrap(), empty.path())).await.unwrap_err();
    assert!(matches!(error, StartError::MissingApp { .. }));
    assert!(error.to_string().contains("cargo xtask demo"), "{error}");
}
