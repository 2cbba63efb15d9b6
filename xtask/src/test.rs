//! `cargo xtask test`: every check and test, in order of cost; the first failure stops the run with a non-zero
//! exit. This is what CI runs.

use std::process::Command;
use std::time::Instant;

use crate::app_build::{self, Profile};
use crate::process::{announce, cargo, execute};
use crate::{serving, toolchain, Result};

const APP: &str = "zonos-studio";
const WASM: &str = "wasm32-unknown-unknown";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Where `cargo install` put geckodriver.
fn geckodriver() -> String {
    let home = std::env::var("CARGO_HOME")
        .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_else(|_| "/root".to_owned())));
    format!("{home}/bin/geckodriver")
}

pub fn run() -> Result<()> {
    let started = Instant::now();
    toolchain::ensure_build_tools()?;
    toolchain::ensure_test_tools()?;
    toolchain::ensure_speech()?;
    let c2pa_reader = toolchain::ensure_c2pa_reader()?;

    announce("Formatting (cargo fmt --check)");
    execute(cargo().args(["fmt", "--all", "--", "--check"]))?;

    announce("Lints: the server, the contract and xtask (clippy, warnings are errors)");
    execute(cargo().args(["clippy", "--workspace", "--exclude", APP, "--all-targets", "--", "-D", "warnings"]))?;
    announce("Lints: the production proxy, built without its sandbox (clippy, warnings are errors)");
    execute(cargo().args(["clippy", "--package", "zonos-server", "--no-default-features", "--", "-D", "warnings"]))?;
    announce("Lints: the app, for the browser (clippy, warnings are errors)");
    execute(cargo().args(["clippy", "--package", APP, "--target", WASM, "--all-targets", "--", "-D", "warnings"]))?;

    announce("Native tests: the contract, the app's logic (studio-core), the server and its sandbox (over real sockets), xtask");
    execute(cargo().args(["test", "--workspace", "--exclude", APP]))?;

    // The runner picks its browser by the driver it is given; both read webdriver.json.
    for (browser, driver, path) in
        [("Chromium", "CHROMEDRIVER", CHROMEDRIVER.to_owned()), ("Firefox", "GECKODRIVER", geckodriver())]
    {
        announce(&format!("The app's tests in headless {browser} (wasm-bindgen-test)"));
        execute(
            cargo()
                .args(["test", "--package", APP, "--target", WASM])
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
                .env(driver, path),
        )?;
    }

    app_build::build_app()?;
    let server = app_build::build_server(Profile::Debug)?;
    announce("End-to-end tests: Playwright drives Debian's Chromium against zonos-server");
    execute(
        Command::new(crate::root().join("node_modules/.bin/playwright"))
            .args(["test", "--config", "e2e/playwright.config.ts"])
            .env("ZONOS_SERVER", &server)
            .env("C2PA_PYTHON", &c2pa_reader),
    )?;
    announce("The first load's budget: what a first visit transfers until the app is ready (brotli, and requests)");
    let (_host, host) = serving::start(&server, &["serve"], &app_build::dist())?;
    execute(Command::new("node").args(["e2e/bench/first-load.mjs", &format!("http://{host}"), "--bytes-only"]))?;
    announce("A review listener's page: what a phone transfers before the first take plays (brotli)");
    execute(Command::new("node").arg("e2e/bench/review.mjs").arg(&server).arg(app_build::dist()).arg("--bytes-only"))?;
    announce("End-to-end tests in Firefox ESR and WebKitGTK: the core flows, over WebDriver");
    execute(
        Command::new("node")
            .args(["--test", "--test-reporter=spec", "e2e/engines/"])
            .env("ZONOS_SERVER", &server)
            .env("GECKODRIVER", geckodriver()),
    )?;

    println!("\nxtask test: every check passed in {:.0?}", started.elapsed());
    Ok(())
}
