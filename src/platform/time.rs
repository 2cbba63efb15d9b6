//! The page's clock.

/// Milliseconds since the epoch, as the page's clock reads it.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
