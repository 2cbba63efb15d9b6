//! What the page does as it starts, in order: it opens a shared link's form, finds how it reaches the gateway (and
//! with it the sample voices), marks itself ready, carries out a Generate pressed on the prerendered page, fetches
//! what the first Generate needs, and brings back the takes kept from a past visit.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::form::{Draft, PARAMETER_FORM_ID};
use crate::gateway::connection::{self, Connection};
use crate::gateway::gateway_for;
use crate::jobs::{self, Drive, Jobs};
use crate::settings::Settings;

/// The page's state that starting up fills in.
#[derive(Clone, Copy)]
pub struct Starting {
    pub draft: RwSignal<Draft>,
    pub connection: RwSignal<Option<Connection>>,
    pub settings: Settings,
    pub jobs: Jobs,
    pub page_problem: RwSignal<Option<String>>,
    /// The takes kept from a past visit could not be brought back: their part could not be fetched.
    pub takes_unloaded: RwSignal<bool>,
}

/// Starts the page. `generate`: Generate was pressed on the prerendered page.
pub fn start(starting: Starting, generate: bool) {
    open_shared_form(starting);
    spawn_local(async move {
        find_the_gateway(starting).await;
        // The app is ready: the bench counts what was fetched until now as the first load.
        if let Some(performance) = window().performance() {
            let _ = performance.mark("zonos-ready");
        }
        // A Generate pressed before the app started is carried out now, as if pressed now.
        if generate {
            if let Some(form) = document().get_element_by_id(PARAMETER_FORM_ID) {
                let _ = form.unchecked_into::<web_sys::HtmlFormElement>().request_submit();
            }
        }
        // What the first Generate needs is fetched once the page is idle: it is here when needed, even if the
        // network has gone by then. A part that can't be fetched now is fetched again when it is needed, and says
        // so if it still can't.
        request_idle_callback(|| {
            spawn_local(async {
                let _ = jobs::preload_driver().await;
            })
        });
        restore_takes(starting);
    });
}

/// A shared link's form replaces the defaults; the voice chosen meanwhile stays if the link names none.
fn open_shared_form(Starting { draft, page_problem, .. }: Starting) {
    spawn_local(async move {
        match crate::share::shared_draft().await {
            Ok(Some(shared)) => draft.update(|draft| {
                let voice = std::mem::take(&mut draft.reference_audio_url);
                *draft = shared;
                if draft.reference_audio_url.trim().is_empty() {
                    draft.reference_audio_url = voice;
                }
            }),
            Ok(None) => {}
            Err(unloaded) => {
                page_problem.set(Some(format!("The shared form could not be opened. {}", unloaded.message())))
            }
        }
    });
}

/// Finds the gateway, and chooses the first sample voice, so that Generate works on the first press.
async fn find_the_gateway(Starting { draft, connection, settings, .. }: Starting) {
    let found = connection::discover().await;
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
}

/// Brings back the takes kept from a past visit, once the connection is known (their audio's address depends on
/// it). Those still running when the page was last closed are followed again: they were paid for.
pub fn restore_takes(Starting { connection, settings, jobs, takes_unloaded, .. }: Starting) {
    spawn_local(async move {
        let Ok(following) = jobs::restore(jobs).await else {
            return takes_unloaded.set(true);
        };
        takes_unloaded.set(false);
        match gateway_for(connection, settings) {
            Ok(gateway) => {
                for job in following {
                    spawn_local(jobs::drive(job, gateway.clone(), settings.poll_seconds(), Drive::Resume));
                }
            }
            // Nothing can follow them yet: "Check again" does, once there is a key.
            Err(problem) => {
                for job in following {
                    job.update(|job| {
                        job.phase = jobs::Phase::GaveUp;
                        job.problem = Some(problem.clone());
                    });
                }
            }
        }
    })
}
