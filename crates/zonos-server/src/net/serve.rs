//! Serving connections with bounds a client can't stretch: the headers of a request must arrive within a deadline
//! (a client trickling them a byte at a time is cut off), so must its body, and its answer must start within
//! another; the connections open at once are capped, in all and per client. Requests in flight end before a stop
//! returns.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use axum::http::StatusCode;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use super::client::TrustedProxies;

/// How much a connection may take.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// From a connection's start (or its previous response) to a request's last header line.
    pub header_read: Duration,
    /// From a request's headers to the end of its body.
    pub body: Duration,
    /// From a request's body to the start of its answer (an event stream's starts at once, and lasts as long as
    /// its job).
    pub answer: Duration,
    /// Connections open at once, in all.
    pub connections: usize,
    /// Connections open at once from one address, except from a trusted reverse proxy (which carries everyone's).
    pub connections_per_client: usize,
    pub trusted_proxies: TrustedProxies,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            header_read: Duration::from_secs(10),
            body: Duration::from_secs(30),
            answer: Duration::from_secs(60),
            connections: 1024,
            connections_per_client: 64,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

/// Connections open per client address.
#[derive(Default)]
struct PerClient(Mutex<HashMap<IpAddr, usize>>);

impl PerClient {
    fn open(self: &Arc<Self>, client: IpAddr, limit: usize) -> Option<ClientSlot> {
        let mut open = self.0.lock().expect("per-client lock");
        let count = open.entry(client).or_default();
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(ClientSlot { clients: Arc::clone(self), client })
    }
}

/// One open connection of a client; closes with it.
struct ClientSlot {
    clients: Arc<PerClient>,
    client: IpAddr,
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.clients.0.lock().expect("per-client lock");
        if let Some(count) = open.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets the requests in flight end.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    bounds: Bounds,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(bounds.header_read);
    builder.http2().timer(TokioTimer::new());
    let connections = Arc::new(Semaphore::new(bounds.connections));
    let per_client = Arc::new(PerClient::default());
    let graceful = GracefulShutdown::new();
    let router = router
        .layer(RequestBodyTimeoutLayer::new(bounds.body))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, bounds.answer));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors, or a connection reset before it was accepted: try again shortly.
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let limit = if bounds.trusted_proxies.trusts(remote.ip()) { usize::MAX } else { bounds.connections_per_client };
        let Some(slot) = per_client.open(remote.ip(), limit) else {
            // Not a warning: a flood would flood the log too.
            tracing::debug!(client = %remote.ip(), "too many connections from one client: refused");
            continue;
        };
        // Without it, a response written in parts can wait for the client's delayed ACK (up to 40 ms).
        let _ = stream.set_nodelay(true);
        let service =
            TowerToHyperService::new(router.clone().map_request(move |mut request: Request<hyper::body::Incoming>| {
                // The peer's address, for the limits (see `net::client`).
                request.extensions_mut().insert(ConnectInfo::<SocketAddr>(remote));
                request
            }));
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop((permit, slot));
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
