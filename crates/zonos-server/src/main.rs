//! `zonos-server`: the command line.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use axum::Router;
use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;
use tracing_subscriber::EnvFilter;
use zonos_server::access::cli::{self, AccessCommand};
use zonos_server::access::oidc::OidcConfig;
use zonos_server::access::{self, AccessConfig, AccessMode, Grants};
use zonos_server::net::client::TrustedProxies;
use zonos_server::proxy::{ApiKey, CredentialsConfig, ProxyConfig};
#[cfg(feature = "sandbox")]
use zonos_server::sandbox::{
    cli::SandboxFlags,
    reach::{own_address, Reach},
    SandboxConfig,
};
use zonos_server::store::Budget;
use zonos_server::store::StoreConfig;
use zonos_server::{AllowedHosts, Bounds, ServeConfig, Shutdown, StartError};

#[derive(Parser)]
#[command(version, about = "Zonos Studio's server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start-up: the size of a variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Serve the built app (and, with --sandbox, the sandbox gateway under /sandbox).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The app's build to serve (`cargo xtask build` writes it).
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
        #[cfg(feature = "sandbox")]
        #[command(flatten)]
        mounted: MountedSandbox,
        #[command(flatten)]
        proxy_flags: ProxyFlags,
        #[command(flatten)]
        host_flags: HostFlags,
        /// A reverse proxy in front of this server (an address or a CIDR block): only from it are
        /// X-Forwarded-For and Forwarded believed, to tell which client a request is from; repeat for more.
        #[arg(long = "trusted-proxy", value_name = "CIDR")]
        trusted_proxies: Vec<IpNet>,
    },
    /// Make, list and revoke the access codes and invites of `serve --access codes`, and read the spend log (with
    /// the embedded store, by the server running on it if one does; with Redis, on Redis).
    Access {
        #[command(subcommand)]
        command: AccessCommand,
        #[command(flatten)]
        store_flags: StoreFlags,
    },
    /// Run the sandbox gateway alone: a local stand-in for the Zonos 2 gateway.
    #[cfg(feature = "sandbox")]
    Sandbox {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8090")]
        addr: SocketAddr,
        #[command(flatten)]
        sandbox_flags: SandboxFlags,
        #[command(flatten)]
        host_flags: HostFlags,
    },
}

/// Hosts named on the command line, for both roles.
#[derive(Args)]
struct HostFlags {
    /// A host this server also answers to (besides its own address, localhost names and --public-url's host), and
    /// that its sandbox may fetch references from and call webhooks at (besides public addresses); repeat for more.
    #[arg(long = "allow-host", value_name = "HOST")]
    allow_hosts: Vec<String>,
}

#[cfg(feature = "sandbox")]
impl HostFlags {
    fn reach(&self, local: SocketAddr) -> Reach {
        Reach::listening_at(local, self.allow_hosts.clone())
    }
}

#[cfg(feature = "sandbox")]
#[derive(Args)]
struct MountedSandbox {
    /// Mount the sandbox gateway under /sandbox in this process, and proxy to it.
    #[arg(long)]
    sandbox: bool,
    #[command(flatten)]
    flags: SandboxFlags,
}

#[cfg(feature = "sandbox")]
impl MountedSandbox {
    /// The sandbox to mount, if asked: it calls its proxy back at the proxy's own address, however it listens.
    fn config(self, local: SocketAddr, host_flags: &HostFlags) -> Option<SandboxConfig> {
        let reach = Reach { own: Some(own_address(local)), ..host_flags.reach(local) };
        self.sandbox.then(|| self.flags.config(reach))
    }
}

/// Built without the sandbox, there is none to mount.
#[cfg(not(feature = "sandbox"))]
type SandboxConfig = std::convert::Infallible;

/// The proxy's flags. The key itself is never a flag (it would show in the process list): it comes from the
/// environment variable `ZONOS_API_KEY` or from `--key-file`.
#[derive(Args)]
struct ProxyFlags {
    /// The gateway to forward /api calls to.
    #[arg(long, default_value = zonos_api::DEFAULT_GATEWAY_URL)]
    upstream: String,
    /// A file holding the gateway's API key (instead of the environment variable ZONOS_API_KEY).
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// This server's address as the gateway can reach it (https://…): enables webhook push and reference uploads.
    #[arg(long)]
    public_url: Option<String>,
    /// A host (or host:port) that /api/media may fetch result audio from; repeat for more [default: the
    /// documented CDN host].
    #[arg(long = "media-host")]
    media_hosts: Vec<String>,
    /// Another origin allowed to call /api (CORS); repeat for more. By default only the app's own origin.
    #[arg(long = "allow-origin")]
    allow_origins: Vec<String>,
    /// Submissions allowed per minute from one client address.
    #[arg(long, default_value_t = zonos_server::proxy::DEFAULT_SUBMISSIONS_PER_MINUTE)]
    rate_per_minute: NonZeroU32,
    /// At most this many submissions sent upstream per day (UTC), over all clients.
    #[arg(long)]
    daily_cap: Option<u32>,
    #[command(flatten)]
    store_flags: StoreFlags,
    /// The certificate chain (PEM, the signer's first) that signs served takes' Content Credentials (C2PA)
    /// [default: a self-issued one, made on first run in the data directory].
    #[arg(long, value_name = "FILE", requires = "c2pa_key")]
    c2pa_cert: Option<PathBuf>,
    /// The signing certificate's private key (PEM, PKCS#8; ECDSA P-256).
    #[arg(long, value_name = "FILE", requires = "c2pa_cert")]
    c2pa_key: Option<PathBuf>,
    /// Who may use /api: anyone who reaches the server (open), a person signed in with an access code (codes),
    /// whoever the reverse proxy in front names in --access-header (header; believed from a --trusted-proxy only),
    /// or a person signed in at an OpenID Connect provider (oidc, with --oidc-issuer and --oidc-client-id)
    /// [default: open when only this machine can reach the server (it listens on loopback, with no --trusted-proxy
    /// and no public URL of another host), codes otherwise].
    #[arg(long, value_enum)]
    access: Option<AccessMode>,
    /// With --access header: the header the reverse proxy names the signed-in person in (Remote-User for
    /// Authelia and nginx's auth_request, X-Auth-Request-User for oauth2-proxy).
    #[arg(long, value_name = "NAME", default_value = "Remote-User")]
    access_header: axum::http::HeaderName,
    /// With --access header or oidc: submissions each person may send a day (UTC) [default: no limit but
    /// --daily-cap].
    #[arg(long, value_name = "N")]
    default_budget: Option<u32>,
    /// With --access header or oidc: submissions each person may send in all [default: no limit].
    #[arg(long, value_name = "N")]
    default_total: Option<u32>,
    /// With --access header or oidc: a person who may read the spend log in the page (as the proxy names them, or
    /// by the verified e-mail address the provider gives); repeat for more.
    #[arg(long = "admin", value_name = "NAME")]
    admins: Vec<String>,
    /// With --access oidc: the OpenID provider's issuer URL (its metadata is at
    /// ISSUER/.well-known/openid-configuration). Register PUBLIC_URL/api/access/oidc/callback with it.
    #[arg(long, value_name = "URL")]
    oidc_issuer: Option<String>,
    /// With --access oidc: this studio's client id at the provider.
    #[arg(long, value_name = "ID")]
    oidc_client_id: Option<String>,
    /// With --access oidc: a file holding the client's secret (none: a public client, which PKCE protects).
    #[arg(long, value_name = "FILE")]
    oidc_client_secret_file: Option<PathBuf>,
}

/// Where the proxy's state is.
#[derive(Args)]
struct StoreFlags {
    /// Where the proxy keeps uploaded references, the daily cap's count, issued request ids and webhook tokens, so
    /// that a restart loses none of them [default: $XDG_DATA_HOME/zonos-studio, else ~/.local/share/zonos-studio].
    #[arg(long, value_name = "DIR", conflicts_with = "redis")]
    data_dir: Option<PathBuf>,
    /// Keep that state in Redis instead (redis://HOST:PORT), shared by every replica of the proxy: run several
    /// behind one address, and a webhook received by any reaches the browser following the job on any other.
    #[arg(long, value_name = "URL")]
    redis: Option<String>,
}

impl StoreFlags {
    /// Where the proxy keeps its state, said once at start-up (never a Redis password), on stderr: what `access`
    /// prints on stdout (a code, CSV) is for pasting or piping.
    fn store(&self) -> Result<StoreConfig, RunError> {
        if let Some(url) = &self.redis {
            let shown = url.rsplit_once('@').map_or(url.as_str(), |(_, host)| host);
            eprintln!("The proxy's state is kept in Redis at {shown}");
            return Ok(StoreConfig::Redis { url: url.clone() });
        }
        let data_dir = self.data_dir().ok_or(RunError::NoDataDir)?;
        eprintln!("The proxy's state is kept in {}", data_dir.display());
        Ok(StoreConfig::Embedded { data_dir })
    }

    fn data_dir(&self) -> Option<PathBuf> {
        self.data_dir.clone().or_else(default_data_dir)
    }
}

impl ProxyFlags {
    fn store(&self) -> Result<StoreConfig, RunError> {
        self.store_flags.store()
    }

    /// Where served takes' Content Credentials are signed from: the given files, else made beside the state.
    fn credentials(&self) -> Result<CredentialsConfig, RunError> {
        if let (Some(certificate), Some(key)) = (&self.c2pa_cert, &self.c2pa_key) {
            return Ok(CredentialsConfig::Given { certificate: certificate.clone(), key: key.clone() });
        }
        Ok(CredentialsConfig::MadeIn(self.store_flags.data_dir().ok_or(RunError::NoCredentialsDir)?))
    }

    /// The proxy's configuration: in front of the sandbox at `local`, or of the gateway when a key is given.
    fn config(
        self,
        local: SocketAddr,
        sandbox: Option<&SandboxConfig>,
        trusted_proxies: TrustedProxies,
    ) -> Result<Option<ProxyConfig>, RunError> {
        let mut config = match sandbox {
            #[cfg(not(feature = "sandbox"))]
            Some(never) => match *never {},
            // Signed from beside the state by default, or from the given files, in front of the sandbox too.
            #[cfg(feature = "sandbox")]
            Some(sandbox) => ProxyConfig {
                credentials: self.credentials()?,
                ..ProxyConfig::for_sandbox(local, sandbox, self.store()?)
            },
            None => {
                let Some(key) = self.key()? else {
                    println!("No gateway key (ZONOS_API_KEY or --key-file): serving the app alone, without /api.");
                    return Ok(None);
                };
                ProxyConfig {
                    upstream: self.upstream.trim_end_matches('/').to_owned(),
                    key,
                    public_url: None,
                    media_hosts: vec![zonos_server::proxy::DOCUMENTED_MEDIA_HOST.to_owned()],
                    allow_origins: Vec::new(),
                    submissions_per_minute: self.rate_per_minute,
                    daily_cap: None,
                    voices: Vec::new(),
                    sandbox: false,
                    store: self.store()?,
                    trusted_proxies: TrustedProxies::default(),
                    credentials: self.credentials()?,
                    access: AccessConfig::default(),
                }
            }
        };
        if self.public_url.is_some() {
            config.public_url = self.public_url;
        }
        let mode =
            self.access.unwrap_or_else(|| access::default_mode(local, config.public_url.as_deref(), &trusted_proxies));
        match mode {
            AccessMode::Open if !local.ip().is_loopback() => {
                println!("Access: open. Anyone who reaches {local} spends the key: --access codes asks for a code.")
            }
            AccessMode::Open => {}
            AccessMode::Codes => {
                println!("Access: codes. Make one with `zonos-server access add NAME`, with this server's store flags.")
            }
            // Without a trusted proxy, every named request would be a forgery: nobody could sign in.
            AccessMode::Header if trusted_proxies.0.is_empty() => return Err(RunError::HeaderWithoutTrustedProxy),
            AccessMode::Header => {
                println!("Access: header. Whoever the trusted proxy names in {} signs in.", self.access_header)
            }
            AccessMode::Oidc => {
                let issuer = self.oidc_issuer.as_deref().ok_or(RunError::OidcIncomplete("--oidc-issuer"))?;
                println!("Access: oidc. People sign in at {issuer}.")
            }
        }
        let oidc = match (mode, self.oidc_issuer, self.oidc_client_id) {
            (AccessMode::Oidc, Some(issuer), Some(client_id)) => {
                let client_secret = match &self.oidc_client_secret_file {
                    Some(path) => Some(read_secret(path)?),
                    None => None,
                };
                Some(OidcConfig { issuer, client_id, client_secret })
            }
            (AccessMode::Oidc, _, None) => return Err(RunError::OidcIncomplete("--oidc-client-id")),
            _ => None,
        };
        config.access = AccessConfig {
            mode,
            identity_header: self.access_header,
            grants: Grants {
                budget: Budget { daily: self.default_budget, in_all: self.default_total },
                admins: self.admins,
            },
            oidc,
        };
        if !self.media_hosts.is_empty() {
            // Given hosts replace the documented CDN; the in-process sandbox's own host stays.
            if sandbox.is_none() {
                config.media_hosts.clear();
            }
            config.media_hosts.extend(self.media_hosts);
        }
        config.allow_origins = self.allow_origins;
        config.trusted_proxies = trusted_proxies;
        config.submissions_per_minute = self.rate_per_minute;
        config.daily_cap = self.daily_cap;
        Ok(Some(config))
    }

    fn key(&self) -> Result<Option<ApiKey>, RunError> {
        match &self.key_file {
            Some(path) => ApiKey::new(&read_secret(path)?).map(Some).ok_or(RunError::EmptyKeyFile(path.clone())),
            None => Ok(std::env::var("ZONOS_API_KEY").ok().as_deref().and_then(ApiKey::new)),
        }
    }
}

/// A secret kept in a file (never a flag's value: that shows in the process list), without its line end.
fn read_secret(path: &PathBuf) -> Result<String, RunError> {
    let text = std::fs::read_to_string(path).map_err(|source| RunError::KeyFile { path: path.clone(), source })?;
    let secret = text.trim();
    if secret.is_empty() {
        return Err(RunError::EmptyKeyFile(path.clone()));
    }
    Ok(secret.to_owned())
}

/// The per-user place for the proxy's state, as the XDG base directories have it.
fn default_data_dir() -> Option<PathBuf> {
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))?;
    Some(data_home.join("zonos-studio"))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let outcome = match Cli::parse().command {
        Command::Serve {
            addr,
            dist,
            #[cfg(feature = "sandbox")]
            mounted,
            proxy_flags,
            host_flags,
            trusted_proxies,
        } => {
            run(addr, "Zonos Studio", move |local, shutdown| async move {
                #[cfg(feature = "sandbox")]
                let sandbox = mounted.config(local, &host_flags);
                #[cfg(not(feature = "sandbox"))]
                let sandbox: Option<SandboxConfig> = None;
                let trusted_proxies = TrustedProxies(trusted_proxies);
                let proxy = proxy_flags.config(local, sandbox.as_ref(), trusted_proxies.clone())?;
                let public_url = proxy.as_ref().and_then(|proxy| proxy.public_url.as_deref());
                let allowed_hosts = AllowedHosts::new(local, public_url, &host_flags.allow_hosts);
                let config = ServeConfig {
                    dist,
                    #[cfg(feature = "sandbox")]
                    sandbox,
                    proxy,
                    shutdown,
                    allowed_hosts,
                };
                Ok((zonos_server::router(&config).await?, Bounds { trusted_proxies, ..Bounds::default() }))
            })
            .await
        }
        Command::Access { command, store_flags } => {
            return match run_access(command, &store_flags).await {
                Ok(output) => {
                    print!("{output}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("zonos-server: {error}");
                    ExitCode::FAILURE
                }
            };
        }
        #[cfg(feature = "sandbox")]
        Command::Sandbox { addr, sandbox_flags, host_flags } => {
            run(addr, "The Zonos 2 sandbox gateway", |local, _| async move {
                let sandbox = sandbox_flags.config(host_flags.reach(local));
                Ok((zonos_server::sandbox_router(sandbox), Bounds::default()))
            })
            .await
        }
    };
    match outcome {
        Ok(()) => {
            println!("zonos-server stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("zonos-server: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs an `access` command: by the server holding the embedded store, if one runs, else on the store itself.
async fn run_access(command: AccessCommand, store_flags: &StoreFlags) -> Result<String, RunError> {
    let config = store_flags.store()?;
    if let StoreConfig::Embedded { data_dir } = &config {
        if let Some(answer) = cli::ask(data_dir, &command).await {
            return answer.map_err(RunError::ByServer);
        }
    }
    let store = zonos_server::store::Store::open(&config).await.map_err(RunError::Store)?;
    Ok(command.run(&store).await?)
}

#[derive(Debug, thiserror::Error)]
enum RunError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("serving failed: {0}")]
    Serve(#[from] std::io::Error),
    #[error("cannot read the secret file {path}: {source}")]
    KeyFile { path: PathBuf, source: std::io::Error },
    #[error("the secret file {0} is empty")]
    EmptyKeyFile(PathBuf),
    #[error("no place for the proxy's state: give --data-dir (neither XDG_DATA_HOME nor HOME is set)")]
    NoDataDir,
    #[error(
        "no place to make the C2PA signing key: give --c2pa-cert and --c2pa-key (neither XDG_DATA_HOME nor HOME is set)"
    )]
    NoCredentialsDir,
    #[error("cannot open the proxy's state (with the embedded store, stop the server using it first): {0}")]
    Store(zonos_server::store::StoreError),
    #[error(transparent)]
    Access(#[from] access::AccessError),
    #[error("--access header needs the reverse proxy that sets the header: give it with --trusted-proxy")]
    HeaderWithoutTrustedProxy,
    #[error("--access oidc needs {0}")]
    OidcIncomplete(&'static str),

    #[error("the server using this store refused it: {0}")]
    ByServer(String),
}

/// Binds `addr`, builds the routes for the address actually bound (port 0 picks one), and serves them. On Ctrl-C
/// or SIGTERM: stops accepting, ends the event streams (their browsers follow their jobs again elsewhere), lets
/// requests and forwards to the gateway in flight end, then returns.
async fn run<Routes>(
    addr: SocketAddr,
    what: &str,
    routes: impl FnOnce(SocketAddr, Shutdown) -> Routes,
) -> Result<(), RunError>
where
    Routes: std::future::Future<Output = Result<(Router, Bounds), RunError>>,
{
    let listener = zonos_server::bind(addr).await?;
    let addr = listener.local_addr()?;
    let shutdown = Shutdown::default();
    let (router, bounds) = routes(addr, shutdown.clone()).await?;
    println!("{what} is ready at http://{addr}/  (Ctrl-C stops it)");
    let signal = {
        let shutdown = shutdown.clone();
        async move {
            shutdown_signal().await;
            println!("Stopping: no new connections; finishing what is in flight");
            shutdown.begin();
        }
    };
    let finished = async {
        zonos_server::serve(listener, router, bounds, signal).await?;
        shutdown.forwards_done().await;
        Ok::<(), RunError>(())
    };
    tokio::select! {
        finished = finished => finished?,
        // A request that never ends (a sandbox `*-hang` fault, a stalled client) must not keep the server alive.
        () = async { shutdown.begun().await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {
            eprintln!("zonos-server: requests still running after {SHUTDOWN_GRACE:?} were cut off");
        }
    }
    Ok(())
}

/// How long requests in flight may take to end after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Ctrl-C or SIGTERM: stop accepting, let requests in flight end.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
