//! "Show the API call": the current form as the docs write the call (HTTP, cURL, Python `requests`, JavaScript
//! `fetch`), with the key masked, ready to copy. The body is the request the app sends, from the same
//! serialization.

mod snippets;

use leptos::prelude::*;
use leptos::task::spawn_local;
use zonos_api::GenerateRequest;

use crate::parts::part_view;

pub use snippets::{render, Format};

/// `sk-live-1234abcd` → `••••••••abcd`; no key → the docs' placeholder.
pub fn masked(key: &str) -> String {
    let key = key.trim();
    if key.is_empty() {
        return "YOUR_API_KEY".to_owned();
    }
    let shown: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("••••••••{shown}")
}

/// "API call", folded until opened: its part loads then (or when pointed at), not with the first screen.
#[component]
pub fn ApiCallPanel(
    /// The valid request the form describes, or why there is none.
    request: Signal<Result<GenerateRequest, String>>,
    /// The gateway's base URL the call goes to.
    gateway_url: Signal<String>,
    /// The key, masked.
    masked_key: Signal<String>,
) -> impl IntoView {
    let opened = RwSignal::new(false);
    let attempt = RwSignal::new(0_u32);
    let fetch_ahead = || {
        spawn_local(async {
            let _ = preload_api_call().await;
        })
    };
    view! {
        <details
            class="api-call"
            on:toggle=move |event| opened.set(event_target::<web_sys::HtmlDetailsElement>(&event).open())
        >
            <summary on:pointerenter=move |_| fetch_ahead() on:focus=move |_| fetch_ahead()>
                <h2>"API call"</h2>
            </summary>
            <Show when=move || opened.get()>
                {part_view(attempt, move || api_call(request, gateway_url, masked_key))}
            </Show>
        </details>
    }
}

crate::parts::later! { part api_call:
    fn api_call(
        request: Signal<Result<GenerateRequest, String>>,
        gateway_url: Signal<String>,
        masked_key: Signal<String>,
    ) -> AnyView {
        untrack(|| view! { <ApiCall request gateway_url masked_key /> }.into_any())
    }
    preload preload_api_call
}

#[component]
fn ApiCall(
    request: Signal<Result<GenerateRequest, String>>,
    gateway_url: Signal<String>,
    masked_key: Signal<String>,
) -> impl IntoView {
    let format = RwSignal::new(Format::Curl);
    let text = move || {
        request.with(|request| match request {
            Ok(request) => render(format.get(), request, &gateway_url.get(), &masked_key.get()),
            Err(problem) => problem.clone(),
        })
    };
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&text());
        copied.set(true);
    };
    view! {
            <div class="api-call-bar">
                <div class="field inline">
                    <label for="api-call-format">"Show as"</label>
                    <select id="api-call-format" on:change=move |event| {
                        copied.set(false);
                        format.set(Format::from_key(&event_target_value(&event)));
                    }>
                        {Format::ALL.map(|option| view! {
                            <option value=option.key() prop:selected=move || format.get() == option>{option.name()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="button" on:click=copy disabled=move || request.with(Result::is_err)>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
            <pre aria-label="The call as code"><code>{text}</code></pre>
    }
}
