//! What the page does as it starts, in order: it finds how it reaches the gateway (and with it the sample voices),
//! marks itself ready, carries out a Generate pressed before then, fetches what the first Generate needs, and
//! brings back the takes kept from a past visit.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::form::Draft;
use crate::gateway::connection::{self, Connection};
use crate::jobs::{self, Drive};
use crate::settings::Settings;
use crate::takes::{self, Takes};

/// The page's state that starting up fills in.
#[derive(Clone, Copy)]
pub struct Starting {
    pub draft: RwSignal<Draft>,
    pub connection: RwSignal<Option<Connection>>,
    pub settings: Settings,
    pub takes: Takes,
    /// Generate was pressed before the gateway was found: it is carried out once it is, once.
    pub generate_pending: RwSignal<bool>,
    pub takes_restore: RwSignal<Restore>,
}

/// Where bringing back the kept takes stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restore {
    NotYet,
    Running,
    Done,
    /// Their part could not be fetched: "Try again" begins it again.
    Unloaded,
}

/// Starts the page: finds the gateway, carries out a Generate pressed meanwhile, then fetches what the first
/// Generate needs and brings back the takes kept from a past visit.
pub fn start(starting: Starting) {
    spawn_local(async move {
        find_the_gateway(starting).await;
        crate::form::carry_out_held(starting.generate_pending);
        // What the first Generate needs is fetched once the page is idle: it is here when needed, even if the
        // network has gone by then. A part that can't be fetched now is fetched again when it is needed, and says
        // so if it still can't.
        request_idle_callback(|| {
            spawn_local(async {
                let _ = jobs::preload_driver().await;
            })
        });
        // A first visit has none to bring back: the takes' part (their list, and keeping it) comes once the person
        // begins, so that the first second brings only what the first screen and the first Generate need.
        if takes::any_kept() {
            restore_takes(starting);
        } else {
            restore_once_begun(starting);
        }
    });
}

/// Brings the takes back (and so fetches their part) once the person begins to use the page, before the first
/// take, which must show even if the network has gone by then; or once there is a take to keep: this page's
/// first, or one another page of the origin kept.
fn restore_once_begun(starting: Starting) {
    let takes = starting.takes;
    Effect::new(move |_| {
        if takes.list().with(|list| !list.is_empty()) {
            restore_takes(starting);
        }
    });
    let kept_elsewhere = takes::when_another_page_keeps(move |_| restore_takes(starting));
    // A press on Generate makes a take (above); focusing a field, typing is to come.
    let focused = window_event_listener(leptos::ev::focusin, move |_| restore_takes(starting));
    on_cleanup(move || [kept_elsewhere, focused].into_iter().for_each(WindowListenerHandle::remove));
}

/// Finds the gateway, and chooses the first sample voice, so that Generate works on the first press.
async fn find_the_gateway(Starting { draft, connection, settings, .. }: Starting) {
    let found = connection::discover().await;
    if let Connection::Proxy(offer) = &found {
        crate::access::signed_out().set(offer.sign_in);
    }
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
    // The app is ready: the bench counts what was fetched until now as the first load. Marked before the page
    // learns its gateway, which sets off the parts below the form: those come after the first load, however soon.
    if let Some(performance) = window().performance() {
        let _ = performance.mark("zonos-ready");
    }
    connection.set(Some(found));
}

/// Brings back the takes kept from a past visit, once the connection is known (their audio's address depends on
/// it), unless that is under way or done; from then on every take is kept. Those still running when the page was
/// last closed are followed again: they were paid for. On a first visit this fetches the takes' part all the same,
/// ahead of the first take, which needs it.
pub fn restore_takes(Starting { connection, settings, takes, takes_restore, .. }: Starting) {
    if matches!(takes_restore.get_untracked(), Restore::Running | Restore::Done) {
        return;
    }
    takes_restore.set(Restore::Running);
    spawn_local(async move {
        let Ok(following) = takes::restore(takes).await else {
            return takes_restore.set(Restore::Unloaded);
        };
        takes_restore.set(Restore::Done);
        match connection.with_untracked(|connection| settings.gateway(connection.as_ref())) {
            Ok(gateway) => {
                for take in following {
                    spawn_local(jobs::drive(take, gateway.clone(), settings.poll_seconds(), Drive::Resume));
                }
            }
            // Nothing can follow them yet: "Check again" does, once there is a key.
            Err(problem) => {
                for take in following {
                    take.update(|take| {
                        take.phase = takes::Phase::GaveUp;
                        take.problem = Some(problem.clone());
                    });
                }
            }
        }
    })
}
