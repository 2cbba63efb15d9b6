//! What the signed-in person has left of their budgets, under the form: asked again after each submission, and
//! once signed in. Nothing shows where no budget applies (open access, or none given).

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::gateway::PROXY_BASE;
use zonos_api::{BudgetLeft, BUDGET_PATH};

use crate::gateway::connection::Connection;
use crate::platform::http;
use crate::takes::Takes;

async fn budget_left() -> Option<BudgetLeft> {
    let answer = http::send("GET", &format!("{PROXY_BASE}{BUDGET_PATH}"), &[], None, 15).await.ok()?;
    (answer.status == 200).then(|| serde_json::from_str(&answer.body).ok()).flatten()
}

/// "N of M left today", while a budget applies.
#[component]
pub fn BudgetLine(takes: Takes, connection: RwSignal<Option<Connection>>) -> impl IntoView {
    let sending = takes.sending();
    let signed_out = super::signed_out();
    let words = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        // Read here, so that a submission ending (counted, or refused) or a sign-in asks again.
        let asked = matches!(connection.get(), Some(Connection::Proxy(_))) && !sending.get() && !signed_out.get();
        spawn_local(async move {
            let left = if asked { budget_left().await } else { None };
            words.try_set(left.and_then(|left| left.words()));
        });
    });
    view! {
        {move || words.get().map(|words| view! { <p class="notice budget" role="status">{words}</p> })}
    }
}
