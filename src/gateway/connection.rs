//! How this page reaches a gateway, found at start-up: served by our proxy (`/api/config` answers), or hosted as
//! static files (then a `config.json` beside the page may set defaults, and the person gives a gateway and key).

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

async fn fetch_json<T: for<'de> Deserialize<'de>>(url: &str) -> Option<T> {
    let answer = http::send("GET", url, &[], None, 10).await.ok()?;
    (answer.status == 200).then(|| serde_json::from_str(&answer.body).ok()).flatten()
}

/// Asks the server that served the page what it offers.
pub async fn discover() -> Connection {
    match fetch_json::<Offer>("/api/config").await {
        Some(offer) => Connection::Proxy(offer),
        None => Connection::Direct(fetch_json("config.json").await.unwrap_or_default()),
    }
}
