//! Webhooks instead of polling: each submission gets an unguessable callback token; the gateway's callback is
//! accepted only with it, and its final status is pushed to the browser over Server-Sent Events.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::watch;
use zonos_api::JobStatusResponse;

use super::error::ProxyError;
use super::{read_body, Proxy, JSON_LIMIT};

/// How long a callback token stays valid: longer than any job runs.
const TOKEN_LIFETIME: Duration = Duration::from_secs(6 * 60 * 60);

struct Slot {
    request_id: Option<String>,
    opened: Instant,
    status: watch::Sender<Option<JobStatusResponse>>,
}

#[derive(Default)]
struct Slots {
    by_token: HashMap<String, Slot>,
    token_of: HashMap<String, String>,
}

/// The callbacks the proxy is waiting for, and the browsers waiting on them.
#[derive(Default)]
pub struct Hub(Mutex<Slots>);

impl Hub {
    /// A new callback token, before the submission is sent.
    pub fn open(&self) -> String {
        let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
        let mut slots = self.0.lock().expect("hub lock");
        slots.by_token.retain(|_, slot| slot.opened.elapsed() < TOKEN_LIFETIME);
        let Slots { by_token, token_of } = &mut *slots;
        token_of.retain(|_, token| by_token.contains_key(token));
        let (status, _) = watch::channel(None);
        slots.by_token.insert(token.clone(), Slot { request_id: None, opened: Instant::now(), status });
        token
    }

    /// The gateway accepted the submission as `request_id`.
    pub fn bind(&self, token: &str, request_id: &str) {
        let mut slots = self.0.lock().expect("hub lock");
        if let Some(slot) = slots.by_token.get_mut(token) {
            slot.request_id = Some(request_id.to_owned());
            // A callback that came before the 202 was read, for another job, is not this job's end.
            if slot.status.borrow().as_ref().is_some_and(|status| status.request_id != request_id) {
                slot.status.send_replace(None);
            }
            slots.token_of.insert(request_id.to_owned(), token.to_owned());
        }
    }

    /// The submission was not accepted: no callback will come.
    pub fn close(&self, token: &str) {
        self.0.lock().expect("hub lock").by_token.remove(token);
    }

    fn deliver(&self, token: &str, status: JobStatusResponse) -> Result<(), ProxyError> {
        let slots = self.0.lock().expect("hub lock");
        let slot = slots.by_token.get(token).ok_or(ProxyError::UnknownCallback)?;
        let for_this_job = slot.request_id.as_ref().is_none_or(|id| *id == status.request_id);
        if !for_this_job {
            return Err(ProxyError::BadCallback);
        }
        // Only the end is pushed; a gateway that also reports progress is thanked and otherwise ignored.
        if status.status.is_final() {
            slot.status.send_replace(Some(status));
        }
        Ok(())
    }

    fn subscribe(&self, request_id: &str) -> Option<watch::Receiver<Option<JobStatusResponse>>> {
        let slots = self.0.lock().expect("hub lock");
        let token = slots.token_of.get(request_id)?;
        Some(slots.by_token.get(token)?.status.subscribe())
    }
}

/// `POST /api/webhooks/{token}`: the gateway's callback.
pub async fn callback(
    State(proxy): State<Arc<Proxy>>,
    Path(token): Path<String>,
    body: Body,
) -> Result<StatusCode, ProxyError> {
    let body = read_body(body, JSON_LIMIT).await?;
    let status: JobStatusResponse = serde_json::from_slice(&body).map_err(|_| ProxyError::BadCallback)?;
    proxy.hub.deliver(&token, status)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v2/requests/events/{request_id}`: one `status` event with the final status, then the stream ends.
pub async fn events(
    State(proxy): State<Arc<Proxy>>,
    Path(request_id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ProxyError> {
    super::forward::check_request_id(&request_id)?;
    let mut receiver = proxy.hub.subscribe(&request_id).ok_or(ProxyError::NoEvents(request_id))?;
    let final_status = async move {
        let status = receiver.wait_for(Option::is_some).await.ok()?.clone()?;
        Some(Ok(Event::default().event("status").json_data(status).expect("a status serializes")))
    };
    let stream = futures_util::StreamExt::filter_map(futures_util::stream::once(final_status), std::future::ready);
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
