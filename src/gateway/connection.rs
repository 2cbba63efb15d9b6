//! How this page reaches a gateway, found at start-up from the `config.json` beside the page: served by our proxy,
//! it is the proxy's offer (as at `/api/config`); hosted as static files, the host's defaults, if any (then the
//! person gives a gateway and key).

use serde::Deserialize;
use zonos_api::Language;

use crate::platform::http;

/// A sample reference voice.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Voice {
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub language: Option<Language>,
}

/// What the proxy offers (`GET /api/config`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Offer {
    /// Set by the proxy only: a static host's `config.json` is not an offer.
    #[serde(default)]
    pub proxy: bool,
    #[serde(default)]
    pub sandbox: bool,
    #[serde(default)]
    pub events: bool,
    #[serde(default)]
    pub uploads: bool,
    #[serde(default)]
    pub voices: Vec<Voice>,
}

/// Defaults set by whoever hosts the page as static files (`config.json`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct HostDefaults {
    #[serde(default)]
    pub gateway_url: Option<String>,
    #[serde(default)]
    pub voices: Vec<Voice>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    Proxy(Offer),
    Direct(HostDefaults),
}

impl Connection {
    pub fn voices(&self) -> &[Voice] {
        match self {
            Connection::Proxy(offer) => &offer.voices,
            Connection::Direct(defaults) => &defaults.voices,
        }
    }
}

/// Reads the `config.json` beside the page: one request, whoever serves it.
pub async fn discover() -> Connection {
    let text = match http::send("GET", "config.json", &[], None, 10).await {
        Ok(answer) if answer.status == 200 => answer.body,
        _ => return Connection::Direct(HostDefaults::default()),
    };
    match serde_json::from_str::<Offer>(&text) {
        Ok(offer) if offer.proxy => Connection::Proxy(offer),
        _ => Connection::Direct(serde_json::from_str(&text).unwrap_or_default()),
    }
}
