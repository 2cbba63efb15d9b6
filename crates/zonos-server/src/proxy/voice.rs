//! How issued settings name a take's voice: a sample voice by its name; any other by its URL's hash, which a
//! speaker's consent record must match for the take to be shared for review (the URL itself is never kept: an
//! uploaded voice's would let anyone holding it fetch the speaker's recording, and a pasted one may carry a token).

use sha2::Digest;

pub const SAMPLE_VOICE: &str = "sample_voice";
pub const VOICE_HASH: &str = "voice_sha256";

/// The hash a voice's URL is kept as.
pub fn voice_hash(url: &str) -> String {
    hex::encode(sha2::Sha256::digest(url.trim().as_bytes()))
}
