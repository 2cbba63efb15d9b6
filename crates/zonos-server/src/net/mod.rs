//! The server's edges toward the network, where callers may be hostile: which names it answers to, who a caller
//! is (behind trusted reverse proxies), and connections with bounds. (Where the sandbox's fetches may go is the
//! sandbox's own: `zonos_sandbox::reach`.)

pub mod client;
pub mod host;
pub mod serve;
