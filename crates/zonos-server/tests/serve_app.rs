//! `serve` over real sockets: the built app with the right types, compression and cache headers; `/healthz`.

use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;

use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zonos_server::{AllowedHosts, Bounds, ServeConfig, StartError};

const WASM: &str = "zonos-studio-0123456789abcdef_bg.wasm";
const SCRIPT: &str = "zonos-studio-0123456789abcdef.js";

/// A stand-in trunk build: a page, a script, a wasm module, and one secret beside (not inside) it.
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

/// A client that shows bodies as sent, without decompressing them.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder().no_brotli().build().unwrap()
}

#[tokio::test]
async fn serves_the_page_and_its_assets_with_their_types_and_cache_policy() {
    let build = fake_build();
    let addr = start(&build.path().join("dist")).await;
    let client = raw_client();

    let page = client.get(format!("http://{addr}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()[CONTENT_TYPE], "text/html");
    assert_eq!(page.headers()[CACHE_CONTROL], "no-cache");
    assert!(page.text().await.unwrap().contains("<title>Zonos Studio</title>"));

    let wasm = client.get(format!("http://{addr}/{WASM}")).send().await.unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(wasm.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert!(wasm.bytes().await.unwrap().starts_with(b"\0asm"));

    let script = client.get(format!("http://{addr}/{SCRIPT}")).send().await.unwrap();
    assert_eq!(script.headers()[CONTENT_TYPE], "text/javascript");
}

#[tokio::test]
async fn compresses_with_brotli_when_the_browser_accepts_it() {
    let build = fake_build();
    let dist = build.path().join("dist");
    let addr = start(&dist).await;
    let response =
        raw_client().get(format!("http://{addr}/{SCRIPT}")).header(ACCEPT_ENCODING, "br").send().await.unwrap();
    assert_eq!(response.headers()[CONTENT_ENCODING], "br");
    let compressed = response.bytes().await.unwrap();
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
    let addr = start(&dist).await;
    let response =
        raw_client().get(format!("http://{addr}/{WASM}")).header(ACCEPT_ENCODING, "gzip, br").send().await.unwrap();
    assert_eq!(response.headers()[CONTENT_ENCODING], "br");
    assert_eq!(response.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(response.bytes().await.unwrap().as_ref(), precompressed.as_slice());
}

#[tokio::test]
async fn healthz_answers() {
    let build = fake_build();
    let addr = start(&build.path().join("dist")).await;
    let response = raw_client().get(format!("http://{addr}/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), r#"{"status":"ok"}"#);
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
