//! What the signed-in person has left of their budgets, under the form: asked again after each submission, and
//! once signed in. Nothing shows where no budget applies (open access, or none given).

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::gateway::PROXY_BASE;
use zonos_api::{BudgetLeft, BUDGET_PATH};

use crate::platform::http;

async fn budget_left() -> Option<BudgetLeft> {
    let answer = http::send("GET", &format!("{PROXY_BASE}{BUDGET_PATH}"), &[], None, 15).await.ok()?;
    (answer.status == 200).then(|| serde_json::from_str(&answer.body).ok()).flatten()
}

/// "N of M left today", while a budget applies; `sending`: a submission is on its way; `through_proxy`: the page
/// sends through our proxy (only it keeps budgets).
#[component]
pub fn BudgetLine(sending: Signal<bool>, through_proxy: Signal<bool>) -> impl IntoView {
    let signed_out = super::signed_out();
    let words = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        // Read here, so that a submission ending (counted, or refused) or a sign-in asks again.
        let asked = through_proxy.get() && !sending.get() && !signed_out.get();
        spawn_local(async move {
            let left = if asked { budget_left().await } else { None };
            words.try_set(left.and_then(|left| left.words()));
        });
    });
    view! {
        {move || words.get().map(|words| view! { <p class="notice budget" role="status">{words}</p> })}
    }
}
