//! A review's tally for its maker, asked for every few seconds while it is on screen, and *Close review*.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::gateway::PROXY_BASE;
use studio_core::review::Tally;
use zonos_api::REVIEWS_PATH;

use crate::platform::http;

/// How often the tally is asked for.
const EVERY: Duration = Duration::from_secs(3);

#[derive(Clone, serde::Deserialize)]
struct Read {
    closed: bool,
    tally: Tally,
}

async fn read(token: &str, owner_key: &str) -> Option<Read> {
    let url = format!("{PROXY_BASE}{REVIEWS_PATH}/{token}/tally");
    let answer = http::send("GET", &url, &[("x-review-key", owner_key)], None, 15).await.ok()?;
    (answer.status == 200).then(|| serde_json::from_str(&answer.body).ok()).flatten()
}

async fn close(token: &str, owner_key: &str) -> bool {
    let url = format!("{PROXY_BASE}{REVIEWS_PATH}/{token}/close");
    let answer = http::send("POST", &url, &[("x-review-key", owner_key)], None, 15).await;
    answer.is_ok_and(|answer| answer.status == 204)
}

#[component]
pub fn ReviewTally(token: String, owner_key: String) -> impl IntoView {
    let tally = RwSignal::new(None::<Read>);
    let ask = {
        let (token, owner_key) = (token.clone(), owner_key.clone());
        move || {
            let (token, owner_key) = (token.clone(), owner_key.clone());
            spawn_local(async move {
                if let Some(read) = read(&token, &owner_key).await {
                    tally.try_set(Some(read));
                }
            });
        }
    };
    ask();
    if let Ok(asking) = set_interval_with_handle(ask.clone(), EVERY) {
        on_cleanup(move || asking.clear());
    }
    let end = Callback::new(move |()| {
        let (token, owner_key, ask) = (token.clone(), owner_key.clone(), ask.clone());
        spawn_local(async move {
            if close(&token, &owner_key).await {
                ask();
            }
        });
    });
    view! {
        {move || tally.get().map(|read| {
            let closed = read.closed;
            let items = read.tally.items.into_iter().map(|item| view! {
                <p role="status">{item.summary()}</p>
                <ul class="comments">{item.comments.into_iter().map(|comment| view! { <li>{comment}</li> }).collect_view()}</ul>
            }).collect_view();
            view! {
                {items}
                {closed.then(|| view! { <p class="notice">"This review is closed: its link no longer plays."</p> })}
                <Show when=move || !closed><button type="button" on:click=move |_| end.run(())>"Close review"</button></Show>
            }
        })}
    }
}
