//! Installs what the build and the tests need, and only what is missing: each check costs a version query, so a
//! second run takes seconds. Nothing is downloaded from outside the package registries (crates.io, apt, npm).

use std::fs;
use std::process::Command;

use crate::process::{announce, cargo, execute, io_error, output, version_of};
use crate::{root, Result, XtaskError};

/// A command-line tool installed with `cargo install`.
struct CargoTool {
    krate: &'static str,
    version: String,
    binaries: &'static [&'static str],
    locked: bool,
    minutes: u32,
}

impl CargoTool {
    fn is_installed(&self) -> bool {
        self.binaries.iter().all(|binary| {
            version_of(binary).is_some_and(|line| line.split_whitespace().any(|word| word == self.version))
        })
    }

    fn ensure(&self) -> Result<()> {
        if self.is_installed() {
            println!("    {} {} is installed", self.krate, self.version);
            return Ok(());
        }
        announce(&format!(
            "Installing {} {} with cargo install (first run only: about {} minutes on 2 cores)",
            self.krate, self.version, self.minutes
        ));
        let mut install = cargo();
        install.args(["install", self.krate, "--version", &self.version, "--force"]);
        if self.locked {
            install.arg("--locked");
        }
        execute(&mut install)
    }
}

/// The wasm-bindgen version of the app: Cargo.toml pins it exactly, and xtask's build (wasm-bindgen as a library)
/// and the test runner (its CLI) must equal it (a test checks that they agree).
pub fn wasm_bindgen_version() -> Result<String> {
    let manifest = fs::read_to_string(root().join("Cargo.toml")).map_err(io_error("reading Cargo.toml"))?;
    quoted_value(&manifest, "wasm-bindgen")
        .and_then(|pin| pin.strip_prefix('=').map(str::to_owned))
        .ok_or_else(|| XtaskError::Check("Cargo.toml does not pin wasm-bindgen exactly (\"=x.y.z\")".to_owned()))
}

/// The quoted value of `key = "value"` in a TOML text (enough for the simple files of this workspace).
pub fn quoted_value(toml: &str, key: &str) -> Option<String> {
    toml.lines().find_map(|line| {
        let (name, value) = line.split_once('=')?;
        (name.trim() == key).then(|| value.split('"').nth(1).map(str::to_owned)).flatten()
    })
}

fn rust_wasm_target() -> Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"]).is_some_and(|output| {
        String::from_utf8_lossy(&output.stdout).lines().any(|line| line == "wasm32-unknown-unknown")
    });
    if installed {
        println!("    Rust target wasm32-unknown-unknown is installed");
        return Ok(());
    }
    announce("Adding the Rust target wasm32-unknown-unknown (first run only)");
    execute(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn is_root() -> bool {
    output("id", &["-u"]).is_some_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

fn apt_installed(package: &str) -> bool {
    output("dpkg-query", &["-W", "-f=${Status}", package])
        .is_some_and(|output| String::from_utf8_lossy(&output.stdout) == "install ok installed")
}

/// Installs the Debian packages that are missing; returns those it installed.
fn apt_packages<'a>(packages: &[&'a str]) -> Result<Vec<&'a str>> {
    let missing: Vec<&str> = packages.iter().copied().filter(|package| !apt_installed(package)).collect();
    if missing.is_empty() {
        println!("    apt packages installed: {}", packages.join(", "));
        return Ok(missing);
    }
    announce(&format!("Installing {} with apt-get (first run only: a minute or two)", missing.join(", ")));
    let as_root = is_root();
    let apt = |args: &[&str]| {
        let mut command = Command::new(if as_root { "apt-get" } else { "sudo" });
        if !as_root {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    // The package lists need fetching once per run, however many groups of packages are installed.
    static UPDATED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    if UPDATED.get().is_none() {
        execute(&mut apt(&["update"]))?;
        let _ = UPDATED.set(());
    }
    execute(apt(&["install", "-y"]).args(&missing))?;
    Ok(missing)
}

/// npm's packages (wasm-opt from binaryen, terser, Playwright, axe, selenium-webdriver), exactly as
/// `package-lock.json` pins them. `npm ci` runs only when the lock file changed since the last install.
fn node_packages() -> Result<()> {
    if version_of("npm").is_none() {
        apt_packages(&["nodejs", "npm"])?;
    }
    let lock = fs::read(root().join("package-lock.json")).map_err(io_error("reading package-lock.json"))?;
    let stamp = root().join("node_modules").join(".xtask-installed-lock.json");
    if fs::read(&stamp).is_ok_and(|installed| installed == lock) {
        println!("    npm packages are installed");
        return Ok(());
    }
    announce("Installing npm packages: wasm-opt (binaryen), terser, Playwright, axe and Selenium, without a browser download");
    execute(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    fs::write(&stamp, lock).map_err(io_error("writing the npm install stamp"))
}

/// What the app's build needs: the wasm target, wasm-opt and terser (npm), and Debian's Chromium, in which the app
/// prerenders its first screen. The split and wasm-bindgen are libraries of xtask's.
pub fn ensure_build_tools() -> Result<()> {
    announce("Checking the build tools");
    rust_wasm_target()?;
    apt_packages(&["chromium"])?;
    node_packages()
}

/// espeak-ng, the sandbox gateway's voice.
pub fn ensure_speech() -> Result<()> {
    apt_packages(&["espeak-ng"]).map(drop)
}

/// Packages that apt may start as system services as it installs them.
const SERVICES: [&str; 2] = ["nginx", "redis-server"];

/// Stops a service apt just started (where the machine lets it start services at all): the tests run their own, and
/// nothing of theirs is left running.
fn stop_service(service: &str) {
    let stopped = output("service", &[service, "stop"]).is_some_and(|output| output.status.success());
    if stopped {
        println!("    stopped the {service} system service apt started: the tests run their own");
    }
}

/// geckodriver's version: the newest that builds on Rust 1.95 and drives Debian's Firefox ESR.
pub const GECKODRIVER_VERSION: &str = "0.37.1";

/// The browsers the tests run in, never downloaded ones: Debian's Chromium (see [`ensure_build_tools`]) and its
/// driver, for wasm-bindgen-test and Playwright; Firefox ESR with geckodriver (from crates.io), and WebKitGTK's
/// driver in a virtual display (Xvfb), for the same flows in the other two engines. The services of a deployment,
/// nginx and Redis, which the tests start and stop themselves (apt may start them as system services where it can;
/// the tests use ports of their own). Also curl and Python's requests, which run the docs' own examples against the
/// sandbox (node, for the JavaScript one, comes with npm), and zbar's `zbarimg`, which reads a review's QR code back.
pub fn ensure_test_tools() -> Result<()> {
    apt_packages(&[
        "chromium",
        "chromium-driver",
        "firefox-esr",
        "webkit2gtk-driver",
        "xvfb",
        "nginx",
        "redis-server",
        "curl",
        "python3-requests",
        "zbar-tools",
    ])?
    .into_iter()
    .filter(|package| SERVICES.contains(package))
    .for_each(stop_service);
    // The runner of the app's browser tests. Not --locked: its lock file pins a webpki-roots version the registry
    // does not serve.
    CargoTool {
        krate: "wasm-bindgen-cli",
        version: wasm_bindgen_version()?,
        binaries: &["wasm-bindgen", "wasm-bindgen-test-runner"],
        locked: false,
        minutes: 3,
    }
    .ensure()?;
    CargoTool {
        krate: "geckodriver",
        version: GECKODRIVER_VERSION.to_owned(),
        binaries: &["geckodriver"],
        locked: true,
        minutes: 2,
    }
    .ensure()
}

/// The C2PA reader the tests check served takes with: not the implementation that signs them (the Rust crate) but
/// the Python one (whose wheel carries a native build of its own), from PyPI, in a virtual environment of the
/// workspace's. Pinned; installed again only when another version is there.
pub const C2PA_PYTHON_VERSION: &str = "0.38.1";

/// Where that environment's Python is, once installed.
pub fn ensure_c2pa_reader() -> Result<std::path::PathBuf> {
    let venv = root().join("target").join("c2pa-reader");
    let python = venv.join("bin").join("python");
    let installed = output(
        &python.to_string_lossy(),
        &["-c", "import c2pa, importlib.metadata as m; print(m.version('c2pa-python'))"],
    )
    .is_some_and(|found| {
        found.status.success() && String::from_utf8_lossy(&found.stdout).trim() == C2PA_PYTHON_VERSION
    });
    if installed {
        println!("    c2pa-python {C2PA_PYTHON_VERSION} is installed");
        return Ok(python);
    }
    announce(&format!(
        "Installing c2pa-python {C2PA_PYTHON_VERSION} from PyPI, in target/c2pa-reader (first run only)"
    ));
    let make_venv = || execute(Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv));
    if make_venv().is_err() {
        apt_packages(&["python3-venv"])?;
        make_venv()?;
    }
    execute(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("c2pa-python=={C2PA_PYTHON_VERSION}"),
    ]))?;
    Ok(python)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wasm_bindgen_versions_agree() {
        let version = wasm_bindgen_version().unwrap();
        let xtask = fs::read_to_string(root().join("xtask").join("Cargo.toml")).unwrap();
        assert_eq!(quoted_value(&xtask, "wasm-bindgen-cli-support"), Some(format!("={version}")), "the build's pin");
        let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
        for krate in ["wasm-bindgen", "wasm-bindgen-cli-support"] {
            assert!(
                lock.contains(&format!("name = \"{krate}\"\nversion = \"{version}\"")),
                "Cargo.lock resolves {krate} {version}"
            );
        }
    }

    #[test]
    fn quoted_values_are_read_by_key() {
        let toml = "[tools]\nwasm_bindgen = \"0.2.130\" # note\nwasm_opt = \"version_132\"\n";
        assert_eq!(quoted_value(toml, "wasm_opt").as_deref(), Some("version_132"));
        assert_eq!(quoted_value(toml, "wasm"), None);
    }
}
