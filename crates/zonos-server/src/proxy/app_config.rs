//! `GET /api/config`, and `GET /config.json` where the app looks for it: what this proxy offers, so that the app
//! served by it needs no settings.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use zonos_api::ProxyOffer;

use super::Proxy;
use crate::access::AccessMode;

pub async fn config(State(proxy): State<Arc<Proxy>>, headers: HeaderMap) -> Json<ProxyOffer> {
    let reachable = proxy.callback_base.is_some();
    // A store that can't be read is taken as "not signed in": the sign-in then says what is wrong.
    let sign_in = proxy.config.access == AccessMode::Codes
        && !crate::access::signed_in(&proxy.store, &headers).await.unwrap_or(false);
    Json(ProxyOffer {
        proxy: true,
        sandbox: proxy.config.sandbox,
        events: reachable,
        uploads: reachable,
        voices: proxy.config.voices.clone(),
        sign_in,
    })
}
