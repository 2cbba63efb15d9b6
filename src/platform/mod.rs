//! The browser's edges the app uses: the clock and timers, HTTP, and web storage. Everything else is plain Rust.

pub mod http;
pub mod storage;
pub mod time;
