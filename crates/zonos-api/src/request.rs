use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::validation::{check_number, is_http_url};
use crate::{format_number, Field, FieldError, Language, Problem, RawRequest, RawValue};

/// The built-in example the gateway speaks when `text` is omitted.
pub const DEFAULT_TEXT: &str = "Hello, this is a sample of my cloned voice speaking naturally.";

/// The body of `POST /zonos-2/v1/zonos-2-request`, every documented field in the documented order.
///
/// Numbers are held in types wide enough for every valid value; [`GenerateRequest::validate`] checks the documented
/// ranges, and [`GenerateRequest::from_json`] also reports ill-typed fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenerateRequest {
    pub reference_audio_url: String,
    /// `None` leaves it out, and the gateway speaks [`DEFAULT_TEXT`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub language: Language,
    pub accurate_mode: bool,
    pub clean_speaker_background: bool,
    #[serde(serialize_with = "compact_float")]
    pub temperature: f64,
    #[serde(serialize_with = "compact_float")]
    pub top_p: f64,
    #[serde(serialize_with = "compact_float")]
    pub min_p: f64,
    pub top_k: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
}

/// Writes whole floats as integers (`0`, not `0.0`), as the docs' examples do.
fn compact_float<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    match crate::field::exact_integer(*value) {
        Some(integer) => serializer.serialize_i64(integer),
        None => serializer.serialize_f64(*value),
    }
}

fn documented_default(field: Field) -> f64 {
    field.numeric_spec().and_then(|spec| spec.default).expect("a numeric field with a documented default").to_f64()
}

/// Every documented default; the reference URL, which has none, is empty (and so invalid until set).
impl Default for GenerateRequest {
    fn default() -> Self {
        GenerateRequest {
            reference_audio_url: String::new(),
            text: None,
            language: Language::default(),
            accurate_mode: true,
            clean_speaker_background: false,
            temperature: documented_default(Field::Temperature),
            top_p: documented_default(Field::TopP),
            min_p: documented_default(Field::MinP),
            top_k: documented_default(Field::TopK) as u32,
            max_tokens: None,
            seed: None,
        }
    }
}

impl GenerateRequest {
    /// A request with every documented default and this reference voice.
    pub fn with_reference(reference_audio_url: impl Into<String>) -> Self {
        GenerateRequest { reference_audio_url: reference_audio_url.into(), ..Default::default() }
    }

    /// The text the gateway will speak.
    pub fn text_or_default(&self) -> &str {
        self.text.as_deref().unwrap_or(DEFAULT_TEXT)
    }

    /// The problems of its texts: the reference URL (required, http) and the text (not empty when given).
    fn text_problems(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        if self.reference_audio_url.trim().is_empty() {
            problems.push(FieldError::new(Field::ReferenceAudioUrl, Problem::Required));
        } else if !is_http_url(&self.reference_audio_url) {
            let value = RawValue::Text(self.reference_audio_url.clone()).written();
            problems.push(FieldError::new(Field::ReferenceAudioUrl, Problem::NotHttpUrl { value }));
        }
        if self.text.as_deref().is_some_and(|text| text.trim().is_empty()) {
            problems.push(FieldError::new(Field::Text, Problem::Empty));
        }
        problems
    }

    /// Every problem with this request, in field order; empty when it is valid.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut problems = self.text_problems();
        let numbers = [
            (Field::Temperature, Some(self.temperature)),
            (Field::TopP, Some(self.top_p)),
            (Field::MinP, Some(self.min_p)),
            (Field::TopK, Some(f64::from(self.top_k))),
            (Field::MaxTokens, self.max_tokens.map(f64::from)),
            (Field::Seed, self.seed.map(f64::from)),
        ];
        problems.extend(numbers.into_iter().filter_map(|(field, value)| {
            let value = value?;
            check_number(field, value, || format_number(value))
        }));
        problems
    }

    /// `Ok` when the request is valid, else every problem at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Reads and validates a request body as the gateway would: unknown fields are ignored, missing optional ones
    /// (or `null`) take their documented default, and every ill-typed or out-of-range field is reported at once.
    pub fn from_json(body: &Value) -> Result<Self, Vec<FieldError>> {
        GenerateRequest::from_raw(&RawRequest::from_json(body))
    }

    /// Validates fields as given (a JSON body's, or a form's), with the rules of [`GenerateRequest::from_json`].
    pub fn from_raw(raw: &RawRequest) -> Result<Self, Vec<FieldError>> {
        let mut reader = Reader { raw, errors: Vec::new() };
        let defaults = GenerateRequest::default();
        let request = GenerateRequest {
            reference_audio_url: reader.string(Field::ReferenceAudioUrl).unwrap_or_default(),
            text: reader.string(Field::Text),
            language: reader.language().unwrap_or(defaults.language),
            accurate_mode: reader.boolean(Field::AccurateMode).unwrap_or(defaults.accurate_mode),
            clean_speaker_background: reader
                .boolean(Field::CleanSpeakerBackground)
                .unwrap_or(defaults.clean_speaker_background),
            temperature: reader.number(Field::Temperature).unwrap_or(defaults.temperature),
            top_p: reader.number(Field::TopP).unwrap_or(defaults.top_p),
            min_p: reader.number(Field::MinP).unwrap_or(defaults.min_p),
            top_k: reader.integer(Field::TopK).unwrap_or(defaults.top_k),
            max_tokens: reader.integer(Field::MaxTokens),
            seed: reader.integer(Field::Seed),
        };
        let mut errors = reader.errors;
        // The typed request's own checks of its texts (numbers were checked while reading), for fields not already
        // reported.
        for problem in request.text_problems() {
            if !errors.iter().any(|error| error.field == problem.field) {
                errors.push(problem);
            }
        }
        if errors.is_empty() {
            Ok(request)
        } else {
            errors.sort_by_key(|error| error.field);
            Err(errors)
        }
    }
}

/// Reads typed fields out of the fields as given, recording each ill-typed one.
struct Reader<'a> {
    raw: &'a RawRequest,
    errors: Vec<FieldError>,
}

impl Reader<'_> {
    /// The field's value, unless it is missing.
    fn get(&self, field: Field) -> Option<&RawValue> {
        Some(self.raw.get(field)).filter(|value| **value != RawValue::Missing)
    }

    /// Records a problem; the field then takes its default so the others can still be checked.
    fn reject<T>(&mut self, field: Field, problem: Problem) -> Option<T> {
        self.errors.push(FieldError::new(field, problem));
        None
    }

    fn string(&mut self, field: Field) -> Option<String> {
        match self.get(field)? {
            RawValue::Text(text) => Some(text.clone()),
            other => {
                let value = other.written();
                self.reject(field, Problem::NotAString { value })
            }
        }
    }

    fn boolean(&mut self, field: Field) -> Option<bool> {
        match self.get(field)? {
            RawValue::Boolean(flag) => Some(*flag),
            other => {
                let value = other.written();
                self.reject(field, Problem::NotABoolean { value })
            }
        }
    }

    fn language(&mut self) -> Option<Language> {
        let value = self.get(Field::Language)?;
        let language = match value {
            RawValue::Text(code) => Language::from_code(code),
            _ => None,
        };
        if language.is_none() {
            let value = value.written();
            return self.reject(Field::Language, Problem::UnknownLanguage { value });
        }
        language
    }

    /// A number checked against the field's documented kind and range.
    fn number(&mut self, field: Field) -> Option<f64> {
        let value = self.get(field)?;
        let shown = value.written();
        let &RawValue::Number { value: number, .. } = value else {
            return self.reject(field, Problem::NotANumber { value: shown });
        };
        match check_number(field, number, || shown.clone()) {
            Some(error) => {
                self.errors.push(error);
                None
            }
            None => Some(number),
        }
    }

    /// A whole number within the field's range, which always fits in a `u32`.
    fn integer(&mut self, field: Field) -> Option<u32> {
        self.number(field).map(|number| number as u32)
    }
}

/// Deserializing validates: a request that parses is one the gateway accepts.
impl<'de> Deserialize<'de> for GenerateRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let body = Value::deserialize(deserializer)?;
        GenerateRequest::from_json(&body).map_err(|errors| de::Error::custom(crate::validation::summarize(&errors)))
    }
}
