//! The players on the page that keys and buttons act on: the reference voice's, and each take's under its id. They
//! are found here by what they are, not by where a selector happens to find them in the document. (Handed down as
//! a prop, not a context: a context costs the first load more than the page can spare.)

use leptos::html::Audio;
use leptos::prelude::*;
use web_sys::HtmlMediaElement;

#[derive(Debug, Clone, Copy)]
pub struct Audible {
    reference: NodeRef<Audio>,
    takes: StoredValue<Vec<(String, NodeRef<Audio>)>>,
}

impl Default for Audible {
    fn default() -> Self {
        Audible { reference: NodeRef::new(), takes: StoredValue::new(Vec::new()) }
    }
}

impl Audible {
    /// Where the reference voice's player is put.
    pub fn reference_player(&self) -> NodeRef<Audio> {
        self.reference
    }

    /// The reference voice's player, while it is on the page.
    pub fn reference(&self) -> Option<HtmlMediaElement> {
        self.reference.get_untracked().map(Into::into)
    }

    /// The player of the take `id`, while it is on the page.
    pub fn take(&self, id: &str) -> Option<HtmlMediaElement> {
        let player =
            self.takes.with_value(|takes| takes.iter().find(|(take, _)| take == id).map(|(_, player)| *player));
        player.and_then(|player| player.get_untracked()).map(Into::into)
    }

    /// Notes where the player of the take `id` is put, until the returned function is called (as the player goes).
    pub fn add_take(&self, id: String, player: NodeRef<Audio>) -> impl FnOnce() + Clone + Send + Sync + 'static {
        let takes = self.takes;
        takes.update_value(|takes| takes.push((id.clone(), player)));
        move || takes.update_value(|takes| takes.retain(|(take, _)| *take != id))
    }
}
