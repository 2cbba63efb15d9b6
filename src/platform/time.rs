//! The page's clock.

/// Milliseconds since the epoch, as the page's clock reads it.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Today, as a WAV's INFO chunk dates it (`YYYY-MM-DD`, UTC).
pub fn today() -> String {
    String::from(js_sys::Date::new_0().to_iso_string()).chars().take(10).collect()
}
