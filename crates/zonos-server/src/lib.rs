//! Zonos Studio's server: serves the built app and proxies the gateway under `/api`; and the sandbox gateway
//! (alone, or mounted under `/sandbox` as the proxy's upstream).

pub mod proxy;
pub mod sandbox;
pub mod static_files;
pub mod store;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{routing::get, serve::ListenerExt, Json, Router};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("no built app in {dist}: build it first with `cargo xtask demo`, or point --dist at a trunk build")]
    MissingApp { dist: PathBuf },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("cannot open the proxy's store: {0}")]
    Store(#[from] store::StoreError),
}

/// The server's stop, as the parts that outlive a request see it: the event streams end when it begins (telling
/// their browsers to reconnect), and the forwards in flight are waited for before the process exits.
#[derive(Debug, Clone)]
pub struct Shutdown {
    begun: std::sync::Arc<watch::Sender<bool>>,
    forwards: TaskTracker,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown { begun: std::sync::Arc::new(watch::channel(false).0), forwards: TaskTracker::new() }
    }
}

impl Shutdown {
    /// The server stops accepting from now on.
    pub fn begin(&self) {
        self.begun.send_replace(true);
        self.forwards.close();
    }

    /// Resolves once the stop has begun.
    pub async fn begun(&self) {
        let _ = self.begun.subscribe().wait_for(|begun| *begun).await;
    }

    /// Runs a forward to the gateway on its own task, which the stop waits for.
    pub fn track<T: Send + 'static>(
        &self,
        forward: impl Future<Output = T> + Send + 'static,
    ) -> tokio::task::JoinHandle<T> {
        self.forwards.spawn(forward)
    }

    /// Resolves once every forward in flight has ended (after [`Shutdown::begin`]).
    pub async fn forwards_done(&self) {
        self.forwards.wait().await
    }
}

/// What `serve` needs to know.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The trunk build to serve (its `index.html` and hashed assets).
    pub dist: PathBuf,
    /// The sandbox gateway to mount under [`SANDBOX_MOUNT`], if any.
    pub sandbox: Option<sandbox::SandboxConfig>,
    /// The proxy to mount under [`proxy::API_PREFIX`]; without one (no key), the app is served alone and asks its
    /// user for a gateway.
    pub proxy: Option<proxy::ProxyConfig>,
    pub shutdown: Shutdown,
}

/// Where `serve --sandbox` mounts the sandbox gateway.
pub const SANDBOX_MOUNT: &str = "/sandbox";

/// All routes of `serve` (opening the proxy's store).
pub async fn router(config: &ServeConfig) -> Result<Router, StartError> {
    if !config.dist.join("index.html").is_file() {
        return Err(StartError::MissingApp { dist: config.dist.clone() });
    }
    let mut router = Router::new().route("/healthz", get(healthz));
    if let Some(sandbox) = &config.sandbox {
        router = router.nest(SANDBOX_MOUNT, sandbox::router(sandbox.clone(), SANDBOX_MOUNT));
    }
    if let Some(proxy) = &config.proxy {
        router = router.merge(proxy::router(proxy.clone(), config.shutdown.clone()).await?);
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
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            tracing::info_span!("request", method = %request.method(), path = %logged_path(request.uri().path()))
        }))
}

/// The path as logs show it: no query string, and no webhook token (it is what authenticates a callback).
fn logged_path(path: &str) -> &str {
    const WEBHOOKS: &str = "/api/webhooks/";
    if path.starts_with(WEBHOOKS) {
        WEBHOOKS
    } else {
        path
    }
}

/// An error in the documented error-body shape (`{"error", "message"}`), with `Retry-After` when there is a wait:
/// how the sandbox and the proxy both refuse a call.
fn error_response(status: StatusCode, error: &str, message: String, retry_after: Option<u64>) -> Response {
    let mut response = (status, Json(zonos_api::ErrorBody::new(error, message))).into_response();
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
    }
    response
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
    // The client's address keys the proxy's rate limit.
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
