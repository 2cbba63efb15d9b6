//! The built app: trunk's `dist/`, with precompressed variants when the build made them, and cache headers that
//! let browsers keep hashed assets forever but always revalidate `index.html`.

use std::path::Path;

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

/// Whether a path carries trunk's content hash (16 hex digits) in its name or its folder's (the wasm's lazily
/// loaded parts sit in a folder named after the build), so its content never changes under that path.
pub fn is_hashed(path: &str) -> bool {
    path.split(['/', '-', '_', '.']).any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn trunk_assets_are_hashed_and_the_page_is_not() {
        assert!(is_hashed("/zonos-studio-4f3c2b1a0d9e8f7a_bg.wasm"));
        assert!(is_hashed("/zonos-studio-4f3c2b1a0d9e8f7a.js"));
        assert!(is_hashed("/main-0123456789abcdef.css"));
        assert!(is_hashed("/zonos-studio-4f3c2b1a0d9e8f7a-split/chunk_3.wasm"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/"));
        assert!(!is_hashed("/voices/narrator.wav"));
    }
}
