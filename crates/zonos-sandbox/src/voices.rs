//! Sample reference voices, made by the project with espeak-ng (see `voices/README.md`) and built into the binary,
//! so that the demo has voices to clone with no network.

use serde::Serialize;
use zonos_api::Language;

/// A voice shipped with the sandbox.
pub struct SampleVoice {
    pub name: &'static str,
    /// Its file name under `/__sandbox/voices/`.
    pub file: &'static str,
    pub language: Language,
    pub wav: &'static [u8],
}

pub const SAMPLE_VOICES: [SampleVoice; 3] = [
    SampleVoice { name: "Ada", file: "ada.wav", language: Language::EnUs, wav: include_bytes!("../voices/ada.wav") },
    SampleVoice {
        name: "Basil",
        file: "basil.wav",
        language: Language::EnGb,
        wav: include_bytes!("../voices/basil.wav"),
    },
    SampleVoice {
        name: "Margaux",
        file: "margaux.wav",
        language: Language::FrFr,
        wav: include_bytes!("../voices/margaux.wav"),
    },
];

/// A sample voice at an address: an entry of `GET /__sandbox/voices`, and of what the proxy offers the app.
#[derive(Debug, Clone, Serialize)]
pub struct Voice {
    pub name: String,
    pub url: String,
    pub language: Language,
}

/// The sample voices with absolute URLs under `base` (where the sandbox is reached).
pub fn listed(base: &str) -> Vec<Voice> {
    SAMPLE_VOICES
        .iter()
        .map(|voice| Voice {
            name: voice.name.to_owned(),
            url: format!("{base}/__sandbox/voices/{}", voice.file),
            language: voice.language,
        })
        .collect()
}

pub fn by_file(file: &str) -> Option<&'static SampleVoice> {
    SAMPLE_VOICES.iter().find(|voice| voice.file == file)
}
