//! Signing in, where the proxy asks for it (`serve --access codes` or `oidc`). Whether the page must sign in is one
//! flag, set by the proxy's offer and again by any call the proxy refuses for want of a session (one that ended, or
//! was revoked, mid-demo). Those calls run in tasks with no reactive owner to find a context in: hence a
//! thread-local. The panel that signs in (`panel`, with a code; `provider`, at an OpenID provider), and the line
//! that says who is signed in and what budget is left (`signed_in`), are in the studio part; an admin's spend log
//! is a part of its own (`usage`).

pub mod panel;
pub mod provider;
pub mod signed_in;
pub mod usage;

use leptos::prelude::*;
use studio_core::GatewayError;

thread_local! {
    static SIGNED_OUT: ArcRwSignal<bool> = ArcRwSignal::new(false);
}

/// Whether the page must sign in before it can send.
pub fn signed_out() -> ArcRwSignal<bool> {
    SIGNED_OUT.with(Clone::clone)
}

/// Brings the sign-in panel back when the proxy refused a call for want of a session.
pub fn heed(error: &GatewayError) {
    if error.needs_sign_in() {
        signed_out().set(true);
    }
}

/// Why the proxy refused an access call, in its own words (or its status, when it gave none).
pub fn refusal(answer: &studio_core::Answer) -> String {
    serde_json::from_str::<zonos_api::ErrorBody>(&answer.body)
        .map(|body| body.summary().to_owned())
        .unwrap_or_else(|_| format!("The server refused it (HTTP {}).", answer.status))
}

/// What follows `prefix` in the fragment the page was opened with (an invite's code, why a sign-in failed), taken
/// out of the address bar, so that a link copied from there doesn't pass it on.
pub fn taken_from_address(prefix: &str) -> Option<String> {
    let location = window().location();
    let taken = location.hash().ok()?.strip_prefix(prefix)?.to_owned();
    let page = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    let _ = window()
        .history()
        .and_then(|history| history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page)));
    Some(taken)
}
