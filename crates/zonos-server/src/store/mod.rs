//! The proxy's state, kept where a restart, or another replica, finds it: uploaded references, the daily cap's
//! count, the request ids the proxy issued with their webhook tokens, the final statuses pushed to browsers, the
//! rate limits' counters, who may use it (access codes, sessions, sign-ins under way, budgets, the spend log), and
//! reviews with their answers. One interface, two backends: an embedded one in a data directory (one instance, the
//! default), and Redis (several replicas, which also carries a webhook received by one replica to the browser
//! following that job on another).

mod embedded;
mod redis;
mod reviews;
mod spend;

pub use reviews::{
    is_review_file, is_review_token, Answered, GivenAnswer, KeptReview, NewReview, ReviewBounds, MOST_LISTENERS,
    REVIEW_BOUNDS,
};
pub use spend::{Spend, SPEND_LOG_LIFETIME};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use tokio::sync::broadcast;
use zonos_api::{AudioFormat, JobStatusResponse};

/// How long an uploaded reference is served.
pub const REFERENCE_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// How long a webhook token waits for its callback, and a final status waits for its browser: longer than any job.
pub const CALLBACK_LIFETIME: Duration = Duration::from_secs(6 * 60 * 60);
/// How long the proxy answers for a request id it issued: a kept take is checked again when its page is reopened.
pub const ISSUED_LIFETIME: Duration = Duration::from_secs(7 * 24 * 60 * 60);
/// A person's budgets of submissions: a day's (UTC) and in all; `None`: no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Budget {
    pub daily: Option<u32>,
    pub in_all: Option<u32>,
}

/// What a person has used: today, and in all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Used {
    pub today: u32,
    pub in_all: u32,
}

impl Used {
    fn plus_one(self) -> Used {
        Used { today: self.today + 1, in_all: self.in_all + 1 }
    }
}

/// Whether one more submission fits a person's budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetCheck {
    /// Counted: what is used now, this one included.
    Counted(Used),
    DailySpent(Used),
    InAllSpent(Used),
}

impl Budget {
    /// Whether one more fits, with `used` so far (a spent day's budget is said first: it renews).
    fn check(self, used: Used) -> BudgetCheck {
        if self.daily.is_some_and(|daily| used.today >= daily) {
            BudgetCheck::DailySpent(used)
        } else if self.in_all.is_some_and(|most| used.in_all >= most) {
            BudgetCheck::InAllSpent(used)
        } else {
            BudgetCheck::Counted(used.plus_one())
        }
    }
}

/// How long a day's cap count is kept: past its day, nobody asks for it.
const CAP_LIFETIME: Duration = Duration::from_secs(2 * 24 * 60 * 60);
/// How many references may be kept at once, and what they may take in all, each counted with what keeping it
/// costs besides its bytes: a flood of tiny uploads fills the count, not the disk or Redis's memory.
pub const MAX_REFERENCES: u64 = 1_000;
pub const REFERENCE_BUDGET: u64 = 1024 * 1024 * 1024;
const REFERENCE_OVERHEAD: u64 = 1024;

/// What a reference of `size` bytes counts for against [`REFERENCE_BUDGET`].
fn reference_cost(size: usize) -> u64 {
    size as u64 + REFERENCE_OVERHEAD
}

/// A session to open (see [`Store::open_session`]).
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    /// Its token's hash.
    pub hash: &'a str,
    pub person: &'a str,
    /// What the session says of the person (JSON).
    pub record: &'a str,
    pub lifetime: Duration,
    /// The code it was opened with, and how many of that code's sessions may be open at once.
    pub code: &'a str,
    pub most: u32,
}

/// Where the state is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// Files and an embedded database in this directory: one instance.
    Embedded { data_dir: PathBuf },
    /// A Redis server (`redis://HOST:PORT`), shared by every replica.
    Redis { url: String },
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the data directory {dir}: {source}")]
    DataDir { dir: PathBuf, source: std::io::Error },
    #[error("the embedded database: {0}")]
    Database(String),
    #[error("a reference file: {0}")]
    File(#[from] std::io::Error),
    #[error("Redis: {0}")]
    Redis(#[from] ::redis::RedisError),
    #[error("a stored value could not be read: {0}")]
    Corrupt(String),
    /// Not a failure: the references already stored fill the store's budget.
    #[error("the reference store is full")]
    Full,
}

/// A callback the proxy asked for, by its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// The submission is on its way: its request id is not known yet.
    Pending,
    /// The gateway accepted it as this request id.
    For(String),
}

/// A reference's name is its content's SHA-256 and its format's extension: nothing else is stored, or becomes a
/// file's name.
fn reference_format(name: &str) -> Option<AudioFormat> {
    let (hash, extension) = name.split_once('.')?;
    let hashed = hash.len() == 64 && hash.bytes().all(|byte| byte.is_ascii_hexdigit() && !byte.is_ascii_uppercase());
    AudioFormat::from_extension(extension).filter(|_| hashed)
}

/// Seconds since the epoch: what expiries are written in, the same on every replica.
pub fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

/// Seconds in a day: days (UTC) are counted as Unix seconds over this.
pub const DAY_SECS: u64 = 24 * 60 * 60;

#[derive(Clone)]
enum Backend {
    Embedded(Arc<embedded::Embedded>),
    Redis(redis::Shared),
}

/// The proxy's state. Cheap to clone: every clone is the same store.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    channels: Channels,
}

/// What happens at this replica or (through Redis) at any, told to this replica's event streams.
#[derive(Clone)]
pub struct Channels {
    /// Final statuses as they arrive: each browser's event stream picks its own job's.
    finals: broadcast::Sender<Arc<JobStatusResponse>>,
    /// The tokens of reviews as they change (an answer, a close, an end to make room): each tally's stream picks
    /// its own review's and reads it again.
    reviews: broadcast::Sender<Arc<str>>,
}

/// A handle on the store that doesn't keep the embedded one open (see [`Store::downgrade`]).
#[derive(Clone)]
pub struct WeakStore {
    backend: WeakBackend,
    channels: Channels,
}

#[derive(Clone)]
enum WeakBackend {
    Embedded(std::sync::Weak<embedded::Embedded>),
    Redis(redis::Shared),
}

impl WeakStore {
    /// The store, while something else keeps it open.
    pub fn upgrade(&self) -> Option<Store> {
        let backend = match &self.backend {
            WeakBackend::Embedded(store) => Backend::Embedded(store.upgrade()?),
            WeakBackend::Redis(store) => Backend::Redis(store.clone()),
        };
        Some(Store { backend, channels: self.channels.clone() })
    }
}

impl Store {
    /// A handle for a task that must not keep the embedded store open once the server lets it go (its database
    /// can be opened by one owner at a time).
    pub fn downgrade(&self) -> WeakStore {
        let backend = match &self.backend {
            Backend::Embedded(store) => WeakBackend::Embedded(Arc::downgrade(store)),
            Backend::Redis(store) => WeakBackend::Redis(store.clone()),
        };
        WeakStore { backend, channels: self.channels.clone() }
    }

    /// Opens the store (creating the data directory, or connecting to Redis) and starts its upkeep: expired
    /// entries removed, and with Redis the final statuses of other replicas listened to.
    pub async fn open(config: &StoreConfig) -> Result<Store, StoreError> {
        let channels = Channels { finals: broadcast::channel(256).0, reviews: broadcast::channel(1024).0 };
        let backend = match config {
            StoreConfig::Embedded { data_dir } => {
                let store = Arc::new(embedded::Embedded::open(data_dir.clone()).await?);
                tokio::spawn(embedded::sweep_every_minute(Arc::downgrade(&store)));
                Backend::Embedded(store)
            }
            StoreConfig::Redis { url } => Backend::Redis(redis::Shared::connect(url, channels.clone()).await?),
        };
        Ok(Store { backend, channels })
    }

    /// Keeps a reference's `bytes` under `name` (its hash and its format's extension) for [`REFERENCE_LIFETIME`];
    /// again, if already there, which renews it. [`StoreError::Full`] when a new one would pass [`MAX_REFERENCES`]
    /// or [`REFERENCE_BUDGET`].
    pub async fn put_reference(&self, name: &str, bytes: Bytes) -> Result<(), StoreError> {
        if reference_format(name).is_none() {
            return Err(StoreError::Corrupt(format!("{name:?} is not a reference's name")));
        }
        match &self.backend {
            Backend::Embedded(store) => {
                store.put_reference(name, bytes, now_secs() + REFERENCE_LIFETIME.as_secs()).await
            }
            Backend::Redis(store) => store.put_reference(name, bytes, REFERENCE_LIFETIME).await,
        }
    }

    /// A reference's bytes and format, unless it expired or was never stored.
    pub async fn reference(&self, name: &str) -> Result<Option<(Bytes, AudioFormat)>, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.reference(name).await,
            Backend::Redis(store) => store.reference(name).await,
        }
    }

    /// Counts one more submission on UTC day `day` if fewer than `cap` were counted: atomically, whatever the
    /// number of replicas. Whether it was counted.
    pub async fn reserve_submission(&self, day: u64, cap: u32) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.reserve_submission(day, cap).await,
            Backend::Redis(store) => store.reserve_submission(day, cap, CAP_LIFETIME).await,
        }
    }

    /// Gives back a place counted on `day` (the gateway refused the submission).
    pub async fn release_submission(&self, day: u64) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.release_submission(day).await,
            Backend::Redis(store) => store.release_submission(day).await,
        }
    }

    /// How many submissions were counted on `day`.
    pub async fn submissions_on(&self, day: u64) -> Result<u32, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.submissions_on(day).await,
            Backend::Redis(store) => store.submissions_on(day).await,
        }
    }

    /// Counts one submission of `person` on `day` against `budget`, if neither of its limits is reached: both counts
    /// at once, atomically however many replicas race.
    pub async fn reserve_budget(&self, person: &str, day: u64, budget: Budget) -> Result<BudgetCheck, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.reserve_budget(person, day, budget).await,
            Backend::Redis(store) => store.reserve_budget(person, day, budget, CAP_LIFETIME).await,
        }
    }

    /// Gives back a submission counted for `person` on `day` (the gateway refused it).
    pub async fn release_budget(&self, person: &str, day: u64) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.release_budget(person, day).await,
            Backend::Redis(store) => store.release_budget(person, day).await,
        }
    }

    /// What `person` has used of their budgets on `day`.
    pub async fn budget_used(&self, person: &str, day: u64) -> Result<Used, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.budget_used(person, day).await,
            Backend::Redis(store) => store.budget_used(person, day).await,
        }
    }

    /// Keeps an access code's record (JSON) under its id.
    pub async fn put_code(&self, id: &str, record: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.put_code(id, record).await,
            Backend::Redis(store) => store.put_code(id, record).await,
        }
    }

    /// The record of the access code `id`, if there is one.
    pub async fn code(&self, id: &str) -> Result<Option<String>, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.code(id).await,
            Backend::Redis(store) => store.code(id).await,
        }
    }

    /// Every access code's record.
    pub async fn codes(&self) -> Result<Vec<String>, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.codes().await,
            Backend::Redis(store) => store.codes().await,
        }
    }

    /// Counts one more sign-in with the code `id`, if fewer than `uses` were counted (an invite's last use can't be
    /// taken twice, however many replicas race); whether it was counted.
    pub async fn use_code(&self, id: &str, uses: u32) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.use_code(id, uses).await,
            Backend::Redis(store) => store.use_code(id, uses).await,
        }
    }

    /// How many sign-ins the code `id` has counted.
    pub async fn code_uses(&self, id: &str) -> Result<u32, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.code_uses(id).await,
            Backend::Redis(store) => store.code_uses(id).await,
        }
    }

    /// Forgets the access code `id` (and its count of uses).
    pub async fn remove_code(&self, id: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.remove_code(id).await,
            Backend::Redis(store) => store.remove_code(id).await,
        }
    }

    /// Opens a session: its record (JSON) under the hash of its token, for its lifetime, listed under its person
    /// (so that revoking the person ends it) and its code, whose oldest sessions past the most it may have end.
    pub async fn open_session(&self, session: &NewSession<'_>) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.open_session(session).await,
            Backend::Redis(store) => store.open_session(session).await,
        }
    }

    /// The record of the session whose token hashes to `hash`, unless it ended or expired.
    pub async fn session(&self, hash: &str) -> Result<Option<String>, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.session(hash).await,
            Backend::Redis(store) => store.session(hash).await,
        }
    }

    /// Ends the session whose token hashes to `hash` (signing out), on every replica.
    pub async fn end_session(&self, hash: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.end_sessions(Some(hash), None).await,
            Backend::Redis(store) => store.end_session(hash).await,
        }
    }

    /// Ends every session of `person` (revoking them), on every replica.
    pub async fn end_sessions_of(&self, person: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.end_sessions(None, Some(person)).await,
            Backend::Redis(store) => store.end_sessions_of(person).await,
        }
    }

    /// Keeps what an OpenID Connect sign-in's callback will need (JSON), under its `state`, for `lifetime`: the
    /// callback may come back to another replica.
    pub async fn put_sign_in(&self, state: &str, record: &str, lifetime: Duration) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.put_sign_in(state, record, lifetime).await,
            Backend::Redis(store) => store.put_sign_in(state, record, lifetime).await,
        }
    }

    /// Takes the sign-in under `state` (once: a callback replayed finds nothing), unless it expired.
    pub async fn take_sign_in(&self, state: &str) -> Result<Option<String>, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.take_sign_in(state).await,
            Backend::Redis(store) => store.take_sign_in(state).await,
        }
    }

    /// A webhook token, before the submission that carries it is sent.
    pub async fn open_callback(&self, token: &str) -> Result<(), StoreError> {
        self.set_callback(token, &Callback::Pending).await
    }

    async fn set_callback(&self, token: &str, callback: &Callback) -> Result<(), StoreError> {
        let request_id = match callback {
            Callback::Pending => "",
            Callback::For(request_id) => request_id,
        };
        let expires = now_secs() + CALLBACK_LIFETIME.as_secs();
        match &self.backend {
            Backend::Embedded(store) => store.set_callback(token, request_id, expires).await,
            Backend::Redis(store) => store.set_callback(token, request_id, CALLBACK_LIFETIME).await,
        }
    }

    /// The submission carrying `token` (if any) was not accepted: no callback will come.
    pub async fn close_callback(&self, token: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.close_callback(token).await,
            Backend::Redis(store) => store.close_callback(token).await,
        }
    }

    /// What the proxy knows of a callback token; `None` when it never issued it, or it expired.
    pub async fn callback(&self, token: &str) -> Result<Option<Callback>, StoreError> {
        let request_id = match &self.backend {
            Backend::Embedded(store) => store.callback(token).await?,
            Backend::Redis(store) => store.callback(token).await?,
        };
        Ok(request_id.map(|id| if id.is_empty() { Callback::Pending } else { Callback::For(id) }))
    }

    /// The gateway accepted a submission sent by this proxy as `request_id` (with the webhook `token`, if any),
    /// made with `settings` (JSON: what its Content Credentials say of it).
    pub async fn issue(&self, request_id: &str, token: Option<&str>, settings: &str) -> Result<(), StoreError> {
        if let Some(token) = token {
            self.set_callback(token, &Callback::For(request_id.to_owned())).await?;
        }
        let expires = now_secs() + ISSUED_LIFETIME.as_secs();
        match &self.backend {
            Backend::Embedded(store) => store.issue(request_id, settings, expires).await,
            Backend::Redis(store) => store.issue(request_id, settings, ISSUED_LIFETIME).await,
        }
    }

    /// The settings `request_id` was issued with, if this proxy (any replica) issued it: empty when it was issued
    /// before settings were kept.
    pub async fn issued_settings(&self, request_id: &str) -> Result<Option<String>, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.issued_settings(request_id).await,
            Backend::Redis(store) => store.issued_settings(request_id).await,
        }
    }

    /// Whether this proxy (any replica) issued `request_id`.
    pub async fn is_issued(&self, request_id: &str) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Embedded(store) => store.is_issued(request_id).await,
            Backend::Redis(store) => store.is_issued(request_id).await,
        }
    }

    /// Keeps a job's final status and tells every replica's event streams, unless one was kept already: a job can
    /// end by its webhook and by the proxy's own status check, and only the first is the job's end. Returns whether
    /// this one was.
    pub async fn publish_final(&self, status: &JobStatusResponse) -> Result<bool, StoreError> {
        let json = serde_json::to_string(status).expect("a status serializes");
        match &self.backend {
            Backend::Embedded(store) => {
                // One instance: its own streams are all there are.
                let first =
                    store.put_final(&status.request_id, &json, now_secs() + CALLBACK_LIFETIME.as_secs()).await?;
                if first {
                    let _ = self.channels.finals.send(Arc::new(status.clone()));
                }
                Ok(first)
            }
            // Every replica hears it from Redis, this one too.
            Backend::Redis(store) => store.publish_final(&status.request_id, &json, CALLBACK_LIFETIME).await,
        }
    }

    /// A job's final status, if it came.
    pub async fn final_status(&self, request_id: &str) -> Result<Option<JobStatusResponse>, StoreError> {
        let json = match &self.backend {
            Backend::Embedded(store) => store.final_status(request_id).await?,
            Backend::Redis(store) => store.final_status(request_id).await?,
        };
        json.map(|json| serde_json::from_str(&json).map_err(|error| StoreError::Corrupt(error.to_string()))).transpose()
    }

    /// Final statuses from now on, as they arrive anywhere.
    pub fn finals(&self) -> broadcast::Receiver<Arc<JobStatusResponse>> {
        self.channels.finals.subscribe()
    }

    /// Counts a call of `key`, allowed `limit` times per `window` (in bursts of up to `limit`, then evenly, as
    /// a generic cell rate algorithm has it): `None` if allowed, else how long until the next one is. Counted
    /// atomically across replicas.
    pub async fn hit(&self, key: &str, limit: u32, window: Duration) -> Result<Option<Duration>, StoreError> {
        let window_ms = window.as_millis().max(1) as u64;
        let interval_ms = (window_ms / u64::from(limit.max(1))).max(1);
        let wait_ms = match &self.backend {
            Backend::Embedded(store) => store.hit(key, interval_ms, window_ms).await?,
            Backend::Redis(store) => store.hit(key, interval_ms, window_ms).await?,
        };
        Ok((wait_ms > 0).then(|| Duration::from_millis(wait_ms)))
    }
}

/// The cell rate algorithm's step: with the key's theoretical arrival time `tat_ms` (none yet: `now_ms`), a call now
/// either moves it on by `interval_ms` (returns the new time, and 0) or is refused (returns how long to wait).
fn rate_step(tat_ms: Option<u64>, now_ms: u64, interval_ms: u64, window_ms: u64) -> (Option<u64>, u64) {
    let next = tat_ms.unwrap_or(now_ms).max(now_ms) + interval_ms;
    if next - now_ms > window_ms {
        (None, next - now_ms - window_ms)
    } else {
        (Some(next), 0)
    }
}

/// Milliseconds since the epoch.
fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_allows_a_burst_of_the_limit_then_one_per_interval() {
        // Two a minute: two at once, then one every 30 s.
        let (interval, window) = (30_000, 60_000);
        let (first, wait) = rate_step(None, 1_000, interval, window);
        assert_eq!((first, wait), (Some(31_000), 0));
        let (second, wait) = rate_step(first, 1_000, interval, window);
        assert_eq!((second, wait), (Some(61_000), 0));
        assert_eq!(rate_step(second, 1_000, interval, window), (None, 30_000));
        assert_eq!(rate_step(second, 20_000, interval, window), (None, 11_000));
        assert_eq!(rate_step(second, 31_000, interval, window), (Some(91_000), 0));
        // Long quiet: a full burst again.
        assert_eq!(rate_step(second, 500_000, interval, window), (Some(530_000), 0));
    }
}
