//! The sandbox's flags, as `zonos-sandbox` and `zonos-server sandbox | serve --sandbox` take them.

use std::time::Duration;

use clap::Args;

use crate::reach::Reach;
use crate::{SandboxConfig, Timings};

#[derive(Args, Debug, Clone)]
pub struct SandboxFlags {
    /// How long a sandbox job stays QUEUED, in milliseconds.
    #[arg(long, default_value_t = 1500)]
    pub queue_ms: u64,
    /// How long a sandbox job stays PROCESSING at least, in milliseconds.
    #[arg(long, default_value_t = 2500)]
    pub process_ms: u64,
    /// Accept only this API key in the sandbox (by default any non-empty key).
    #[arg(long)]
    pub key: Option<String>,
    /// Answer each submission synchronously, once its job has ended, with the audio ({"audio": [{"url": …}]}), as
    /// some of the gateway's notes describe Zonos 2, instead of the documented 202 to poll.
    #[arg(long)]
    pub sync: bool,
}

impl SandboxFlags {
    /// The sandbox these flags describe, fetching within `reach`.
    pub fn config(self, reach: Reach) -> SandboxConfig {
        let timings =
            Timings { queue: Duration::from_millis(self.queue_ms), process: Duration::from_millis(self.process_ms) };
        SandboxConfig { timings, key: self.key, reach, synchronous: self.sync }
    }
}
