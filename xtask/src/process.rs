//! Running the tools, each step announced so that a long one never looks like a hang.

use std::process::{Command, Output, Stdio};
use std::time::Instant;

use crate::{Result, XtaskError};

/// Prints a step's heading: what it does and, for long ones, how long it takes.
pub fn announce(what: &str) {
    println!("\n==> {what}");
}

fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|arg| arg.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs a command in the workspace root with its output shown, failing on a non-zero exit.
pub fn execute(command: &mut Command) -> Result<()> {
    let described = describe(command);
    println!("    $ {described}");
    let started = Instant::now();
    let status = command
        .current_dir(crate::root())
        .status()
        .map_err(|source| XtaskError::CommandMissing { command: described.clone(), source })?;
    if !status.success() {
        return Err(XtaskError::CommandFailed { command: described, status });
    }
    println!("    done in {:.0?}", started.elapsed());
    Ok(())
}

/// Runs a command as [`execute`] does, its output shown as it comes and also added to `record`.
pub fn execute_recorded(command: &mut Command, record: &mut String) -> Result<()> {
    use std::io::BufRead;
    let described = describe(command);
    println!("    $ {described}");
    let started = Instant::now();
    let mut child = command
        .current_dir(crate::root())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|source| XtaskError::CommandMissing { command: described.clone(), source })?;
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in std::io::BufReader::new(stdout).lines().map_while(std::result::Result::ok) {
        println!("{line}");
        record.push_str(&line);
        record.push('\n');
    }
    let status = child.wait().map_err(|source| XtaskError::CommandMissing { command: described.clone(), source })?;
    if !status.success() {
        return Err(XtaskError::CommandFailed { command: described, status });
    }
    println!("    done in {:.0?}", started.elapsed());
    Ok(())
}

/// Runs a command quietly and returns its output (for version checks); `None` when it cannot run at all.
pub fn output(program: &str, args: &[&str]) -> Option<Output> {
    Command::new(program).args(args).stdin(Stdio::null()).output().ok()
}

/// The first line a program prints for `--version`, if it runs.
pub fn version_of(program: &str) -> Option<String> {
    let output = output(program, &["--version"])?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").to_owned())
}

/// A `cargo` command for this workspace, with the same toolchain that runs xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

pub fn io_error(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> XtaskError {
    let what = what.into();
    move |source| XtaskError::Io { what, source }
}
