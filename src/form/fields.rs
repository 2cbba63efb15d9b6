//! The form's controls. Each has a visible label (the parameter's name as the docs write it), a hint with the
//! documented meaning and range, and its problem in a `role="alert"` message tied to it by `aria-describedby`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use zonos_api::{Field, Language, NumberKind};

fn hint_id(field: Field) -> String {
    format!("{}-hint", field.key())
}

fn error_id(field: Field) -> String {
    format!("{}-error", field.key())
}

fn described_by(field: Field) -> String {
    format!("{} {}", hint_id(field), error_id(field))
}

fn invalid(error: Signal<Option<String>>) -> impl Fn() -> &'static str {
    move || if error.with(Option::is_some) { "true" } else { "false" }
}

/// Moves focus to a field's control, e.g. the first one with a problem.
pub fn focus(field: Field) {
    focus_by_id(field.key());
}

/// Moves focus to the control with this id.
pub fn focus_by_id(id: &str) {
    let control = document().get_element_by_id(id);
    if let Some(control) = control.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = control.focus();
    }
}

/// The hint under a label: the documented meaning (which states the range), and the default where there is one.
fn hint(field: Field) -> String {
    match field.numeric_spec() {
        Some(spec) => match spec.default {
            Some(value) => format!("{} Default {value}.", field.description()),
            None => format!("{} Optional.", field.description()),
        },
        None => field.description().to_owned(),
    }
}

/// Label, hint, the control (children) and the field's problem.
#[component]
pub fn FieldFrame(field: Field, error: Signal<Option<String>>, children: Children) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=field.key()>{field.label()}</label>
            <p class="hint" id=hint_id(field)>{hint(field)}</p>
            {children()}
            <p class="field-error" id=error_id(field)>
                {move || error.get().map(|message| view! { <span role="alert">{message}</span> })}
            </p>
        </div>
    }
}

/// A URL box, or a text area when `multiline`.
#[component]
pub fn TextInput(
    field: Field,
    value: Signal<String>,
    error: Signal<Option<String>>,
    on_input: Callback<String>,
    placeholder: &'static str,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let input = move |event| on_input.run(event_target_value(&event));
    if multiline {
        view! {
            <textarea
                id=field.key()
                rows="4"
                placeholder=placeholder
                aria-describedby=described_by(field)
                aria-invalid=invalid(error)
                prop:value=value
                on:input=input
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                type="url"
                id=field.key()
                placeholder=placeholder
                spellcheck="false"
                aria-describedby=described_by(field)
                aria-invalid=invalid(error)
                prop:value=value
                on:input=input
            />
        }
        .into_any()
    }
}

#[component]
pub fn LanguageSelect(selected: Signal<Language>, on_change: Callback<Language>) -> impl IntoView {
    let change = move |event| {
        if let Some(language) = Language::from_code(&event_target_value(&event)) {
            on_change.run(language);
        }
    };
    view! {
        <select id=Field::Language.key() aria-describedby=hint_id(Field::Language) on:change=change>
            {Language::ALL
                .into_iter()
                .map(|language| {
                    view! {
                        <option value=language.code() prop:selected=move || selected.get() == language>
                            {format!("{} ({})", language.name(), language.code())}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// A checkbox, labelled after the box as people expect.
#[component]
pub fn ToggleField(field: Field, checked: Signal<bool>, on_change: Callback<bool>) -> impl IntoView {
    view! {
        <div class="field toggle">
            <input
                type="checkbox"
                id=field.key()
                aria-describedby=hint_id(field)
                prop:checked=checked
                on:change=move |event| on_change.run(event_target_checked(&event))
            />
            <label for=field.key()>{field.label()}</label>
            <p class="hint" id=hint_id(field)>{field.description()}</p>
        </div>
    }
}

/// A number typed as text (so a mistyped value is shown and explained, not dropped), with a slider beside it for
/// fields that have a default. The slider is a pointer convenience: the text box is the accessible control.
#[component]
pub fn NumberInput(
    field: Field,
    text: Signal<String>,
    error: Signal<Option<String>>,
    on_input: Callback<String>,
) -> impl IntoView {
    let spec = field.numeric_spec().expect("a numeric field");
    let inputmode = match spec.kind {
        NumberKind::Float => "decimal",
        NumberKind::Integer => "numeric",
    };
    let placeholder = if spec.default.is_some() { "" } else { "not set" };
    let slider = spec.default.map(|_| {
        view! {
            <input
                type="range"
                class="slider"
                tabindex="-1"
                aria-hidden="true"
                min=spec.min.to_string()
                max=spec.max.to_string()
                step=spec.step.to_string()
                prop:value=move || text.get()
                on:input=move |event| on_input.run(event_target_value(&event))
            />
        }
    });
    view! {
        <div class="number-input">
            <input
                type="text"
                id=field.key()
                inputmode=inputmode
                autocomplete="off"
                placeholder=placeholder
                aria-describedby=described_by(field)
                aria-invalid=invalid(error)
                prop:value=text
                on:input=move |event| on_input.run(event_target_value(&event))
            />
            {slider}
        </div>
    }
}
