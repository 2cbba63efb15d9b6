//! A finished take: its audio, playing as soon as it can; its figures; and a download under the gateway's name.

pub mod audible;
pub mod cache;
pub mod waveform;

pub use audible::Audible;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use zonos_api::JobStatus;

use crate::jobs::{Delivery, Job};
use studio_core::figures;

/// A/B: plays whichever of the two is not playing, from the same point of its length, and pauses the other.
/// With neither playing, the reference starts.
pub fn switch(reference: &web_sys::HtmlMediaElement, take: &web_sys::HtmlMediaElement) {
    let (from, to) = if reference.paused() { (take, reference) } else { (reference, take) };
    let fraction = if from.paused() { 0.0 } else { from.current_time() / from.duration() };
    let _ = from.pause();
    let length = to.duration();
    if fraction.is_finite() && length.is_finite() {
        to.set_current_time(fraction * length);
    }
    let _ = to.play();
}

/// Plays the reference, then the take: the two voices back to back.
fn back_to_back(reference: web_sys::HtmlMediaElement, take: &web_sys::HtmlMediaElement) {
    let take = take.clone();
    let then_take = wasm_bindgen::closure::Closure::once_into_js(move || {
        take.set_current_time(0.0);
        let _ = take.play();
    });
    let once = web_sys::AddEventListenerOptions::new();
    once.set_once(true);
    let _ = reference.add_event_listener_with_callback_and_add_event_listener_options(
        "ended",
        then_take.unchecked_ref(),
        &once,
    );
    reference.set_current_time(0.0);
    let _ = reference.play();
}

/// Keeps a take's audio at `url` on this device, removing older takes' (`removable`) if the store is full, and
/// tells both sides what was removed. Returns a local URL to play, if the audio could be read.
async fn keep_locally(
    url: &str,
    removable: Vec<RwSignal<Job>>,
    media_url: Callback<String, String>,
    made_room: RwSignal<Vec<u32>>,
) -> Option<String> {
    let room: Vec<Vec<String>> = removable
        .iter()
        .map(|other| other.with_untracked(Job::audio_links).into_iter().map(|link| media_url.run(link)).collect())
        .collect();
    let local = cache::local_url(url, &room).await;
    for index in local.removed {
        let other = removable[index];
        other.update(|other| {
            other.notice = Some(
                "Its audio was removed from this device to make room for a newer take: it plays from the gateway \
                 while the link lasts."
                    .into(),
            )
        });
        made_room.update(|numbers| numbers.push(other.with_untracked(|other| other.number)));
    }
    local.url
}

/// `cached`: the audio is same-origin (through the proxy), so it is kept in Cache Storage and played from there.
/// `removable`: the takes whose audio may go to make room for this one's.
#[component]
pub fn TakePlayer(
    job: RwSignal<Job>,
    media_url: Callback<String, String>,
    cached: bool,
    removable: Callback<RwSignal<Job>, Vec<RwSignal<Job>>>,
    audible: Audible,
) -> impl IntoView {
    let duration = RwSignal::new(None::<f64>);
    let made_room = RwSignal::new(Vec::<u32>::new());
    let unplayable = RwSignal::new(false);
    let (output, request_id, number, id) =
        job.with_untracked(|job| (job.output.clone(), job.request_id.clone(), job.number, job.id.clone()));

    let output = output.unwrap_or_default();
    let file_name = output.file_name.clone().unwrap_or_else(|| "output.wav".to_owned());
    let prefix = request_id.unwrap_or_else(|| format!("take-{number}"));
    let several = output.media_url.len() > 1;
    let players = output
        .media_url
        .iter()
        .enumerate()
        .map(|(index, url)| {
            let remote = media_url.run(url.clone());
            let source = RwSignal::new(if cached { None } else { Some(remote.clone()) });
            if cached {
                spawn_local(async move {
                    let local = keep_locally(&remote, removable.run(job), media_url, made_room).await;
                    source.set(Some(local.unwrap_or(remote)));
                });
            }
            let download_name =
                if several { format!("{prefix}-{}-{file_name}", index + 1) } else { format!("{prefix}-{file_name}") };
            let label = if several { format!("Take {number}, part {}", index + 1) } else { format!("Take {number}") };
            let audio = NodeRef::<leptos::html::Audio>::new();
            // The take's own player (its first, when its audio comes in parts) is what the keys play.
            if index == 0 {
                on_cleanup(audible.add_take(id.clone(), audio));
            }
            let played = RwSignal::new(0.0);
            let on_time = move |event: leptos::ev::Event| {
                let audio: web_sys::HtmlMediaElement = event_target(&event);
                let length = audio.duration();
                played.set(if length.is_finite() && length > 0.0 { audio.current_time() / length } else { 0.0 });
            };
            let seek = Callback::new(move |fraction: f64| {
                if let Some(audio) = audio.get() {
                    let length = audio.duration();
                    if length.is_finite() {
                        audio.set_current_time(fraction * length);
                    }
                }
            });
            // Only audio this page may read (kept through the proxy) can be drawn.
            let drawable = Signal::derive(move || source.get().filter(|_| cached));
            let wave_label = format!("Waveform of {label}");
            let on_metadata = move |event: leptos::ev::Event| {
                let audio: web_sys::HtmlMediaElement = event_target(&event);
                if index == 0 {
                    duration.set(Some(audio.duration()).filter(|seconds| seconds.is_finite()));
                }
            };
            view! {
                <div class="player">
                    <audio
                        class="take"
                        node_ref=audio
                        on:timeupdate=on_time
                        controls
                        autoplay
                        preload="auto"
                        src=move || source.get()
                        aria-label=label
                        on:loadedmetadata=on_metadata
                        on:error=move |_| unplayable.set(true)
                    ></audio>
                    <a class="download" href=move || source.get() download=download_name>"Download"</a>
                    <button type="button" on:click=move |_| {
                        if let (Some(reference), Some(audio)) = (audible.reference(), audio.get()) {
                            back_to_back(reference, &audio);
                        }
                    }>"Reference, then this take"</button>
                    <waveform::Waveform source=drawable played=played.into() on_seek=seek label=wave_label />
                </div>
            }
        })
        .collect_view();
    let figures = move || {
        job.with(|job| {
            let ended = job.ended_ms.unwrap_or(job.sent_ms);
            let total = (ended - job.sent_ms) / 1000.0;
            let mut rows = Vec::new();
            // A pushed end says nothing of when processing began: only the total is known then.
            if job.delivery != Some(Delivery::Events) {
                for (status, name) in [(JobStatus::Queued, "Queued"), (JobStatus::Processing, "Processing")] {
                    if let Some(seconds) = job.seconds_in(status, ended) {
                        rows.push((name, figures::seconds(seconds)));
                    }
                }
            }
            rows.push(("Total wait", figures::seconds(total)));
            if let Some(delivery) = job.delivery {
                let how = match delivery {
                    Delivery::Events => "Push (Server-Sent Events)",
                    Delivery::Polling => "Polling",
                    Delivery::AtOnce => "The submit answer",
                };
                rows.push(("Arrived by", how.to_owned()));
            }
            if let Some(audio) = duration.get() {
                rows.push(("Audio length", figures::seconds(audio)));
                if total > 0.0 {
                    rows.push(("Audio per second waited", figures::ratio(audio / total)));
                }
            }
            if let Some(request_id) = &job.request_id {
                rows.push(("Request id", request_id.clone()));
            }
            if let Some(media_type) = &output.media_type {
                rows.push(("Media type", media_type.clone()));
            }
            if let Some(size) = output.file_size {
                rows.push(("Size", figures::size(size)));
            }
            rows.into_iter().map(|(name, value)| view! { <div><dt>{name}</dt><dd>{value}</dd></div> }).collect_view()
        })
    };
    view! {
        <div class="take-player">
            {players}
            {move || made_room.with(|numbers| (!numbers.is_empty()).then(|| {
                let takes: Vec<String> = numbers.iter().map(|number| format!("Take {number}")).collect();
                view! {
                    <p class="notice" role="status">
                        {format!(
                            "Storage on this device was full: the audio of {} was removed from it to keep this take. \
                             Starred takes are never removed.",
                            takes.join(", "),
                        )}
                    </p>
                }
            }))}
            <Show when=move || unplayable.get()>
                <p class="problem" role="alert">
                    "The audio could not be loaded: the link may have expired, or the network dropped. Download may still work later."
                </p>
            </Show>
            <dl class="figures">{figures}</dl>
        </div>
    }
}
