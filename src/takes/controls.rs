//! Pieces of a take's view that its card and the variations grid share: where it stands, in words, and its star.

use leptos::prelude::*;
use zonos_api::JobStatus;

use super::{Phase, Take};

/// Where the take stands, in a few words.
pub fn phase_words(phase: Phase) -> &'static str {
    match phase {
        Phase::Waiting => "Waiting for its turn",
        Phase::Sending => "Sending…",
        Phase::WaitingToResend => "Waiting to send again",
        Phase::Uncertain => "Not known whether it was accepted",
        Phase::Refused => "Refused",
        Phase::Following => "Following",
        Phase::Stopped => "Stopped following",
        Phase::GaveUp => "No longer checking",
        Phase::Ended(JobStatus::Completed) => "Done",
        Phase::Ended(_) => "Ended without audio",
    }
}

/// Stars a take (a good one, kept by "Clear takes"), or takes its star away.
#[component]
pub fn StarButton(take: RwSignal<Take>) -> impl IntoView {
    view! {
        <button
            type="button"
            class="star"
            aria-pressed=move || take.with(|take| take.starred).to_string()
            on:click=move |_| take.update(|take| take.starred = !take.starred)
        >
            {move || if take.with(|take| take.starred) { "★ Starred" } else { "☆ Star" }}
        </button>
    }
}
