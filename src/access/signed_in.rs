//! Who the page is signed in as, under the form: the name, what is left of their budget, *Sign out*, and for an
//! admin *Usage* (the spend log, a part of its own). Asked again after each submission, and once signed in.
//! Nothing shows with open access.

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::gateway::PROXY_BASE;
use zonos_api::{SignedIn, SESSION_PATH, SIGN_OUT_PATH};

use crate::parts::part_view;
use crate::platform::http;

async fn signed_in() -> Option<SignedIn> {
    let answer = http::send("GET", &format!("{PROXY_BASE}{SESSION_PATH}"), &[], None, 15).await.ok()?;
    (answer.status == 200).then(|| serde_json::from_str(&answer.body).ok()).flatten()
}

/// Ends the session on the server (on every replica); whatever it answers, the page asks for a code again.
async fn sign_out() {
    let headers = [("content-type", "application/json")];
    let _ = http::send("POST", &format!("{PROXY_BASE}{SIGN_OUT_PATH}"), &headers, Some(&"{}".into()), 15).await;
    super::signed_out().set(true);
}

/// "Signed in as ada · 3 of 20 left today", with *Sign out* (and *Usage* for an admin); `sending`: a submission is
/// on its way; `through_proxy`: the page sends through our proxy (only it signs people in).
#[component]
pub fn SignedInLine(sending: Signal<bool>, through_proxy: Signal<bool>) -> impl IntoView {
    let signed_out = super::signed_out();
    let who = RwSignal::new(None::<(String, SignedIn)>);
    Effect::new(move |_| {
        // Read here, so that a submission ending (counted, or refused) or a sign-in asks again.
        let asked = through_proxy.get() && !sending.get() && !signed_out.get();
        spawn_local(async move {
            let found = if asked { signed_in().await } else { None };
            who.try_set(found.and_then(|found| Some((found.person.clone()?, found))));
        });
    });
    let usage_shown = RwSignal::new(false);
    let attempt = RwSignal::new(0);
    view! {
        {move || who.get().map(|(person, found)| view! {
            <div class="signed-in">
                <p class="notice" role="status">
                    "Signed in as " <strong>{person}</strong>
                    {found.budget.words().map(|words| format!(" · {words}"))}
                </p>
                {found.sign_out.then(|| view! {
                    <button type="button" on:click=move |_| spawn_local(sign_out())>"Sign out"</button>
                })}
                {found.admin.then(|| view! {
                    <button type="button" aria-expanded=move || usage_shown.get().to_string()
                        on:click=move |_| usage_shown.update(|shown| *shown = !*shown)>"Usage"</button>
                })}
            </div>
        })}
        {move || {
            let admin = who.get().filter(|(_, found)| found.admin && usage_shown.get());
            // Only a code's session is revoked here; a reverse proxy's sign-in is revoked where it is made.
            admin.map(|(me, found)| part_view(attempt, move || super::usage::usage_panel(me.clone(), found.sign_out)))
        }}
    }
}
