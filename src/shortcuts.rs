//! Keyboard shortcuts of the form, from the first screen: Ctrl/Cmd+Enter generates; Escape leaves a field, so that
//! the takes' own keys (Space, B, P: see `takes::keys`) reach them.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The element `target` is, if it is one.
fn element(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    target.and_then(|target| target.dyn_into::<web_sys::Element>().ok())
}

/// Whether keys typed at `target` are text being typed (in a field), not commands.
pub fn is_typing(target: Option<web_sys::EventTarget>) -> bool {
    element(target).is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Whether keys typed at `target` belong to it: a field, or a control that Space presses or plays.
pub fn belongs_to_target(target: Option<web_sys::EventTarget>) -> bool {
    element(target).is_some_and(|element| {
        matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON" | "A" | "AUDIO")
    })
}

/// Listens for the keys as long as the page shows the app.
pub fn install() {
    let handle = window_event_listener(ev::keydown, move |event| {
        // A held key repeats: only the first press counts, so holding Ctrl+Enter sends one submission.
        if event.repeat() {
            return;
        }
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            if crate::form::press_generate() {
                event.prevent_default();
            }
        } else if event.key() == "Escape" {
            let active = document().active_element();
            if is_typing(active.clone().map(Into::into)) {
                if let Some(field) = active.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = field.blur();
                }
            }
        }
    });
    on_cleanup(move || handle.remove());
}
