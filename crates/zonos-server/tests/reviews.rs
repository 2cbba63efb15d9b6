//! Review links (issue 26), over real sockets with `serve --sandbox`: a review made of takes the proxy issued keeps
//! their audio as `/api/media` serves it (marked, signed), served under its token to listeners who never sign in;
//! a take of a voice other than the samples needs its speaker's consent record, for that very voice; and a review
//! out of its bounds is refused in words. Still to come (docs/plans/reviews.md): the page, answers, tally, Close.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value};
use studio_core::provenance;
use zonos_api::{JobStatusResponse, ReviewMade};
use zonos_server::access::AccessMode;

/// A take made through the studio with the voice at `reference`, done: its media URL.
async fn take(studio: SocketAddr, reference: &str) -> String {
    let accepted = accepted(submit_via_proxy(studio, &request_body(reference)).await).await;
    let status: JobStatusResponse = follow_with(&accepted.polling_url.unwrap(), None).await;
    status.output.unwrap().media_url[0].clone()
}

/// A sample voice's URL at the studio (its sandbox is mounted under `/sandbox`).
fn sample_voice(studio: SocketAddr, file: &str) -> String {
    format!("http://{studio}/sandbox/__sandbox/voices/{file}")
}

async fn make_review(studio: SocketAddr, request: &Value) -> reqwest::Response {
    reqwest::Client::new().post(format!("http://{studio}/api/reviews")).json(request).send().await.unwrap()
}

fn item(label: &str, media_url: &str, consent: Option<Value>) -> Value {
    json!({ "label": label, "text": format!("The words of {label}."), "media_url": media_url, "consent": consent })
}

#[tokio::test]
async fn a_review_keeps_its_takes_marked_audio_and_serves_it_under_its_token_only() {
    let studio = start_studio(|_| {}).await;
    let sample = sample_voice(studio, "ada.wav");
    let (first, second) = (take(studio, &sample).await, take(studio, &sample).await);
    let made = make_review(
        studio,
        &json!({ "title": "Q3 voices", "items": [item("Take 1", &first, None), item("Take 2", &second, None)] }),
    )
    .await;
    assert_eq!(made.status(), 201);
    let made: ReviewMade = made.json().await.unwrap();
    assert!(zonos_server::store::is_review_token(&made.token), "{}", made.token);
    assert_eq!(made.owner_key.len(), 64);
    assert_eq!(made.link.as_deref(), Some(format!("http://{studio}/r/{}", made.token).as_str()));
    let week = 7 * 24 * 60 * 60;
    assert!(made.expires_at.abs_diff(zonos_server::store::now_secs() + week) < 60, "{}", made.expires_at);

    let client = reqwest::Client::new();
    let audio = |token: &str, file: &str| client.get(format!("http://{studio}/r/{token}/audio/{file}")).send();
    for (file, media_url) in [("0.wav", &first), ("1.wav", &second)] {
        let served = audio(&made.token, file).await.unwrap();
        assert_eq!((served.status().as_u16(), &served.headers()["content-type"]), (200, &"audio/wav".parse().unwrap()));
        let served = served.bytes().await.unwrap();
        let original = client.get(media_url).send().await.unwrap().bytes().await.unwrap();
        assert_eq!(provenance::audio_bytes(&served), provenance::audio_bytes(&original), "the take's own audio");
        let info = provenance::read_info(&served);
        assert!(info.iter().any(|(id, text)| id == "INAM" && text == "AI-generated speech"), "{info:?}");
        let reader = c2pa::Reader::from_context(c2pa::Context::new())
            .with_stream("audio/wav", std::io::Cursor::new(served.to_vec()))
            .unwrap();
        assert!(reader.json().contains("c2pa.created"), "signed by the proxy");
    }
    assert_eq!(audio(&made.token, "2.wav").await.unwrap().status(), 404, "no third take");
    assert_eq!(audio(&"0".repeat(32), "0.wav").await.unwrap().status(), 404, "no such review");
    assert_eq!(audio(&made.token, "..%2F..%2Fstate.redb").await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_take_of_another_voice_is_shared_only_with_its_speakers_consent_for_that_voice() {
    let studio = start_studio(|_| {}).await;
    // Not one of the samples the proxy offers (another address for the same file).
    let pasted = format!("{}?copy=1", sample_voice(studio, "basil.wav"));
    let media_url = take(studio, &pasted).await;
    let consent = |voice: &str, speaker: &str| {
        json!({ "voice": voice, "how": "Attested", "speaker": speaker, "date": "2026-12-07",
                "statement": "I have the speaker's permission to clone this voice." })
    };
    for (consent, why) in [
        (None, "no record"),
        (Some(consent(&sample_voice(studio, "ada.wav"), "Basil")), "another voice's record"),
        (Some(consent(&pasted, " ")), "nobody named"),
    ] {
        let refused =
            make_review(studio, &json!({ "title": "Basil", "items": [item("Basil's take", &media_url, consent)] }))
                .await;
        assert_eq!(refused.status(), 422, "{why}");
        let body: zonos_api::ErrorBody = refused.json().await.unwrap();
        assert_eq!(
            body.message, "Basil's take has no consent record of its speaker for its voice: it can't be shared",
            "{why}"
        );
    }
    let shared = make_review(
        studio,
        &json!({ "title": "Basil", "items": [item("Basil's take", &media_url, Some(consent(&pasted, "Basil")))] }),
    )
    .await;
    assert_eq!(shared.status(), 201);
    // The voice's hash is the proxy's own: the take's Content Credentials say nothing of the voice.
    let made: ReviewMade = shared.json().await.unwrap();
    let served = reqwest::get(format!("http://{studio}/r/{}/audio/0.wav", made.token)).await.unwrap();
    let served = served.bytes().await.unwrap();
    let reader = c2pa::Reader::from_context(c2pa::Context::new())
        .with_stream("audio/wav", std::io::Cursor::new(served.to_vec()))
        .unwrap();
    let manifest = reader.json();
    assert!(manifest.contains("c2pa.created") && !manifest.contains("voice_sha256"), "{manifest}");
}

#[tokio::test]
async fn a_review_out_of_its_bounds_or_of_audio_the_proxy_did_not_issue_is_refused_in_words() {
    let studio = start_studio(|_| {}).await;
    let media_url = take(studio, &sample_voice(studio, "ada.wav")).await;
    let many: Vec<Value> = (0..17).map(|n| item(&format!("Take {n}"), &media_url, None)).collect();
    let unissued = media_url.replace(
        media_url.split('/').find(|segment| zonos_api::is_request_id(segment)).unwrap(),
        "zonos-2_01a24d35-0790-7150-b458-77cfc1953992",
    );
    for (request, status, words) in [
        (json!({ "title": "None", "items": [] }), 400, "a review holds 1 to 16 takes, not 0"),
        (json!({ "title": "Many", "items": many }), 400, "a review holds 1 to 16 takes, not 17"),
        (
            json!({ "title": "Long", "items": [item("Take", &media_url, None)], "days": 8 }),
            400,
            "a review lasts 1 to 7 days, not 8",
        ),
        (
            json!({ "title": "Elsewhere", "items": [item("Take", "https://evil.example/v1/x/output.wav", None)] }),
            403,
            "media is fetched only from",
        ),
        (json!({ "title": "Unissued", "items": [item("Take", &unissued, None)] }), 404, "was sent through this proxy"),
    ] {
        let refused = make_review(studio, &request).await;
        assert_eq!(refused.status(), status, "{words}");
        let body: zonos_api::ErrorBody = refused.json().await.unwrap();
        assert!(body.message.contains(words), "{}", body.message);
    }
}

#[tokio::test]
async fn making_a_review_needs_a_session_where_access_is_on_and_listening_never_does() {
    let studio = studio_routes(|proxy| proxy.access.mode = AccessMode::Codes).await;
    let request = json!({ "title": "x", "items": [item("Take", "http://127.0.0.1:9/v1/x/output.wav", None)] });
    let mut from_the_page = post_json("/api/reviews", &request);
    from_the_page.headers_mut().insert("origin", format!("http://{}", studio.addr).parse().unwrap());
    assert_eq!(studio.call(from_the_page).await.status, 401);
    let listening = studio.call(get(&format!("/r/{}/audio/0.wav", "0".repeat(32)))).await;
    assert_eq!(listening.status, 404, "no sign-in asked: the token is the key");
    studio.assert_unreached();
}
