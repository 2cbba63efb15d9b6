use serde_json::{Map, Number, Value};
use zonos_api::{format_number, Field, FieldError, GenerateRequest, Language, DEFAULT_TEXT};

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
        let numbers = NUMBER_FIELDS
            .map(|field| field.numeric_spec().and_then(|spec| spec.default).map(format_number).unwrap_or_default());
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

    /// A draft from a request body (a shared link): every field it holds, numbers as written, the rest default.
    pub fn from_json(body: &Value) -> Draft {
        let mut draft = Draft::default();
        let text = |field: Field| body.get(field.key()).and_then(Value::as_str).map(str::to_owned);
        let flag = |field: Field| body.get(field.key()).and_then(Value::as_bool);
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
            match body.get(field.key()) {
                Some(Value::Number(number)) => draft.set_number(field, number.to_string()),
                Some(Value::String(typed)) => draft.set_number(field, typed.clone()),
                _ => {}
            }
        }
        draft
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

    /// The request body this form describes. An empty field is left out, so the gateway applies its documented
    /// default; a number that doesn't parse goes as the text typed, for the contract to name the problem.
    pub fn to_json(&self) -> Value {
        let mut body = Map::new();
        body.insert(Field::ReferenceAudioUrl.key().into(), self.reference_audio_url.trim().into());
        if !self.text.trim().is_empty() {
            body.insert(Field::Text.key().into(), self.text.clone().into());
        }
        body.insert(Field::Language.key().into(), self.language.code().into());
        body.insert(Field::AccurateMode.key().into(), self.accurate_mode.into());
        body.insert(Field::CleanSpeakerBackground.key().into(), self.clean_speaker_background.into());
        for (field, text) in NUMBER_FIELDS.iter().zip(&self.numbers) {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let value = serde_json::from_str::<Number>(text).map(Value::Number).unwrap_or_else(|_| text.into());
            body.insert(field.key().into(), value);
        }
        Value::Object(body)
    }

    /// The valid request, or every problem with the form, as the contract judges it.
    pub fn to_request(&self) -> Result<GenerateRequest, Vec<FieldError>> {
        GenerateRequest::from_json(&self.to_json())
    }
}
