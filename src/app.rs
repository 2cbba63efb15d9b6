use leptos::prelude::*;
use leptos::task::spawn_local;
use zonos_api::GenerateRequest;

use crate::api_call::ApiCallPanel;
use crate::form::{Draft, ParameterForm};
use crate::gateway::connection::{self, Connection};
use crate::gateway::Gateway;
use crate::jobs::{self, Drive, Job, Jobs};
use crate::parts::Unavailable;
use crate::platform::time::now_ms;
use crate::script;
use crate::settings::{ConnectionPanel, Settings};
use crate::share::ShareLink;
use crate::voices::{ReferencePreview, ReferenceRecorder, ReferenceUpload, VoicePicker};
use futures::StreamExt;

/// The gateway to use now, or why there is none.
fn gateway_for(connection: RwSignal<Option<Connection>>, settings: Settings) -> Result<Gateway, String> {
    match connection.get_untracked() {
        None => Err("Still finding the gateway: try again in a moment.".to_owned()),
        Some(Connection::Proxy(offer)) => Ok(Gateway::through_proxy(offer.events)),
        Some(Connection::Direct(_)) => {
            let key = settings.key.get_untracked();
            if key.trim().is_empty() {
                Err("Enter your API key under Connection: this page calls the gateway directly.".to_owned())
            } else {
                Ok(Gateway::direct(&settings.gateway_url.get_untracked(), &key))
            }
        }
    }
}

/// How often running takes' clocks are redrawn.
const TICK_MS: u64 = 250;

/// The page: which panels stand where. Owns the top-level state and passes it down.
#[component]
pub fn App() -> impl IntoView {
    let draft = RwSignal::new(crate::share::shared_draft().unwrap_or_default());
    let connection = RwSignal::new(None::<Connection>);
    let settings = Settings::load();
    let jobs = Jobs::load();
    let page_problem = RwSignal::new(None::<String>);
    // Tries at loading the takes' part (see `parts`): "Try again" makes another.
    let takes_attempt = RwSignal::new(0_u32);
    let now = RwSignal::new(now_ms());
    set_interval(move || now.set(now_ms()), std::time::Duration::from_millis(TICK_MS));

    spawn_local(async move {
        let found = connection::discover().await;
        // The first sample voice is chosen already, so that Generate works on the first press.
        if let Some(voice) = found.voices().first() {
            draft.update(|draft| {
                if draft.reference_audio_url.trim().is_empty() {
                    draft.reference_audio_url = voice.url.clone();
                }
            });
        }
        if let Connection::Direct(defaults) = &found {
            if let Some(url) = &defaults.gateway_url {
                settings.suggest_gateway(url);
            }
        }
        connection.set(Some(found));
        // What the first Generate needs is fetched once the page is idle: it is here when needed, even if the
        // network has gone by then.
        request_idle_callback(|| {
            spawn_local(async {
                // A part that can't be fetched now is fetched again when it is needed, and says so if it still can't.
                let _ = jobs::preload_job_list().await;
                let _ = jobs::preload_driver().await;
            })
        });
        // Jobs still running when the page was last closed are followed again: they were paid for.
        match gateway_for(connection, settings) {
            Ok(gateway) => {
                for job in jobs.following() {
                    spawn_local(jobs::drive(job, gateway.clone(), settings.poll_seconds(), Drive::Resume));
                }
            }
            // Nothing can follow them yet: "Check again" does, once there is a key.
            Err(problem) => {
                for job in jobs.following() {
                    job.update(|job| {
                        job.phase = jobs::Phase::GaveUp;
                        job.problem = Some(problem.clone());
                    });
                }
            }
        }
    });

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
        let limit = script::split::chars_per_part(request.max_tokens);
        if request.text_or_default().chars().count() <= limit {
            return send(jobs.start(request, now_ms()));
        }
        // A long script: its parts, a few at a time.
        let parts = script::split::split(request.text_or_default(), limit)
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
    let actions = jobs::JobActions {
        send_again: Callback::new(send),
        check_again: Callback::new(move |job| {
            if let Ok(gateway) = gateway() {
                spawn_local(jobs::drive(job, gateway, settings.poll_seconds(), Drive::CheckAgain));
            }
        }),
        cache_audio: Signal::derive(move || matches!(connection.get(), Some(Connection::Proxy(_)))),
    };
    let media_url = Callback::new(move |url: String| gateway().map(|gateway| gateway.media_url(&url)).unwrap_or(url));
    let voices = Signal::derive(move || {
        connection.with(|found| found.as_ref().map(|found| found.voices().to_vec())).unwrap_or_default()
    });
    let direct = Signal::derive(move || matches!(connection.get(), Some(Connection::Direct(_))));
    let uploads = Signal::derive(move || matches!(connection.get(), Some(Connection::Proxy(offer)) if offer.uploads));
    let sandbox = Signal::derive(move || matches!(connection.get(), Some(Connection::Proxy(offer)) if offer.sandbox));
    crate::shortcuts::install();
    let request = Signal::derive(move || {
        draft.with(Draft::to_request).map_err(|problems| {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!("The form is not valid yet: {}.", problems.join("; "))
        })
    });
    // The call as the gateway receives it: from this page in direct mode; from the server, to the sandbox it
    // mounts or to the documented gateway, otherwise.
    let call_target = Signal::derive(move || match connection.get() {
        Some(Connection::Direct(_)) => settings.gateway_url.get(),
        Some(Connection::Proxy(offer)) if offer.sandbox => {
            format!("{}/sandbox", window().location().origin().unwrap_or_default())
        }
        _ => zonos_api::DEFAULT_GATEWAY_URL.to_owned(),
    });
    let masked_key = Signal::derive(move || {
        if direct.get() {
            crate::api_call::masked(&settings.key.get())
        } else {
            crate::api_call::masked("")
        }
    });

    view! {
        <header class="masthead">
            <h1>"Zonos Studio"</h1>
            <p class="tagline">"Voice cloning with Zyphra's Zonos 2"</p>
        </header>
        <main class="workspace">
            <div class="controls">
                <ParameterForm draft on_generate busy=jobs.sending()>
                    <VoicePicker voices draft />
                    <ReferenceUpload offered=uploads draft />
                    <ReferenceRecorder offered=uploads draft />
                    <ReferencePreview draft />
                </ParameterForm>
                <ShareLink draft />
                <ConnectionPanel settings direct sandbox />
                <ApiCallPanel request gateway_url=call_target masked_key />
            </div>
            <div class="results">
                {move || page_problem.get().map(|problem| view! { <p class="problem" role="alert">{problem}</p> })}
                // Takes kept from a past visit wait for the connection: their audio's address depends on it.
                <Show
                    when=move || connection.with(Option::is_some) && jobs.list().with(|list| !list.is_empty())
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
                            jobs::job_list(jobs, now.into(), actions, media_url)
                                .await
                                .unwrap_or_else(|_| view! { <Unavailable attempt=takes_attempt /> }.into_any())
                        })
                    }}
                </Show>
            </div>
        </main>
    }
}
