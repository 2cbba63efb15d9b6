//! `--access oidc` against a real OpenID provider on loopback (npm's oidc-provider, tests/oidc/provider.mjs): the
//! authorization code flow with PKCE opens a session; a callback with a wrong `state`, one replayed, one in another
//! browser, a declined sign-in and an expired ID token open none; the callback may land on another replica; and
//! `serve` refuses the mode without its provider or its client.

mod common;

use axum::body::Body;
use axum::http::{header, Request};
use common::oidc::{at_the_provider, browser, OidcProvider, CLIENT_ID, CLIENT_SECRET};
use common::*;
use serde_json::json;
use zonos_server::access::oidc::OidcConfig;
use zonos_server::access::{AccessMode, Grants};
use zonos_server::store::{Budget, StoreConfig};

const STATUS_OF_UNISSUED: &str = "/api/v2/requests/status/zonos-2_01a24d35-0790-7150-b458-77cfc1953992";

async fn studio_signing_in_at(issuer: &str, store: StoreConfig, public_url: Option<String>) -> Studio {
    studio_routes(|proxy| {
        proxy.access.mode = AccessMode::Oidc;
        proxy.access.oidc = Some(OidcConfig {
            issuer: issuer.to_owned(),
            client_id: CLIENT_ID.into(),
            client_secret: Some(CLIENT_SECRET.into()),
        });
        proxy.access.grants =
            Grants { budget: Budget { daily: Some(5), in_all: None }, admins: vec!["olga@example.test".into()] };
        proxy.store = store;
        if public_url.is_some() {
            proxy.public_url = public_url;
        }
    })
    .await
}

fn callback_of(studio: &Studio) -> String {
    format!("http://{}/api/access/oidc/callback", studio.addr)
}

fn with_cookie(mut request: Request<Body>, set_cookie: &str) -> Request<Body> {
    let pair = set_cookie.split(';').next().unwrap();
    request.headers_mut().insert(header::COOKIE, pair.parse().unwrap());
    request
}

/// The path and query of `url`, as the studio's routes are called with it.
fn path_of(url: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// A sign-in begun at `begin_on`: the provider's address it sends the browser to, and the binding cookie.
async fn begin(begin_on: &Studio) -> (String, String) {
    let begun = begin_on.call(get("/api/access/oidc/start")).await;
    assert_eq!(begun.status, 303, "{}", begun.text());
    let binding = begun.header("set-cookie").to_owned();
    assert!(binding.starts_with("zonos_sign_in=") && binding.contains("SameSite=Lax"), "{binding}");
    (begun.header("location").to_owned(), binding)
}

/// Where the studio sends the browser back to after the callback, and the session cookie, if one was opened.
async fn finish(studio: &Studio, callback: &str, binding: &str) -> (String, Option<String>) {
    let back = studio.call(with_cookie(get(&path_of(callback)), binding)).await;
    assert_eq!(back.status, 303, "{}", back.text());
    let session = back
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|cookie| cookie.to_str().unwrap().to_owned())
        .find(|cookie| cookie.starts_with("zonos_session=") && !cookie.contains("Max-Age=0"));
    (back.header("location").to_owned(), session)
}

#[tokio::test]
async fn a_person_signs_in_at_the_provider_with_a_code_and_pkce_and_is_known_by_their_verified_address() {
    let issuer = OidcProvider::free_issuer();
    let studio = studio_signing_in_at(&issuer, temporary_store(), None).await;
    let _provider = OidcProvider::start(&issuer, &callback_of(&studio), &[]);
    let offer = studio.call(get("/api/config")).await.json();
    assert_eq!((&offer["sign_in"], &offer["sign_in_with"]), (&json!(true), &json!("127.0.0.1")));

    let (authorize, binding) = begin(&studio).await;
    let asked = url::Url::parse(&authorize).unwrap();
    let asked: std::collections::HashMap<_, _> = asked.query_pairs().into_owned().collect();
    assert_eq!(asked["code_challenge_method"], "S256");
    assert_eq!(asked["response_type"], "code");
    assert!(asked["scope"].split(' ').any(|scope| scope == "openid"), "{asked:?}");
    let callback = at_the_provider(&browser(), &authorize, &callback_of(&studio), "ada", false).await;
    let (page, session) = finish(&studio, &callback, &binding).await;
    assert_eq!(page, "../../../", "back to the studio's page");
    let session = session.expect("a session");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"), "{session}");

    let signed_in = studio.call(with_cookie(get("/api/access/session"), &session)).await.json();
    assert_eq!(
        (&signed_in["person"], &signed_in["admin"], &signed_in["sign_out"], &signed_in["budget"]["daily"]),
        (&json!("ada@example.test"), &json!(false), &json!(true), &json!(5))
    );
    assert_eq!(studio.call(with_cookie(get(STATUS_OF_UNISSUED), &session)).await.status, 404, "past the guard");
    assert_eq!(studio.call(get(STATUS_OF_UNISSUED)).await.status, 401, "without it");

    // Replayed, the same callback opens nothing: its state was taken.
    let (page, replayed) = finish(&studio, &callback, &binding).await;
    assert_eq!((page.as_str(), replayed), ("../../../#sign-in-failed=not-begun-here", None));

    // An admin by their address; an address the provider has not verified names nobody: its id does.
    for (login, person, admin) in [("olga", "olga@example.test", true), ("unverified-bob", "unverified-bob", false)] {
        let (authorize, binding) = begin(&studio).await;
        let callback = at_the_provider(&browser(), &authorize, &callback_of(&studio), login, false).await;
        let session = finish(&studio, &callback, &binding).await.1.expect("a session");
        let signed_in = studio.call(with_cookie(get("/api/access/session"), &session)).await.json();
        assert_eq!((&signed_in["person"], &signed_in["admin"]), (&json!(person), &json!(admin)));
    }
    studio.assert_unreached();
}

#[tokio::test]
async fn a_wrong_state_another_browser_or_a_declined_sign_in_opens_no_session() {
    let issuer = OidcProvider::free_issuer();
    let studio = studio_signing_in_at(&issuer, temporary_store(), None).await;
    let _provider = OidcProvider::start(&issuer, &callback_of(&studio), &[]);

    let (authorize, binding) = begin(&studio).await;
    let callback = at_the_provider(&browser(), &authorize, &callback_of(&studio), "ada", false).await;
    let mut forged = url::Url::parse(&callback).unwrap();
    let pairs: Vec<(String, String)> = forged.query_pairs().into_owned().collect();
    forged.query_pairs_mut().clear().extend_pairs(
        pairs.iter().map(|(key, value)| (key.as_str(), if key == "state" { "a-state-never-begun" } else { value })),
    );
    let (page, session) = finish(&studio, forged.as_str(), &binding).await;
    assert_eq!((page.as_str(), session), ("../../../#sign-in-failed=not-begun-here", None), "a wrong state");

    // The right state, from a browser that did not begin it (a callback link sent to someone else).
    let (authorize, _binding) = begin(&studio).await;
    let callback = at_the_provider(&browser(), &authorize, &callback_of(&studio), "ada", false).await;
    let (_, other_binding) = begin(&studio).await;
    let (page, session) = finish(&studio, &callback, &other_binding).await;
    assert_eq!((page.as_str(), session), ("../../../#sign-in-failed=not-begun-here", None), "another browser");

    let (authorize, binding) = begin(&studio).await;
    let callback = at_the_provider(&browser(), &authorize, &callback_of(&studio), "ada", true).await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    let (page, session) = finish(&studio, &callback, &binding).await;
    assert_eq!((page.as_str(), session), ("../../../#sign-in-failed=declined", None));
    studio.assert_unreached();
}

#[tokio::test]
async fn an_id_token_expired_when_it_arrives_opens_no_session() {
    let issuer = OidcProvider::free_issuer();
    let studio = studio_signing_in_at(&issuer, temporary_store(), None).await;
    // Issued for a second, and answered two and a half seconds later.
    let _provider =
        OidcProvider::start(&issuer, &callback_of(&studio), &["--id-token-ttl", "1", "--token-delay-ms", "2500"]);
    let (authorize, binding) = begin(&studio).await;
    let callback = at_the_provider(&browser(), &authorize, &callback_of(&studio), "ada", false).await;
    let (page, session) = finish(&studio, &callback, &binding).await;
    assert_eq!((page.as_str(), session), ("../../../#sign-in-failed=unverified", None));
}

#[tokio::test]
async fn a_sign_in_begun_on_one_replica_is_finished_on_another() {
    let redis = common::redis::RedisServer::start();
    let store = StoreConfig::Redis { url: redis.url.clone() };
    let issuer = OidcProvider::free_issuer();
    let replica_a = studio_signing_in_at(&issuer, store.clone(), None).await;
    // Replicas share one public address: the one the provider sends browsers back to.
    let public_url = format!("http://{}", replica_a.addr);
    let replica_b = studio_signing_in_at(&issuer, store, Some(public_url)).await;
    let _provider = OidcProvider::start(&issuer, &callback_of(&replica_a), &[]);
    let (authorize, binding) = begin(&replica_a).await;
    let callback = at_the_provider(&browser(), &authorize, &callback_of(&replica_a), "ada", false).await;
    let session = finish(&replica_b, &callback, &binding).await.1.expect("a session opened by B");
    assert_eq!(replica_a.call(with_cookie(get(STATUS_OF_UNISSUED), &session)).await.status, 404, "known to A");
    let mut sign_out = post_json("/api/access/sign-out", &json!({}));
    sign_out.headers_mut().insert(header::ORIGIN, format!("http://{}", replica_a.addr).parse().unwrap());
    let out = replica_a.call(with_cookie(sign_out, &session)).await;
    assert_eq!(out.status, 204);
    assert_eq!(replica_b.call(with_cookie(get(STATUS_OF_UNISSUED), &session)).await.status, 401, "ended on B");
}

#[test]
fn serve_refuses_oidc_without_its_provider_or_its_client() {
    let (dist, data) = (fake_dist(), tempfile::tempdir().unwrap());
    let serve = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_zonos-server"))
            .args(["serve", "--addr", "127.0.0.1:0", "--sandbox", "--access", "oidc"])
            .arg("--dist")
            .arg(dist.path())
            .arg("--data-dir")
            .arg(data.path())
            .args(extra)
            .output()
            .unwrap();
        assert!(!output.status.success(), "it must not start: {extra:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    assert!(serve(&[]).contains("--access oidc needs --oidc-issuer"));
    assert!(serve(&["--oidc-issuer", "http://127.0.0.1:9"]).contains("--access oidc needs --oidc-client-id"));
}
