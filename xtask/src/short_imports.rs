//! Short names for what the app's wasm imports from its JS glue. wasm-bindgen names each import after the call it
//! makes, with a hash (`__wbg_createElement_de4a31ed2fb252be`), in a module named after the glue's file; both files
//! carry every name, and the hashes don't compress: some 5 KB of the first load, brotli. Renamed alike in both
//! files, nothing else changes.

use std::fs;
use std::path::Path;

use wasm_encoder::reencode::{utils, Error, Reencode};
use wasm_encoder::{ImportSection, Module};

use crate::process::io_error;
use crate::{Result, XtaskError};

/// The glue's module, as the wasm names it from now on.
const GLUE_MODULE: &str = "g";

/// Re-encodes a module unchanged but for its imports from `glue_module`, which get short names.
struct Renamer<'a> {
    glue_module: &'a str,
    /// Each renamed import: its name, its short name.
    renamed: Vec<(String, String)>,
    /// Imports from the glue came in a compact group, which is left as it is.
    grouped: bool,
}

impl Reencode for Renamer<'_> {
    type Error = std::convert::Infallible;

    fn parse_imports(
        &mut self,
        section: &mut ImportSection,
        imports: wasmparser::Imports<'_>,
    ) -> std::result::Result<(), Error<Self::Error>> {
        match imports {
            wasmparser::Imports::Single(_, import) if import.module == self.glue_module => {
                let short = short_name(self.renamed.len());
                section.import(GLUE_MODULE, &short, self.entity_type(import.ty)?);
                self.renamed.push((import.name.to_owned(), short));
                Ok(())
            }
            other => {
                if let wasmparser::Imports::Compact1 { module, .. } | wasmparser::Imports::Compact2 { module, .. } =
                    &other
                {
                    self.grouped |= *module == self.glue_module;
                }
                utils::parse_imports(self, section, other)
            }
        }
    }
}

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

/// Replaces `name` in `text`, where it must stand exactly once.
fn replace_once(text: &str, name: &str, short: &str) -> Result<String> {
    match text.matches(name).count() {
        1 => Ok(text.replacen(name, short, 1)),
        count => Err(XtaskError::Check(format!("the JS glue names {name} {count} times, not once"))),
    }
}

/// Gives the imports of `wasm` from the glue `glue_file` (the file name the wasm knows it by) short names, in both.
pub fn shorten(wasm: &Path, glue: &Path, glue_file: &str) -> Result<()> {
    let bytes = fs::read(wasm).map_err(io_error(format!("reading {}", wasm.display())))?;
    let glue_module = format!("./{glue_file}");
    let mut renamer = Renamer { glue_module: &glue_module, renamed: Vec::new(), grouped: false };
    let mut module = Module::new();
    renamer
        .parse_core_module(&mut module, wasmparser::Parser::new(0), &bytes)
        .map_err(|error| XtaskError::Check(format!("re-encoding {}: {error:?}", wasm.display())))?;
    // They would keep the glue's old module name, which the glue no longer answers to: an error only at run time.
    if renamer.grouped {
        return Err(XtaskError::Check(format!("{} imports from the glue in a compact group", wasm.display())));
    }
    let mut text = fs::read_to_string(glue).map_err(io_error(format!("reading {}", glue.display())))?;
    text = replace_once(&text, &format!("\"{glue_module}\":"), &format!("\"{GLUE_MODULE}\":"))?;
    for (name, short) in &renamer.renamed {
        text = replace_once(&text, &format!("{name}:"), &format!("{short}:"))?;
    }
    fs::write(wasm, module.finish()).map_err(io_error(format!("writing {}", wasm.display())))?;
    fs::write(glue, text).map_err(io_error(format!("writing {}", glue.display())))
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

    #[test]
    fn a_name_is_replaced_only_where_it_stands_once() {
        assert_eq!(
            replace_once("{ __wbg_a_1: f, __wbg_a_12: g }", "__wbg_a_12:", "b:").unwrap(),
            "{ __wbg_a_1: f, b: g }"
        );
        assert!(replace_once("x: 1, x: 2", "x:", "y:").is_err());
        assert!(replace_once("", "x:", "y:").is_err());
    }
}
