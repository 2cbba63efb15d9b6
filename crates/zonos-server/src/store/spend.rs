//! The spend log: each submission sent upstream, who sent it and when, how it ended and how long its audio plays,
//! kept for [`SPEND_LOG_LIFETIME`].

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Backend, Store, StoreError};

/// How long the spend log keeps a submission.
pub const SPEND_LOG_LIFETIME: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// One submission sent upstream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spend {
    /// The request id the gateway gave it; for one it refused, a random id.
    pub id: String,
    /// When it was sent (Unix seconds).
    pub at: u64,
    pub person: String,
    /// Its settings (JSON), as its Content Credentials say them: never the text.
    pub settings: String,
    /// How it stands, as last known: a status the gateway writes (`QUEUED`, `COMPLETED`, …), or the HTTP status of
    /// an answer that accepted nothing (`HTTP 402`).
    pub status: String,
    /// How long its audio plays, once the proxy has served it.
    pub audio_seconds: Option<f64>,
}

impl Store {
    /// Notes a submission sent upstream.
    pub async fn record_spend(&self, spend: &Spend) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.record_spend(spend).await,
            Backend::Redis(store) => store.record_spend(spend).await,
        }
    }

    /// Notes how the submission `id` stands now, or how long its audio plays (a submission the log no longer
    /// keeps, or never did, is left alone).
    pub async fn settle_spend(
        &self,
        id: &str,
        status: Option<&str>,
        audio_seconds: Option<f64>,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.settle_spend(id, status, audio_seconds).await,
            Backend::Redis(store) => store.settle_spend(id, status, audio_seconds).await,
        }
    }

    /// The submissions sent since `since` (Unix seconds), oldest first.
    pub async fn spends_since(&self, since: u64) -> Result<Vec<Spend>, StoreError> {
        let mut spends = match &self.backend {
            Backend::Embedded(store) => store.spends_since(since).await,
            Backend::Redis(store) => store.spends_since(since).await,
        }?;
        spends.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        Ok(spends)
    }
}
