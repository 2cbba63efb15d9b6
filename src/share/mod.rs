//! A link that opens the same setup: the form's request body in the URL's fragment (never sent to a server, and
//! never holding the key, which is not part of the form). The link is written in the studio part (the button stands
//! below the form, see `panels`); it is read as the app starts, with the browser's JSON parser.

use leptos::prelude::*;

use crate::form::Draft;

const PREFIX: &str = "#form=";

/// The page's address with `draft` in its fragment.
fn link(draft: &Draft) -> String {
    let location = window().location();
    let page = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    let body = serde_json::to_string(&draft.to_json()).expect("JSON serializes");
    format!("{page}{PREFIX}{}", String::from(js_sys::encode_uri_component(&body)))
}

/// The form the page opens with: a shared link's, if it was opened with one, with whatever was typed on the
/// prerendered page (which showed the defaults) over it; else what was typed; else the defaults.
pub fn opening_draft(typed: Option<Draft>) -> Draft {
    let shared = window()
        .location()
        .hash()
        .ok()
        .and_then(|fragment| Some(String::from(js_sys::decode_uri_component(fragment.strip_prefix(PREFIX)?).ok()?)))
        .and_then(|body| Draft::from_json_text(&body));
    match (shared, typed) {
        (Some(shared), Some(typed)) => shared.with_edits(&typed),
        (shared, typed) => shared.or(typed).unwrap_or_default(),
    }
}

/// "Copy share link": puts the link on the clipboard and in the address bar.
#[component]
pub fn ShareLink(draft: RwSignal<Draft>) -> impl IntoView {
    let copied = RwSignal::new(None::<String>);
    let share = move |_| {
        let link = draft.with_untracked(link);
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
