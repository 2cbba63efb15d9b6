//! Sharing takes for review (issue 26, begun): *Share for review* on a finished take's card makes a review on the
//! proxy (`POST /api/reviews`), then shows its link, its QR code for the room (drawn from the modules the server
//! worked out: the encoder's tables would weigh on the first load), and the tally as listeners answer (asked every
//! few seconds), with *Close review*. In the takes' part.

mod qr;
mod tally;

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::gateway::PROXY_BASE;
use studio_core::take::Take;
use zonos_api::{ReviewItem, ReviewMade, ReviewRequest, REVIEWS_PATH};

use crate::platform::http;
use qr::QrCodeOf;
use tally::ReviewTally;

/// What a review of `take` asks for.
fn request_of(take: &Take) -> Option<ReviewRequest> {
    let media_url = take.output.as_ref()?.media_url.first()?.clone();
    let label = take.name.clone().unwrap_or_else(|| format!("Take {}", take.number));
    let consent = take.consent.as_ref().and_then(|consent| serde_json::to_value(consent).ok());
    let item =
        ReviewItem { label: label.clone(), text: take.request.text.clone().unwrap_or_default(), media_url, consent };
    Some(ReviewRequest { title: label, items: vec![item], days: None })
}

async fn make(request: &ReviewRequest) -> Result<ReviewMade, String> {
    let body = serde_json::to_string(request).expect("a request serializes");
    let headers = [("content-type", "application/json")];
    let answer = http::send("POST", &format!("{PROXY_BASE}{REVIEWS_PATH}"), &headers, Some(&body.into()), 120)
        .await
        .map_err(|_| "The server could not be reached: no review was made.".to_owned())?;
    match answer.status {
        201 => serde_json::from_str(&answer.body).map_err(|_| "The server's answer could not be read.".to_owned()),
        _ => Err(crate::access::refusal(&answer)),
    }
}

/// *Share for review* on a finished take, and the review once made.
#[component]
pub fn ShareForReview(take: RwSignal<Take>) -> impl IntoView {
    let made = RwSignal::new(None::<ReviewMade>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let share = move |_| {
        let Some(request) = take.with_untracked(request_of) else { return };
        busy.set(true);
        spawn_local(async move {
            match make(&request).await {
                Ok(review) => {
                    made.try_set(Some(review));
                }
                Err(said) => {
                    problem.try_set(Some(said));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <Show when=move || made.with(Option::is_none)>
            <button type="button" disabled=move || busy.get() on:click=share>"Share for review"</button>
        </Show>
        {move || problem.get().map(|said| view! { <p class="problem" role="alert">{said}</p> })}
        {move || made.get().map(|review| view! { <ReviewShared review /> })}
    }
}

/// A review made: its link (to copy), its QR code, and its tally.
#[component]
fn ReviewShared(review: ReviewMade) -> impl IntoView {
    let link = review.link.clone();
    let copy = {
        let link = link.clone();
        move |_| {
            let _ = window().navigator().clipboard().write_text(&link);
        }
    };
    view! {
        <section class="review" aria-label="Review">
            <crate::parts::RoomStyle />
            <label for=format!("review-link-{}", review.token)>"Review link"</label>
            <input id=format!("review-link-{}", review.token) type="text" readonly prop:value=link.clone() />
            <button type="button" on:click=copy>"Copy link"</button>
            <QrCodeOf qr=review.qr />
            <ReviewTally token=review.token owner_key=review.owner_key />
        </section>
    }
}
