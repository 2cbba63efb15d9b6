//! Presets the person saves: the sampling and delivery settings of the form under a name, kept on this device.
//! A preset never holds the voice or the text: loading one keeps both. Reading and writing them is the studio
//! part's work (it needs a JSON library, which the first screen does without): they show once the page is idle.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use zonos_api::{Field, RawRequest, RawValue};

use super::Draft;
use crate::platform::storage::{self, Keep};

const STORAGE_ITEM: &str = "zonos-studio.presets";

type Presets = Vec<(String, RawRequest)>;

crate::parts::later! { part studio:
    /// The presets kept on this device.
    fn kept() -> Presets {
        let kept: Vec<(String, Value)> =
            storage::get(Keep::Device, STORAGE_ITEM).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
        kept.into_iter().map(|(name, settings)| (name, RawRequest::from_json(&settings))).collect()
    }
}

crate::parts::later! { part studio:
    fn keep(presets: Presets) -> () {
        let presets: Vec<(&String, Value)> = presets.iter().map(|(name, settings)| (name, settings.to_json())).collect();
        storage::set(Keep::Device, STORAGE_ITEM, &serde_json::to_string(&presets).expect("presets serialize"));
    }
}

/// The form's settings, without the voice and the text.
fn settings_of(draft: &Draft) -> RawRequest {
    let mut settings = draft.to_raw();
    settings.set(Field::ReferenceAudioUrl, RawValue::Missing);
    settings.set(Field::Text, RawValue::Missing);
    settings
}

/// `draft` with a preset's settings, keeping its voice and text.
fn with_settings(draft: &Draft, settings: &RawRequest) -> Draft {
    let mut loaded = Draft::from_raw(settings);
    loaded.reference_audio_url = draft.reference_audio_url.clone();
    loaded.text = draft.text.clone();
    loaded
}

/// `ready`: the page knows its gateway. The kept presets come with a part that is fetched when the page is idle
/// after that, never before: the first load is what the page needs until it is ready.
#[component]
pub fn SavedPresets(draft: RwSignal<Draft>, ready: Signal<bool>) -> impl IntoView {
    let presets = RwSignal::new(Presets::new());
    let loaded = RwSignal::new(false);
    // The kept presets go first; one saved meanwhile under the same name is the newer.
    let load = move || async move {
        if loaded.get_untracked() {
            return;
        }
        if let Ok(kept) = kept().await {
            loaded.set(true);
            presets.update(|presets| {
                let saved_meanwhile = std::mem::replace(presets, kept);
                presets.retain(|(name, _)| saved_meanwhile.iter().all(|(newer, _)| newer != name));
                presets.extend(saved_meanwhile);
            });
        }
    };
    Effect::watch(
        move || ready.get(),
        move |ready, _, _| {
            if *ready {
                request_idle_callback(move || spawn_local(load()));
            }
        },
        true,
    );
    let save = move |_| {
        let Ok(Some(name)) = window().prompt_with_message("Name this preset") else { return };
        let name = name.trim().to_owned();
        if name.is_empty() {
            return;
        }
        let settings = draft.with_untracked(settings_of);
        presets.update(|presets| {
            presets.retain(|(kept, _)| *kept != name);
            presets.push((name, settings));
        });
        // Kept on this device with the others once its part is here; until then (or if it can't come), for this
        // visit.
        spawn_local(async move {
            load().await;
            if loaded.get_untracked() {
                let _ = keep(presets.get_untracked()).await;
            }
        });
    };
    let apply = move |event: leptos::ev::Event| {
        let name = event_target_value(&event);
        if let Some(settings) = presets.with_untracked(|presets| {
            presets.iter().find(|(kept, _)| *kept == name).map(|(_, settings)| settings.clone())
        }) {
            draft.update(|draft| *draft = with_settings(draft, &settings));
        }
    };
    view! {
        <button type="button" on:click=save>"Save as preset"</button>
        <Show when=move || presets.with(|presets| !presets.is_empty())>
            <div class="field inline">
                <label for="saved-preset">"Saved presets"</label>
                <select id="saved-preset" on:change=apply>
                    <option value="" selected>"Choose…"</option>
                    {move || presets.get().into_iter().map(|(name, _)| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                </select>
            </div>
        </Show>
    }
}
