//! The page: `index.html` with the app's style inlined and its start script naming the build's files, minified,
//! then the app's first screen, rendered by the app itself (`xtask/prerender.mjs`), put in its body. Written once.

use std::fs;
use std::path::Path;
use std::process::Command;

use super::{replace_once, work_dir};
use crate::process::{announce, execute, io_error};
use crate::{root, Result, XtaskError};

/// Where the style stands in `index.html`, and the start script's names of the glue and the wasm.
const STYLE_LINK: &str = r#"<link rel="stylesheet" href="style/main.css" />"#;
const GLUE_NAME: &str = "{glue}";
const WASM_NAME: &str = "{wasm}";

/// Fills `marker` in the page, where it must stand exactly once.
fn fill(page: &str, marker: &str, with: &str) -> Result<String> {
    replace_once(page, marker, with, "index.html")
}

/// `index.html` for the build named `stem`, before its body is rendered: minified as trunk did (its inline style
/// and scripts too).
pub fn bare_page(template: &str, style: &str, stem: &str) -> Result<String> {
    let page = fill(template, STYLE_LINK, &format!("<style>{style}</style>"))?;
    let page = fill(&page, GLUE_NAME, &format!("{stem}.js"))?;
    let page = fill(&page, WASM_NAME, &format!("{stem}_bg.wasm"))?;
    let mut options = minify_html::Cfg::spec_compliant();
    options.minify_css = true;
    options.minify_js = true;
    options.keep_closing_tags = true;
    String::from_utf8(minify_html::minify(page.as_bytes(), &options))
        .map_err(|_| XtaskError::Check("the minified page is not UTF-8".to_owned()))
}

/// The page with the rendered first screen in its body, after the page's own `<noscript>` (which the app's
/// screen no longer has: the app clears the body as it starts).
pub fn with_body(page: &str, body: &str) -> Result<String> {
    let start = page.find("<body>").map(|at| at + "<body>".len());
    let end = page.find("</body>");
    let (Some(start), Some(end)) = (start, end) else {
        return Err(XtaskError::Check("the page has no <body>…</body> to fill".to_owned()));
    };
    let inside = &page[start..end];
    let noscript = inside.find("<noscript>").and_then(|from| {
        let to = inside[from..].find("</noscript>")? + from + "</noscript>".len();
        Some(&inside[from..to])
    });
    Ok(format!("{}{}{body}{}", &page[..start], noscript.unwrap_or_default(), &page[end..]))
}

/// Writes `dist/index.html` for the build named `stem`, whose files are in `dist` already.
pub fn write(dist: &Path, stem: &str) -> Result<()> {
    let read = |path: &Path| fs::read_to_string(path).map_err(io_error(format!("reading {}", path.display())));
    let page = bare_page(&read(&root().join("index.html"))?, &read(&root().join("style/main.css"))?, stem)?;
    let work = work_dir();
    let (bare, body) = (work.join("bare.html"), work.join("body.html"));
    fs::write(&bare, &page).map_err(io_error(format!("writing {}", bare.display())))?;
    announce("Prerendering the first screen into the page (the app renders it, in headless Chromium)");
    execute(Command::new("node").arg(root().join("xtask").join("prerender.mjs")).arg(dist).arg(&bare).arg(&body))?;
    let page = with_body(&page, &read(&body)?)?;
    let index = dist.join("index.html");
    fs::write(&index, page).map_err(io_error(format!("writing {}", index.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"<!doctype html>
<html lang="en">
  <head>
    <link rel="stylesheet" href="style/main.css" />
    <script type="module">
      import init from "./{glue}";
      const response = fetch("./{wasm}");
      init({ module_or_path: response });
    </script>
  </head>
  <body>
    <noscript>Needs JavaScript.</noscript>
  </body>
</html>
"#;

    #[test]
    fn the_page_inlines_the_style_and_names_the_build() {
        let page = bare_page(TEMPLATE, "body {\n  margin: 0;\n}\n", "zonos-studio-0123456789abcdef").unwrap();
        assert!(page.contains("<style>body{margin:0}</style>"), "{page}");
        assert!(page.contains("./zonos-studio-0123456789abcdef.js"), "{page}");
        assert!(page.contains("./zonos-studio-0123456789abcdef_bg.wasm"), "{page}");
        assert!(!page.contains("{glue}") && !page.contains("stylesheet"), "{page}");
    }

    #[test]
    fn a_template_without_its_markers_is_refused() {
        assert!(bare_page("<html><body></body></html>", "", "zonos-studio-0123456789abcdef").is_err());
        let twice = TEMPLATE.replace("./{wasm}", "./{glue}");
        assert!(bare_page(&twice, "", "zonos-studio-0123456789abcdef").is_err());
    }

    #[test]
    fn the_body_follows_the_pages_noscript() {
        let page = "<head></head><body><noscript>Needs JavaScript.</noscript></body>";
        assert_eq!(
            with_body(page, "<main>Generate</main>").unwrap(),
            "<head></head><body><noscript>Needs JavaScript.</noscript><main>Generate</main></body>"
        );
        assert!(with_body("<p>no body</p>", "<main></main>").is_err());
    }
}
