//! Takes kept on this device: read back when the page opens, and written again whenever one changes, merged with
//! what the other pages of the origin kept meanwhile (they share the one storage item, and hear of each other's
//! writes). The format, its versions and the merging are `studio_core::kept`'s; this is where they meet storage. In
//! the takes' part: a JSON library is what keeping them needs, and the first screen does without one.

use leptos::ev;
use leptos::prelude::*;
use studio_core::kept::Kept;

use super::{Aside, Job, Phase, Takes};
use crate::platform::js;
use crate::platform::storage::{self, Keep};

const STORAGE_ITEM: &str = "zonos-studio.takes";

/// The highest number among the kept takes, read with the browser's JSON parser (the first screen does without a
/// JSON library): from today's envelope or an earlier version's bare list; 0 when none are kept.
pub fn highest_number() -> u32 {
    let Some(kept) = storage::get(Keep::Device, STORAGE_ITEM).and_then(|text| js_sys::JSON::parse(&text).ok()) else {
        return 0;
    };
    let list = if js_sys::Array::is_array(&kept) { kept } else { js::property(&kept, "takes") };
    js::items(&list).iter().filter_map(|job| js::property(job, "number").as_f64()).fold(0.0, f64::max) as u32
}

/// What storage holds now.
fn stored() -> Kept {
    storage::get(Keep::Device, STORAGE_ITEM).map(|text| Kept::read(&text)).unwrap_or_default()
}

/// Adds what another page kept to this page's list: its new takes (after this page's), its deletions, and what it
/// could not read. Returns this page's takes and what is kept aside, merged.
fn merge_in(jobs: Takes, theirs: Kept) -> Kept {
    let takes: Vec<Job> = jobs.list.with_untracked(|list| list.iter().map(|job| job.get_untracked()).collect());
    let Aside { unreadable, forgotten, driven } = jobs.aside.get_untracked();
    let mut ours = Kept { takes, unreadable, forgotten };
    let merged = ours.merge(theirs, |id| jobs.is_driven_here(id));
    for take in merged.updated {
        let shown = jobs
            .list
            .with_untracked(|list| list.iter().copied().find(|job| job.with_untracked(|job| job.id == take.id)));
        if let Some(job) = shown {
            job.set(take);
        }
    }
    let added = merged.added;
    // Deleted in another page, and not running here.
    let gone = |job: &RwSignal<Job>| job.with_untracked(|job| !job.is_active() && ours.forgotten.contains(&job.id));
    // Only a change is written to the list: writing it would run what keeps the list again.
    if !added.is_empty() || jobs.list.with_untracked(|list| list.iter().any(gone)) {
        jobs.list.update(|list| {
            list.retain(|job| !gone(job));
            list.extend(added.iter().cloned().map(|job| jobs.signal(job)));
        });
    }
    let aside = Aside { unreadable: ours.unreadable.clone(), forgotten: ours.forgotten.clone(), driven };
    if jobs.aside.get_untracked() != aside {
        jobs.aside.set(aside);
    }
    ours
}

crate::parts::later! { part takes:
    /// Puts the takes kept from earlier visits before those started since the page opened, keeps the whole list
    /// on this device from now on, and returns the kept jobs that were still being followed: they were paid for,
    /// and are followed again.
    pub fn restore(jobs: Takes) -> Vec<RwSignal<Job>> {
        let kept = stored();
        let takes: Vec<RwSignal<Job>> = kept.takes.into_iter().map(|job| jobs.signal(job.reloaded())).collect();
        let following: Vec<RwSignal<Job>> =
            takes.iter().copied().filter(|job| job.with_untracked(|job| job.phase == Phase::Following)).collect();
        following.iter().for_each(|job| jobs.drive_here(*job));
        let started_since = !jobs.list.with_untracked(Vec::is_empty);
        jobs.put_first(takes);
        jobs.aside.update(|aside| {
            aside.unreadable = kept.unreadable;
            aside.forgotten = kept.forgotten;
        });
        Effect::new(move |ran_before: Option<()>| {
            // Tracked: every take, and the list.
            jobs.list.with(|list| list.iter().for_each(|job| job.track()));
            jobs.aside.track();
            // What was just read needs no writing back, unless takes were started meanwhile.
            if ran_before.is_some() || started_since {
                // Another page may have written since this one last did: its takes are kept too.
                let merged = merge_in(jobs, stored());
                storage::set(Keep::Device, STORAGE_ITEM, &merged.write());
            }
        });
        // Another page of the origin wrote the list: what it added shows here too.
        let listening = window_event_listener(ev::storage, move |event| {
            if event.key().as_deref() == Some(STORAGE_ITEM) {
                if let Some(text) = event.new_value() {
                    merge_in(jobs, Kept::read(&text));
                }
            }
        });
        on_cleanup(move || listening.remove());
        following
    }
}
