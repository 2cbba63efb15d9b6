//! How this page reaches a gateway, found at start-up from the `config.json` beside the page: served by our proxy,
//! it is the proxy's offer (as at `/api/config`); hosted as static files, the host's defaults, if any (then the
//! person gives a gateway and key).

use js_sys::JSON;
use wasm_bindgen::JsValue;
use zonos_api::{Language, OfferedVoice, ProxyOffer, CONFIG_FILE};

use crate::platform::http;
use crate::platform::js::{items, property};

/// A sample reference voice.
#[derive(Debug, Clone, PartialEq)]
pub struct Voice {
    pub name: String,
    pub url: String,
    pub language: Option<Language>,
}

/// What the proxy offers (`GET /api/config`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Offer {
    pub sandbox: bool,
    pub events: bool,
    pub uploads: bool,
    pub voices: Vec<Voice>,
    /// The proxy asks this page to sign in first.
    pub sign_in: bool,
}

/// Defaults set by whoever hosts the page as static files (`config.json`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HostDefaults {
    pub gateway_url: Option<String>,
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
    match http::send("GET", CONFIG_FILE, &[], None, 10).await {
        Ok(answer) if answer.status == 200 => read_config(&answer.body),
        _ => Connection::Direct(HostDefaults::default()),
    }
}

/// What a `config.json` says: the proxy's offer when it says `"proxy": true` (a static host's file is not an offer),
/// else a host's defaults. Missing or ill-typed entries are left out. Read with the browser's JSON parser: a Rust
/// one would weigh on the first load for this one small file.
pub fn read_config(text: &str) -> Connection {
    let config = JSON::parse(text).unwrap_or(JsValue::NULL);
    let flag = |name: &str| property(&config, name).as_bool().unwrap_or(false);
    let voice = |value: &JsValue| {
        Some(Voice {
            name: property(value, OfferedVoice::NAME).as_string()?,
            url: property(value, OfferedVoice::URL).as_string()?,
            language: property(value, OfferedVoice::LANGUAGE).as_string().and_then(|code| Language::from_code(&code)),
        })
    };
    let voices = items(&property(&config, ProxyOffer::VOICES)).iter().filter_map(voice).collect();
    if flag(ProxyOffer::PROXY) {
        Connection::Proxy(Offer {
            sandbox: flag(ProxyOffer::SANDBOX),
            events: flag(ProxyOffer::EVENTS),
            uploads: flag(ProxyOffer::UPLOADS),
            voices,
            sign_in: flag(ProxyOffer::SIGN_IN),
        })
    } else {
        Connection::Direct(HostDefaults { gateway_url: property(&config, "gateway_url").as_string(), voices })
    }
}
