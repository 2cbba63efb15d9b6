//! One HTTP exchange with `fetch`, with a deadline, reduced to what the gateway client needs.

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, Response};

pub use studio_core::{Answer, Failure};

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "no details".to_owned())
}

/// Sends one request and reads the whole answer, giving up after `timeout_seconds`. `body` is text or a `Blob`.
pub async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&JsValue>,
    timeout_seconds: u32,
) -> Result<Answer, Failure> {
    let network = |error: JsValue| Failure::Network(describe(error));
    let window = web_sys::window().ok_or_else(|| Failure::Network("no window".to_owned()))?;
    let init = RequestInit::new();
    init.set_method(method);
    let request_headers = Headers::new().map_err(network)?;
    for (name, value) in headers {
        request_headers.set(name, value).map_err(network)?;
    }
    init.set_headers(&request_headers);
    if let Some(body) = body {
        init.set_body(body);
    }
    let controller = AbortController::new().map_err(network)?;
    init.set_signal(Some(&controller.signal()));
    let abort = Closure::once_into_js(move || controller.abort());
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), (timeout_seconds * 1000) as i32)
        .map_err(network)?;
    let exchange = async {
        let request = Request::new_with_str_and_init(url, &init)?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()?;
        let header = |name: &str| response.headers().get(name).ok().flatten();
        let retry_after = header("retry-after").and_then(|value| value.trim().parse().ok());
        let content_type = header("content-type");
        let body = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
        Ok::<_, JsValue>(Answer { status: response.status(), retry_after, content_type, body })
    };
    let answer = exchange.await;
    window.clear_timeout_with_handle(timer);
    answer.map_err(|error| {
        let aborted = error.dyn_ref::<web_sys::DomException>().is_some_and(|error| error.name() == "AbortError");
        if aborted {
            Failure::Timeout { seconds: timeout_seconds }
        } else {
            network(error)
        }
    })
}
