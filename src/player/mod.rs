//! Playing and drawing audio: a player with its download and its waveform, A/B against the reference voice, and
//! the players the keys act on. It knows audio, not takes: what to play and what to call it is given.

pub mod audible;
pub mod waveform;

pub use audible::Audible;

use gloo_events::EventListener;
use leptos::prelude::*;
use web_sys::HtmlMediaElement;

/// A/B: plays whichever of the two is not playing, from the same point of its length, and pauses the other.
/// With neither playing, the reference starts.
pub fn switch(reference: &web_sys::HtmlMediaElement, take: &web_sys::HtmlMediaElement) {
    let (from, to) = if reference.paused() { (take, reference) } else { (reference, take) };
    let fraction = if from.paused() { 0.0 } else { from.current_time() / from.duration() };
    let _ = from.pause();
    let length = to.duration();
    if fraction.is_finite() && length.is_finite() {
        to.set_current_time(fraction * length);
    }
    let _ = to.play();
}

/// How much of `audio` was played, from 0 to 1 (0 while its length is unknown).
pub fn played_fraction(audio: &web_sys::HtmlMediaElement) -> f64 {
    let length = audio.duration();
    if length.is_finite() && length > 0.0 {
        audio.current_time() / length
    } else {
        0.0
    }
}

/// Moves `audio` to `fraction` (0 to 1) of its length, once that is known.
pub fn seek(audio: &web_sys::HtmlMediaElement, fraction: f64) {
    let length = audio.duration();
    if length.is_finite() {
        audio.set_current_time(fraction * length);
    }
}

/// "Play this, then that": the first from its start, and the second from its start once the first has ended. One
/// listener at a time, which goes once it has played the second, when the next `play` replaces it, on `cancel`,
/// or with the owner of this (the component that made it).
#[derive(Clone, Copy)]
pub struct BackToBack(StoredValue<Option<EventListener>, LocalStorage>);

impl BackToBack {
    pub fn new() -> BackToBack {
        BackToBack(StoredValue::new_local(None))
    }

    pub fn play(&self, first: &HtmlMediaElement, then: &HtmlMediaElement) {
        let then = then.clone();
        let waiting = self.0;
        self.0.set_value(Some(EventListener::once(first, "ended", move |_| {
            then.set_current_time(0.0);
            let _ = then.play();
            waiting.set_value(None);
        })));
        first.set_current_time(0.0);
        let _ = first.play();
    }

    /// The second is not played after all.
    pub fn cancel(&self) {
        self.0.set_value(None);
    }
}

impl Default for BackToBack {
    fn default() -> Self {
        BackToBack::new()
    }
}

/// What a player plays: its source, its name (the audio's label), the id the keys know it by (noted in
/// `Audible`), whether it may be drawn (audio this page may read), and whether it plays as soon as it can (a take
/// of a set, arriving with others, waits to be asked).
pub struct Track {
    pub source: Signal<Option<String>>,
    pub label: String,
    pub id: Option<String>,
    pub drawable: bool,
    pub autoplay: bool,
}

/// One audio: its player, what `children` put beside it (its download), "Reference, then this take", and its
/// waveform when it may be drawn. `on_duration` learns its length once known; `on_unplayable`, that it could not
/// be played.
#[component]
pub fn Player(
    track: Track,
    audible: Audible,
    on_duration: Callback<f64>,
    on_unplayable: Callback<()>,
    children: Children,
) -> impl IntoView {
    let Track { source, label, id, drawable, autoplay } = track;
    let audio = NodeRef::<leptos::html::Audio>::new();
    let back_to_back = BackToBack::new();
    if let Some(id) = id {
        on_cleanup(audible.add_take(id, audio));
    }
    let played = RwSignal::new(0.0);
    let on_time = move |event: leptos::ev::Event| played.set(played_fraction(&event_target(&event)));
    let seek_to = Callback::new(move |fraction: f64| {
        if let Some(audio) = audio.get() {
            seek(&audio, fraction);
        }
    });
    let drawn = Signal::derive(move || source.get().filter(|_| drawable));
    let wave_label = format!("Waveform of {label}");
    let on_metadata = move |event: leptos::ev::Event| {
        let seconds = event_target::<web_sys::HtmlMediaElement>(&event).duration();
        if seconds.is_finite() {
            on_duration.run(seconds);
        }
    };
    view! {
        <div class="player">
            <audio
                class="take"
                node_ref=audio
                on:timeupdate=on_time
                controls
                autoplay=autoplay
                preload="auto"
                src=move || source.get()
                aria-label=label
                on:loadedmetadata=on_metadata
                on:error=move |_| on_unplayable.run(())
            ></audio>
            {children()}
            <button type="button" on:click=move |_| {
                if let (Some(reference), Some(audio)) = (audible.reference(), audio.get()) {
                    back_to_back.play(&reference, &audio);
                }
            }>"Reference, then this take"</button>
            <waveform::Waveform source=drawn played=played.into() on_seek=seek_to label=wave_label />
        </div>
    }
}

/// A file made when it is first wanted: the file once made, and what starts making it.
#[derive(Clone, Copy)]
pub struct MadeOnDemand {
    pub file: Signal<Option<String>>,
    pub prepare: Callback<()>,
}

/// A download of `source` under `name`; or, with `on_demand`, of a file made when first wanted: it is prepared as
/// the link is approached or pressed, and a press waits for the file.
#[component]
pub fn DownloadLink(source: Signal<Option<String>>, name: String, on_demand: Option<MadeOnDemand>) -> impl IntoView {
    let link = NodeRef::<leptos::html::A>::new();
    // A press that waits for the file to be made is carried out once it is.
    let pressed = RwSignal::new(false);
    if let Some(MadeOnDemand { file, .. }) = on_demand {
        Effect::new(move |_| {
            if file.with(Option::is_some) && pressed.get_untracked() {
                pressed.set(false);
                if let Some(link) = link.get_untracked() {
                    link.click();
                }
            }
        });
    }
    let approach = move || {
        if let Some(MadeOnDemand { prepare, .. }) = on_demand {
            prepare.run(());
        }
    };
    let press = move |event: leptos::ev::MouseEvent| {
        if let Some(MadeOnDemand { file, prepare }) = on_demand {
            if file.with_untracked(Option::is_none) {
                event.prevent_default();
                pressed.set(true);
                prepare.run(());
            }
        }
    };
    let href = move || match on_demand {
        // Until the file is made, the link points at what plays (a link needs an address to be one).
        Some(MadeOnDemand { file, .. }) => file.get().or_else(|| source.get()),
        None => source.get(),
    };
    view! {
        <a
            class="download"
            node_ref=link
            href=href
            download=name
            on:click=press
            on:pointerenter=move |_| approach()
            on:focus=move |_| approach()
        >
            "Download"
        </a>
    }
}
