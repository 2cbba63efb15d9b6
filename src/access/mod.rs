//! Signing in, where the proxy asks for it (`serve --access codes`). Whether the page must sign in is one flag,
//! set by the proxy's offer and again by any call the proxy refuses for want of a session (one that ended, or was
//! revoked, mid-demo). Those calls run in tasks with no reactive owner to find a context in: hence a thread-local.
//! The panel that signs in, and the line that says what budget is left, are in the studio part (`panel`,
//! `budget`).

pub mod budget;
pub mod panel;

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
