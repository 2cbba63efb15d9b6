//! The takes as the person sees them: scripts and sets of variations first, then one card per take, newest first;
//! Present (or P) opens the presenter view over them.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::card::TakeCard;
use super::context::{use_takes, Opening, TakesContext};
use super::script_card::ScriptCard;
use super::variation_card::VariationCard;
use super::{Dispatch, TakeActions, Takes};
use crate::form::Draft;
use crate::gateway::connection::Connection;
use crate::parts::part_view;
use crate::platform::time::now_ms;
use crate::player::Audible;
use studio_core::blind::Score;

/// How often running takes' clocks are redrawn.
const TICK_MS: u64 = 250;

crate::parts::later! { part takes:
    /// The takes, in the takes' part: fetched as the page starts (see `startup`), not with the first screen; so is
    /// what can be done with them. `draft`: the form, which a variation's settings may be put back in.
    pub fn take_list(dispatch: Dispatch, audible: Audible, draft: RwSignal<Draft>) -> AnyView {
        untrack(|| {
            let connection = dispatch.connection;
            let actions = TakeActions {
                send_again: Callback::new(move |take| dispatch.send_again(take)),
                check_again: Callback::new(move |take| dispatch.check_again(take)),
                cache_audio: Signal::derive(move || matches!(connection.get(), Some(Connection::Proxy(_)))),
                audible,
            };
            // The clock that running takes' timelines read, redrawn while the takes are on screen.
            let clock = RwSignal::new(now_ms());
            if let Ok(ticking) = set_interval_with_handle(move || clock.set(now_ms()), Duration::from_millis(TICK_MS)) {
                on_cleanup(move || ticking.clear());
            }
            TakesContext {
                takes: dispatch.takes,
                actions,
                media_url: Callback::new(move |url: String| dispatch.media_url(url)),
                draft,
                score: RwSignal::new(Score::default()),
                presenting: RwSignal::new(None),
                now: clock.into(),
            }
            .provide();
            view! { <TakeList /> }.into_any()
        })
    }
}

/// One card per take, newest first; long scripts and sets of variations first, with their parts joined or side
/// by side. Present (or the key P) opens the presenter view over them.
#[component]
fn TakeList() -> impl IntoView {
    let context = use_takes();
    let TakesContext { takes, actions, presenting, .. } = context;
    let newest_first = move || takes.list().get().into_iter().rev().collect::<Vec<_>>();
    let clear = move |_| {
        let sure = window().confirm_with_message(
            "Clear every finished take that is not starred from this device? This cannot be undone.",
        );
        if sure.unwrap_or(false) {
            context.clear();
        }
    };
    super::keys::install(takes, actions.audible, presenting);
    // With takes on screen, the room's part (the presenter view, blind rounds) is fetched once the page is idle: a
    // demo rehearsed with the network still works once it has gone.
    request_idle_callback(|| {
        spawn_local(async {
            let _ = super::presenter::preload_room().await;
        })
    });
    let present_attempt = RwSignal::new(0_u32);
    view! {
        <section class="jobs" aria-label="Takes">
            <div class="jobs-bar">
                <h2>"Takes"</h2>
                <button type="button" aria-keyshortcuts="P" on:click=move |_| presenting.set(Some(Opening::Newest))>"Present"</button>
                <button type="button" on:click=clear>"Clear takes"</button>
            </div>
            <Show when=move || presenting.with(Option::is_some)>
                {part_view(present_attempt, move || {
                    super::presenter::view(presenting.get_untracked().unwrap_or(Opening::Newest))
                })}
            </Show>
            <UnreadableNotice takes />
            <For each=move || takes.scripts().get().into_iter().rev() key=|script| *script let:script>
                <ScriptCard script parts=takes.parts_of(script) />
            </For>
            <For each=move || takes.variation_sets().get().into_iter().rev() key=|set| *set let:set>
                <VariationCard set takes=takes.variations_of(set) />
            </For>
            <For each=newest_first key=|take| *take let:take>
                <TakeCard take />
            </For>
        </section>
    }
}

/// Says how many kept takes this version of the page could not read, if any.
#[component]
fn UnreadableNotice(takes: Takes) -> impl IntoView {
    move || {
        let unreadable = takes.unreadable().get();
        (unreadable > 0).then(|| {
            view! {
                <p class="notice" role="status">
                    {format!(
                        "{unreadable} kept {} could not be read by this version of the page: {} kept on this \
                         device as {}, and a later version may read {}.",
                        if unreadable == 1 { "take" } else { "takes" },
                        if unreadable == 1 { "it is" } else { "they are" },
                        if unreadable == 1 { "it was" } else { "they were" },
                        if unreadable == 1 { "it" } else { "them" },
                    )}
                </p>
            }
        })
    }
}
