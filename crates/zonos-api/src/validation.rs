use std::fmt;

use crate::{Field, Language, NumberKind, NumericSpec};

/// One problem with one field of a generate request. Its message names the field, the value and what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

/// What is wrong with a field's value. Values are kept as the JSON text that was given.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A required field is missing or empty.
    Required,
    /// An optional text that was given but is empty.
    Empty,
    /// Not an absolute `http://` or `https://` URL.
    NotHttpUrl {
        value: String,
    },
    /// A string where a number belongs, or any other non-number.
    NotANumber {
        value: String,
    },
    /// A fraction where a whole number belongs.
    NotAnInteger {
        value: String,
    },
    /// A number outside the documented range.
    OutOfRange {
        value: String,
        spec: NumericSpec,
    },
    NotABoolean {
        value: String,
    },
    NotAString {
        value: String,
    },
    UnknownLanguage {
        value: String,
    },
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        FieldError { field, problem }
    }
}

fn allowed_languages() -> String {
    Language::ALL.iter().map(|language| language.code()).collect::<Vec<_>>().join(", ")
}

fn number_word(spec: &NumericSpec) -> &'static str {
    match spec.kind {
        NumberKind::Float => "a number",
        NumberKind::Integer => "a whole number",
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field;
        // Every numeric problem states the allowed range, so a person can fix it from the message alone.
        let spec = field.numeric_spec();
        let range = || spec.map(|spec| format!("{} in {spec}", number_word(&spec))).unwrap_or_default();
        match &self.problem {
            Problem::Required => write!(f, "{field} is required"),
            Problem::Empty => write!(f, "{field} is empty: leave it out to use the built-in example"),
            Problem::NotHttpUrl { value } => {
                write!(f, "{field} must be an http:// or https:// URL, not {value}")
            }
            Problem::NotANumber { value } | Problem::NotAnInteger { value } => {
                write!(f, "{field} must be {}, not {value}", range())
            }
            Problem::OutOfRange { value, spec } => {
                write!(f, "{field} = {value} is outside the allowed range {spec}")
            }
            Problem::NotABoolean { value } => {
                write!(f, "{field} must be true or false, not {value}")
            }
            Problem::NotAString { value } => write!(f, "{field} must be a string, not {value}"),
            Problem::UnknownLanguage { value } => {
                write!(f, "{field} must be one of {}, not {value}", allowed_languages())
            }
        }
    }
}

impl std::error::Error for FieldError {}

/// All problems in one line, for an error body's `message`.
pub fn summarize(errors: &[FieldError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// Checks a number against a field's documented kind and range.
pub(crate) fn check_number(field: Field, value: f64, shown: impl Fn() -> String) -> Option<FieldError> {
    let spec = field.numeric_spec()?;
    let problem = if !value.is_finite() {
        Problem::NotANumber { value: shown() }
    } else if spec.kind == NumberKind::Integer && value.fract() != 0.0 {
        Problem::NotAnInteger { value: shown() }
    } else if !spec.contains(value) {
        Problem::OutOfRange { value: shown(), spec }
    } else {
        return None;
    };
    Some(FieldError::new(field, problem))
}

/// Whether `url` is an absolute http(s) URL with a host. Deliberately simple: the gateway fetches it, not us.
pub fn is_http_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            !host.is_empty() && !url.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_the_value_and_the_range() {
        let error = check_number(Field::Temperature, 2.5, || "2.5".into()).unwrap();
        assert_eq!(error.to_string(), "temperature = 2.5 is outside the allowed range 0–2");
        let error = check_number(Field::TopK, 1.5, || "1.5".into()).unwrap();
        assert_eq!(error.to_string(), "top_k must be a whole number in 0–2048, not 1.5");
        let error = FieldError::new(Field::MinP, Problem::NotANumber { value: "\"lots\"".into() });
        assert_eq!(error.to_string(), "min_p must be a number in 0–1, not \"lots\"");
        let error = FieldError::new(Field::Language, Problem::UnknownLanguage { value: "\"xx\"".into() });
        assert_eq!(
            error.to_string(),
            "language must be one of en_us, en_gb, fr_fr, de, es, it, pt_br, ja, cmn, ko, not \"xx\""
        );
    }

    #[test]
    fn urls_need_a_scheme_and_a_host() {
        assert!(is_http_url("https://example.com/voice.wav"));
        assert!(is_http_url("http://127.0.0.1:8080/a.mp3?x=1"));
        assert!(!is_http_url("ftp://example.com/a.wav"));
        assert!(!is_http_url("https:///a.wav"));
        assert!(!is_http_url("example.com/a.wav"));
        assert!(!is_http_url("https://exa mple.com/a.wav"));
        assert!(!is_http_url(""));
    }
}
