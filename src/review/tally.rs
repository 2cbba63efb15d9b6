//! A review's tally for its maker, pushed by the proxy as listeners answer (an event stream, which the browser
//! opens again by itself if it breaks), the answers as a CSV download, and *Close review*.

use futures::channel::oneshot;
use futures::future::select;
use futures::StreamExt;
use gloo_net::eventsource::futures::EventSource;
use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::gateway::PROXY_BASE;
use studio_core::review::{listeners, ItemTally, TallyState};
use zonos_api::{REVIEWS_PATH, REVIEW_ENDED_EVENT, TALLY_EVENT};

use crate::platform::http;

/// Where the review under `token` is, for its maker.
fn review_url(token: &str) -> String {
    format!("{PROXY_BASE}{REVIEWS_PATH}/{token}")
}

async fn close(token: &str, owner_key: &str) -> bool {
    let url = format!("{}/close", review_url(token));
    let answer = http::send("POST", &url, &[("x-review-key", owner_key)], None, 15).await;
    answer.is_ok_and(|answer| answer.status == 204)
}

/// What the maker's page knows of the review: its tally, or that it has ended.
#[derive(Clone, PartialEq)]
enum Followed {
    Tally(TallyState),
    Ended,
}

/// Follows the review's tally stream into `followed` until the review is closed or ends, or `stop` is dropped.
async fn follow(url: String, followed: RwSignal<Option<Followed>>, stop: oneshot::Receiver<()>) {
    let Ok(mut source) = EventSource::new(&url) else { return };
    let (Ok(tallies), Ok(ends)) = (source.subscribe(TALLY_EVENT), source.subscribe(REVIEW_ENDED_EVENT)) else {
        return;
    };
    let mut events = futures::stream::select(tallies, ends);
    let following = async {
        // An error is a broken connection, which the browser makes again.
        while let Some(event) = events.next().await {
            let Ok((kind, message)) = event else { continue };
            let state = message.data().as_string().and_then(|data| serde_json::from_str::<TallyState>(&data).ok());
            let (over, now) = match state {
                Some(state) if kind == TALLY_EVENT => (state.closed, Followed::Tally(state)),
                _ => (true, Followed::Ended),
            };
            if followed.try_set(Some(now)).is_some() || over {
                return;
            }
        }
    };
    let _ = select(Box::pin(following), stop).await;
    source.close();
}

#[component]
pub fn ReviewTally(token: String, owner_key: String, labels: Vec<String>) -> impl IntoView {
    let followed = RwSignal::new(None::<Followed>);
    let (stopping, stop) = oneshot::channel::<()>();
    on_cleanup(move || drop(stopping));
    spawn_local(follow(format!("{}/events?key={owner_key}", review_url(&token)), followed, stop));
    let export = format!("{}/answers.csv?key={owner_key}", review_url(&token));
    let end = Callback::new(move |()| {
        let (token, owner_key) = (token.clone(), owner_key.clone());
        spawn_local(async move {
            // The stream's last tally says it is closed.
            close(&token, &owner_key).await;
        });
    });
    let shown = move || match followed.get() {
        None => view! { <p role="status">"Waiting for the tally…"</p> }.into_any(),
        Some(Followed::Ended) => view! { <p class="notice" role="status">"This review has ended."</p> }.into_any(),
        Some(Followed::Tally(state)) => {
            let closed = state.closed;
            let listeners = format!("{} so far", listeners(state.tally.listeners));
            let items = state.tally.items.into_iter().zip(labels.clone());
            view! {
                <p role="status">{listeners}</p>
                <ul class="tally">{items.map(|(item, label)| view! { <TakeTally label item /> }).collect_view()}</ul>
                {closed.then(|| view! { <p class="notice">"This review is closed: its link no longer plays."</p> })}
                <Show when=move || !closed><button type="button" on:click=move |_| end.run(())>"Close review"</button></Show>
            }
            .into_any()
        }
    };
    view! {
        {shown}
        <a href=export download="review-answers.csv">"Export answers (CSV)"</a>
    }
}

/// One take's tally: its listeners and mean, the spread of its stars, or in a blind round the guesses right; and
/// the comments (shown as text).
#[component]
fn TakeTally(label: String, item: ItemTally) -> impl IntoView {
    let comments = item.comments.iter().map(|comment| view! { <li>{comment.clone()}</li> }).collect_view();
    let summary = item.summary();
    let spread = item.blind.is_none().then(|| view! { <StarSpread stars=item.stars /> });
    view! {
        <li class="take-tally">
            <h5>{label}</h5>
            <p>{summary}</p>
            {spread}
            <ul class="comments">{comments}</ul>
        </li>
    }
}

/// A bar for each count of stars given.
#[component]
fn StarSpread(stars: [u32; 5]) -> impl IntoView {
    let total = stars.iter().sum::<u32>().max(1);
    let bars = (1..=5_u32).rev().map(|star| {
        let count = stars[star as usize - 1];
        let width = format!("width: {}%", count * 100 / total);
        view! {
            <li aria-label=format!("{star} stars: {count}")>
                <span aria-hidden="true">{format!("{star}★")}</span>
                <span class="bar" style=width></span>
                <span aria-hidden="true">{count}</span>
            </li>
        }
    });
    view! { <ul class="star-spread">{bars.collect_view()}</ul> }
}
