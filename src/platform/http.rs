//! Every fetch of the page, with a deadline: one exchange with the gateway reduced to what its client needs, and
//! the response of any other (media, cache fills) for its caller to read.

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, Response};

pub use studio_core::{Answer, Failure};

/// How long result audio may take to arrive: a few megabytes.
pub const MEDIA_TIMEOUT_SECONDS: u32 = 120;

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "no details".to_owned())
}

fn network(error: JsValue) -> Failure {
    Failure::Network(describe(error))
}

/// A request's deadline: it aborts the request (and the reading of its body) when reached. Dropped when the
/// request is over, it takes its timer with it, so a finished request leaves nothing behind.
pub struct Deadline {
    controller: AbortController,
    seconds: u32,
    _timer: Timeout,
}

impl Deadline {
    pub fn after(seconds: u32) -> Result<Deadline, Failure> {
        let controller = AbortController::new().map_err(network)?;
        let aborting = controller.clone();
        let timer = Timeout::new(seconds.saturating_mul(1000), move || aborting.abort());
        Ok(Deadline { controller, seconds, _timer: timer })
    }

    /// What a failure of the request under this deadline was: the deadline passing, or the network.
    fn failure(&self, error: JsValue) -> Failure {
        if self.controller.signal().aborted() {
            Failure::Timeout { seconds: self.seconds }
        } else {
            network(error)
        }
    }
}

/// Starts `method url` under `deadline`, with `init`'s headers and body, and waits for the response's head; its
/// body can be read for as long as the deadline lives.
pub async fn fetch(url: &str, init: &RequestInit, deadline: &Deadline) -> Result<Response, Failure> {
    init.set_signal(Some(&deadline.controller.signal()));
    let window = web_sys::window().ok_or_else(|| Failure::Network("no window".to_owned()))?;
    let request = Request::new_with_str_and_init(url, init).map_err(network)?;
    let response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(|error| deadline.failure(error))?;
    response.dyn_into().map_err(network)
}

/// Sends one request and reads the whole answer, giving up after `timeout_seconds`. `body` is text or a `Blob`.
pub async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&JsValue>,
    timeout_seconds: u32,
) -> Result<Answer, Failure> {
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
    let deadline = Deadline::after(timeout_seconds)?;
    let response = fetch(url, &init, &deadline).await?;
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let retry_after = header("retry-after").and_then(|value| value.trim().parse().ok());
    let content_type = header("content-type");
    let text = response.text().map_err(network)?;
    let body = JsFuture::from(text).await.map_err(|error| deadline.failure(error))?;
    Ok(Answer { status: response.status(), retry_after, content_type, body: body.as_string().unwrap_or_default() })
}

/// The body of a response read under `deadline`, as the browser's bytes.
pub async fn array_buffer(response: &Response, deadline: &Deadline) -> Result<js_sys::ArrayBuffer, Failure> {
    let reading = response.array_buffer().map_err(network)?;
    // `arrayBuffer()` resolves to nothing else.
    Ok(JsFuture::from(reading).await.map_err(|error| deadline.failure(error))?.unchecked_into())
}
