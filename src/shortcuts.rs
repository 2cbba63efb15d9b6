//! Keyboard shortcuts for a demo in front of an audience: Ctrl/Cmd+Enter generates; Escape leaves a field; when the
//! focus is not in a field, Space plays or pauses the latest take, and B switches between the reference and the
//! latest take at the same point (A/B comparison).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Whether keys typed at `target` belong to it (a field, a button, a link, the audio controls).
fn takes_keys(target: Option<web_sys::EventTarget>) -> bool {
    target.and_then(|target| target.dyn_into::<web_sys::Element>().ok()).is_some_and(|element| {
        matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON" | "A" | "AUDIO")
    })
}

pub fn install() {
    let handle = window_event_listener(ev::keydown, |event| {
        let document = document();
        // A held key repeats: only the first press counts, so holding Ctrl+Enter sends one submission.
        if event.repeat() {
            return;
        }
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            if let Some(form) = document.query_selector("form.parameter-form").ok().flatten() {
                event.prevent_default();
                let _ = form.unchecked_into::<web_sys::HtmlFormElement>().request_submit();
            }
        } else if event.key() == "Escape" {
            // Out of a field, from the keyboard alone: Space and B then reach the takes.
            let typing = document
                .active_element()
                .filter(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
            if let Some(field) = typing.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = field.blur();
            }
        } else if event.key().eq_ignore_ascii_case("b") && !takes_keys(event.target()) {
            let media = |selector: &str| {
                document
                    .query_selector(selector)
                    .ok()
                    .flatten()
                    .map(|element| element.unchecked_into::<web_sys::HtmlMediaElement>())
            };
            if let (Some(reference), Some(take)) = (media("audio.reference"), media("audio.take")) {
                event.prevent_default();
                crate::player::switch(&reference, &take);
            }
        } else if event.key() == " " && !takes_keys(event.target()) {
            // The takes are listed newest first.
            if let Some(audio) = document.query_selector("audio.take").ok().flatten() {
                event.prevent_default();
                let audio = audio.unchecked_into::<web_sys::HtmlMediaElement>();
                if audio.paused() {
                    let _ = audio.play();
                } else {
                    let _ = audio.pause();
                }
            }
        }
    });
    // The page lives as long as the shortcuts do.
    std::mem::forget(handle);
}
