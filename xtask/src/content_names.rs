//! Names that tell the truth. Trunk names the app's files after a hash of what it built, but xtask then rewrites
//! them (the split, short import names, wasm-opt, terser): two builds that differ only there would ship different
//! bytes under one name, which is served `immutable` for a year. So, after the last rewrite, every file named after
//! the build gets a new name from a hash of the final bytes of them all.
//!
//! One hash for the set, because the files name each other in a cycle (the glue imports the parts' loader, which
//! imports the glue): each name is computed with the names inside the files set to a placeholder of the same
//! length, then written in. Same length, so a name inside a wasm file is replaced byte for byte.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::process::io_error;
use crate::{Result, XtaskError};

/// What every build's files are named after: `zonos-studio-` and 16 hex digits, as trunk names them (the server
/// recognizes such names as immutable).
const PREFIX: &str = "zonos-studio-";
const HASH_DIGITS: usize = 16;

/// Every file under `dist` whose path names the build `stem`, with its path relative to `dist`, sorted.
fn build_files(dist: &Path, stem: &str) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut folders = vec![dist.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).map_err(io_error(format!("reading {}", folder.display())))? {
            let path = entry.map_err(io_error("listing dist"))?.path();
            let relative = path.strip_prefix(dist).expect("under dist").to_owned();
            if path.is_dir() {
                folders.push(path);
            } else if relative.to_string_lossy().contains(stem) {
                found.push(relative);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    debug_assert_eq!(from.len(), to.len());
    let mut out = bytes.to_vec();
    let mut at = 0;
    while let Some(found) = out[at..].windows(from.len()).position(|window| window == from) {
        out[at + found..at + found + from.len()].copy_from_slice(to);
        at += found + from.len();
    }
    out
}

/// The name, derived from the final bytes of every file of the build, that replaces trunk's `stem`.
pub fn content_stem(dist: &Path, stem: &str) -> Result<String> {
    let placeholder = format!("{PREFIX}{}", "0".repeat(HASH_DIGITS));
    let mut hasher = Sha256::new();
    for relative in build_files(dist, stem)? {
        let path = dist.join(&relative);
        let bytes = fs::read(&path).map_err(io_error(format!("reading {}", path.display())))?;
        let name = relative.to_string_lossy().replace(stem, &placeholder);
        // Each file's name and length first, so that no two sets of files hash alike by moving bytes between them.
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(replace_all(&bytes, stem.as_bytes(), placeholder.as_bytes()));
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(format!("{PREFIX}{}", &hex[..HASH_DIGITS]))
}

/// Renames the build `stem`'s files in `dist` after their final content, and writes the new names wherever the
/// files (and `index.html`) name them. Returns the new stem.
pub fn rename(dist: &Path, stem: &str) -> Result<String> {
    let fresh = content_stem(dist, stem)?;
    if fresh.len() != stem.len() {
        return Err(XtaskError::Check(format!("the build is named {stem}, not {PREFIX} and {HASH_DIGITS} hex digits")));
    }
    let mut texts = build_files(dist, stem)?;
    texts.push(PathBuf::from("index.html"));
    for relative in &texts {
        let path = dist.join(relative);
        let bytes = fs::read(&path).map_err(io_error(format!("reading {}", path.display())))?;
        let renamed = replace_all(&bytes, stem.as_bytes(), fresh.as_bytes());
        fs::write(&path, renamed).map_err(io_error(format!("writing {}", path.display())))?;
    }
    // Files first, then the folders they are in (deepest first), each renamed where it stands.
    let mut paths = build_files(dist, stem)?;
    let mut folders: Vec<PathBuf> = paths.iter().filter_map(|path| path.parent().map(Path::to_owned)).collect();
    folders.retain(|folder| folder.to_string_lossy().contains(stem));
    folders.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
    folders.dedup();
    paths.extend(folders);
    for relative in paths {
        let Some(name) = relative.file_name().map(|name| name.to_string_lossy().into_owned()) else { continue };
        if !name.contains(stem) {
            continue;
        }
        let from = dist.join(&relative);
        let to = from.with_file_name(name.replace(stem, &fresh));
        fs::rename(&from, &to).map_err(io_error(format!("renaming {}", from.display())))?;
    }
    Ok(fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_STEM: &str = "zonos-studio-0123456789abcdef";

    /// A build as xtask leaves it before naming: the page, the glue, the main wasm, the parts' loader and a part,
    /// each naming the others as they do. `edit` changes the bytes one post-processing step wrote.
    fn build(edit: Option<(&str, &[u8])>) -> tempfile::TempDir {
        let dist = tempfile::tempdir().unwrap();
        let split = dist.path().join(format!("{TRUNK_STEM}-split"));
        fs::create_dir_all(&split).unwrap();
        let mut files: Vec<(String, Vec<u8>)> = vec![
            ("index.html".into(), format!("<script type=module>import init from './{TRUNK_STEM}.js'</script>").into()),
            (format!("{TRUNK_STEM}.js"), format!("import * as l from './{TRUNK_STEM}-split/load.js'; /*glue*/").into()),
            (
                format!("{TRUNK_STEM}_bg.wasm"),
                [b"\0asm\x01\0\0\0\x2a", format!("./{TRUNK_STEM}-split/load.js").as_bytes()].concat(),
            ),
            (
                format!("{TRUNK_STEM}-split/load.js"),
                format!("import * as g from '../{TRUNK_STEM}.js'; /*loader*/").into(),
            ),
            (format!("{TRUNK_STEM}-split/split_takes.wasm"), b"\0asm\x01\0\0\0 part".to_vec()),
        ];
        if let Some((step_output, bytes)) = edit {
            let file = files.iter_mut().find(|(name, _)| name.ends_with(step_output)).unwrap();
            file.1.extend_from_slice(bytes);
        }
        for (name, bytes) in files {
            fs::write(dist.path().join(name), bytes).unwrap();
        }
        dist
    }

    fn named(edit: Option<(&str, &[u8])>) -> (String, tempfile::TempDir) {
        let dist = build(edit);
        (rename(dist.path(), TRUNK_STEM).unwrap(), dist)
    }

    #[test]
    fn the_same_final_bytes_get_the_same_name() {
        assert_eq!(named(None).0, named(None).0);
    }

    #[test]
    fn a_change_in_any_post_processing_step_changes_the_name() {
        let (unchanged, _) = named(None);
        // What each step writes: the split and wasm-opt the parts, short names and wasm-opt the main wasm, terser
        // the glue and the loader.
        for step_output in ["split_takes.wasm", "_bg.wasm", ".js", "load.js"] {
            let (changed, _) = named(Some((step_output, b" rewritten")));
            assert_ne!(changed, unchanged, "a rewrite of {step_output} keeps the name");
        }
    }

    #[test]
    fn every_file_is_renamed_and_named_by_its_new_name() {
        let (stem, dist) = named(None);
        assert!(stem.starts_with(PREFIX) && stem.len() == TRUNK_STEM.len() && stem != TRUNK_STEM);
        let read = |path: String| fs::read(dist.path().join(path)).unwrap();
        let everything = [
            read("index.html".into()),
            read(format!("{stem}.js")),
            read(format!("{stem}_bg.wasm")),
            read(format!("{stem}-split/load.js")),
            read(format!("{stem}-split/split_takes.wasm")),
        ];
        assert!(String::from_utf8_lossy(&everything[0]).contains(&format!("./{stem}.js")));
        assert!(String::from_utf8_lossy(&everything[2]).contains(&format!("./{stem}-split/load.js")));
        for bytes in everything {
            assert!(!String::from_utf8_lossy(&bytes).contains(TRUNK_STEM), "trunk's name is left in a file");
        }
        // And the name is what the final bytes give.
        assert_eq!(content_stem(dist.path(), &stem).unwrap(), stem);
    }
}
