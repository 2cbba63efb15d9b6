//! Building what the commands serve: the app (into `dist/`, precompressed) and the server.
//!
//! The app's release build, each step once on each file: cargo builds the wasm, the split cuts it into parts,
//! wasm-bindgen makes the glue, wasm-opt and terser shrink them (`wasm`); the files are written under a name
//! from their final bytes (`names`); the page names them, and carries the first screen the app renders (`page`);
//! then brotli and gzip variants of each are written beside it.

mod names;
mod page;
mod short_imports;
mod wasm;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::process::{announce, cargo, execute, io_error};
use crate::{root, Result, XtaskError};

/// Files worth compressing ahead of time; the server sends the `.br` or `.gz` beside them.
const COMPRESSIBLE: [&str; 6] = ["html", "js", "wasm", "css", "svg", "json"];

pub fn dist() -> PathBuf {
    root().join("dist")
}

/// Where the build's tools read and write, and the page is put together.
fn work_dir() -> PathBuf {
    root().join("target").join("app-build")
}

/// Replaces `name` in `text` (what `in_what` names), where it must stand exactly once: a name that moved or doubled
/// in a tool's output is an error here, not a broken page.
fn replace_once(text: &str, name: &str, with: &str, in_what: &str) -> Result<String> {
    match text.matches(name).count() {
        1 => Ok(text.replacen(name, with, 1)),
        count => Err(XtaskError::Check(format!("{in_what} has {name} {count} times, not once"))),
    }
}

/// The release app, into a `dist/` of its own files only.
pub fn build_app() -> Result<()> {
    let assets = wasm::build()?;
    let dist = dist();
    let _ = fs::remove_dir_all(&dist);
    announce("Writing the app's files, named after their final bytes");
    let stem = names::write_named(&dist, &assets)?;
    println!("    the app's files are named {stem}…");
    page::write(&dist, &stem)?;
    announce("Precompressing the app (brotli and gzip)");
    precompress(&dist)
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
    fn a_name_is_replaced_only_where_it_stands_once() {
        assert_eq!(
            replace_once("{ __wbg_a_1: f, __wbg_a_12: g }", "__wbg_a_12:", "b:", "the glue").unwrap(),
            "{ __wbg_a_1: f, b: g }"
        );
        assert!(replace_once("x: 1, x: 2", "x:", "y:", "the glue").is_err());
        assert!(replace_once("", "x:", "y:", "the glue").is_err());
    }

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
