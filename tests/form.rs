//! The parameter form, mounted in headless Chromium: labels, documented defaults, inline validation, reset.

use leptos::{mount::mount_to, prelude::*, task::tick};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use zonos_studio::App;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app in a fresh container, once its reactive values have reached the DOM; the handle keeps it mounted.
async fn mount_app() -> (Element, impl Drop) {
    let container = document().create_element("section").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = mount_to(container.clone().unchecked_into(), || view! { <App /> });
    tick().await;
    (container, handle)
}

/// Waits, yielding to the browser, until the mounted app has found its gateway (here: none, so it calls one directly
/// and asks for a key). Until then Generate is held, not checked: the sample voice comes with the gateway.
async fn gateway_found(container: &Element) {
    for _ in 0..100 {
        if container.query_selector("#api-key").unwrap().is_some() {
            return;
        }
        let pause = js_sys::Promise::new(&mut |resolve, _| {
            window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(pause).await.unwrap();
    }
    panic!("the app did not find its gateway within 5 s");
}

/// The control a visible label names, found as a person would: by the label's text.
fn control_labelled(container: &Element, text: &str) -> HtmlInputElement {
    let labels = container.query_selector_all("label").unwrap();
    let label = (0..labels.length())
        .filter_map(|index| labels.item(index))
        .find(|label| label.text_content().as_deref() == Some(text))
        .unwrap_or_else(|| panic!("no label {text:?}"));
    let target = label.unchecked_ref::<Element>().get_attribute("for").expect("the label names its control");
    container.query_selector(&format!("#{target}")).unwrap().expect("the labelled control exists").unchecked_into()
}

fn button(container: &Element, name: &str) -> HtmlElement {
    let buttons = container.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|index| buttons.item(index))
        .find(|button| button.text_content().as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no button {name:?}"))
        .unchecked_into()
}

fn alerts(container: &Element) -> Vec<String> {
    let alerts = container.query_selector_all("[role=alert]").unwrap();
    (0..alerts.length()).filter_map(|index| alerts.item(index)?.text_content()).collect()
}

async fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let event = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    input.dispatch_event(&event).unwrap();
    tick().await;
}

#[wasm_bindgen_test]
async fn every_parameter_has_a_visible_label() {
    let (container, _mounted) = mount_app().await;
    for label in [
        "Reference audio URL",
        "Text",
        "Language",
        "Accurate mode",
        "Clean speaker background",
        "Temperature",
        "Top-p",
        "Min-p",
        "Top-k",
        "Max tokens",
        "Seed",
    ] {
        control_labelled(&container, label);
    }
    assert!(!button(&container, "Generate").unchecked_ref::<web_sys::HtmlButtonElement>().disabled());
}

#[wasm_bindgen_test]
async fn the_documented_defaults_are_filled_in() {
    let (container, _mounted) = mount_app().await;
    let value = |label| control_labelled(&container, label).value();
    assert_eq!(value("Temperature"), "1.15");
    assert_eq!(value("Top-p"), "0");
    assert_eq!(value("Min-p"), "0.18");
    assert_eq!(value("Top-k"), "106");
    assert_eq!(value("Max tokens"), "");
    assert_eq!(value("Seed"), "");
    assert_eq!(value("Language"), "en_us");
    assert_eq!(value("Text"), zonos_api::DEFAULT_TEXT);
    assert!(control_labelled(&container, "Accurate mode").checked());
    assert!(!control_labelled(&container, "Clean speaker background").checked());
}

#[wasm_bindgen_test]
async fn an_out_of_range_value_is_explained_inline_as_it_is_typed_and_reset_clears_it() {
    let (container, _mounted) = mount_app().await;
    let temperature = control_labelled(&container, "Temperature");
    assert!(alerts(&container).is_empty(), "no problem is shown before anything is typed");

    type_into(&temperature, "2.5").await;
    assert_eq!(alerts(&container), ["temperature = 2.5 is outside the allowed range 0–2"]);
    assert_eq!(temperature.get_attribute("aria-invalid").as_deref(), Some("true"));

    type_into(&temperature, "1.9").await;
    assert!(alerts(&container).is_empty(), "{:?}", alerts(&container));

    type_into(&temperature, "warm").await;
    assert_eq!(alerts(&container), ["temperature must be a number in 0–2, not \"warm\""]);

    button(&container, "Reset to defaults").click();
    tick().await;
    assert_eq!(temperature.value(), "1.15");
    assert!(alerts(&container).is_empty());
    assert_eq!(temperature.get_attribute("aria-invalid").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn generate_on_an_invalid_form_shows_every_problem_and_focuses_the_first() {
    let (container, _mounted) = mount_app().await;
    gateway_found(&container).await;
    type_into(&control_labelled(&container, "Top-k"), "4096").await;
    button(&container, "Generate").click();
    tick().await;
    assert_eq!(
        alerts(&container),
        ["reference_audio_url is required", "top_k = 4096 is outside the allowed range 0–2048"]
    );
    let focused = document().active_element().expect("something has focus");
    assert_eq!(focused.id(), "reference_audio_url");
}
