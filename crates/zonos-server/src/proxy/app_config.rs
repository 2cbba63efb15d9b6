//! `GET /api/config`, and `GET /config.json` where the app looks for it: what this proxy offers, so that the app
//! served by it needs no settings.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use super::Proxy;
use crate::sandbox::Voice;

#[derive(Serialize)]
pub struct Offer {
    /// Always true: tells this offer from a static host's `config.json`, which the app reads at the same path.
    proxy: bool,
    /// Requests go to the sandbox gateway: nothing is paid for.
    sandbox: bool,
    /// Final statuses are pushed at `/api/v2/requests/events/{request_id}`.
    events: bool,
    /// `POST /api/references` takes recordings and files.
    uploads: bool,
    voices: Vec<Voice>,
}

pub async fn config(State(proxy): State<Arc<Proxy>>) -> Json<Offer> {
    let reachable = proxy.callback_base.is_some();
    Json(Offer {
        proxy: true,
        sandbox: proxy.config.sandbox,
        events: reachable,
        uploads: reachable,
        voices: proxy.config.voices.clone(),
    })
}
