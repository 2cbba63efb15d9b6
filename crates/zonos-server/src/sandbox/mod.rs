//! The sandbox: a local stand-in for the Pixazo gateway that follows the documented contract (paths, headers,
//! status codes, bodies), so that the product runs and is tested with no network and no key.

mod jobs;
mod routes;
mod speech;

use std::sync::Arc;
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use zonos_api::{GENERATE_PATH, STATUS_PATH_PREFIX};

pub use jobs::Timings;
pub use speech::{FRAMES_PER_SECOND, SAMPLE_RATE};

/// How the sandbox behaves.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub timings: Timings,
    /// When set, only this key is accepted; otherwise any non-empty key is.
    pub key: Option<String>,
}

impl Default for SandboxConfig {
    /// A few seconds in all, near a real gateway's feel.
    fn default() -> Self {
        SandboxConfig {
            timings: Timings { queue: Duration::from_millis(1500), process: Duration::from_millis(2500) },
            key: None,
        }
    }
}

struct Sandbox {
    config: SandboxConfig,
    /// The path the sandbox is mounted under (`""` alone, `"/sandbox"` inside `serve`), for absolute URLs.
    mount: String,
    jobs: Arc<jobs::Jobs>,
}

/// The sandbox's routes, for a server that mounts it at `mount`.
pub fn router(config: SandboxConfig, mount: &str) -> Router {
    let sandbox = Arc::new(Sandbox { config, mount: mount.to_owned(), jobs: Arc::default() });
    Router::new()
        .route(GENERATE_PATH, post(routes::submit))
        .route(&format!("{STATUS_PATH_PREFIX}{{request_id}}"), get(routes::status))
        .route("/media/{request_id}/output.wav", get(routes::media))
        .route("/__sandbox/stats", get(routes::stats))
        .with_state(sandbox)
}
