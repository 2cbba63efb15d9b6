//! The page's clock.

/// Milliseconds since the epoch, as the page's clock reads it.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Today, as a WAV's INFO chunk dates it (`YYYY-MM-DD`, UTC).
pub fn today() -> String {
    String::from(js_sys::Date::new_0().to_iso_string()).chars().take(10).collect()
}

/// Today on the page's own calendar (`YYYY-MM-DD`): the day a consent is dated.
pub fn local_date() -> String {
    let now = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date())
}
