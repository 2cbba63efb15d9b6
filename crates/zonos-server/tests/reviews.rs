//! Review links (issue 26), over real sockets with `serve --sandbox`: a review made of takes the proxy issued keeps
//! their audio as `/api/media` serves it (marked, signed), served under its token to listeners who never sign in;
//! a take of a voice other than the samples needs its speaker's consent record, for that very voice; and a review
//! out of its bounds is refused in words; listeners answer once each, within their rate, and only the maker (with
//! the key given at making) reads the tally (once, or pushed over SSE as answers come), downloads the answers as
//! CSV and closes the review. A blind round serves its take and its voice's reference as A and B, alike in their
//! files, and tells each listener the real side only after their guess, which then stands.

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

/// A speaker's consent record for `voice`, as the app keeps it.
fn consent(voice: &str, speaker: &str) -> Value {
    json!({ "voice": voice, "how": "Attested", "speaker": speaker, "date": "2026-12-07",
            "statement": "I have the speaker's permission to clone this voice." })
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
    assert_eq!(made.link, format!("http://{studio}/r/{}", made.token));
    assert_eq!(
        made.qr,
        {
            let (path, size) = studio_core::qr::modules(&made.link).unwrap();
            zonos_api::QrDrawing { path, size }
        },
        "the link's QR code, to draw"
    );
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

/// A review of two sample-voice takes at `studio`.
async fn two_take_review(studio: SocketAddr) -> ReviewMade {
    let sample = sample_voice(studio, "ada.wav");
    let (first, second) = (take(studio, &sample).await, take(studio, &sample).await);
    let request = json!({ "title": "Two", "items": [item("Take 1", &first, None), item("Take 2", &second, None)] });
    make_review(studio, &request).await.json().await.unwrap()
}

async fn give(studio: SocketAddr, token: &str, answer: &Value) -> reqwest::Response {
    reqwest::Client::new().post(format!("http://{studio}/r/{token}/answers")).json(answer).send().await.unwrap()
}

fn listener(n: u32) -> String {
    format!("{n:032x}")
}

async fn tally(studio: SocketAddr, token: &str, key: &str) -> reqwest::Response {
    let url = format!("http://{studio}/api/reviews/{token}/tally");
    reqwest::Client::new().get(url).header("x-review-key", key).send().await.unwrap()
}

#[tokio::test]
async fn listeners_answer_once_each_and_only_the_maker_reads_the_tally_and_closes_the_review() {
    let studio = start_studio(|_| {}).await;
    let made = two_take_review(studio).await;
    for answer in [
        json!({ "listener": listener(1), "item": 0, "stars": 2 }),
        json!({ "listener": listener(1), "item": 0, "stars": 5, "comment": "  Warm. <b>Really</b>  " }),
        json!({ "listener": listener(2), "item": 0, "stars": 4 }),
        json!({ "listener": listener(3), "item": 0, "stars": 3 }),
        json!({ "listener": listener(3), "item": 1, "comment": "Too fast." }),
    ] {
        assert_eq!(give(studio, &made.token, &answer).await.status(), 204, "{answer}");
    }
    for (answer, words) in [
        (json!({ "listener": listener(4), "item": 2, "stars": 5 }), "one of the takes"),
        (json!({ "listener": "me", "item": 0, "stars": 5 }), "32 hex digits"),
        (json!({ "listener": listener(4), "item": 0, "stars": 6 }), "Give 1 to 5 stars, not 6."),
        (json!({ "listener": listener(4), "item": 0, "comment": "x".repeat(501) }), "500 characters long"),
    ] {
        let refused = give(studio, &made.token, &answer).await;
        assert_eq!(refused.status(), 400, "{words}");
        let body: zonos_api::ErrorBody = refused.json().await.unwrap();
        assert!(body.message.contains(words), "{}", body.message);
    }

    assert_eq!(tally(studio, &made.token, "").await.status(), 404, "no key");
    assert_eq!(tally(studio, &made.token, &"0".repeat(64)).await.status(), 404, "another key");
    let read: Value = tally(studio, &made.token, &made.owner_key).await.json().await.unwrap();
    assert_eq!((&read["closed"], &read["tally"]["listeners"]), (&json!(false), &json!(3)));
    let first = &read["tally"]["items"][0];
    assert_eq!((&first["listeners"], &first["stars"]), (&json!(3), &json!([0, 0, 1, 1, 1])));
    assert_eq!(first["comments"], json!(["Warm. <b>Really</b>"]), "kept as text, as given");
    assert_eq!(read["tally"]["items"][1]["comments"], json!(["Too fast."]));

    let client = reqwest::Client::new();
    let page = client.get(format!("http://{studio}/r/{}", made.token)).send().await.unwrap();
    assert_eq!(
        (page.status().as_u16(), &page.headers()["content-type"]),
        (200, &"text/html; charset=utf-8".parse().unwrap())
    );
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.starts_with("default-src 'none'; script-src 'sha256-"), "{policy}");
    let html = page.text().await.unwrap();
    for shown in [
        "<h1>Two</h1>",
        "Take 1",
        "Take 2",
        "AI-generated speech, in a sample voice",
        &format!("src=\"{}/audio/1.wav\"", made.token),
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    let close = |key: &str| {
        client.post(format!("http://{studio}/api/reviews/{}/close", made.token)).header("x-review-key", key).send()
    };
    assert_eq!(close("not-the-key").await.unwrap().status(), 404);
    assert_eq!(close(&made.owner_key).await.unwrap().status(), 204);
    let audio = client.get(format!("http://{studio}/r/{}/audio/0.wav", made.token)).send().await.unwrap();
    assert_eq!(audio.status(), 404, "its audio ended");
    let late = give(studio, &made.token, &json!({ "listener": listener(5), "item": 0, "stars": 1 })).await;
    assert_eq!(late.status(), 404);
    let page = client.get(format!("http://{studio}/r/{}", made.token)).send().await.unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("This review has ended"));
    let read: Value = tally(studio, &made.token, &made.owner_key).await.json().await.unwrap();
    assert_eq!((&read["closed"], &read["tally"]["listeners"]), (&json!(true), &json!(3)), "the answers stay");
}

#[tokio::test]
async fn a_client_flooding_a_review_with_answers_is_held_to_its_rate() {
    let studio = start_studio(|_| {}).await;
    let made = two_take_review(studio).await;
    let mut statuses = std::collections::BTreeMap::<u16, u32>::new();
    for n in 0..100 {
        let answer = json!({ "listener": listener(n), "item": 0, "stars": 4 });
        *statuses.entry(give(studio, &made.token, &answer).await.status().as_u16()).or_default() += 1;
    }
    // A minute's worth at once (sixty), then refused until the next turn: no answer is lost or let through silently.
    assert_eq!(statuses, [(204, 60), (429, 40)].into(), "{statuses:?}");
    let kept = 60;
    let read: Value = tally(studio, &made.token, &made.owner_key).await.json().await.unwrap();
    assert_eq!(read["tally"]["listeners"], json!(kept), "no more listeners than answers let through");
}

async fn tally_stream(studio: SocketAddr, made: &ReviewMade) -> EventStream {
    EventStream::open(&format!("http://{studio}/api/reviews/{}/events?key={}", made.token, made.owner_key)).await
}

#[tokio::test]
async fn the_makers_tally_is_pushed_as_listeners_answer_and_its_last_says_closed() {
    let studio = start_studio(|_| {}).await;
    let made = two_take_review(studio).await;
    let refused = reqwest::get(format!("http://{studio}/api/reviews/{}/events?key=wrong", made.token)).await.unwrap();
    assert_eq!(refused.status(), 404, "only its maker follows it");
    let mut stream = tally_stream(studio, &made).await;
    let (name, first) = stream.next().await.unwrap();
    assert_eq!((name.as_str(), &first["tally"]["listeners"]), ("tally", &json!(0)), "the tally at once");
    for (n, stars) in [(1, 5), (2, 3)] {
        let answer = json!({ "listener": listener(n), "item": 1, "stars": stars });
        assert_eq!(give(studio, &made.token, &answer).await.status(), 204);
        let (name, pushed) = stream.next().await.unwrap();
        assert_eq!((name.as_str(), &pushed["tally"]["items"][1]["listeners"]), ("tally", &json!(n)), "{pushed}");
    }
    let close = reqwest::Client::new().post(format!("http://{studio}/api/reviews/{}/close", made.token));
    assert_eq!(close.header("x-review-key", &made.owner_key).send().await.unwrap().status(), 204);
    let (_, last) = stream.next().await.unwrap();
    assert_eq!((&last["closed"], &last["tally"]["items"][1]["stars"]), (&json!(true), &json!([0, 0, 1, 0, 1])));
    assert_eq!(stream.next().await, None, "a closed review's stream ends");
}

#[tokio::test]
async fn the_answers_download_as_csv_for_the_maker_with_formulas_shown_as_text() {
    let studio = start_studio(|_| {}).await;
    let made = two_take_review(studio).await;
    for answer in [
        json!({ "listener": listener(1), "item": 0, "stars": 4, "comment": "=HYPERLINK(\"http://x\"), said \"warm\"" }),
        json!({ "listener": listener(2), "item": 1, "comment": "Line one\nline two" }),
    ] {
        assert_eq!(give(studio, &made.token, &answer).await.status(), 204);
    }
    let url = |key: &str| format!("http://{studio}/api/reviews/{}/answers.csv?key={key}", made.token);
    assert_eq!(reqwest::get(url("")).await.unwrap().status(), 404);
    let csv = reqwest::get(url(&made.owner_key)).await.unwrap();
    assert_eq!(csv.headers()["content-disposition"], "attachment; filename=\"review-answers.csv\"");
    let text = csv.text().await.unwrap();
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["take", "listener", "stars", "comment", "guess", "right"]);
    let rows: Vec<Vec<String>> = reader.records().map(|row| row.unwrap().iter().map(str::to_owned).collect()).collect();
    assert_eq!(
        rows,
        [
            vec!["Take 1", listener(1).as_str(), "4", "'=HYPERLINK(\"http://x\"), said \"warm\"", "", ""],
            vec!["Take 2", listener(2).as_str(), "", "Line one\nline two", "", ""],
        ]
    );
}

/// How alike two clips are, from -1 to 1 (their normalized correlation).
fn correlation(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(a, b)| a * b).sum();
    let energy = |x: &[f32]| x.iter().map(|x| x * x).sum::<f32>();
    dot / (energy(a) * energy(b)).sqrt()
}

#[tokio::test]
async fn a_blind_round_plays_the_take_and_its_voice_as_a_and_b_and_tells_the_real_side_after_the_guess() {
    let studio = start_studio(|_| {}).await;
    let voice = sample_voice(studio, "ada.wav");
    let media_url = take(studio, &voice).await;
    let mut round = item("Take 1", &media_url, None);
    round["reference_audio_url"] = json!(voice);
    let made = make_review(studio, &json!({ "title": "Real or clone?", "items": [round] })).await;
    assert_eq!(made.status(), 201);
    let made: ReviewMade = made.json().await.unwrap();

    let clip = |side: &str| reqwest::get(format!("http://{studio}/r/{}/audio/0-{side}.wav", made.token));
    let (a, b) = (clip("a").await.unwrap().bytes().await.unwrap(), clip("b").await.unwrap().bytes().await.unwrap());
    assert_eq!(provenance::read_info(&a), provenance::read_info(&b), "both files say the same of themselves");
    assert_eq!(provenance::read_info(&a)[0].1, provenance::BLIND_TITLE);
    let (a, a_rate) = studio_core::wav::read(&a).unwrap();
    let (b, b_rate) = studio_core::wav::read(&b).unwrap();
    assert_eq!((a.len(), a_rate), (b.len(), b_rate), "the same seconds at the same rate");
    let alone = reqwest::get(format!("http://{studio}/r/{}/audio/0.wav", made.token)).await.unwrap();
    assert_eq!(alone.status(), 404, "the take alone would tell the clone");

    let token = made.token.clone();
    let answer = move |body: Value| {
        let token = token.clone();
        async move { give(studio, &token, &body).await }
    };
    let early = answer(json!({ "listener": listener(1), "item": 0, "reveal": true })).await;
    assert_eq!(early.status(), 400, "no reveal before a guess");
    assert_eq!(answer(json!({ "listener": listener(1), "item": 0, "guess": "A" })).await.status(), 204);
    let told = answer(json!({ "listener": listener(1), "item": 0, "guess": "A", "reveal": true })).await;
    assert_eq!(told.status(), 200);
    let real: Value = told.json().await.unwrap();
    let real = real["real"].as_str().unwrap().to_owned();
    let changed = answer(json!({ "listener": listener(1), "item": 0, "guess": "B" })).await;
    assert_eq!(changed.status(), 409, "the guess stands once the real side is known");
    let other = if real == "A" { "B" } else { "A" };
    assert_eq!(answer(json!({ "listener": listener(2), "item": 0, "guess": real })).await.status(), 204);
    assert_eq!(answer(json!({ "listener": listener(3), "item": 0, "guess": other })).await.status(), 204);
    let read: Value = tally(studio, &made.token, &made.owner_key).await.json().await.unwrap();
    let right = u64::from(real == "A") + 1;
    assert_eq!(read["tally"]["items"][0]["blind"], json!({ "right": right, "rounds": 3 }), "{read}");

    // The side said to be the clone is the take itself (cut and levelled), and the other is not.
    let (taken, _) =
        studio_core::wav::read(&download(&format!("http://{studio}/api/media?url={media_url}")).await).unwrap();
    let loudest = taken.iter().fold(0.0_f32, |loudest, sample| loudest.max(sample.abs()));
    let start = taken.iter().position(|sample| sample.abs() > loudest * 0.02).unwrap();
    let heard = &taken[start..start + a.len()];
    let (clone, recording) = if real == "A" { (&b, &a) } else { (&a, &b) };
    assert!(correlation(clone, heard) > 0.99, "{}", correlation(clone, heard));
    assert!(correlation(recording, heard).abs() < 0.5, "{}", correlation(recording, heard));
}

#[tokio::test]
async fn a_blind_round_takes_no_reference_from_elsewhere_and_no_guess_on_a_take_heard_alone() {
    let studio = start_studio(|_| {}).await;
    let pasted = format!("{}?copy=1", sample_voice(studio, "basil.wav"));
    let media_url = take(studio, &pasted).await;
    let mut round = item("Basil's take", &media_url, Some(consent(&pasted, "Basil")));
    round["reference_audio_url"] = json!(pasted);
    let refused = make_review(studio, &json!({ "title": "Real or clone?", "items": [round] })).await;
    assert_eq!(refused.status(), 422);
    let body: zonos_api::ErrorBody = refused.json().await.unwrap();
    assert!(body.message.starts_with("Basil's take can't be heard blind"), "{}", body.message);

    // The same voice uploaded here (an MP3): its reference is the proxy's own, decoded for the round.
    let mp3 = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/references/basil.mp3")).unwrap();
    let uploaded =
        reqwest::Client::new().post(format!("http://{studio}/api/references")).body(mp3).send().await.unwrap();
    let uploaded = uploaded.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_owned();
    let media_url = take(studio, &uploaded).await;
    let mut round = item("Basil's take", &media_url, Some(consent(&uploaded, "Basil")));
    round["reference_audio_url"] = json!(uploaded);
    let made = make_review(studio, &json!({ "title": "Real or clone?", "items": [round] })).await;
    assert_eq!(made.status(), 201, "an uploaded voice plays blind");

    let made = two_take_review(studio).await;
    let guessed = give(studio, &made.token, &json!({ "listener": listener(1), "item": 0, "guess": "A" })).await;
    assert_eq!(guessed.status(), 400);
    let body: zonos_api::ErrorBody = guessed.json().await.unwrap();
    assert!(body.message.contains("Only a blind round takes a guess."), "{}", body.message);
}

#[tokio::test]
async fn a_takes_audio_is_served_in_the_byte_range_a_player_asks_for() {
    let studio = start_studio(|_| {}).await;
    let made = two_take_review(studio).await;
    let url = format!("http://{studio}/r/{}/audio/0.wav", made.token);
    let client = reqwest::Client::new();
    let whole = client.get(&url).send().await.unwrap();
    assert_eq!((whole.status().as_u16(), &whole.headers()["accept-ranges"]), (200, &"bytes".parse().unwrap()));
    let whole = whole.bytes().await.unwrap();
    let total = whole.len();
    let ranged = |range: String| client.get(&url).header("range", range).send();
    let first = ranged("bytes=0-3".into()).await.unwrap();
    assert_eq!(first.status(), 206);
    assert_eq!(first.headers()["content-range"], format!("bytes 0-3/{total}").as_str());
    assert_eq!(first.bytes().await.unwrap().as_ref(), b"RIFF");
    let last = ranged("bytes=-10".into()).await.unwrap();
    assert_eq!(last.headers()["content-range"], format!("bytes {}-{}/{total}", total - 10, total - 1).as_str());
    assert_eq!(last.bytes().await.unwrap(), whole.slice(total - 10..));
    let beyond = ranged(format!("bytes={total}-")).await.unwrap();
    assert_eq!(beyond.status(), 416);
    assert_eq!(beyond.headers()["content-range"], format!("bytes */{total}").as_str());
}
