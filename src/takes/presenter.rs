//! The presenter view: a take at a time for a projector, dark and large. The take's text, the reference and the
//! take as two waveforms, big controls, and keys for a presenter's remote: Space plays or pauses, B switches between
//! the reference and the take, R plays the reference then the take, ←/→ move between takes, Escape leaves. It plays
//! from the audio kept on this device, so that a rehearsed demo works with the network gone, and says so where a
//! take's audio is not there.

use gloo_events::EventListener;
use js_sys::Promise;
use leptos::html::{Audio, Dialog};
use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::blind::Score;
use studio_core::consent::Consent;
use wasm_bindgen::JsCast;
use web_sys::HtmlMediaElement;

use super::{cache, Take, Takes};
use crate::parts::{part_view, RoomStyle};
use crate::platform::{audio, js};
use crate::player::waveform::{Palette, Waveform};
use crate::player::{played_fraction, seek, switch, BackToBack};

/// What the shown take plays, once found, and what to say of it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Sources {
    take: Option<String>,
    reference: Option<String>,
    /// Why the take may not play: its audio is not on this device.
    notice: Option<&'static str>,
}

/// Whether `url` is this page's own origin's (so its audio can be kept on this device): relative, or of its origin.
fn same_origin(url: &str) -> bool {
    match crate::gateway::origin(url) {
        Some(origin) => window().location().origin().is_ok_and(|own| own == origin),
        None => !url.contains(':'),
    }
}

/// A take's audio and its reference's, from this device where kept (else kept now, if the network allows).
/// `cached`: the take's audio comes through the proxy, so it can be kept.
async fn find_sources(take: RwSignal<Take>, media_url: Callback<String, String>, cached: bool) -> Sources {
    let (audio, reference) = take.with_untracked(|take| {
        (
            take.output.as_ref().and_then(|output| output.media_url.first().cloned()),
            take.request.reference_audio_url.clone(),
        )
    });
    let audio = audio.map(|url| media_url.run(url));
    let reference = if cached && same_origin(&reference) {
        cache::local_url(&reference, &[]).await.url.or(Some(reference))
    } else {
        Some(reference)
    };
    match audio {
        Some(audio) if cached => match cache::local_url(&audio, &[]).await.url {
            Some(local) => Sources { take: Some(local), reference, notice: None },
            None => Sources {
                take: None,
                reference,
                notice: Some("This take's audio is not on this device, and the network can't reach it: it can't play now."),
            },
        },
        audio => Sources {
            take: audio,
            reference,
            notice: Some("This take's audio is not kept on this device (direct mode): it plays from the gateway while the network is up."),
        },
    }
}

fn release(sources: &Sources) {
    [&sources.take, &sources.reference].into_iter().flatten().for_each(|url| audio::release(url));
}

/// A take's text longer than this (in characters) is set smaller.
const LONG_TEXT: usize = 120;

/// Which take the presenter view opens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// The newest finished take: the one just made (Present, P).
    Newest,
    /// A take chosen on its card ("Present this take").
    Take(RwSignal<Take>),
}

/// What the presenter view needs of the page: the takes, where their audio is fetched and whether it is kept on
/// this device, the session's score at "Real or clone?", and what to do as it is left.
#[derive(Clone, Copy)]
pub struct Stage {
    pub takes: Takes,
    pub media_url: Callback<String, String>,
    pub cached: bool,
    pub score: RwSignal<Score>,
    pub on_leave: Callback<()>,
}

crate::parts::later! { part room:
    /// The presenter view, in the room's part (with blind rounds and variations): fetched the first time one is used.
    pub fn view(stage: Stage, opening: Opening) -> AnyView {
        untrack(|| view! { <Presenter stage opening /> }.into_any())
    }
    preload preload_room
}

/// Asks the browser to show the page full screen, where it allows it (a refusal only means it doesn't). The page,
/// not the view: a dialog is never shown full screen itself, and the modal view stands above the page anyway.
fn full_screen() {
    if !js::property(&document(), "fullscreenEnabled").is_truthy() {
        return;
    }
    let page = js::property(&document(), "documentElement");
    if let Some(asked) = js::call(&page, "requestFullscreen").and_then(|answer| answer.dyn_into::<Promise>().ok()) {
        spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(asked).await;
        });
    }
}

/// Whether the page shows something full screen.
fn is_full_screen() -> bool {
    js::property(&document(), "fullscreenElement").is_object()
}

#[component]
fn Presenter(stage: Stage, opening: Opening) -> impl IntoView {
    let Stage { takes, media_url, cached, score, on_leave } = stage;
    let finished = takes.finished();
    let shown = RwSignal::new(match opening {
        Opening::Take(take) => Some(take),
        Opening::Newest => finished.with_untracked(|finished| finished.last().copied()),
    });
    let position = move || {
        let shown = shown.get()?;
        finished.with(|finished| finished.iter().position(|take| *take == shown).map(|index| (index, finished.len())))
    };
    // Opened before any take had finished: the first to finish is shown.
    Effect::new(move |_| {
        if shown.with(Option::is_none) {
            if let Some(newest) = finished.with(|finished| finished.last().copied()) {
                shown.set(Some(newest));
            }
        }
    });
    let sources = RwSignal::new(Sources::default());
    Effect::new(move |_| {
        let Some(take) = shown.get() else { return };
        spawn_local(async move {
            let found = find_sources(take, media_url, cached).await;
            // Another take may have been chosen meanwhile, or the view left: only the shown take's audio stays.
            match shown.try_get_untracked() {
                Some(now) if now == Some(take) => {
                    if let Some(previous) = sources.try_get_untracked() {
                        release(&previous);
                    }
                    if let Some(unused) = sources.try_set(found) {
                        release(&unused);
                    }
                }
                _ => release(&found),
            }
        });
    });
    on_cleanup(move || release(&sources.get_untracked()));

    let dialog = NodeRef::<Dialog>::new();
    let reference = NodeRef::<Audio>::new();
    let take = NodeRef::<Audio>::new();
    let playing = RwSignal::new(false);
    let blind = RwSignal::new(false);
    let players = move || -> Option<(HtmlMediaElement, HtmlMediaElement)> {
        Some((reference.get_untracked()?.into(), take.get_untracked()?.into()))
    };
    // R's "then the take", waiting for the reference to end: replaced by the next R, dropped by a pause or a step
    // (these players stay while the takes change under them).
    let then_take = BackToBack::new();
    let pause_both = move || {
        then_take.cancel();
        if let Some((reference, take)) = players() {
            let _ = reference.pause();
            let _ = take.pause();
        }
    };
    let play_or_pause = move || {
        if let Some((reference, take)) = players() {
            if reference.paused() && take.paused() {
                let _ = take.play();
            } else {
                pause_both();
            }
        }
    };
    let switch_voices = move || {
        if let Some((reference, take)) = players() {
            switch(&reference, &take);
        }
    };
    let reference_then_take = move || {
        if let Some((reference, take)) = players() {
            pause_both();
            then_take.play(&reference, &take);
        }
    };
    let step = move |by: isize| {
        let next = finished.with_untracked(|finished| {
            let at = shown.get_untracked().and_then(|shown| finished.iter().position(|take| *take == shown))?;
            let next = at.checked_add_signed(by).filter(|next| *next < finished.len())?;
            Some(finished[next])
        });
        if let Some(next) = next {
            pause_both();
            blind.set(false);
            shown.set(Some(next));
        }
    };
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        // The page's own keys (Space on the takes, P, Ctrl+Enter) stay out of the presenter view.
        event.stop_propagation();
        if event.repeat() || event.ctrl_key() || event.meta_key() {
            return;
        }
        let key = event.key();
        match key.as_str() {
            "ArrowLeft" | "PageUp" => step(-1),
            "ArrowRight" | "PageDown" => step(1),
            // The voices are not to be heard by name during a blind round.
            _ if blind.get_untracked() => return,
            " " => play_or_pause(),
            "b" | "B" => switch_voices(),
            "r" | "R" => reference_then_take(),
            _ => return,
        }
        event.prevent_default();
    };
    // Open as a modal dialog (the page behind is out of reach), full screen where the browser allows; leaving full
    // screen (the browser's own Escape) leaves the view too.
    let entered_full_screen = StoredValue::new(false);
    dialog.on_load(move |dialog| {
        js::call(&dialog, "showModal");
        // The view itself takes the keys, not its first button (which Space would press).
        let _ = dialog.focus();
        full_screen();
    });
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            js::call(&dialog, "close");
        }
    };
    // A button pressed with the mouse keeps the focus, and Space would press it again (on the key's release):
    // in this view Space plays or pauses, wherever the focus is.
    let on_key_up = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == " " && !blind.get_untracked() {
            event.prevent_default();
        }
    };
    let full_screen_watch = EventListener::new(&document(), "fullscreenchange", move |_| {
        if is_full_screen() {
            entered_full_screen.set_value(true);
        } else if entered_full_screen.get_value() {
            close();
        }
    });
    let _kept_while_shown = StoredValue::new_local(full_screen_watch);
    let leave = move |_| {
        pause_both();
        if is_full_screen() {
            js::call(&document(), "exitFullscreen");
        }
        on_leave.run(());
    };
    let text = move || shown.get().map(|take| take.with(|take| take.request.text_or_default().to_owned()));
    let take_name = move || {
        shown.get().map(|take| take.with(|take| take.name.clone().unwrap_or_else(|| format!("Take {}", take.number))))
    };
    let blind_attempt = RwSignal::new(0_u32);
    view! {
        <RoomStyle />
        <dialog
            class="presenter"
            node_ref=dialog
            tabindex="-1"
            aria-label="Presenter"
            on:keydown=on_key
            on:keyup=on_key_up
            on:close=leave
        >
            <header class="presenter-bar">
                <p class="presenter-position">
                    {move || match position() {
                        Some((index, count)) => format!("{} · {} of {count}", take_name().unwrap_or_default(), index + 1),
                        None => "No finished take yet: press Generate first.".to_owned(),
                    }}
                </p>
                <button type="button" on:click=move |_| close()>
                    "Leave (Esc)"
                </button>
            </header>
            <p class="presenter-text" class:long=move || text().is_some_and(|text| text.chars().count() > LONG_TEXT)>
                {text}
            </p>
            <p class="presenter-mark">"AI-generated speech: a clone of the reference voice."</p>
            {move || {
                let consent = shown.get().and_then(|take| take.try_with(|take| take.consent.as_ref().map(Consent::summary)));
                consent.flatten().map(|summary| view! { <p class="presenter-mark">{summary}</p> })
            }}
            {move || sources.with(|sources| sources.notice).map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
            <div class="presenter-voices" hidden=move || blind.get()>
                <PresenterVoice label="Reference voice" source=Signal::derive(move || sources.with(|sources| sources.reference.clone())) audio=reference playing />
                <PresenterVoice label="Take" source=Signal::derive(move || sources.with(|sources| sources.take.clone())) audio=take playing />
            </div>
            <Show when=move || blind.get()>
                {part_view(blind_attempt, move || {
                    let take = shown.get_untracked();
                    async move {
                        match take {
                            Some(take) => super::real_or_clone::round(take, media_url, score).await,
                            None => Ok(().into_any()),
                        }
                    }
                })}
            </Show>
            <div class="presenter-controls" role="group" aria-label="Presenter controls">
                <button type="button" aria-keyshortcuts="ArrowLeft" on:click=move |_| step(-1)>"← Previous take"</button>
                <button type="button" class="primary" aria-keyshortcuts="Space" disabled=move || blind.get() on:click=move |_| play_or_pause()>
                    {move || if playing.get() { "Pause" } else { "Play" }}
                </button>
                <button type="button" aria-keyshortcuts="B" disabled=move || blind.get() on:click=move |_| switch_voices()>"Switch voice (B)"</button>
                <button type="button" aria-keyshortcuts="R" disabled=move || blind.get() on:click=move |_| reference_then_take()>"Reference, then take (R)"</button>
                <button type="button" aria-keyshortcuts="ArrowRight" on:click=move |_| step(1)>"Next take →"</button>
                <button type="button" aria-pressed=move || blind.get().to_string() on:click=move |_| { pause_both(); blind.update(|on| *on = !*on) }>
                    "Real or clone?"
                </button>
            </div>
        </dialog>
    }
}

/// One of the two voices: its name, its waveform (the part played marked) and its player.
#[component]
fn PresenterVoice(
    label: &'static str,
    source: Signal<Option<String>>,
    audio: NodeRef<Audio>,
    playing: RwSignal<bool>,
) -> impl IntoView {
    let played = RwSignal::new(0.0);
    let on_time = move |event: leptos::ev::Event| played.set(played_fraction(&event_target(&event)));
    let seek_to = Callback::new(move |fraction: f64| {
        if let Some(audio) = audio.get_untracked() {
            seek(&audio, fraction);
        }
    });
    let drawn = Signal::derive(move || source.get().filter(|url| url.starts_with("blob:")));
    // Whether either voice plays, for the Play button's name.
    let is_playing = move |_| {
        let reference_or_take = audio.get_untracked().is_some_and(|audio| !audio.paused());
        playing.set(reference_or_take);
    };
    view! {
        <figure class="presenter-voice">
            <figcaption>{label}</figcaption>
            <Waveform
                source=drawn
                played=played.into()
                on_seek=seek_to
                label=format!("Waveform of the {}", label.to_lowercase())
                palette=Palette::Dark
            />
            <audio
                node_ref=audio
                controls
                preload="auto"
                src=move || source.get()
                aria-label=label
                on:timeupdate=on_time
                on:play=is_playing
                on:pause=is_playing
            ></audio>
        </figure>
    }
}
