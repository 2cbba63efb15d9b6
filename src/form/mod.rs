//! The parameter form: every field of the contract, its documented default, and the contract's validation inline.

mod draft;
mod fields;
mod saved_presets;

use leptos::prelude::*;
use zonos_api::{Field, FieldError, GenerateRequest, Language, DEFAULT_TEXT};

pub use draft::{Draft, Preset, NUMBER_FIELDS};

/// The form's id: a Generate pressed before the app started is carried out by submitting it.
pub const PARAMETER_FORM_ID: &str = "parameters";

/// Submits the form as Generate does, with what it holds now; false if it is not on the page.
pub fn press_generate() -> bool {
    use wasm_bindgen::JsCast;
    let Some(form) = document().get_element_by_id(PARAMETER_FORM_ID) else { return false };
    let _ = form.unchecked_into::<web_sys::HtmlFormElement>().request_submit();
    true
}

/// Carries out a Generate pressed before the page could send it (held in `held`), as if pressed now; once (if the
/// page still can't send, the form holds it again).
pub fn carry_out_held(held: RwSignal<bool>) {
    if held.get_untracked() {
        held.set(false);
        press_generate();
    }
}
/// Where the voice's consent stands in the form, under the reference's URL.
pub const CONSENT_SLOT_ID: &str = "voice-consent";
pub use fields::focus_by_id;
use fields::{FieldFrame, LanguageSelect, NumberInput, TextInput, ToggleField};

/// Which fields' problems are on screen: those the person has edited, and all of them once Generate was pressed.
#[derive(Debug, Clone, Default, PartialEq)]
struct Shown {
    /// Indexed by the field's position in the contract's order.
    edited: [bool; Field::ALL.len()],
    all: bool,
}

/// The form's state, owned by `ParameterForm` and handed to its parts: the draft, its problems, and which show.
#[derive(Clone, Copy)]
struct FormState {
    draft: RwSignal<Draft>,
    shown: RwSignal<Shown>,
    problems: Memo<Vec<FieldError>>,
}

impl FormState {
    /// A field's problem, once it is on screen.
    fn error_of(self, field: Field) -> Signal<Option<String>> {
        let FormState { shown, problems, .. } = self;
        Signal::derive(move || {
            let visible = shown.with(|shown| shown.all || shown.edited[field as usize]);
            visible
                .then(|| {
                    problems.with(|problems| problems.iter().find(|error| error.field == field).map(|e| e.to_string()))
                })
                .flatten()
        })
    }

    /// Applies one edit and marks the field edited, so its problems show as the person types.
    fn edit(self, field: Field, change: impl FnOnce(&mut Draft)) {
        self.draft.update(change);
        self.shown.update(|shown| shown.edited[field as usize] = true);
    }
}

/// The form. `busy`: a submission is on its way, and Generate waits for it. `ready`: the page can send (it knows
/// its gateway, and is signed in where asked); until then Generate is held in `held` (unchecked: the sample voice
/// comes with the gateway), for the page to carry it out once ready; its notice says what it waits for (the
/// gateway, or a sign-in while `signed_out`).
/// `children` stand above the reference URL (the voice picker).
#[component]
pub fn ParameterForm(
    draft: RwSignal<Draft>,
    on_generate: Callback<GenerateRequest>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] ready: Signal<bool>,
    held: RwSignal<bool>,
    #[prop(into)] signed_out: Signal<bool>,
    children: Children,
) -> impl IntoView {
    let shown = RwSignal::new(Shown::default());
    let problems = Memo::new(move |_| draft.with(|draft| draft.to_request().err().unwrap_or_default()));
    let form = FormState { draft, shown, problems };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        // A form can be submitted with its button disabled (Enter, requestSubmit): one submission at a time.
        if busy.get_untracked() {
            return;
        }
        if !ready.get_untracked() {
            return held.set(true);
        }
        match draft.with_untracked(Draft::to_request) {
            Ok(request) => on_generate.run(request),
            Err(errors) => {
                shown.update(|shown| shown.all = true);
                if let Some(first) = errors.first() {
                    fields::focus(first.field);
                }
            }
        }
    };

    view! {
        <form id=PARAMETER_FORM_ID class="parameter-form" novalidate on:submit=submit aria-label="Generation parameters">
            <VoiceAndText form children />
            <fieldset class="sampling">
                <legend>"Sampling"</legend>
                {NUMBER_FIELDS.into_iter().map(|field| view! { <SamplingField form field /> }).collect_view()}
            </fieldset>
            <GenerateBar form busy held signed_out />
            <PresetButtons form ready />
        </form>
    }
}

/// The voice and the text: the voice picker (`children`), the reference's URL and its consent, the text, the
/// language and the two switches of how the voice is rendered.
#[component]
fn VoiceAndText(form: FormState, children: Children) -> impl IntoView {
    let draft = form.draft;
    view! {
        <fieldset>
            <legend>"Voice and text"</legend>
            {children()}
            <FieldFrame field=Field::ReferenceAudioUrl error=form.error_of(Field::ReferenceAudioUrl)>
                <TextInput
                    field=Field::ReferenceAudioUrl
                    placeholder="https://example.com/reference.wav"
                    value=Signal::derive(move || draft.with(|draft| draft.reference_audio_url.clone()))
                    error=form.error_of(Field::ReferenceAudioUrl)
                    on_input=Callback::new(move |text: String| {
                        form.edit(Field::ReferenceAudioUrl, |draft| draft.reference_audio_url = text)
                    })
                />
            </FieldFrame>
            // The voice's consent shows here, drawn by the studio part (see `voices::VoiceConsent`).
            <div id=CONSENT_SLOT_ID></div>
            <FieldFrame field=Field::Text error=form.error_of(Field::Text)>
                <TextInput
                    field=Field::Text
                    multiline=true
                    placeholder=DEFAULT_TEXT
                    value=Signal::derive(move || draft.with(|draft| draft.text.clone()))
                    error=form.error_of(Field::Text)
                    on_input=Callback::new(move |text: String| form.edit(Field::Text, |draft| draft.text = text))
                />
            </FieldFrame>
            <FieldFrame field=Field::Language error=form.error_of(Field::Language)>
                <LanguageSelect
                    selected=Signal::derive(move || draft.with(|draft| draft.language))
                    on_change=Callback::new(move |language: Language| {
                        form.edit(Field::Language, |draft| draft.language = language)
                    })
                />
            </FieldFrame>
            <ToggleField
                field=Field::AccurateMode
                checked=Signal::derive(move || draft.with(|draft| draft.accurate_mode))
                on_change=Callback::new(move |on: bool| form.edit(Field::AccurateMode, |draft| draft.accurate_mode = on))
            />
            <ToggleField
                field=Field::CleanSpeakerBackground
                checked=Signal::derive(move || draft.with(|draft| draft.clean_speaker_background))
                on_change=Callback::new(move |on: bool| {
                    form.edit(Field::CleanSpeakerBackground, |draft| draft.clean_speaker_background = on)
                })
            />
        </fieldset>
    }
}

/// One of the sampling numbers: its text box and, where it has a default, its slider.
#[component]
fn SamplingField(form: FormState, field: Field) -> impl IntoView {
    let draft = form.draft;
    view! {
        <FieldFrame field error=form.error_of(field)>
            <NumberInput
                field
                text=Signal::derive(move || draft.with(|draft| draft.number(field).to_owned()))
                error=form.error_of(field)
                on_input=Callback::new(move |text: String| form.edit(field, |draft| draft.set_number(field, text)))
            />
        </FieldFrame>
    }
}

/// Generate and "Reset to defaults", and while Generate is held, the notice that says what it waits for.
#[component]
fn GenerateBar(form: FormState, busy: Signal<bool>, held: RwSignal<bool>, signed_out: Signal<bool>) -> impl IntoView {
    let reset = move |_| {
        form.draft.update(Draft::reset);
        form.shown.set(Shown::default());
    };
    view! {
        // Kept in view while the form scrolls: Generate is always one press away.
        <div class="form-actions generate-bar">
            <button type="submit" class="primary" disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                "Generate"
            </button>
            <button type="button" on:click=reset>"Reset to defaults"</button>
            <Show when=move || held.get()>
                <p class="notice" role="status">{move || match signed_out.get() {
                    true => "Sign in above: your take is sent once you are signed in.",
                    false => "Finding the gateway: your take is sent as soon as it is found.",
                }}</p>
            </Show>
        </div>
    }
}

/// The presets: the two built in, a new seed, and the ones saved on this device.
#[component]
fn PresetButtons(form: FormState, ready: Signal<bool>) -> impl IntoView {
    let draft = form.draft;
    let preset = move |preset: Preset| move |_| draft.update(|draft| draft.apply(preset));
    // A seed the gateway accepts (0–2147483647), from the browser's generator.
    let new_seed = move |_| {
        let seed = (js_sys::Math::random() * 2_147_483_647.0).floor() as u32;
        form.edit(Field::Seed, |draft| draft.set_number(Field::Seed, seed.to_string()));
    };
    view! {
        <div class="form-actions presets" role="group" aria-label="Presets">
            <button type="button" on:click=preset(Preset::Accurate)>"Accurate"</button>
            <button type="button" on:click=preset(Preset::Expressive)>"Expressive"</button>
            <button type="button" on:click=new_seed>"New seed"</button>
            <saved_presets::SavedPresets draft ready />
        </div>
    }
}
