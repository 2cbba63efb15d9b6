//! The takes: every take of the page, from Generate to its end and after. [`Takes`] is their one owner; each take is
//! its own signal, so one take's progress redraws only its card. Here too: keeping them on this device (so a reload
//! loses nothing that was paid for), their audio kept for offline playback with its eviction rule, sending one
//! request, a long script's parts or a set of variations, and their cards; and the takes shown to a room: the
//! presenter view and "Real or clone?" blind rounds.

mod cache;
mod card;
mod context;
mod controls;
mod dispatch;
mod kept;
mod keys;
mod list;
mod presenter;
mod real_or_clone;
mod script_card;
mod variation_card;

use leptos::prelude::*;
use zonos_api::GenerateRequest;

use studio_core::consent::Consent;
pub use studio_core::take::{Delivery, Part, Phase, Stage, Take, Variation};
use studio_core::variations;

use crate::player::Audible;

pub use dispatch::Dispatch;
pub use kept::{any_kept, restore, when_another_page_keeps};
pub use list::take_list;

/// What the person can do with a take.
#[derive(Debug, Clone, Copy)]
pub struct TakeActions {
    /// Send an uncertain submission again, deliberately.
    pub send_again: Callback<RwSignal<Take>>,
    pub check_again: Callback<RwSignal<Take>>,
    /// Result audio is same-origin (through the proxy), so it can be kept for offline playback.
    pub cache_audio: Signal<bool>,
    /// Where each take's player is noted, for the keys.
    pub audible: Audible,
}

/// Every take of the page, newest last.
#[derive(Debug, Clone, Copy)]
pub struct Takes {
    list: RwSignal<Vec<RwSignal<Take>>>,
    /// The first number free of the takes kept on this device: a take started before they are back is numbered
    /// after them, so that no two takes ever share a number.
    first_free: u32,
    /// What is known of the takes besides the list (see [`Aside`]).
    aside: RwSignal<Aside>,
    /// What owns each take's signal: the page's, not the component that happened to start the take (a panel
    /// that closes would take its takes with it).
    owner: StoredValue<Owner>,
}

/// What is known of the takes besides the list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aside {
    /// Kept entries that could not be read as takes (they stay as written).
    pub unreadable: Vec<String>,
    /// The ids of takes deleted here, so that another page's list doesn't bring them back.
    pub forgotten: Vec<String>,
    /// The takes this page sends or follows; the others' progress comes from the page that drives them. Not kept,
    /// and changed without notice: nothing is drawn from it.
    pub driven: Vec<String>,
}

impl Default for Takes {
    fn default() -> Self {
        Takes::new()
    }
}

impl Takes {
    /// No takes yet: those kept from earlier visits come with [`restore`].
    pub fn new() -> Takes {
        Takes {
            list: RwSignal::new(Vec::new()),
            first_free: kept::highest_number() + 1,
            aside: RwSignal::default(),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }

    /// A signal for `take`, owned by the takes.
    fn signal(&self, take: Take) -> RwSignal<Take> {
        self.owner.with_value(|owner| owner.with(|| RwSignal::new(take)))
    }

    /// Puts `kept` (from an earlier visit) before the takes started since the page opened.
    fn put_first(&self, kept: Vec<RwSignal<Take>>) {
        self.list.update(|list| {
            list.splice(0..0, kept);
        });
    }

    /// A new take for `request`, being sent, carrying the speaker's `consent`.
    pub fn start(&self, request: GenerateRequest, consent: Option<Consent>, now_ms: f64) -> RwSignal<Take> {
        let number = self
            .list
            .with_untracked(|list| list.iter().map(|take| take.with_untracked(|take| take.number) + 1).max())
            .unwrap_or(0)
            .max(self.first_free);
        // Unique across the pages of the origin, which share one list: the time, and a number drawn at random.
        let id = format!("{}-{}", now_ms as u64, (js_sys::Math::random() * f64::from(u32::MAX)) as u32);
        let take = self.signal(Take { consent, ..Take::new(id, number, request, now_ms) });
        self.list.update(|list| list.push(take));
        self.drive_here(take);
        take
    }

    /// This page sends or follows `take` from now on.
    pub fn drive_here(&self, take: RwSignal<Take>) {
        let id = take.with_untracked(|take| take.id.clone());
        self.aside.update_untracked(|aside| {
            if !aside.driven.contains(&id) {
                aside.driven.push(id);
            }
        });
    }

    /// Whether this page sends or follows the take `id`.
    pub(crate) fn is_driven_here(&self, id: &str) -> bool {
        self.aside.with_untracked(|aside| aside.driven.iter().any(|driven| driven == id))
    }

    /// Takes sent together, each waiting for its turn; `mark` notes each one's place in the group, given the
    /// group's number (its first take's) and the take's index.
    fn start_group(
        &self,
        requests: Vec<GenerateRequest>,
        consent: Option<Consent>,
        now_ms: f64,
        mark: impl Fn(&mut Take, u32, usize),
    ) -> Vec<RwSignal<Take>> {
        let mut group = None;
        requests
            .into_iter()
            .enumerate()
            .map(|(index, request)| {
                let take = self.start(request, consent.clone(), now_ms);
                let number = *group.get_or_insert(take.with_untracked(|take| take.number));
                take.update(|take| {
                    take.phase = Phase::Waiting;
                    mark(take, number, index);
                });
                take
            })
            .collect()
    }

    /// The parts of a long script, one take each, waiting for their turn.
    pub fn start_script(
        &self,
        requests: Vec<GenerateRequest>,
        consent: Option<Consent>,
        now_ms: f64,
    ) -> Vec<RwSignal<Take>> {
        let count = requests.len() as u32;
        self.start_group(requests, consent, now_ms, |take, script, index| {
            take.part = Some(Part { script, index: index as u32, count })
        })
    }

    /// A set of variations, one take each, waiting for their turn.
    pub fn start_variations(
        &self,
        variations: Vec<variations::Variation>,
        consent: Option<Consent>,
        now_ms: f64,
    ) -> Vec<RwSignal<Take>> {
        let (labels, requests): (Vec<String>, Vec<GenerateRequest>) =
            variations.into_iter().map(|variation| (variation.label, variation.request)).unzip();
        self.start_group(requests, consent, now_ms, |take, set, index| {
            take.variation = Some(Variation { set, label: labels[index].clone() })
        })
    }

    /// The number of each group `first` names (a script's, a set of variations'): `first` gives it for the
    /// group's first take only.
    fn groups(&self, first: fn(&Take) -> Option<u32>) -> Signal<Vec<u32>> {
        let list = self.list;
        Signal::derive(move || list.with(|list| list.iter().filter_map(|take| take.with(first)).collect()))
    }

    /// The takes of group `group`, in order; `of` gives a take's group.
    fn members(&self, group: u32, of: fn(&Take) -> Option<u32>) -> Signal<Vec<RwSignal<Take>>> {
        let list = self.list;
        Signal::derive(move || {
            list.with(|list| list.iter().copied().filter(|take| take.with(of) == Some(group)).collect())
        })
    }

    /// The number of every script: its first part's.
    pub fn scripts(&self) -> Signal<Vec<u32>> {
        self.groups(|take| take.part.filter(|part| part.index == 0).map(|part| part.script))
    }

    /// The parts of script `script`, in order.
    pub fn parts_of(&self, script: u32) -> Signal<Vec<RwSignal<Take>>> {
        self.members(script, |take| take.part.map(|part| part.script))
    }

    /// The number of every set of variations: its first take's.
    pub fn variation_sets(&self) -> Signal<Vec<u32>> {
        self.groups(|take| {
            take.variation.as_ref().filter(|variation| variation.set == take.number).map(|variation| variation.set)
        })
    }

    /// The takes of the set of variations `set`, in order.
    pub fn variations_of(&self, set: u32) -> Signal<Vec<RwSignal<Take>>> {
        self.members(set, |take| take.variation.as_ref().map(|variation| variation.set))
    }

    /// The takes that ended with audio, oldest first: what the presenter view shows.
    pub fn finished(&self) -> Signal<Vec<RwSignal<Take>>> {
        let list = self.list;
        Signal::derive(move || {
            list.with(|list| {
                list.iter()
                    .copied()
                    .filter(|take| {
                        take.with(|take| {
                            take.phase == Phase::Ended(zonos_api::JobStatus::Completed) && take.output.is_some()
                        })
                    })
                    .collect()
            })
        })
    }

    /// Forgets one take; returns the links to its audio.
    pub fn remove(&self, take: RwSignal<Take>) -> Vec<String> {
        self.list.update(|list| list.retain(|kept| *kept != take));
        self.forget(take.with_untracked(|take| take.id.clone()));
        take.with_untracked(Take::audio_links)
    }

    /// Notes that the take `id` was deleted here.
    fn forget(&self, id: String) {
        self.aside.update(|aside| aside.forgotten.push(id));
    }

    /// Forgets every take that is neither running nor starred; returns the links to their audio.
    pub fn clear(&self) -> Vec<String> {
        let mut forgotten = Vec::new();
        self.list.update(|list| {
            list.retain(|take| {
                take.with_untracked(|take| {
                    let kept = take.is_active() || take.starred;
                    if !kept {
                        forgotten.push((take.id.clone(), take.audio_links()));
                    }
                    kept
                })
            })
        });
        forgotten
            .into_iter()
            .flat_map(|(id, links)| {
                self.forget(id);
                links
            })
            .collect()
    }

    /// The takes whose audio may be removed from this device to make room for `keep`'s: those older than it, with
    /// audio, not starred, oldest first. Only older ones, so that a take whose audio went never pushes out another
    /// when a reload plays it again.
    pub fn removable_audio(&self, keep: RwSignal<Take>) -> Vec<RwSignal<Take>> {
        self.list.with_untracked(|list| {
            list.iter()
                .copied()
                .take_while(|take| *take != keep)
                .filter(|take| take.with_untracked(|take| !take.starred && take.output.is_some()))
                .collect()
        })
    }

    pub fn list(&self) -> Signal<Vec<RwSignal<Take>>> {
        self.list.into()
    }

    /// How many kept entries could not be read as takes (they stay on the device, as written).
    pub fn unreadable(&self) -> Signal<usize> {
        let aside = self.aside;
        Signal::derive(move || aside.with(|aside| aside.unreadable.len()))
    }

    /// Whether a submission of this page is on its way: Generate waits for it, so one press is one submission.
    pub fn sending(&self) -> Signal<bool> {
        let takes = *self;
        Signal::derive(move || {
            takes.list.with(|list| {
                list.iter().any(|take| take.with(|take| take.phase == Phase::Sending && takes.is_driven_here(&take.id)))
            })
        })
    }
}
