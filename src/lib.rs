//! Zonos Studio, the browser app: a Leptos client-side app compiled to WebAssembly.

pub mod app;
pub mod form;

pub use app::App;
