//! Presets the person saves: the sampling and delivery settings of the form under a name, kept on this device.
//! A preset never holds the voice or the text: loading one keeps both.

use leptos::prelude::*;
use serde_json::{Map, Value};
use zonos_api::Field;

use super::Draft;
use crate::platform::storage::{self, Keep};

const STORAGE_ITEM: &str = "zonos-studio.presets";

fn load() -> Vec<(String, Value)> {
    storage::get(Keep::Device, STORAGE_ITEM).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

fn keep(presets: &[(String, Value)]) {
    storage::set(Keep::Device, STORAGE_ITEM, &serde_json::to_string(presets).expect("presets serialize"));
}

/// The form's settings, without the voice and the text.
fn settings_of(draft: &Draft) -> Value {
    let mut body = match draft.to_json() {
        Value::Object(body) => body,
        _ => Map::new(),
    };
    body.remove(Field::ReferenceAudioUrl.key());
    body.remove(Field::Text.key());
    Value::Object(body)
}

/// `draft` with a preset's settings, keeping its voice and text.
fn with_settings(draft: &Draft, settings: &Value) -> Draft {
    let mut loaded = Draft::from_json(settings);
    loaded.reference_audio_url = draft.reference_audio_url.clone();
    loaded.text = draft.text.clone();
    loaded
}

#[component]
pub fn SavedPresets(draft: RwSignal<Draft>) -> impl IntoView {
    let presets = RwSignal::new(load());
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
            keep(presets);
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
