//! Building what the commands serve: the app (trunk, release, precompressed) and the server.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{announce, cargo, execute, io_error, path_with_node_tools};
use crate::{content_names, root, wasm_split, Result};

/// Files worth compressing ahead of time; the server sends the `.br` or `.gz` beside them.
const COMPRESSIBLE: [&str; 6] = ["html", "js", "wasm", "css", "svg", "json"];

pub fn dist() -> PathBuf {
    root().join("dist")
}

/// `trunk build --release` into `dist/`, split into parts that load when needed, its JS minified, its files named after
/// their final bytes, its first screen prerendered into the page, then brotli and gzip variants of each asset.
pub fn build_app() -> Result<()> {
    announce("Fetching crates (trunk builds offline)");
    execute(cargo().args(["fetch", "--quiet"]))?;
    announce("Building the app with trunk, release profile (the first build takes about 2 minutes)");
    // Trunk's minifier can't read wasm-bindgen's glue; that glue is replaced by the split's, which terser minifies.
    println!("    (trunk's warning \"Failed to minify JS\" is expected: terser minifies the glue below)");
    execute(
        Command::new("trunk")
            .args(["build", "--release"])
            .env("PATH", path_with_node_tools())
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", wasm_split::RUSTFLAGS),
    )?;
    wasm_split::split(&dist())?;
    minify_scripts(&dist())?;
    announce("Naming the app's files after their final bytes");
    let stem = content_names::rename(&dist(), &wasm_split::glue_stem(&dist())?)?;
    println!("    the app's files are now named {stem}…");
    announce("Prerendering the first screen into the page (the app renders it, in headless Chromium)");
    execute(Command::new("node").arg(root().join("xtask").join("prerender.mjs")).arg(dist()))?;
    announce("Precompressing the app (brotli and gzip)");
    precompress(&dist())
}

/// Minifies the JS glue and the parts' loader with terser: the browser parses every byte before the app can start.
fn minify_scripts(dist: &Path) -> Result<()> {
    announce("Minifying the app's JS (terser)");
    let stem = wasm_split::glue_stem(dist)?;
    let terser = root().join("node_modules").join(".bin").join("terser");
    for script in [dist.join(format!("{stem}.js")), dist.join(format!("{stem}-split")).join("load.js")] {
        execute(
            Command::new(&terser).arg(&script).args(["--module", "--compress", "--mangle", "--output"]).arg(&script),
        )?;
    }
    Ok(())
}

/// Which build of the server to make.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Debug,
    Release,
}

/// Builds `zonos-server` and returns the path of its binary.
pub fn build_server(profile: Profile) -> Result<PathBuf> {
    let (flag, folder) = match profile {
        Profile::Debug => (None, "debug"),
        Profile::Release => (Some("--release"), "release"),
    };
    announce(&format!("Building zonos-server ({folder})"));
    execute(cargo().args(["build", "--package", "zonos-server"]).args(flag))?;
    Ok(root().join("target").join(folder).join("zonos-server"))
}

/// Writes the variants beside every compressible file in `folder` and the folders in it.
fn precompress(folder: &Path) -> Result<()> {
    let entries = fs::read_dir(folder).map_err(io_error(format!("reading {}", folder.display())))?;
    for entry in entries {
        let path = entry.map_err(io_error("listing dist"))?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let compressible = path.extension().and_then(|ext| ext.to_str()).is_some_and(|ext| COMPRESSIBLE.contains(&ext));
        if !compressible {
            continue;
        }
        let original = fs::read(&path).map_err(io_error(format!("reading {}", path.display())))?;
        let variants = [("br", brotli_bytes(&original)), ("gz", gzip_bytes(&original))];
        for (extension, compressed) in variants {
            let target = PathBuf::from(format!("{}.{extension}", path.display()));
            if compressed.len() < original.len() {
                fs::write(&target, compressed).map_err(io_error(format!("writing {}", target.display())))?;
            }
        }
    }
    Ok(())
}

/// Brotli at its best quality: built once, downloaded by every visitor.
pub fn brotli_bytes(data: &[u8]) -> Vec<u8> {
    let mut compressed = Vec::new();
    let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, 11, 22);
    writer.write_all(data).expect("writing to memory");
    drop(writer);
    compressed
}

fn gzip_bytes(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn precompressed_variants_decompress_to_the_original() {
        let original = "fn main() { println!(\"hello\"); }\n".repeat(200);
        let mut from_brotli = String::new();
        brotli::Decompressor::new(brotli_bytes(original.as_bytes()).as_slice(), 4096)
            .read_to_string(&mut from_brotli)
            .unwrap();
        assert_eq!(from_brotli, original);
        let mut from_gzip = String::new();
        flate2::read::GzDecoder::new(gzip_bytes(original.as_bytes()).as_slice())
            .read_to_string(&mut from_gzip)
            .unwrap();
        assert_eq!(from_gzip, original);
    }
}
