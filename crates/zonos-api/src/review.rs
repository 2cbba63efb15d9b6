//! Review links (see docs/usage.md): the presenter shares takes for stakeholders to listen to
//! and judge from their own phones. Written once for the server and the app.

use serde::{Deserialize, Serialize};

/// Where a review is made, under the proxy's `/api` ([`ReviewRequest`], answered by [`ReviewMade`]).
pub const REVIEWS_PATH: &str = "/reviews";
/// A review's page is the studio's address, then this, then the review's token; its takes' audio is under it,
/// at `audio/<file>`.
pub const REVIEW_PAGE_PREFIX: &str = "/r/";
/// The events of a review's tally stream (`<REVIEWS_PATH>/<token>/events?key=<owner key>`): the tally, at once
/// and as listeners answer; and the review's end (expired, or ended to make room).
pub const TALLY_EVENT: &str = "tally";
pub const REVIEW_ENDED_EVENT: &str = "ended";
/// The most takes a review holds.
pub const MOST_REVIEW_ITEMS: usize = 16;
/// The longest a review lasts, in days (and the default).
pub const MOST_REVIEW_DAYS: u32 = 7;

/// The takes to share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub title: String,
    pub items: Vec<ReviewItem>,
    /// How long it lasts, 1 to [`MOST_REVIEW_DAYS`] days (that many if not given).
    #[serde(default)]
    pub days: Option<u32>,
}

/// One take of a review: what it is called and says, its audio (the media URL it holds, of a request this proxy
/// issued), and its voice's consent record (none for a sample voice). With its voice's `reference_audio_url`, it
/// is heard blind ("Real or clone?"): the reference and the take as A and B, in an order drawn by the proxy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewItem {
    pub label: String,
    pub text: String,
    pub media_url: String,
    #[serde(default)]
    pub consent: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_audio_url: Option<String>,
}

/// A review made: its token (the only key to listen), the key its maker reads the answers and closes it with
/// (given once), its page's address, the QR code of that address, and when it expires (Unix seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewMade {
    pub token: String,
    pub owner_key: String,
    pub link: String,
    pub qr: QrDrawing,
    pub expires_at: u64,
}

/// A QR code to draw: the SVG path of its dark modules on a square of `size` modules (its quiet zone included).
/// Made by the server, so that the encoder's tables don't weigh on the app's first load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QrDrawing {
    pub path: String,
    pub size: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_request_has_only_its_fields() {
        let request: ReviewRequest = serde_json::from_value(serde_json::json!({
            "title": "Q3 voices",
            "items": [{"label": "Take 1", "text": "Hello.", "media_url": "http://h/v1/x/output.wav"}]
        }))
        .unwrap();
        assert_eq!((request.days, request.items[0].consent.as_ref()), (None, None));
        let unknown = serde_json::json!({"title": "x", "items": [], "owner": "me"});
        assert!(serde_json::from_value::<ReviewRequest>(unknown).is_err());
    }
}
