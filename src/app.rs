use leptos::prelude::*;
use leptos::task::spawn_local;
use zonos_api::GenerateRequest;

use crate::form::ParameterForm;
use crate::gateway::connection::Connection;
use crate::gateway::gateway_for;
use crate::jobs::{self, Drive, Job, Jobs};
use crate::parts::Unavailable;
use crate::platform::time::now_ms;
use crate::player::Audible;
use crate::prerendered::Carried;
use crate::settings::Settings;
use crate::startup::{self, Restore, Starting};
use crate::voices::{ReferencePreview, ReferenceRecorder, ReferenceUpload, VoicePicker};
use futures::StreamExt;

/// The page: which panels stand where. Owns the top-level state and passes it down. `carried`: what the
/// prerendered page held when the app took it over.
#[component]
pub fn App(#[prop(optional)] carried: Carried) -> impl IntoView {
    let draft = RwSignal::new(crate::share::opening_draft(carried.draft));
    let connection = RwSignal::new(None::<Connection>);
    let settings = Settings::load();
    let jobs = Jobs::new();
    let page_problem = RwSignal::new(None::<String>);
    let generate_pending = RwSignal::new(carried.generate);
    let takes_restore = RwSignal::new(Restore::NotYet);
    // Tries at loading the takes' part (see `parts`), which shows the takes and restores those kept from a past
    // visit: "Try again" makes another.
    let takes_attempt = RwSignal::new(0_u32);

    let starting = Starting { draft, connection, settings, jobs, generate_pending, takes_restore };
    startup::start(starting);
    // "Try again" on the takes also brings back the kept ones, if that is what failed.
    Effect::watch(
        move || takes_attempt.get(),
        move |_, _, _| {
            if takes_restore.get_untracked() == Restore::Unloaded {
                startup::restore_takes(starting);
            }
        },
        false,
    );

    let gateway = move || {
        gateway_for(connection, settings).inspect_err(|_| {
            if matches!(connection.get_untracked(), Some(Connection::Direct(_))) {
                crate::form::focus_by_id("api-key");
            }
        })
    };
    let send = move |job: RwSignal<Job>| match gateway() {
        Ok(gateway) => {
            page_problem.set(None);
            jobs.drive_here(job);
            spawn_local(jobs::drive(job, gateway, settings.poll_seconds(), Drive::Send));
        }
        Err(problem) => page_problem.set(Some(problem)),
    };
    let on_generate = Callback::new(move |request: GenerateRequest| {
        let gateway = match gateway() {
            Ok(gateway) => gateway,
            Err(problem) => return page_problem.set(Some(problem)),
        };
        page_problem.set(None);
        let limit = studio_core::script::split::chars_per_part(request.max_tokens);
        if request.text_or_default().chars().count() <= limit {
            return send(jobs.start(request, now_ms()));
        }
        // A long script: its parts, a few at a time.
        let parts = studio_core::script::split::split(request.text_or_default(), limit)
            .into_iter()
            .map(|text| GenerateRequest { text: Some(text), ..request.clone() })
            .collect();
        let parts = jobs.start_script(parts, now_ms());
        let (poll_seconds, at_once) = (settings.poll_seconds(), settings.parts_at_once());
        spawn_local(async move {
            futures::stream::iter(parts)
                .for_each_concurrent(at_once, |job| jobs::drive(job, gateway.clone(), poll_seconds, Drive::Send))
                .await;
        });
    });
    let audible = Audible::default();
    let actions = jobs::JobActions {
        send_again: Callback::new(send),
        check_again: Callback::new(move |job| {
            if let Ok(gateway) = gateway() {
                jobs.drive_here(job);
                spawn_local(jobs::drive(job, gateway, settings.poll_seconds(), Drive::CheckAgain));
            }
        }),
        cache_audio: Signal::derive(move || matches!(connection.get(), Some(Connection::Proxy(_)))),
        audible,
    };
    let media_url = Callback::new(move |url: String| gateway().map(|gateway| gateway.media_url(&url)).unwrap_or(url));
    // The page knows how it reaches the gateway.
    let connected = Signal::derive(move || connection.with(Option::is_some));
    let voices = Signal::derive(move || connection.with(|found| found.as_ref().map(|found| found.voices().to_vec())));
    let uploads = Signal::derive(move || {
        connection.with(|found| found.as_ref().map(|found| matches!(found, Connection::Proxy(offer) if offer.uploads)))
    });
    crate::shortcuts::install(jobs, audible);
    // Tries at loading the studio part, which holds the panels below the form.
    let panels_attempt = RwSignal::new(0_u32);

    view! {
        <header class="masthead">
            <h1>"Zonos Studio"</h1>
            <p class="tagline">"Voice cloning with Zyphra's Zonos 2"</p>
        </header>
        <main class="workspace">
            <div class="controls">
                <ParameterForm
                    draft
                    on_generate
                    busy=jobs.sending()
                    ready=connected
                    held=generate_pending
                >
                    <div class="voice-sources">
                        <VoicePicker voices draft />
                        <ReferenceUpload offered=uploads draft />
                        <ReferenceRecorder offered=uploads draft />
                    </div>
                    <ReferencePreview draft audible />
                </ParameterForm>
                <Show when=move || connected.get()>
                    {move || {
                        panels_attempt.track();
                        Suspend::new(async move {
                            crate::panels::below_the_form(draft, connection, settings)
                                .await
                                .unwrap_or_else(|_| view! { <Unavailable attempt=panels_attempt /> }.into_any())
                        })
                    }}
                </Show>
            </div>
            <div class="results">
                {move || page_problem.get().map(|problem| view! { <p class="problem" role="alert">{problem}</p> })}
                // Without takes on screen (whose list would say so itself).
                <Show when=move || takes_restore.get() == Restore::Unloaded && jobs.list().with(Vec::is_empty)>
                    <Unavailable attempt=takes_attempt />
                </Show>
                <Show
                    when=move || jobs.list().with(|list| !list.is_empty())
                    fallback=|| view! {
                        <section class="jobs" aria-label="Takes">
                            <h2>"Takes"</h2>
                            <p class="empty">"Your takes appear here. Press Generate to make the first one."</p>
                        </section>
                    }
                >
                    {move || {
                        takes_attempt.track();
                        Suspend::new(async move {
                            jobs::job_list(jobs, actions, media_url)
                                .await
                                .unwrap_or_else(|_| view! { <Unavailable attempt=takes_attempt /> }.into_any())
                        })
                    }}
                </Show>
            </div>
        </main>
    }
}
