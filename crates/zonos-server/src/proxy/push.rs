//! Webhooks instead of polling: each submission gets an unguessable callback token; the gateway's callback is
//! accepted only with it, and its final status is pushed to the browser over Server-Sent Events. Tokens and final
//! statuses live in the store: a callback that arrives after a restart, or at another replica than the one holding
//! the browser's stream, still reaches it.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use zonos_api::{JobStatusResponse, RECONNECT_EVENT, STATUS_EVENT};

use super::error::ProxyError;
use super::limits::Call;
use super::{read_body, Proxy, JSON_LIMIT};
use crate::store::Callback;

/// How long a stream waits for its job's end: as long as the app follows a job. Then the app polls.
const STREAM_LIFE: Duration = Duration::from_secs(15 * 60);
/// How often a waiting stream looks in the store too, in case a publication was missed (Redis went away a moment).
const LOOK_AGAIN: Duration = Duration::from_secs(5);
/// While a browser waits on a job's stream, the proxy checks its status upstream too, slowly (the webhook is the
/// usual way): a webhook that never comes, or a status endpoint a browser can't get through, does not leave the job
/// unfinished. The pauses double from the first to the longest.
const OWN_CHECK_FIRST: Duration = Duration::from_secs(15);
const OWN_CHECK_LONGEST: Duration = Duration::from_secs(60);
/// Event streams open at once at this replica, in all and per client: each holds a connection.
const STREAMS: usize = 512;
const STREAMS_PER_CLIENT: usize = 16;

/// The event streams open now, per client.
#[derive(Default)]
pub struct OpenStreams(Mutex<HashMap<String, usize>>);

/// One open stream; closes with it.
pub(super) struct StreamSlot {
    streams: Arc<Proxy>,
    client: String,
}

impl OpenStreams {
    pub(super) fn open(proxy: &Arc<Proxy>, client: String) -> Result<StreamSlot, ProxyError> {
        let mut open = proxy.streams.0.lock().expect("streams lock");
        let in_all: usize = open.values().sum();
        let mine = open.entry(client.clone()).or_default();
        if in_all >= STREAMS || *mine >= STREAMS_PER_CLIENT {
            return Err(ProxyError::TooManyStreams);
        }
        *mine += 1;
        Ok(StreamSlot { streams: Arc::clone(proxy), client })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.streams.streams.0.lock().expect("streams lock");
        if let Some(count) = open.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// `POST /api/webhooks/{token}`: the gateway's callback.
pub async fn callback(
    State(proxy): State<Arc<Proxy>>,
    Path(token): Path<String>,
    body: Body,
) -> Result<StatusCode, ProxyError> {
    let body = read_body(body, JSON_LIMIT).await?;
    let status = JobStatusResponse::from_callback(&body).map_err(|_| ProxyError::BadCallback)?;
    let for_this_job = match proxy.store.callback(&token).await?.ok_or(ProxyError::UnknownCallback)? {
        // It came before the gateway's 202 was read: the body says which job, and the token is the proof.
        Callback::Pending => zonos_api::is_request_id(&status.request_id),
        Callback::For(request_id) => request_id == status.request_id,
    };
    if !for_this_job {
        return Err(ProxyError::BadCallback);
    }
    // Only the end is pushed (the first to come, by here or by the proxy's own check); a gateway that also reports
    // progress is thanked and otherwise ignored.
    if status.status.is_final() {
        // Noted before it is pushed: whoever hears of the end finds it in the log.
        crate::access::usage::settle_status(&proxy.store, &status).await;
        proxy.store.publish_final(&status).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v2/requests/events/{request_id}`: one `status` event with the final status, then the stream ends; or,
/// if the server stops first, one `reconnect` event.
pub async fn events(
    State(proxy): State<Arc<Proxy>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(request_id): Path<String>,
) -> Result<Response, ProxyError> {
    super::check_request_id(&request_id)?;
    let client = proxy.client(peer, &headers);
    proxy.limits.allow(Call::Events, &client).await?;
    if !proxy.store.is_issued(&request_id).await? {
        return Err(ProxyError::NotIssued(request_id));
    }
    let slot = OpenStreams::open(&proxy, client)?;
    // Listening before looking: an end published in between is heard.
    let mut finals = proxy.store.finals();
    let (store, shutdown) = (proxy.store.clone(), proxy.shutdown.clone());
    let ending = async move {
        let checked = checked_upstream(&proxy, &request_id);
        let wait = async {
            loop {
                if let Ok(Some(status)) = store.final_status(&request_id).await {
                    return Some(status);
                }
                let heard = tokio::time::timeout(LOOK_AGAIN, async {
                    loop {
                        match finals.recv().await {
                            Ok(status) if status.request_id == request_id => return Some((*status).clone()),
                            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                        }
                    }
                })
                .await;
                if let Ok(status) = heard {
                    return status;
                }
            }
        };
        let event = tokio::select! {
            status = wait => status.map(status_event),
            status = checked => status.map(status_event),
            () = shutdown.begun() => Some(Event::default().event(RECONNECT_EVENT).data("the server is stopping")),
            () = tokio::time::sleep(STREAM_LIFE) => None,
        };
        drop(slot);
        event.map(Ok::<_, Infallible>)
    };
    let stream = futures_util::StreamExt::filter_map(futures_util::stream::once(ending), std::future::ready);
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    // A reverse proxy such as nginx would otherwise hold the event back in its buffer.
    response.headers_mut().insert(HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no"));
    Ok(response)
}

fn status_event(status: JobStatusResponse) -> Event {
    Event::default().event(STATUS_EVENT).json_data(status).expect("a status serializes")
}

/// Checks the job's status upstream now and then until it has ended, and publishes that end: the job's, unless its
/// webhook came first (then that one is, as the store keeps the first).
async fn checked_upstream(proxy: &Proxy, request_id: &str) -> Option<JobStatusResponse> {
    let mut pause = OWN_CHECK_FIRST;
    let status = loop {
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(OWN_CHECK_LONGEST);
        match super::forward::status_of(proxy, request_id).await {
            Ok(status) if status.status.is_final() => break status,
            Ok(_) => {}
            Err(error) => tracing::info!(%error, request_id, "the proxy's own status check got no status"),
        }
    };
    crate::access::usage::settle_status(&proxy.store, &status).await;
    match proxy.store.publish_final(&status).await {
        Ok(true) => Some(status),
        Ok(false) => proxy.store.final_status(request_id).await.ok().flatten(),
        // The store can't keep it now: this stream still tells its browser, which keeps the take.
        Err(error) => {
            tracing::error!(%error, request_id, "the store could not keep a job's end");
            Some(status)
        }
    }
}
