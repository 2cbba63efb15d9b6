//! The proxy: forwards the two documented calls to the gateway with the key added on the server (it never reaches
//! a browser), and adds what a browser can't do alone: validation before anything is paid for, limits, webhook
//! push over Server-Sent Events, same-origin media and reference uploads.

mod app_config;
mod credentials;
mod error;
mod forward;
mod key;
mod limits;
mod media;
mod push;
mod references;
mod reviews;
mod voice;

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use zonos_api::{EVENTS_PATH_PREFIX, GENERATE_PATH, JOIN_PATH_PREFIX, REFERENCES_PATH, STATUS_PATH_PREFIX};

use crate::access::{Access, AccessConfig};
use crate::net::client::{limit_key, TrustedProxies};
#[cfg(feature = "sandbox")]
use crate::sandbox::SandboxConfig;
use crate::store::{Store, StoreConfig};
#[cfg(feature = "sandbox")]
use crate::SANDBOX_MOUNT;
use crate::{Shutdown, StartError};

pub use credentials::{CredentialsConfig, CredentialsError};
pub use error::ProxyError;
pub use key::ApiKey;
pub use media::allowed_url;
pub use references::MAX_REFERENCE_BYTES;

/// Where the proxy's routes live.
pub const API_PREFIX: &str = "/api";
/// The largest JSON body the proxy reads: a request is a few hundred bytes.
const JSON_LIMIT: usize = 64 * 1024;
/// The host of the gateway's result CDN, as the docs show it.
pub const DOCUMENTED_MEDIA_HOST: &str = "pub-582b7213209642b9b995c96c95a30381.r2.dev";

/// What the proxy forwards to, and how.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// The gateway's base URL, without a trailing slash.
    pub upstream: String,
    pub key: ApiKey,
    /// Where the gateway can reach this server (webhooks, uploaded references); `None`: it can't, the app polls.
    pub public_url: Option<String>,
    /// Hosts (`host` or `host:port`) that `/api/media` may fetch from.
    pub media_hosts: Vec<String>,
    /// Other origins allowed to call `/api` (CORS); none by default: same-origin only.
    pub allow_origins: Vec<String>,
    pub submissions_per_minute: NonZeroU32,
    pub daily_cap: Option<u32>,
    /// Sample voices to offer (the sandbox's), with URLs the gateway can fetch.
    pub voices: Vec<zonos_api::OfferedVoice>,
    pub sandbox: bool,
    /// Where the proxy keeps what must outlive a restart, and be shared by replicas.
    pub store: StoreConfig,
    /// Reverse proxies whose forwarding headers name the client (see [`crate::net::client`]).
    pub trusted_proxies: TrustedProxies,
    /// The key and certificate that sign served takes' Content Credentials.
    pub credentials: CredentialsConfig,
    /// Who may use the API, and how people are known (see [`crate::access`]).
    pub access: AccessConfig,
}

#[cfg(feature = "sandbox")]
impl ProxyConfig {
    /// The proxy in front of the sandbox mounted in the same server, listening at `local`: the sandbox is its
    /// upstream, its media host and its webhook caller, and its sample voices are offered.
    pub fn for_sandbox(local: SocketAddr, sandbox: &SandboxConfig, store: StoreConfig) -> ProxyConfig {
        // Listening on every interface: the loopback one is where this process reaches itself.
        let local = crate::sandbox::reach::own_address(local);
        let base = format!("http://{local}");
        let upstream = format!("{base}{SANDBOX_MOUNT}");
        let voices = crate::sandbox::listed_voices(&upstream).into_iter().map(|voice| zonos_api::OfferedVoice {
            name: voice.name,
            url: voice.url,
            language: Some(voice.language),
        });
        // Made beside the rest of the state; with Redis (no directory of its own), in a private temporary one.
        let credentials = CredentialsConfig::MadeIn(match &store {
            StoreConfig::Embedded { data_dir } => data_dir.clone(),
            StoreConfig::Redis { .. } => {
                std::env::temp_dir().join(format!("zonos-studio-{}", uuid::Uuid::new_v4().simple()))
            }
        });
        ProxyConfig {
            upstream,
            key: sandbox.key.as_deref().and_then(ApiKey::new).unwrap_or_else(|| ApiKey::new("sandbox").expect("a key")),
            public_url: Some(base),
            media_hosts: vec![local.to_string()],
            allow_origins: Vec::new(),
            submissions_per_minute: DEFAULT_SUBMISSIONS_PER_MINUTE,
            daily_cap: None,
            voices: voices.collect(),
            sandbox: true,
            store,
            trusted_proxies: TrustedProxies::default(),
            credentials,
            access: AccessConfig::default(),
        }
    }
}

/// Enough for a person working fast; too few for a script draining the wallet.
pub const DEFAULT_SUBMISSIONS_PER_MINUTE: NonZeroU32 = NonZeroU32::new(20).expect("non-zero");

struct Proxy {
    key: ApiKey,
    /// `public_url` without a trailing slash.
    callback_base: Option<String>,
    config: ProxyConfig,
    client: reqwest::Client,
    limits: limits::Limits,
    store: Store,
    shutdown: Shutdown,
    streams: push::OpenStreams,
    credentials: credentials::Credentials,
}

/// The proxy's routes: the API under [`API_PREFIX`], and the app's `config.json`. Opens the store.
pub async fn router(config: ProxyConfig, shutdown: Shutdown) -> Result<Router, StartError> {
    let cors = cross_origin(&config.allow_origins);
    let callback_base = config.public_url.as_ref().map(|url| url.trim_end_matches('/').to_owned());
    let store = Store::open(&config.store).await?;
    // Only this process may open the embedded store now: `zonos-server access` asks it to run its commands.
    if let StoreConfig::Embedded { data_dir } = &config.store {
        if let Err(error) = crate::access::cli::listen(data_dir, &store) {
            tracing::warn!(%error, "no control socket: `zonos-server access` can't reach this server's store");
        }
    }
    let credentials = credentials::Credentials::load(&config.credentials)?;
    let proxy = Arc::new(Proxy {
        credentials,
        key: config.key.clone(),
        limits: limits::Limits::new(store.clone(), config.submissions_per_minute, config.daily_cap),
        store,
        shutdown,
        streams: push::OpenStreams::default(),
        callback_base,
        // No redirects: the proxy talks to the configured hosts only, never to where they point.
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("a client"),
        config,
    });
    let secure = proxy.config.public_url.as_deref().is_some_and(|url| url.starts_with("https://"));
    let oidc = match (&proxy.config.access.oidc, &proxy.callback_base) {
        (Some(config), Some(base)) => {
            let callback = format!("{base}{API_PREFIX}{}", zonos_api::OIDC_CALLBACK_PATH);
            let oidc = crate::access::oidc::Oidc::new(config.clone(), &callback, proxy.client.clone())
                .map_err(|_| StartError::OidcCallback(callback))?;
            Some(Arc::new(oidc))
        }
        (Some(_), None) => return Err(StartError::OidcWithoutPublicUrl),
        (None, _) => None,
    };
    let access = Access {
        mode: proxy.config.access.mode,
        store: proxy.store.clone(),
        secure,
        trusted_proxies: proxy.config.trusted_proxies.clone(),
        allow_origins: proxy.config.allow_origins.clone(),
        identity_header: proxy.config.access.identity_header.clone(),
        grants: proxy.config.access.grants.clone(),
        oidc,
    };
    // What spends the key or fills the store needs a session when access is on; the app's config, the sign-in,
    // and what the gateway itself calls (webhooks with their own tokens, reference downloads) never do.
    let mut guarded = Router::new()
        .route(GENERATE_PATH, post(forward::submit))
        .route(&format!("{STATUS_PATH_PREFIX}{{request_id}}"), get(forward::status))
        .route("/media", get(media::media))
        .route(zonos_api::REVIEWS_PATH, post(reviews::make))
        .route(&format!("{}/{{token}}/tally", zonos_api::REVIEWS_PATH), get(reviews::tally))
        .route(&format!("{}/{{token}}/events", zonos_api::REVIEWS_PATH), get(reviews::events))
        .route(&format!("{}/{{token}}/answers.csv", zonos_api::REVIEWS_PATH), get(reviews::answers_csv))
        .route(&format!("{}/{{token}}/close", zonos_api::REVIEWS_PATH), post(reviews::close));
    let mut open = Router::new().route("/config", get(app_config::config)).merge(crate::access::routes(access.clone()));
    if proxy.callback_base.is_some() {
        guarded = guarded
            .route(&format!("{EVENTS_PATH_PREFIX}{{request_id}}"), get(push::events))
            .route(REFERENCES_PATH, post(references::upload));
        open = open
            .route("/webhooks/{token}", post(push::callback))
            .route(&format!("{REFERENCES_PATH}/{{name}}"), get(references::download));
    }
    let api = guarded.route_layer(axum::middleware::from_fn_with_state(access, crate::access::require)).merge(open);
    let router = Router::new()
        .nest(API_PREFIX, api)
        // The app reads `config.json` beside its page, as on a static host: one request finds either.
        .route("/config.json", get(app_config::config))
        .route(&format!("{JOIN_PATH_PREFIX}{{code}}"), get(crate::access::join))
        // A review's listeners never sign in: its token is the only key.
        .route(&format!("{}{{token}}", zonos_api::REVIEW_PAGE_PREFIX), get(reviews::page))
        .route(&format!("{}{{token}}/audio/{{file}}", zonos_api::REVIEW_PAGE_PREFIX), get(reviews::audio))
        .route(&format!("{}{{token}}/answers", zonos_api::REVIEW_PAGE_PREFIX), post(reviews::answer))
        .with_state(proxy);
    Ok(match cors {
        Some(cors) => router.layer(cors),
        None => router,
    })
}

fn cross_origin(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|origin| HeaderValue::from_str(origin).ok()).collect();
    (!origins.is_empty()).then(|| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::CONTENT_TYPE, header::CACHE_CONTROL])
            .expose_headers([header::RETRY_AFTER])
    })
}

/// A page on another site may not spend the key or fill the reference store, unless its origin was allowed.
/// Browsers say where a request comes from (`Sec-Fetch-Site`, and `Origin`); servers, such as the gateway calling
/// back, say nothing and are not concerned.
fn check_caller(config: &ProxyConfig, headers: &HeaderMap) -> Result<(), ProxyError> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|value| value.to_str().ok());
    let origin = text(header::ORIGIN);
    let allowed = origin.is_some_and(|origin| config.allow_origins.iter().any(|allowed| allowed == origin));
    let cross_site =
        matches!(text(header::HeaderName::from_static("sec-fetch-site")), Some("cross-site" | "same-site"));
    let other_origin =
        origin.zip(text(header::HOST)).is_some_and(|(origin, host)| !crate::net::host::origin_is_host(origin, host));
    if (cross_site || other_origin) && !allowed {
        Err(ProxyError::CrossSite)
    } else {
        Ok(())
    }
}

/// JSON only: a cross-site form or `text/plain` post could otherwise skip the browser's CORS preflight.
fn check_json_type(headers: &HeaderMap) -> Result<(), ProxyError> {
    let json_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
    if json_type.is_some_and(|value| value.trim_start().to_ascii_lowercase().starts_with("application/json")) {
        Ok(())
    } else {
        Err(ProxyError::NotJsonContentType)
    }
}

/// The headers `names` of an upstream answer, to pass on to the browser.
fn passed_on(upstream: &reqwest::Response, names: &[header::HeaderName]) -> HeaderMap {
    names.iter().filter_map(|name| upstream.headers().get(name).map(|value| (name.clone(), value.clone()))).collect()
}

impl Proxy {
    /// The client a request comes from, as its limits count it (see [`crate::net::client`]).
    fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> String {
        limit_key(self.config.trusted_proxies.client(peer.ip(), headers))
    }

    /// A new callback token (see `push`), kept before the submission that carries it is sent.
    async fn open_callback(&self) -> Result<String, ProxyError> {
        let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
        self.store.open_callback(&token).await?;
        Ok(token)
    }

    /// This proxy's own address, for absolute URLs: `--public-url`, else the host the request named (one the server
    /// answers to: see [`crate::net::host`]).
    fn own_base(&self, headers: &HeaderMap) -> String {
        match &self.callback_base {
            Some(base) => base.clone(),
            None => {
                let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or("localhost");
                format!("http://{host}")
            }
        }
    }
}

/// Only a documented request id may go into an upstream path.
pub fn check_request_id(request_id: &str) -> Result<(), ProxyError> {
    if zonos_api::is_request_id(request_id) {
        Ok(())
    } else {
        Err(ProxyError::BadRequestId(request_id.to_owned()))
    }
}

/// Reads a body of at most `limit` bytes.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, ProxyError> {
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        // The timeout comes wrapped in the body's own errors: it is somewhere down the chain.
        let slow = std::iter::successors(std::error::Error::source(&error), |source| source.source())
            .any(|source| source.is::<tower_http::timeout::TimeoutError>());
        if slow {
            ProxyError::SlowBody
        } else {
            ProxyError::TooLarge(limit)
        }
    })
}
