//! The embedded store, for one instance: reference bytes as files named by their hash, everything else in redb
//! (pure Rust, ACID: a commit returns once it is on disk, and a crash never leaves half a transaction). Every call
//! runs off the async runtime: writes wait for the disk.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::body::Bytes;
use redb::{Database, Durability, ReadableDatabase, ReadableTable, TableDefinition};
use zonos_api::AudioFormat;

use super::reviews::{Answered, GivenAnswer, KeptReview, NewReview, ReviewBounds};
use super::{
    now_ms, now_secs, rate_step, reference_cost, reference_format, Budget, BudgetCheck, NewSession, Spend, StoreError,
    Used, MAX_REFERENCES, REFERENCE_BUDGET,
};

/// When a reference expires, and what it costs against the budget; its bytes are the file of the same name, whose
/// extension says its format.
const REFERENCES: TableDefinition<&str, (u64, u64)> = TableDefinition::new("references");
/// Submissions counted per UTC day.
const CAP: TableDefinition<u64, u32> = TableDefinition::new("daily_cap");
/// Webhook tokens: the request id they were bound to ("" until the gateway accepted), and their expiry.
const CALLBACKS: TableDefinition<&str, (&str, u64)> = TableDefinition::new("callbacks");
/// Request ids this proxy issued, and their expiry.
const ISSUED: TableDefinition<&str, u64> = TableDefinition::new("issued");
/// The settings (JSON) each was issued with, and their expiry (a table of its own: `issued` predates it).
const ISSUED_SETTINGS: TableDefinition<&str, (&str, u64)> = TableDefinition::new("issued_settings");
/// Final statuses (JSON), and their expiry.
const FINALS: TableDefinition<&str, (&str, u64)> = TableDefinition::new("finals");
/// Access codes' records (JSON: only their secret's hash), by id.
const CODES: TableDefinition<&str, &str> = TableDefinition::new("access_codes");
/// The spend log: each submission by its id, when it was sent and its `Spend` (JSON).
const SPENDS: TableDefinition<&str, (u64, &str)> = TableDefinition::new("spends");
/// How many sign-ins each code with a number of uses (an invite) has counted, by its id.
const CODE_USES: TableDefinition<&str, u32> = TableDefinition::new("access_code_uses");
/// Each session's code and when it was opened (Unix milliseconds), by the token's hash: a code's oldest end first.
const CODE_SESSIONS: TableDefinition<&str, (&str, u64)> = TableDefinition::new("code_sessions");
/// Sessions by their token's hash: whose, the record (JSON), the expiry.
const SESSIONS: TableDefinition<&str, (&str, &str, u64)> = TableDefinition::new("sessions");
/// Submissions counted against each person's budgets: by (name, UTC day), and in all under the day `IN_ALL`.
const BUDGETS: TableDefinition<(&str, u64), u32> = TableDefinition::new("budgets");
/// The day a person's count in all is kept under.
const IN_ALL: u64 = u64::MAX;
/// OpenID Connect sign-ins under way: what their callback needs (JSON), and their expiry, by their `state`.
const SIGN_INS: TableDefinition<&str, (&str, u64)> = TableDefinition::new("oidc_sign_ins");
/// Reviews by token: the record (JSON), the maker's key's hash, when made (ms), the expiry, the audio's bytes
/// (0 once closed), and whether closed (1). Their audio files are in `reviews/<token>/`.
const REVIEWS: TableDefinition<&str, (&str, &str, u64, u64, u64, u64)> = TableDefinition::new("reviews");
/// Each review's listeners, and each one's answer (JSON) of each take.
const REVIEW_LISTENERS: TableDefinition<(&str, &str), u64> = TableDefinition::new("review_listeners");
const REVIEW_ANSWERS: TableDefinition<(&str, &str, u32), &str> = TableDefinition::new("review_answers");
/// Rate limits: each key's theoretical arrival time, in milliseconds (see `rate_step`).
const RATES: TableDefinition<&str, u64> = TableDefinition::new("rates");

/// What `person` has counted in `budgets` on `day`, and in all.
fn used_by(budgets: &impl ReadableTable<(&'static str, u64), u32>, person: &str, day: u64) -> Result<Used, StoreError> {
    let count =
        |day| Ok::<u32, StoreError>(budgets.get((person, day)).map_err(database)?.map_or(0, |count| count.value()));
    Ok(Used { today: count(day)?, in_all: count(IN_ALL)? })
}

/// A reference file being written is named with this prefix until it is complete.
const PARTIAL: &str = ".partial-";

pub struct Embedded {
    db: Database,
    references: PathBuf,
    reviews: PathBuf,
}

fn database(error: impl std::fmt::Display) -> StoreError {
    StoreError::Database(error.to_string())
}

/// Runs `work` on a thread where blocking is allowed.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work).await.map_err(database)?
}

/// Writes `bytes` to `path` so that it is either absent or whole, even after a crash: a partial file, synced,
/// renamed into place, and the folder synced.
fn write_atomically(folder: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let partial = folder.join(format!("{PARTIAL}{name}-{}", uuid::Uuid::new_v4().simple()));
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, folder.join(name))?;
    std::fs::File::open(folder)?.sync_all()
}

impl Embedded {
    pub async fn open(data_dir: PathBuf) -> Result<Embedded, StoreError> {
        blocking(move || {
            let (references, reviews) = (data_dir.join("references"), data_dir.join("reviews"));
            for dir in [&references, &reviews] {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir { dir: data_dir.clone(), source })?;
            }
            let db = Database::create(data_dir.join("state.redb")).map_err(database)?;
            // Every table exists from the start, so that reading one never fails for want of it.
            let transaction = db.begin_write().map_err(database)?;
            transaction.open_table(REFERENCES).map_err(database)?;
            transaction.open_table(CAP).map_err(database)?;
            transaction.open_table(CALLBACKS).map_err(database)?;
            transaction.open_table(ISSUED).map_err(database)?;
            transaction.open_table(ISSUED_SETTINGS).map_err(database)?;
            transaction.open_table(FINALS).map_err(database)?;
            transaction.open_table(RATES).map_err(database)?;
            transaction.open_table(CODES).map_err(database)?;
            transaction.open_table(CODE_USES).map_err(database)?;
            transaction.open_table(SPENDS).map_err(database)?;
            transaction.open_table(SESSIONS).map_err(database)?;
            transaction.open_table(CODE_SESSIONS).map_err(database)?;
            transaction.open_table(BUDGETS).map_err(database)?;
            transaction.open_table(SIGN_INS).map_err(database)?;
            transaction.open_table(REVIEWS).map_err(database)?;
            transaction.open_table(REVIEW_LISTENERS).map_err(database)?;
            transaction.open_table(REVIEW_ANSWERS).map_err(database)?;
            transaction.commit().map_err(database)?;
            Ok(Embedded { db, references, reviews })
        })
        .await
    }

    /// One write transaction, committed durably unless `durable` is false (rate counters: losing the last few in a
    /// crash costs nothing, and they are written on every call).
    fn write<T>(
        &self,
        durable: bool,
        work: impl FnOnce(&redb::WriteTransaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut transaction = self.db.begin_write().map_err(database)?;
        if !durable {
            transaction.set_durability(Durability::None).map_err(database)?;
        }
        let result = work(&transaction)?;
        transaction.commit().map_err(database)?;
        Ok(result)
    }

    fn read<T>(&self, work: impl FnOnce(&redb::ReadTransaction) -> Result<T, StoreError>) -> Result<T, StoreError> {
        work(&self.db.begin_read().map_err(database)?)
    }

    pub async fn put_reference(self: &Arc<Self>, name: &str, bytes: Bytes, expires: u64) -> Result<(), StoreError> {
        let (store, name) = (Arc::clone(self), name.to_owned());
        blocking(move || {
            let cost = reference_cost(bytes.len());
            // The file first: a reference listed in the database always has its bytes.
            write_atomically(&store.references, &name, &bytes)?;
            let listed = store.write(true, |transaction| {
                let mut table = transaction.open_table(REFERENCES).map_err(database)?;
                let known = table.get(name.as_str()).map_err(database)?.is_some();
                if !known {
                    // Bounded by MAX_REFERENCES rows: cheap to add up.
                    let (mut count, mut total) = (0, 0);
                    for entry in table.iter().map_err(database)? {
                        let (_, cost) = entry.map_err(database)?.1.value();
                        count += 1;
                        total += cost;
                    }
                    if count + 1 > MAX_REFERENCES || total + cost > REFERENCE_BUDGET {
                        return Ok(false);
                    }
                }
                table.insert(name.as_str(), (expires, cost)).map_err(database)?;
                Ok(true)
            })?;
            if !listed {
                let _ = std::fs::remove_file(store.references.join(&name));
                return Err(StoreError::Full);
            }
            Ok(())
        })
        .await
    }

    pub async fn reference(self: &Arc<Self>, name: &str) -> Result<Option<(Bytes, AudioFormat)>, StoreError> {
        let Some(format) = reference_format(name) else { return Ok(None) };
        let (store, name) = (Arc::clone(self), name.to_owned());
        blocking(move || {
            let expires = store.read(|transaction| {
                let table = transaction.open_table(REFERENCES).map_err(database)?;
                Ok(table.get(name.as_str()).map_err(database)?.map(|entry| entry.value().0))
            })?;
            if expires.is_none_or(|expires| expires <= now_secs()) {
                return Ok(None);
            }
            match std::fs::read(store.references.join(&name)) {
                Ok(bytes) => Ok(Some((Bytes::from(bytes), format))),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(error.into()),
            }
        })
        .await
    }

    pub async fn reserve_submission(self: &Arc<Self>, day: u64, cap: u32) -> Result<bool, StoreError> {
        let store = Arc::clone(self);
        // One write transaction at a time: the check and the count can't be split by another submission.
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(CAP).map_err(database)?;
                let count = table.get(day).map_err(database)?.map(|count| count.value()).unwrap_or(0);
                if count >= cap {
                    return Ok(false);
                }
                table.insert(day, count + 1).map_err(database)?;
                Ok(true)
            })
        })
        .await
    }

    pub async fn release_submission(self: &Arc<Self>, day: u64) -> Result<(), StoreError> {
        let store = Arc::clone(self);
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(CAP).map_err(database)?;
                let count = table.get(day).map_err(database)?.map(|count| count.value()).unwrap_or(0);
                table.insert(day, count.saturating_sub(1)).map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn reserve_budget(
        self: &Arc<Self>,
        person: &str,
        day: u64,
        budget: Budget,
    ) -> Result<BudgetCheck, StoreError> {
        let (store, person) = (Arc::clone(self), person.to_owned());
        // The checks and both counts in one write transaction: two submissions can't pass on the last place.
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(BUDGETS).map_err(database)?;
                let used = used_by(&table, &person, day)?;
                let check = budget.check(used);
                if matches!(check, BudgetCheck::Counted(_)) {
                    table.insert((person.as_str(), day), used.today + 1).map_err(database)?;
                    table.insert((person.as_str(), IN_ALL), used.in_all + 1).map_err(database)?;
                }
                Ok(check)
            })
        })
        .await
    }

    pub async fn release_budget(self: &Arc<Self>, person: &str, day: u64) -> Result<(), StoreError> {
        let (store, person) = (Arc::clone(self), person.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(BUDGETS).map_err(database)?;
                let used = used_by(&table, &person, day)?;
                table.insert((person.as_str(), day), used.today.saturating_sub(1)).map_err(database)?;
                table.insert((person.as_str(), IN_ALL), used.in_all.saturating_sub(1)).map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn budget_used(self: &Arc<Self>, person: &str, day: u64) -> Result<Used, StoreError> {
        let (store, person) = (Arc::clone(self), person.to_owned());
        blocking(move || {
            store.read(|transaction| used_by(&transaction.open_table(BUDGETS).map_err(database)?, &person, day))
        })
        .await
    }

    pub async fn submissions_on(self: &Arc<Self>, day: u64) -> Result<u32, StoreError> {
        let store = Arc::clone(self);
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(CAP).map_err(database)?;
                Ok(table.get(day).map_err(database)?.map(|count| count.value()).unwrap_or(0))
            })
        })
        .await
    }

    pub async fn set_callback(self: &Arc<Self>, token: &str, request_id: &str, expires: u64) -> Result<(), StoreError> {
        let (store, token, request_id) = (Arc::clone(self), token.to_owned(), request_id.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(CALLBACKS).map_err(database)?;
                table.insert(token.as_str(), (request_id.as_str(), expires)).map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn put_code(self: &Arc<Self>, id: &str, record: &str) -> Result<(), StoreError> {
        let (store, id, record) = (Arc::clone(self), id.to_owned(), record.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                transaction
                    .open_table(CODES)
                    .map_err(database)?
                    .insert(id.as_str(), record.as_str())
                    .map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn code(self: &Arc<Self>, id: &str) -> Result<Option<String>, StoreError> {
        let (store, id) = (Arc::clone(self), id.to_owned());
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(CODES).map_err(database)?;
                Ok(table.get(id.as_str()).map_err(database)?.map(|entry| entry.value().to_owned()))
            })
        })
        .await
    }

    pub async fn codes(self: &Arc<Self>) -> Result<Vec<String>, StoreError> {
        let store = Arc::clone(self);
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(CODES).map_err(database)?;
                let entries = table.iter().map_err(database)?;
                entries.map(|entry| entry.map(|(_, record)| record.value().to_owned()).map_err(database)).collect()
            })
        })
        .await
    }

    pub async fn use_code(self: &Arc<Self>, id: &str, uses: u32) -> Result<bool, StoreError> {
        let (store, id) = (Arc::clone(self), id.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(CODE_USES).map_err(database)?;
                let used = table.get(id.as_str()).map_err(database)?.map(|count| count.value()).unwrap_or(0);
                if used >= uses {
                    return Ok(false);
                }
                table.insert(id.as_str(), used + 1).map_err(database)?;
                Ok(true)
            })
        })
        .await
    }

    pub async fn code_uses(self: &Arc<Self>, id: &str) -> Result<u32, StoreError> {
        let (store, id) = (Arc::clone(self), id.to_owned());
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(CODE_USES).map_err(database)?;
                Ok(table.get(id.as_str()).map_err(database)?.map(|count| count.value()).unwrap_or(0))
            })
        })
        .await
    }

    pub async fn record_spend(self: &Arc<Self>, spend: &Spend) -> Result<(), StoreError> {
        let (store, spend) = (Arc::clone(self), spend.clone());
        blocking(move || {
            store.write(true, |transaction| {
                let json = serde_json::to_string(&spend).expect("a spend serializes");
                transaction
                    .open_table(SPENDS)
                    .map_err(database)?
                    .insert(spend.id.as_str(), (spend.at, json.as_str()))
                    .map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn settle_spend(
        self: &Arc<Self>,
        id: &str,
        status: Option<&str>,
        audio_seconds: Option<f64>,
    ) -> Result<(), StoreError> {
        let (store, id, status) = (Arc::clone(self), id.to_owned(), status.map(str::to_owned));
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(SPENDS).map_err(database)?;
                let kept = table.get(id.as_str()).map_err(database)?.map(|entry| entry.value().1.to_owned());
                let Some(mut spend) = kept.and_then(|json| serde_json::from_str::<Spend>(&json).ok()) else {
                    return Ok(());
                };
                spend.status = status.unwrap_or(spend.status);
                spend.audio_seconds = audio_seconds.or(spend.audio_seconds);
                let json = serde_json::to_string(&spend).expect("a spend serializes");
                table.insert(id.as_str(), (spend.at, json.as_str())).map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn spends_since(self: &Arc<Self>, since: u64) -> Result<Vec<Spend>, StoreError> {
        let store = Arc::clone(self);
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(SPENDS).map_err(database)?;
                let mut spends = Vec::new();
                for entry in table.iter().map_err(database)? {
                    let (_, value) = entry.map_err(database)?;
                    let (at, json) = value.value();
                    if at >= since {
                        spends.extend(serde_json::from_str::<Spend>(json).ok());
                    }
                }
                Ok(spends)
            })
        })
        .await
    }

    pub async fn remove_code(self: &Arc<Self>, id: &str) -> Result<(), StoreError> {
        let (store, id) = (Arc::clone(self), id.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                transaction.open_table(CODES).map_err(database)?.remove(id.as_str()).map_err(database)?;
                transaction.open_table(CODE_USES).map_err(database)?.remove(id.as_str()).map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn open_session(self: &Arc<Self>, session: &NewSession<'_>) -> Result<(), StoreError> {
        let store = Arc::clone(self);
        let (hash, person, record, code) =
            (session.hash.to_owned(), session.person.to_owned(), session.record.to_owned(), session.code.to_owned());
        let (expires, most) = (now_secs() + session.lifetime.as_secs(), session.most as usize);
        blocking(move || {
            store.write(true, |transaction| {
                let mut sessions = transaction.open_table(SESSIONS).map_err(database)?;
                sessions.insert(hash.as_str(), (person.as_str(), record.as_str(), expires)).map_err(database)?;
                let mut by_code = transaction.open_table(CODE_SESSIONS).map_err(database)?;
                by_code.insert(hash.as_str(), (code.as_str(), now_ms())).map_err(database)?;
                // The code's sessions still open, oldest first; past the most, the oldest end.
                let mut theirs = Vec::new();
                for entry in by_code.iter().map_err(database)? {
                    let (hash, value) = entry.map_err(database)?;
                    let (whose, opened) = value.value();
                    if whose == code {
                        theirs.push((opened, hash.value().to_owned()));
                    }
                }
                theirs.retain(|(_, hash)| sessions.get(hash.as_str()).is_ok_and(|open| open.is_some()));
                theirs.sort();
                for (_, hash) in theirs.iter().take(theirs.len().saturating_sub(most)) {
                    sessions.remove(hash.as_str()).map_err(database)?;
                    by_code.remove(hash.as_str()).map_err(database)?;
                }
                Ok(())
            })
        })
        .await
    }

    pub async fn session(self: &Arc<Self>, hash: &str) -> Result<Option<String>, StoreError> {
        let (store, hash) = (Arc::clone(self), hash.to_owned());
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(SESSIONS).map_err(database)?;
                let entry = table.get(hash.as_str()).map_err(database)?;
                Ok(entry.and_then(|entry| {
                    let (_, record, expires) = entry.value();
                    (expires > now_secs()).then(|| record.to_owned())
                }))
            })
        })
        .await
    }

    /// Ends the session of token hash `hash`, or every session of `person`.
    pub async fn end_sessions(self: &Arc<Self>, hash: Option<&str>, person: Option<&str>) -> Result<(), StoreError> {
        let (store, hash, person) = (Arc::clone(self), hash.map(str::to_owned), person.map(str::to_owned));
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(SESSIONS).map_err(database)?;
                if let Some(hash) = &hash {
                    table.remove(hash.as_str()).map_err(database)?;
                }
                if let Some(person) = &person {
                    table.retain(|_, (whose, _, _)| whose != person).map_err(database)?;
                }
                Ok(())
            })
        })
        .await
    }

    pub async fn close_callback(self: &Arc<Self>, token: &str) -> Result<(), StoreError> {
        let (store, token) = (Arc::clone(self), token.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                transaction.open_table(CALLBACKS).map_err(database)?.remove(token.as_str()).map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn callback(self: &Arc<Self>, token: &str) -> Result<Option<String>, StoreError> {
        let (store, token) = (Arc::clone(self), token.to_owned());
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(CALLBACKS).map_err(database)?;
                let entry = table.get(token.as_str()).map_err(database)?;
                Ok(entry.and_then(|entry| {
                    let (request_id, expires) = entry.value();
                    (expires > now_secs()).then(|| request_id.to_owned())
                }))
            })
        })
        .await
    }

    pub async fn issue(self: &Arc<Self>, request_id: &str, settings: &str, expires: u64) -> Result<(), StoreError> {
        let (store, request_id, settings) = (Arc::clone(self), request_id.to_owned(), settings.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                transaction
                    .open_table(ISSUED)
                    .map_err(database)?
                    .insert(request_id.as_str(), expires)
                    .map_err(database)?;
                transaction
                    .open_table(ISSUED_SETTINGS)
                    .map_err(database)?
                    .insert(request_id.as_str(), (settings.as_str(), expires))
                    .map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn issued_settings(self: &Arc<Self>, request_id: &str) -> Result<Option<String>, StoreError> {
        if !self.is_issued(request_id).await? {
            return Ok(None);
        }
        let (store, request_id) = (Arc::clone(self), request_id.to_owned());
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(ISSUED_SETTINGS).map_err(database)?;
                let entry = table.get(request_id.as_str()).map_err(database)?;
                Ok(Some(entry.map(|entry| entry.value().0.to_owned()).unwrap_or_default()))
            })
        })
        .await
    }

    pub async fn is_issued(self: &Arc<Self>, request_id: &str) -> Result<bool, StoreError> {
        let (store, request_id) = (Arc::clone(self), request_id.to_owned());
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(ISSUED).map_err(database)?;
                let expires = table.get(request_id.as_str()).map_err(database)?.map(|expires| expires.value());
                Ok(expires.is_some_and(|expires| expires > now_secs()))
            })
        })
        .await
    }

    /// Keeps a final status unless one is kept already; returns whether this one was.
    pub async fn put_final(self: &Arc<Self>, request_id: &str, json: &str, expires: u64) -> Result<bool, StoreError> {
        let (store, request_id, json) = (Arc::clone(self), request_id.to_owned(), json.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(FINALS).map_err(database)?;
                let kept =
                    table.get(request_id.as_str()).map_err(database)?.is_some_and(|kept| kept.value().1 > now_secs());
                if !kept {
                    table.insert(request_id.as_str(), (json.as_str(), expires)).map_err(database)?;
                }
                Ok(!kept)
            })
        })
        .await
    }

    pub async fn put_sign_in(
        self: &Arc<Self>,
        state: &str,
        record: &str,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        let (store, state, record) = (Arc::clone(self), state.to_owned(), record.to_owned());
        let expires = now_secs() + lifetime.as_secs();
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(SIGN_INS).map_err(database)?;
                table.insert(state.as_str(), (record.as_str(), expires)).map_err(database)?;
                Ok(())
            })
        })
        .await
    }

    pub async fn take_sign_in(self: &Arc<Self>, state: &str) -> Result<Option<String>, StoreError> {
        let (store, state) = (Arc::clone(self), state.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                let mut table = transaction.open_table(SIGN_INS).map_err(database)?;
                let taken = table.remove(state.as_str()).map_err(database)?;
                Ok(taken.and_then(|entry| {
                    let (record, expires) = entry.value();
                    (expires > now_secs()).then(|| record.to_owned())
                }))
            })
        })
        .await
    }

    pub async fn final_status(self: &Arc<Self>, request_id: &str) -> Result<Option<String>, StoreError> {
        let (store, request_id) = (Arc::clone(self), request_id.to_owned());
        blocking(move || {
            store.read(|transaction| {
                let table = transaction.open_table(FINALS).map_err(database)?;
                let entry = table.get(request_id.as_str()).map_err(database)?;
                Ok(entry.and_then(|entry| {
                    let (json, expires) = entry.value();
                    (expires > now_secs()).then(|| json.to_owned())
                }))
            })
        })
        .await
    }

    /// Counts a call of `key` (see [`super::Store::hit`]): 0 if allowed, else the wait in milliseconds.
    pub async fn hit(self: &Arc<Self>, key: &str, interval_ms: u64, window_ms: u64) -> Result<u64, StoreError> {
        let (store, key) = (Arc::clone(self), key.to_owned());
        blocking(move || {
            store.write(false, |transaction| {
                let mut table = transaction.open_table(RATES).map_err(database)?;
                let tat = table.get(key.as_str()).map_err(database)?.map(|tat| tat.value());
                let (next, wait) = rate_step(tat, now_ms(), interval_ms, window_ms);
                if let Some(next) = next {
                    table.insert(key.as_str(), next).map_err(database)?;
                }
                Ok(wait)
            })
        })
        .await
    }

    /// Removes what has expired: entries, reference files, and files a crash left half-written or unlisted.
    fn sweep(&self) -> Result<(), StoreError> {
        let now = now_secs();
        let listed = self.write(true, |transaction| {
            let mut references = transaction.open_table(REFERENCES).map_err(database)?;
            references.retain(|_, (expires, _)| expires > now).map_err(database)?;
            let listed: std::collections::HashSet<String> = references
                .iter()
                .map_err(database)?
                .filter_map(|entry| entry.ok().map(|(name, _)| name.value().to_owned()))
                .collect();
            let today = now / super::DAY_SECS;
            transaction.open_table(CAP).map_err(database)?.retain(|day, _| day + 2 > today).map_err(database)?;
            transaction
                .open_table(BUDGETS)
                .map_err(database)?
                .retain(|(_, day), _| day == IN_ALL || day + 2 > today)
                .map_err(database)?;
            transaction
                .open_table(CALLBACKS)
                .map_err(database)?
                .retain(|_, (_, expires)| expires > now)
                .map_err(database)?;
            transaction
                .open_table(SIGN_INS)
                .map_err(database)?
                .retain(|_, (_, expires)| expires > now)
                .map_err(database)?;
            transaction.open_table(ISSUED).map_err(database)?.retain(|_, expires| expires > now).map_err(database)?;
            transaction
                .open_table(ISSUED_SETTINGS)
                .map_err(database)?
                .retain(|_, (_, expires)| expires > now)
                .map_err(database)?;
            transaction
                .open_table(FINALS)
                .map_err(database)?
                .retain(|_, (_, expires)| expires > now)
                .map_err(database)?;
            let mut sessions = transaction.open_table(SESSIONS).map_err(database)?;
            sessions.retain(|_, (_, _, expires)| expires > now).map_err(database)?;
            let open: std::collections::HashSet<String> = sessions
                .iter()
                .map_err(database)?
                .filter_map(|entry| entry.ok().map(|(hash, _)| hash.value().to_owned()))
                .collect();
            transaction
                .open_table(CODE_SESSIONS)
                .map_err(database)?
                .retain(|hash, _| open.contains(hash))
                .map_err(database)?;
            let kept_since = now.saturating_sub(super::SPEND_LOG_LIFETIME.as_secs());
            transaction
                .open_table(SPENDS)
                .map_err(database)?
                .retain(|_, (at, _)| at >= kept_since)
                .map_err(database)?;
            let ended = expired_reviews(transaction, now)?;
            forget_reviews(transaction, &ended)?;
            // A time past: the key has its whole burst again, as if never seen.
            let now_ms = now * 1000;
            transaction.open_table(RATES).map_err(database)?.retain(|_, tat| tat > now_ms).map_err(database)?;
            Ok(listed)
        })?;
        self.remove_unlisted_review_dirs()?;
        for entry in std::fs::read_dir(&self.references)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // A file being written now is young; one a crash left behind, or no longer listed, is not.
            let old = entry.metadata()?.modified()?.elapsed().unwrap_or_default() > Duration::from_secs(60);
            if old && !listed.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(())
    }
}

/// The reviews that expired by `now`.
fn expired_reviews(transaction: &redb::WriteTransaction, now: u64) -> Result<Vec<String>, StoreError> {
    let reviews = transaction.open_table(REVIEWS).map_err(database)?;
    let mut ended = Vec::new();
    for entry in reviews.iter().map_err(database)? {
        let (token, row) = entry.map_err(database)?;
        if row.value().3 <= now {
            ended.push(token.value().to_owned());
        }
    }
    Ok(ended)
}

/// Forgets the reviews `ended` whole: their rows, listeners and answers (their files go after the commit).
fn forget_reviews(transaction: &redb::WriteTransaction, ended: &[String]) -> Result<(), StoreError> {
    let mut reviews = transaction.open_table(REVIEWS).map_err(database)?;
    let mut listeners = transaction.open_table(REVIEW_LISTENERS).map_err(database)?;
    let mut answers = transaction.open_table(REVIEW_ANSWERS).map_err(database)?;
    for token in ended {
        reviews.remove(token.as_str()).map_err(database)?;
        listeners.retain_in((token.as_str(), "")..=(token.as_str(), "~"), |_, _| false).map_err(database)?;
        answers.retain_in((token.as_str(), "", 0)..=(token.as_str(), "~", u32::MAX), |_, _| false).map_err(database)?;
    }
    Ok(())
}

impl Embedded {
    pub async fn put_review(
        self: &Arc<Self>,
        review: &NewReview,
        bounds: ReviewBounds,
    ) -> Result<Vec<String>, StoreError> {
        let (store, review) = (Arc::clone(self), review.clone());
        blocking(move || {
            // The files first, whole: a review listed has its audio.
            let dir = store.reviews.join(&review.token);
            std::fs::create_dir_all(&dir)?;
            for (name, bytes) in &review.files {
                write_atomically(&dir, name, bytes)?;
            }
            let (now, bytes) = (now_secs(), review.bytes());
            let evicted = store.write(true, |transaction| {
                let mut ended = expired_reviews(transaction, now)?;
                let mut listed: Vec<(u64, String, u64)> = Vec::new();
                for entry in transaction.open_table(REVIEWS).map_err(database)?.iter().map_err(database)? {
                    let (token, row) = entry.map_err(database)?;
                    let (_, _, made, expires, kept, _) = row.value();
                    if expires > now && token.value() != review.token {
                        listed.push((made, token.value().to_owned(), kept));
                    }
                }
                // The oldest made first out, until the new one fits.
                listed.sort();
                let mut listed = listed.into_iter();
                let (mut count, mut total) =
                    (listed.len() as u64, listed.clone().map(|(_, _, kept)| kept).sum::<u64>());
                while count + 1 > bounds.most_reviews || total + bytes > bounds.bytes_in_all {
                    let Some((_, token, kept)) = listed.next() else { break };
                    (count, total) = (count - 1, total - kept);
                    ended.push(token);
                }
                forget_reviews(transaction, &ended)?;
                let expires = now + review.lifetime.as_secs();
                let row = (review.record.as_str(), review.owner_hash.as_str(), now_ms(), expires, bytes, 0);
                transaction
                    .open_table(REVIEWS)
                    .map_err(database)?
                    .insert(review.token.as_str(), row)
                    .map_err(database)?;
                Ok(ended)
            })?;
            for token in &evicted {
                let _ = std::fs::remove_dir_all(store.reviews.join(token));
            }
            Ok(evicted)
        })
        .await
    }

    /// The row of the review under `token`, unless it expired.
    fn review_row(&self, token: &str) -> Result<Option<(String, String, bool)>, StoreError> {
        self.read(|transaction| {
            let reviews = transaction.open_table(REVIEWS).map_err(database)?;
            let row = reviews.get(token).map_err(database)?;
            Ok(row.and_then(|row| {
                let (record, owner, _, expires, _, closed) = row.value();
                (expires > now_secs()).then(|| (record.to_owned(), owner.to_owned(), closed == 1))
            }))
        })
    }

    pub async fn review(self: &Arc<Self>, token: &str) -> Result<Option<KeptReview>, StoreError> {
        let (store, token) = (Arc::clone(self), token.to_owned());
        blocking(move || {
            let row = store.review_row(&token)?;
            Ok(row.map(|(record, owner_hash, closed)| KeptReview { record, owner_hash, closed }))
        })
        .await
    }

    pub async fn review_file(self: &Arc<Self>, token: &str, name: &str) -> Result<Option<Bytes>, StoreError> {
        let (store, token, name) = (Arc::clone(self), token.to_owned(), name.to_owned());
        blocking(move || {
            if store.review_row(&token)?.is_none_or(|(_, _, closed)| closed) {
                return Ok(None);
            }
            match std::fs::read(store.reviews.join(&token).join(&name)) {
                Ok(bytes) => Ok(Some(Bytes::from(bytes))),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(error.into()),
            }
        })
        .await
    }

    pub async fn answer(self: &Arc<Self>, given: &GivenAnswer<'_>) -> Result<Answered, StoreError> {
        let (store, item, most_listeners) = (Arc::clone(self), given.item, given.most_listeners);
        let (token, listener, answer) = (given.token.to_owned(), given.listener.to_owned(), given.answer.to_owned());
        blocking(move || {
            // One write transaction: the count of listeners can't be passed by two answering at once.
            store.write(true, |transaction| {
                let reviews = transaction.open_table(REVIEWS).map_err(database)?;
                let open = reviews.get(token.as_str()).map_err(database)?.is_some_and(|row| {
                    let (_, _, _, expires, _, closed) = row.value();
                    expires > now_secs() && closed == 0
                });
                if !open {
                    return Ok(Answered::Ended);
                }
                let mut listeners = transaction.open_table(REVIEW_LISTENERS).map_err(database)?;
                if listeners.get((token.as_str(), listener.as_str())).map_err(database)?.is_none() {
                    let counted =
                        listeners.range((token.as_str(), "")..=(token.as_str(), "~")).map_err(database)?.count();
                    if counted >= most_listeners as usize {
                        return Ok(Answered::Full);
                    }
                    listeners.insert((token.as_str(), listener.as_str()), now_secs()).map_err(database)?;
                }
                let mut answers = transaction.open_table(REVIEW_ANSWERS).map_err(database)?;
                answers.insert((token.as_str(), listener.as_str(), item), answer.as_str()).map_err(database)?;
                Ok(Answered::Kept)
            })
        })
        .await
    }

    pub async fn answers(self: &Arc<Self>, token: &str) -> Result<Vec<(String, u32, String)>, StoreError> {
        let (store, token) = (Arc::clone(self), token.to_owned());
        blocking(move || {
            if store.review_row(&token)?.is_none() {
                return Ok(Vec::new());
            }
            store.read(|transaction| {
                let answers = transaction.open_table(REVIEW_ANSWERS).map_err(database)?;
                let range =
                    answers.range((token.as_str(), "", 0)..=(token.as_str(), "~", u32::MAX)).map_err(database)?;
                range
                    .map(|entry| {
                        let (key, answer) = entry.map_err(database)?;
                        let (_, listener, item) = key.value();
                        Ok((listener.to_owned(), item, answer.value().to_owned()))
                    })
                    .collect()
            })
        })
        .await
    }

    pub async fn answer_of(
        self: &Arc<Self>,
        token: &str,
        listener: &str,
        item: u32,
    ) -> Result<Option<String>, StoreError> {
        let (store, token, listener) = (Arc::clone(self), token.to_owned(), listener.to_owned());
        blocking(move || {
            store.read(|transaction| {
                let answers = transaction.open_table(REVIEW_ANSWERS).map_err(database)?;
                let answer = answers.get((token.as_str(), listener.as_str(), item)).map_err(database)?;
                Ok(answer.map(|answer| answer.value().to_owned()))
            })
        })
        .await
    }

    pub async fn close_review(self: &Arc<Self>, token: &str) -> Result<(), StoreError> {
        let (store, token) = (Arc::clone(self), token.to_owned());
        blocking(move || {
            store.write(true, |transaction| {
                let mut reviews = transaction.open_table(REVIEWS).map_err(database)?;
                let row = reviews.get(token.as_str()).map_err(database)?.map(|row| {
                    let (record, owner, made, expires, _, _) = row.value();
                    (record.to_owned(), owner.to_owned(), made, expires)
                });
                if let Some((record, owner, made, expires)) = row {
                    reviews
                        .insert(token.as_str(), (record.as_str(), owner.as_str(), made, expires, 0, 1))
                        .map_err(database)?;
                }
                Ok(())
            })?;
            let _ = std::fs::remove_dir_all(store.reviews.join(&token));
            Ok(())
        })
        .await
    }

    /// Removes the folders of reviews no longer open (closed, expired, ended to make room, or left by a crash),
    /// past a minute old: one being written now is younger.
    fn remove_unlisted_review_dirs(&self) -> Result<(), StoreError> {
        for entry in std::fs::read_dir(&self.reviews)? {
            let entry = entry?;
            let token = entry.file_name().to_string_lossy().into_owned();
            let old = entry.metadata()?.modified()?.elapsed().unwrap_or_default() > Duration::from_secs(60);
            if old && self.review_row(&token)?.is_none_or(|(_, _, closed)| closed) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        Ok(())
    }
}

/// Sweeps the store once a minute, for as long as it is open.
pub async fn sweep_every_minute(store: Weak<Embedded>) {
    let minute = Duration::from_secs(60);
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + minute, minute);
    loop {
        ticks.tick().await;
        let Some(store) = store.upgrade() else { return };
        if let Err(error) = blocking(move || store.sweep()).await {
            tracing::warn!(%error, "sweeping the store failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use redb::ReadableTableMetadata;

    use super::*;

    const NAME: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.wav";

    #[tokio::test]
    async fn a_sweep_removes_what_expired_and_files_a_crash_left() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Embedded::open(dir.path().to_owned()).await.unwrap());
        let (past, future) = (now_secs() - 1, now_secs() + 3600);
        store.put_reference(NAME, Bytes::from_static(b"RIFF"), past).await.unwrap();
        store.set_callback("expired", "", past).await.unwrap();
        store.set_callback("live", "", future).await.unwrap();
        store.issue("zonos-2_old", "{}", past).await.unwrap();
        store.put_final("zonos-2_old", "{}", past).await.unwrap();
        // Half-written before a crash, an hour ago.
        let partial = store.references.join(format!("{PARTIAL}{NAME}-1"));
        std::fs::write(&partial, b"RI").unwrap();
        let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options().write(true).open(&partial).unwrap().set_modified(an_hour_ago).unwrap();
        std::fs::File::options()
            .write(true)
            .open(store.references.join(NAME))
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();

        // Expired entries already read as absent; the sweep removes them, and the files.
        assert_eq!(store.reference(NAME).await.unwrap(), None);
        assert_eq!(store.callback("expired").await.unwrap(), None);
        store.sweep().unwrap();
        let files: Vec<_> = std::fs::read_dir(&store.references).unwrap().collect();
        assert!(files.is_empty(), "{files:?}");
        let rows = store.read(|transaction| {
            Ok((
                transaction.open_table(REFERENCES).map_err(database)?.len().map_err(database)?,
                transaction.open_table(CALLBACKS).map_err(database)?.len().map_err(database)?,
                transaction.open_table(ISSUED).map_err(database)?.len().map_err(database)?,
                transaction.open_table(ISSUED_SETTINGS).map_err(database)?.len().map_err(database)?,
                transaction.open_table(FINALS).map_err(database)?.len().map_err(database)?,
            ))
        });
        assert_eq!(rows.unwrap(), (0, 1, 0, 0, 0), "only the live callback is left");
        assert_eq!(store.callback("live").await.unwrap(), Some(String::new()));
    }

    #[tokio::test]
    async fn a_sweep_removes_expired_reviews_whole_and_folders_no_review_lists() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Embedded::open(dir.path().to_owned()).await.unwrap());
        let bounds = ReviewBounds { bytes_a_review: 1000, bytes_in_all: 1000, most_reviews: 10 };
        let review = |token: char, seconds| NewReview {
            token: token.to_string().repeat(32),
            owner_hash: String::new(),
            record: "{}".into(),
            files: vec![("0.wav".into(), Bytes::from_static(b"RIFF"))],
            lifetime: Duration::from_secs(seconds),
        };
        let (ending, lasting) = (review('a', 1), review('b', 3600));
        store.put_review(&ending, bounds).await.unwrap();
        store.put_review(&lasting, bounds).await.unwrap();
        let given =
            GivenAnswer { token: &ending.token, listener: &"1".repeat(32), item: 0, answer: "{}", most_listeners: 10 };
        store.answer(&given).await.unwrap();
        // Left by a crash, an hour ago, with no row.
        let stray = store.reviews.join("c".repeat(32));
        std::fs::create_dir_all(&stray).unwrap();
        let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        for folder in [stray.clone(), store.reviews.join(&ending.token), store.reviews.join(&lasting.token)] {
            std::fs::File::open(&folder).unwrap().set_modified(an_hour_ago).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(2100)).await;
        store.sweep().unwrap();
        let left: Vec<_> = std::fs::read_dir(&store.reviews).unwrap().map(|entry| entry.unwrap().file_name()).collect();
        assert_eq!(left, [std::ffi::OsString::from(&lasting.token)]);
        let rows = store.read(|transaction| {
            Ok((
                transaction.open_table(REVIEWS).map_err(database)?.len().map_err(database)?,
                transaction.open_table(REVIEW_LISTENERS).map_err(database)?.len().map_err(database)?,
                transaction.open_table(REVIEW_ANSWERS).map_err(database)?.len().map_err(database)?,
            ))
        });
        assert_eq!(rows.unwrap(), (1, 0, 0), "the lasting review, without the ended one's answers");
    }
}
