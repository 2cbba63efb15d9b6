//! `cargo xtask demo | test | bench`: the README's commands. Each installs what is missing (and only that), then
//! does its work, saying what each long step is doing.

mod app_build;
mod bench;
mod demo;
mod process;
mod serving;
mod test;
mod toolchain;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  demo [--addr HOST:PORT]   install what is missing, build the app, serve it (default 127.0.0.1:8080)
  test                      install what is missing, run every check and test (what CI runs)
  bench                     measure the release build: first-load transfer and time to a usable page
  build                     install the build tools if missing, build the release app into dist/";

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum XtaskError {
    #[error("{0}")]
    Usage(String),
    #[error("`{command}` failed ({status})")]
    CommandFailed { command: String, status: std::process::ExitStatus },
    #[error("could not run `{command}`: {source}")]
    CommandMissing { command: String, source: std::io::Error },
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("{0}")]
    Check(String),
}

pub type Result<T> = std::result::Result<T, XtaskError>;

/// The workspace root, where every command runs.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_owned()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo::run(&args[1..]),
        Some("test") => test::run(),
        Some("bench") => bench::run(),
        Some("build") => toolchain::ensure_build_tools().and_then(|()| app_build::build_app()),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(XtaskError::Usage(USAGE.to_owned())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: {error}");
            ExitCode::FAILURE
        }
    }
}
