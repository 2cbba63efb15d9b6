//! The reviews this device made, in its storage (see `studio_core::kept_reviews`).

use leptos::prelude::*;
use studio_core::kept_reviews::{self, KeptReview, KEY};
use studio_core::review_request::Heard;

use crate::platform::storage::{self, Keep};
use crate::platform::time::now_ms;

thread_local! {
    /// Changed at each review kept: a Share for review drawn again meanwhile (its card redrawn while the review
    /// was being made) finds it too.
    static KEPT: RwSignal<u32> = RwSignal::new(0);
}

fn kept() -> Vec<KeptReview> {
    kept_reviews::read(storage::get(Keep::Device, KEY).as_deref(), (now_ms() / 1000.0) as u64)
}

/// The review made here of `takes` heard as `heard`, if it has not expired; read again as reviews are kept.
pub fn find(takes: &[String], heard: Heard) -> Option<KeptReview> {
    KEPT.with(|kept| kept.track());
    kept_reviews::find(&kept(), takes, heard).cloned()
}

/// Keeps `review` (the expired ones go).
pub fn keep(review: KeptReview) {
    let all = kept_reviews::with(kept(), review);
    storage::set(Keep::Device, KEY, &serde_json::to_string(&all).expect("reviews serialize"));
    KEPT.with(|kept| kept.update(|count| *count += 1));
}
