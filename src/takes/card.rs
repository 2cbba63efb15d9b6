//! A take as the person sees it: its card, with its timeline, its audio and figures, and what can be done with it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::figures;
use zonos_api::JobStatus;

use zonos_api::Output;

use super::cache;
use super::context::{use_takes, Opening, TakesContext};
use super::controls::{phase_words, StarButton};
use super::{Delivery, Phase, Take};
use crate::parts::part_view;
use crate::platform::audio;
use crate::platform::time::today;
use crate::player::{DownloadLink, MadeOnDemand, Player, Track};
use crate::voices::ConsentRecord;
use studio_core::provenance::{self, Provenance};

/// A stage's name. A job whose end was pushed was not watched in between: its first stage covers both waits.
fn stage_name(status: JobStatus, pushed: bool) -> &'static str {
    match status {
        JobStatus::Queued if pushed => "Queued and processing",
        JobStatus::Queued => "Queued",
        JobStatus::Processing => "Processing",
        JobStatus::Completed => "Completed",
        JobStatus::Failed => "Failed",
        JobStatus::Error => "Error",
    }
}

/// A take's card: its heading, text and marks, its timeline, what can be done with it, its audio once it has some,
/// and a blind round over it when asked.
#[component]
pub(super) fn TakeCard(take: RwSignal<Take>) -> impl IntoView {
    let number = take.with_untracked(|take| take.number);
    // A blind round over this take, open below its audio (see `real_or_clone`).
    let blind = RwSignal::new(false);
    let blind_attempt = RwSignal::new(0_u32);
    let title_id = format!("take-{number}-title");
    let heading_id = title_id.clone();
    let text = take.with_untracked(|take| take.request.text_or_default().to_owned());
    let rename = move |_| {
        let current = take.with_untracked(|take| take.name.clone()).unwrap_or_default();
        if let Ok(Some(name)) = window().prompt_with_message_and_default("Name this take", &current) {
            let name = name.trim().to_owned();
            take.update(|take| take.name = (!name.is_empty()).then_some(name));
        }
    };
    view! {
        <article class="job" aria-labelledby=title_id.clone()>
            <header>
                <div class="job-heading">
                    <h3 id=heading_id>{format!("Take {number}")}</h3>
                    <StarButton take />
                    <button type="button" on:click=rename>"Rename"</button>
                </div>
                {move || take.with(|take| take.name.clone()).map(|name| view! { <p class="job-name">{name}</p> })}
                {take.with_untracked(|take| take.part).map(|part| view! {
                    <p class="job-part">{format!("Part {} of {} of script {}", part.index + 1, part.count, part.script)}</p>
                })}
                {take.with_untracked(|take| take.variation.clone()).map(|variation| view! {
                    <p class="job-part">{format!("{} (variations {})", variation.label, variation.set)}</p>
                })}
                <p class="job-text">{text}</p>
                <p class="hint">"AI-generated speech"</p>
                {take.with_untracked(|take| take.consent.clone()).map(|consent| view! { <ConsentRecord consent /> })}
            </header>
            <TakeTimeline take />
            {move || take.with(|take| take.problem.clone()).map(|problem| view! { <p class="problem" role="alert">{problem}</p> })}
            <TakeButtons take blind />
            <Show when=move || take.with(|take| take.output.is_some())>
                <TakeAudio take />
            </Show>
            <Show when=move || blind.get()>
                {part_view(blind_attempt, move || super::real_or_clone::round(take))}
            </Show>
        </article>
    }
}

/// What can be done with a take, as far as it has come; `blind` opens a blind round over it.
#[component]
fn TakeButtons(take: RwSignal<Take>, blind: RwSignal<bool>) -> impl IntoView {
    let context = use_takes();
    let TakesContext { actions, presenting, .. } = context;
    let phase = move || take.with(|take| take.phase);
    let stop = move |_| {
        take.update(|take| {
            take.phase = Phase::Stopped;
            take.notice =
                Some("Stopped following. The gateway has no cancel: the job may still finish, and be charged.".into());
        })
    };
    view! {
            <div class="job-actions">
                <Show when=move || phase() == Phase::Following>
                    <button type="button" on:click=stop>"Stop following"</button>
                </Show>
                <Show when=move || phase() == Phase::WaitingToResend>
                    <button type="button" on:click=move |_| take.update(|take| {
                        take.phase = Phase::Refused;
                        take.problem = Some("Not sent: you stopped it while it waited to be sent again.".into());
                    })>"Don't send"</button>
                </Show>
                <Show when=move || matches!(phase(), Phase::Uncertain | Phase::Refused | Phase::Ended(JobStatus::Failed | JobStatus::Error))>
                    <button type="button" on:click=move |_| actions.send_again.run(take)>"Send again"</button>
                </Show>
                <Show when=move || phase() == Phase::GaveUp && take.with(|take| take.status_url.is_some())>
                    <button type="button" on:click=move |_| actions.check_again.run(take)>"Check again"</button>
                </Show>
                <Show when=move || !take.with(Take::is_active)>
                    <button type="button" on:click=move |_| context.delete(take)>"Delete"</button>
                </Show>
                <Show when=move || take.with(|take| take.output.is_some())>
                    <button type="button" on:click=move |_| presenting.set(Some(Opening::Take(take)))>"Present this take"</button>
                    <button
                        type="button"
                        aria-expanded=move || blind.get().to_string()
                        on:click=move |_| blind.update(|open| *open = !*open)
                    >
                        "Real or clone?"
                    </button>
                </Show>
                // Listeners need the proxy: it keeps the review.
                <Show when=move || actions.cache_audio.get() && take.with(|take| take.output.is_some())>
                    <crate::review::ShareTake take />
                </Show>
            </div>
    }
}

/// QUEUED → PROCESSING → COMPLETED, with the time spent in each, announced politely as it changes.
#[component]
fn TakeTimeline(take: RwSignal<Take>) -> impl IntoView {
    let now = use_takes().now;
    let number = take.with_untracked(|take| take.number);
    let stages = move || {
        take.with(|take| {
            let pushed = take.delivery == Some(Delivery::Events);
            let now = if take.is_active() { now.get() } else { take.ended_ms.unwrap_or(take.sent_ms) };
            take.stages
                .iter()
                .map(|stage| {
                    let elapsed = (!stage.status.is_final())
                        .then(|| take.seconds_in(stage.status, now).map(figures::seconds))
                        .flatten()
                        .unwrap_or_default();
                    view! {
                        <li class=format!("stage {}", stage.status.code().to_ascii_lowercase())>
                            <span class="stage-name">{stage_name(stage.status, pushed)}</span>
                            " "
                            <span class="stage-time">{elapsed}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="timeline" role="status" aria-label=format!("Progress of take {number}")>
            <p class="phase">{move || phase_words(take.with(|take| take.phase))}</p>
            <ol>{stages}</ol>
            {move || take.with(|take| take.notice.clone()).map(|notice| view! { <p class="notice">{notice}</p> })}
        </div>
    }
}

/// Keeps a take's audio at `url` on this device, removing older takes' (`removable`) if the store is full, and
/// tells both sides what was removed. Returns a local URL to play, if the audio could be read.
async fn keep_locally(
    url: &str,
    removable: Vec<RwSignal<Take>>,
    media_url: Callback<String, String>,
    made_room: RwSignal<Vec<u32>>,
) -> Option<String> {
    let room: Vec<Vec<String>> = removable
        .iter()
        .map(|other| other.with_untracked(Take::audio_links).into_iter().map(|link| media_url.run(link)).collect())
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

/// A copy of the gateway's file at `url`, marked as AI-generated speech (see `studio_core::provenance`), as a
/// `blob:` URL; `None` when the page may not read it (the gateway's host does not allow it), or it is not a WAV.
async fn marked_copy(url: &str, request_ids: Vec<String>) -> Option<String> {
    let bytes = js_sys::Uint8Array::new(&audio::fetch(url).await?.into()).to_vec();
    audio::object_url(&provenance::mark(&bytes, &Provenance { request_ids, date: today() })?)
}

/// A finished take's audio, playing as soon as it can (from this device when it is kept there), what storage made
/// room for, and its figures.
#[component]
fn TakeAudio(take: RwSignal<Take>) -> impl IntoView {
    let duration = RwSignal::new(None::<f64>);
    let made_room = RwSignal::new(Vec::<u32>::new());
    let unplayable = RwSignal::new(false);
    let output = take.with_untracked(|take| take.output.clone()).unwrap_or_default();
    let files = output.media_url.len();
    let players = output
        .media_url
        .iter()
        .cloned()
        .enumerate()
        .map(|(index, url)| view! { <TakeFile take url index files duration made_room unplayable /> })
        .collect_view();
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
            <TakeFigures take output duration=duration.into() />
        </div>
    }
}

/// The player of file `index` (of `files`) of a take's audio, at the gateway's `url`. Through the proxy the audio
/// is kept on this device and played from there, older takes' making room for it if storage is full (noted in
/// `made_room`); the first file's length goes to `duration`, and a file that can't play sets `unplayable`.
#[component]
fn TakeFile(
    take: RwSignal<Take>,
    url: String,
    index: usize,
    files: usize,
    duration: RwSignal<Option<f64>>,
    made_room: RwSignal<Vec<u32>>,
    unplayable: RwSignal<bool>,
) -> impl IntoView {
    let context = use_takes();
    let cached = context.cached();
    let (file_name, request_id, number, id, lone) = take.with_untracked(|take| {
        let file_name = take.output.as_ref().and_then(|output| output.file_name.clone());
        (file_name, take.request_id.clone(), take.number, take.id.clone(), take.variation.is_none())
    });
    let remote = context.media_url.run(url);
    let source = RwSignal::new(if cached { None } else { Some(remote.clone()) });
    // Through the proxy, the kept file is marked already; from the gateway directly, it is not.
    let download = (!cached).then(|| marked_download(take, remote.clone()));
    if cached {
        spawn_local(async move {
            let removable = context.takes.removable_audio(take);
            let local = keep_locally(&remote, removable, context.media_url, made_room).await;
            source.set(Some(local.unwrap_or(remote)));
        });
    }
    let file_name = file_name.unwrap_or_else(|| "output.wav".to_owned());
    let prefix = request_id.unwrap_or_else(|| format!("take-{number}"));
    let several = files > 1;
    let download_name =
        if several { format!("{prefix}-{}-{file_name}", index + 1) } else { format!("{prefix}-{file_name}") };
    let label = if several { format!("Take {number}, part {}", index + 1) } else { format!("Take {number}") };
    // The take's own player (its first, when its audio comes in parts) is what the keys play.
    let id = (index == 0).then_some(id);
    let on_duration = Callback::new(move |seconds| {
        if index == 0 {
            duration.set(Some(seconds));
        }
    });
    let source = Signal::from(source);
    let track = Track { source, label, id, drawable: cached, autoplay: lone };
    view! {
        <Player
            track
            audible=context.actions.audible
            on_duration
            on_unplayable=Callback::new(move |()| unplayable.set(true))
        >
            <DownloadLink source name=download_name on_demand=download />
        </Player>
    }
}

/// A download of a marked copy of the gateway's file at `remote` (the gateway's own file if the page may not read
/// it), made when the download is first wanted: the file once made, and what starts making it.
fn marked_download(take: RwSignal<Take>, remote: String) -> MadeOnDemand {
    let file = RwSignal::new(None::<String>);
    let started = StoredValue::new(false);
    let prepare = Callback::new(move |()| {
        if !started.get_value() {
            started.set_value(true);
            let (remote, request_ids) =
                (remote.clone(), take.with_untracked(|take| take.request_id.iter().cloned().collect()));
            spawn_local(async move {
                let copy = marked_copy(&remote, request_ids).await.unwrap_or(remote);
                if let Some(Some(unused)) = file.try_set(Some(copy)) {
                    audio::release(&unused);
                }
            });
        }
    });
    on_cleanup(move || {
        if let Some(Some(copy)) = file.try_get_untracked() {
            audio::release(&copy);
        }
    });
    MadeOnDemand { file: file.into(), prepare }
}

/// A finished take's figures: how long it waited, and for what; how it arrived; its audio's length and size.
#[component]
fn TakeFigures(take: RwSignal<Take>, output: Output, duration: Signal<Option<f64>>) -> impl IntoView {
    let figures = move || {
        take.with(|take| {
            let ended = take.ended_ms.unwrap_or(take.sent_ms);
            let total = (ended - take.sent_ms) / 1000.0;
            let mut rows = Vec::new();
            // A pushed end says nothing of when processing began: only the total is known then.
            if take.delivery != Some(Delivery::Events) {
                for (status, name) in [(JobStatus::Queued, "Queued"), (JobStatus::Processing, "Processing")] {
                    if let Some(seconds) = take.seconds_in(status, ended) {
                        rows.push((name, figures::seconds(seconds)));
                    }
                }
            }
            rows.push(("Total wait", figures::seconds(total)));
            if let Some(delivery) = take.delivery {
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
            if let Some(request_id) = &take.request_id {
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
    view! { <dl class="figures">{figures}</dl> }
}
