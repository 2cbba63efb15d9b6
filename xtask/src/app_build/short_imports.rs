//! Short names for what the app's wasm imports from its JS glue. wasm-bindgen names each import after the call it
//! makes, with a hash (`__wbg_createElement_de4a31ed2fb252be`), in a module named after the glue's file; both files
//! carry every name, and the hashes don't compress: some 5 KB of the first load, brotli. Renamed alike in both, in
//! memory, as wasm-bindgen hands them over, before either is written: nothing else changes.

use super::replace_once;
use crate::Result;

/// What the glue is called in errors.
const GLUE: &str = "the JS glue";

/// The glue's module, as the wasm names it from now on.
const GLUE_MODULE: &str = "g";

/// `a`, `b`, … `z`, `ba`, `bb`, …: a distinct JS property name for every index.
fn short_name(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'a' + (index % 26) as u8);
        index /= 26;
        if index == 0 {
            break;
        }
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// Gives what wasm-bindgen's `output` imports from its glue (the module `./{stem}_bg.js`) short names, in the wasm
/// and in the glue alike, before either is written.
pub fn shorten(output: &mut wasm_bindgen_cli_support::Output, stem: &str) -> Result<String> {
    let glue_module = format!("./{stem}_bg.js");
    let mut renamed = Vec::new();
    for import in output.wasm_mut().imports.iter_mut().filter(|import| import.module == glue_module) {
        let short = short_name(renamed.len());
        import.module = GLUE_MODULE.to_owned();
        renamed.push((std::mem::replace(&mut import.name, short.clone()), short));
    }
    let mut text = replace_once(output.js(), &format!("\"{glue_module}\":"), &format!("\"{GLUE_MODULE}\":"), GLUE)?;
    for (name, short) in &renamed {
        text = replace_once(&text, &format!("{name}:"), &format!("{short}:"), GLUE)?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..1000).map(short_name).collect();
        assert_eq!(&names[..3], ["a", "b", "c"]);
        assert_eq!(names[26], "ba");
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(names.iter().all(|name| name.bytes().all(|byte| byte.is_ascii_lowercase())));
    }
}
