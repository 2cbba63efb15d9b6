//! A set of variations as a grid: each take labelled with what differs ("Seed 1234"), to be heard side by side,
//! starred, and its settings put back in the form.

use leptos::prelude::*;
use zonos_api::JobStatus;

use super::context::{use_takes, TakesContext};
use super::controls::{phase_words, StarButton};
use super::{Phase, Take};
use crate::form::Draft;
use crate::parts::RoomStyle;

/// The form's values for `take`'s request, as a shared link would give them.
fn draft_of(take: &Take) -> Option<Draft> {
    Draft::from_json_text(&serde_json::to_string(&take.request).ok()?)
}

/// A set of variations' card: a tile per take of the set (`takes`), side by side.
#[component]
pub fn VariationCard(set: u32, takes: Signal<Vec<RwSignal<Take>>>) -> impl IntoView {
    let TakesContext { media_url, draft, actions, .. } = use_takes();
    let done = move || {
        takes.with(|takes| {
            takes.iter().filter(|take| take.with(|take| take.phase == Phase::Ended(JobStatus::Completed))).count()
        })
    };
    // Listeners need the proxy: it keeps the review. Shared once every take has ended: the finished ones.
    let shareable = move || {
        let settled = !takes.with(|takes| takes.iter().any(|take| take.with(Take::is_active)));
        actions.cache_audio.get() && settled && done() > 0
    };
    // Whose settings were last put in the form, said once it is done.
    let used = RwSignal::new(None::<String>);
    let title_id = format!("variations-{set}-title");
    let heading_id = title_id.clone();
    let tile = move |take: RwSignal<Take>| {
        let label = take
            .with_untracked(|take| take.variation.as_ref().map(|variation| variation.label.clone()))
            .unwrap_or_default();
        let use_settings = {
            let label = label.clone();
            move |_| {
                if let Some(settings) = take.with_untracked(draft_of) {
                    draft.set(settings);
                    used.set(Some(label.clone()));
                }
            }
        };
        // Only the audio's link redraws the player: a star or a notice must not stop it.
        let link = Memo::new(move |_| {
            take.with(|take| take.output.as_ref().and_then(|output| output.media_url.first().cloned()))
        });
        let audio = move || {
            link.get().map(|url| {
                let label =
                    take.with_untracked(|take| take.variation.as_ref().map(|variation| variation.label.clone()));
                view! { <audio controls preload="auto" src=media_url.run(url) aria-label=label></audio> }
            })
        };
        view! {
            <li class="variation">
                <h4>{label}</h4>
                <p class="phase">{move || phase_words(take.with(|take| take.phase))}</p>
                {audio}
                <div class="job-actions">
                    <StarButton take />
                    <button type="button" on:click=use_settings>"Use these settings"</button>
                </div>
            </li>
        }
    };
    view! {
        <RoomStyle />
        <article class="job variations" aria-labelledby=title_id.clone()>
            <header>
                <h3 id=heading_id>{format!("Variations {set}")}</h3>
            </header>
            <p class="phase" role="status" aria-label=format!("Progress of variations {set}")>
                {move || format!("{} of {} done", done(), takes.with(Vec::len))}
            </p>
            <ul class="variation-grid">
                <For each=move || takes.get() key=|take| *take children=tile />
            </ul>
            <Show when=shareable>
                <crate::review::ShareForReview title=format!("Variations {set}") takes />
            </Show>
            {move || used.get().map(|label| view! {
                <p class="notice" role="status">{format!("The settings of {label} are in the form.")}</p>
            })}
        </article>
    }
}
