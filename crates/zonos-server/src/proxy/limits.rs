//! What keeps a page left open on the internet from draining the wallet, or the server: per-client rate limits on
//! every call a client makes (submissions, status checks, media, uploads, event streams) and an optional daily cap
//! on submissions sent upstream. All are counted in the store, so that a restart doesn't reset them and replicas
//! share them.

use std::num::NonZeroU32;
use std::time::Duration;

use super::error::ProxyError;
use crate::access::sessions::Person;
use crate::store::{now_secs, BudgetCheck, Store, DAY_SECS as DAY};
/// The rate limit's window.
const MINUTE: Duration = Duration::from_secs(60);

pub struct Limits {
    store: Store,
    per_minute: NonZeroU32,
    daily_cap: Option<u32>,
}

/// A place reserved under the daily cap and the person's budget; given back unless kept (the gateway may have
/// accepted the submission).
#[must_use]
pub struct Reservation {
    store: Store,
    day: u64,
    /// What was counted: a place under the cap, and the person whose budget counted it.
    counted: Counted,
}

#[derive(Default)]
struct Counted {
    cap: bool,
    person: Option<String>,
}

impl Counted {
    async fn release(self, store: Store, day: u64) {
        let cap = async {
            if self.cap {
                store.release_submission(day).await
            } else {
                Ok(())
            }
        };
        let budget = async {
            match &self.person {
                Some(person) => store.release_budget(person, day).await,
                None => Ok(()),
            }
        };
        let (cap, budget) = tokio::join!(cap, budget);
        if let Err(error) = cap.and(budget) {
            tracing::warn!(%error, "a refused submission could not be given back to the daily cap or its budget");
        }
    }
}

impl Reservation {
    /// The gateway accepted it, or may have: it counts.
    pub fn keep(mut self) {
        self.counted = Counted::default();
    }

    /// The gateway refused it: the place is free again before the refusal is answered.
    pub async fn give_back(mut self) {
        std::mem::take(&mut self.counted).release(self.store.clone(), self.day).await;
    }
}

/// Dropped unsettled (the submission never left, or the cap refused it after the budget counted it): given back on
/// a task of its own.
impl Drop for Reservation {
    fn drop(&mut self) {
        let counted = std::mem::take(&mut self.counted);
        if counted.cap || counted.person.is_some() {
            tokio::spawn(counted.release(self.store.clone(), self.day));
        }
    }
}

/// A call a client makes, with how many a minute it may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Status,
    Media,
    Upload,
    Events,
    /// A listener's answer to a review, counted per client…
    Answer,
    /// …and per review (its token is the key): a room answering at once passes, a flood does not.
    AnswersToOneReview,
}

impl Call {
    fn per_minute(self) -> u32 {
        match self {
            // A page polls each job every few seconds, and a few jobs run at once.
            Call::Status => 120,
            // Each take's audio, and seeking in it.
            Call::Media => 120,
            // A person uploads a file, or records one, now and then.
            Call::Upload => 10,
            Call::Events => 60,
            // A listener rates, comments (sent after a pause in typing) and changes their mind; phones behind
            // one address share it.
            Call::Answer => 60,
            Call::AnswersToOneReview => 6000,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Call::Status => "status",
            Call::Media => "media",
            Call::Upload => "upload",
            Call::Events => "events",
            Call::Answer => "answer",
            Call::AnswersToOneReview => "review-answers",
        }
    }
}

impl Limits {
    /// `per_minute` submissions a minute per client address; `daily_cap` in all.
    pub fn new(store: Store, per_minute: NonZeroU32, daily_cap: Option<u32>) -> Limits {
        Limits { store, per_minute, daily_cap }
    }

    /// Admits a `call` from `client` (see [`crate::net::client::limit_key`]), or says how long to wait.
    pub async fn allow(&self, call: Call, client: &str) -> Result<(), ProxyError> {
        let key = format!("{}:{client}", call.name());
        match self.store.hit(&key, call.per_minute(), MINUTE).await? {
            Some(wait) => Err(ProxyError::RateLimited(wait)),
            None => Ok(()),
        }
    }

    /// Admits one submission from `client`, by `person` if signed in (counted against their budget), or says why
    /// not: how long to wait, or that a budget is spent.
    pub async fn admit(&self, client: &str, person: Option<&Person>) -> Result<Reservation, ProxyError> {
        let key = format!("submit:{client}");
        if let Some(wait) = self.store.hit(&key, self.per_minute.get(), MINUTE).await? {
            return Err(ProxyError::RateLimited(wait));
        }
        let now = now_secs();
        let day = now / DAY;
        let until_midnight = Duration::from_secs((day + 1) * DAY - now);
        let mut reservation = Reservation { store: self.store.clone(), day, counted: Counted::default() };
        if let Some(person) = person {
            match self.store.reserve_budget(&person.name, day, person.budget).await? {
                BudgetCheck::Counted(_) => reservation.counted.person = Some(person.name.clone()),
                BudgetCheck::DailySpent(used) => {
                    let limit = person.budget.daily.unwrap_or_default();
                    return Err(ProxyError::BudgetSpent { used: used.today, limit, renews_in: Some(until_midnight) });
                }
                BudgetCheck::InAllSpent(used) => {
                    let limit = person.budget.in_all.unwrap_or_default();
                    return Err(ProxyError::BudgetSpent { used: used.in_all, limit, renews_in: None });
                }
            }
        }
        if let Some(cap) = self.daily_cap {
            // Refused here, the budget's count goes back with the reservation.
            if !self.store.reserve_submission(day, cap).await? {
                return Err(ProxyError::DailyCap(until_midnight));
            }
            reservation.counted.cap = true;
        }
        Ok(reservation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreConfig;

    const CLIENT: &str = "127.0.0.1";

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (Store::open(&StoreConfig::Embedded { data_dir: dir.path().to_owned() }).await.unwrap(), dir)
    }

    #[tokio::test]
    async fn the_cap_counts_only_kept_submissions() {
        let (store, _dir) = store().await;
        let limits = Limits::new(store.clone(), NonZeroU32::new(100).unwrap(), Some(2));
        limits.admit(CLIENT, None).await.unwrap().keep();
        limits.admit(CLIENT, None).await.unwrap().give_back().await; // refused upstream
        assert_eq!(store.submissions_on(now_secs() / DAY).await.unwrap(), 1);
        limits.admit(CLIENT, None).await.unwrap().keep();
        let Err(ProxyError::DailyCap(wait)) = limits.admit(CLIENT, None).await else { panic!("the cap holds") };
        assert!(wait <= Duration::from_secs(DAY) && wait > Duration::ZERO, "{wait:?}");
    }

    #[tokio::test]
    async fn each_client_has_its_own_rate() {
        let (store, _dir) = store().await;
        let limits = Limits::new(store, NonZeroU32::new(2).unwrap(), None);
        let other = "10.0.0.2";
        limits.admit(CLIENT, None).await.unwrap().keep();
        limits.admit(CLIENT, None).await.unwrap().keep();
        let Err(ProxyError::RateLimited(wait)) = limits.admit(CLIENT, None).await else { panic!("the rate holds") };
        assert!(wait > Duration::ZERO && wait <= MINUTE / 2, "{wait:?}");
        limits.admit(other, None).await.unwrap().keep();
    }
}
