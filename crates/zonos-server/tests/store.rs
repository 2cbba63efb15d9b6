//! The proxy's store, through its one interface, against both backends: the embedded one in a data directory and
//! Redis (a server of the test's own). What one handle writes, a reopened store (a restart) or another handle (a
//! replica) reads.

mod common;

use std::time::Duration;

use axum::body::Bytes;
use common::redis::RedisServer;
use zonos_api::{AudioFormat, JobStatus, JobStatusResponse};
use zonos_server::store::{
    now_secs, Answered, Budget, BudgetCheck, Callback, GivenAnswer, KeptReview, NewReview, NewSession, ReviewBounds,
    Spend, Store, StoreConfig, Used,
};

/// A store's configuration and what keeps it alive (a temporary directory, a Redis server).
enum Backend {
    Embedded(tempfile::TempDir),
    Redis(RedisServer),
}

impl Backend {
    fn all() -> [Backend; 2] {
        [Backend::Embedded(tempfile::tempdir().unwrap()), Backend::Redis(RedisServer::start())]
    }

    fn config(&self) -> StoreConfig {
        match self {
            Backend::Embedded(dir) => StoreConfig::Embedded { data_dir: dir.path().to_owned() },
            Backend::Redis(server) => StoreConfig::Redis { url: server.url.clone() },
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Backend::Embedded(_) => "embedded",
            Backend::Redis(_) => "redis",
        }
    }

    async fn open(&self) -> Store {
        Store::open(&self.config()).await.unwrap()
    }

    /// Two handles on the same state: with Redis, two connections, as two replicas have; embedded (one instance
    /// per data directory), two clones of one.
    async fn two_handles(&self) -> (Store, Store) {
        let first = self.open().await;
        let second = match self {
            Backend::Embedded(_) => first.clone(),
            Backend::Redis(_) => self.open().await,
        };
        (first, second)
    }
}

fn wav_name(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("{}.wav", hex::encode(sha2::Sha256::digest(bytes)))
}

fn completed(request_id: &str) -> JobStatusResponse {
    serde_json::from_value(serde_json::json!({
        "request_id": request_id,
        "status": "COMPLETED",
        "output": {"media_url": ["http://127.0.0.1:9/media/output.wav"], "media_type": "audio/wav"}
    }))
    .unwrap()
}

#[tokio::test]
async fn a_reference_is_served_byte_for_byte_after_a_restart() {
    for backend in Backend::all() {
        let bytes = Bytes::from([b"RIFF\x24\0\0\0WAVEfmt ".as_slice(), &[7u8; 5000]].concat());
        let name = wav_name(&bytes);
        let store = backend.open().await;
        store.put_reference(&name, bytes.clone()).await.unwrap();
        drop(store);
        let reopened = backend.open().await;
        assert_eq!(reopened.reference(&name).await.unwrap(), Some((bytes, AudioFormat::Wav)), "{}", backend.name());
        let unknown = wav_name(b"never stored");
        assert_eq!(reopened.reference(&unknown).await.unwrap(), None, "{}", backend.name());
        for bad in ["../state.redb", "references", &name.replace(".wav", ".exe"), &name.to_uppercase()] {
            assert_eq!(reopened.reference(bad).await.unwrap(), None, "{} {bad}", backend.name());
            assert!(reopened.put_reference(bad, Bytes::from_static(b"x")).await.is_err(), "{} {bad}", backend.name());
        }
    }
}

#[tokio::test]
async fn the_daily_cap_counts_exactly_across_handles_and_restarts() {
    for backend in Backend::all() {
        let day = now_secs() / 86_400;
        let (first, second) = backend.two_handles().await;
        let attempts = (0..20).map(|index| {
            let store = if index % 2 == 0 { first.clone() } else { second.clone() };
            tokio::spawn(async move { store.reserve_submission(day, 7).await.unwrap() })
        });
        let outcomes = futures_util::future::join_all(attempts).await;
        let counted = outcomes.into_iter().filter(|counted| *counted.as_ref().unwrap()).count();
        assert_eq!(counted, 7, "{}: racing handles never pass the cap", backend.name());
        first.release_submission(day).await.unwrap();
        drop((first, second));
        let reopened = backend.open().await;
        assert_eq!(reopened.submissions_on(day).await.unwrap(), 6, "{}: counted before the restart", backend.name());
        assert!(reopened.reserve_submission(day, 7).await.unwrap());
        assert!(!reopened.reserve_submission(day, 7).await.unwrap(), "{}", backend.name());
        assert_eq!(reopened.submissions_on(day + 1).await.unwrap(), 0, "{}: each day its own", backend.name());
    }
}

#[tokio::test]
async fn an_invites_uses_are_taken_once_each_by_racing_replicas_kept_across_a_restart_and_forgotten_with_it() {
    for backend in Backend::all() {
        let name = backend.name();
        let (first, second) = backend.two_handles().await;
        let attempts = (0..8).map(|index| {
            let store = if index % 2 == 0 { first.clone() } else { second.clone() };
            tokio::spawn(async move { store.use_code("0123abcd", 3).await.unwrap() })
        });
        let outcomes: Vec<bool> =
            futures_util::future::join_all(attempts).await.into_iter().map(Result::unwrap).collect();
        assert_eq!(outcomes.iter().filter(|&&used| used).count(), 3, "{name}: {outcomes:?}");
        assert!(first.use_code("4567abcd", 1).await.unwrap(), "{name}: another code's uses are its own");
        drop((first, second));

        let reopened = backend.open().await;
        assert_eq!(reopened.code_uses("0123abcd").await.unwrap(), 3, "{name}: kept");
        assert!(!reopened.use_code("0123abcd", 3).await.unwrap(), "{name}: used up");
        reopened.remove_code("0123abcd").await.unwrap();
        assert_eq!(reopened.code_uses("0123abcd").await.unwrap(), 0, "{name}: forgotten with its code");
    }
}

#[tokio::test]
async fn the_spend_log_keeps_each_submission_and_what_replicas_learn_of_it_across_a_restart() {
    for backend in Backend::all() {
        let name = backend.name();
        let now = now_secs();
        let spend = |id: &str, at: u64| Spend {
            id: id.into(),
            at,
            person: "ada".into(),
            settings: r#"{"seed":1}"#.into(),
            status: "QUEUED".into(),
            audio_seconds: None,
        };
        let (first, second) = backend.two_handles().await;
        for (id, ago) in [("zonos-2_a", 100), ("zonos-2_b", 10), ("zonos-2_old", 3 * 86_400)] {
            first.record_spend(&spend(id, now - ago)).await.unwrap();
        }
        // Two replicas settle the same one at once: its end on one, its audio's length on the other.
        let (ended, measured) = tokio::join!(
            first.settle_spend("zonos-2_a", Some("COMPLETED"), None),
            second.settle_spend("zonos-2_a", None, Some(2.5))
        );
        ended.unwrap();
        measured.unwrap();
        second.settle_spend("zonos-2_never_sent", Some("COMPLETED"), None).await.unwrap();
        drop((first, second));

        let reopened = backend.open().await;
        let settled = Spend { status: "COMPLETED".into(), audio_seconds: Some(2.5), ..spend("zonos-2_a", now - 100) };
        let last_day = reopened.spends_since(now - 86_400).await.unwrap();
        assert_eq!(last_day, [settled, spend("zonos-2_b", now - 10)], "{name}: oldest first, both settlings kept");
        let all = reopened.spends_since(0).await.unwrap();
        assert_eq!(all.len(), 3, "{name}: the older one is kept too, and settling records nothing new: {all:?}");
    }
}

#[tokio::test]
async fn past_the_most_sessions_of_a_code_its_oldest_end_whichever_replica_opened_them() {
    for backend in Backend::all() {
        let name = backend.name();
        let session = |hash: &'static str, code: &'static str| NewSession {
            hash,
            person: "ada",
            record: "{}",
            lifetime: Duration::from_secs(600),
            code,
            most: 3,
        };
        let (first, second) = backend.two_handles().await;
        for (index, hash) in ["h0", "h1", "h2", "h3"].into_iter().enumerate() {
            let store = if index % 2 == 0 { &first } else { &second };
            store.open_session(&session(hash, "0123abcd")).await.unwrap();
            // Opened one after the other, as sign-ins are.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        first.open_session(&session("other", "4567abcd")).await.unwrap();
        drop((first, second));

        let reopened = backend.open().await;
        assert_eq!(reopened.session("h0").await.unwrap(), None, "{name}: the oldest ended");
        for hash in ["h1", "h2", "h3", "other"] {
            assert!(reopened.session(hash).await.unwrap().is_some(), "{name}: {hash} is open");
        }
    }
}

#[tokio::test]
async fn a_persons_budget_holds_across_racing_replicas_and_a_restart() {
    for backend in Backend::all() {
        let name = backend.name();
        let day = now_secs() / 86_400;
        let budget = Budget { daily: Some(5), in_all: Some(8) };
        let (first, second) = backend.two_handles().await;
        let attempts = (0..12).map(|index| {
            let store = if index % 2 == 0 { first.clone() } else { second.clone() };
            tokio::spawn(async move { store.reserve_budget("ada", day, budget).await.unwrap() })
        });
        let outcomes: Vec<BudgetCheck> =
            futures_util::future::join_all(attempts).await.into_iter().map(Result::unwrap).collect();
        let counted = outcomes.iter().filter(|check| matches!(check, BudgetCheck::Counted(_))).count();
        assert_eq!(counted, 5, "{name}: racing replicas never pass the daily budget: {outcomes:?}");
        assert!(outcomes.contains(&BudgetCheck::DailySpent(Used { today: 5, in_all: 5 })), "{name}: {outcomes:?}");
        // Another person's budget is their own.
        assert_eq!(
            first.reserve_budget("basil", day, budget).await.unwrap(),
            BudgetCheck::Counted(Used { today: 1, in_all: 1 })
        );
        first.release_budget("ada", day).await.unwrap();
        drop((first, second));

        let reopened = backend.open().await;
        assert_eq!(reopened.budget_used("ada", day).await.unwrap(), Used { today: 4, in_all: 4 }, "{name}: kept");
        assert_eq!(
            reopened.reserve_budget("ada", day, budget).await.unwrap(),
            BudgetCheck::Counted(Used { today: 5, in_all: 5 })
        );
        // The next day renews the day's budget, not the one in all.
        for _ in 0..3 {
            assert!(matches!(reopened.reserve_budget("ada", day + 1, budget).await.unwrap(), BudgetCheck::Counted(_)));
        }
        assert_eq!(
            reopened.reserve_budget("ada", day + 1, budget).await.unwrap(),
            BudgetCheck::InAllSpent(Used { today: 3, in_all: 8 }),
            "{name}"
        );
        let unlimited = reopened.reserve_budget("ada", day + 1, Budget::default()).await.unwrap();
        assert_eq!(
            unlimited,
            BudgetCheck::Counted(Used { today: 4, in_all: 9 }),
            "{name}: counted without a limit too"
        );
    }
}

#[tokio::test]
async fn a_begun_sign_in_is_taken_once_by_any_replica_and_not_after_it_expires() {
    for backend in Backend::all() {
        let (begun_on, finished_on) = backend.two_handles().await;
        begun_on.put_sign_in("state-1", r#"{"nonce":"n"}"#, Duration::from_secs(600)).await.unwrap();
        begun_on.put_sign_in("state-2", r#"{"nonce":"m"}"#, Duration::from_secs(1)).await.unwrap();
        let taken = finished_on.take_sign_in("state-1").await.unwrap();
        assert_eq!(taken.as_deref(), Some(r#"{"nonce":"n"}"#), "{}", backend.name());
        assert_eq!(begun_on.take_sign_in("state-1").await.unwrap(), None, "taken once: {}", backend.name());
        assert_eq!(finished_on.take_sign_in("never-begun").await.unwrap(), None, "{}", backend.name());
        tokio::time::sleep(Duration::from_millis(2100)).await;
        assert_eq!(finished_on.take_sign_in("state-2").await.unwrap(), None, "expired: {}", backend.name());
    }
}

#[tokio::test]
async fn webhook_tokens_and_issued_ids_outlive_a_restart() {
    for backend in Backend::all() {
        let request_id = "zonos-2_019d0000-0000-7000-8000-000000000001";
        let store = backend.open().await;
        store.open_callback("token-pending").await.unwrap();
        store.open_callback("token-accepted").await.unwrap();
        store.issue(request_id, Some("token-accepted"), r#"{"seed":7}"#).await.unwrap();
        store.open_callback("token-refused").await.unwrap();
        store.close_callback("token-refused").await.unwrap();
        drop(store);
        let reopened = backend.open().await;
        let name = backend.name();
        assert_eq!(reopened.callback("token-pending").await.unwrap(), Some(Callback::Pending), "{name}");
        assert_eq!(
            reopened.callback("token-accepted").await.unwrap(),
            Some(Callback::For(request_id.into())),
            "{name}"
        );
        assert_eq!(reopened.callback("token-refused").await.unwrap(), None, "{name}");
        assert_eq!(reopened.callback("never-issued").await.unwrap(), None, "{name}");
        assert!(reopened.is_issued(request_id).await.unwrap(), "{name}");
        assert!(!reopened.is_issued("zonos-2_019d0000-0000-7000-8000-000000000002").await.unwrap(), "{name}");
        // What its Content Credentials will say of it, kept with it.
        assert_eq!(reopened.issued_settings(request_id).await.unwrap().as_deref(), Some(r#"{"seed":7}"#), "{name}");
        let never = "zonos-2_019d0000-0000-7000-8000-000000000002";
        assert_eq!(reopened.issued_settings(never).await.unwrap(), None, "{name}");
    }
}

#[tokio::test]
async fn a_final_status_published_by_one_handle_reaches_the_other_and_is_kept() {
    for backend in Backend::all() {
        let request_id = "zonos-2_019d0000-0000-7000-8000-000000000003";
        let (publisher, follower) = backend.two_handles().await;
        let mut finals = follower.finals();
        publisher.publish_final(&completed(request_id)).await.unwrap();
        let heard = tokio::time::timeout(Duration::from_secs(5), finals.recv()).await.expect("heard in time").unwrap();
        assert_eq!((heard.request_id.as_str(), heard.status), (request_id, JobStatus::Completed), "{}", backend.name());
        // A browser that asks only now finds it kept, on any handle, and after a restart.
        assert_eq!(follower.final_status(request_id).await.unwrap(), Some(completed(request_id)), "{}", backend.name());
        drop((publisher, follower, finals));
        let reopened = backend.open().await;
        assert_eq!(reopened.final_status(request_id).await.unwrap(), Some(completed(request_id)), "{}", backend.name());
    }
}

#[tokio::test]
async fn a_jobs_first_final_status_is_its_end_and_a_second_one_is_ignored() {
    for backend in Backend::all() {
        let name = backend.name();
        let request_id = "zonos-2_019d0000-0000-7000-8000-000000000004";
        let (webhook, own_check) = backend.two_handles().await;
        let mut finals = own_check.finals();
        assert!(webhook.publish_final(&completed(request_id)).await.unwrap(), "{name}");
        let mut failed = completed(request_id);
        (failed.status, failed.output, failed.error) = (JobStatus::Failed, None, Some("late".into()));
        assert!(!own_check.publish_final(&failed).await.unwrap(), "{name}: the second end is not kept");
        let heard = tokio::time::timeout(Duration::from_secs(5), finals.recv()).await.expect("heard in time").unwrap();
        assert_eq!(*heard, completed(request_id), "{name}");
        // Nothing more is told: the first end was the only one. Another job's end, published after the refused one
        // (through the same channel, in order), is what is told next.
        let other = "zonos-2_019d0000-0000-7000-8000-000000000005";
        assert!(webhook.publish_final(&completed(other)).await.unwrap(), "{name}");
        let next = tokio::time::timeout(Duration::from_secs(5), finals.recv()).await.expect("heard in time").unwrap();
        assert_eq!(*next, completed(other), "{name}: told after the first end");
        assert_eq!(own_check.final_status(request_id).await.unwrap(), Some(completed(request_id)), "{name}");
    }
}

#[tokio::test]
async fn rate_limits_allow_a_burst_then_refuse_until_the_next_turn() {
    for backend in Backend::all() {
        let (first, second) = backend.two_handles().await;
        let window = Duration::from_secs(3600);
        for store in [&first, &second, &first] {
            assert_eq!(store.hit("submit:198.51.100.7", 3, window).await.unwrap(), None, "{}", backend.name());
        }
        let wait = second.hit("submit:198.51.100.7", 3, window).await.unwrap().expect("the fourth is refused");
        // Three an hour: a turn every 20 minutes once the burst is spent.
        assert!(wait > Duration::from_secs(19 * 60) && wait <= window / 3, "{}: {wait:?}", backend.name());
        assert_eq!(
            first.hit("submit:198.51.100.8", 3, window).await.unwrap(),
            None,
            "{}: each key its own",
            backend.name()
        );
    }
}

#[tokio::test]
async fn references_are_bounded_by_count_whatever_their_size() {
    for backend in Backend::all() {
        let store = backend.open().await;
        let mut first = None;
        for index in 0..zonos_server::store::MAX_REFERENCES {
            let bytes = Bytes::from([b"RIFF\x24\0\0\0WAVEfmt ".as_slice(), &index.to_le_bytes()].concat());
            let name = wav_name(&bytes);
            store.put_reference(&name, bytes.clone()).await.unwrap();
            first.get_or_insert((name, bytes));
        }
        let one_more = Bytes::from_static(b"RIFF\x24\0\0\0WAVEfmt one more");
        let refused = store.put_reference(&wav_name(&one_more), one_more).await;
        assert!(matches!(refused, Err(zonos_server::store::StoreError::Full)), "{}: {refused:?}", backend.name());
        // One already kept may be kept again (its day renewed): it takes no more room.
        let (name, bytes) = first.unwrap();
        store.put_reference(&name, bytes).await.unwrap();
    }
}

#[tokio::test]
async fn access_codes_are_kept_as_hashes_read_by_a_replica_and_after_a_restart_and_removed() {
    use zonos_server::access::codes::{self, Grant};
    for backend in Backend::all() {
        let (code, record) = codes::mint("ada", Grant::default()).unwrap();
        let (_, other) = codes::mint("basil", Grant::default()).unwrap();
        let secret = codes::split(&code).unwrap().1.to_owned();
        let json = |record: &codes::CodeRecord| serde_json::to_string(record).unwrap();
        let (replica, other_replica) = backend.two_handles().await;
        replica.put_code(&record.id, &json(&record)).await.unwrap();
        replica.put_code(&other.id, &json(&other)).await.unwrap();
        assert_eq!(other_replica.code(&record.id).await.unwrap(), Some(json(&record)), "{}", backend.name());
        drop((replica, other_replica));

        let reopened = backend.open().await;
        let mut listed = reopened.codes().await.unwrap();
        listed.sort();
        let mut expected = vec![json(&record), json(&other)];
        expected.sort();
        assert_eq!(listed, expected, "{}", backend.name());
        assert!(listed.iter().all(|stored| !stored.contains(&secret)), "{}: the secret is stored", backend.name());
        if let Backend::Embedded(dir) = &backend {
            let file = std::fs::read(dir.path().join("state.redb")).unwrap();
            assert!(!file.windows(secret.len()).any(|window| window == secret.as_bytes()), "the secret is on disk");
        }
        reopened.remove_code(&record.id).await.unwrap();
        assert_eq!(reopened.code(&record.id).await.unwrap(), None, "{}", backend.name());
        assert_eq!(reopened.codes().await.unwrap(), vec![json(&other)], "{}", backend.name());
    }
}

fn review(token_byte: char, files: &[(&str, usize)], lifetime: Duration) -> NewReview {
    NewReview {
        token: token_byte.to_string().repeat(32),
        owner_hash: format!("owner-of-{token_byte}"),
        record: format!(r#"{{"title":"Review {token_byte}"}}"#),
        files: files.iter().map(|(name, size)| (name.to_string(), Bytes::from(vec![7u8; *size]))).collect(),
        lifetime,
    }
}

const ROOMY: ReviewBounds = ReviewBounds { bytes_a_review: 1 << 20, bytes_in_all: 1 << 22, most_reviews: 100 };
const WEEK: Duration = Duration::from_secs(7 * 24 * 60 * 60);
const LISTENER: &str = "0123456789abcdef0123456789abcdef";

fn given_answer<'a>(token: &'a str, listener: &'a str, item: u32, answer: &'a str, most: u32) -> GivenAnswer<'a> {
    GivenAnswer { token, listener, item, answer, most_listeners: most }
}

fn listener(n: usize) -> String {
    format!("{n:032x}")
}

#[tokio::test]
async fn a_review_is_served_by_any_replica_after_a_restart_and_closed_for_all_with_its_answers_kept() {
    for backend in Backend::all() {
        let (maker, other) = backend.two_handles().await;
        let made = review('a', &[("0.wav", 3000), ("1-a.wav", 10), ("1-b.wav", 20)], WEEK);
        assert_eq!(maker.put_review(&made, ROOMY).await.unwrap(), Vec::<String>::new(), "{}", backend.name());
        let kept = other.review(&made.token).await.unwrap();
        let open = KeptReview { record: made.record.clone(), owner_hash: made.owner_hash.clone(), closed: false };
        assert_eq!(kept, Some(open.clone()), "{}", backend.name());
        assert_eq!(other.review_file(&made.token, "1-b.wav").await.unwrap(), Some(made.files[2].1.clone()));
        assert_eq!(other.review_file(&made.token, "2.wav").await.unwrap(), None, "{}", backend.name());
        assert_eq!(
            other.answer(&given_answer(&made.token, LISTENER, 0, r#"{"stars":4}"#, 10)).await.unwrap(),
            Answered::Kept
        );
        drop((maker, other));

        let (after_restart, other) = backend.two_handles().await;
        assert_eq!(after_restart.review(&made.token).await.unwrap(), Some(open), "{}", backend.name());
        other.close_review(&made.token).await.unwrap();
        let closed = after_restart.review(&made.token).await.unwrap().unwrap();
        assert!(closed.closed, "{}", backend.name());
        assert_eq!(after_restart.review_file(&made.token, "0.wav").await.unwrap(), None, "its audio went");
        let late =
            after_restart.answer(&given_answer(&made.token, &listener(9), 0, r#"{"stars":1}"#, 10)).await.unwrap();
        assert_eq!(late, Answered::Ended, "{}", backend.name());
        let answers = after_restart.answers(&made.token).await.unwrap();
        assert_eq!(answers, [(LISTENER.to_owned(), 0, r#"{"stars":4}"#.to_owned())], "kept: {}", backend.name());
        assert_eq!(other.review(&"f".repeat(32)).await.unwrap(), None, "never made: {}", backend.name());
    }
}

#[tokio::test]
async fn a_listener_is_counted_once_and_no_more_listeners_than_the_most_however_replicas_race() {
    for backend in Backend::all() {
        let (first, second) = backend.two_handles().await;
        let made = review('b', &[("0.wav", 100)], WEEK);
        first.put_review(&made, ROOMY).await.unwrap();
        for stars in [2, 5] {
            let answer = format!(r#"{{"stars":{stars}}}"#);
            assert_eq!(
                first.answer(&given_answer(&made.token, LISTENER, 0, &answer, 5)).await.unwrap(),
                Answered::Kept
            );
        }
        first.answer(&given_answer(&made.token, LISTENER, 1, r#"{"comment":"Clear."}"#, 5)).await.unwrap();
        let mut answers = second.answers(&made.token).await.unwrap();
        answers.sort();
        let expected = [
            (LISTENER.to_owned(), 0, r#"{"stars":5}"#.to_owned()),
            (LISTENER.to_owned(), 1, r#"{"comment":"Clear."}"#.to_owned()),
        ];
        assert_eq!(answers, expected, "the last answer stands: {}", backend.name());
        let last = second.answer_of(&made.token, LISTENER, 0).await.unwrap();
        assert_eq!(last.as_deref(), Some(r#"{"stars":5}"#), "one answer read alone: {}", backend.name());
        assert_eq!(second.answer_of(&made.token, &listener(3), 0).await.unwrap(), None, "{}", backend.name());

        let racing = (0..12).map(|n| {
            let store = if n % 2 == 0 { first.clone() } else { second.clone() };
            let token = made.token.clone();
            tokio::spawn(async move { store.answer(&given_answer(&token, &listener(n), 0, "{}", 5)).await.unwrap() })
        });
        let outcomes = futures_util::future::join_all(racing).await;
        let kept = outcomes.iter().filter(|outcome| matches!(outcome, Ok(Answered::Kept))).count();
        let full = outcomes.iter().filter(|outcome| matches!(outcome, Ok(Answered::Full))).count();
        assert_eq!((kept, full), (4, 8), "ada's id was the first of five: {}", backend.name());
        let known = first.answer(&given_answer(&made.token, LISTENER, 0, r#"{"stars":3}"#, 5)).await.unwrap();
        assert_eq!(known, Answered::Kept, "a listener counted may still change their answer: {}", backend.name());
    }
}

#[tokio::test]
async fn past_the_bounds_the_oldest_reviews_end_to_make_room() {
    let bounds = ReviewBounds { bytes_a_review: 1000, bytes_in_all: 1150, most_reviews: 3 };
    for backend in Backend::all() {
        let store = backend.open().await;
        for name in ['1', '2', '3'] {
            assert!(store.put_review(&review(name, &[("0.wav", 100)], WEEK), bounds).await.unwrap().is_empty());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let fourth = store.put_review(&review('4', &[("0.wav", 100)], WEEK), bounds).await.unwrap();
        assert_eq!(fourth, ["1".repeat(32)], "the oldest, for the count: {}", backend.name());
        assert_eq!(store.review(&"1".repeat(32)).await.unwrap(), None, "{}", backend.name());
        assert_eq!(store.review_file(&"1".repeat(32), "0.wav").await.unwrap(), None, "{}", backend.name());
        tokio::time::sleep(Duration::from_millis(5)).await;
        let large = store.put_review(&review('5', &[("0.wav", 900), ("1.wav", 100)], WEEK), bounds).await.unwrap();
        assert_eq!(large, ["2".repeat(32), "3".repeat(32)], "the oldest, for the bytes: {}", backend.name());
        assert!(store.review(&"4".repeat(32)).await.unwrap().is_some(), "{}", backend.name());
        let too_large = store.put_review(&review('6', &[("0.wav", 1001)], WEEK), bounds).await;
        assert!(too_large.is_err(), "larger than a review may be: {}", backend.name());
        let misnamed = store.put_review(&review('7', &[("../0.wav", 1)], WEEK), bounds).await;
        assert!(misnamed.is_err(), "{}", backend.name());
    }
}

#[tokio::test]
async fn a_review_ends_when_it_expires() {
    for backend in Backend::all() {
        let store = backend.open().await;
        let made = review('c', &[("0.wav", 100)], Duration::from_secs(1));
        store.put_review(&made, ROOMY).await.unwrap();
        store.answer(&given_answer(&made.token, LISTENER, 0, "{}", 5)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(2100)).await;
        assert_eq!(store.review(&made.token).await.unwrap(), None, "{}", backend.name());
        assert_eq!(store.review_file(&made.token, "0.wav").await.unwrap(), None, "{}", backend.name());
        assert_eq!(store.answer(&given_answer(&made.token, LISTENER, 0, "{}", 5)).await.unwrap(), Answered::Ended);
        assert!(store.answers(&made.token).await.unwrap().is_empty(), "{}", backend.name());
    }
}
