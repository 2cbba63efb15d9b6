//! Each documented bound: in range, each edge, and just outside. The ranges are written here as the docs write
//! them, not read from the crate, so a wrong range in the crate fails these tests.

use serde_json::{json, Value};
use zonos_api::{Field, FieldError, GenerateRequest, Problem, DEFAULT_TEXT};

const VOICE: &str = "https://cdn.example/voice.wav";

struct Bound {
    field: Field,
    inside: &'static [f64],
    outside: &'static [f64],
    range: &'static str,
}

const BOUNDS: [Bound; 6] = [
    Bound { field: Field::Temperature, inside: &[0.0, 1.15, 2.0], outside: &[-0.01, 2.01], range: "0–2" },
    Bound { field: Field::TopP, inside: &[0.0, 0.5, 1.0], outside: &[-0.01, 1.01], range: "0–1" },
    Bound { field: Field::MinP, inside: &[0.0, 0.18, 1.0], outside: &[-0.01, 1.01], range: "0–1" },
    Bound { field: Field::TopK, inside: &[0.0, 106.0, 2048.0], outside: &[-1.0, 2049.0], range: "0–2048" },
    Bound { field: Field::MaxTokens, inside: &[1.0, 860.0, 6144.0], outside: &[0.0, 6145.0], range: "1–6144" },
    Bound {
        field: Field::Seed,
        inside: &[0.0, 42.0, 2_147_483_647.0],
        outside: &[-1.0, 2_147_483_648.0],
        range: "0–2147483647",
    },
];

fn body_with(field: Field, value: Value) -> Value {
    let mut body = json!({ "reference_audio_url": VOICE });
    body[field.key()] = value;
    body
}

fn number(value: f64) -> Value {
    if value.fract() == 0.0 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

fn errors_for(body: &Value) -> Vec<FieldError> {
    GenerateRequest::from_json(body).expect_err(&body.to_string())
}

#[test]
fn values_inside_each_range_and_on_its_edges_are_accepted() {
    for bound in &BOUNDS {
        for &value in bound.inside {
            let request = GenerateRequest::from_json(&body_with(bound.field, number(value)))
                .unwrap_or_else(|errors| panic!("{} = {value}: {errors:?}", bound.field));
            let written = serde_json::to_value(&request).unwrap();
            assert_eq!(written[bound.field.key()].as_f64(), Some(value), "{} keeps its value", bound.field);
        }
    }
}

#[test]
fn values_just_outside_each_range_are_refused_with_field_value_and_range() {
    for bound in &BOUNDS {
        for &value in bound.outside {
            let body = body_with(bound.field, number(value));
            let errors = errors_for(&body);
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].field, bound.field);
            assert!(matches!(errors[0].problem, Problem::OutOfRange { .. }), "{:?}", errors[0]);
            let shown = body[bound.field.key()].to_string();
            assert_eq!(
                errors[0].to_string(),
                format!("{} = {shown} is outside the allowed range {}", bound.field, bound.range)
            );
        }
    }
}

#[test]
fn typed_requests_are_checked_against_the_same_ranges() {
    let request = GenerateRequest {
        temperature: 2.5,
        top_k: 4096,
        seed: Some(u32::MAX),
        ..GenerateRequest::with_reference(VOICE)
    };
    let fields: Vec<Field> = request.validate().unwrap_err().iter().map(|error| error.field).collect();
    assert_eq!(fields, [Field::Temperature, Field::TopK, Field::Seed]);
    assert_eq!(GenerateRequest::with_reference(VOICE).validate(), Ok(()));
}

#[test]
fn whole_number_fields_refuse_fractions() {
    for field in [Field::TopK, Field::MaxTokens, Field::Seed] {
        let errors = errors_for(&body_with(field, json!(10.5)));
        assert_eq!(errors, [FieldError::new(field, Problem::NotAnInteger { value: "10.5".into() })]);
        assert!(errors[0].to_string().contains("a whole number in"), "{}", errors[0]);
    }
}

#[test]
fn ill_typed_fields_are_named() {
    let cases = [
        (Field::Temperature, json!("hot"), Problem::NotANumber { value: "\"hot\"".into() }),
        (Field::TopK, json!(true), Problem::NotANumber { value: "true".into() }),
        (Field::AccurateMode, json!("yes"), Problem::NotABoolean { value: "\"yes\"".into() }),
        (Field::CleanSpeakerBackground, json!(1), Problem::NotABoolean { value: "1".into() }),
        (Field::Text, json!(42), Problem::NotAString { value: "42".into() }),
        (Field::Language, json!("en-US"), Problem::UnknownLanguage { value: "\"en-US\"".into() }),
        (Field::Language, json!(3), Problem::UnknownLanguage { value: "3".into() }),
        (Field::ReferenceAudioUrl, json!(["a"]), Problem::NotAString { value: "[\"a\"]".into() }),
    ];
    for (field, value, problem) in cases {
        assert_eq!(errors_for(&body_with(field, value)), [FieldError::new(field, problem)]);
    }
}

#[test]
fn every_problem_is_reported_at_once_in_field_order() {
    let body = json!({
        "reference_audio_url": "voice.wav",
        "text": "   ",
        "language": "klingon",
        "temperature": 3,
        "top_p": -1,
        "min_p": "high",
        "top_k": 5000,
        "max_tokens": 0,
        "seed": 1.5,
    });
    let fields: Vec<Field> = errors_for(&body).iter().map(|error| error.field).collect();
    assert_eq!(
        fields,
        [
            Field::ReferenceAudioUrl,
            Field::Text,
            Field::Language,
            Field::Temperature,
            Field::TopP,
            Field::MinP,
            Field::TopK,
            Field::MaxTokens,
            Field::Seed
        ]
    );
}

#[test]
fn the_reference_audio_url_is_required_and_must_be_http() {
    for body in [json!({}), json!({ "reference_audio_url": "" }), json!({ "reference_audio_url": null }), json!([])] {
        assert_eq!(errors_for(&body), [FieldError::new(Field::ReferenceAudioUrl, Problem::Required)], "{body}");
    }
    let errors = errors_for(&json!({ "reference_audio_url": "file:///etc/passwd" }));
    assert_eq!(
        errors[0].to_string(),
        "reference_audio_url must be an http:// or https:// URL, not \"file:///etc/passwd\""
    );
}

#[test]
fn missing_optional_fields_take_the_documented_defaults() {
    let request =
        GenerateRequest::from_json(&json!({ "reference_audio_url": VOICE, "extra": 1, "seed": null })).unwrap();
    assert_eq!(request, GenerateRequest::with_reference(VOICE));
    assert_eq!(request.text_or_default(), DEFAULT_TEXT);
    let written = serde_json::to_value(&request).unwrap();
    assert_eq!(
        written,
        json!({
            "reference_audio_url": VOICE, "language": "en_us", "accurate_mode": true,
            "clean_speaker_background": false, "temperature": 1.15, "top_p": 0, "min_p": 0.18, "top_k": 106
        })
    );
}

#[test]
fn deserializing_an_invalid_request_fails_with_every_message() {
    let error =
        serde_json::from_value::<GenerateRequest>(json!({ "reference_audio_url": VOICE, "top_p": 2, "top_k": -5 }))
            .unwrap_err()
            .to_string();
    assert_eq!(error, "top_p = 2 is outside the allowed range 0–1; top_k = -5 is outside the allowed range 0–2048");
}
