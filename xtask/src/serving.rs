//! zonos-server started for a measurement or a check: on a free port, its state in a directory of its own, stopped
//! when done, however that ends.

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::process::io_error;
use crate::{root, Result, XtaskError};

/// A running server, stopped when dropped.
pub struct Server(pub Child);

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

/// Starts the release server with `args` on a free port and waits until it listens. A proxy keeps its state in a
/// directory of its own, new for each run.
pub fn start(server: &Path, args: &[&str], site: &Path) -> Result<(Server, SocketAddr)> {
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
