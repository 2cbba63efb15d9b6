//! The form's draft becomes exactly the documented request body.

use wasm_bindgen_test::*;
use zonos_api::{Field, GenerateRequest, Problem};
use zonos_studio::form::Draft;

wasm_bindgen_test_configure!(run_in_browser);

const VOICE: &str = "https://cdn.example/voice.wav";

#[wasm_bindgen_test]
fn the_default_draft_with_the_docs_voice_is_the_docs_example_request() {
    let mut draft = Draft::default();
    let documented: serde_json::Value =
        serde_json::from_str(include_str!("../crates/zonos-api/tests/examples/request.json")).unwrap();
    draft.reference_audio_url = documented["reference_audio_url"].as_str().unwrap().to_owned();
    assert_eq!(draft.to_json(), documented);
    let request = draft.to_request().unwrap();
    let defaults = GenerateRequest::with_reference(draft.reference_audio_url.clone());
    assert_eq!(request, GenerateRequest { text: Some(zonos_api::DEFAULT_TEXT.into()), ..defaults });
}

#[wasm_bindgen_test]
fn empty_optional_fields_are_left_out_and_typed_numbers_are_sent() {
    let mut draft = Draft::default();
    draft.reference_audio_url = format!("  {VOICE} ");
    draft.text = "  ".into();
    draft.set_number(Field::Seed, "42".into());
    draft.set_number(Field::Temperature, "".into());
    let body = draft.to_json();
    assert_eq!(body["reference_audio_url"], VOICE);
    assert_eq!(body.get("text"), None, "empty text: the gateway's built-in example");
    assert_eq!(body.get("temperature"), None, "empty: the documented default applies");
    assert_eq!(body["seed"], 42);
    assert_eq!(draft.to_request().unwrap().seed, Some(42));
}

#[wasm_bindgen_test]
fn mistyped_numbers_reach_the_contract_as_typed() {
    let mut draft = Draft::default();
    draft.reference_audio_url = VOICE.into();
    draft.set_number(Field::MaxTokens, "12x".into());
    let errors = draft.to_request().unwrap_err();
    assert_eq!(errors[0].field, Field::MaxTokens);
    assert_eq!(errors[0].problem, Problem::NotANumber { value: "\"12x\"".into() });
}

#[wasm_bindgen_test]
fn numbers_are_read_as_json_reads_them() {
    let mut draft = Draft::default();
    draft.reference_audio_url = VOICE.into();
    for (typed, expected) in [("0.5", Some(0.5)), ("1e-1", Some(0.1)), ("1.", None), (".5", None), ("0x1", None)] {
        draft.set_number(Field::Temperature, typed.into());
        match (draft.to_request(), expected) {
            (Ok(request), Some(value)) => assert_eq!(request.temperature, value, "{typed}"),
            (Err(errors), None) => {
                assert_eq!(errors[0].problem, Problem::NotANumber { value: format!("\"{typed}\"") }, "{typed}")
            }
            (outcome, _) => panic!("{typed}: {outcome:?}"),
        }
    }
}

#[wasm_bindgen_test]
fn a_draft_written_as_a_body_reads_back_the_same() {
    let mut draft = Draft::default();
    draft.reference_audio_url = VOICE.into();
    draft.text = "Read back.".into();
    draft.language = zonos_api::Language::Ja;
    draft.accurate_mode = false;
    draft.set_number(Field::TopK, "90".into());
    draft.set_number(Field::Seed, "abc".into());
    assert_eq!(Draft::from_json_text(&draft.to_json().to_string()), Some(draft));
    for not_a_body in ["[1]", "\"text\"", "null", "{", ""] {
        assert_eq!(Draft::from_json_text(not_a_body), None, "{not_a_body}");
    }
}

#[wasm_bindgen_test]
fn a_body_holds_numbers_as_written_and_drops_what_no_field_takes() {
    let draft =
        Draft::from_json_text(r#"{"top_k": 106, "temperature": 1.150, "seed": "7x", "text": [1], "min_p": {}}"#)
            .unwrap();
    assert_eq!(draft.number(Field::TopK), "106");
    assert_eq!(draft.number(Field::Temperature), "1.15");
    assert_eq!(draft.number(Field::Seed), "7x", "text in a number field is shown back, for validation to name");
    assert_eq!(draft.text, Draft::default().text);
    assert_eq!(draft.number(Field::MinP), Draft::default().number(Field::MinP));
}

#[wasm_bindgen_test]
fn edits_from_the_defaults_are_laid_over_another_draft() {
    let mut shared = Draft::default();
    shared.reference_audio_url = VOICE.into();
    shared.text = "Shared text.".into();
    shared.set_number(Field::TopK, "90".into());
    shared.set_number(Field::Seed, "5".into());
    let mut typed = Draft::default();
    typed.text = "Typed before the app started.".into();
    typed.accurate_mode = !typed.accurate_mode;
    typed.set_number(Field::Seed, "6".into());

    let opened = shared.clone().with_edits(&typed);
    assert_eq!(opened.reference_audio_url, VOICE, "not edited: the shared value stays");
    assert_eq!(opened.number(Field::TopK), "90");
    assert_eq!(opened.text, typed.text);
    assert_eq!(opened.accurate_mode, typed.accurate_mode);
    assert_eq!(opened.number(Field::Seed), "6");
    assert_eq!(shared.clone().with_edits(&Draft::default()), shared, "nothing typed: the shared draft as it is");
}
