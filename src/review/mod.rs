//! Sharing takes for review (issue 26, begun): *Share for review* on a finished take's card, or on a set of
//! variations, makes a review on the proxy (`POST /api/reviews`), then shows its link, its QR code for the room
//! (drawn from the modules the server worked out: the encoder's tables would weigh on the first load), and the
//! tally as listeners answer, with Export and *Close review*; kept on this device, the review and its maker's key
//! show again after a reload. In the takes' part.

mod kept;
mod qr;
mod tally;

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::gateway::PROXY_BASE;
use studio_core::kept_reviews::KeptReview;
use studio_core::review_request::{label_of, review_request, Heard};
use studio_core::take::Take;
use zonos_api::{ReviewMade, ReviewRequest, REVIEWS_PATH};

use crate::platform::http;
use qr::QrCodeOf;
use tally::ReviewTally;

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

/// *Share for review* of the finished ones of `takes` (one take's, or a set's), called `title`, heard alone or
/// blind (*Share as Real or clone?*), and the review once made.
#[component]
pub fn ShareForReview(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] takes: Signal<Vec<RwSignal<Take>>>,
    #[prop(default = Heard::Alone)] heard: Heard,
) -> impl IntoView {
    let ids = move || {
        takes.with_untracked(|takes| {
            takes.iter().map(|take| take.with_untracked(|take| take.id.clone())).collect::<Vec<_>>()
        })
    };
    // Made just now; or made here before (a reload since, or this button drawn again): kept on this device.
    let fresh = RwSignal::new(None::<(ReviewMade, Vec<String>)>);
    let made =
        Memo::new(move |_| fresh.get().or_else(|| kept::find(&ids(), heard).map(|kept| (kept.made, kept.labels))));
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let share = move |_| {
        let shared: Vec<Take> = takes.with_untracked(|takes| takes.iter().map(|take| take.get_untracked()).collect());
        let Some(request) = review_request(&title.get_untracked(), &shared, heard) else { return };
        busy.set(true);
        spawn_local(async move {
            match make(&request).await {
                Ok(review) => {
                    let labels: Vec<String> = request.items.into_iter().map(|item| item.label).collect();
                    kept::keep(KeptReview { made: review.clone(), labels: labels.clone(), heard, takes: ids() });
                    fresh.try_set(Some((review, labels)));
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
            <button type="button" disabled=move || busy.get() on:click=share>
                {match heard {
                    Heard::Alone => "Share for review",
                    Heard::Blind => "Share as Real or clone?",
                }}
            </button>
        </Show>
        {move || problem.get().map(|said| view! { <p class="problem" role="alert">{said}</p> })}
        {move || made.get().map(|(review, labels)| view! { <ReviewShared review labels heard /> })}
    }
}

/// A finished take's ways to be shared: for review, and as "Real or clone?" against its voice.
#[component]
pub fn ShareTake(take: RwSignal<Take>) -> impl IntoView {
    let title = Signal::derive(move || take.with(label_of));
    let takes = Signal::derive(move || vec![take]);
    view! {
        <ShareForReview title takes />
        <ShareForReview title=Signal::derive(move || format!("Real or clone? {}", title.get())) takes heard=Heard::Blind />
    }
}

crate::parts::later! { part takes:
    /// The presenter view's sharing of `take` (in the takes' part, with the rest of reviews): its QR code large.
    pub fn presenter_share(take: RwSignal<Take>) -> AnyView {
        untrack(|| view! { <div class="presenter-share"><ShareTake take /></div> }.into_any())
    }
}

/// A review made: its link (to copy), its QR code, and the tally of its takes (`labels`).
#[component]
fn ReviewShared(review: ReviewMade, labels: Vec<String>, heard: Heard) -> impl IntoView {
    let link = review.link.clone();
    let copy = {
        let link = link.clone();
        move |_| {
            let _ = window().navigator().clipboard().write_text(&link);
        }
    };
    view! {
        <section class="review" aria-label=if heard == Heard::Blind { "Blind review" } else { "Review" }>
            <crate::parts::RoomStyle />
            <QrCodeOf qr=review.qr />
            <div class="review-details">
                <label for=format!("review-link-{}", review.token)>"Review link"</label>
                <div class="review-link">
                    <input id=format!("review-link-{}", review.token) type="text" readonly prop:value=link.clone() />
                    <button type="button" on:click=copy>"Copy link"</button>
                </div>
                <ReviewTally token=review.token owner_key=review.owner_key labels />
            </div>
        </section>
    }
}
