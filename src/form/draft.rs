use serde_json::Value;
use zonos_api::{Field, FieldError, GenerateRequest, Language, RawRequest, RawValue, DEFAULT_TEXT};

use crate::platform::js;

/// The form's values as the person typed them. Numbers stay text, so that a half-typed or mistyped value is
/// shown back as typed and explained by the contract's validation rather than silently dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub reference_audio_url: String,
    pub text: String,
    pub language: Language,
    pub accurate_mode: bool,
    pub clean_speaker_background: bool,
    /// The numeric fields' texts, in the order of [`NUMBER_FIELDS`].
    numbers: [String; NUMBER_FIELDS.len()],
}

/// Sampling for a purpose, matching the docs' meaning of `accurate_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// The closest match to the reference voice: accurate mode, calmer sampling.
    Accurate,
    /// A livelier delivery: accurate mode off, freer sampling.
    Expressive,
}

/// The numeric fields, in the order the form shows them.
pub const NUMBER_FIELDS: [Field; 6] =
    [Field::Temperature, Field::TopP, Field::MinP, Field::TopK, Field::MaxTokens, Field::Seed];

/// The documented defaults, read from the contract.
impl Default for Draft {
    fn default() -> Self {
        let defaults = GenerateRequest::default();
        let numbers = NUMBER_FIELDS.map(|field| {
            field.numeric_spec().and_then(|spec| spec.default).map(|default| default.to_string()).unwrap_or_default()
        });
        Draft {
            reference_audio_url: defaults.reference_audio_url,
            text: DEFAULT_TEXT.to_owned(),
            language: defaults.language,
            accurate_mode: defaults.accurate_mode,
            clean_speaker_background: defaults.clean_speaker_background,
            numbers,
        }
    }
}

fn slot(field: Field) -> usize {
    NUMBER_FIELDS.iter().position(|number| *number == field).expect("a numeric field")
}

impl Draft {
    /// Every documented default again, keeping the chosen voice: the reference URL has no default to go back to.
    pub fn reset(&mut self) {
        let voice = std::mem::take(&mut self.reference_audio_url);
        *self = Draft { reference_audio_url: voice, ..Draft::default() };
    }

    /// A draft from fields as given (a shared link's, a preset's): every field it holds, numbers as written, the
    /// rest default.
    pub fn from_raw(raw: &RawRequest) -> Draft {
        let mut draft = Draft::default();
        let text = |field: Field| match raw.get(field) {
            RawValue::Text(text) => Some(text.clone()),
            _ => None,
        };
        let flag = |field: Field| match raw.get(field) {
            RawValue::Boolean(flag) => Some(*flag),
            _ => None,
        };
        if let Some(url) = text(Field::ReferenceAudioUrl) {
            draft.reference_audio_url = url;
        }
        if let Some(text) = text(Field::Text) {
            draft.text = text;
        }
        if let Some(language) = text(Field::Language).and_then(|code| Language::from_code(&code)) {
            draft.language = language;
        }
        draft.accurate_mode = flag(Field::AccurateMode).unwrap_or(draft.accurate_mode);
        draft.clean_speaker_background = flag(Field::CleanSpeakerBackground).unwrap_or(draft.clean_speaker_background);
        for field in NUMBER_FIELDS {
            match raw.get(field) {
                RawValue::Number { written, .. } => draft.set_number(field, written.clone()),
                RawValue::Text(typed) => draft.set_number(field, typed.clone()),
                _ => {}
            }
        }
        draft
    }

    /// A draft from a request body's JSON text (a shared link's), as [`Draft::from_raw`] reads it; `None` if the
    /// text is not a JSON object. Read with the browser's JSON parser: the first screen does without a JSON library.
    pub fn from_json_text(text: &str) -> Option<Draft> {
        let body = js_sys::JSON::parse(text).ok().filter(|body| body.is_object() && !js_sys::Array::is_array(body))?;
        let mut raw = RawRequest::default();
        for field in Field::ALL {
            let value = js::property(&body, field.key());
            let value = if let Some(text) = value.as_string() {
                RawValue::Text(text)
            } else if let Some(flag) = value.as_bool() {
                RawValue::Boolean(flag)
            } else if let Some(number) = value.as_f64() {
                let written = js_sys::JSON::stringify(&value).map(String::from).unwrap_or_default();
                RawValue::Number { value: number, written }
            } else {
                continue;
            };
            raw.set(field, value);
        }
        Some(Draft::from_raw(&raw))
    }

    /// This draft with every field that `edited` changed from the defaults taken from `edited`.
    pub fn with_edits(mut self, edited: &Draft) -> Draft {
        let defaults = Draft::default();
        if edited.reference_audio_url != defaults.reference_audio_url {
            self.reference_audio_url.clone_from(&edited.reference_audio_url);
        }
        if edited.text != defaults.text {
            self.text.clone_from(&edited.text);
        }
        if edited.language != defaults.language {
            self.language = edited.language;
        }
        if edited.accurate_mode != defaults.accurate_mode {
            self.accurate_mode = edited.accurate_mode;
        }
        if edited.clean_speaker_background != defaults.clean_speaker_background {
            self.clean_speaker_background = edited.clean_speaker_background;
        }
        for (slot, (typed, default)) in edited.numbers.iter().zip(&defaults.numbers).enumerate() {
            if typed != default {
                self.numbers[slot].clone_from(typed);
            }
        }
        self
    }

    /// Applies a preset: the delivery it names, with sampling to match. Voice, text and seed stay.
    pub fn apply(&mut self, preset: Preset) {
        let (accurate, temperature, min_p, top_k) = match preset {
            Preset::Accurate => (true, "0.9", "0.2", "80"),
            Preset::Expressive => (false, "1.4", "0.1", "200"),
        };
        self.accurate_mode = accurate;
        self.set_number(Field::Temperature, temperature.to_owned());
        self.set_number(Field::TopP, "0".to_owned());
        self.set_number(Field::MinP, min_p.to_owned());
        self.set_number(Field::TopK, top_k.to_owned());
    }

    /// The text typed into a numeric field.
    pub fn number(&self, field: Field) -> &str {
        &self.numbers[slot(field)]
    }

    pub fn set_number(&mut self, field: Field, text: String) {
        self.numbers[slot(field)] = text;
    }

    /// The fields this form gives. An empty field is left out, so the gateway applies its documented default; a
    /// number that doesn't read as a JSON number goes as the text typed, for the contract to name the problem.
    pub fn to_raw(&self) -> RawRequest {
        let mut raw = RawRequest::default();
        raw.set(Field::ReferenceAudioUrl, RawValue::Text(self.reference_audio_url.trim().to_owned()));
        if !self.text.trim().is_empty() {
            raw.set(Field::Text, RawValue::Text(self.text.clone()));
        }
        raw.set(Field::Language, RawValue::Text(self.language.code().to_owned()));
        raw.set(Field::AccurateMode, RawValue::Boolean(self.accurate_mode));
        raw.set(Field::CleanSpeakerBackground, RawValue::Boolean(self.clean_speaker_background));
        for (field, text) in NUMBER_FIELDS.iter().zip(&self.numbers) {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let value = match json_number(text) {
                Some(value) => RawValue::Number { value, written: text.to_owned() },
                None => RawValue::Text(text.to_owned()),
            };
            raw.set(*field, value);
        }
        raw
    }

    /// The request body this form describes, as the app sends it and a share link carries it.
    pub fn to_json(&self) -> Value {
        self.to_raw().to_json()
    }

    /// The valid request, or every problem with the form, as the contract judges it.
    pub fn to_request(&self) -> Result<GenerateRequest, Vec<FieldError>> {
        GenerateRequest::from_raw(&self.to_raw())
    }
}

/// `text` as a JSON number, read by the browser's own JSON parser: a Rust one would weigh on the first load, where
/// every keystroke is checked.
fn json_number(text: &str) -> Option<f64> {
    js_sys::JSON::parse(text).ok()?.as_f64()
}
