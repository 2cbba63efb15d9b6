use serde_json::{Map, Number, Value};

use crate::field::exact_integer;
use crate::Field;

/// A field's value as it was given, before validation: what a JSON body holds, or what a form's control holds.
/// Validation reads these, so the gateway's JSON and the app's form are judged by the same rules, and the app
/// needs no JSON library to check what is typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RawValue {
    /// Absent, or `null`: the documented default applies.
    #[default]
    Missing,
    Text(String),
    Boolean(bool),
    /// A number, and the text it was written as, which messages show back.
    Number {
        value: f64,
        written: String,
    },
    /// Anything else (an array, an object), as JSON writes it.
    Other(String),
}

impl RawValue {
    /// The value as JSON writes it, for messages: `"abc"`, `true`, `1.150`.
    pub fn written(&self) -> String {
        match self {
            RawValue::Missing => "null".to_owned(),
            RawValue::Text(text) => quote(text),
            RawValue::Boolean(flag) => flag.to_string(),
            RawValue::Number { written, .. } | RawValue::Other(written) => written.clone(),
        }
    }

    fn from_json(value: &Value) -> RawValue {
        match value {
            Value::Null => RawValue::Missing,
            Value::String(text) => RawValue::Text(text.clone()),
            Value::Bool(flag) => RawValue::Boolean(*flag),
            Value::Number(number) => {
                RawValue::Number { value: number.as_f64().unwrap_or(f64::NAN), written: number.to_string() }
            }
            other => RawValue::Other(other.to_string()),
        }
    }

    fn to_json(&self) -> Option<Value> {
        match self {
            RawValue::Missing => None,
            RawValue::Text(text) => Some(Value::from(text.as_str())),
            RawValue::Boolean(flag) => Some(Value::from(*flag)),
            // JSON has no infinity (`1e999` overflows): it goes as the text written, which validation names as not a number.
            RawValue::Number { value, written } => Some(
                exact_integer(*value)
                    .map(Value::from)
                    .or_else(|| Number::from_f64(*value).map(Value::Number))
                    .unwrap_or_else(|| Value::from(written.as_str())),
            ),
            RawValue::Other(written) => serde_json::from_str(written).ok(),
        }
    }
}

/// A string as JSON writes it: quoted, with `"`, `\` and control characters escaped.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            '\u{8}' => quoted.push_str("\\b"),
            '\u{c}' => quoted.push_str("\\f"),
            control if u32::from(control) < 0x20 => quoted.push_str(&format!("\\u{:04x}", u32::from(control))),
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// Every field of a generate request as given, in the docs' order; unknown fields are not kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawRequest {
    values: [RawValue; Field::ALL.len()],
}

impl RawRequest {
    pub fn get(&self, field: Field) -> &RawValue {
        &self.values[field as usize]
    }

    pub fn set(&mut self, field: Field, value: RawValue) {
        self.values[field as usize] = value;
    }

    /// The documented fields of a JSON body; anything but an object holds none.
    pub fn from_json(body: &Value) -> RawRequest {
        let mut raw = RawRequest::default();
        for field in Field::ALL {
            if let Some(value) = body.get(field.key()) {
                raw.set(field, RawValue::from_json(value));
            }
        }
        raw
    }

    /// The body as JSON, in the docs' order, without the missing fields.
    pub fn to_json(&self) -> Value {
        let body: Map<String, Value> = Field::ALL
            .into_iter()
            .filter_map(|field| Some((field.key().to_owned(), self.get(field).to_json()?)))
            .collect();
        Value::Object(body)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_are_written_back_as_json_writes_them() {
        for text in
            ["plain", "", "a \"quoted\" word", "back\\slash", "line\nbreak\ttab\r", "\u{1}\u{1f}\u{7f}", "café ♪ 🎤"]
        {
            assert_eq!(RawValue::Text(text.to_owned()).written(), serde_json::to_string(text).unwrap(), "{text:?}");
        }
        for value in [json!(true), json!(1.5), json!(106), json!([1, 2]), json!({ "a": null })] {
            assert_eq!(RawValue::from_json(&value).written(), value.to_string());
        }
    }

    #[test]
    fn a_body_reads_and_writes_back_its_documented_fields() {
        let body = json!({ "reference_audio_url": "https://a.example/v.wav", "top_k": 106, "temperature": 1.15,
                           "accurate_mode": false, "seed": null, "extra": 1, "text": ["not", "a", "string"] });
        let raw = RawRequest::from_json(&body);
        assert_eq!(raw.get(Field::Seed), &RawValue::Missing);
        assert_eq!(raw.get(Field::TopK), &RawValue::Number { value: 106.0, written: "106".to_owned() });
        assert_eq!(
            raw.to_json(),
            json!({ "reference_audio_url": "https://a.example/v.wav", "text": ["not", "a", "string"],
                    "accurate_mode": false, "temperature": 1.15, "top_k": 106 })
        );
    }

    #[test]
    fn a_number_json_cannot_hold_is_kept_as_written() {
        let mut raw = RawRequest::default();
        raw.set(Field::Temperature, RawValue::Number { value: f64::INFINITY, written: "1e999".to_owned() });
        assert_eq!(raw.to_json(), json!({ "temperature": "1e999" }));
    }
}
