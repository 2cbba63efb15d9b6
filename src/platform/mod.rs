//! The browser's edges the app uses: the clock and timers, HTTP, web storage, audio decoding, and JavaScript values. Everything else is plain Rust.

pub mod audio;
pub mod http;
pub mod js;
pub mod storage;
pub mod time;
