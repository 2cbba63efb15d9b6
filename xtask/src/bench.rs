//! `cargo xtask bench`: the release build's first load, measured in headless Chromium next to a static page with
//! one button, both served by the same release server in the same run; then how soon a finished take can play,
//! pushed by the proxy and found by polling; then a long script's wall time, its parts sent two at a time and one
//! at a time; then hostile load: time and peak memory of a huge text in a tiny take, and of an upload flood.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::app_build::{self, Profile};
use crate::process::{announce, execute_recorded, io_error};
use crate::serving::start;
use crate::{root, toolchain, Result};

/// The baseline: the least a page can be that shows a Generate button.
const STATIC_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Static baseline</title></head>
<body><button type="button">Generate</button></body></html>
"#;

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

/// Where the figures are written: the documentation quotes this file, never figures typed by hand.
const REPORT: &str = "docs/bench.md";

/// One measurement of the report: its heading, and what its script printed.
struct Report(String);

impl Report {
    fn measure(&mut self, heading: &str, command: &mut Command) -> Result<()> {
        announce(heading);
        self.0.push_str(&format!("\n## {heading}\n\n```text\n"));
        let measured = execute_recorded(command, &mut self.0);
        self.0.push_str("```\n");
        measured
    }

    fn write(&self) -> Result<()> {
        let cores = std::thread::available_parallelism().map_or(0, std::num::NonZeroUsize::get);
        let text = format!(
            "# Benchmarks\n\nWritten by `cargo xtask bench` on a machine with {cores} cores; run it again to renew \
             these figures (this file is not edited by hand).\n{}",
            self.0
        );
        fs::write(root().join(REPORT), text).map_err(io_error(format!("writing {REPORT}")))?;
        println!("\nThe figures are in {REPORT}");
        Ok(())
    }
}

pub fn run() -> Result<()> {
    toolchain::ensure_build_tools()?;
    toolchain::ensure_test_tools()?;
    toolchain::ensure_speech()?;
    app_build::build_app()?;
    let server = app_build::build_server(Profile::Release)?;
    let site = bench_site(&app_build::dist())?;
    let (_static_host, addr) = start(&server, &["serve"], &site)?;
    let mut report = Report(String::new());
    // Over budget, it fails; the rest is measured all the same, so that one run tells everything.
    let first_load = report.measure(
        &format!("First loads in headless Chromium (fresh profile each time), served on {addr}"),
        Command::new("node").arg("e2e/bench/first-load.mjs").arg(format!("http://{addr}")),
    );

    let (_studio, studio) = start(&server, &["serve", "--sandbox"], &site)?;
    let (_gateway, gateway) = start(&server, &["sandbox"], &site)?;
    report.measure(
        "How soon a finished take can play: pushed over SSE, and found by polling",
        Command::new("node")
            .arg("e2e/bench/result-latency.mjs")
            .args([studio, addr, gateway].map(|addr| format!("http://{addr}"))),
    )?;
    report.measure(
        "A long script's wall time: parts sent two at a time, and one at a time",
        Command::new("node").arg("e2e/bench/long-script.mjs").arg(format!("http://{studio}")),
    )?;
    let (sandbox, sandbox_addr) = start(&server, &["sandbox"], &site)?;
    let (flooded, flooded_addr) = start(&server, &["serve", "--sandbox"], &site)?;
    report.measure(
        "Hostile load: a huge text in a tiny take (sandbox), an upload flood (proxy)",
        Command::new("node").arg("e2e/bench/hostile.mjs").args([
            format!("http://{sandbox_addr}"),
            sandbox.0.id().to_string(),
            format!("http://{flooded_addr}"),
            flooded.0.id().to_string(),
        ]),
    )?;
    report.measure(
        "Review links: a listener's page before the first play, and an answer's way to the presenter's tally",
        Command::new("node").arg("e2e/bench/review.mjs").arg(&server).arg(&site),
    )?;
    report.write()?;
    first_load
}
