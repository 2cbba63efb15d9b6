//! What the proxy answers is what the app reads: its offer is the one the app's own tests parse
//! (`zonos-api/tests/fixtures/proxy-offer.json`, read by `tests/connection.rs` in the browser), and its upload answer
//! reads as the contract's type, which the app parses. Both are answered by the routes alone: called in-process.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::*;
use serde_json::Value;
use zonos_api::{AudioFormat, ProxyOffer, UploadedReference};

/// Where the fixture was taken from: the proxy's address in it, which each test run's differs from.
const FIXTURE_ADDRESS: &str = "127.0.0.1:8080";

#[tokio::test]
async fn the_offer_is_the_one_the_app_is_tested_with() {
    let studio = studio_routes(|_| {}).await;
    let answer = studio.call(get("/config.json")).await;
    assert_eq!(answer.status, 200);
    let answer = answer.text();
    let fixture = include_str!("../../zonos-api/tests/fixtures/proxy-offer.json");
    let as_fixture: Value = serde_json::from_str(&answer.replace(&studio.addr.to_string(), FIXTURE_ADDRESS)).unwrap();
    assert_eq!(as_fixture, serde_json::from_str::<Value>(fixture).unwrap());
    assert!(serde_json::from_str::<ProxyOffer>(&answer).unwrap().proxy);
}

#[tokio::test]
async fn an_upload_answer_reads_as_the_app_reads_it() {
    let studio = studio_routes(|_| {}).await;
    let mp3 = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/references/basil.mp3")).unwrap();
    let size = mp3.len() as u64;
    let response = studio.call(Request::post("/api/references").body(Body::from(mp3)).unwrap()).await;
    assert_eq!(response.status, 201);
    let uploaded: UploadedReference = serde_json::from_value(response.json()).unwrap();
    assert_eq!((uploaded.media_type.as_str(), uploaded.size), (AudioFormat::Mp3.content_type(), size));
    let at_the_studio = format!("http://{}/api/references/", studio.addr);
    assert!(uploaded.url.starts_with(&at_the_studio) && uploaded.url.ends_with(".mp3"), "{}", uploaded.url);
}
