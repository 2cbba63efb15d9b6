//! Splitting the release app's wasm at its `#[lazy]` functions (compiled in with `--cfg zonos_split`), so that
//! what is not on screen at first (the takes, the recorder, sending and following a job) loads when first needed.
//!
//! Trunk cannot split (trunk-rs/trunk#1022), so this runs after `trunk build`: it splits the linker's output (which
//! keeps its relocations, `--emit-relocs`), runs wasm-bindgen on the main part and writes it over trunk's JS and
//! wasm under the same names (so trunk's `index.html` loads it), gives the main part's imports from the glue short
//! names, then optimizes every part with wasm-opt.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{announce, execute, io_error};
use crate::{root, short_imports, Result, XtaskError};

/// What trunk's cargo build of the app needs for the split: relocations kept, and the split points compiled in.
pub const RUSTFLAGS: &str = "-Clink-args=--emit-relocs --cfg zonos_split";

/// The features rustc's wasm32 output uses; wasm-opt must know them to optimize the parts.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// The name trunk gave the app's JS glue, without `.js` (`zonos-studio-<hash>`).
pub fn glue_stem(dist: &Path) -> Result<String> {
    let entries = fs::read_dir(dist).map_err(io_error("reading dist"))?;
    entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .find_map(|name| {
            name.strip_prefix("zonos-studio-")?.strip_suffix(".js").map(|hash| format!("zonos-studio-{hash}"))
        })
        .ok_or_else(|| XtaskError::Check(format!("no zonos-studio-*.js in {}: did trunk build?", dist.display())))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to).map(drop).map_err(io_error(format!("copying {} to {}", from.display(), to.display())))
}

/// Splits trunk's build in `dist`. The parts go to `dist/<glue>-split/`: named after the build, so that a page
/// of one build never loads another build's parts.
pub fn split(dist: &Path) -> Result<()> {
    announce("Splitting the app's wasm: what is not on screen at first loads when first needed");
    let stem = glue_stem(dist)?;
    let parts_folder = format!("{stem}-split");
    let work = root().join("target").join("wasm-split");
    let _ = fs::remove_dir_all(&work);
    let parts = work.join(&parts_folder);
    fs::create_dir_all(&parts).map_err(io_error(format!("creating {}", parts.display())))?;
    let linked = root().join("target/wasm32-unknown-unknown/wasm-release/zonos-studio.wasm");
    let input = fs::read(&linked).map_err(io_error(format!("reading {}", linked.display())))?;
    let main_part = work.join("main.wasm");
    // The main part imports the loader module at this path, relative to the glue; the loader imports the glue.
    let loader = format!("./{parts_folder}/load.js");
    let glue_from_loader = format!("../{stem}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &work;
        options.main_out_path = &main_part;
        options.link_name = &loader;
        options.main_module = &glue_from_loader;
        options
    })
    .map_err(|error| XtaskError::Check(format!("splitting {}: {error:#}", linked.display())))?;

    // The loader fetches each part relative to itself.
    let mut optimize = vec![dist.join(format!("{stem}_bg.wasm"))];
    for part in &split.split_modules {
        let name = part.file_name().unwrap_or_default();
        fs::rename(part, parts.join(name)).map_err(io_error(format!("moving {}", part.display())))?;
        optimize.push(dist.join(&parts_folder).join(name));
    }
    let bindgen = work.join("bindgen");
    execute(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript", "--out-name", &stem])
            .arg("--out-dir")
            .arg(&bindgen)
            .arg(&main_part),
    )?;
    for name in [format!("{stem}.js"), format!("{stem}_bg.wasm")] {
        copy(&bindgen.join(&name), &dist.join(&name))?;
    }
    short_imports::shorten(
        &dist.join(format!("{stem}_bg.wasm")),
        &dist.join(format!("{stem}.js")),
        &format!("{stem}_bg.js"),
    )?;
    let _ = fs::remove_dir_all(dist.join(&parts_folder));
    fs::create_dir_all(dist.join(&parts_folder)).map_err(io_error("creating the parts folder"))?;
    for entry in fs::read_dir(&parts).map_err(io_error("reading the parts"))? {
        let path: PathBuf = entry.map_err(io_error("reading the parts"))?.path();
        copy(&path, &dist.join(&parts_folder).join(path.file_name().unwrap_or_default()))?;
    }
    // -Os rather than -Oz: measured smaller once compressed, and no slower.
    announce(&format!("Optimizing the main part and {} more with wasm-opt -Os", optimize.len() - 1));
    let wasm_opt = root().join("node_modules").join(".bin").join("wasm-opt");
    for part in optimize {
        let output = Command::new(&wasm_opt)
            .arg("-Os")
            .args(WASM_FEATURES)
            .arg(&part)
            .arg("-o")
            .arg(&part)
            .output()
            .map_err(io_error(format!("running {}", wasm_opt.display())))?;
        // Binaryen 132 does not know the name section's label names (which it drops anyway): one warning per
        // part would make a sound build look broken. Everything else it says is shown.
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|line| !line.starts_with("warning: unknown name subsection"))
            .for_each(|line| eprintln!("{line}"));
        if !output.status.success() {
            let status = output.status;
            return Err(XtaskError::CommandFailed { command: format!("wasm-opt -Os {}", part.display()), status });
        }
    }
    Ok(())
}
