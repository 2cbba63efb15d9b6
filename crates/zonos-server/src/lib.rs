//! Zonos Studio's server: serves the built app and proxies the gateway under `/api`; and, with the `sandbox`
//! feature (on by default, for the demo), the sandbox gateway (alone, or mounted under `/sandbox` as the proxy's
//! upstream).

pub mod access;
pub mod net;
pub mod proxy;
pub mod static_files;
pub mod store;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{routing::get, Json, Router};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use net::host::host_of;
pub use net::host::AllowedHosts;
pub use net::serve::Bounds;
#[cfg(feature = "sandbox")]
pub use zonos_sandbox as sandbox;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("no built app in {dist}: build it first with `cargo xtask demo`, or point --dist at its build (`cargo xtask build`)")]
    MissingApp { dist: PathBuf },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("cannot open the proxy's store: {0}")]
    Store(#[from] store::StoreError),
    #[error("cannot sign Content Credentials: {0}")]
    Credentials(#[from] proxy::CredentialsError),
    #[error("cannot read the built app's page in {dist}: {source}")]
    ReadApp { dist: PathBuf, source: io::Error },
    #[error("--access oidc needs this server's address as browsers reach it, for the provider to send them back to: give --public-url")]
    OidcWithoutPublicUrl,
    #[error("the OpenID callback {0} is not a URL: check --public-url")]
    OidcCallback(String),
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
    /// The app's build to serve (its `index.html` and hashed assets).
    pub dist: PathBuf,
    /// The sandbox gateway to mount under [`SANDBOX_MOUNT`], if any.
    #[cfg(feature = "sandbox")]
    pub sandbox: Option<sandbox::SandboxConfig>,
    /// The proxy to mount under [`proxy::API_PREFIX`]; without one (no key), the app is served alone and asks its
    /// user for a gateway.
    pub proxy: Option<proxy::ProxyConfig>,
    pub shutdown: Shutdown,
    /// The names this server answers to; a request for any other gets 421 (see [`net::host`]).
    pub allowed_hosts: AllowedHosts,
}

/// Where `serve --sandbox` mounts the sandbox gateway.
pub const SANDBOX_MOUNT: &str = "/sandbox";

/// All routes of `serve` (opening the proxy's store).
pub async fn router(config: &ServeConfig) -> Result<Router, StartError> {
    if !config.dist.join("index.html").is_file() {
        return Err(StartError::MissingApp { dist: config.dist.clone() });
    }
    let mut router = Router::new().route("/healthz", get(healthz));
    #[cfg(feature = "sandbox")]
    if let Some(sandbox) = &config.sandbox {
        router = router.nest(SANDBOX_MOUNT, sandbox::router(sandbox.clone(), SANDBOX_MOUNT));
    }
    if let Some(proxy) = &config.proxy {
        router = router.merge(proxy::router(proxy.clone(), config.shutdown.clone()).await?);
    }
    let policy = static_files::content_security_policy(&config.dist, config.proxy.is_none())
        .map_err(|source| StartError::ReadApp { dist: config.dist.clone(), source })?;
    let router = with_security_headers(router.fallback_service(static_files::router(&config.dist)), policy)
        .layer(middleware::from_fn_with_state(Arc::new(config.allowed_hosts.clone()), check_host));
    Ok(with_common_layers(router))
}

/// What every answer of `serve` says about itself, the page and the API alike: what the page may load and run
/// (`policy`), that nothing may frame it (a click on Generate can't be stolen), that types are as labelled, and that
/// the page's address goes nowhere with its requests.
fn with_security_headers(router: Router, policy: HeaderValue) -> Router {
    let set = |name: header::HeaderName, value: HeaderValue| SetResponseHeaderLayer::if_not_present(name, value);
    router
        .layer(set(header::CONTENT_SECURITY_POLICY, policy))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(set(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(set(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
}

/// Answers 421 to a request that names another host than this server's (see [`net::host`]).
async fn check_host(State(allowed): State<Arc<AllowedHosts>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default();
    if allowed.allows(host) {
        return next.run(request).await;
    }
    let message = format!("This server does not answer for the host {:?}: give it with --allow-host", host_of(host));
    error_response(StatusCode::MISDIRECTED_REQUEST, "Misdirected Request", message, None)
}

/// The sandbox gateway alone, as `zonos-server sandbox` serves it.
#[cfg(feature = "sandbox")]
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

/// The path as logs show it: no query string, no webhook token (it is what authenticates a callback), no invite's
/// code, and no review's token (the only key to listen).
fn logged_path(path: &str) -> &str {
    const SECRET_AFTER: [&str; 4] =
        ["/api/webhooks/", zonos_api::JOIN_PATH_PREFIX, zonos_api::REVIEW_PAGE_PREFIX, "/api/reviews/"];
    SECRET_AFTER.into_iter().find(|prefix| path.starts_with(prefix)).unwrap_or(path)
}

/// An error in the documented error-body shape (`{"error", "message"}`), with `Retry-After` when there is a wait:
/// how the proxy refuses a call, as the gateway (and the sandbox) do.
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

/// Serves until `shutdown` resolves, then lets requests in flight finish; connections within `bounds`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    bounds: Bounds,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    net::serve::serve(listener, router, bounds, shutdown).await
}

#[cfg(test)]
mod tests {
    use super::logged_path;

    #[test]
    fn logs_show_no_webhook_token_no_invite_code_and_no_review_token() {
        assert_eq!(logged_path("/api/webhooks/0123456789abcdef"), "/api/webhooks/");
        assert_eq!(logged_path("/join/0123abcd-0123456789abcdef0123456789abcdef"), "/join/");
        assert_eq!(logged_path("/r/0123456789abcdef0123456789abcdef/audio/0.wav"), "/r/");
        assert_eq!(logged_path("/api/generate"), "/api/generate");
    }
}
