//! Review links (docs/usage.md). `POST /api/reviews` makes one from takes this proxy issued: it fetches each
//! take's audio as `/api/media` serves it (marked as AI-generated speech, with Content Credentials), refuses a take
//! whose voice has no consent record of its speaker (a sample voice needs none), makes a blind round's clips
//! (`blind`), and keeps it all in the store under a new token, for its days. Its listeners, who never sign in, get
//! its page (`page`), a take's audio at `GET /r/<token>/audio/<file>` (in byte ranges too) and answer at
//! `POST /r/<token>/answers` while it is open; its maker, with the key given at making, has the rest (`tally`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;
use studio_core::blind::Side;
use studio_core::consent::Consent;
use studio_core::review::{Answer, AnswerProblem};
use zonos_api::{
    QrDrawing, ReviewItem, ReviewMade, ReviewRequest, MOST_REVIEW_DAYS, MOST_REVIEW_ITEMS, REVIEW_PAGE_PREFIX,
};

mod blind;
mod page;
mod tally;

pub use page::page;
pub use tally::{answers_csv, close, events, tally};

use super::error::ProxyError;
use super::limits::Call;
use super::media::marked_audio;
use super::voice::{voice_hash, SAMPLE_VOICE, VOICE_HASH};
use super::{check_caller, check_json_type, read_body, Proxy, JSON_LIMIT};
use crate::store::{now_secs, Answered, GivenAnswer, KeptReview, NewReview, MOST_LISTENERS, REVIEW_BOUNDS};
use blind::blind_round;

/// The header a review's maker sends its key in (never the address: it would show in logs and histories).
pub const OWNER_KEY_HEADER: &str = "x-review-key";

/// The longest a review's title, a take's label and its text may be, in characters.
const LONGEST_TITLE: usize = 200;
const LONGEST_LABEL: usize = 100;
const LONGEST_TEXT: usize = 20_000;

/// Makes a review of the takes asked for.
pub async fn make(
    State(proxy): State<Arc<Proxy>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ProxyError> {
    check_caller(&proxy.config, &headers)?;
    check_json_type(&headers)?;
    // Each fetches and signs several takes: as dear as an upload.
    proxy.limits.allow(Call::Upload, &proxy.client(peer, &headers)).await?;
    let body = read_body(body, JSON_LIMIT).await?;
    let request: ReviewRequest = serde_json::from_slice(&body).map_err(ProxyError::NotJson)?;
    let days = checked(&request)?;
    let mut files = Vec::new();
    let mut items = Vec::new();
    let mut kept = 0;
    for (place, item) in request.items.iter().enumerate() {
        let audio = marked_audio(&proxy, &item.media_url).await?;
        let settings: Value = serde_json::from_str(&audio.settings).unwrap_or_default();
        let consent = consented(item, &settings)?;
        let mut kept_item =
            json!({ "label": item.label, "text": item.text, "request_id": audio.request_id, "consent": consent });
        let item_files = match &item.reference_audio_url {
            Some(reference) => {
                let round = blind_round(&proxy, item, reference, &settings, audio.bytes).await?;
                kept_item["real"] = json!(round.real);
                let [a, b] = round.clips;
                vec![(format!("{place}-a.wav"), a), (format!("{place}-b.wav"), b)]
            }
            None => {
                kept_item["peaks"] = json!(waveform(&audio.bytes));
                vec![(format!("{place}.wav"), audio.bytes)]
            }
        };
        kept += item_files.iter().map(|(_, bytes)| bytes.len() as u64).sum::<u64>();
        if kept > REVIEW_BOUNDS.bytes_a_review {
            return Err(ProxyError::ReviewTooLarge(REVIEW_BOUNDS.bytes_a_review));
        }
        files.extend(item_files.into_iter().map(|(name, bytes)| (name, bytes.into())));
        items.push(kept_item);
    }
    let token = uuid::Uuid::new_v4().simple().to_string();
    let owner_key = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let lifetime = Duration::from_secs(u64::from(days) * crate::store::DAY_SECS);
    let record = json!({ "title": request.title, "items": items, "made": now_secs() }).to_string();
    let review = NewReview { token: token.clone(), owner_hash: owner_hash(&owner_key), record, files, lifetime };
    let ended = proxy.store.put_review(&review, REVIEW_BOUNDS).await?;
    if !ended.is_empty() {
        tracing::info!(ended = ended.len(), "reviews: the oldest ended to make room");
    }
    let link = format!("{}{REVIEW_PAGE_PREFIX}{token}", proxy.own_base(&headers));
    let (path, size) = studio_core::qr::modules(&link).unwrap_or_default();
    let qr = QrDrawing { path, size };
    let made = ReviewMade { token, owner_key, link, qr, expires_at: now_secs() + lifetime.as_secs() };
    Ok((StatusCode::CREATED, Json(made)).into_response())
}

/// The review's days, once its fields are within their bounds.
fn checked(request: &ReviewRequest) -> Result<u32, ProxyError> {
    let too_long = |text: &str, most: usize| text.chars().count() > most;
    let problem = if request.items.is_empty() || request.items.len() > MOST_REVIEW_ITEMS {
        Some(format!("a review holds 1 to {MOST_REVIEW_ITEMS} takes, not {}", request.items.len()))
    } else if too_long(&request.title, LONGEST_TITLE) {
        Some(format!("a review's title may be {LONGEST_TITLE} characters long"))
    } else if request
        .items
        .iter()
        .any(|item| too_long(&item.label, LONGEST_LABEL) || too_long(&item.text, LONGEST_TEXT))
    {
        Some(format!("a take's label may be {LONGEST_LABEL} characters long, its text {LONGEST_TEXT}"))
    } else {
        None
    };
    let days = request.days.unwrap_or(MOST_REVIEW_DAYS);
    match problem {
        Some(problem) => Err(ProxyError::Invalid(problem)),
        None if !(1..=MOST_REVIEW_DAYS).contains(&days) => {
            Err(ProxyError::Invalid(format!("a review lasts 1 to {MOST_REVIEW_DAYS} days, not {days}")))
        }
        None => Ok(days),
    }
}

/// The consent record a take is shared with: none for a sample voice; for another, its speaker's, for the very
/// voice the take was made with (its URL hashes to the one kept when the take was sent).
fn consented(item: &ReviewItem, settings: &Value) -> Result<Option<Consent>, ProxyError> {
    if settings.get(SAMPLE_VOICE).is_some() {
        return Ok(None);
    }
    let refused = || ProxyError::NoConsent(item.label.clone());
    let consent: Consent =
        item.consent.clone().and_then(|consent| serde_json::from_value(consent).ok()).ok_or_else(refused)?;
    let same_voice = settings.get(VOICE_HASH).and_then(Value::as_str) == Some(voice_hash(&consent.voice).as_str());
    if same_voice && !consent.speaker.trim().is_empty() {
        Ok(Some(consent))
    } else {
        Err(refused())
    }
}

/// How many columns a take's waveform has on the listener's page.
const WAVEFORM_COLUMNS: usize = 96;

/// A take's waveform, drawn once when the review is made: each column's loudest sample, in hundredths.
fn waveform(wav: &[u8]) -> Vec<u8> {
    let Some((samples, _)) = studio_core::wav::read(wav) else { return Vec::new() };
    let peaks = studio_core::peaks::peaks(&samples, WAVEFORM_COLUMNS);
    peaks.iter().map(|peak| (peak.clamp(0.0, 1.0) * 100.0).round() as u8).collect()
}

/// What the store keeps of a maker's key.
fn owner_hash(owner_key: &str) -> String {
    crate::access::sessions::token_hash(owner_key)
}

/// A take's audio in an open review: whole, or the one byte range asked for (iOS Safari plays media only so).
pub async fn audio(
    State(proxy): State<Arc<Proxy>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((token, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ProxyError> {
    proxy.limits.allow(Call::Media, &proxy.client(peer, &headers)).await?;
    let bytes = proxy.store.review_file(&token, &file).await?.ok_or(ProxyError::ReviewGone)?;
    let total = bytes.len() as u64;
    let kept = [
        (header::CONTENT_TYPE, "audio/wav".to_owned()),
        (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
        (header::ACCEPT_RANGES, "bytes".to_owned()),
    ];
    let asked = headers.get(header::RANGE).and_then(|range| range.to_str().ok());
    let ranges =
        asked.map(|range| http_range_header::parse_range_header(range).and_then(|parsed| parsed.validate(total)));
    Ok(match ranges {
        // One range, as players ask; several are answered with the whole file, as HTTP allows.
        Some(Ok(ranges)) if ranges.len() == 1 => {
            let (start, end) = (*ranges[0].start(), *ranges[0].end());
            let part = bytes.slice(start as usize..=end as usize);
            let range = (header::CONTENT_RANGE, format!("bytes {start}-{end}/{total}"));
            (StatusCode::PARTIAL_CONTENT, kept, [range], part).into_response()
        }
        Some(Err(_)) => {
            let range = (header::CONTENT_RANGE, format!("bytes */{total}"));
            (StatusCode::RANGE_NOT_SATISFIABLE, kept, [range]).into_response()
        }
        _ => (kept, bytes).into_response(),
    })
}

/// A listener's answer of one take (by its place in the review).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    listener: String,
    item: u32,
    #[serde(default)]
    stars: Option<u8>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    guess: Option<Side>,
    /// In a blind round: show me the real side (my guess then stands).
    #[serde(default)]
    reveal: bool,
}

/// What the tally and the answers read of a kept review's record.
#[derive(serde::Deserialize)]
struct Record {
    items: Vec<KeptItem>,
}

/// A kept review's take: its label, and in a blind round the side its real voice plays on.
#[derive(serde::Deserialize)]
struct KeptItem {
    label: String,
    #[serde(default)]
    real: Option<Side>,
}

/// The takes a kept review holds, in their order.
fn kept_items(review: &KeptReview) -> Vec<KeptItem> {
    serde_json::from_str::<Record>(&review.record).map(|record| record.items).unwrap_or_default()
}

/// Keeps a listener's answer of a take, in place of the one they gave before.
pub async fn answer(
    State(proxy): State<Arc<Proxy>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ProxyError> {
    check_caller(&proxy.config, &headers)?;
    check_json_type(&headers)?;
    proxy.limits.allow(Call::Answer, &proxy.client(peer, &headers)).await?;
    proxy.limits.allow(Call::AnswersToOneReview, &token).await?;
    let body: AnswerBody = serde_json::from_slice(&read_body(body, JSON_LIMIT).await?).map_err(ProxyError::NotJson)?;
    let review = proxy.store.review(&token).await?.filter(|review| !review.closed).ok_or(ProxyError::ReviewGone)?;
    let items = kept_items(&review);
    let item = items.get(body.item as usize).filter(|_| studio_core::review::is_listener_id(&body.listener));
    let Some(item) = item else {
        return Err(ProxyError::Invalid("an answer names its listener (32 hex digits) and one of the takes".into()));
    };
    // A blind round's guess stands once its listener has seen the real side.
    let before = match item.real {
        Some(_) => proxy.store.answer_of(&token, &body.listener, body.item).await?,
        None => None,
    };
    let before: Option<Answer> = before.and_then(|before| serde_json::from_str(&before).ok());
    let answer = Answer::checked(body.stars, body.comment.as_deref(), body.guess)
        .and_then(|answer| answer.after(before.as_ref(), item.real.is_some(), body.reveal))
        .map_err(|problem| match problem {
            AnswerProblem::GuessStands => ProxyError::GuessStands,
            problem => ProxyError::Invalid(problem.to_string()),
        })?;
    let kept = serde_json::to_string(&answer).expect("an answer serializes");
    let given = GivenAnswer {
        token: &token,
        listener: &body.listener,
        item: body.item,
        answer: &kept,
        most_listeners: MOST_LISTENERS,
    };
    match proxy.store.answer(&given).await? {
        Answered::Kept => Ok(match item.real.filter(|_| answer.revealed) {
            Some(real) => Json(json!({ "real": real })).into_response(),
            None => StatusCode::NO_CONTENT.into_response(),
        }),
        Answered::Ended => Err(ProxyError::ReviewGone),
        Answered::Full => Err(ProxyError::ReviewFull(MOST_LISTENERS)),
    }
}
