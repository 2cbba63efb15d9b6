//! The keys that act on the takes, for a demo in front of an audience, live while takes are on the page: when the
//! focus is not in a field, Space plays or pauses the latest take, B switches between the reference and the latest
//! take at the same point (A/B comparison), and P opens the presenter view. (The presenter view has keys of its
//! own, and keeps these out while it is open.)

use leptos::ev;
use leptos::prelude::*;

use super::context::Opening;
use super::Takes;
use crate::player::Audible;
use crate::shortcuts::{belongs_to_target, is_typing};

/// The player of the newest take that has one on the page (a take whose audio is not there yet has none).
fn latest_take(takes: Takes, audible: Audible) -> Option<web_sys::HtmlMediaElement> {
    let list = takes.list().get_untracked();
    list.iter().rev().find_map(|take| audible.take(&take.with_untracked(|take| take.id.clone())))
}

/// Listens for the keys as long as the takes are on the page; P sets `presenting`.
pub fn install(takes: Takes, audible: Audible, presenting: RwSignal<Option<Opening>>) {
    let handle = window_event_listener(ev::keydown, move |event| {
        // The presenter view has its own keys; one that reaches the page while it is open (its focus lost to the
        // page) must not play what stands behind it.
        if event.repeat() || event.ctrl_key() || event.meta_key() || presenting.with_untracked(Option::is_some) {
            return;
        }
        let key = event.key();
        if key.eq_ignore_ascii_case("p") && !is_typing(event.target()) {
            event.prevent_default();
            presenting.set(Some(Opening::Newest));
        } else if key.eq_ignore_ascii_case("b") && !belongs_to_target(event.target()) {
            if let (Some(reference), Some(take)) = (audible.reference(), latest_take(takes, audible)) {
                event.prevent_default();
                crate::player::switch(&reference, &take);
            }
        } else if key == " " && !belongs_to_target(event.target()) {
            if let Some(take) = latest_take(takes, audible) {
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
