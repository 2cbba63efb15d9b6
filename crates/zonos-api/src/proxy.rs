//! What Zonos Studio's proxy offers beyond the gateway's contract, written once for the server that answers and the
//! app that reads: its offer (served as `config.json` beside the page), a reference upload's answer, and the push
//! stream's path and event names.

use serde::{Deserialize, Serialize};

use crate::Language;

/// The file beside the page where the app finds its defaults: the proxy's offer, or a static host's settings.
pub const CONFIG_FILE: &str = "config.json";
/// Where the proxy takes reference uploads (under its API).
pub const REFERENCES_PATH: &str = "/references";
/// Prefix of the proxy's push stream for a job (under its API), followed by the request id.
pub const EVENTS_PATH_PREFIX: &str = "/v2/requests/events/";
/// The event that carries a job's final status (its data: the status body).
pub const STATUS_EVENT: &str = "status";
/// The event that says the server is stopping: follow the job again (another replica, or by polling).
pub const RECONNECT_EVENT: &str = "reconnect";

/// The proxy's push stream for `request_id`, under its API.
pub fn events_path(request_id: &str) -> String {
    format!("{EVENTS_PATH_PREFIX}{request_id}")
}

/// What a proxy offers the app it serves, so that the app needs no settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyOffer {
    /// Always true: tells this offer from a static host's `config.json`, which the app reads at the same path.
    pub proxy: bool,
    /// Requests go to the sandbox gateway: nothing is paid for.
    pub sandbox: bool,
    /// Final statuses are pushed at [`events_path`].
    pub events: bool,
    /// [`REFERENCES_PATH`] takes recordings and files.
    pub uploads: bool,
    pub voices: Vec<OfferedVoice>,
    /// The proxy needs a person signed in (`--access codes`), and this request's page is not: the app asks for an
    /// access code before anything is sent.
    #[serde(default)]
    pub sign_in: bool,
    /// The OpenID provider people sign in with (`--access oidc`), by name: the panel offers "Sign in with …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_with: Option<String>,
}

impl ProxyOffer {
    /// Its fields' names, for a reader without a JSON library (the app's first screen reads this with the browser's
    /// JSON parser).
    pub const PROXY: &'static str = "proxy";
    pub const SANDBOX: &'static str = "sandbox";
    pub const EVENTS: &'static str = "events";
    pub const UPLOADS: &'static str = "uploads";
    pub const VOICES: &'static str = "voices";
    pub const SIGN_IN: &'static str = "sign_in";
}

/// A sample voice the proxy offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferedVoice {
    pub name: String,
    /// What to send as `reference_audio_url`.
    pub url: String,
    pub language: Option<Language>,
}

impl OfferedVoice {
    pub const NAME: &'static str = "name";
    pub const URL: &'static str = "url";
    pub const LANGUAGE: &'static str = "language";
}

/// The proxy's answer to a reference upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedReference {
    /// What to send as `reference_audio_url`.
    pub url: String,
    pub media_type: String,
    pub size: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_names_are_the_serialized_ones() {
        let voice = OfferedVoice { name: "Ada".into(), url: "http://a/ada.wav".into(), language: Some(Language::EnGb) };
        let offer = ProxyOffer {
            proxy: true,
            sandbox: false,
            events: true,
            uploads: false,
            voices: vec![voice],
            sign_in: true,
            sign_in_with: None,
        };
        let json = serde_json::to_value(&offer).unwrap();
        let fields = [
            ProxyOffer::PROXY,
            ProxyOffer::SANDBOX,
            ProxyOffer::EVENTS,
            ProxyOffer::UPLOADS,
            ProxyOffer::VOICES,
            ProxyOffer::SIGN_IN,
        ];
        assert_eq!(json.as_object().unwrap().len(), fields.len());
        assert!(fields.iter().all(|field| json.get(field).is_some()), "{json}");
        let voice = &json[ProxyOffer::VOICES][0];
        assert_eq!(
            (&voice[OfferedVoice::NAME], &voice[OfferedVoice::URL], &voice[OfferedVoice::LANGUAGE]),
            (&"Ada".into(), &"http://a/ada.wav".into(), &"en_gb".into())
        );
        assert_eq!(events_path("zonos-2_x"), "/v2/requests/events/zonos-2_x");
    }
}
