//! The browser's edges the app uses: the clock and timers, HTTP, web storage, and audio decoding. Everything else is plain Rust.

pub mod audio;
pub mod http;
pub mod storage;
pub mod time;
