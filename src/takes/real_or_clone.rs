//! "Real or clone?": a blind round over a finished take. The reference voice and the take play as A and B, in an
//! order drawn at random each round, level-matched and cut to the same length (see `studio_core::blind`); the room
//! guesses, the page reveals, and the session's score is kept.

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::blind::{match_pair, Round, Side};
use studio_core::wav;

use super::context::{use_takes, TakesContext};
use super::{cache, Take};
use crate::parts::RoomStyle;
use crate::platform::audio;

/// Why a round can't be played, in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unplayable {
    Reference,
    Take,
    Silent,
}

impl Unplayable {
    fn message(self) -> &'static str {
        match self {
            Unplayable::Reference => {
                "The reference voice's audio could not be read by this page (it may be on another site, or the \
                 network is down): there is no round to play."
            }
            Unplayable::Take => "The take's audio could not be read: there is no round to play.",
            Unplayable::Silent => "One of the two is silent: there is nothing to compare.",
        }
    }
}

/// The two clips, as `blob:` URLs of WAV files.
#[derive(Debug, Clone, PartialEq)]
struct Clips {
    real: String,
    clone: String,
}

impl Clips {
    fn release(&self) {
        audio::release(&self.real);
        audio::release(&self.clone);
    }
}

/// The first channel of the audio at `url` (kept on this device when it can be), decoded by the browser at the
/// rate it plays at: the reference and the take come out at one rate.
async fn decoded(url: &str) -> Option<(Vec<f32>, u32)> {
    audio::decode(&cache::buffer(url).await?).await
}

async fn clips(reference: String, take: String) -> Result<Clips, Unplayable> {
    let (reference, take) = futures::join!(decoded(&reference), decoded(&take));
    let (reference, rate) = reference.ok_or(Unplayable::Reference)?;
    let (take, take_rate) = take.ok_or(Unplayable::Take)?;
    if take_rate != rate {
        return Err(Unplayable::Take);
    }
    let (reference, take) = match_pair(&reference, &take, rate).ok_or(Unplayable::Silent)?;
    let url = |samples: &[f32]| audio::object_url(&wav::encode(samples, rate));
    match (url(&reference), url(&take)) {
        (Some(real), Some(clone)) => Ok(Clips { real, clone }),
        (made, other) => {
            made.iter().chain(other.iter()).for_each(|url| audio::release(url));
            Err(Unplayable::Take)
        }
    }
}

/// A side drawn at random for the real voice.
fn draw() -> Side {
    if js_sys::Math::random() < 0.5 {
        Side::A
    } else {
        Side::B
    }
}

crate::parts::later! { part room:
    /// A round over `take`, in the room's part (see the presenter view).
    pub fn round(take: RwSignal<Take>) -> AnyView {
        untrack(|| view! { <RealOrClone take /> }.into_any())
    }
}

/// The round's two clips for `take`, once made (or why they can't be), let go with the round.
fn prepared_clips(
    take: RwSignal<Take>,
    media_url: Callback<String, String>,
) -> RwSignal<Option<Result<Clips, Unplayable>>> {
    let made = RwSignal::new(None::<Result<Clips, Unplayable>>);
    let (reference, audio) = take.with_untracked(|take| {
        (
            take.request.reference_audio_url.clone(),
            take.output.as_ref().and_then(|output| output.media_url.first().cloned()),
        )
    });
    match audio {
        Some(audio) => spawn_local(async move {
            // A round closed before its clips were ready lets them go at once.
            if let Some(Some(Ok(unused))) = made.try_set(Some(clips(reference, media_url.run(audio)).await)) {
                unused.release();
            }
        }),
        None => made.set(Some(Err(Unplayable::Take))),
    }
    on_cleanup(move || {
        if let Some(Some(Ok(clips))) = made.try_get_untracked() {
            clips.release();
        }
    });
    made
}

/// A blind round over `take`: A and B, one the reference and one the take, the room's guess, the answer and the
/// session's score.
#[component]
fn RealOrClone(take: RwSignal<Take>) -> impl IntoView {
    let TakesContext { media_url, score, .. } = use_takes();
    let made = prepared_clips(take, media_url);
    // Nothing to guess before both clips can be heard.
    let ready = Signal::derive(move || made.with(|made| matches!(made, Some(Ok(_)))));
    let round = RwSignal::new(Round::new(draw()));
    let source = move |side: Side| {
        made.with(|made| match made {
            Some(Ok(clips)) => {
                Some(if round.with(|round| round.plays_real(side)) { clips.real.clone() } else { clips.clone.clone() })
            }
            _ => None,
        })
    };
    // Disabled by `aria-disabled`, not `disabled`: a disabled button loses the focus, and with it the presenter
    // view's keys.
    let reveal = move |_| {
        if !ready.get() {
            return;
        }
        let mut revealed = round.get_untracked();
        if revealed.reveal() {
            score.update(|score| score.count(&revealed));
        }
        round.set(revealed);
    };
    let verdict = move || {
        round.with(|round| {
            round.answer_words().map(|answer| match round.guessed_right() {
                Some(true) => format!("{answer}: guessed right."),
                Some(false) => format!("{answer}: guessed wrong."),
                None => format!("{answer}."),
            })
        })
    };
    let player = move |side: Side| {
        view! {
            <div class="blind-player">
                <span class="blind-letter" aria-hidden="true">{side.letter()}</span>
                <audio controls preload="auto" src=move || source(side) aria-label=side.letter()></audio>
            </div>
        }
    };
    view! {
        <RoomStyle />
        <section class="real-or-clone" aria-label="Real or clone?">
            <h4>"Real or clone?"</h4>
            <p>"One is the real voice, one the clone, at the same loudness and length. Listen to both, then guess."</p>
            {move || made.with(|made| match made {
                None => Some(view! { <p class="notice" role="status">"Preparing the two voices…"</p> }.into_any()),
                Some(Err(problem)) => Some(view! { <p class="problem" role="alert">{problem.message()}</p> }.into_any()),
                Some(Ok(_)) => None,
            })}
            <div class="blind-players">{player(Side::A)}{player(Side::B)}</div>
            <div class="form-actions" role="group" aria-label="The room's guess">
                <GuessButton side=Side::A round ready />
                <GuessButton side=Side::B round ready />
                <button
                    type="button"
                    aria-disabled=move || (!ready.get() || round.with(Round::is_revealed)).to_string()
                    on:click=reveal
                >
                    "Reveal"
                </button>
                <button type="button" on:click=move |_| round.set(Round::new(draw()))>"Next round"</button>
            </div>
            <p class="blind-answer" role="status" aria-label="Answer">{verdict}</p>
            <p class="blind-score" role="status" aria-label="Score">{move || score.get().words()}</p>
        </section>
    }
}

/// "A is real" or "B is real": the room's guess, once both clips can be heard (`ready`) and until the reveal.
#[component]
fn GuessButton(side: Side, round: RwSignal<Round>, ready: Signal<bool>) -> impl IntoView {
    view! {
        <button
            type="button"
            aria-pressed=move || (round.with(Round::guessed) == Some(side)).to_string()
            aria-disabled=move || (!ready.get() || round.with(Round::is_revealed)).to_string()
            on:click=move |_| {
                if ready.get_untracked() {
                    round.update(|round| round.guess(side))
                }
            }
        >
            {format!("{} is real", side.letter())}
        </button>
    }
}
