//! Reviews in the store (see docs/usage.md): what a review's listeners are served (its record, JSON
//! the store does not read, and its audio files), under its token until it expires or is closed, within bounds
//! (oldest made first out to make room); and its listeners' answers, one per listener and take, kept until it
//! expires, after a close too (the presenter may still export them).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use tokio::sync::broadcast;

use super::{Backend, Channels, Store, StoreError};

/// How much reviews may keep of audio: a review, and all of them; and how many there may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewBounds {
    pub bytes_a_review: u64,
    pub bytes_in_all: u64,
    pub most_reviews: u64,
}

/// The bounds: 20 MB a review, 500 MB in all; a thousand reviews.
pub const REVIEW_BOUNDS: ReviewBounds =
    ReviewBounds { bytes_a_review: 20 * 1024 * 1024, bytes_in_all: 500 * 1024 * 1024, most_reviews: 1000 };
/// The most listeners a review counts.
pub const MOST_LISTENERS: u32 = 1000;

/// A review to keep (see [`Store::put_review`]).
#[derive(Debug, Clone)]
pub struct NewReview {
    pub token: String,
    /// The hash of the key its maker reads the answers and closes it with.
    pub owner_hash: String,
    pub record: String,
    /// Its audio, by file name ([`is_review_file`]).
    pub files: Vec<(String, Bytes)>,
    pub lifetime: Duration,
}

impl NewReview {
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|(_, bytes)| bytes.len() as u64).sum()
    }
}

/// A kept review, as the store gives it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptReview {
    pub record: String,
    pub owner_hash: String,
    /// Closed by its maker: its audio is gone, its answers stay until it expires.
    pub closed: bool,
}

/// A listener's answer (JSON) of a review's take (by its place), to keep (see [`Store::answer`]).
#[derive(Debug, Clone, Copy)]
pub struct GivenAnswer<'a> {
    pub token: &'a str,
    pub listener: &'a str,
    pub item: u32,
    pub answer: &'a str,
    /// The most listeners the review may count.
    pub most_listeners: u32,
}

/// What became of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    Kept,
    /// The review is closed, expired, or was never made.
    Ended,
    /// The review has all the listeners it may count, and this is a new one.
    Full,
}

/// A review's audio file's name: a take's place, and `-a`/`-b` for a blind round's sides (`0.wav`, `3-b.wav`).
/// Nothing else becomes a path or a key.
pub fn is_review_file(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".wav") else { return false };
    let place = stem.strip_suffix("-a").or_else(|| stem.strip_suffix("-b")).unwrap_or(stem);
    (1..=2).contains(&place.len()) && place.bytes().all(|byte| byte.is_ascii_digit())
}

/// A review's token: 32 lowercase hexadecimal digits (a v4 UUID's).
pub fn is_review_token(token: &str) -> bool {
    studio_core::review::is_listener_id(token)
}

impl Channels {
    /// Tells this replica's tally streams that the review under `token` changed.
    pub(super) fn review_changed(&self, token: &str) {
        let _ = self.reviews.send(Arc::from(token));
    }
}

impl Store {
    /// The tokens of reviews as they change from now on, anywhere: an answer kept, a close, an end to make room.
    pub fn review_changes(&self) -> broadcast::Receiver<Arc<str>> {
        self.channels.reviews.subscribe()
    }

    /// Tells every replica's tally streams that the review under `token` changed.
    async fn review_changed(&self, token: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(_) => {
                self.channels.review_changed(token);
                Ok(())
            }
            // Every replica hears it from Redis, this one too.
            Backend::Redis(store) => store.publish_review_change(token).await,
        }
    }

    /// Keeps `review` within `bounds`: past them, the oldest reviews made are ended to make room (their tokens are
    /// returned). A review larger than a review's bound, or with a file of another name, is refused (`Full`).
    pub async fn put_review(&self, review: &NewReview, bounds: ReviewBounds) -> Result<Vec<String>, StoreError> {
        let named = is_review_token(&review.token) && review.files.iter().all(|(name, _)| is_review_file(name));
        if !named || review.bytes() > bounds.bytes_a_review.min(bounds.bytes_in_all) {
            return Err(StoreError::Full);
        }
        let ended = match &self.backend {
            Backend::Embedded(store) => store.put_review(review, bounds).await?,
            Backend::Redis(store) => store.put_review(review, bounds).await?,
        };
        for token in &ended {
            self.review_changed(token).await?;
        }
        Ok(ended)
    }

    /// The review under `token`, unless it expired (or never was).
    pub async fn review(&self, token: &str) -> Result<Option<KeptReview>, StoreError> {
        if !is_review_token(token) {
            return Ok(None);
        }
        match &self.backend {
            Backend::Embedded(store) => store.review(token).await,
            Backend::Redis(store) => store.review(token).await,
        }
    }

    /// The audio file `name` of the review under `token`, while it is open.
    pub async fn review_file(&self, token: &str, name: &str) -> Result<Option<Bytes>, StoreError> {
        if !is_review_token(token) || !is_review_file(name) {
            return Ok(None);
        }
        match &self.backend {
            Backend::Embedded(store) => store.review_file(token, name).await,
            Backend::Redis(store) => store.review_file(token, name).await,
        }
    }

    /// Keeps a listener's answer of a take, in place of one they gave before; a new listener only while the review
    /// counts fewer than the most.
    pub async fn answer(&self, given: &GivenAnswer<'_>) -> Result<Answered, StoreError> {
        if !is_review_token(given.token) || !studio_core::review::is_listener_id(given.listener) {
            return Ok(Answered::Ended);
        }
        let answered = match &self.backend {
            Backend::Embedded(store) => store.answer(given).await?,
            Backend::Redis(store) => store.answer(given).await?,
        };
        if answered == Answered::Kept {
            self.review_changed(given.token).await?;
        }
        Ok(answered)
    }

    /// Every answer of the review under `token`: (listener, item, answer), in no order.
    pub async fn answers(&self, token: &str) -> Result<Vec<(String, u32, String)>, StoreError> {
        if !is_review_token(token) {
            return Ok(Vec::new());
        }
        match &self.backend {
            Backend::Embedded(store) => store.answers(token).await,
            Backend::Redis(store) => store.answers(token).await,
        }
    }

    /// The answer `listener` last gave of the take `item` of the review under `token`, if any.
    pub async fn answer_of(&self, token: &str, listener: &str, item: u32) -> Result<Option<String>, StoreError> {
        if !is_review_token(token) || !studio_core::review::is_listener_id(listener) {
            return Ok(None);
        }
        match &self.backend {
            Backend::Embedded(store) => store.answer_of(token, listener, item).await,
            Backend::Redis(store) => store.answer_of(token, listener, item).await,
        }
    }

    /// Closes the review under `token` on every replica: its audio goes, its answers stay until it expires.
    pub async fn close_review(&self, token: &str) -> Result<(), StoreError> {
        if !is_review_token(token) {
            return Ok(());
        }
        match &self.backend {
            Backend::Embedded(store) => store.close_review(token).await?,
            Backend::Redis(store) => store.close_review(token).await?,
        }
        self.review_changed(token).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_takes_place_and_side_name_a_review_file() {
        for name in ["0.wav", "15.wav", "3-a.wav", "3-b.wav"] {
            assert!(is_review_file(name), "{name}");
        }
        for name in ["../0.wav", "0.mp3", "100.wav", "3-c.wav", ".wav", "-a.wav", "0.wav/x", "a.wav"] {
            assert!(!is_review_file(name), "{name}");
        }
    }
}
