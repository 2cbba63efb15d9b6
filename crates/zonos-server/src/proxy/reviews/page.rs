//! The listener's page, `GET /r/<token>`: one small HTML document rendered here, with its style and script inline
//! (allowed by their hashes alone), so that a phone on a slow network plays a take after one request. No sign-in,
//! no key, no form to send: each take with its waveform, the "AI-generated speech" mark, its text, 1–5 stars and a
//! comment, which the script sends as the listener gives them (listener.js); a blind round's take as A and B, a
//! guess and a reveal. Every text shown was escaped here.

use std::fmt::Write;
use std::sync::{Arc, LazyLock};

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::super::Proxy;
use super::ProxyError;

const STYLE: &str = include_str!("listener.css");
const SCRIPT: &str = include_str!("listener.js");

/// The page's policy: nothing but its own inline style and script (by their hashes), its takes' audio and its
/// answers, on its own origin.
static POLICY: LazyLock<HeaderValue> = LazyLock::new(|| {
    let hash = |text: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()));
    let policy = format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; media-src 'self'; connect-src 'self'; \
         img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hash(SCRIPT),
        hash(STYLE)
    );
    HeaderValue::from_str(&policy).expect("a policy is ASCII")
});

/// `text` as HTML text or an attribute's value (quoted with `"`).
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A take's waveform as an SVG of bars, from its peaks in hundredths.
fn waveform(peaks: &[Value]) -> String {
    let bars: String = peaks
        .iter()
        .enumerate()
        .map(|(column, peak)| {
            let height = peak.as_u64().unwrap_or(0).clamp(2, 100);
            format!("<rect x=\"{column}\" y=\"{}\" width=\"0.7\" height=\"{height}\"/>", (100 - height) / 2)
        })
        .collect();
    let width = peaks.len().max(1);
    format!("<svg class=\"waveform\" viewBox=\"0 0 {width} 100\" preserveAspectRatio=\"none\" aria-hidden=\"true\">{bars}</svg>")
}

/// The page of the review `record` under `token`.
fn render(token: &str, record: &Value) -> String {
    let title = escaped(record["title"].as_str().unwrap_or("Review"));
    let mut items = String::new();
    for (place, item) in record["items"].as_array().into_iter().flatten().enumerate() {
        let label = escaped(item["label"].as_str().unwrap_or_default());
        let text = escaped(item["text"].as_str().unwrap_or_default());
        let speaker = item["consent"]["speaker"].as_str().map(escaped);
        let voice =
            speaker.map_or("a sample voice".to_owned(), |speaker| format!("{speaker}'s voice, with their consent"));
        let stars: String = (1..=5)
            .map(|stars| {
                let name = if stars == 1 { "1 star".to_owned() } else { format!("{stars} stars") };
                format!(
                    "<label><input type=\"radio\" name=\"stars-{place}\" value=\"{stars}\"><span>{name}</span></label>"
                )
            })
            .collect();
        // A blind round's real side stays in the record: the page only ever shows A and B.
        let heard = if item.get("real").is_some() {
            blind(token, place, &label)
        } else {
            format!(
                "<p class=\"mark\">AI-generated speech, in {voice}</p>{wave}\
                 <audio controls preload=\"none\" src=\"{token}/audio/{place}.wav\" aria-label=\"{label}\"></audio>\
                 <p class=\"text\">{text}</p>\
                 <fieldset><legend>Your stars for {label}</legend><div class=\"stars\">{stars}</div></fieldset>",
                wave = waveform(item["peaks"].as_array().map(Vec::as_slice).unwrap_or_default()),
            )
        };
        let _ = write!(
            items,
            "<section class=\"take\" data-item=\"{place}\" aria-labelledby=\"take-{place}\">\
             <h2 id=\"take-{place}\">{label}</h2>{heard}\
             <label for=\"comment-{place}\">Your comment (at most 500 characters)</label>\
             <textarea id=\"comment-{place}\" maxlength=\"500\" rows=\"3\"></textarea>\
             <p class=\"saved\" role=\"status\"></p>\
             </section>",
        );
    }
    let main = format!(
        "<main data-token=\"{token}\"><h1>{title}</h1>\
         <p class=\"intro\">Listen, then give each take your answer (stars, or your guess of the real voice) and a \
         word if you like: they are sent as you give them, and you may change them until the review ends. Nobody sees \
         who you are.</p>\
         {items}<p class=\"ended\" role=\"alert\" hidden>{ENDED}</p></main><script>{SCRIPT}</script>"
    );
    document(&format!("{title} · Review"), &main)
}

/// A blind round's part of its take's section: A and B to play, the guess, and the reveal, where the answer shows.
fn blind(token: &str, place: usize, label: &str) -> String {
    let side = |letter: &str, file: &str| {
        format!(
            "<div class=\"side\"><p class=\"letter\" aria-hidden=\"true\">{letter}</p>\
             <audio controls preload=\"none\" src=\"{token}/audio/{place}-{file}.wav\" aria-label=\"{label}: {letter}\"></audio></div>"
        )
    };
    let guess = |letter: &str| {
        format!("<label><input type=\"radio\" name=\"guess-{place}\" value=\"{letter}\"><span>{letter} is real</span></label>")
    };
    format!(
        "<p class=\"mark\">One of A and B is AI-generated speech; the other is a recording of the voice it clones.</p>\
         <div class=\"sides\">{a}{b}</div>\
         <fieldset><legend>Which is the real voice?</legend><div class=\"stars\">{guess_a}{guess_b}</div></fieldset>\
         <button type=\"button\" class=\"reveal\" disabled>Reveal</button><p class=\"answer\" hidden></p>",
        a = side("A", "a"),
        b = side("B", "b"),
        guess_a = guess("A"),
        guess_b = guess("B"),
    )
}

const ENDED: &str = "This review has ended: thank you for listening.";

/// The page that says a review has ended (or never was).
fn ended() -> String {
    document("Review ended", &format!("<main><h1>Review</h1><p class=\"ended\" role=\"alert\">{ENDED}</p></main>"))
}

/// A whole page: `title` (escaped already) and `body`, with the page's style.
fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"icon\" href=\"data:,\"><style>{STYLE}</style></head><body>{body}</body></html>"
    )
}

/// `GET /r/<token>`: the review's page while it is open; else a page that says it has ended, with a 404.
pub async fn page(State(proxy): State<Arc<Proxy>>, Path(token): Path<String>) -> Result<Response, ProxyError> {
    let review = proxy.store.review(&token).await?.filter(|review| !review.closed);
    let (status, html) = match review {
        Some(review) => (StatusCode::OK, render(&token, &serde_json::from_str(&review.record).unwrap_or_default())),
        None => (StatusCode::NOT_FOUND, ended()),
    };
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::CONTENT_SECURITY_POLICY, POLICY.clone()),
    ];
    Ok((status, headers, html).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_of_a_review_is_shown_as_text() {
        let record = serde_json::json!({
            "title": "<script>alert(1)</script>",
            "items": [{ "label": "A \"take\"", "text": "</p><img src=x onerror=alert(1)>", "peaks": [10, 50],
                        "consent": { "speaker": "O'Neil" } }]
        });
        let page = render(&"a".repeat(32), &record);
        assert!(!page.contains("<script>alert") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt; · Review"));
        assert!(page.contains("&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;"), "{page}");
        assert!(page.contains("aria-label=\"A &quot;take&quot;\""));
        assert!(page.contains("in O&#39;Neil's voice, with their consent"), "{page}");
        assert_eq!(page.matches("<script>").count(), 1, "its own script only");
    }

    #[test]
    fn a_blind_round_shows_a_and_b_and_never_its_real_side() {
        let record = serde_json::json!({ "title": "Real or clone?", "items": [{ "label": "Take 3", "text": "Is it me?", "real": "B" }] });
        let page = render(&"b".repeat(32), &record);
        for shown in
            ["audio/0-a.wav", "audio/0-b.wav", "aria-label=\"Take 3: A\"", "A is real", "B is real", ">Reveal<"]
        {
            assert!(page.contains(shown), "{shown}: {page}");
        }
        // Its text would tell the clone (the recording says other words), and so would its side.
        assert!(!page.contains("real\"") && !page.contains("Is it me?"), "{page}");
        assert!(!page.contains("audio/0.wav"), "the take alone is not served: it would tell the clone");
    }

    #[test]
    fn the_policy_allows_the_pages_own_script_and_style_only() {
        let policy = POLICY.to_str().unwrap();
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT.as_bytes()));
        assert!(policy.contains(&format!("script-src 'sha256-{digest}'")), "{policy}");
        assert!(!policy.contains("unsafe-inline") && policy.starts_with("default-src 'none'"), "{policy}");
    }
}
