//! The server's edges toward the network, where callers may be hostile: which names it answers to, who a caller
//! is (behind trusted reverse proxies), where its own fetches may go, and connections with bounds.

pub mod addresses;
pub mod client;
pub mod host;
pub mod serve;
