//! Keyboard shortcuts for a demo in front of an audience: Ctrl/Cmd+Enter generates; Escape leaves a field; when the
//! focus is not in a field, Space plays or pauses the latest take, and B switches between the reference and the
//! latest take at the same point (A/B comparison).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::form::PARAMETER_FORM_ID;
use crate::player::Audible;
use crate::takes::Takes;

/// Whether keys typed at `target` belong to it (a field, a button, a link, the audio controls).
fn takes_keys(target: Option<web_sys::EventTarget>) -> bool {
    target.and_then(|target| target.dyn_into::<web_sys::Element>().ok()).is_some_and(|element| {
        matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON" | "A" | "AUDIO")
    })
}

/// The player of the newest take that has one on the page (a take whose audio is not there yet has none).
fn latest_take(jobs: Takes, audible: Audible) -> Option<web_sys::HtmlMediaElement> {
    let list = jobs.list().get_untracked();
    list.iter().rev().find_map(|job| audible.take(&job.with_untracked(|job| job.id.clone())))
}

/// Listens for the keys as long as the page shows the app.
pub fn install(jobs: Takes, audible: Audible) {
    let handle = window_event_listener(ev::keydown, move |event| {
        // A held key repeats: only the first press counts, so holding Ctrl+Enter sends one submission.
        if event.repeat() {
            return;
        }
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            if let Some(form) = document().get_element_by_id(PARAMETER_FORM_ID) {
                event.prevent_default();
                let _ = form.unchecked_into::<web_sys::HtmlFormElement>().request_submit();
            }
        } else if event.key() == "Escape" {
            // Out of a field, from the keyboard alone: Space and B then reach the takes.
            let typing = document()
                .active_element()
                .filter(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
            if let Some(field) = typing.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = field.blur();
            }
        } else if event.key().eq_ignore_ascii_case("b") && !takes_keys(event.target()) {
            if let (Some(reference), Some(take)) = (audible.reference(), latest_take(jobs, audible)) {
                event.prevent_default();
                crate::player::switch(&reference, &take);
            }
        } else if event.key() == " " && !takes_keys(event.target()) {
            if let Some(take) = latest_take(jobs, audible) {
                event.prevent_default();
                if take.paused() {
                    let _ = take.play();
                } else {
                    let _ = take.pause();
                }
            }
        }
    });
    on_cleanup(move || handle.remove());
}
