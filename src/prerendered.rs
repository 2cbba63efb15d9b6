//! The page as built is the app's first screen, prerendered (`xtask/prerender.mjs`): it can be read, typed into and
//! pressed before the app has started. Starting, the app takes it over: it keeps what was typed and where the
//! caret was, and carries out a Generate pressed meanwhile (kept by the page's head script, see `index.html`) once
//! it knows its gateway.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;
use zonos_api::Field;

use crate::form::{Draft, NUMBER_FIELDS};
use crate::platform::js::property;

/// What the prerendered page held when the app started.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Carried {
    /// The form as typed, if the page held one.
    pub draft: Option<Draft>,
    /// Generate was pressed before the app started.
    pub generate: bool,
    focus: Option<Focus>,
}

/// The focused control and its selection.
#[derive(Debug, Clone, PartialEq)]
struct Focus {
    id: String,
    selection: Option<(JsValue, JsValue)>,
}

/// The page's head script keeps a press on Generate in this attribute until the app has started.
const PENDING_GENERATE: &str = "data-pending-generate";

/// The form's values as the prerendered controls hold them (each control's id is its field's key).
fn typed_draft(document: &web_sys::Document) -> Option<Draft> {
    let control = |field: Field| document.get_element_by_id(field.key()).map(JsValue::from);
    let text = |field: Field| control(field).and_then(|control| property(&control, "value").as_string());
    let checked = |field: Field| control(field).and_then(|control| property(&control, "checked").as_bool());
    let mut draft = Draft::default();
    draft.text = text(Field::Text)?;
    draft.reference_audio_url = text(Field::ReferenceAudioUrl).unwrap_or_default();
    if let Some(language) = text(Field::Language).and_then(|code| zonos_api::Language::from_code(&code)) {
        draft.language = language;
    }
    draft.accurate_mode = checked(Field::AccurateMode).unwrap_or(draft.accurate_mode);
    draft.clean_speaker_background = checked(Field::CleanSpeakerBackground).unwrap_or(draft.clean_speaker_background);
    for field in NUMBER_FIELDS {
        if let Some(typed) = text(field) {
            draft.set_number(field, typed);
        }
    }
    Some(draft)
}

/// Reads what the prerendered page holds, then clears it for the app to mount in its place (in the same task, so
/// that nothing is drawn in between).
pub fn take_over() -> Carried {
    let document = leptos::prelude::document();
    let root = document.document_element();
    let generate = root.as_ref().is_some_and(|root| root.has_attribute(PENDING_GENERATE));
    if let Some(root) = &root {
        let _ = root.remove_attribute(PENDING_GENERATE);
    }
    let focus = document.active_element().filter(|element| !element.id().is_empty()).map(|element| {
        let start = property(&element, "selectionStart");
        let end = property(&element, "selectionEnd");
        Focus { id: element.id(), selection: (!start.is_null() && !start.is_undefined()).then_some((start, end)) }
    });
    let carried = Carried { draft: typed_draft(&document), generate, focus };
    if let Some(body) = document.body() {
        body.set_inner_html("");
    }
    carried
}

/// The app has mounted: the focus goes back where it was, and a press on Generate is the app's to handle from now.
pub fn started(carried: &Carried) {
    let window = leptos::prelude::window();
    let now = window.performance().map(|performance| performance.now()).unwrap_or(1.0);
    let _ = js_sys::Reflect::set(&window, &JsValue::from_str("zonosStarted"), &JsValue::from_f64(now));
    let Some(focus) = &carried.focus else { return };
    let Some(element) = leptos::prelude::document().get_element_by_id(&focus.id) else { return };
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        let _ = element.focus();
    }
    if let Some((start, end)) = &focus.selection {
        let select = property(&element, "setSelectionRange");
        if let Some(select) = select.dyn_ref::<js_sys::Function>() {
            let _ = select.call2(&element, start, end);
        }
    }
}
