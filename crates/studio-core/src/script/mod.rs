//! Long scripts: text longer than one request can carry, cut into parts at sentences, and the parts' audio joined.

pub mod split;
pub mod stitch;
