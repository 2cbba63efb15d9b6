//! Sending: a Generate becomes one take, or a long script's parts sent a few at a time (as a set of variations
//! is); a take is sent again, or checked again, when the person asks. Each is driven by `jobs`, through the gateway
//! the page reaches now.

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::consent::{self, Consent, Missing};
use studio_core::script::split::{chars_per_part, split};
use studio_core::variations::Variation;
use zonos_api::GenerateRequest;

use super::{Take, Takes};
use crate::gateway::connection::Connection;
use crate::gateway::Gateway;
use crate::jobs::{self, Drive};
use crate::platform::time::now_ms;
use crate::settings::Settings;
use crate::voices::Consents;

/// What sending needs to know, and where it says why it can't.
#[derive(Debug, Clone, Copy)]
pub struct Dispatch {
    pub takes: Takes,
    pub connection: RwSignal<Option<Connection>>,
    pub settings: Settings,
    /// Why nothing could be sent, in plain words, for the page to show.
    pub problem: RwSignal<Option<String>>,
    /// The speakers' consents, by voice: a voice that is not a sample is sent only with one.
    pub consents: Consents,
}

impl Dispatch {
    /// The gateway to send through now, or why there is none (then said, and, in direct mode, the key asked for).
    fn gateway(&self) -> Option<Gateway> {
        let found = self.connection.with_untracked(|connection| self.settings.gateway(connection.as_ref()));
        match found {
            Ok(gateway) => {
                self.problem.set(None);
                Some(gateway)
            }
            Err(problem) => {
                if matches!(self.connection.get_untracked(), Some(Connection::Direct(_))) {
                    crate::form::focus_by_id("api-key");
                }
                self.problem.set(Some(problem));
                None
            }
        }
    }

    /// The consent a take in `voice` carries (none for a sample voice); `Err` when it lacks one: then nothing is
    /// sent, the page says why, and the box that gives it has the focus.
    fn consent(&self, voice: &str) -> Result<Option<Consent>, Missing> {
        let found = self.connection.with_untracked(|connection| {
            let samples = connection.as_ref().map(Connection::voices).unwrap_or_default();
            let samples = samples.iter().map(|sample| sample.url.as_str());
            self.consents.with_untracked(|kept| consent::for_voice(voice, samples, kept))
        });
        found.inspect_err(|&missing| {
            crate::form::focus_by_id(match missing {
                Missing::Permission => crate::voices::PERMISSION_ID,
                Missing::Speaker => crate::voices::SPEAKER_ID,
            });
            self.problem.set(Some(missing.message()));
        })
    }

    /// Sends `request` as a new take, or, if it is longer than one request can carry, as a script's parts, a few
    /// at a time.
    pub fn generate(&self, request: GenerateRequest) {
        let Some(gateway) = self.gateway() else { return };
        let Ok(consent) = self.consent(&request.reference_audio_url) else { return };
        if request.text_or_default().chars().count() <= chars_per_part(request.max_tokens) {
            return self.drive(self.takes.start(request, consent, now_ms()), gateway, Drive::Send);
        }
        let dispatch = *self;
        spawn_local(async move {
            if let Err(unloaded) = send_script(dispatch, request, consent, gateway).await {
                dispatch.problem.set(Some(unloaded.message().to_owned()));
            }
        });
    }

    /// Sends a set of variations (of one request: one voice), one take each, as a script's parts are sent; false
    /// if there is no gateway to send them through, or no consent for their voice (the page then says why).
    pub fn vary(&self, variations: Vec<Variation>) -> bool {
        let Some(gateway) = self.gateway() else { return false };
        let voice = variations.first().map(|first| first.request.reference_audio_url.clone()).unwrap_or_default();
        let Ok(consent) = self.consent(&voice) else { return false };
        self.send_together(self.takes.start_variations(variations, consent, now_ms()), gateway);
        true
    }

    /// Sends `takes` a few at a time (the settings say how many), each waiting its turn: a paid gateway is not
    /// flooded, and its "too many requests" is met by waiting.
    fn send_together(&self, takes: Vec<RwSignal<Take>>, gateway: Gateway) {
        let (poll_seconds, at_once) = (self.settings.poll_seconds(), self.settings.parts_at_once());
        spawn_local(async move {
            futures::stream::iter(takes)
                .for_each_concurrent(at_once, |take| jobs::drive(take, gateway.clone(), poll_seconds, Drive::Send))
                .await;
        });
    }

    /// Sends `take` again, as the person asked: with its consent (a take kept from before consents were asked for
    /// has none, and is checked as a new one is).
    pub fn send_again(&self, take: RwSignal<Take>) {
        let Some(gateway) = self.gateway() else { return };
        let unconsented =
            take.with_untracked(|take| take.consent.is_none().then(|| take.request.reference_audio_url.clone()));
        if let Some(voice) = unconsented {
            let Ok(consent) = self.consent(&voice) else { return };
            take.update(|take| take.consent = consent);
        }
        self.drive(take, gateway, Drive::Send);
    }

    /// Follows `take` again, as the person asked.
    pub fn check_again(&self, take: RwSignal<Take>) {
        if let Some(gateway) = self.gateway() {
            self.drive(take, gateway, Drive::CheckAgain);
        }
    }

    fn drive(&self, take: RwSignal<Take>, gateway: Gateway, drive: Drive) {
        self.takes.drive_here(take);
        spawn_local(jobs::drive(take, gateway, self.settings.poll_seconds(), drive));
    }

    /// Where the page fetches a take's audio (see [`Gateway::media_url`]).
    pub fn media_url(&self, url: String) -> String {
        self.connection
            .with_untracked(|connection| self.settings.gateway(connection.as_ref()))
            .map(|gateway| gateway.media_url(&url))
            .unwrap_or(url)
    }
}

crate::parts::later! { part studio:
    /// Sends `request`, too long for one request, as a script's parts, a few at a time: in the studio part, which
    /// the first screen does without.
    fn send_script(dispatch: Dispatch, request: GenerateRequest, consent: Option<Consent>, gateway: Gateway) -> () {
        let parts = split(request.text_or_default(), chars_per_part(request.max_tokens))
            .into_iter()
            .map(|text| GenerateRequest { text: Some(text), ..request.clone() })
            .collect();
        dispatch.send_together(dispatch.takes.start_script(parts, consent, now_ms()), gateway);
    }
}
