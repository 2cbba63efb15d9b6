//! The shared store, for several replicas: everything in one Redis, under keys that expire by themselves, counts
//! changed by scripts (atomic however many replicas race), and final statuses published to every replica.

use std::sync::Arc;
use std::time::Duration;

use ::redis::aio::ConnectionManager;
use ::redis::{AsyncCommands, Client, ExistenceCheck, Script, SetExpiry, SetOptions};
use axum::body::Bytes;
use futures_util::StreamExt;
use zonos_api::{AudioFormat, JobStatusResponse};

use super::reviews::{Answered, GivenAnswer, KeptReview, NewReview, ReviewBounds};
use super::{
    now_ms, now_secs, reference_cost, reference_format, Budget, BudgetCheck, Channels, NewSession, Spend, StoreError,
    Used, MAX_REFERENCES, REFERENCE_BUDGET, SPEND_LOG_LIFETIME,
};

/// Every key of the store starts with this, so that a Redis shared with other programs stays tidy.
const PREFIX: &str = "zonos-studio";
/// Where final statuses are published.
const FINALS_CHANNEL: &str = "zonos-studio:finals";
const REVIEWS_CHANNEL: &str = "zonos-studio:reviews";

/// Counts one more if fewer than the cap were counted: KEYS[1] the day's count, ARGV[1] the cap, ARGV[2] its life.
const RESERVE: &str = r"
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1";
/// Gives one back, never below zero.
const RELEASE: &str = r"
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 1";
/// Counts one more against a person's budgets if both have room: KEYS[1] today's count, KEYS[2] the count in all;
/// ARGV[1] the daily budget, ARGV[2] the budget in all (-1: none), ARGV[3] today's count's life. Returns whether it
/// was counted (1), or which budget is spent (2 today's, 3 in all), then the counts as they were.
const RESERVE_BUDGET: &str = r"
local today = tonumber(redis.call('GET', KEYS[1]) or '0')
local in_all = tonumber(redis.call('GET', KEYS[2]) or '0')
local daily, most = tonumber(ARGV[1]), tonumber(ARGV[2])
if daily >= 0 and today >= daily then return {2, today, in_all} end
if most >= 0 and in_all >= most then return {3, today, in_all} end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('INCR', KEYS[2])
return {1, today, in_all}";
/// Lists a session under its code, and ends the code's oldest past the most: KEYS[1] the code's sessions (a sorted
/// set by when each was opened, Redis's clock), ARGV[1] the new session's hash, ARGV[2] the most, ARGV[3] the prefix of
/// session keys, ARGV[4] the list's life. Those already ended count until they are the oldest: a live one is never
/// kept past the most.
const OPEN_SESSION: &str = r"
local time = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(time[1]) * 1000000 + tonumber(time[2]), ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if excess > 0 then
  for _, old in ipairs(redis.call('ZRANGE', KEYS[1], 0, excess - 1)) do redis.call('DEL', ARGV[3] .. old) end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
end
return 1";
/// Sets the field ARGV[1] of the hash KEYS[1] to ARGV[2], if the hash is still there (an expired one stays gone).
const SET_IF_KEPT: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1";
/// A call of KEYS[1] as `rate_step` counts it, with Redis's clock (one clock for every replica): ARGV[1] the interval,
/// ARGV[2] the window, in milliseconds. Returns 0 if allowed, else the wait in milliseconds.
const HIT: &str = r"
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local next = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now) + interval
if next - now > window then return next - now - window end
redis.call('SET', KEYS[1], next, 'PX', next - now)
return 0";

/// Keeps a reference within the store's bounds: KEYS[1] its bytes, KEYS[2] the references by expiry (a sorted
/// set), KEYS[3] what each costs (a hash); ARGV[1] its name, ARGV[2] its bytes, ARGV[3] its lifetime in seconds,
/// ARGV[4] its cost, ARGV[5] the most references, ARGV[6] the budget. Forgets the expired first. 1 if kept, 0 if full.
const PUT_REFERENCE: &str = r"
local now = tonumber(redis.call('TIME')[1])
for _, name in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do redis.call('HDEL', KEYS[3], name) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  local total = 0
  for _, cost in ipairs(redis.call('HVALS', KEYS[3])) do total = total + tonumber(cost) end
  if redis.call('ZCARD', KEYS[2]) + 1 > tonumber(ARGV[5]) or total + tonumber(ARGV[4]) > tonumber(ARGV[6]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
return 1";

/// Keeps a review within the bounds. KEYS[1] the reviews by when made (a sorted set), KEYS[2] their bytes (a
/// hash); ARGV[1] the keys' prefix, ARGV[2] its token, ARGV[3] its record, ARGV[4] the maker's key's hash,
/// ARGV[5] when made (ms), ARGV[6] its expiry (s), ARGV[7] its bytes, ARGV[8] the most reviews, ARGV[9] the bytes
/// in all, then its files' names and bytes in pairs. Forgets the expired first, then ends the oldest made until it
/// fits; returns the tokens it ended.
const PUT_REVIEW: &str = r"
local prefix, token = ARGV[1], ARGV[2]
local function forget(other)
  local files = redis.call('HGET', prefix .. 'review:' .. other, 'files') or ''
  for name in string.gmatch(files, '%S+') do redis.call('DEL', prefix .. 'review-file:' .. other .. ':' .. name) end
  redis.call('DEL', prefix .. 'review:' .. other, prefix .. 'review-listeners:' .. other, prefix .. 'review-answers:' .. other)
  redis.call('ZREM', KEYS[1], other)
  redis.call('HDEL', KEYS[2], other)
end
for _, other in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('EXISTS', prefix .. 'review:' .. other) == 0 then
    redis.call('ZREM', KEYS[1], other)
    redis.call('HDEL', KEYS[2], other)
  end
end
if redis.call('ZSCORE', KEYS[1], token) then forget(token) end
local bytes, ended = tonumber(ARGV[7]), {}
local function total()
  local sum = 0
  for _, kept in ipairs(redis.call('HVALS', KEYS[2])) do sum = sum + tonumber(kept) end
  return sum
end
while redis.call('ZCARD', KEYS[1]) > 0 and
    (redis.call('ZCARD', KEYS[1]) + 1 > tonumber(ARGV[8]) or total() + bytes > tonumber(ARGV[9])) do
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  forget(oldest)
  table.insert(ended, oldest)
end
local names = {}
for i = 10, #ARGV, 2 do
  local file = prefix .. 'review-file:' .. token .. ':' .. ARGV[i]
  redis.call('SET', file, ARGV[i + 1])
  redis.call('EXPIREAT', file, ARGV[6])
  table.insert(names, ARGV[i])
end
local review = prefix .. 'review:' .. token
redis.call('HSET', review, 'record', ARGV[3], 'owner', ARGV[4], 'closed', '0', 'files', table.concat(names, ' '))
redis.call('EXPIREAT', review, ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[5], token)
redis.call('HSET', KEYS[2], token, bytes)
return ended";
/// A listener's answer: KEYS[1] the review, KEYS[2] its listeners (a set), KEYS[3] its answers (a hash); ARGV[1]
/// the listener, ARGV[2] the answer's field, ARGV[3] the answer, ARGV[4] the most listeners. 1 if kept, 0 if the
/// review is closed or gone, 2 if it has its listeners and this is a new one.
const ANSWER: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HGET', KEYS[1], 'closed') == '1' then return 0 end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 2 end
  redis.call('SADD', KEYS[2], ARGV[1])
end
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
local expires = redis.call('EXPIRETIME', KEYS[1])
redis.call('EXPIREAT', KEYS[2], expires)
redis.call('EXPIREAT', KEYS[3], expires)
return 1";
/// Closes a review: KEYS[1] the review, KEYS[2] the reviews by when made, KEYS[3] their bytes; ARGV[1] the keys'
/// prefix, ARGV[2] its token. Its files go; its record and answers stay until it expires.
const CLOSE_REVIEW: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local files = redis.call('HGET', KEYS[1], 'files') or ''
for name in string.gmatch(files, '%S+') do redis.call('DEL', ARGV[1] .. 'review-file:' .. ARGV[2] .. ':' .. name) end
redis.call('HSET', KEYS[1], 'closed', '1', 'files', '')
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
return 1";

/// How long a code's count of uses is kept: longer than any invite lasts.
const CODE_USES_LIFETIME: Duration = Duration::from_secs(366 * 24 * 60 * 60);

fn key(kind: &str, name: impl std::fmt::Display) -> String {
    format!("{PREFIX}:{kind}:{name}")
}

#[derive(Clone)]
pub struct Shared {
    connection: ConnectionManager,
}

impl Shared {
    /// Connects, and listens to the final statuses and review changes every replica publishes, passing them to
    /// `channels`.
    pub async fn connect(url: &str, channels: Channels) -> Result<Shared, StoreError> {
        let client = Client::open(url)?;
        let connection = client.get_connection_manager().await?;
        // Subscribed before the first request is served: no final status published from now on is missed.
        let subscription = subscribe(&client).await?;
        tokio::spawn(listen(client, subscription, channels));
        Ok(Shared { connection })
    }

    fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    pub async fn put_reference(&self, name: &str, bytes: Bytes, lifetime: Duration) -> Result<(), StoreError> {
        let kept: i64 = Script::new(PUT_REFERENCE)
            .key(key("reference", name))
            .key(key("references", "by-expiry"))
            .key(key("references", "cost"))
            .arg(name)
            .arg(bytes.as_ref())
            .arg(lifetime.as_secs())
            .arg(reference_cost(bytes.len()))
            .arg(MAX_REFERENCES)
            .arg(REFERENCE_BUDGET)
            .invoke_async(&mut self.connection())
            .await?;
        if kept == 1 {
            Ok(())
        } else {
            Err(StoreError::Full)
        }
    }

    pub async fn reference(&self, name: &str) -> Result<Option<(Bytes, AudioFormat)>, StoreError> {
        let Some(format) = reference_format(name) else { return Ok(None) };
        let bytes: Option<Vec<u8>> = self.connection().get(key("reference", name)).await?;
        Ok(bytes.map(|bytes| (Bytes::from(bytes), format)))
    }

    pub async fn reserve_submission(&self, day: u64, cap: u32, lifetime: Duration) -> Result<bool, StoreError> {
        let counted: i64 = Script::new(RESERVE)
            .key(key("cap", day))
            .arg(cap)
            .arg(lifetime.as_secs())
            .invoke_async(&mut self.connection())
            .await?;
        Ok(counted == 1)
    }

    pub async fn release_submission(&self, day: u64) -> Result<(), StoreError> {
        let _: i64 = Script::new(RELEASE).key(key("cap", day)).invoke_async(&mut self.connection()).await?;
        Ok(())
    }

    pub async fn reserve_budget(
        &self,
        person: &str,
        day: u64,
        budget: Budget,
        lifetime: Duration,
    ) -> Result<BudgetCheck, StoreError> {
        let limit = |limit: Option<u32>| limit.map_or(-1, i64::from);
        let (outcome, today, in_all): (i64, u32, u32) = Script::new(RESERVE_BUDGET)
            .key(key("budget", format!("{person}:{day}")))
            .key(key("budget-in-all", person))
            .arg(limit(budget.daily))
            .arg(limit(budget.in_all))
            .arg(lifetime.as_secs())
            .invoke_async(&mut self.connection())
            .await?;
        let used = Used { today, in_all };
        Ok(match outcome {
            1 => BudgetCheck::Counted(used.plus_one()),
            _ => budget.check(used),
        })
    }

    pub async fn release_budget(&self, person: &str, day: u64) -> Result<(), StoreError> {
        for counted in [key("budget", format!("{person}:{day}")), key("budget-in-all", person)] {
            let _: i64 = Script::new(RELEASE).key(counted).invoke_async(&mut self.connection()).await?;
        }
        Ok(())
    }

    pub async fn budget_used(&self, person: &str, day: u64) -> Result<Used, StoreError> {
        let (today, in_all): (Option<u32>, Option<u32>) = ::redis::pipe()
            .get(key("budget", format!("{person}:{day}")))
            .get(key("budget-in-all", person))
            .query_async(&mut self.connection())
            .await?;
        Ok(Used { today: today.unwrap_or(0), in_all: in_all.unwrap_or(0) })
    }

    pub async fn submissions_on(&self, day: u64) -> Result<u32, StoreError> {
        let count: Option<u32> = self.connection().get(key("cap", day)).await?;
        Ok(count.unwrap_or(0))
    }

    pub async fn set_callback(&self, token: &str, request_id: &str, lifetime: Duration) -> Result<(), StoreError> {
        let () = self.connection().set_ex(key("callback", token), request_id, lifetime.as_secs()).await?;
        Ok(())
    }

    /// A code's record under `code:<id>`, and its id in the `codes` set (which lists them).
    pub async fn put_code(&self, id: &str, record: &str) -> Result<(), StoreError> {
        let () = ::redis::pipe()
            .atomic()
            .set(key("code", id), record)
            .ignore()
            .sadd(key("codes", "all"), id)
            .ignore()
            .query_async(&mut self.connection())
            .await?;
        Ok(())
    }

    pub async fn code(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.connection().get(key("code", id)).await?)
    }

    pub async fn codes(&self) -> Result<Vec<String>, StoreError> {
        let ids: Vec<String> = self.connection().smembers(key("codes", "all")).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = ids.iter().map(|id| key("code", id)).collect();
        let records: Vec<Option<String>> = self.connection().mget(keys).await?;
        Ok(records.into_iter().flatten().collect())
    }

    /// Counted with the daily cap's script, under `code-uses:<id>`, which `remove_code` forgets.
    pub async fn use_code(&self, id: &str, uses: u32) -> Result<bool, StoreError> {
        let counted: i64 = Script::new(RESERVE)
            .key(key("code-uses", id))
            .arg(uses)
            .arg(CODE_USES_LIFETIME.as_secs())
            .invoke_async(&mut self.connection())
            .await?;
        Ok(counted == 1)
    }

    pub async fn code_uses(&self, id: &str) -> Result<u32, StoreError> {
        let used: Option<u32> = self.connection().get(key("code-uses", id)).await?;
        Ok(used.unwrap_or(0))
    }

    /// A hash `spend:<id>`: the record as sent (`record`), and what settling learns later (`status`, `seconds`),
    /// each set alone, so that replicas settling the same submission can't undo each other; and its id in the
    /// sorted set `spends:all` by when it was sent, which forgets the oldest as it goes.
    pub async fn record_spend(&self, spend: &Spend) -> Result<(), StoreError> {
        let (entry, log) = (key("spend", &spend.id), key("spends", "all"));
        let lifetime = SPEND_LOG_LIFETIME.as_secs();
        let () = ::redis::pipe()
            .atomic()
            .hset(&entry, "record", serde_json::to_string(spend).expect("a spend serializes"))
            .ignore()
            .expire(&entry, lifetime as i64)
            .ignore()
            .zadd(&log, &spend.id, spend.at)
            .ignore()
            .zrembyscore(&log, 0, spend.at.saturating_sub(lifetime))
            .ignore()
            .query_async(&mut self.connection())
            .await?;
        Ok(())
    }

    pub async fn settle_spend(
        &self,
        id: &str,
        status: Option<&str>,
        audio_seconds: Option<f64>,
    ) -> Result<(), StoreError> {
        let seconds = audio_seconds.map(|seconds| seconds.to_string());
        for (field, value) in [("status", status), ("seconds", seconds.as_deref())] {
            if let Some(value) = value {
                let _: i64 = Script::new(SET_IF_KEPT)
                    .key(key("spend", id))
                    .arg(field)
                    .arg(value)
                    .invoke_async(&mut self.connection())
                    .await?;
            }
        }
        Ok(())
    }

    pub async fn spends_since(&self, since: u64) -> Result<Vec<Spend>, StoreError> {
        let ids: Vec<String> = self.connection().zrangebyscore(key("spends", "all"), since, "+inf").await?;
        let mut reading = ::redis::pipe();
        for id in &ids {
            reading.hgetall(key("spend", id));
        }
        let entries: Vec<std::collections::HashMap<String, String>> =
            if ids.is_empty() { Vec::new() } else { reading.query_async(&mut self.connection()).await? };
        Ok(entries
            .into_iter()
            .filter_map(|mut entry| {
                let mut spend: Spend = serde_json::from_str(&entry.remove("record")?).ok()?;
                spend.status = entry.remove("status").unwrap_or(spend.status);
                spend.audio_seconds =
                    entry.get("seconds").and_then(|seconds| seconds.parse().ok()).or(spend.audio_seconds);
                Some(spend)
            })
            .collect())
    }

    pub async fn remove_code(&self, id: &str) -> Result<(), StoreError> {
        let () = ::redis::pipe()
            .atomic()
            .del(key("code", id))
            .ignore()
            .srem(key("codes", "all"), id)
            .ignore()
            .del(key("code-uses", id))
            .ignore()
            .query_async(&mut self.connection())
            .await?;
        Ok(())
    }

    /// A session under `session:<hash>` (expiring), its hash in `person-sessions:<person>`, which revoking ends, and
    /// in `code-sessions:<code>` by when it was opened, whose oldest end past the most (see [`OPEN_SESSION`]).
    pub async fn open_session(&self, session: &NewSession<'_>) -> Result<(), StoreError> {
        let lifetime = session.lifetime.as_secs();
        let listed = key("person-sessions", session.person);
        let () = ::redis::pipe()
            .atomic()
            .set_ex(key("session", session.hash), format!("{}\n{}", session.person, session.record), lifetime)
            .ignore()
            .sadd(&listed, session.hash)
            .ignore()
            .expire(&listed, lifetime as i64)
            .ignore()
            .query_async(&mut self.connection())
            .await?;
        let _: i64 = Script::new(OPEN_SESSION)
            .key(key("code-sessions", session.code))
            .arg(session.hash)
            .arg(session.most)
            .arg(key("session", ""))
            .arg(lifetime)
            .invoke_async(&mut self.connection())
            .await?;
        Ok(())
    }

    pub async fn session(&self, hash: &str) -> Result<Option<String>, StoreError> {
        let stored: Option<String> = self.connection().get(key("session", hash)).await?;
        Ok(stored.and_then(|stored| stored.split_once('\n').map(|(_, record)| record.to_owned())))
    }

    pub async fn end_session(&self, hash: &str) -> Result<(), StoreError> {
        let stored: Option<String> = self.connection().get_del(key("session", hash)).await?;
        if let Some((person, _)) = stored.as_deref().and_then(|stored| stored.split_once('\n')) {
            let _: i64 = self.connection().srem(key("person-sessions", person), hash).await?;
        }
        Ok(())
    }

    pub async fn end_sessions_of(&self, person: &str) -> Result<(), StoreError> {
        let listed = key("person-sessions", person);
        let hashes: Vec<String> = self.connection().smembers(&listed).await?;
        let mut keys: Vec<String> = hashes.iter().map(|hash| key("session", hash)).collect();
        keys.push(listed);
        let _: i64 = self.connection().del(keys).await?;
        Ok(())
    }

    pub async fn close_callback(&self, token: &str) -> Result<(), StoreError> {
        let _: i64 = self.connection().del(key("callback", token)).await?;
        Ok(())
    }

    pub async fn callback(&self, token: &str) -> Result<Option<String>, StoreError> {
        Ok(self.connection().get(key("callback", token)).await?)
    }

    pub async fn issue(&self, request_id: &str, settings: &str, lifetime: Duration) -> Result<(), StoreError> {
        let () = self.connection().set_ex(key("issued", request_id), settings, lifetime.as_secs()).await?;
        Ok(())
    }

    pub async fn issued_settings(&self, request_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.connection().get(key("issued", request_id)).await?)
    }

    pub async fn is_issued(&self, request_id: &str) -> Result<bool, StoreError> {
        Ok(self.connection().exists(key("issued", request_id)).await?)
    }

    /// Keeps the final status, then publishes it: a browser that asks after the publication finds it kept.
    /// Keeps and publishes a final status unless one is kept already (see [`super::Store::publish_final`]).
    pub async fn publish_final(&self, request_id: &str, json: &str, lifetime: Duration) -> Result<bool, StoreError> {
        let mut connection = self.connection();
        let first = SetOptions::default()
            .conditional_set(ExistenceCheck::NX)
            .with_expiration(SetExpiry::EX(lifetime.as_secs()));
        let kept: Option<String> = connection.set_options(key("final", request_id), json, first).await?;
        if kept.is_none() {
            return Ok(false);
        }
        let _: i64 = connection.publish(FINALS_CHANNEL, json).await?;
        Ok(true)
    }

    pub async fn put_sign_in(&self, state: &str, record: &str, lifetime: Duration) -> Result<(), StoreError> {
        let () = self.connection().set_ex(key("sign-in", state), record, lifetime.as_secs()).await?;
        Ok(())
    }

    pub async fn take_sign_in(&self, state: &str) -> Result<Option<String>, StoreError> {
        Ok(self.connection().get_del(key("sign-in", state)).await?)
    }

    pub async fn put_review(&self, review: &NewReview, bounds: ReviewBounds) -> Result<Vec<String>, StoreError> {
        let expires = now_secs() + review.lifetime.as_secs();
        let script = Script::new(PUT_REVIEW);
        let mut invocation = script.key(key("reviews", "by-made"));
        invocation
            .key(key("reviews", "bytes"))
            .key(key("reviews", "bytes"))
            .arg(format!("{PREFIX}:"))
            .arg(&review.token)
            .arg(&review.record)
            .arg(&review.owner_hash)
            .arg(now_ms())
            .arg(expires)
            .arg(review.bytes())
            .arg(bounds.most_reviews)
            .arg(bounds.bytes_in_all);
        for (name, bytes) in &review.files {
            invocation.arg(name).arg(bytes.as_ref());
        }
        Ok(invocation.invoke_async(&mut self.connection()).await?)
    }

    pub async fn review(&self, token: &str) -> Result<Option<KeptReview>, StoreError> {
        let fields: Vec<Option<String>> = ::redis::cmd("HMGET")
            .arg(key("review", token))
            .arg(&["record", "owner", "closed"])
            .query_async(&mut self.connection())
            .await?;
        Ok(match fields.as_slice() {
            [Some(record), Some(owner_hash), closed] => Some(KeptReview {
                record: record.clone(),
                owner_hash: owner_hash.clone(),
                closed: closed.as_deref() == Some("1"),
            }),
            _ => None,
        })
    }

    pub async fn review_file(&self, token: &str, name: &str) -> Result<Option<Bytes>, StoreError> {
        let bytes: Option<Vec<u8>> = self.connection().get(key("review-file", format!("{token}:{name}"))).await?;
        Ok(bytes.map(Bytes::from))
    }

    pub async fn answer(&self, given: &GivenAnswer<'_>) -> Result<Answered, StoreError> {
        let GivenAnswer { token, listener, item, answer, most_listeners } = *given;
        let outcome: i64 = Script::new(ANSWER)
            .key(key("review", token))
            .key(key("review-listeners", token))
            .key(key("review-answers", token))
            .arg(listener)
            .arg(format!("{listener}:{item}"))
            .arg(answer)
            .arg(most_listeners)
            .invoke_async(&mut self.connection())
            .await?;
        Ok(match outcome {
            1 => Answered::Kept,
            2 => Answered::Full,
            _ => Answered::Ended,
        })
    }

    pub async fn answers(&self, token: &str) -> Result<Vec<(String, u32, String)>, StoreError> {
        let answers: Vec<(String, String)> = self.connection().hgetall(key("review-answers", token)).await?;
        Ok(answers
            .into_iter()
            .filter_map(|(field, answer)| {
                let (listener, item) = field.split_once(':')?;
                Some((listener.to_owned(), item.parse().ok()?, answer))
            })
            .collect())
    }

    pub async fn answer_of(&self, token: &str, listener: &str, item: u32) -> Result<Option<String>, StoreError> {
        Ok(self.connection().hget(key("review-answers", token), format!("{listener}:{item}")).await?)
    }

    pub async fn close_review(&self, token: &str) -> Result<(), StoreError> {
        let _: i64 = Script::new(CLOSE_REVIEW)
            .key(key("review", token))
            .key(key("reviews", "by-made"))
            .key(key("reviews", "bytes"))
            .arg(format!("{PREFIX}:"))
            .arg(token)
            .invoke_async(&mut self.connection())
            .await?;
        Ok(())
    }

    /// Tells every replica's tally streams that the review under `token` changed.
    pub async fn publish_review_change(&self, token: &str) -> Result<(), StoreError> {
        let _: i64 = self.connection().publish(REVIEWS_CHANNEL, token).await?;
        Ok(())
    }

    pub async fn final_status(&self, request_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.connection().get(key("final", request_id)).await?)
    }

    pub async fn hit(&self, name: &str, interval_ms: u64, window_ms: u64) -> Result<u64, StoreError> {
        let wait: u64 = Script::new(HIT)
            .key(key("rate", name))
            .arg(interval_ms)
            .arg(window_ms)
            .invoke_async(&mut self.connection())
            .await?;
        Ok(wait)
    }
}

async fn subscribe(client: &Client) -> Result<::redis::aio::PubSub, StoreError> {
    let mut subscription = client.get_async_pubsub().await?;
    subscription.subscribe(&[FINALS_CHANNEL, REVIEWS_CHANNEL]).await?;
    Ok(subscription)
}

/// Passes every published final status and review change on to this replica's event streams; subscribes again if
/// Redis goes away (a status published meanwhile is still kept, and the streams look it up; a tally's stream reads
/// its review again every few seconds anyway).
async fn listen(client: Client, mut subscription: ::redis::aio::PubSub, channels: Channels) {
    loop {
        {
            let mut messages = subscription.on_message();
            while let Some(message) = messages.next().await {
                let Ok(payload) = message.get_payload::<String>() else { continue };
                if message.get_channel_name() == REVIEWS_CHANNEL {
                    channels.review_changed(&payload);
                    continue;
                }
                match serde_json::from_str::<JobStatusResponse>(&payload) {
                    Ok(status) => {
                        let _ = channels.finals.send(Arc::new(status));
                    }
                    Err(error) => tracing::warn!(%error, "an unreadable final status was published"),
                }
            }
        }
        tracing::warn!("the subscription to final statuses ended: subscribing again");
        subscription = loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            match subscribe(&client).await {
                Ok(subscription) => break subscription,
                Err(error) => tracing::warn!(%error, "subscribing to final statuses failed"),
            }
        };
    }
}
