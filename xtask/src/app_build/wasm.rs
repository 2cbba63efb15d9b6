//! The app's code, from Rust to the files a browser loads: cargo builds the wasm; the split cuts it at its
//! `#[lazy]` functions (compiled in with `--cfg zonos_split`) into a main part, the parts that load when first
//! needed, and their JS loader; wasm-bindgen (as a library) makes the main part's JS glue; wasm-opt optimizes
//! every wasm file, terser minifies both scripts. Each tool runs once on each file; what they read and write is in
//! `target/app-build/`, and what comes out is held in memory until it is named (see `names`).

use std::fs;
use std::path::Path;
use std::process::Command;

use super::names::{Asset, PLACEHOLDER};
use super::{short_imports, work_dir};
use crate::process::{announce, cargo, execute, io_error};
use crate::{root, Result, XtaskError};

/// What the app's cargo build needs for the split: relocations kept, and the split points compiled in.
const RUSTFLAGS: &str = "-Clink-args=--emit-relocs --cfg zonos_split";

/// The cargo profile of the app's release build (Cargo.toml: tuned for size).
const PROFILE: &str = "wasm-release";

/// The features rustc's wasm32 output uses; wasm-opt must know them to optimize the parts.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// Builds the app's code into its files: the glue, the main wasm, the parts' loader and the parts, under the
/// placeholder's names.
pub fn build() -> Result<Vec<Asset>> {
    let work = work_dir();
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(io_error(format!("creating {}", work.display())))?;
    announce("Building the app's wasm with cargo, release profile (the first build takes about 2 minutes)");
    execute(
        cargo()
            .args(["build", "--package", "zonos-studio", "--bin", "zonos-studio", "--target", "wasm32-unknown-unknown"])
            .args(["--profile", PROFILE])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", RUSTFLAGS),
    )?;
    let linked = root().join("target/wasm32-unknown-unknown").join(PROFILE).join("zonos-studio.wasm");
    let (main_part, mut parts) = split(&linked, &work)?;
    announce("Making the main part's JS glue (wasm-bindgen)");
    let (glue, main_wasm) = bindgen(main_part)?;
    let wasm_opt = root().join("node_modules").join(".bin").join("wasm-opt");
    announce(&format!("Optimizing the main part and {} more with wasm-opt -Os", parts.len() - 1));
    let mut assets = vec![Asset { path: format!("{PLACEHOLDER}_bg.wasm"), bytes: main_wasm }];
    assets.append(&mut parts);
    for asset in assets.iter_mut().filter(|asset| asset.path.ends_with(".wasm")) {
        asset.bytes = through_tool(&work, asset, |input, output| optimize(&wasm_opt, input, output))?;
    }
    announce("Minifying the glue and the loader (terser)");
    assets.push(Asset { path: format!("{PLACEHOLDER}.js"), bytes: glue.into_bytes() });
    let terser = root().join("node_modules").join(".bin").join("terser");
    for asset in assets.iter_mut().filter(|asset| asset.path.ends_with(".js")) {
        asset.bytes = through_tool(&work, asset, |input, output| {
            execute(
                Command::new(&terser).arg(input).args(["--module", "--compress", "--mangle", "--output"]).arg(output),
            )
        })?;
    }
    Ok(assets)
}

/// Splits the linked wasm at `work`: returns the main part's bytes, and the parts and their loader, in the folder
/// named after the build (so that a page of one build never loads another build's parts).
fn split(linked: &Path, work: &Path) -> Result<(Vec<u8>, Vec<Asset>)> {
    announce("Splitting the app's wasm: what is not on screen at first loads when first needed");
    let input = fs::read(linked).map_err(io_error(format!("reading {}", linked.display())))?;
    let parts_folder = format!("{PLACEHOLDER}-split");
    let output_dir = work.join("split");
    let main_path = work.join("main.wasm");
    // The main part imports the loader at this path, relative to the glue; the loader imports the glue.
    let loader = format!("./{parts_folder}/load.js");
    let glue_from_loader = format!("../{PLACEHOLDER}.js");
    let loader_folder = output_dir.join(&parts_folder);
    fs::create_dir_all(&loader_folder).map_err(io_error(format!("creating {}", loader_folder.display())))?;
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &output_dir;
        options.main_out_path = &main_path;
        options.link_name = &loader;
        options.main_module = &glue_from_loader;
        options
    })
    .map_err(|error| XtaskError::Check(format!("splitting {}: {error:#}", linked.display())))?;
    let read = |path: &Path| fs::read(path).map_err(io_error(format!("reading {}", path.display())));
    // The loader fetches each part relative to itself.
    let mut parts = vec![Asset { path: format!("{parts_folder}/load.js"), bytes: read(&output_dir.join(&loader))? }];
    for part in &split.split_modules {
        let name = part.file_name().unwrap_or_default().to_string_lossy();
        parts.push(Asset { path: format!("{parts_folder}/{name}"), bytes: read(part)? });
    }
    Ok((read(&main_path)?, parts))
}

/// The main part's JS glue, with short names for what it hands the wasm, and the wasm that imports them.
fn bindgen(main_part: Vec<u8>) -> Result<(String, Vec<u8>)> {
    let failed = |error| XtaskError::Check(format!("wasm-bindgen: {error:#}"));
    let mut output = wasm_bindgen_cli_support::Bindgen::new()
        .input_bytes(PLACEHOLDER, main_part)
        .out_name(PLACEHOLDER)
        .web(true)
        .map_err(failed)?
        .keep_lld_exports(true)
        .demangle(false)
        .typescript(false)
        // The page hands the glue the wasm it fetched: no name of the wasm in the glue.
        .omit_default_module_path(true)
        .generate_output()
        .map_err(failed)?;
    // They would be files of their own, which this build does not write: say so rather than ship a broken page.
    if !output.snippets().values().all(Vec::is_empty) || !output.local_modules().is_empty() {
        return Err(XtaskError::Check(
            "the app has JS snippets (inline_js or a local module): add them to the build".into(),
        ));
    }
    let glue = short_imports::shorten(&mut output, PLACEHOLDER)?;
    Ok((glue, output.wasm_mut().emit_wasm()))
}

/// Runs a tool that reads `asset` from a file and writes its output to another, and returns what it wrote.
fn through_tool(work: &Path, asset: &Asset, tool: impl FnOnce(&Path, &Path) -> Result<()>) -> Result<Vec<u8>> {
    let name = asset.path.replace('/', "_");
    let (input, output) = (work.join(format!("in_{name}")), work.join(format!("out_{name}")));
    fs::write(&input, &asset.bytes).map_err(io_error(format!("writing {}", input.display())))?;
    tool(&input, &output)?;
    fs::read(&output).map_err(io_error(format!("reading {}", output.display())))
}

/// `wasm-opt -Os`: measured smaller once compressed than `-Oz`, and no slower.
fn optimize(wasm_opt: &Path, input: &Path, output: &Path) -> Result<()> {
    let ran = Command::new(wasm_opt)
        .arg("-Os")
        .args(WASM_FEATURES)
        .arg(input)
        .arg("-o")
        .arg(output)
        .output()
        .map_err(io_error(format!("running {}", wasm_opt.display())))?;
    // Binaryen 132 does not know the name section's label names (which it drops anyway): one warning per part
    // would make a sound build look broken. Everything else it says is shown.
    String::from_utf8_lossy(&ran.stderr)
        .lines()
        .filter(|line| !line.starts_with("warning: unknown name subsection"))
        .for_each(|line| eprintln!("{line}"));
    if !ran.status.success() {
        let command = format!("wasm-opt -Os {}", input.display());
        return Err(XtaskError::CommandFailed { command, status: ran.status });
    }
    Ok(())
}
