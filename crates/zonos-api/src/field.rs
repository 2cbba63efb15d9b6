use std::fmt;

use crate::Decimal;

/// A parameter of the generate request, in the order the docs list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    ReferenceAudioUrl,
    Text,
    Language,
    AccurateMode,
    CleanSpeakerBackground,
    Temperature,
    TopP,
    MinP,
    TopK,
    MaxTokens,
    Seed,
}

/// Whether a numeric field takes any number or only whole ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Float,
    Integer,
}

/// A numeric field's documented range (inclusive), default and a sensible step for a slider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumericSpec {
    pub kind: NumberKind,
    pub min: Decimal,
    pub max: Decimal,
    /// `None` where the docs give no default: the field is then left out of the request.
    pub default: Option<Decimal>,
    pub step: Decimal,
}

impl NumericSpec {
    pub fn contains(&self, value: f64) -> bool {
        (self.min.to_f64()..=self.max.to_f64()).contains(&value)
    }
}

/// The range as the docs write it, e.g. `0–2048`.
impl fmt::Display for NumericSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.min, self.max)
    }
}

/// The value as an integer when it is a whole number that `f64` holds exactly (below 2^53).
pub(crate) fn exact_integer(value: f64) -> Option<i64> {
    const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;
    (value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT).then_some(value as i64)
}

/// A number as the docs and JSON write it: `2`, not `2.0`; `1.15`. Uses JSON's shortest float form rather than
/// `f64`'s `Display`, whose formatting machinery is large in a WebAssembly build. (The app's form writes the
/// documented numbers from their [`Decimal`]s, and never needs this.)
pub fn format_number(value: f64) -> String {
    match exact_integer(value) {
        Some(integer) => integer.to_string(),
        None => {
            serde_json::Number::from_f64(value).map(|number| number.to_string()).unwrap_or_else(|| "NaN".to_owned())
        }
    }
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::ReferenceAudioUrl,
        Field::Text,
        Field::Language,
        Field::AccurateMode,
        Field::CleanSpeakerBackground,
        Field::Temperature,
        Field::TopP,
        Field::MinP,
        Field::TopK,
        Field::MaxTokens,
        Field::Seed,
    ];

    /// The parameter's name in the JSON body.
    pub fn key(self) -> &'static str {
        match self {
            Field::ReferenceAudioUrl => "reference_audio_url",
            Field::Text => "text",
            Field::Language => "language",
            Field::AccurateMode => "accurate_mode",
            Field::CleanSpeakerBackground => "clean_speaker_background",
            Field::Temperature => "temperature",
            Field::TopP => "top_p",
            Field::MinP => "min_p",
            Field::TopK => "top_k",
            Field::MaxTokens => "max_tokens",
            Field::Seed => "seed",
        }
    }

    /// The parameter's name in words, as a form labels it.
    pub fn label(self) -> &'static str {
        match self {
            Field::ReferenceAudioUrl => "Reference audio URL",
            Field::Text => "Text",
            Field::Language => "Language",
            Field::AccurateMode => "Accurate mode",
            Field::CleanSpeakerBackground => "Clean speaker background",
            Field::Temperature => "Temperature",
            Field::TopP => "Top-p",
            Field::MinP => "Min-p",
            Field::TopK => "Top-k",
            Field::MaxTokens => "Max tokens",
            Field::Seed => "Seed",
        }
    }

    /// What the parameter does, from the docs.
    pub fn description(self) -> &'static str {
        match self {
            Field::ReferenceAudioUrl => {
                "URL of the reference audio to clone the voice from. Supported formats: MP3, OGG, WAV, M4A, AAC."
            }
            Field::Text => "Text to synthesize in the cloned voice. If omitted, a built-in example is used.",
            Field::Language => "Text-normalization language code.",
            Field::AccurateMode => "True = closer voice match; false = more expressive delivery.",
            Field::CleanSpeakerBackground => {
                "Mark the reference audio as having a clean background (removes ambient noise processing)."
            }
            Field::Temperature => "Sampling temperature (0–2). Higher values increase randomness.",
            Field::TopP => "Nucleus sampling probability (0–1). Value of 0 disables nucleus sampling.",
            Field::MinP => "Minimum-probability sampling threshold (0–1). Filters out tokens below this probability.",
            Field::TopK => "Top-k sampling cutoff (0–2048). Value of 0 disables top-k sampling.",
            Field::MaxTokens => "Maximum audio frames to generate (1–6144). Limits output duration.",
            Field::Seed => "Random seed for reproducibility (0–2147483647).",
        }
    }

    /// The documented range and default of a numeric field; `None` for the others.
    pub fn numeric_spec(self) -> Option<NumericSpec> {
        let hundredths = Decimal::new(1, 2);
        let float = |default| NumericSpec {
            kind: NumberKind::Float,
            min: Decimal::whole(0),
            max: Decimal::whole(1),
            default: Some(default),
            step: hundredths,
        };
        let integer = |min, max, default: Option<i64>| NumericSpec {
            kind: NumberKind::Integer,
            min: Decimal::whole(min),
            max: Decimal::whole(max),
            default: default.map(Decimal::whole),
            step: Decimal::whole(1),
        };
        match self {
            Field::Temperature => Some(NumericSpec { max: Decimal::whole(2), ..float(Decimal::new(115, 2)) }),
            Field::TopP => Some(float(Decimal::whole(0))),
            Field::MinP => Some(float(Decimal::new(18, 2))),
            Field::TopK => Some(integer(0, 2048, Some(106))),
            Field::MaxTokens => Some(integer(1, 6144, None)),
            Field::Seed => Some(integer(0, 2_147_483_647, None)),
            _ => None,
        }
    }

    /// The field with this JSON key.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.key() == key)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_the_docs_write_them() {
        let ranges: Vec<(Field, String)> = Field::ALL
            .into_iter()
            .filter_map(|field| field.numeric_spec().map(|spec| (field, spec.to_string())))
            .collect();
        assert_eq!(
            ranges,
            vec![
                (Field::Temperature, "0–2".to_owned()),
                (Field::TopP, "0–1".to_owned()),
                (Field::MinP, "0–1".to_owned()),
                (Field::TopK, "0–2048".to_owned()),
                (Field::MaxTokens, "1–6144".to_owned()),
                (Field::Seed, "0–2147483647".to_owned()),
            ]
        );
    }

    #[test]
    fn numbers_are_written_as_the_docs_write_them() {
        let written: Vec<String> = [0.0, 2.0, 1.15, 0.18, -1.0, 2_147_483_647.0, 0.1 + 0.2].map(format_number).into();
        assert_eq!(written, ["0", "2", "1.15", "0.18", "-1", "2147483647", "0.30000000000000004"]);
    }

    #[test]
    fn keys_round_trip() {
        for field in Field::ALL {
            assert_eq!(Field::from_key(field.key()), Some(field));
        }
        assert_eq!(Field::from_key("topk"), None);
    }
}
