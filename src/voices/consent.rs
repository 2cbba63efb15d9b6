//! The speaker's consent, kept with the voice it is for: recorded here (see `record`), or attested, with the
//! speaker named, for a file or a URL. The box stands under the reference's URL whenever that is not a sample
//! voice.

use leptos::portal::Portal;
use leptos::prelude::*;
use studio_core::consent::{self, Consent, How, ATTESTATION};

use crate::form::{Draft, CONSENT_SLOT_ID};
use crate::gateway::connection::Voice;
use crate::platform::time::local_date;

/// The permission box's id, and the speaker field's: Generate's refusal puts the focus there.
pub const PERMISSION_ID: &str = "speaker-permission";
pub const SPEAKER_ID: &str = "speaker-name";

/// The consents given this session, one per voice. Owned by the page; the recorder, the permission box, sending
/// and the share link read and write it.
#[derive(Debug, Clone, Copy)]
pub struct Consents(RwSignal<Vec<Consent>>);

impl Default for Consents {
    fn default() -> Self {
        Consents(RwSignal::new(Vec::new()))
    }
}

impl Consents {
    /// The consent kept for `voice`.
    pub fn of(&self, voice: &str) -> Option<Consent> {
        self.0.with(|kept| consent::kept_for(kept, voice).cloned())
    }

    pub fn with_untracked<T>(&self, read: impl FnOnce(&[Consent]) -> T) -> T {
        self.0.with_untracked(|kept| read(kept))
    }

    /// Keeps `consent`, in place of any other for its voice.
    pub fn keep(&self, consent: Consent) {
        self.0.update(|kept| {
            kept.retain(|other| other.voice != consent.voice);
            kept.push(consent);
        });
    }

    pub fn forget(&self, voice: &str) {
        self.0.update(|kept| kept.retain(|consent| consent.voice != voice.trim()));
    }
}

/// Under the reference's URL (in the form's slot for it): the voice's consent, or the box that gives it, when the
/// voice is not a sample. Drawn by the studio part, so the first load carries none of it.
#[component]
pub fn VoiceConsent(draft: RwSignal<Draft>, consents: Consents, voices: Signal<Option<Vec<Voice>>>) -> impl IntoView {
    let needed = move || {
        let voice = draft.with(|draft| draft.reference_audio_url.clone());
        voices.with(|samples| {
            samples
                .as_ref()
                .is_some_and(|samples| consent::needed(&voice, samples.iter().map(|sample| sample.url.as_str())))
        })
    };
    document().get_element_by_id(CONSENT_SLOT_ID).map(|slot| {
        view! {
            <Portal mount=slot>
                <Show when=needed>
                    <Permission draft consents />
                </Show>
            </Portal>
        }
    })
}

#[component]
fn Permission(draft: RwSignal<Draft>, consents: Consents) -> impl IntoView {
    let voice = Memo::new(move |_| draft.with(|draft| draft.reference_audio_url.trim().to_owned()));
    let kept = Memo::new(move |_| consents.of(&voice.get()));
    let speaker = RwSignal::new(String::new());
    // Another voice with a consent of its own shows its speaker; one without keeps what was typed (and typing is
    // never rewritten: only a change of voice sets the field).
    Effect::watch(
        move || voice.get(),
        move |voice, _, _| {
            if let Some(kept) = untrack(|| consents.of(voice)) {
                speaker.set(kept.speaker);
            }
        },
        true,
    );
    let tick = move |event: leptos::ev::Event| {
        if event_target_checked(&event) {
            consents.keep(Consent::attested(&voice.get_untracked(), &speaker.get_untracked(), &local_date()));
        } else {
            consents.forget(&voice.get_untracked());
        }
    };
    let name = move |event: leptos::ev::Event| {
        let typed = event_target_value(&event);
        speaker.set(typed.clone());
        if let Some(attested) = kept.get_untracked().filter(|kept| kept.how == How::Attested) {
            consents.keep(Consent::attested(&attested.voice, &typed, &attested.date));
        }
    };
    let recorded = move || kept.with(|kept| kept.as_ref().is_some_and(|kept| kept.how == How::Recorded));
    view! {
        <div class="consent" role="group" aria-label="The speaker's consent">
            <Show
                when=recorded
                fallback=move || view! {
                    <div class="field toggle">
                        <input id=PERMISSION_ID type="checkbox" prop:checked=move || kept.with(Option::is_some) on:change=tick />
                        <label for=PERMISSION_ID>{ATTESTATION}</label>
                    </div>
                    <div class="field">
                        <label for=SPEAKER_ID>"Whose voice is it?"</label>
                        <input id=SPEAKER_ID type="text" autocomplete="off" prop:value=move || speaker.get() on:input=name />
                    </div>
                    {move || kept.get().filter(|kept| kept.shared).map(|consent| view! { <ConsentRecord consent /> })}
                }
            >
                {move || kept.get().map(|kept| view! { <ConsentRecord consent=kept /> })}
            </Show>
        </div>
    }
}

/// A consent as the voice and its takes show it: who, when, how, and the words.
#[component]
pub fn ConsentRecord(consent: Consent) -> impl IntoView {
    let words = (consent.how == How::Recorded).then(|| view! { ": "<q>{consent.statement.clone()}</q> });
    view! { <p class="consent-record">{consent.summary()}{words}</p> }
}
