//! Takes kept on this device: read back when the page opens, and written again whenever one changes, merged with
//! what the other pages of the origin kept meanwhile (they share the one storage item, and hear of each other's
//! writes). The format, its versions and the merging are `studio_core::kept`'s; this is where they meet storage. In
//! the takes' part: a JSON library is what keeping them needs, and the first screen does without one.

use leptos::ev;
use leptos::prelude::*;
use studio_core::kept::Kept;

use super::{Aside, Phase, Take, Takes};
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
    js::items(&list).iter().filter_map(|take| js::property(take, "number").as_f64()).fold(0.0, f64::max) as u32
}

/// Whether this device keeps takes at all (this page's origin's), known without reading them.
pub fn any_kept() -> bool {
    storage::get(Keep::Device, STORAGE_ITEM).is_some()
}

/// Calls `then` with what another page of the origin wrote, whenever it writes the kept takes (`None`: it removed
/// them).
pub fn when_another_page_keeps(then: impl Fn(Option<String>) + 'static) -> WindowListenerHandle {
    window_event_listener(ev::storage, move |event| {
        if event.key().as_deref() == Some(STORAGE_ITEM) {
            then(event.new_value());
        }
    })
}

/// What storage holds now.
fn stored() -> Kept {
    storage::get(Keep::Device, STORAGE_ITEM).map(|text| Kept::read(&text)).unwrap_or_default()
}

/// Adds what another page kept to this page's list: its new takes (after this page's), its deletions, and what it
/// could not read. Returns this page's takes and what is kept aside, merged.
fn merge_in(takes: Takes, theirs: Kept) -> Kept {
    let snapshot: Vec<Take> = takes.list.with_untracked(|list| list.iter().map(|take| take.get_untracked()).collect());
    let Aside { unreadable, forgotten, driven } = takes.aside.get_untracked();
    let mut ours = Kept { takes: snapshot, unreadable, forgotten };
    let merged = ours.merge(theirs, |id| takes.is_driven_here(id));
    for updated in merged.updated {
        let shown = takes
            .list
            .with_untracked(|list| list.iter().copied().find(|take| take.with_untracked(|take| take.id == updated.id)));
        if let Some(take) = shown {
            take.set(updated);
        }
    }
    let added = merged.added;
    // Deleted in another page, and not running here.
    let gone =
        |take: &RwSignal<Take>| take.with_untracked(|take| !take.is_active() && ours.forgotten.contains(&take.id));
    // Only a change is written to the list: writing it would run what keeps the list again.
    if !added.is_empty() || takes.list.with_untracked(|list| list.iter().any(gone)) {
        takes.list.update(|list| {
            list.retain(|take| !gone(take));
            list.extend(added.iter().cloned().map(|take| takes.signal(take)));
        });
    }
    let aside = Aside { unreadable: ours.unreadable.clone(), forgotten: ours.forgotten.clone(), driven };
    if takes.aside.get_untracked() != aside {
        takes.aside.set(aside);
    }
    ours
}

crate::parts::later! { part takes:
    /// Puts the takes kept from earlier visits before those started since the page opened, keeps the whole list
    /// on this device from now on, and returns the kept takes that were still being followed: they were paid for,
    /// and are followed again.
    pub fn restore(takes: Takes) -> Vec<RwSignal<Take>> {
        let kept = stored();
        let restored: Vec<RwSignal<Take>> = kept.takes.into_iter().map(|take| takes.signal(take.reloaded())).collect();
        let following: Vec<RwSignal<Take>> =
            restored.iter().copied().filter(|take| take.with_untracked(|take| take.phase == Phase::Following)).collect();
        following.iter().for_each(|take| takes.drive_here(*take));
        let started_since = !takes.list.with_untracked(Vec::is_empty);
        takes.put_first(restored);
        takes.aside.update(|aside| {
            aside.unreadable = kept.unreadable;
            aside.forgotten = kept.forgotten;
        });
        Effect::new(move |ran_before: Option<()>| {
            // Tracked: every take, and the list.
            takes.list.with(|list| list.iter().for_each(|take| take.track()));
            takes.aside.track();
            // What was just read needs no writing back, unless takes were started meanwhile.
            if ran_before.is_some() || started_since {
                // Another page may have written since this one last did: its takes are kept too.
                let merged = merge_in(takes, stored());
                storage::set(Keep::Device, STORAGE_ITEM, &merged.write());
            }
        });
        // Another page of the origin wrote the list: what it added shows here too.
        let listening = when_another_page_keeps(move |written| {
            if let Some(text) = written {
                merge_in(takes, Kept::read(&text));
            }
        });
        on_cleanup(move || listening.remove());
        following
    }
}
