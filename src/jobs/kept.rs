//! Takes kept on this device: read back when the page opens, and written again whenever one changes. In the takes'
//! part: a JSON library is what keeping them needs, and the first screen does without one.

use leptos::prelude::*;

use super::{Job, Jobs, Phase};
use crate::platform::js;
use crate::platform::storage::{self, Keep};

const STORAGE_ITEM: &str = "zonos-studio.takes";

/// The highest number among the kept takes, read with the browser's JSON parser (the first screen does without a
/// JSON library); 0 when none are kept.
pub fn highest_number() -> u32 {
    let Some(list) = storage::get(Keep::Device, STORAGE_ITEM).and_then(|text| js_sys::JSON::parse(&text).ok()) else {
        return 0;
    };
    js::items(&list).iter().filter_map(|job| js::property(job, "number").as_f64()).fold(0.0, f64::max) as u32
}

crate::parts::later! { part takes:
    /// Puts the takes kept from earlier visits before those started since the page opened, keeps the whole list
    /// on this device from now on, and returns the kept jobs that were still being followed: they were paid for,
    /// and are followed again.
    pub fn restore(jobs: Jobs) -> Vec<RwSignal<Job>> {
        let kept: Vec<Job> = storage::get(Keep::Device, STORAGE_ITEM)
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        let kept: Vec<RwSignal<Job>> = kept.into_iter().map(|job| RwSignal::new(job.reloaded())).collect();
        let following = kept.iter().copied().filter(|job| job.with_untracked(|job| job.phase == Phase::Following)).collect();
        let started_since = !jobs.list.with_untracked(Vec::is_empty);
        jobs.put_first(kept);
        let list = jobs.list;
        Effect::new(move |ran_before: Option<()>| {
            let jobs: Vec<Job> = list.with(|list| list.iter().map(|job| job.get()).collect());
            // What was just read needs no writing back, unless takes were started meanwhile.
            if ran_before.is_some() || started_since {
                storage::set(Keep::Device, STORAGE_ITEM, &serde_json::to_string(&jobs).expect("jobs serialize"));
            }
        });
        following
    }
}
