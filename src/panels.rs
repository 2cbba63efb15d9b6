//! The panels below the form: variations of the form's request, the share link, the connection settings and the
//! API call; and the voice's consent, which stands in the form, under the reference's URL. No first look needs them: they come with the studio part once the page is ready, after the first
//! screen.

use leptos::prelude::*;

use crate::access::signed_in::SignedInLine;
use crate::api_call::ApiCallPanel;
use crate::form::Draft;
use crate::gateway::connection::Connection;
use crate::settings::ConnectionPanel;
use crate::share::ShareLink;
use crate::takes::Dispatch;
use crate::variations::TryVariations;
use crate::voices::VoiceConsent;

/// What the studio part draws where the page puts it: one split point for both, which costs the first load less
/// than two.
#[derive(Clone, Copy)]
pub enum StudioPanel {
    BelowTheForm(RwSignal<Draft>, Dispatch),
    /// The sign-in (see `access`), above the form, with the Generate held meanwhile.
    SignIn(RwSignal<bool>, RwSignal<Draft>),
}

crate::parts::later! { part studio:
    pub fn studio_panel(panel: StudioPanel) -> AnyView {
        untrack(|| match panel {
            StudioPanel::BelowTheForm(draft, dispatch) => view! { <BelowTheForm draft dispatch /> }.into_any(),
            StudioPanel::SignIn(held, draft) => view! { <crate::access::panel::SignInPanel held draft /> }.into_any(),
        })
    }
}

#[component]
fn BelowTheForm(draft: RwSignal<Draft>, dispatch: Dispatch) -> impl IntoView {
    let Dispatch { takes, connection, settings, consents, .. } = dispatch;
    let direct = Signal::derive(move || matches!(connection.get(), Some(Connection::Direct(_))));
    let through_proxy = Signal::derive(move || matches!(connection.get(), Some(Connection::Proxy(_))));
    let sandbox = Signal::derive(move || matches!(connection.get(), Some(Connection::Proxy(offer)) if offer.sandbox));
    let request = Signal::derive(move || {
        draft.with(Draft::to_request).map_err(|problems| {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!("The form is not valid yet: {}.", problems.join("; "))
        })
    });
    // The call as the gateway receives it: from this page in direct mode; from the server, to the sandbox it
    // mounts or to the documented gateway, otherwise.
    let call_target = Signal::derive(move || match connection.get() {
        Some(Connection::Direct(_)) => settings.gateway_url.get(),
        Some(Connection::Proxy(offer)) if offer.sandbox => {
            format!("{}/sandbox", window().location().origin().unwrap_or_default())
        }
        _ => zonos_api::DEFAULT_GATEWAY_URL.to_owned(),
    });
    let masked_key = Signal::derive(move || {
        if direct.get() {
            crate::api_call::masked(&settings.key.get())
        } else {
            crate::api_call::masked("")
        }
    });
    let voices = Signal::derive(move || connection.with(|found| found.as_ref().map(|found| found.voices().to_vec())));
    crate::share::keep_shared_consent(consents);
    crate::access::provider::come_back(draft);
    view! {
        <SignedInLine sending=takes.sending() through_proxy />
        <VoiceConsent draft consents voices />
        <TryVariations draft dispatch />
        <ShareLink draft consents />
        <ConnectionPanel settings direct sandbox />
        <ApiCallPanel request gateway_url=call_target masked_key />
    }
}
