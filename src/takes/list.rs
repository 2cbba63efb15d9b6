//! The takes as the person sees them: scripts first, with their parts joined, then one card per take, newest first.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::card::JobCard;
use super::script_card::ScriptCard;
use super::{cache, Job, Takes};
use crate::platform::time::now_ms;
use crate::player::Audible;

/// How often running takes' clocks are redrawn.
const TICK_MS: u64 = 250;

/// What the person can do with a job.
#[derive(Debug, Clone, Copy)]
pub struct JobActions {
    /// Send an uncertain submission again, deliberately.
    pub send_again: Callback<RwSignal<Job>>,
    pub check_again: Callback<RwSignal<Job>>,
    /// Result audio is same-origin (through the proxy), so it can be kept for offline playback.
    pub cache_audio: Signal<bool>,
    /// Where each take's player is noted, for the keys.
    pub audible: Audible,
}

crate::parts::later! { part takes:
    /// The takes, in the takes' part: fetched as the page starts (see `startup`), not with the first screen.
    pub fn job_list(jobs: Takes, actions: JobActions, media_url: Callback<String, String>) -> AnyView {
        untrack(|| view! { <JobList jobs actions media_url /> }.into_any())
    }
}

/// One card per take, newest first; long scripts first, with their parts joined.
#[component]
fn JobList(jobs: Takes, actions: JobActions, media_url: Callback<String, String>) -> impl IntoView {
    // The clock that running takes' timelines read, redrawn while the takes are on screen.
    let clock = RwSignal::new(now_ms());
    if let Ok(ticking) = set_interval_with_handle(move || clock.set(now_ms()), Duration::from_millis(TICK_MS)) {
        on_cleanup(move || ticking.clear());
    }
    let now = Signal::from(clock);
    let newest_first = move || jobs.list().get().into_iter().rev().collect::<Vec<_>>();
    // A forgotten take's audio goes from this device too.
    let forget_audio = move |links: Vec<String>| {
        if actions.cache_audio.get_untracked() {
            spawn_local(cache::forget(links.into_iter().map(|link| media_url.run(link)).collect()));
        }
    };
    let clear = move |_| {
        let sure = window().confirm_with_message(
            "Clear every finished take that is not starred from this device? This cannot be undone.",
        );
        if sure.unwrap_or(false) {
            forget_audio(jobs.clear());
        }
    };
    let on_delete = Callback::new(move |job| forget_audio(jobs.remove(job)));
    let removable = Callback::new(move |job| jobs.removable_audio(job));
    view! {
        <section class="jobs" aria-label="Takes">
            <div class="jobs-bar">
                <h2>"Takes"</h2>
                <button type="button" on:click=clear>"Clear takes"</button>
            </div>
            {move || {
                let unreadable = jobs.unreadable().get();
                (unreadable > 0).then(|| view! {
                    <p class="notice" role="status">
                        {format!(
                            "{unreadable} kept {} could not be read by this version of the page: {} kept on this \
                             device as {}, and a later version may read {}.",
                            if unreadable == 1 { "take" } else { "takes" },
                            if unreadable == 1 { "it is" } else { "they are" },
                            if unreadable == 1 { "it was" } else { "they were" },
                            if unreadable == 1 { "it" } else { "them" },
                        )}
                    </p>
                })
            }}
            <For each=move || jobs.scripts().get().into_iter().rev() key=|script| *script let:script>
                <ScriptCard
                    script
                    parts=jobs.parts_of(script)
                    media_url
                    joinable=actions.cache_audio.get_untracked()
                />
            </For>
            <For each=newest_first key=|job| *job let:job>
                <JobCard job now actions media_url on_delete removable />
            </For>
        </section>
    }
}
