//! Long scripts: text longer than one request can carry, cut into parts at sentences, and the parts' audio joined.

pub mod split;
pub mod stitch;

/// How many parts are sent and followed at once by default: quick, without tripping the gateway's rate limit.
pub const PARTS_AT_ONCE: usize = 2;
