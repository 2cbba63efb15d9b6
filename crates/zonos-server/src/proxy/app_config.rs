//! `GET /api/config`, and `GET /config.json` where the app looks for it: what this proxy offers, so that the app
//! served by it needs no settings.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use zonos_api::{OfferedVoice, ProxyOffer};

use super::Proxy;

pub async fn config(State(proxy): State<Arc<Proxy>>) -> Json<ProxyOffer> {
    let reachable = proxy.callback_base.is_some();
    let voices = proxy.config.voices.iter().map(|voice| OfferedVoice {
        name: voice.name.clone(),
        url: voice.url.clone(),
        language: Some(voice.language),
    });
    Json(ProxyOffer {
        proxy: true,
        sandbox: proxy.config.sandbox,
        events: reachable,
        uploads: reachable,
        voices: voices.collect(),
    })
}
