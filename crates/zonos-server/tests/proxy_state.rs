//! The proxy's state over real sockets, with the real binary: nothing is lost when the server restarts on the same
//! data directory (or Redis), and two replicas sharing one Redis act as one proxy. The gateway is a sandbox of the
//! test's own; a restart is a kill (as a crash is) and a new process on the same port.

mod common;

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::redis::RedisServer;
use common::{accepted, local_sandbox, request_body, serve, voice_url, EventStream, KEY};
use serde_json::{json, Value};
use zonos_api::{JobStatus, JobStatusResponse, ReviewMade, GENERATE_PATH};
use zonos_server::sandbox::Timings;

/// The sandbox gateway, its jobs taking `process_ms` to process.
async fn gateway(process_ms: u64) -> SocketAddr {
    let timings = Timings { queue: Duration::from_millis(50), process: Duration::from_millis(process_ms) };
    serve(zonos_server::sandbox_router(local_sandbox(timings, Some(KEY)))).await
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Where a proxy keeps its state.
enum Kept {
    DataDir(tempfile::TempDir),
    Redis(RedisServer),
}

impl Kept {
    fn both() -> [Kept; 2] {
        [Kept::DataDir(tempfile::tempdir().unwrap()), Kept::Redis(RedisServer::start())]
    }

    fn args(&self) -> Vec<String> {
        match self {
            Kept::DataDir(dir) => vec!["--data-dir".into(), dir.path().display().to_string()],
            Kept::Redis(server) => vec!["--redis".into(), server.url.clone()],
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Kept::DataDir(_) => "data dir",
            Kept::Redis(_) => "redis",
        }
    }
}

/// `zonos-server serve` in front of `gateway`, on `port`, reachable by the gateway at its own address.
struct Proxy {
    child: Child,
    addr: SocketAddr,
}

impl Proxy {
    async fn start(port: u16, gateway: SocketAddr, kept: &Kept, daily_cap: u32) -> Proxy {
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let dist = common::fake_dist();
        let child = Command::new(env!("CARGO_BIN_EXE_zonos-server"))
            .args(["serve", "--addr", &addr.to_string(), "--dist"])
            .arg(dist.path())
            .args(["--upstream", &format!("http://{gateway}"), "--public-url", &format!("http://{addr}")])
            .args(["--media-host", &gateway.to_string(), "--daily-cap", &daily_cap.to_string()])
            .args(["--rate-per-minute", "1000"])
            .args(kept.args())
            .env("ZONOS_API_KEY", KEY)
            // With Redis, the Content Credentials' key is made in the data home: the tests' own, not $HOME.
            .env("XDG_DATA_HOME", std::env::temp_dir().join("zonos-proxy-state-tests"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while reqwest::get(format!("http://{addr}/healthz")).await.is_err() {
            assert!(Instant::now() < deadline, "the proxy did not start on {addr}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The build directory is read at start-up only.
        drop(dist);
        Proxy { child, addr }
    }

    /// Killed, as by a crash: nothing is flushed on the way out.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    async fn submit(&self, gateway: SocketAddr) -> reqwest::Response {
        let body = request_body(&voice_url(gateway, "basil.wav"));
        let url = format!("http://{}/api{GENERATE_PATH}", self.addr);
        reqwest::Client::new().post(url).json(&body).send().await.unwrap()
    }

    async fn upload(&self, bytes: &[u8]) -> String {
        let url = format!("http://{}/api/references", self.addr);
        let response = reqwest::Client::new().post(url).body(bytes.to_vec()).send().await.unwrap();
        assert_eq!(response.status(), 201);
        response.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_owned()
    }

    /// The final status pushed over the job's event stream at this proxy.
    async fn pushed_final(&self, request_id: &str) -> JobStatusResponse {
        common::pushed_final(&format!("http://{}", self.addr), request_id, Duration::from_secs(30)).await
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn reference_bytes() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/references/basil.mp3")).unwrap()
}

#[tokio::test]
async fn a_restart_loses_no_reference_no_count_and_no_webhook() {
    // Long enough for the proxy to be killed and started again before the job ends.
    let gateway = gateway(3_000).await;
    for kept in Kept::both() {
        let port = free_port();
        let first = Proxy::start(port, gateway, &kept, 3).await;
        let reference = first.upload(&reference_bytes()).await;
        let job = accepted(first.submit(gateway).await).await;
        assert_eq!(first.submit(gateway).await.status(), 202, "{}", kept.name());
        first.kill();

        let second = Proxy::start(port, gateway, &kept, 3).await;
        let served = reqwest::get(&reference).await.unwrap();
        assert_eq!(served.status(), 200, "{}", kept.name());
        assert_eq!(served.bytes().await.unwrap().to_vec(), reference_bytes(), "{}: byte for byte", kept.name());
        // The webhook token was issued before the restart; the gateway calls back after it.
        let pushed = second.pushed_final(&job.request_id).await;
        assert_eq!((pushed.request_id.as_str(), pushed.status), (job.request_id.as_str(), JobStatus::Completed));
        // Two were sent before the restart: one more fits under the cap of three.
        assert_eq!(second.submit(gateway).await.status(), 202, "{}", kept.name());
        assert_eq!(second.submit(gateway).await.status(), 429, "{}: the cap counts across the restart", kept.name());
    }
}

/// `zonos-server access … usage` on what `kept` keeps: its output, failing the test if it fails.
fn access_usage(kept: &Kept, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_zonos-server"))
        .arg("access")
        .args(kept.args())
        .arg("usage")
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn the_spend_log_notes_how_each_submission_ended_and_access_usage_prints_it_after_a_restart() {
    let gateway = gateway(200).await;
    for kept in Kept::both() {
        let name = kept.name();
        let proxy = Proxy::start(free_port(), gateway, &kept, 10).await;
        let job = accepted(proxy.submit(gateway).await).await;
        let pushed = proxy.pushed_final(&job.request_id).await;
        let media_url = &pushed.output.expect("a completed job has output").media_url[0];
        let encoded: String = url::form_urlencoded::byte_serialize(media_url.as_bytes()).collect();
        let served = reqwest::get(format!("http://{}/api/media?url={encoded}", proxy.addr)).await.unwrap();
        assert_eq!(served.status(), 200, "{name}");
        let (seconds, _) = common::measure(&served.bytes().await.unwrap());
        // One the gateway refuses: sent, so logged, but with nothing to play.
        common::arm_sandbox(&format!("http://{gateway}"), serde_json::json!({ "fault": "submit-402" })).await;
        assert_eq!(proxy.submit(gateway).await.status(), 402, "{name}");
        proxy.kill();

        let csv = access_usage(&kept, &["--csv", "--since", "1d"]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.first(), Some(&"person,day,takes,completed,failed,audio_seconds"), "{name}: {csv}");
        let today = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()[..10].to_owned();
        let row: Vec<&str> = lines.get(1).unwrap_or_else(|| panic!("{name}: no row in {csv}")).split(',').collect();
        assert_eq!(row[..5], [zonos_api::OPEN_ACCESS_PERSON, &today, "2", "1", "1"], "{name}: {csv}");
        let logged: f64 = row[5].parse().unwrap();
        assert!((logged - seconds).abs() < 1e-6, "{name}: the audio served plays {seconds} s, the log says {logged}");
        assert_eq!(lines.len(), 2, "{name}: {csv}");
        let table = access_usage(&kept, &[]);
        assert!(table.lines().nth(1).is_some_and(|line| line.starts_with(&today)), "{name}: {table}");
    }
}

#[tokio::test]
async fn two_replicas_sharing_redis_act_as_one_proxy() {
    let gateway = gateway(1_000).await;
    let redis = Kept::Redis(RedisServer::start());
    let cap = 4;
    let (a, b) =
        tokio::join!(Proxy::start(free_port(), gateway, &redis, cap), Proxy::start(free_port(), gateway, &redis, cap));

    let reference = a.upload(&reference_bytes()).await;
    let name = reference.rsplit('/').next().unwrap();
    let from_b = reqwest::get(format!("http://{}/api/references/{name}", b.addr)).await.unwrap();
    assert_eq!(from_b.bytes().await.unwrap().to_vec(), reference_bytes(), "uploaded on A, served by B");

    // Submitted through A (whose webhook the gateway calls), followed on B.
    let job = accepted(a.submit(gateway).await).await;
    let pushed = b.pushed_final(&job.request_id).await;
    assert_eq!((pushed.request_id, pushed.status), (job.request_id, JobStatus::Completed));

    // The cap over both: one was sent, and of ten racing through both replicas, exactly three more are.
    let racing = (0..10).map(|index| if index % 2 == 0 { a.submit(gateway) } else { b.submit(gateway) });
    let statuses: Vec<u16> = futures_util::future::join_all(racing).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|status| **status == 202).count(), cap as usize - 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|status| **status == 429).count(), 11 - cap as usize, "{statuses:?}");
}

#[tokio::test]
async fn a_review_made_at_one_replica_is_answered_followed_and_closed_at_either() {
    let gateway = gateway(50).await;
    let redis = Kept::Redis(RedisServer::start());
    let (a, b) =
        tokio::join!(Proxy::start(free_port(), gateway, &redis, 10), Proxy::start(free_port(), gateway, &redis, 10));
    let job = accepted(a.submit(gateway).await).await;
    let media_url = a.pushed_final(&job.request_id).await.output.unwrap().media_url[0].clone();
    let consent = json!({ "voice": voice_url(gateway, "basil.wav"), "how": "Attested", "speaker": "Basil",
                          "date": "2026-12-07", "statement": "I have the speaker's permission to clone this voice." });
    let request = json!({ "title": "Basil", "items": [
        { "label": "Take 1", "text": "Hello.", "media_url": media_url, "consent": consent }
    ] });
    let client = reqwest::Client::new();
    let made = client.post(format!("http://{}/api/reviews", a.addr)).json(&request).send().await.unwrap();
    assert_eq!(made.status(), 201);
    let made: ReviewMade = made.json().await.unwrap();

    let mut at_a =
        EventStream::open(&format!("http://{}/api/reviews/{}/events?key={}", a.addr, made.token, made.owner_key)).await;
    assert_eq!(at_a.next().await.unwrap().1["tally"]["listeners"], json!(0));
    let answer = json!({ "listener": format!("{:032x}", 7), "item": 0, "stars": 4 });
    let given = client.post(format!("http://{}/r/{}/answers", b.addr, made.token)).json(&answer).send().await.unwrap();
    assert_eq!(given.status(), 204, "answered at B");
    let (name, pushed) = at_a.next().await.unwrap();
    assert_eq!(
        (name.as_str(), &pushed["tally"]["items"][0]["stars"]),
        ("tally", &json!([0, 0, 0, 1, 0])),
        "heard at A"
    );

    let close = client.post(format!("http://{}/api/reviews/{}/close", b.addr, made.token));
    assert_eq!(close.header("x-review-key", &made.owner_key).send().await.unwrap().status(), 204, "closed at B");
    assert_eq!(at_a.next().await.unwrap().1["closed"], json!(true), "A's stream says it is closed");
    let page = reqwest::get(format!("http://{}/r/{}", a.addr, made.token)).await.unwrap();
    assert_eq!(page.status(), 404, "A serves it no more");
}

/// A gateway that accepts every submission and never calls back; it answers the first at once, and holds the
/// others until `release` is sent.
struct HeldGateway {
    addr: SocketAddr,
    received: Arc<AtomicUsize>,
    release: tokio::sync::watch::Sender<bool>,
}

async fn held_gateway() -> HeldGateway {
    use axum::routing::post;
    let received = Arc::new(AtomicUsize::new(0));
    let (release, released) = tokio::sync::watch::channel(false);
    let counted = Arc::clone(&received);
    let accept = move || async move {
        if counted.fetch_add(1, Ordering::SeqCst) > 0 {
            let _ = released.clone().wait_for(|released| *released).await;
        }
        let request_id = format!("zonos-2_{}", uuid::Uuid::now_v7());
        (
            axum::http::StatusCode::ACCEPTED,
            axum::Json(serde_json::json!({ "request_id": request_id, "status": "QUEUED" })),
        )
    };
    let addr = serve(axum::Router::new().route(GENERATE_PATH, post(accept))).await;
    HeldGateway { addr, received, release }
}

#[tokio::test]
async fn a_stop_finishes_the_forwards_in_flight_and_tells_event_streams_to_reconnect() {
    let held = held_gateway().await;
    let gateway = held.addr;
    let kept = Kept::DataDir(tempfile::tempdir().unwrap());
    let mut proxy = Proxy::start(free_port(), gateway, &kept, 100).await;
    let job = accepted(proxy.submit(gateway).await).await;
    let stream =
        reqwest::get(format!("http://{}/api/v2/requests/events/{}", proxy.addr, job.request_id)).await.unwrap();
    assert_eq!(stream.status(), 200);

    let in_flight = tokio::spawn({
        let url = format!("http://{}/api{GENERATE_PATH}", proxy.addr);
        async move { reqwest::Client::new().post(url).json(&request_body("http://127.0.0.1:9/a.wav")).send().await }
    });
    // Once the gateway holds it, the forward is in flight: stop the server then.
    let deadline = Instant::now() + Duration::from_secs(10);
    while held.received.load(Ordering::SeqCst) < 2 {
        assert!(Instant::now() < deadline, "the second submission never reached the gateway");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stopped = Command::new("kill").args(["-TERM", &proxy.child.id().to_string()]).status().unwrap();
    assert!(stopped.success());

    let said = tokio::time::timeout(Duration::from_secs(5), stream.text()).await.expect("the stream ends").unwrap();
    assert!(said.contains("event: reconnect"), "{said:?}");
    // The stop has begun: only now does the gateway answer the forward it held.
    assert!(!in_flight.is_finished(), "the forward in flight was answered before the gateway answered it");
    held.release.send_replace(true);
    let answer = in_flight.await.unwrap().expect("the forward in flight is answered");
    assert_eq!(answer.status(), 202, "the submission sent before the stop was finished, not cut off");
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(status) = proxy.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit after its forwards ended");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit:?}");
    // Stopped: no longer accepting.
    assert!(reqwest::get(format!("http://{}/healthz", proxy.addr)).await.is_err());
}
