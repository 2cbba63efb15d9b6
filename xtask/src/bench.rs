//! `cargo xtask bench`: the release build's first load, measured in headless Chromium next to a static page with
//! one button, both served by the same release server in the same run; then how soon a finished take can play,
//! pushed by the proxy and found by polling; then a long script's wall time, its parts sent two at a time and one
//! at a time; then hostile load: time and peak memory of a huge text in a tiny take, and of an upload flood.

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::app_build::{self, Profile};
use crate::process::{announce, execute, io_error};
use crate::{root, toolchain, Result, XtaskError};

/// The baseline: the least a page can be that shows a Generate button.
const STATIC_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Static baseline</title></head>
<body><button type="button">Generate</button></body></html>
"#;

/// Stops the server when the bench ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_addr() -> Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(io_error("finding a free port"))?;
    listener.local_addr().map_err(io_error("finding a free port"))
}

fn wait_until_listening(addr: SocketAddr) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        if Instant::now() > deadline {
            return Err(XtaskError::Check(format!("zonos-server did not listen on {addr} within 30 s")));
        }
        sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// Copies the files of `from`, and of the folders in it, into `to`.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).map_err(io_error(format!("creating {}", to.display())))?;
    for entry in fs::read_dir(from).map_err(io_error(format!("reading {}", from.display())))? {
        let path = entry.map_err(io_error("reading dist"))?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            fs::copy(&path, &target).map_err(io_error("copying dist"))?;
        }
    }
    Ok(())
}

/// A copy of the build with the static baseline page beside it.
fn bench_site(dist: &Path) -> Result<std::path::PathBuf> {
    let site = root().join("target").join("bench-site");
    let _ = fs::remove_dir_all(&site);
    copy_tree(dist, &site)?;
    fs::write(site.join("static.html"), STATIC_PAGE).map_err(io_error("writing the static page"))?;
    Ok(site)
}

/// Starts the release server with `args` on a free port and waits until it listens. A proxy keeps its state in a
/// directory of its own, new for each run.
fn start(server: &Path, args: &[&str], site: &Path) -> Result<(Server, SocketAddr)> {
    let addr = free_addr()?;
    let data_dir = root().join("target").join("bench-data").join(addr.port().to_string());
    let _ = fs::remove_dir_all(&data_dir);
    let serving = if args[0] == "serve" {
        vec!["--dist".as_ref(), site.as_os_str(), "--data-dir".as_ref(), data_dir.as_os_str()]
    } else {
        Vec::new()
    };
    let child = Command::new(server)
        .args(args)
        .args(["--addr", &addr.to_string()])
        .args(serving)
        .env("RUST_LOG", "warn")
        .spawn()
        .map_err(io_error(format!("starting {}", server.display())))?;
    let server = Server(child);
    wait_until_listening(addr)?;
    Ok((server, addr))
}

pub fn run() -> Result<()> {
    toolchain::ensure_build_tools()?;
    toolchain::ensure_test_tools()?;
    toolchain::ensure_speech()?;
    app_build::build_app()?;
    let server = app_build::build_server(Profile::Release)?;
    let site = bench_site(&app_build::dist())?;
    let (_static_host, addr) = start(&server, &["serve"], &site)?;
    announce(&format!("Measuring first loads in headless Chromium (fresh profile each time), served on {addr}"));
    // Over budget, it fails; the latency is measured all the same, so that one run tells everything.
    let first_load = execute(Command::new("node").arg("e2e/bench/first-load.mjs").arg(format!("http://{addr}")));

    let (_studio, studio) = start(&server, &["serve", "--sandbox"], &site)?;
    let (_gateway, gateway) = start(&server, &["sandbox"], &site)?;
    announce("Measuring how soon a finished take can play: pushed over SSE, and found by polling");
    execute(
        Command::new("node")
            .arg("e2e/bench/result-latency.mjs")
            .args([studio, addr, gateway].map(|addr| format!("http://{addr}"))),
    )?;
    announce("Measuring a long script's wall time: parts sent two at a time, and one at a time");
    execute(Command::new("node").arg("e2e/bench/long-script.mjs").arg(format!("http://{studio}")))?;
    announce("Measuring hostile load: a huge text in a tiny take (sandbox), an upload flood (proxy)");
    let (sandbox, sandbox_addr) = start(&server, &["sandbox"], &site)?;
    let (flooded, flooded_addr) = start(&server, &["serve", "--sandbox"], &site)?;
    execute(Command::new("node").arg("e2e/bench/hostile.mjs").args([
        format!("http://{sandbox_addr}"),
        sandbox.0.id().to_string(),
        format!("http://{flooded_addr}"),
        flooded.0.id().to_string(),
    ]))?;
    first_load
}
