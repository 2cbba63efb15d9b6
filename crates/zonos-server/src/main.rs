//! `zonos-server`: the command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use clap::{Args, Parser, Subcommand};
use tokio::sync::Notify;
use tracing_subscriber::EnvFilter;
use zonos_server::sandbox::{SandboxConfig, Timings};
use zonos_server::{ServeConfig, StartError};

#[derive(Parser)]
#[command(version, about = "Zonos Studio's server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the built app (and, with --sandbox, the sandbox gateway under /sandbox).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The trunk build to serve.
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
        /// Mount the sandbox gateway under /sandbox in this process.
        #[arg(long)]
        sandbox: bool,
        #[command(flatten)]
        sandbox_flags: SandboxFlags,
    },
    /// Run the sandbox gateway alone: a local stand-in for the Zonos 2 gateway.
    Sandbox {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8090")]
        addr: SocketAddr,
        #[command(flatten)]
        sandbox_flags: SandboxFlags,
    },
}

#[derive(Args)]
struct SandboxFlags {
    /// How long a sandbox job stays QUEUED, in milliseconds.
    #[arg(long, default_value_t = 1500)]
    queue_ms: u64,
    /// How long a sandbox job stays PROCESSING at least, in milliseconds.
    #[arg(long, default_value_t = 2500)]
    process_ms: u64,
    /// Accept only this API key in the sandbox (by default any non-empty key).
    #[arg(long)]
    key: Option<String>,
}

impl SandboxFlags {
    fn config(self) -> SandboxConfig {
        let timings =
            Timings { queue: Duration::from_millis(self.queue_ms), process: Duration::from_millis(self.process_ms) };
        SandboxConfig { timings, key: self.key }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let (addr, router, what) = match Cli::parse().command {
        Command::Serve { addr, dist, sandbox, sandbox_flags } => {
            let config = ServeConfig { dist, sandbox: sandbox.then(|| sandbox_flags.config()) };
            (addr, zonos_server::router(&config), "Zonos Studio")
        }
        Command::Sandbox { addr, sandbox_flags } => {
            (addr, Ok(zonos_server::sandbox_router(sandbox_flags.config())), "The Zonos 2 sandbox gateway")
        }
    };
    match run(addr, router, what).await {
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

#[derive(Debug, thiserror::Error)]
enum RunError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("serving failed: {0}")]
    Serve(#[from] std::io::Error),
}

async fn run(addr: SocketAddr, router: Result<Router, StartError>, what: &str) -> Result<(), RunError> {
    let router = router?;
    let listener = zonos_server::bind(addr).await?;
    let addr = listener.local_addr()?;
    println!("{what} is ready at http://{addr}/  (Ctrl-C stops it)");
    let stopping = Arc::new(Notify::new());
    let signal = {
        let stopping = Arc::clone(&stopping);
        async move {
            shutdown_signal().await;
            stopping.notify_one();
        }
    };
    tokio::select! {
        served = zonos_server::serve(listener, router, signal) => served?,
        // A request that never ends (a sandbox `*-hang` fault, a stalled client) must not keep the server alive.
        () = async { stopping.notified().await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {
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
