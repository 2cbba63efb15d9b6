//! Long scripts: text longer than one request can carry is cut at sentence boundaries into parts, sent a few at a
//! time (each part a take of its own, so a failed one can be sent again alone), and joined into one WAV.

mod view;

pub use view::ScriptCard;

/// How many parts are sent and followed at once by default: quick, without tripping the gateway's rate limit.
pub const PARTS_AT_ONCE: usize = 2;

pub use studio_core::take::Part;
