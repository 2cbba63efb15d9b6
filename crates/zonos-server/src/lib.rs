//! Zonos Studio's server: serves the built app, and the sandbox gateway (alone, or mounted under `/sandbox`).
//! The proxy role joins it in a module of its own.

pub mod sandbox;
pub mod static_files;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::{routing::get, serve::ListenerExt, Json, Router};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("no built app in {dist}: build it first with `cargo xtask demo`, or point --dist at a trunk build")]
    MissingApp { dist: PathBuf },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
}

/// What `serve` needs to know.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The trunk build to serve (its `index.html` and hashed assets).
    pub dist: PathBuf,
    /// The sandbox gateway to mount under [`SANDBOX_MOUNT`], if any.
    pub sandbox: Option<sandbox::SandboxConfig>,
}

/// Where `serve --sandbox` mounts the sandbox gateway.
pub const SANDBOX_MOUNT: &str = "/sandbox";

/// All routes of `serve`.
pub fn router(config: &ServeConfig) -> Result<Router, StartError> {
    if !config.dist.join("index.html").is_file() {
        return Err(StartError::MissingApp { dist: config.dist.clone() });
    }
    let mut router = Router::new().route("/healthz", get(healthz));
    if let Some(sandbox) = &config.sandbox {
        router = router.nest(SANDBOX_MOUNT, sandbox::router(sandbox.clone(), SANDBOX_MOUNT));
    }
    Ok(with_common_layers(router.fallback_service(static_files::router(&config.dist))))
}

/// The sandbox gateway alone, as `zonos-server sandbox` serves it.
pub fn sandbox_router(config: sandbox::SandboxConfig) -> Router {
    with_common_layers(sandbox::router(config, "").route("/healthz", get(healthz)))
}

fn with_common_layers(router: Router) -> Router {
    router
        // Precompressed assets already carry a Content-Encoding, which this layer leaves alone. Audio is left
        // as it is: WAV hardly compresses, and players need its length and byte ranges.
        .layer(
            CompressionLayer::new().compress_when(DefaultPredicate::new().and(NotForContentType::const_new("audio/"))),
        )
        .layer(TraceLayer::new_for_http())
}

async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Binds `addr`, with a readable error when it can't.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr).await.map_err(|source| StartError::Bind { addr, source })
}

/// Serves until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // Without TCP_NODELAY, a response written in parts can wait for the client's delayed ACK (up to 40 ms).
    let listener = listener.tap_io(|stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}
