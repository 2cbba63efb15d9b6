//! The clock and a timer that async code can await.

use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the epoch, as the page's clock reads it.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let delay = i32::try_from(ms).unwrap_or(i32::MAX);
        // A window always has timers; if not, the promise resolves at once rather than never.
        if web_sys::window()
            .and_then(|window| window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, delay).ok())
            .is_none()
        {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}
