//! `GET /api/config`, and `GET /config.json` where the app looks for it: what this proxy offers, so that the app
//! served by it needs no settings.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use zonos_api::ProxyOffer;

use super::Proxy;

pub async fn config(State(proxy): State<Arc<Proxy>>) -> Json<ProxyOffer> {
    let reachable = proxy.callback_base.is_some();
    Json(ProxyOffer {
        proxy: true,
        sandbox: proxy.config.sandbox,
        events: reachable,
        uploads: reachable,
        voices: proxy.config.voices.clone(),
    })
}
