//! The jobs as the person sees them: one card per take, newest first, each with its timeline and outcome.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use zonos_api::JobStatus;

use super::{Delivery, Job, Jobs, Phase};
use crate::platform::time::now_ms;
use crate::player::{cache, Audible, TakePlayer};
use crate::script::ScriptCard;
use studio_core::figures;

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
    pub fn job_list(jobs: Jobs, actions: JobActions, media_url: Callback<String, String>) -> AnyView {
        untrack(|| view! { <JobList jobs actions media_url /> }.into_any())
    }
}

/// One card per take, newest first; long scripts first, with their parts joined.
#[component]
fn JobList(jobs: Jobs, actions: JobActions, media_url: Callback<String, String>) -> impl IntoView {
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

/// Where the job stands, in a few words.
fn phase_words(phase: Phase) -> &'static str {
    match phase {
        Phase::Waiting => "Waiting for its turn",
        Phase::Sending => "Sending…",
        Phase::WaitingToResend => "Waiting to send again",
        Phase::Uncertain => "Not known whether it was accepted",
        Phase::Refused => "Refused",
        Phase::Following => "Following",
        Phase::Stopped => "Stopped following",
        Phase::GaveUp => "No longer checking",
        Phase::Ended(JobStatus::Completed) => "Done",
        Phase::Ended(_) => "Ended without audio",
    }
}

#[component]
fn JobCard(
    job: RwSignal<Job>,
    now: Signal<f64>,
    actions: JobActions,
    media_url: Callback<String, String>,
    on_delete: Callback<RwSignal<Job>>,
    removable: Callback<RwSignal<Job>, Vec<RwSignal<Job>>>,
) -> impl IntoView {
    let number = job.with_untracked(|job| job.number);
    let title_id = format!("take-{number}-title");
    let heading_id = title_id.clone();
    let text = job.with_untracked(|job| job.request.text_or_default().to_owned());
    let phase = move || job.with(|job| job.phase);
    let rename = move |_| {
        let current = job.with_untracked(|job| job.name.clone()).unwrap_or_default();
        if let Ok(Some(name)) = window().prompt_with_message_and_default("Name this take", &current) {
            let name = name.trim().to_owned();
            job.update(|job| job.name = (!name.is_empty()).then_some(name));
        }
    };
    let stop = move |_| {
        job.update(|job| {
            job.phase = Phase::Stopped;
            job.notice =
                Some("Stopped following. The gateway has no cancel: the job may still finish, and be charged.".into());
        })
    };
    view! {
        <article class="job" aria-labelledby=title_id.clone()>
            <header>
                <div class="job-heading">
                    <h3 id=heading_id>{format!("Take {number}")}</h3>
                    <button
                        type="button"
                        class="star"
                        aria-pressed=move || job.with(|job| job.starred).to_string()
                        on:click=move |_| job.update(|job| job.starred = !job.starred)
                    >
                        {move || if job.with(|job| job.starred) { "★ Starred" } else { "☆ Star" }}
                    </button>
                    <button type="button" on:click=rename>"Rename"</button>
                </div>
                {move || job.with(|job| job.name.clone()).map(|name| view! { <p class="job-name">{name}</p> })}
                {job.with_untracked(|job| job.part).map(|part| view! {
                    <p class="job-part">{format!("Part {} of {} of script {}", part.index + 1, part.count, part.script)}</p>
                })}
                <p class="job-text">{text}</p>
            </header>
            <JobTimeline job now />
            {move || job.with(|job| job.problem.clone()).map(|problem| view! { <p class="problem" role="alert">{problem}</p> })}
            <div class="job-actions">
                <Show when=move || phase() == Phase::Following>
                    <button type="button" on:click=stop>"Stop following"</button>
                </Show>
                <Show when=move || phase() == Phase::WaitingToResend>
                    <button type="button" on:click=move |_| job.update(|job| {
                        job.phase = Phase::Refused;
                        job.problem = Some("Not sent: you stopped it while it waited to be sent again.".into());
                    })>"Don't send"</button>
                </Show>
                <Show when=move || matches!(phase(), Phase::Uncertain | Phase::Refused | Phase::Ended(JobStatus::Failed | JobStatus::Error))>
                    <button type="button" on:click=move |_| actions.send_again.run(job)>"Send again"</button>
                </Show>
                <Show when=move || phase() == Phase::GaveUp && job.with(|job| job.status_url.is_some())>
                    <button type="button" on:click=move |_| actions.check_again.run(job)>"Check again"</button>
                </Show>
                <Show when=move || !job.with(Job::is_active)>
                    <button type="button" on:click=move |_| on_delete.run(job)>"Delete"</button>
                </Show>
            </div>
            <Show when=move || job.with(|job| job.output.is_some())>
                <TakePlayer job media_url cached=actions.cache_audio.get_untracked() removable audible=actions.audible />
            </Show>
        </article>
    }
}

/// QUEUED → PROCESSING → COMPLETED, with the time spent in each, announced politely as it changes.
#[component]
fn JobTimeline(job: RwSignal<Job>, now: Signal<f64>) -> impl IntoView {
    let number = job.with_untracked(|job| job.number);
    let stages = move || {
        job.with(|job| {
            let pushed = job.delivery == Some(Delivery::Events);
            let now = if job.is_active() { now.get() } else { job.ended_ms.unwrap_or(job.sent_ms) };
            job.stages
                .iter()
                .map(|stage| {
                    let elapsed = (!stage.status.is_final())
                        .then(|| job.seconds_in(stage.status, now).map(figures::seconds))
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
            <p class="phase">{move || phase_words(job.with(|job| job.phase))}</p>
            <ol>{stages}</ol>
            {move || job.with(|job| job.notice.clone()).map(|notice| view! { <p class="notice">{notice}</p> })}
        </div>
    }
}
