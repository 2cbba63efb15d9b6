//! The sandbox: a local stand-in for the Pixazo gateway that follows the documented contract (paths, headers,
//! status codes, bodies), so that the product runs and is tested with no network and no key. `zonos-server serve
//! --sandbox` mounts it beside its proxy; a production build of the server can leave it out.

pub mod cli;
mod faults;
mod jobs;
pub mod reach;
pub mod reference;
mod routes;
mod speech;
mod stats;
mod voices;
mod webhook;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use axum::Router;
use tower_http::cors::{Any, CorsLayer};
use zonos_api::{API_KEY_HEADER, GENERATE_PATH, STATUS_PATH_PREFIX, WEBHOOK_HEADER};

use reach::{Reach, Resolver};

pub use faults::{Armed, Fault};
pub use jobs::Timings;
pub use speech::{FRAMES_PER_SECOND, SAMPLE_RATE};
pub use stats::Snapshot;
pub use voices::{listed as listed_voices, Voice, SAMPLE_VOICES};

/// How the sandbox behaves.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub timings: Timings,
    /// When set, only this key is accepted (the test controls under `/__sandbox` too); otherwise any non-empty key.
    pub key: Option<String>,
    /// Where it may fetch references from and deliver webhooks to.
    pub reach: Reach,
    /// Answers a submission once its job has ended, with the audio (`{"audio": [{"url": …}]}`), as some of the
    /// gateway's own notes describe Zonos 2, instead of the documented 202 to poll.
    pub synchronous: bool,
}

impl Default for SandboxConfig {
    /// A few seconds in all, near a real gateway's feel; public addresses only.
    fn default() -> Self {
        SandboxConfig {
            timings: Timings { queue: Duration::from_millis(1500), process: Duration::from_millis(2500) },
            key: None,
            reach: Reach::default(),
            synchronous: false,
        }
    }
}

/// How many jobs speak at once; the others stay QUEUED, as on a real gateway.
const SPEAKING_AT_ONCE: usize = 4;

struct Sandbox {
    config: SandboxConfig,
    /// The path the sandbox is mounted under (`""` alone, `"/sandbox"` inside `serve`), for absolute URLs.
    mount: String,
    jobs: Arc<jobs::Jobs>,
    faults: faults::Faults,
    stats: Arc<stats::Stats>,
    /// Fetches references and delivers webhooks: never following a redirect, and only to addresses within reach.
    client: reqwest::Client,
    speaking: Arc<tokio::sync::Semaphore>,
}

/// The sandbox's routes, for a server that mounts it at `mount`.
pub fn router(config: SandboxConfig, mount: &str) -> Router {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .dns_resolver(Arc::new(Resolver::new(config.reach.clone())))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let jobs: Arc<jobs::Jobs> = Arc::default();
    tokio::spawn(jobs::expire_every_minute(Arc::downgrade(&jobs)));
    let sandbox = Arc::new(Sandbox {
        config,
        mount: mount.to_owned(),
        jobs,
        faults: faults::Faults::default(),
        stats: Arc::default(),
        client,
        speaking: Arc::new(tokio::sync::Semaphore::new(SPEAKING_AT_ONCE)),
    });
    Router::new()
        .route(GENERATE_PATH, post(routes::submit))
        .route(&format!("{STATUS_PATH_PREFIX}{{request_id}}"), get(routes::status))
        .route("/media/{request_id}/output.wav", get(routes::media))
        .route("/__sandbox/voices", get(routes::voice_list))
        .route("/__sandbox/voices/{file}", get(routes::voice_audio))
        .route("/__sandbox/stats", get(routes::stats))
        .route("/__sandbox/faults", post(routes::arm_fault).get(routes::armed_faults).delete(routes::clear_faults))
        .with_state(sandbox)
        .layer(cross_origin())
}

/// Lets a page on any origin call the sandbox directly, as it would a gateway, with the docs' headers.
fn cross_origin() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::CACHE_CONTROL,
            HeaderName::try_from(API_KEY_HEADER).expect("a valid header name"),
            HeaderName::try_from(WEBHOOK_HEADER).expect("a valid header name"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// An error answered in the documented error-body shape, with `Retry-After` when given.
fn error_response(status: StatusCode, error: &str, message: String, retry_after: Option<u64>) -> Response {
    let mut response = (status, Json(zonos_api::ErrorBody::new(error, message))).into_response();
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
    }
    response
}
