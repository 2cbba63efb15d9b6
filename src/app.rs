use leptos::prelude::*;
use zonos_api::GenerateRequest;

use crate::form::{Draft, ParameterForm};

/// The page: which panels stand where. Owns the top-level state and passes it down.
#[component]
pub fn App() -> impl IntoView {
    let draft = RwSignal::new(Draft::default());
    // Sending comes with the generate flow; until then a valid form is checked and goes nowhere.
    let on_generate = Callback::new(|_request: GenerateRequest| {});

    view! {
        <header class="masthead">
            <h1>"Zonos Studio"</h1>
            <p class="tagline">"Voice cloning with Zyphra's Zonos 2"</p>
        </header>
        <main class="workspace">
            <ParameterForm draft on_generate />
        </main>
    }
}
