//! Reference voices: the sample voices the server or the host offers, one pick away; a file from this device; one
//! recorded on the spot; a preview of whichever is chosen; and the speaker's consent to its cloning.

mod consent;
mod record;
mod upload;

use leptos::prelude::*;

pub use consent::{ConsentRecord, Consents, VoiceConsent, PERMISSION_ID, SPEAKER_ID};
pub use record::ReferenceRecorder;
pub use upload::ReferenceUpload;

use crate::form::Draft;
use crate::gateway::connection::Voice;
use crate::player::Audible;

/// A choice of sample voice; picking one sets the reference audio URL. "Your own" leaves the URL to the person.
/// `voices` is `None` until the page knows them: the choice then stands there, not yet open.
#[component]
pub fn VoicePicker(voices: Signal<Option<Vec<Voice>>>, draft: RwSignal<Draft>) -> impl IntoView {
    let selected = move || draft.with(|draft| draft.reference_audio_url.clone());
    let pick = move |event: leptos::ev::Event| {
        let url = event_target_value(&event);
        if !url.is_empty() {
            draft.update(|draft| draft.reference_audio_url = url);
        }
    };
    let known = move || voices.with(Option::is_some);
    let listed = move || voices.get().unwrap_or_default();
    view! {
        <Show when=move || voices.with(|voices| voices.as_ref().is_none_or(|voices| !voices.is_empty()))>
            <div class="field">
                <label for="sample-voice">"Sample voice"</label>
                <select id="sample-voice" on:change=pick disabled=move || !known()>
                    <Show when=known fallback=|| view! { <option value="">"Finding sample voices…"</option> }>
                        <option value="" prop:selected=move || !listed().iter().any(|voice| voice.url == selected())>
                            "Your own (enter its URL below)"
                        </option>
                        {move || {
                            listed()
                                .into_iter()
                                .map(|voice| {
                                    let url = voice.url.clone();
                                    view! { <option value=voice.url prop:selected=move || selected() == url>{voice.name}</option> }
                                })
                                .collect_view()
                        }}
                    </Show>
                </select>
            </div>
        </Show>
    }
}

/// The chosen reference, playable before it is used; the player B and "Reference, then this take" play.
#[component]
pub fn ReferencePreview(draft: RwSignal<Draft>, audible: Audible) -> impl IntoView {
    let url = move || draft.with(|draft| draft.reference_audio_url.trim().to_owned());
    // One player for as long as the page shows the form, hidden while there is nothing to play.
    let player = audible.reference_player();
    let playable = move || zonos_api::is_http_url(&url()) || url().starts_with('/');
    view! {
        <div class="reference-preview" hidden=move || !playable()>
            // preload="none": the reference is fetched only when asked for, not on every page load.
            <audio node_ref=player class="reference" controls preload="none" src=url aria-label="Reference voice"></audio>
        </div>
    }
}
