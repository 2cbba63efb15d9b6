//! `cargo xtask demo`: install what is missing, build, serve the app with the sandbox gateway, print the URL.

use std::process::Command;

use crate::app_build::{self, Profile};
use crate::process::{announce, execute, io_error};
use crate::{toolchain, Result, XtaskError};

const DEFAULT_ADDR: &str = "127.0.0.1:8080";

fn parse_addr(args: &[String]) -> Result<String> {
    match args {
        [] => Ok(DEFAULT_ADDR.to_owned()),
        [flag, addr] if flag == "--addr" => Ok(addr.clone()),
        [flag] if flag.starts_with("--addr=") => Ok(flag["--addr=".len()..].to_owned()),
        _ => Err(XtaskError::Usage("usage: cargo xtask demo [--addr HOST:PORT]".to_owned())),
    }
}

/// Whether others can reach a server listening at `addr`: then it asks for an access code (zonos-server's default
/// off loopback), and the demo makes one.
fn reachable_by_others(addr: &str) -> bool {
    match addr.parse::<std::net::SocketAddr>() {
        Ok(addr) => !addr.ip().is_loopback(),
        Err(_) => !addr.starts_with("localhost:"),
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let addr = parse_addr(args)?;
    toolchain::ensure_build_tools()?;
    toolchain::ensure_speech()?;
    app_build::build_app()?;
    let server = app_build::build_server(Profile::Release)?;
    announce("Starting zonos-server");
    // Ctrl-C reaches the server too (same process group): it stops gracefully, and xtask waits for it.
    ctrlc::set_handler(|| {}).map_err(|error| XtaskError::Check(format!("cannot handle Ctrl-C: {error}")))?;
    // The demo's state (uploaded and recorded voices, issued request ids) is its own, beside its build.
    let data_dir = crate::root().join("target").join("demo-data");
    if reachable_by_others(&addr) {
        announce("Making an access code for this demo (others can reach it at this address)");
        // One code at a time: the last demo's goes.
        for command in [&["revoke", "demo"][..], &["add", "demo", "--expires", "1d"]] {
            execute(Command::new(&server).args(["access", "--data-dir"]).arg(&data_dir).args(command))?;
        }
    }
    let status = Command::new(&server)
        .args(["serve", "--sandbox", "--addr", &addr, "--dist"])
        .arg(app_build::dist())
        .arg("--data-dir")
        .arg(&data_dir)
        .status()
        .map_err(io_error(format!("starting {}", server.display())))?;
    if status.success() {
        Ok(())
    } else {
        Err(XtaskError::CommandFailed { command: server.display().to_string(), status })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_defaults_and_can_be_changed() {
        let args = |list: &[&str]| list.iter().map(|arg| arg.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_addr(&[]).unwrap(), "127.0.0.1:8080");
        assert_eq!(parse_addr(&args(&["--addr", "0.0.0.0:9000"])).unwrap(), "0.0.0.0:9000");
        assert_eq!(parse_addr(&args(&["--addr=127.0.0.1:1"])).unwrap(), "127.0.0.1:1");
        assert!(parse_addr(&args(&["--port", "1"])).is_err());
    }

    #[test]
    fn only_a_demo_others_can_reach_makes_a_code() {
        for local in ["127.0.0.1:8080", "[::1]:8080", "localhost:8080"] {
            assert!(!reachable_by_others(local), "{local}");
        }
        for reachable in ["0.0.0.0:9000", "[::]:9000", "192.168.1.5:8080", "studio.lan:8080"] {
            assert!(reachable_by_others(reachable), "{reachable}");
        }
    }
}
