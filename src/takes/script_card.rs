//! A script's card: how far its parts are, and, once all are done, the whole script as one take, and its parts
//! shared for review.

use leptos::prelude::*;
use leptos::task::spawn_local;
use zonos_api::JobStatus;

use super::context::use_takes;
use super::{cache, Phase, Take};
use crate::platform::audio;
use crate::platform::time::today;

use studio_core::provenance::{self, Provenance};
use studio_core::script::stitch::{stitch, CROSSFADE_SECONDS};
use studio_core::wav;

/// The script's WAV as a `blob:` URL, marked as AI-generated speech from `request_ids`, or why it could not be made.
async fn joined(urls: Vec<String>, request_ids: Vec<String>) -> Result<String, String> {
    let mut parts = Vec::new();
    let mut rate = None;
    for url in urls {
        let bytes = cache::bytes(&url).await.ok_or("A part's audio could not be read: each part plays on its own.")?;
        let (samples, part_rate) =
            wav::read(&bytes).ok_or("A part's audio is not a 16-bit WAV: each part plays on its own.")?;
        if *rate.get_or_insert(part_rate) != part_rate {
            return Err("The parts have different sample rates: each part plays on its own.".into());
        }
        parts.push(samples);
    }
    let rate = rate.unwrap_or(44_100);
    let samples = stitch(&parts, (CROSSFADE_SECONDS * f64::from(rate)) as usize);
    let provenance = Provenance { request_ids, date: today() };
    provenance::mark(&wav::encode(&samples, rate), &provenance)
        .and_then(|marked| audio::object_url(&marked))
        .ok_or_else(|| "The joined audio could not be made.".to_owned())
}

/// A long script's card: how far its parts are, and, once all are done, the whole script as one take (joined on
/// this device, which needs the parts' audio through the proxy).
#[component]
pub fn ScriptCard(script: u32, parts: Signal<Vec<RwSignal<Take>>>) -> impl IntoView {
    let context = use_takes();
    let (media_url, joinable) = (context.media_url, context.cached());
    let count = move || parts.with(Vec::len);
    let done = move || {
        parts.with(|parts| {
            parts.iter().filter(|take| take.with(|take| take.phase == Phase::Ended(JobStatus::Completed))).count()
        })
    };
    let failed = move || {
        parts.with(|parts| {
            parts
                .iter()
                .filter(|take| {
                    take.with(|take| {
                        matches!(
                            take.phase,
                            Phase::Ended(JobStatus::Failed | JobStatus::Error)
                                | Phase::Refused
                                | Phase::Uncertain
                                | Phase::GaveUp
                        )
                    })
                })
                .count()
        })
    };
    let all_done = move || count() > 0 && done() == count();
    let result = RwSignal::new(None::<Result<String, String>>);
    Effect::new(move |started: Option<bool>| {
        let all_done = all_done();
        if all_done && started != Some(true) {
            let urls: Vec<String> = parts.with_untracked(|parts| {
                parts
                    .iter()
                    .filter_map(|take| {
                        take.with_untracked(|take| {
                            take.output.as_ref().and_then(|output| output.media_url.first().cloned())
                        })
                    })
                    .map(|url| media_url.run(url))
                    .collect()
            });
            let request_ids: Vec<String> = parts.with_untracked(|parts| {
                parts.iter().filter_map(|take| take.with_untracked(|take| take.request_id.clone())).collect()
            });
            if joinable {
                spawn_local(async move { result.set(Some(joined(urls, request_ids).await)) });
            } else {
                result.set(Some(Err(
                    "Joining the parts needs their audio through the Zonos Studio server: each part plays on its own."
                        .into(),
                )));
            }
        }
        all_done
    });
    let title_id = format!("script-{script}-title");
    let heading_id = title_id.clone();
    view! {
        <article class="job script" aria-labelledby=title_id.clone()>
            <header>
                <h3 id=heading_id>{format!("Script {script}")}</h3>
                <p class="hint">"AI-generated speech"</p>
            </header>
            <p class="phase" role="status" aria-label=format!("Progress of script {script}")>
                {move || format!("{} of {} parts done", done(), count())}
                {move || (failed() > 0).then(|| format!("; {} to send again (see the part)", failed()))}
            </p>
            {move || match result.get() {
                Some(Ok(url)) => Some(view! {
                    <div class="player">
                        <audio class="take" controls src=url.clone() aria-label=format!("Script {script}")></audio>
                        <a class="download" href=url download=format!("script-{script}.wav")>"Download the script"</a>
                    </div>
                }.into_any()),
                Some(Err(problem)) => Some(view! { <p class="notice">{problem}</p> }.into_any()),
                None => None,
            }}
            // Shared part by part, each heard and judged on its own (listeners need the proxy: it keeps the review).
            <Show when=move || joinable && all_done()>
                <crate::review::ShareForReview title=format!("Script {script}") takes=parts />
            </Show>
        </article>
    }
}
