//! The gateway key reaches the gateway and nothing else: no response, no log line, no URL; nor are callback
//! tokens logged. (A test binary of its own, because it captures every log line of the process.)

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use serde_json::json;
use zonos_api::GENERATE_PATH;

/// Every log line the process writes, at debug level and above.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything a browser can see of a response: status line, headers and body.
async fn seen(response: reqwest::Response) -> String {
    let head = format!("{} {:?} {:?}", response.status(), response.url(), response.headers());
    format!("{head}\n{}", response.text().await.unwrap())
}

#[tokio::test]
async fn the_key_appears_in_no_response_log_line_or_url() {
    let logs = Logs::default();
    let writer = logs.clone();
    tracing_subscriber::fmt().with_env_filter("debug").with_ansi(false).with_writer(move || writer.clone()).init();

    // The sandbox accepts only KEY; the browser never sends it, so a completed job proves the proxy added it.
    let studio = start_studio(|_| {}).await;
    let voice = format!("http://{studio}/sandbox/__sandbox/voices/ada.wav");
    let mut seen_by_browser = Vec::new();
    let response = submit_via_proxy(studio, &request_body(&voice)).await;
    let accepted_body = seen(response).await;
    let accepted: serde_json::Value = serde_json::from_str(accepted_body.lines().last().unwrap()).unwrap();
    seen_by_browser.push(accepted_body);
    let id = accepted["request_id"].as_str().unwrap().to_owned();
    let events = reqwest::get(format!("http://{studio}/api/v2/requests/events/{id}")).await.unwrap();
    seen_by_browser.push(seen(events).await);
    let status = follow_with(&format!("http://{studio}/api/v2/requests/status/{id}"), None).await;
    assert_eq!(status.status, zonos_api::JobStatus::Completed, "{:?}", status.error);
    let media_url = &status.output.as_ref().unwrap().media_url[0];
    seen_by_browser.push(serde_json::to_string(&status).unwrap());
    let media = reqwest::Client::new().get(format!("http://{studio}/api/media")).query(&[("url", media_url)]);
    seen_by_browser.push(format!("{:?}", media.send().await.unwrap().headers()));
    seen_by_browser.push(seen(reqwest::get(format!("http://{studio}/api/config")).await.unwrap()).await);
    arm_upstream(studio, json!({ "fault": "submit-401" })).await;
    seen_by_browser.push(seen(submit_via_proxy(studio, &request_body(&voice)).await).await);
    let invalid = reqwest::Client::new().post(format!("http://{studio}/api{GENERATE_PATH}")).body("{}");
    seen_by_browser.push(seen(invalid.send().await.unwrap()).await);

    for seen in &seen_by_browser {
        assert!(!seen.contains(KEY), "the key reached the browser: {seen}");
    }
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("/api/v2/requests/status/") && logs.lines().count() > 20, "the logs were captured: {logs}");
    assert!(!logs.contains(KEY), "the key was logged");
    assert!(logs.contains("/api/webhooks/"), "the gateway's callback was logged");
    let token_logged = logs
        .match_indices("/api/webhooks/")
        .any(|(at, path)| logs[at + path.len()..].starts_with(|next: char| next.is_ascii_alphanumeric()));
    assert!(!token_logged, "a callback token was logged: {logs}");
}
