//! `zonos-server`: the command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use zonos_server::ServeConfig;

#[derive(Parser)]
#[command(version, about = "Zonos Studio's server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the built app.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The trunk build to serve.
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let Command::Serve { addr, dist } = Cli::parse().command;
    let started = async {
        let router = zonos_server::router(&ServeConfig { dist })?;
        let listener = zonos_server::bind(addr).await?;
        Ok::<_, zonos_server::StartError>((router, listener))
    };
    let (router, listener) = match started.await {
        Ok(started) => started,
        Err(error) => {
            eprintln!("zonos-server: {error}");
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().expect("a bound listener has an address");
    println!("Zonos Studio is ready at http://{addr}/  (Ctrl-C stops it)");
    match zonos_server::serve(listener, router, shutdown_signal()).await {
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
