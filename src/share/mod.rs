//! A link that opens the same setup: the form's request body in the URL's fragment (never sent to a server, and
//! never holding the key, which is not part of the form). Writing and reading the body is the studio part's work
//! (the button stands below the form, see `panels`): the first screen does without a JSON library.

use leptos::prelude::*;
use serde_json::Value;

use crate::form::Draft;
use crate::parts::Unloaded;

const PREFIX: &str = "#form=";

/// The page's address with `draft` in its fragment.
fn link(draft: &Draft) -> String {
    let location = window().location();
    let page = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    let body = serde_json::to_string(&draft.to_json()).expect("JSON serializes");
    format!("{page}{PREFIX}{}", String::from(js_sys::encode_uri_component(&body)))
}

crate::parts::later! { part studio:
    /// The draft in a shared link's fragment, if it holds one.
    fn read_shared(fragment: String) -> Option<Draft> {
        decode(&fragment)
    }
}

fn decode(fragment: &str) -> Option<Draft> {
    let encoded = fragment.strip_prefix(PREFIX)?;
    let body = js_sys::decode_uri_component(encoded).ok()?;
    let body: Value = serde_json::from_str(&String::from(body)).ok()?;
    Some(Draft::from_json(&body))
}

/// The draft a shared link carries, if the page was opened with one (its part loads only then).
pub async fn shared_draft() -> Result<Option<Draft>, Unloaded> {
    match window().location().hash() {
        Ok(fragment) if fragment.starts_with(PREFIX) => read_shared(fragment).await,
        _ => Ok(None),
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
