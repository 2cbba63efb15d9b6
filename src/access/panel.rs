//! The sign-in panel above the form, which the studio part draws (see `panels::StudioPanel`): an access code, or a
//! link to the OpenID provider (`provider`), as the proxy's offer says. What is typed in the form stays; a Generate
//! pressed meanwhile is held, and carried out once signed in.

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::gateway::PROXY_BASE;
use zonos_api::{ProxyOffer, CONFIG_FILE, JOIN_FRAGMENT, SIGN_IN_PATH};

use super::provider::ProviderSignIn;
use crate::form::Draft;
use crate::platform::http;

/// Why a sign-in failed, in the words the panel shows.
#[derive(Debug, Clone, PartialEq)]
enum SignInProblem {
    /// The proxy said why (a wrong code, too many attempts).
    Refused(String),
    Unreachable,
}

impl SignInProblem {
    fn message(&self) -> String {
        match self {
            SignInProblem::Refused(said) => said.clone(),
            SignInProblem::Unreachable => "The server could not be reached: check the network and try again.".into(),
        }
    }
}

/// Sends `code`; the session comes back as a cookie.
async fn sign_in(code: &str) -> Result<(), SignInProblem> {
    let body = serde_json::json!({ "code": code }).to_string();
    let url = format!("{PROXY_BASE}{SIGN_IN_PATH}");
    let headers = [("content-type", "application/json")];
    let answer =
        http::send("POST", &url, &headers, Some(&body.into()), 15).await.map_err(|_| SignInProblem::Unreachable)?;
    if answer.status == 200 {
        return Ok(());
    }
    Err(SignInProblem::Refused(super::refusal(&answer)))
}

/// The OpenID provider this studio signs people in with, if it does (the first load reads only whether to sign in).
async fn provider() -> Option<String> {
    let answer = http::send("GET", CONFIG_FILE, &[], None, 10).await.ok()?;
    serde_json::from_str::<ProxyOffer>(&answer.body).ok()?.sign_in_with
}

/// The sign-in panel: a link to the provider, or a code to type, once the offer has said which.
#[component]
pub fn SignInPanel(held: RwSignal<bool>, draft: RwSignal<Draft>) -> impl IntoView {
    let way = RwSignal::new(None::<Option<String>>);
    spawn_local(async move { way.set(Some(provider().await)) });
    move || match way.get() {
        None => ().into_any(),
        Some(Some(provider)) => view! { <ProviderSignIn provider draft held /> }.into_any(),
        Some(None) => view! { <CodeSignIn held /> }.into_any(),
    }
}

/// Signing in with an access code (filled in when the page was opened by an invite link); once the proxy has
/// opened a session, the Generate in `held` (if pressed) is sent.
#[component]
fn CodeSignIn(held: RwSignal<bool>) -> impl IntoView {
    let invited = super::taken_from_address(JOIN_FRAGMENT);
    let code = RwSignal::new(invited.clone().unwrap_or_default());
    let problem = RwSignal::new(None::<SignInProblem>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        spawn_local(async move {
            match sign_in(&code.get_untracked()).await {
                Ok(()) => {
                    super::signed_out().set(false);
                    crate::form::carry_out_held(held);
                }
                Err(refused) => problem.set(Some(refused)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="connection sign-in" aria-label="Sign in" on:submit=submit>
            <h2>"Sign in"</h2>
            <p class="mode">"This studio asks for an access code before it sends anything. What you type in the form is kept, and a take you ask for now is sent once you are signed in."</p>
            {invited.map(|_| view! { <p class="notice" role="status">"You were invited: press Sign in to join."</p> })}
            <div class="field">
                <label for="access-code">"Access code"</label>
                <input id="access-code" type="text" autocomplete="one-time-code" spellcheck="false" prop:value=code on:input=move |event| code.set(event_target_value(&event)) />
            </div>
            <button type="submit" class="primary" disabled=move || busy.get()>"Sign in"</button>
            {move || problem.get().map(|problem| view! { <p class="problem" role="alert">{problem.message()}</p> })}
        </form>
    }
}
