//! `--access header`, in-process: the name a reverse proxy gives is believed from it only. And `--access codes`,
//! in-process: what needs a session and what never does, signing in with a code (only its hash
//! in the store), a wrong code, signing out, a session ended for every replica by revoking its person, calls that
//! change something refused unless they come from the studio's own page, and a person's budget.

mod common;

use axum::body::Body;
use axum::http::{header, Request};
use common::*;
use serde_json::json;
use zonos_api::GENERATE_PATH;
use zonos_server::access::codes::{self, Grant};
use zonos_server::access::{AccessMode, Grants};
use zonos_server::net::client::TrustedProxies;
use zonos_server::store::{Budget, Store, StoreConfig};

/// An unissued request id's status: refused with 404 past the guard, before anything goes upstream.
const STATUS_OF_UNISSUED: &str = "/api/v2/requests/status/zonos-2_01a24d35-0790-7150-b458-77cfc1953992";

/// A store with one code for `ada`, and the code.
async fn store_with_a_code() -> (StoreConfig, String) {
    let config = temporary_store();
    let store = Store::open(&config).await.unwrap();
    let (code, record) = codes::mint("ada", Grant::default()).unwrap();
    store.put_code(&record.id, &serde_json::to_string(&record).unwrap()).await.unwrap();
    (config, code)
}

async fn studio_with_codes(store: StoreConfig) -> Studio {
    studio_routes(|proxy| {
        proxy.access.mode = AccessMode::Codes;
        proxy.store = store;
    })
    .await
}

/// `request` as the studio's own page sends it: its Origin names the host it is sent to.
fn from_page(mut request: Request<Body>) -> Request<Body> {
    request.headers_mut().insert(header::HOST, "localhost:8080".parse().unwrap());
    request.headers_mut().insert(header::ORIGIN, "http://localhost:8080".parse().unwrap());
    request
}

/// A POST of `body` as JSON from the studio's own page.
fn page_post(uri: &str, body: &serde_json::Value) -> Request<Body> {
    from_page(post_json(uri, body))
}

fn with_cookie(mut request: Request<Body>, set_cookie: &str) -> Request<Body> {
    let pair = set_cookie.split(';').next().unwrap();
    request.headers_mut().insert(header::COOKIE, pair.parse().unwrap());
    request
}

fn request_body_for(studio: &Studio) -> serde_json::Value {
    request_body(&voice_url(studio.addr, "ada.wav"))
}

#[tokio::test]
async fn without_a_session_the_api_is_refused_but_the_config_and_the_gateways_calls_are_not() {
    let (store, _) = store_with_a_code().await;
    let studio = studio_with_codes(store).await;
    for refused in [
        studio.call(page_post(&format!("/api{GENERATE_PATH}"), &request_body_for(&studio))).await,
        studio.call(get(STATUS_OF_UNISSUED)).await,
        studio.call(get("/api/media?url=http%3A%2F%2F127.0.0.1%3A9%2Fa.wav")).await,
        studio.call(from_page(Request::post("/api/references").body(Body::from(vec![0u8; 64])).unwrap())).await,
    ] {
        assert_eq!(refused.status, 401, "{}", refused.text());
        assert_eq!(refused.error().error, "Sign In Required");
        assert!(refused.error().message.contains("access code"), "{}", refused.text());
        assert!(refused.header("www-authenticate").starts_with("ZonosStudio"), "no browser dialog");
    }
    let config = studio.call(get("/api/config")).await;
    assert_eq!((config.status.as_u16(), &config.json()["sign_in"]), (200, &json!(true)), "the app is asked to sign in");
    // What the gateway calls keeps its own checks: an unknown webhook token, a reference never stored.
    let webhook = studio.call(post_json("/api/webhooks/unknown-token", &json!({}))).await;
    assert_ne!(webhook.status, 401, "{}", webhook.text());
    assert_eq!(studio.call(get("/api/references/0000.wav")).await.status, 404);
    studio.assert_unreached();
}

#[tokio::test]
async fn the_right_code_opens_a_session_a_wrong_one_is_refused_and_signing_out_ends_it() {
    let (store, code) = store_with_a_code().await;
    let studio = studio_with_codes(store).await;
    // A code of the same shape that was never put in the store.
    let (other_code, _) = codes::mint("ada", Grant::default()).unwrap();
    for wrong in [other_code.as_str(), "not a code", ""] {
        let refused = studio.call(page_post("/api/access/sign-in", &json!({ "code": wrong }))).await;
        assert_eq!((refused.status.as_u16(), refused.error().error.as_str()), (401, "Wrong Code"), "{wrong:?}");
        assert!(refused.header("set-cookie").is_empty());
    }
    let signed_in = studio.call(page_post("/api/access/sign-in", &json!({ "code": format!(" {code} ") }))).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    assert_eq!(signed_in.json()["person"], "ada");
    let cookie = signed_in.header("set-cookie").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert_eq!(studio.call(with_cookie(get(STATUS_OF_UNISSUED), &cookie)).await.status, 404, "past the guard");
    assert_eq!(studio.call(with_cookie(get("/api/config"), &cookie)).await.json()["sign_in"], false);

    // Signing in again hands a new session and ends the one presented.
    let again = studio.call(with_cookie(page_post("/api/access/sign-in", &json!({ "code": code })), &cookie)).await;
    let rotated = again.header("set-cookie").to_owned();
    assert_ne!(rotated, cookie);
    assert_eq!(studio.call(with_cookie(get(STATUS_OF_UNISSUED), &cookie)).await.status, 401, "the old session");
    assert_eq!(studio.call(with_cookie(get(STATUS_OF_UNISSUED), &rotated)).await.status, 404);

    let out = studio.call(with_cookie(page_post("/api/access/sign-out", &json!({})), &rotated)).await;
    assert_eq!(out.status, 204);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(studio.call(with_cookie(get(STATUS_OF_UNISSUED), &rotated)).await.status, 401, "signed out");
    studio.assert_unreached();
}

#[tokio::test]
async fn revoking_a_person_ends_their_sessions_on_another_replica() {
    let redis = common::redis::RedisServer::start();
    let store = StoreConfig::Redis { url: redis.url.clone() };
    let admin = Store::open(&store).await.unwrap();
    let (code, record) = codes::mint("ada", Grant::default()).unwrap();
    admin.put_code(&record.id, &serde_json::to_string(&record).unwrap()).await.unwrap();
    let (replica_a, replica_b) = (studio_with_codes(store.clone()).await, studio_with_codes(store).await);
    let signed_in = replica_a.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await;
    let cookie = signed_in.header("set-cookie").to_owned();
    assert_eq!(replica_b.call(with_cookie(get(STATUS_OF_UNISSUED), &cookie)).await.status, 404, "B knows it");

    admin.remove_code(&record.id).await.unwrap();
    admin.end_sessions_of("ada").await.unwrap();
    assert_eq!(replica_b.call(with_cookie(get(STATUS_OF_UNISSUED), &cookie)).await.status, 401, "ended on B");
    assert_eq!(replica_a.call(with_cookie(get(STATUS_OF_UNISSUED), &cookie)).await.status, 401, "and on A");
    let refused = replica_a.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await;
    assert_eq!(refused.status, 401, "the code is gone");
}

/// `zonos-server access …` on the data directory `data_dir`: its output, failing the test if it fails.
/// Awaited, not blocking: a server of the test's own (in this runtime) may be the one that answers it.
async fn access_command(data_dir: &std::path::Path, args: &[&str]) -> String {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_zonos-server"))
        .args(["access", "--data-dir"])
        .arg(data_dir)
        .args(args)
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn the_cli_makes_a_code_that_signs_in_lists_it_without_its_secret_and_revokes_it() {
    let data_dir = tempfile::tempdir().unwrap();
    let added = access_command(data_dir.path(), &["add", "ada", "--expires", "7d"]).await;
    let code = added.trim().rsplit(' ').next().unwrap().to_owned();
    let (id, secret) = codes::split(&code).unwrap_or_else(|| panic!("no code in {added:?}"));
    let listed = access_command(data_dir.path(), &["list"]).await;
    assert!(listed.contains("ada") && listed.contains(id) && !listed.contains("expires never"), "{listed}");
    assert!(!listed.contains(secret), "the list shows a secret: {listed}");

    let store = StoreConfig::Embedded { data_dir: data_dir.path().to_owned() };
    {
        let studio = studio_with_codes(store.clone()).await;
        let signed_in = studio.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await;
        assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    }
    let revoked = access_command(data_dir.path(), &["revoke", "ada"]).await;
    assert!(revoked.contains("1 code"), "{revoked}");
    let studio = studio_with_codes(store).await;
    let refused = studio.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await;
    assert_eq!(refused.status, 401);
}

#[tokio::test]
async fn an_invite_link_uses_nothing_when_followed_and_signs_in_as_many_times_as_it_has_uses() {
    let data_dir = tempfile::tempdir().unwrap();
    let made =
        access_command(data_dir.path(), &["invite", "carol", "--uses", "2", "--url", "https://example.com/studio/"])
            .await;
    let link = made.trim().rsplit(' ').next().unwrap().to_owned();
    let code = link.strip_prefix("https://example.com/studio/join/").unwrap_or_else(|| panic!("{made}")).to_owned();
    let (id, secret) = codes::split(&code).unwrap();
    let listed = access_command(data_dir.path(), &["list"]).await;
    assert!(listed.contains("carol") && listed.contains("2 of 2 use(s) left") && !listed.contains(secret), "{listed}");

    let store = StoreConfig::Embedded { data_dir: data_dir.path().to_owned() };
    {
        let studio = studio_with_codes(store).await;
        // Followed (a link preview fetches it too): the page, at the studio's address, with the code in the fragment.
        for _ in 0..3 {
            let followed = studio.call(get(&format!("/join/{code}"))).await;
            assert_eq!(followed.status, 303);
            assert_eq!(followed.header("location"), format!("../#join={code}"));
        }
        let not_a_code = studio.call(get("/join/%3Cscript%3E")).await;
        assert_eq!((not_a_code.status.as_u16(), not_a_code.header("location")), (303, "../"));
        // A mistyped code spends no use.
        let mistyped = format!("{id}-{}", "0".repeat(32));
        assert_eq!(studio.call(page_post("/api/access/sign-in", &json!({ "code": mistyped }))).await.status, 401);
        for _ in 0..2 {
            let signed_in = studio.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await;
            assert_eq!((signed_in.status.as_u16(), &signed_in.json()["person"]), (200, &json!("carol")));
        }
        let used_up = studio.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await;
        assert_eq!((used_up.status.as_u16(), used_up.error().error.as_str()), (401, "Wrong Code"));
        assert!(used_up.error().message.contains("used up"), "{}", used_up.text());
    }
    let listed = access_command(data_dir.path(), &["list"]).await;
    assert!(listed.contains("0 of 2 use(s) left"), "{listed}");
}

#[tokio::test]
async fn an_admin_reads_the_spend_log_and_revokes_a_person_which_nobody_else_may() {
    let config = temporary_store();
    let (admin_code, code) = {
        let store = Store::open(&config).await.unwrap();
        let mut made = Vec::new();
        for (name, admin) in [("olga", true), ("bea", false)] {
            let (code, record) = codes::mint(name, Grant { admin, ..Grant::default() }).unwrap();
            store.put_code(&record.id, &serde_json::to_string(&record).unwrap()).await.unwrap();
            made.push(code);
        }
        let spend = |id: &str, person: &str, status: &str| zonos_server::store::Spend {
            id: id.into(),
            at: zonos_server::store::now_secs(),
            person: person.into(),
            settings: "{}".into(),
            status: status.into(),
            audio_seconds: Some(1.5),
        };
        for entry in [spend("a", "bea", "COMPLETED"), spend("b", "bea", "HTTP 402"), spend("c", "olga", "COMPLETED")] {
            store.record_spend(&entry).await.unwrap();
        }
        (made.remove(0), made.remove(0))
    };
    let studio = studio_with_codes(config).await;
    let sign_in = |code: String| {
        let studio = &studio;
        async move {
            let signed_in = studio.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await;
            signed_in.header("set-cookie").to_owned()
        }
    };
    let (olga, bea) = (sign_in(admin_code).await, sign_in(code).await);
    let session = studio.call(with_cookie(get("/api/access/session"), &olga)).await.json();
    assert_eq!((&session["person"], &session["admin"]), (&json!("olga"), &json!(true)));

    // Not an admin: neither the log nor a revoke.
    let refused = studio.call(with_cookie(get("/api/access/usage"), &bea)).await;
    assert_eq!(
        (refused.status.as_u16(), refused.error().message.as_str()),
        (403, "Only an admin of this studio may do that.")
    );
    let revoke = |name: &str| page_post("/api/access/revoke", &json!({ "name": name }));
    assert_eq!(studio.call(with_cookie(revoke("olga"), &bea)).await.status, 403);

    let log = studio.call(with_cookie(get("/api/access/usage?days=1"), &olga)).await;
    let rows: Vec<zonos_api::UsageRow> = serde_json::from_str(&log.text()).unwrap();
    let summary: Vec<_> = rows.iter().map(|row| (row.person.as_str(), row.takes, row.completed, row.failed)).collect();
    assert_eq!(summary, [("bea", 2, 1, 1), ("olga", 1, 1, 0)]);
    assert_eq!(rows[0].audio_seconds, 3.0);

    // Revoking takes the studio's page too, and never the admin's own session.
    let mut elsewhere = with_cookie(revoke("bea"), &olga);
    elsewhere.headers_mut().insert(header::ORIGIN, "https://attacker.example".parse().unwrap());
    assert_eq!(studio.call(elsewhere).await.status, 403);
    assert!(studio.call(with_cookie(revoke("olga"), &olga)).await.error().message.contains("themself"));
    let revoked = studio.call(with_cookie(revoke("bea"), &olga)).await;
    assert_eq!((revoked.status.as_u16(), &revoked.json()["codes"]), (200, &json!(1)));
    assert_eq!(studio.call(with_cookie(get(STATUS_OF_UNISSUED), &bea)).await.status, 401, "bea's session ended");
    assert_eq!(studio.call(with_cookie(get(STATUS_OF_UNISSUED), &olga)).await.status, 404, "olga's did not");
}

#[tokio::test]
async fn a_code_keeps_its_last_sessions_open_and_ends_the_oldest() {
    let (store, code) = store_with_a_code().await;
    let studio = studio_with_codes(store).await;
    let mut cookies = Vec::new();
    for _ in 0..=zonos_server::access::SESSIONS_PER_CODE {
        let signed_in = studio.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await;
        cookies.push(signed_in.header("set-cookie").to_owned());
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let statuses: Vec<u16> = futures_util::future::join_all(
        cookies
            .iter()
            .map(|cookie| async { studio.call(with_cookie(get(STATUS_OF_UNISSUED), cookie)).await.status.as_u16() }),
    )
    .await;
    let mut expected = vec![404; cookies.len()];
    expected[0] = 401;
    assert_eq!(statuses, expected, "the first session ended; the last three are open");
}

#[tokio::test]
async fn guessing_codes_is_bounded_per_client_and_per_code() {
    let (store, code) = store_with_a_code().await;
    let studio = studio_with_codes(store).await;
    let (id, _) = codes::split(&code).unwrap();
    // Five wrong secrets for the one code: the sixth try, even the right one, waits.
    for _ in 0..5 {
        let wrong = format!("{id}-{}", "0".repeat(32));
        assert_eq!(studio.call(page_post("/api/access/sign-in", &json!({ "code": wrong }))).await.status, 401);
    }
    let held = studio.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await;
    assert_eq!(held.status, 429, "{}", held.text());
    assert!(held.header("retry-after").parse::<u64>().unwrap() >= 1);
    // Other codes, from the same client: up to its own bound of ten a minute.
    let others: Vec<u16> = futures_util::future::join_all((0..5).map(|_| {
        let (other, _) = codes::mint("basil", Grant::default()).unwrap();
        let request = page_post("/api/access/sign-in", &json!({ "code": other }));
        async { studio.call(request).await.status.as_u16() }
    }))
    .await;
    assert_eq!(others.iter().filter(|&&status| status == 401).count(), 4, "{others:?}");
    assert_eq!(others.iter().filter(|&&status| status == 429).count(), 1, "{others:?}");
}

#[tokio::test]
async fn with_a_session_what_changes_anything_must_come_from_the_studios_page() {
    let (store, code) = store_with_a_code().await;
    let studio = studio_routes(|proxy| {
        proxy.access.mode = AccessMode::Codes;
        proxy.store = store;
        proxy.allow_origins = vec!["https://deck.example".into()];
    })
    .await;
    let cookie =
        studio.call(page_post("/api/access/sign-in", &json!({ "code": code }))).await.header("set-cookie").to_owned();
    assert!(!cookie.is_empty());
    // Out of range: past the guard, the proxy refuses it itself (nothing is sent upstream).
    let mut body = request_body_for(&studio);
    body["top_p"] = json!(1.5);
    let generate = |origin: Option<&str>| {
        let mut request = with_cookie(page_post(&format!("/api{GENERATE_PATH}"), &body), &cookie);
        match origin {
            Some(origin) => request.headers_mut().insert(header::ORIGIN, origin.parse().unwrap()),
            None => request.headers_mut().remove(header::ORIGIN),
        };
        request
    };
    // The cookie alone, from no page or another site's (a forged form, a script elsewhere): refused before anything.
    for origin in [None, Some("https://attacker.example"), Some("http://localhost:9999")] {
        let refused = studio.call(generate(origin)).await;
        assert_eq!(refused.status, 403, "{origin:?}: {}", refused.text());
        assert_eq!(refused.error().message, "A signed-in call must come from this studio's own page.");
    }
    let mut sign_in_elsewhere = page_post("/api/access/sign-in", &json!({ "code": code }));
    sign_in_elsewhere.headers_mut().insert(header::ORIGIN, "https://attacker.example".parse().unwrap());
    let refused = studio.call(sign_in_elsewhere).await;
    assert_eq!(
        (refused.status.as_u16(), refused.header("set-cookie")),
        (403, ""),
        "no one is signed in from elsewhere"
    );
    let mut out_elsewhere = with_cookie(page_post("/api/access/sign-out", &json!({})), &cookie);
    out_elsewhere.headers_mut().remove(header::ORIGIN);
    assert_eq!(studio.call(out_elsewhere).await.status, 403);
    // Reading needs no Origin (a link, an audio element); the page's own origin and an allowed one get past the guard.
    assert_eq!(studio.call(with_cookie(get(STATUS_OF_UNISSUED), &cookie)).await.status, 404);
    for origin in ["http://localhost:8080", "https://deck.example"] {
        let past = studio.call(generate(Some(origin))).await;
        assert_eq!(past.status, 400, "{origin}: {}", past.text());
    }
    studio.assert_unreached();
}

/// `zonos-server serve --sandbox` on `data_dir`, listening on `host` (port chosen here), with `args`; the server and
/// its address on loopback, once it answers.
async fn serve_binary(data_dir: &std::path::Path, host: &str, args: &[&str]) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dist = fake_dist().keep();
    let server = std::process::Command::new(env!("CARGO_BIN_EXE_zonos-server"))
        .args(["serve", "--sandbox", "--addr", &format!("{host}:{port}"), "--dist"])
        .arg(dist)
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(std::time::Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    (server, base)
}

/// Signs in at `base` with `code`: the session's cookie.
async fn sign_in_at(base: &str, code: &str) -> String {
    let request = reqwest::Client::new().post(format!("{base}/api/access/sign-in")).header(header::ORIGIN, base);
    let signed_in = request.json(&json!({ "code": code })).send().await.unwrap();
    assert_eq!(signed_in.status(), 200);
    signed_in.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_cli_works_on_a_running_servers_embedded_store_through_it_and_on_the_store_once_it_stopped() {
    let data_dir = tempfile::tempdir().unwrap();
    let (mut server, base) = serve_binary(data_dir.path(), "127.0.0.1", &["--access", "codes"]).await;
    // Made while the server holds the store: the server makes it.
    let added = access_command(data_dir.path(), &["add", "ada"]).await;
    let cookie = sign_in_at(&base, added.trim().rsplit(' ').next().unwrap()).await;
    let status = || async {
        let request = reqwest::Client::new().get(format!("{base}{STATUS_OF_UNISSUED}")).header(header::COOKIE, &cookie);
        request.send().await.unwrap().status().as_u16()
    };
    assert_eq!(status().await, 404, "past the guard");
    assert!(access_command(data_dir.path(), &["list"]).await.contains("ada  code"));
    assert!(access_command(data_dir.path(), &["revoke", "ada"]).await.contains("1 code"));
    assert_eq!(status().await, 401, "revoked while it runs: the session ended");

    // Killed, it leaves its socket behind; the CLI then opens the store itself.
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(data_dir.path().join(zonos_server::access::cli::CONTROL_SOCKET).exists());
    assert!(access_command(data_dir.path(), &["add", "bea"]).await.contains("bea's access code"));
    assert!(access_command(data_dir.path(), &["list"]).await.contains("bea  code"));
}

/// Off loopback, a server asks for codes unless told otherwise; the code the CLI made signs in there.
#[tokio::test]
async fn a_server_others_can_reach_asks_for_a_code_by_default() {
    let data_dir = tempfile::tempdir().unwrap();
    let code = access_command(data_dir.path(), &["add", "ada"]).await.trim().rsplit(' ').next().unwrap().to_owned();
    let (mut server, base) = serve_binary(data_dir.path(), "0.0.0.0", &[]).await;
    let config: serde_json::Value = reqwest::get(format!("{base}/api/config")).await.unwrap().json().await.unwrap();
    assert_eq!(config["sign_in"], true);
    let client = reqwest::Client::new();
    let refused = client.get(format!("{base}{STATUS_OF_UNISSUED}")).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    let cookie = sign_in_at(&base, &code).await;
    let past = client.get(format!("{base}{STATUS_OF_UNISSUED}")).header(header::COOKIE, cookie).send().await.unwrap();
    assert_eq!(past.status(), 404, "past the guard");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn past_a_persons_budget_the_proxy_refuses_in_words_and_a_refused_submission_costs_nothing() {
    let store = temporary_store();
    // The embedded store is the server's alone once it runs: the code is put in before.
    let code = {
        let admin = Store::open(&store).await.unwrap();
        let grant = Grant { budget: Budget { daily: Some(2), in_all: None }, ..Grant::default() };
        let (code, record) = codes::mint("bea", grant).unwrap();
        admin.put_code(&record.id, &serde_json::to_string(&record).unwrap()).await.unwrap();
        code
    };
    let studio = start_studio(|proxy| {
        proxy.access.mode = AccessMode::Codes;
        proxy.store = store;
    })
    .await;
    let base = format!("http://{studio}");
    let client = reqwest::Client::new();
    let signed_in =
        client.post(format!("{base}/api/access/sign-in")).header(header::ORIGIN, &base).json(&json!({ "code": code }));
    let signed_in = signed_in.send().await.unwrap();
    let cookie = signed_in.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let budget = || async {
        let response = client.get(format!("{base}/api/access/session")).header(header::COOKIE, &cookie).send().await;
        response.unwrap().json::<zonos_api::SignedIn>().await.unwrap().budget
    };
    let submit = || async {
        let request = client.post(format!("{base}/api{GENERATE_PATH}")).header(header::COOKIE, &cookie);
        let body = request_body(&voice_url(studio, "ada.wav"));
        request.header(header::ORIGIN, &base).json(&body).send().await.unwrap()
    };
    assert_eq!(budget().await, zonos_api::BudgetLeft { daily: Some(2), ..Default::default() });

    // Refused by the gateway: given back.
    arm_upstream(studio, json!({ "fault": "submit-402" })).await;
    assert_eq!(submit().await.status(), 402);
    assert_eq!(budget().await.used_today, 0, "a refused submission is given back");
    for _ in 0..2 {
        assert_eq!(submit().await.status(), 202);
    }
    let refused = submit().await;
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=86_400).contains(&retry_after), "until midnight UTC: {retry_after}");
    let body: zonos_api::ErrorBody = refused.json().await.unwrap();
    assert_eq!(body.error, zonos_api::BUDGET_SPENT);
    assert_eq!(body.message, "Your budget for today is spent: 2 of 2. It renews at 00:00 UTC.");
    assert_eq!(upstream_stats(studio).await.submissions_received, 3, "the one past the budget never went upstream");
    let left = budget().await;
    assert_eq!((left.used_today, left.used_in_all, left.words().unwrap().as_str()), (2, 2, "0 of 2 left today"));
}

/// `request` as from `peer`, naming `person` in the identity header if given.
fn from_peer(peer: &str, person: Option<&str>, mut request: Request<Body>) -> Request<Body> {
    request.extensions_mut().insert(axum::extract::ConnectInfo(peer.parse::<std::net::SocketAddr>().unwrap()));
    if let Some(person) = person {
        request.headers_mut().insert("remote-user", person.parse().unwrap());
    }
    request
}

#[tokio::test]
async fn with_header_access_a_name_is_believed_from_the_trusted_proxy_and_refused_from_anyone_else() {
    let studio = studio_routes(|proxy| {
        proxy.access.mode = AccessMode::Header;
        proxy.trusted_proxies = TrustedProxies(vec!["127.0.0.1/32".parse().unwrap()]);
        proxy.access.grants = Grants { budget: Budget { daily: Some(20), in_all: None }, admins: vec!["olga".into()] };
    })
    .await;
    let (nginx, stranger) = ("127.0.0.1:41000", "10.0.0.7:41000");
    let session = studio.call(from_peer(nginx, Some("ada"), get("/api/access/session"))).await.json();
    assert_eq!(
        (&session["person"], &session["admin"], &session["sign_out"]),
        (&json!("ada"), &json!(false), &json!(false))
    );
    assert_eq!(session["budget"]["daily"], 20, "--default-budget");
    assert_eq!(studio.call(from_peer(nginx, Some("ada"), get(STATUS_OF_UNISSUED))).await.status, 404, "past the guard");
    assert_eq!(studio.call(from_peer(nginx, None, get(STATUS_OF_UNISSUED))).await.status, 401, "nobody named");
    assert_eq!(studio.call(from_peer(nginx, Some("olga"), get("/api/access/usage"))).await.status, 200, "--admin");
    assert_eq!(studio.call(from_peer(nginx, Some("ada"), get("/api/access/usage"))).await.status, 403);
    let revoke = from_page(post_json("/api/access/revoke", &json!({ "name": "ada" })));
    let elsewhere = studio.call(from_peer(nginx, Some("olga"), revoke)).await;
    assert!(elsewhere.error().message.contains("revoke them there"), "{}", elsewhere.text());

    // Reaching the replica past its proxy, with a name of one's choosing: refused, whatever the call.
    let forged_generate = from_page(post_json(&format!("/api{GENERATE_PATH}"), &request_body_for(&studio)));
    for forged in [
        from_peer(stranger, Some("olga"), get("/api/access/usage")),
        from_peer(stranger, Some("ada"), get(STATUS_OF_UNISSUED)),
        from_peer(stranger, Some("ada"), forged_generate),
    ] {
        let refused = studio.call(forged).await;
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert_eq!(refused.error().message, "This studio believes who you are only from its own reverse proxy.");
    }
    // A forwarding header claiming the proxy's address changes nothing: the socket's peer is who is believed.
    let mut claimed = from_peer(stranger, Some("ada"), get(STATUS_OF_UNISSUED));
    claimed.headers_mut().insert("x-forwarded-for", "127.0.0.1".parse().unwrap());
    assert_eq!(studio.call(claimed).await.status, 403);
    studio.assert_unreached();
}
