//! The built app: `dist/`, with precompressed variants when the build made them, and cache headers that
//! let browsers keep hashed assets forever but always revalidate `index.html`.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::{self, Next},
    response::Response,
    Router,
};
use tower_http::services::ServeDir;

/// Serves `dist`. Content types come from the file extension (`.wasm` is `application/wasm`); paths that try to
/// leave `dist` are refused by `ServeDir`.
pub fn router(dist: &Path) -> Router {
    let files = ServeDir::new(dist).precompressed_br().precompressed_gzip();
    Router::new().fallback_service(files).layer(middleware::from_fn(cache_control))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() {
        let policy = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Whether a path carries the build's content hash (16 hex digits) in its name or its folder's (the wasm's lazily
/// loaded parts sit in a folder named after the build), so its content never changes under that path.
pub fn is_hashed(path: &str) -> bool {
    path.split(['/', '-', '_', '.']).any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The page's Content-Security-Policy: its own scripts (the files, and the inline ones by their hash: a script an
/// attacker slips into the page is refused) and WebAssembly; styles inline (the page's own, and the attributes the
/// app sets); media and images from anywhere a reference may be (a pasted URL's preview), or the page's blobs; calls
/// to its own origin and blobs, or, in `direct` mode (no proxy), to whatever gateway the person names; never framed.
pub fn content_security_policy(dist: &Path, direct: bool) -> std::io::Result<HeaderValue> {
    let page = std::fs::read_to_string(dist.join("index.html"))?;
    let scripts: String = inline_scripts(&page)
        .map(|script| format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script))))
        .collect();
    // The page reads its own blob: URLs back (a kept take's audio, to draw it).
    let connect = if direct { "'self' blob: https: http:" } else { "'self' blob:" };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; media-src 'self' blob: https: http:; connect-src {connect}; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    );
    Ok(HeaderValue::from_str(&policy).expect("a policy is ASCII"))
}

/// The contents of the page's `<script>` elements that have no `src`.
fn inline_scripts(page: &str) -> impl Iterator<Item = &str> {
    page.split("<script").skip(1).filter_map(|rest| {
        let (tag, rest) = rest.split_once('>')?;
        let (content, _) = rest.split_once("</script>")?;
        (!tag.contains("src=")).then_some(content)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_each_inline_script_by_its_hash() {
        let dist = tempfile::tempdir().unwrap();
        let page = "<html><head><script>alert(1)</script><script type=module>import a from\"./x.js\"</script>\
                    <script src=\"./y.js\"></script></head><body></body></html>";
        std::fs::write(dist.path().join("index.html"), page).unwrap();
        let policy = content_security_policy(dist.path(), false).unwrap();
        let policy = policy.to_str().unwrap();
        let hash = |script: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
        assert!(policy.contains(&format!("'sha256-{}'", hash("alert(1)"))), "{policy}");
        assert!(policy.contains(&format!("'sha256-{}'", hash("import a from\"./x.js\""))), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("connect-src 'self' blob:;"), "{policy}");
        let direct = content_security_policy(dist.path(), true).unwrap();
        assert!(direct.to_str().unwrap().contains("connect-src 'self' blob: https: http:;"));
    }

    #[test]
    fn built_assets_are_hashed_and_the_page_is_not() {
        assert!(is_hashed("/zonos-studio-4f3c2b1a0d9e8f7a_bg.wasm"));
        assert!(is_hashed("/zonos-studio-4f3c2b1a0d9e8f7a.js"));
        assert!(is_hashed("/main-0123456789abcdef.css"));
        assert!(is_hashed("/zonos-studio-4f3c2b1a0d9e8f7a-split/chunk_3.wasm"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/"));
        assert!(!is_hashed("/voices/narrator.wav"));
    }
}
