//! `zonos-sandbox`: the stand-in gateway alone, for a page or a proxy to call. (`zonos-server sandbox` serves the
//! same within the server's connection bounds.)

use std::net::SocketAddr;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use zonos_sandbox::cli::SandboxFlags;
use zonos_sandbox::reach::Reach;

#[derive(Parser)]
#[command(version, about = "A local stand-in for the Zonos 2 gateway")]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    addr: SocketAddr,
    #[command(flatten)]
    flags: SandboxFlags,
    /// A host it may fetch references from and call webhooks at, besides public addresses; repeat for more.
    #[arg(long = "allow-host", value_name = "HOST")]
    allow_hosts: Vec<String>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let cli = Cli::parse();
    let listener = tokio::net::TcpListener::bind(cli.addr).await?;
    let local = listener.local_addr()?;
    let router = zonos_sandbox::router(cli.flags.config(Reach::listening_at(local, cli.allow_hosts)), "");
    println!("The Zonos 2 sandbox gateway is ready at http://{local}/  (Ctrl-C stops it)");
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
