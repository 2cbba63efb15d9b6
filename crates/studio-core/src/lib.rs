//! Zonos Studio's plain logic, apart from the browser: what to do after a submission (never send twice by
//! accident), following a job by polling, long scripts (splitting and joining), variations of one request, blind
//! rounds, the speaker's consent, WAV and its provenance mark, a waveform's peaks, the figures as shown, a review's
//! answers and tally, and the rules that decide which gateway URL may carry the key. No I/O: the app calls it from its edges, and `cargo test`
//! tests it natively.

pub mod blind;
pub mod consent;
pub mod figures;
pub mod follower;
pub mod gateway;
pub mod gateway_error;
pub mod kept;
pub mod kept_reviews;
pub mod peaks;
pub mod provenance;
pub mod qr;
pub mod review;
pub mod review_request;
pub mod script;
pub mod submit;
pub mod take;
pub mod variations;
pub mod wav;

pub use gateway_error::{Answer, Failure, GatewayError, DEFAULT_RETRY_SECONDS};
