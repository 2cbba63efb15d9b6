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
    let sign_in = matches!(proxy.config.access.mode, AccessMode::Codes | AccessMode::Oidc)
        && !crate::access::signed_in(&proxy.store, &headers).await.unwrap_or(false);
    Json(ProxyOffer {
        proxy: true,
        sandbox: proxy.config.sandbox,
        events: reachable,
        uploads: reachable,
        voices: proxy.config.voices.clone(),
        sign_in,
        sign_in_with: proxy.config.access.oidc.as_ref().map(|oidc| oidc.provider_name()),
    })
}
