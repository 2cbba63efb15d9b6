//! What every view of the takes shares (the list, its cards, the presenter view, blind rounds): provided once at
//! the list's root as a context, so that each component takes only what it shows.

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::blind::Score;

use super::{cache, Take, TakeActions, Takes};
use crate::form::Draft;

/// Which take the presenter view opens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// The newest finished take: the one just made (Present, P).
    Newest,
    /// A take chosen on its card ("Present this take").
    Take(RwSignal<Take>),
}

/// The takes and what their views share: provided by the list (see [`TakesContext::provide`]), read with [`use_takes`].
#[derive(Clone, Copy)]
pub struct TakesContext {
    pub takes: Takes,
    pub actions: TakeActions,
    /// Where a take's audio is fetched from (through the proxy, or the gateway's own link).
    pub media_url: Callback<String, String>,
    /// The form, which a variation's settings may be put back in.
    pub draft: RwSignal<Draft>,
    /// The session's score at "Real or clone?", over every round, on the cards and in the presenter view.
    pub score: RwSignal<Score>,
    /// The presenter view, while it is open, and the take it opened on.
    pub presenting: RwSignal<Option<Opening>>,
    /// The clock running takes' timelines read.
    pub now: Signal<f64>,
}

/// The context of the takes' views (see [`TakesContext`]).
pub fn use_takes() -> TakesContext {
    expect_context()
}

impl TakesContext {
    /// Makes this the context of every view below the current owner.
    pub fn provide(self) {
        provide_context(self);
    }

    /// Whether takes' audio comes through the proxy (same-origin), so it is kept on this device.
    pub fn cached(&self) -> bool {
        self.actions.cache_audio.get_untracked()
    }

    /// Forgets one take, and its audio on this device.
    pub fn delete(&self, take: RwSignal<Take>) {
        self.forget_audio(self.takes.remove(take));
    }

    /// Forgets every finished take that is not starred, and their audio on this device.
    pub fn clear(&self) {
        self.forget_audio(self.takes.clear());
    }

    fn forget_audio(&self, links: Vec<String>) {
        if self.cached() {
            let media_url = self.media_url;
            spawn_local(cache::forget(links.into_iter().map(|link| media_url.run(link)).collect()));
        }
    }
}
