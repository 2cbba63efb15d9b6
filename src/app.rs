use leptos::prelude::*;
use zonos_api::GenerateRequest;

use crate::form::ParameterForm;
use crate::gateway::connection::Connection;
use crate::panels::StudioPanel;
use crate::parts::{part_view, Unavailable};
use crate::player::Audible;
use crate::prerendered::Carried;
use crate::settings::Settings;
use crate::startup::{self, Restore, Starting};
use crate::takes::{self, Dispatch, Takes};
use crate::voices::{Consents, ReferencePreview, ReferenceRecorder, ReferenceUpload, VoicePicker};

/// The page: which panels stand where. Owns the top-level state and passes it down. `carried`: what the
/// prerendered page held when the app took it over.
#[component]
pub fn App(#[prop(optional)] carried: Carried) -> impl IntoView {
    let draft = RwSignal::new(crate::share::opening_draft(carried.draft));
    let connection = RwSignal::new(None::<Connection>);
    let settings = Settings::load();
    let takes = Takes::new();
    let page_problem = RwSignal::new(None::<String>);
    let generate_pending = RwSignal::new(carried.generate);
    let takes_restore = RwSignal::new(Restore::NotYet);
    let signed_out = RwSignal::from(crate::access::signed_out());
    // Tries at loading the takes' part (see `parts`), which shows the takes and restores those kept from a past
    // visit: "Try again" makes another.
    let takes_attempt = RwSignal::new(0_u32);

    let starting = Starting { draft, connection, settings, takes, generate_pending, takes_restore };
    startup::start(starting);
    // "Try again" on the takes also brings back the kept ones, if that is what failed.
    Effect::watch(
        move || takes_attempt.get(),
        move |_, _, _| {
            if takes_restore.get_untracked() == Restore::Unloaded {
                startup::restore_takes(starting);
            }
        },
        false,
    );

    let consents = Consents::default();
    let dispatch = Dispatch { takes, connection, settings, problem: page_problem, consents };
    let on_generate = Callback::new(move |request: GenerateRequest| dispatch.generate(request));
    let audible = Audible::default();
    // The page knows how it reaches the gateway.
    let connected = Signal::derive(move || connection.with(Option::is_some));
    let ready = Signal::derive(move || connected.get() && !signed_out.get());
    let voices = Signal::derive(move || connection.with(|found| found.as_ref().map(|found| found.voices().to_vec())));
    let uploads = Signal::derive(move || {
        connection.with(|found| found.as_ref().map(|found| matches!(found, Connection::Proxy(offer) if offer.uploads)))
    });
    crate::shortcuts::install();

    view! {
        <header class="masthead">
            <h1>"Zonos Studio"</h1>
            <p class="tagline">"Voice cloning with Zyphra's Zonos 2"</p>
        </header>
        <main class="workspace">
            <div class="controls">
                <StudioPart when=signed_out panel=StudioPanel::SignIn(generate_pending, draft) />
                <ParameterForm
                    draft
                    on_generate
                    busy=takes.sending()
                    ready
                    held=generate_pending
                    signed_out
                >
                    <div class="voice-sources">
                        <VoicePicker voices draft />
                        <ReferenceUpload offered=uploads draft />
                        <ReferenceRecorder offered=uploads draft consents />
                    </div>
                    <ReferencePreview draft audible />
                </ParameterForm>
                <StudioPart when=connected panel=StudioPanel::BelowTheForm(draft, dispatch) />
            </div>
            <div class="results">
                {move || page_problem.get().map(|problem| view! { <p class="problem" role="alert">{problem}</p> })}
                // Without takes on screen (whose list would say so itself).
                <Show when=move || takes_restore.get() == Restore::Unloaded && takes.list().with(Vec::is_empty)>
                    <Unavailable attempt=takes_attempt />
                </Show>
                <Show
                    when=move || takes.list().with(|list| !list.is_empty())
                    fallback=|| view! {
                        <section class="jobs" aria-label="Takes">
                            <h2>"Takes"</h2>
                            <p class="empty">"Your takes appear here. Press Generate to make the first one."</p>
                        </section>
                    }
                >
                    {part_view(takes_attempt, move || takes::take_list(dispatch, audible, draft))}
                </Show>
            </div>
        </main>
    }
}

/// A panel of the studio part, drawn while `when` holds (one for both of the page's places: one copy of the code).
#[component]
fn StudioPart(#[prop(into)] when: Signal<bool>, panel: StudioPanel) -> impl IntoView {
    let attempt = RwSignal::new(0_u32);
    view! {
        <Show when=move || when.get()>
            {part_view(attempt, move || crate::panels::studio_panel(panel))}
        </Show>
    }
}
