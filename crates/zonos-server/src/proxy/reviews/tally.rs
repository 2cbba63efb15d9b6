//! What a review's maker has, with the key given at making: the tally (read once, or pushed over SSE as listeners
//! answer at any replica), the answers as CSV, and *Close review*. To anyone without the key, a review is not there.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use studio_core::review::{answer_rows, Given, Tally, TallyState, ANSWER_COLUMNS};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;
use zonos_api::{RECONNECT_EVENT, REVIEW_ENDED_EVENT, TALLY_EVENT};

use super::{kept_items, owner_hash, OWNER_KEY_HEADER};
use crate::proxy::error::ProxyError;
use crate::proxy::limits::Call;
use crate::proxy::push::OpenStreams;
use crate::proxy::{check_caller, Proxy};
use crate::store::KeptReview;

/// The owner's key in the address, where a header can't be sent (an event stream, a download link). Logs never
/// show a query string.
#[derive(serde::Deserialize)]
pub struct KeyQuery {
    #[serde(default)]
    key: String,
}

/// How long a tally stream lasts (the browser then opens another); how often it reads the review anyway (a
/// publication missed while Redis was away a moment); and the shortest time between two tallies, so that a room
/// answering at once costs a few reads, not one an answer.
const STREAM_LIFE: Duration = Duration::from_secs(30 * 60);
const READ_AGAIN: Duration = Duration::from_secs(5);
const SHORTEST_PAUSE: Duration = Duration::from_millis(250);

/// The review under `token`, for its maker only (`key`): to anyone else, none.
async fn owned(proxy: &Proxy, token: &str, key: &str) -> Result<KeptReview, ProxyError> {
    let review = proxy.store.review(token).await?.ok_or(ProxyError::ReviewGone)?;
    // Compared as hashes: a guess learns nothing from how long the comparison took.
    if key.is_empty() || owner_hash(key) != review.owner_hash {
        return Err(ProxyError::ReviewGone);
    }
    Ok(review)
}

fn header_key(headers: &HeaderMap) -> &str {
    headers.get(OWNER_KEY_HEADER).and_then(|value| value.to_str().ok()).unwrap_or_default()
}

/// Every answer kept of the review under `token`.
async fn given(proxy: &Proxy, token: &str) -> Result<Vec<Given>, ProxyError> {
    let answers = proxy.store.answers(token).await?;
    Ok(answers
        .into_iter()
        .filter_map(|(listener, item, answer)| {
            Some(Given { listener, item: item as usize, answer: serde_json::from_str(&answer).ok()? })
        })
        .collect())
}

async fn state_of(proxy: &Proxy, token: &str, review: &KeptReview) -> Result<TallyState, ProxyError> {
    let real: Vec<_> = kept_items(review).into_iter().map(|item| item.real).collect();
    let tally = Tally::of(&real, &given(proxy, token).await?);
    Ok(TallyState { closed: review.closed, tally })
}

/// `GET /api/reviews/{token}/tally` (key in `x-review-key`): the tally so far.
pub async fn tally(
    State(proxy): State<Arc<Proxy>>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Json<TallyState>, ProxyError> {
    let review = owned(&proxy, &token, header_key(&headers)).await?;
    Ok(Json(state_of(&proxy, &token, &review).await?))
}

/// A tally stream's place: what it follows, and whether it has said its last.
struct Following {
    proxy: Arc<Proxy>,
    token: String,
    changes: tokio::sync::broadcast::Receiver<Arc<str>>,
    last_sent: Option<Instant>,
    until: Instant,
    over: bool,
}

impl Following {
    /// Waits for the review to change (or for the time to read it anyway); `false` when the stream should end.
    async fn changed(&mut self) -> bool {
        let heard = async {
            loop {
                match self.changes.recv().await {
                    // Lagged: this review's change may be among those missed.
                    Ok(token) if *token == *self.token => return true,
                    Err(RecvError::Lagged(_)) => return true,
                    Ok(_) => {}
                    Err(RecvError::Closed) => return false,
                }
            }
        };
        tokio::select! {
            heard = heard => heard,
            () = tokio::time::sleep(READ_AGAIN) => true,
            () = tokio::time::sleep_until(self.until) => false,
        }
    }

    /// The next event: the tally now (after the shortest pause since the last), or the review's end.
    async fn next_event(&mut self) -> Option<Event> {
        if self.over {
            return None;
        }
        if let Some(sent) = self.last_sent {
            if !self.changed().await {
                return None;
            }
            tokio::time::sleep_until(sent + SHORTEST_PAUSE).await;
        }
        self.last_sent = Some(Instant::now());
        let review = self.proxy.store.review(&self.token).await.ok()?;
        let Some(review) = review else {
            self.over = true;
            return Some(Event::default().event(REVIEW_ENDED_EVENT).data("the review has ended"));
        };
        let state = state_of(&self.proxy, &self.token, &review).await.ok()?;
        // A closed review changes no more: its last tally is the stream's last event.
        self.over = state.closed;
        Some(Event::default().event(TALLY_EVENT).json_data(state).expect("a tally serializes"))
    }
}

/// `GET /api/reviews/{token}/events?key=`: the tally at once, then again as listeners answer at any replica, until
/// the review is closed or has ended; a `reconnect` event if the server stops first.
pub async fn events(
    State(proxy): State<Arc<Proxy>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Query(query): Query<KeyQuery>,
    headers: HeaderMap,
) -> Result<Response, ProxyError> {
    let client = proxy.client(peer, &headers);
    proxy.limits.allow(Call::Events, &client).await?;
    owned(&proxy, &token, &query.key).await?;
    let slot = OpenStreams::open(&proxy, client)?;
    // Listening before the first read: an answer in between is heard.
    let changes = proxy.store.review_changes();
    let shutdown = proxy.shutdown.clone();
    let until = Instant::now() + STREAM_LIFE;
    let following = Following { proxy, token, changes, last_sent: None, until, over: false };
    let stream = futures_util::stream::unfold((following, slot), move |(mut following, slot)| {
        let shutdown = shutdown.clone();
        async move {
            let event = tokio::select! {
                event = following.next_event() => event?,
                () = shutdown.begun() => {
                    following.over = true;
                    Event::default().event(RECONNECT_EVENT).data("the server is stopping")
                }
            };
            Some((Ok::<_, Infallible>(event), (following, slot)))
        }
    });
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    // A reverse proxy such as nginx would otherwise hold the events back in its buffer.
    response.headers_mut().insert(HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no"));
    Ok(response)
}

/// `GET /api/reviews/{token}/answers.csv?key=`: every listener's last answer of each take, as a spreadsheet
/// (a download; after a close too, until the review expires).
pub async fn answers_csv(
    State(proxy): State<Arc<Proxy>>,
    Path(token): Path<String>,
    Query(query): Query<KeyQuery>,
) -> Result<Response, ProxyError> {
    let review = owned(&proxy, &token, &query.key).await?;
    let (labels, real): (Vec<_>, Vec<_>) = kept_items(&review).into_iter().map(|item| (item.label, item.real)).unzip();
    let rows = answer_rows(&labels, &real, &given(&proxy, &token).await?);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(ANSWER_COLUMNS).expect("a row is written to memory");
    for row in rows {
        writer.write_record(row).expect("a row is written to memory");
    }
    let csv = writer.into_inner().expect("the rows are in memory");
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"review-answers.csv\""),
        (header::CACHE_CONTROL, "no-store"),
    ];
    Ok((headers, csv).into_response())
}

/// `POST /api/reviews/{token}/close` (key in `x-review-key`): closes the review on every replica: its page and
/// audio end; its answers stay until it expires.
pub async fn close(
    State(proxy): State<Arc<Proxy>>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ProxyError> {
    check_caller(&proxy.config, &headers)?;
    owned(&proxy, &token, header_key(&headers)).await?;
    proxy.store.close_review(&token).await?;
    Ok(StatusCode::NO_CONTENT)
}
