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
use studio_core::consent::Consent;
use wasm_bindgen::JsCast;
use web_sys::HtmlMediaElement;

use super::context::{use_takes, Opening, TakesContext};
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

crate::parts::later! { part room:
    /// The presenter view, in the room's part (with blind rounds and variations): fetched the first time one is used.
    pub fn view(opening: Opening) -> AnyView {
        untrack(|| view! { <Presenter opening /> }.into_any())
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

/// The finished takes, and the one shown.
#[derive(Clone, Copy)]
struct Showing {
    finished: Signal<Vec<RwSignal<Take>>>,
    shown: RwSignal<Option<RwSignal<Take>>>,
}

impl Showing {
    fn new(takes: Takes, opening: Opening) -> Showing {
        let finished = takes.finished();
        let shown = RwSignal::new(match opening {
            Opening::Take(take) => Some(take),
            Opening::Newest => finished.with_untracked(|finished| finished.last().copied()),
        });
        // Opened before any take had finished: the first to finish is shown.
        Effect::new(move |_| {
            if shown.with(Option::is_none) {
                if let Some(newest) = finished.with(|finished| finished.last().copied()) {
                    shown.set(Some(newest));
                }
            }
        });
        Showing { finished, shown }
    }

    /// "Take 3 · 2 of 5", or what to do when no take has finished yet.
    fn position(&self) -> String {
        let Showing { finished, shown } = *self;
        let at = shown.get().and_then(|shown| {
            finished
                .with(|finished| finished.iter().position(|take| *take == shown).map(|index| (index, finished.len())))
        });
        match at.zip(shown.get()) {
            Some(((index, count), take)) => {
                let name = take.with(|take| take.name.clone().unwrap_or_else(|| format!("Take {}", take.number)));
                format!("{name} · {} of {count}", index + 1)
            }
            None => "No finished take yet: press Generate first.".to_owned(),
        }
    }

    /// The finished take `by` places from the shown one, if there is one there.
    fn step(&self, by: isize) -> Option<RwSignal<Take>> {
        let shown = self.shown.get_untracked()?;
        self.finished.with_untracked(|finished| {
            let at = finished.iter().position(|take| *take == shown)?;
            finished.get(at.checked_add_signed(by)?).copied()
        })
    }
}

/// The shown take's sources, found again each time another take is shown; only the shown take's stay.
fn sources_of(shown: RwSignal<Option<RwSignal<Take>>>) -> RwSignal<Sources> {
    let context = use_takes();
    let (media_url, cached) = (context.media_url, context.cached());
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
    sources
}

/// The view's two players, and what its keys and buttons do with them.
#[derive(Clone, Copy)]
struct Voices {
    reference: NodeRef<Audio>,
    take: NodeRef<Audio>,
    /// R's "then the take", waiting for the reference to end: replaced by the next R, dropped by a pause or a step
    /// (these players stay while the takes change under them).
    then_take: BackToBack,
}

impl Voices {
    fn new() -> Voices {
        Voices { reference: NodeRef::new(), take: NodeRef::new(), then_take: BackToBack::new() }
    }

    fn players(&self) -> Option<(HtmlMediaElement, HtmlMediaElement)> {
        Some((self.reference.get_untracked()?.into(), self.take.get_untracked()?.into()))
    }

    fn pause(&self) {
        self.then_take.cancel();
        if let Some((reference, take)) = self.players() {
            let _ = reference.pause();
            let _ = take.pause();
        }
    }

    /// Space: plays the take, or pauses whichever plays.
    fn play_or_pause(&self) {
        if let Some((reference, take)) = self.players() {
            if reference.paused() && take.paused() {
                let _ = take.play();
            } else {
                self.pause();
            }
        }
    }

    /// B: A/B between the reference and the take.
    fn switch(&self) {
        if let Some((reference, take)) = self.players() {
            switch(&reference, &take);
        }
    }

    /// R: the reference, then the take.
    fn reference_then_take(&self) {
        if let Some((reference, take)) = self.players() {
            self.pause();
            self.then_take.play(&reference, &take);
        }
    }
}

/// What the presenter does: step between takes, play, and go blind ("Real or clone?"), by key or button.
#[derive(Clone, Copy)]
struct Deck {
    showing: Showing,
    voices: Voices,
    /// A blind round is open: the voices are not to be heard by name.
    blind: RwSignal<bool>,
    /// The shown take's sharing for review is open, its QR code large.
    sharing: RwSignal<bool>,
}

impl Deck {
    fn step(&self, by: isize) {
        if let Some(next) = self.showing.step(by) {
            self.voices.pause();
            self.blind.set(false);
            self.showing.shown.set(Some(next));
        }
    }

    fn toggle_blind(&self) {
        self.voices.pause();
        self.blind.update(|on| *on = !*on);
    }

    /// A key pressed in the view: whether it was one of the view's.
    fn key(&self, key: &str) -> bool {
        match key {
            "ArrowLeft" | "PageUp" => self.step(-1),
            "ArrowRight" | "PageDown" => self.step(1),
            _ if self.blind.get_untracked() => return false,
            " " => self.voices.play_or_pause(),
            "b" | "B" => self.voices.switch(),
            "r" | "R" => self.voices.reference_then_take(),
            _ => return false,
        }
        true
    }
}

/// Opens `dialog` as a modal (the page behind is out of reach), full screen where the browser allows; leaving
/// full screen (the browser's own Escape) closes it too. Returns what closes it.
fn open_modal(dialog: NodeRef<Dialog>) -> impl Fn() + Copy + 'static {
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            js::call(&dialog, "close");
        }
    };
    let entered_full_screen = StoredValue::new(false);
    dialog.on_load(move |dialog| {
        js::call(&dialog, "showModal");
        // The view itself takes the keys, not its first button (which Space would press).
        let _ = dialog.focus();
        full_screen();
    });
    let full_screen_watch = EventListener::new(&document(), "fullscreenchange", move |_| {
        if is_full_screen() {
            entered_full_screen.set_value(true);
        } else if entered_full_screen.get_value() {
            close();
        }
    });
    let _kept_while_shown = StoredValue::new_local(full_screen_watch);
    close
}

#[component]
fn Presenter(opening: Opening) -> impl IntoView {
    let TakesContext { takes, presenting, .. } = use_takes();
    let showing = Showing::new(takes, opening);
    let sources = sources_of(showing.shown);
    let deck = Deck { showing, voices: Voices::new(), blind: RwSignal::new(false), sharing: RwSignal::new(false) };
    let Deck { voices, blind, .. } = deck;
    let playing = RwSignal::new(false);
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        // The page's own keys (Space on the takes, P, Ctrl+Enter) stay out of the presenter view.
        event.stop_propagation();
        if !event.repeat() && !event.ctrl_key() && !event.meta_key() && deck.key(&event.key()) {
            event.prevent_default();
        }
    };
    // A button pressed with the mouse keeps the focus, and Space would press it again (on the key's release):
    // in this view Space plays or pauses, wherever the focus is.
    let on_key_up = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == " " && !blind.get_untracked() {
            event.prevent_default();
        }
    };
    let dialog = NodeRef::<Dialog>::new();
    let close = open_modal(dialog);
    let leave = move |_| {
        voices.pause();
        if is_full_screen() {
            js::call(&document(), "exitFullscreen");
        }
        presenting.set(None);
    };
    let shown = showing.shown;
    let voice = move |pick: fn(&Sources) -> Option<String>| Signal::derive(move || sources.with(pick));
    view! {
        <RoomStyle />
        <dialog class="presenter" node_ref=dialog tabindex="-1" aria-label="Presenter" on:keydown=on_key on:keyup=on_key_up on:close=leave>
            <header class="presenter-bar">
                <p class="presenter-position">{move || showing.position()}</p>
                <button type="button" on:click=move |_| close()>
                    "Leave (Esc)"
                </button>
            </header>
            <PresenterText shown />
            {move || sources.with(|sources| sources.notice).map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
            <div class="presenter-voices" hidden=move || blind.get() || deck.sharing.get()>
                <PresenterVoice label="Reference voice" source=voice(|sources| sources.reference.clone()) audio=voices.reference playing />
                <PresenterVoice label="Take" source=voice(|sources| sources.take.clone()) audio=voices.take playing />
            </div>
            <PresenterRound shown blind />
            <PresenterShare shown sharing=deck.sharing />
            <PresenterControls deck playing />
        </dialog>
    }
}

/// The shown take's text, large, with its marks: AI-generated, and its speaker's consent.
#[component]
fn PresenterText(shown: RwSignal<Option<RwSignal<Take>>>) -> impl IntoView {
    let text = move || shown.get().map(|take| take.with(|take| take.request.text_or_default().to_owned()));
    view! {
        <p class="presenter-text" class:long=move || text().is_some_and(|text| text.chars().count() > LONG_TEXT)>
            {text}
        </p>
        <p class="presenter-mark">"AI-generated speech: a clone of the reference voice."</p>
        {move || {
            let consent = shown.get().and_then(|take| take.try_with(|take| take.consent.as_ref().map(Consent::summary)));
            consent.flatten().map(|summary| view! { <p class="presenter-mark">{summary}</p> })
        }}
    }
}

/// A blind round over the shown take, while `blind`.
#[component]
fn PresenterRound(shown: RwSignal<Option<RwSignal<Take>>>, blind: RwSignal<bool>) -> impl IntoView {
    let attempt = RwSignal::new(0_u32);
    view! {
        <Show when=move || blind.get()>
            {part_view(attempt, move || {
                let take = shown.get_untracked();
                async move {
                    match take {
                        Some(take) => super::real_or_clone::round(take).await,
                        None => Ok(().into_any()),
                    }
                }
            })}
        </Show>
    }
}

/// The shown take shared for review, its QR code large for the room to scan, while `sharing`. Listeners need the
/// proxy: it keeps the review.
#[component]
fn PresenterShare(shown: RwSignal<Option<RwSignal<Take>>>, sharing: RwSignal<bool>) -> impl IntoView {
    let attempt = RwSignal::new(0_u32);
    let through_proxy = use_takes().actions.cache_audio;
    view! {
        <Show when=move || sharing.get() && through_proxy.get()>
            {move || shown.get().map(|take| part_view(attempt, move || crate::review::presenter_share(take)))}
        </Show>
    }
}

/// The view's buttons, each naming its key; `playing`: whether either voice plays.
#[component]
fn PresenterControls(deck: Deck, playing: RwSignal<bool>) -> impl IntoView {
    let Deck { voices, blind, sharing, .. } = deck;
    view! {
        <div class="presenter-controls" role="group" aria-label="Presenter controls">
            <button type="button" aria-keyshortcuts="ArrowLeft" on:click=move |_| deck.step(-1)>"← Previous take"</button>
            <button type="button" class="primary" aria-keyshortcuts="Space" disabled=move || blind.get() on:click=move |_| voices.play_or_pause()>
                {move || if playing.get() { "Pause" } else { "Play" }}
            </button>
            <button type="button" aria-keyshortcuts="B" disabled=move || blind.get() on:click=move |_| voices.switch()>"Switch voice (B)"</button>
            <button type="button" aria-keyshortcuts="R" disabled=move || blind.get() on:click=move |_| voices.reference_then_take()>"Reference, then take (R)"</button>
            <button type="button" aria-keyshortcuts="ArrowRight" on:click=move |_| deck.step(1)>"Next take →"</button>
            <button type="button" aria-pressed=move || blind.get().to_string() on:click=move |_| deck.toggle_blind()>
                "Real or clone?"
            </button>
            <button type="button" aria-pressed=move || sharing.get().to_string() on:click=move |_| sharing.update(|open| *open = !*open)>
                "Share with the room"
            </button>
        </div>
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
