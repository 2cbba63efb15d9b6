//! Naming the built files after their final bytes, as they are written, once each.
//!
//! Until then the build's files live in memory under a placeholder stem ([`PLACEHOLDER`]), which every step names
//! them by: the split's loader imports `PLACEHOLDER.js`, the glue imports `PLACEHOLDER-split/load.js`, the main wasm
//! names the loader as the module of its imports. The loader and the glue import each other, so no file can be
//! named before the other is: the set gets one name, from a hash of all of its final bytes (placeholder and all),
//! which replaces the placeholder in each path and each file as it is written. Same length, so a name inside a wasm
//! file is replaced byte for byte. The server serves these names `immutable` for a year: a change in any file of
//! the set names all of them anew.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::process::io_error;
use crate::Result;

/// What each build's files are named after, before they have their name: `zonos-studio-` and 16 hex digits, as
/// their names will be (the server recognizes such names as immutable).
pub const PLACEHOLDER: &str = "zonos-studio-0000000000000000";
const PREFIX: &str = "zonos-studio-";
const HASH_DIGITS: usize = 16;

/// A file of the build: its path in `dist/` (naming the build by [`PLACEHOLDER`]), and its final bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The stem the build's files are named by: from a hash of every file's path and final bytes.
pub fn content_stem(assets: &[Asset]) -> String {
    let mut sorted: Vec<&Asset> = assets.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut hasher = Sha256::new();
    for asset in sorted {
        // Each path and length first, so that no two sets hash alike by moving bytes from one file to another.
        hasher.update(asset.path.as_bytes());
        hasher.update([0]);
        hasher.update((asset.bytes.len() as u64).to_le_bytes());
        hasher.update(&asset.bytes);
    }
    let hex: String = hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{PREFIX}{}", &hex[..HASH_DIGITS])
}

fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len(), "a name inside a wasm file is replaced byte for byte");
    let mut out = bytes.to_vec();
    let mut at = 0;
    while let Some(found) = out[at..].windows(from.len()).position(|window| window == from) {
        out[at + found..at + found + from.len()].copy_from_slice(to);
        at += found + from.len();
    }
    out
}

/// Writes every asset into `dist` under the build's name, which it returns.
pub fn write_named(dist: &Path, assets: &[Asset]) -> Result<String> {
    let stem = content_stem(assets);
    for asset in assets {
        let path = dist.join(asset.path.replace(PLACEHOLDER, &stem));
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(io_error(format!("creating {}", folder.display())))?;
        }
        let bytes = replace_all(&asset.bytes, PLACEHOLDER.as_bytes(), stem.as_bytes());
        fs::write(&path, bytes).map_err(io_error(format!("writing {}", path.display())))?;
    }
    Ok(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build as it stands before it is written: the glue, the main wasm, the parts' loader and a part, each
    /// naming the others as they do. `edit` appends to the file whose path ends so, as a step would change it.
    fn build(edit: Option<&str>) -> Vec<Asset> {
        let asset = |path: String, bytes: Vec<u8>| Asset { path, bytes };
        let mut assets = vec![
            asset(format!("{PLACEHOLDER}.js"), format!("import*as l from'./{PLACEHOLDER}-split/load.js'").into()),
            asset(
                format!("{PLACEHOLDER}_bg.wasm"),
                [b"\0asm\x01\0\0\0\x2a".as_slice(), format!("./{PLACEHOLDER}-split/load.js").as_bytes()].concat(),
            ),
            asset(
                format!("{PLACEHOLDER}-split/load.js"),
                format!("import{{initSync}}from'../{PLACEHOLDER}.js'").into(),
            ),
            asset(format!("{PLACEHOLDER}-split/split_takes.wasm"), b"\0asm\x01\0\0\0 part".to_vec()),
        ];
        if let Some(ending) = edit {
            let changed = assets.iter_mut().find(|asset| asset.path.ends_with(ending)).unwrap();
            changed.bytes.extend_from_slice(b" changed");
        }
        assets
    }

    #[test]
    fn the_same_bytes_get_the_same_name_and_any_change_another() {
        let name = content_stem(&build(None));
        assert_eq!(content_stem(&build(None)), name);
        assert!(name.starts_with(PREFIX) && name.len() == PLACEHOLDER.len() && name != PLACEHOLDER);
        for ending in ["split_takes.wasm", "_bg.wasm", ".js", "load.js"] {
            assert_ne!(content_stem(&build(Some(ending))), name, "a change in {ending} keeps the name");
        }
    }

    #[test]
    fn every_file_is_written_once_under_the_name_and_names_the_others_by_it() {
        let dist = tempfile::tempdir().unwrap();
        let assets = build(None);
        let stem = write_named(dist.path(), &assets).unwrap();
        assert_eq!(stem, content_stem(&assets));
        let read = |path: String| fs::read(dist.path().join(path)).unwrap();
        let glue = read(format!("{stem}.js"));
        let wasm = read(format!("{stem}_bg.wasm"));
        let loader = read(format!("{stem}-split/load.js"));
        read(format!("{stem}-split/split_takes.wasm"));
        assert!(String::from_utf8_lossy(&glue).contains(&format!("./{stem}-split/load.js")));
        assert!(String::from_utf8_lossy(&wasm).contains(&format!("./{stem}-split/load.js")));
        assert!(String::from_utf8_lossy(&loader).contains(&format!("../{stem}.js")));
        assert_eq!(wasm.len(), assets[1].bytes.len(), "the wasm keeps its length");
        for bytes in [glue, wasm, loader] {
            assert!(!String::from_utf8_lossy(&bytes).contains(PLACEHOLDER), "the placeholder is left in a file");
        }
    }
}
