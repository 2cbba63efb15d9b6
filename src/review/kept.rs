//! The reviews this device made, in its storage (see `studio_core::kept_reviews`).

use studio_core::kept_reviews::{self, KeptReview, KEY};
use studio_core::review_request::Heard;

use crate::platform::storage::{self, Keep};
use crate::platform::time::now_ms;

fn kept() -> Vec<KeptReview> {
    kept_reviews::read(storage::get(Keep::Device, KEY).as_deref(), (now_ms() / 1000.0) as u64)
}

/// The review made here of `takes` heard as `heard`, if it has not expired.
pub fn find(takes: &[String], heard: Heard) -> Option<KeptReview> {
    kept_reviews::find(&kept(), takes, heard).cloned()
}

/// Keeps `review` (the expired ones go).
pub fn keep(review: KeptReview) {
    let all = kept_reviews::with(kept(), review);
    storage::set(Keep::Device, KEY, &serde_json::to_string(&all).expect("reviews serialize"));
}
