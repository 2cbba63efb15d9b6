//! Long scripts: text longer than one request can carry is cut at sentence boundaries into parts, sent a few at a
//! time (each part a take of its own, so a failed one can be sent again alone), and joined into one WAV.

mod view;

use serde::{Deserialize, Serialize};

pub use view::ScriptCard;

/// How many parts are sent and followed at once by default: quick, without tripping the gateway's rate limit.
pub const PARTS_AT_ONCE: usize = 2;

/// Where a take stands in a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The script's number: its first take's.
    pub script: u32,
    pub index: u32,
    pub count: u32,
}
