//! The reviews this device made, kept in its storage until they expire: the maker's key is nowhere else, and with
//! it a reload still follows a review's tally, exports its answers and closes it.

use serde::{Deserialize, Serialize};
use zonos_api::ReviewMade;

use crate::review_request::Heard;

/// Where they are kept (`localStorage`).
pub const KEY: &str = "zonos-reviews";

/// A review made here: the proxy's answer, its takes' labels, how they are heard, and the takes' ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptReview {
    pub made: ReviewMade,
    pub labels: Vec<String>,
    pub heard: Heard,
    pub takes: Vec<String>,
}

/// The reviews kept in `json` that have not expired at `now_secs`; none if it can't be read.
pub fn read(json: Option<&str>, now_secs: u64) -> Vec<KeptReview> {
    let kept: Vec<KeptReview> = json.and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default();
    kept.into_iter().filter(|review| review.made.expires_at > now_secs).collect()
}

/// `kept` and `review`, which takes the place of one of the same takes heard the same way.
pub fn with(mut kept: Vec<KeptReview>, review: KeptReview) -> Vec<KeptReview> {
    kept.retain(|other| (other.takes.as_slice(), other.heard) != (review.takes.as_slice(), review.heard));
    kept.push(review);
    kept
}

/// The review of `takes` heard as `heard`, if one is kept.
pub fn find<'a>(kept: &'a [KeptReview], takes: &[String], heard: Heard) -> Option<&'a KeptReview> {
    kept.iter().find(|review| review.takes == takes && review.heard == heard)
}

#[cfg(test)]
mod tests {
    use zonos_api::QrDrawing;

    use super::*;

    fn review(token: &str, takes: &[&str], heard: Heard, expires_at: u64) -> KeptReview {
        let made = ReviewMade {
            token: token.into(),
            owner_key: format!("key-of-{token}"),
            link: format!("http://studio/r/{token}"),
            qr: QrDrawing::default(),
            expires_at,
        };
        KeptReview {
            made,
            labels: vec!["Take 1".into()],
            heard,
            takes: takes.iter().map(|id| id.to_string()).collect(),
        }
    }

    #[test]
    fn a_review_is_found_again_by_its_takes_and_hearing_until_it_expires() {
        let kept = with(Vec::new(), review("a", &["t1"], Heard::Alone, 100));
        let kept = with(kept, review("b", &["t1"], Heard::Blind, 200));
        let kept = with(kept, review("c", &["t2", "t3"], Heard::Alone, 300));
        let json = serde_json::to_string(&kept).unwrap();
        let read_back = read(Some(&json), 150);
        assert_eq!(read_back.len(), 2, "the first expired");
        assert_eq!(find(&read_back, &["t1".into()], Heard::Blind).map(|review| review.made.token.as_str()), Some("b"));
        assert_eq!(find(&read_back, &["t1".into()], Heard::Alone), None);
        assert_eq!(find(&read_back, &["t2".into(), "t3".into()], Heard::Alone).unwrap().made.owner_key, "key-of-c");
    }

    #[test]
    fn sharing_the_same_takes_again_keeps_the_newer_review_and_unreadable_storage_is_none() {
        let kept = with(vec![review("old", &["t1"], Heard::Alone, 100)], review("new", &["t1"], Heard::Alone, 100));
        assert_eq!(kept.iter().map(|review| review.made.token.as_str()).collect::<Vec<_>>(), ["new"]);
        assert_eq!(read(Some("not json"), 0), Vec::new());
        assert_eq!(read(None, 0), Vec::new());
    }
}
