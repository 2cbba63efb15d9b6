//! A link that opens the same setup: the form's request body in the URL's fragment (never sent to a server, and
//! never holding the key, which is not part of the form), with the voice's consent when it has one. The link is written in the studio part (the button stands
//! below the form, see `panels`); it is read as the app starts, with the browser's JSON parser.

use leptos::prelude::*;

use studio_core::consent::Consent;

use crate::form::Draft;
use crate::voices::Consents;

const PREFIX: &str = "#form=";

/// Where a shared link carries the voice's consent, beside the form's fields (a key no gateway field has).
const CONSENT_KEY: &str = "consent";

/// The page's address with `draft` in its fragment, and the voice's `consent`, if it has one.
fn link(draft: &Draft, consent: Option<Consent>) -> String {
    let location = window().location();
    let page = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    let mut body = draft.to_json();
    if let (Some(consent), serde_json::Value::Object(fields)) = (consent, &mut body) {
        fields.insert(CONSENT_KEY.to_owned(), serde_json::to_value(consent).expect("a consent serializes"));
    }
    let body = serde_json::to_string(&body).expect("JSON serializes");
    format!("{page}{PREFIX}{}", String::from(js_sys::encode_uri_component(&body)))
}

/// The body of the shared link the page was opened with, if any.
fn shared_body() -> Option<String> {
    let fragment = window().location().hash().ok()?;
    Some(String::from(js_sys::decode_uri_component(fragment.strip_prefix(PREFIX)?).ok()?))
}

/// Keeps the voice's consent that the shared link the page was opened with carries, if any (and none is kept for
/// that voice yet), marked as the sender's word.
pub fn keep_shared_consent(consents: Consents) {
    let shared = || -> Option<Consent> {
        let body: serde_json::Value = serde_json::from_str(&shared_body()?).ok()?;
        serde_json::from_value(body.get(CONSENT_KEY)?.clone()).ok()
    };
    if let Some(shared) = shared().filter(|shared| untrack(|| consents.of(&shared.voice)).is_none()) {
        consents.keep(Consent { shared: true, ..shared });
    }
}

/// The form the page opens with: a shared link's, if it was opened with one, with whatever was typed on the
/// prerendered page (which showed the defaults) over it; else what was typed; else the defaults.
pub fn opening_draft(typed: Option<Draft>) -> Draft {
    let shared = shared_body().and_then(|body| Draft::from_json_text(&body));
    match (shared, typed) {
        (Some(shared), Some(typed)) => shared.with_edits(&typed),
        (shared, typed) => shared.or(typed).unwrap_or_default(),
    }
}

/// "Copy share link": puts the link on the clipboard and in the address bar.
#[component]
pub fn ShareLink(draft: RwSignal<Draft>, consents: Consents) -> impl IntoView {
    let copied = RwSignal::new(None::<String>);
    let share = move |_| {
        let link = draft.with_untracked(|draft| link(draft, consents.of(&draft.reference_audio_url)));
        let _ = window().navigator().clipboard().write_text(&link);
        let _ = window()
            .history()
            .and_then(|history| history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&link)));
        copied.set(Some(link));
    };
    view! {
        <div class="share">
            <button type="button" on:click=share>"Copy share link"</button>
            {move || copied.get().map(|link| view! {
                <p class="notice" role="status">"Link copied: it opens this form (never your key). "<a href=link.clone()>{link.clone()}</a></p>
            })}
        </div>
    }
}
