//! Zonos Studio, the browser app: a Leptos client-side app compiled to WebAssembly.

pub mod access;
pub mod api_call;
pub mod app;
pub mod form;
pub mod gateway;
pub mod jobs;
pub mod panels;
pub mod parts;
pub mod platform;
pub mod player;
pub mod prerendered;
pub mod review;
pub mod settings;
pub mod share;
pub mod shortcuts;
pub mod startup;
pub mod takes;
pub mod variations;
pub mod voices;

pub use app::App;
