//! Signing in at an OpenID provider (`serve --access oidc`): a link away from the page and back. What is typed in
//! the form goes along in this tab's storage, and is put back when the page returns; so does a Generate pressed
//! meanwhile, which is sent once then. Why a sign-in failed comes back as a word in the address ([`SignInFailure`]),
//! and the words are the page's own.

use leptos::prelude::*;
use studio_core::gateway::PROXY_BASE;
use zonos_api::{SignInFailure, OIDC_START_PATH, SIGN_IN_FAILED_FRAGMENT};

use crate::form::Draft;
use crate::platform::storage::{self, Keep};

/// Where the form waits while the page is away at the provider.
const AWAY_ITEM: &str = "zonos-studio-form-while-signing-in";
/// Set beside it when a Generate was pressed before signing in.
const HELD_ITEM: &str = "zonos-studio-generate-while-signing-in";

/// "Sign in with {provider}", and why the last attempt failed, if it did.
#[component]
pub fn ProviderSignIn(provider: String, draft: RwSignal<Draft>, held: RwSignal<bool>) -> impl IntoView {
    let failure = super::taken_from_address(SIGN_IN_FAILED_FRAGMENT).and_then(|name| SignInFailure::from_name(&name));
    let keep_the_form = move |_| {
        let form = serde_json::to_string(&draft.with_untracked(Draft::to_json)).expect("JSON serializes");
        storage::set(Keep::Session, AWAY_ITEM, &form);
        if held.get_untracked() {
            storage::set(Keep::Session, HELD_ITEM, "1");
        }
    };
    view! {
        <section class="connection sign-in" aria-labelledby="sign-in-heading">
            <h2 id="sign-in-heading">"Sign in"</h2>
            <p class="mode">{format!("This studio asks you to sign in at {provider} before it sends anything. What you type in the form is kept while you are away, and a take you ask for now is sent once you are back.")}</p>
            <a class="button primary" href=format!("{PROXY_BASE}{OIDC_START_PATH}") on:click=keep_the_form>{format!("Sign in with {provider}")}</a>
            {failure.map(|failure| view! { <p class="problem" role="alert">{failure.words()}</p> })}
        </section>
    }
}

/// Puts back the form kept when the page went to sign in, if it did (once), and presses Generate again if it was
/// pressed then.
pub fn come_back(draft: RwSignal<Draft>) {
    let Some(form) = storage::get(Keep::Session, AWAY_ITEM) else { return };
    storage::remove(Keep::Session, AWAY_ITEM);
    if let Some(kept) = Draft::from_json_text(&form) {
        draft.set(kept);
    }
    if storage::get(Keep::Session, HELD_ITEM).is_some() {
        storage::remove(Keep::Session, HELD_ITEM);
        crate::form::press_generate();
    }
}
