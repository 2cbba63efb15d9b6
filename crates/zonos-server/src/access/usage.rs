//! The spend log, as the proxy writes it and people read it: each submission sent upstream is noted when its answer
//! comes (`spend_of`), settled as its status ends and its audio is served, and read by person and day (`by_day`),
//! by `zonos-server access usage` and by an admin's page.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use zonos_api::{JobStatus, JobStatusResponse, UsageRow};

use crate::store::{Spend, Store, DAY_SECS};

/// What a submission sent upstream leaves in the log: the job it opened (`accepted`, or the audio it brought at
/// once, `answered_at_once`), else the status the gateway `answered` with (`None`: no readable answer).
pub fn spend_of(
    person: &str,
    settings: &str,
    answered: Option<StatusCode>,
    accepted: Option<&str>,
    answered_at_once: &[String],
    at: u64,
) -> Spend {
    let random_id = || uuid::Uuid::new_v4().to_string();
    let (id, status) = match (accepted, answered_at_once.first(), answered) {
        (Some(request_id), ..) => (request_id.to_owned(), JobStatus::Queued.code().to_owned()),
        (None, Some(request_id), _) => (request_id.clone(), JobStatus::Completed.code().to_owned()),
        (None, None, Some(status)) => (random_id(), format!("HTTP {}", status.as_u16())),
        (None, None, None) => (random_id(), "no answer".to_owned()),
    };
    Spend { id, at, person: person.to_owned(), settings: settings.to_owned(), status, audio_seconds: None }
}

/// Notes a job's final status in the log; what the store can't note now is told to the operator only.
pub async fn settle_status(store: &Store, status: &JobStatusResponse) {
    if status.status.is_final() {
        settle(store, &status.request_id, Some(status.status.code()), None).await;
    }
}

/// Notes how long the audio of `request_id`, served as `wav`, plays.
pub async fn settle_audio(store: &Store, request_id: &str, wav: &[u8]) {
    if let Some(seconds) = studio_core::wav::seconds(wav) {
        settle(store, request_id, None, Some(seconds)).await;
    }
}

async fn settle(store: &Store, request_id: &str, status: Option<&str>, seconds: Option<f64>) {
    if let Err(error) = store.settle_spend(request_id, status, seconds).await {
        tracing::warn!(%error, request_id, "the spend log could not note how a submission ended");
    }
}

/// The UTC date of the Unix time `at`, as `YYYY-MM-DD`.
fn day_of(at: u64) -> String {
    let day = std::time::UNIX_EPOCH + std::time::Duration::from_secs(at / DAY_SECS * DAY_SECS);
    humantime::format_rfc3339_seconds(day).to_string()[..10].to_owned()
}

/// The log by person and day: the newest day first, then by name.
pub fn by_day(spends: &[Spend]) -> Vec<UsageRow> {
    let mut rows: BTreeMap<(std::cmp::Reverse<String>, String), UsageRow> = BTreeMap::new();
    for spend in spends {
        let day = day_of(spend.at);
        let row = rows.entry((std::cmp::Reverse(day.clone()), spend.person.clone())).or_insert_with(|| UsageRow {
            person: spend.person.clone(),
            day,
            takes: 0,
            completed: 0,
            failed: 0,
            audio_seconds: 0.0,
        });
        row.takes += 1;
        match spend.status.parse::<JobStatus>() {
            Ok(JobStatus::Completed) => row.completed += 1,
            Ok(JobStatus::Failed | JobStatus::Error) | Err(_) => row.failed += 1,
            Ok(JobStatus::Queued | JobStatus::Processing) => {}
        }
        row.audio_seconds += spend.audio_seconds.unwrap_or(0.0);
    }
    rows.into_values().collect()
}

/// The rows as CSV, with a header line.
pub fn csv(rows: &[UsageRow]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row).expect("a row serializes");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 is UTF-8")
}

/// The rows as a table for a terminal.
pub fn table(rows: &[UsageRow]) -> String {
    let width = rows.iter().map(|row| row.person.chars().count()).chain([6]).max().unwrap_or(6);
    let mut table = format!(
        "{:<10}  {:<width$}  {:>5}  {:>9}  {:>6}  {:>13}\n",
        "day", "person", "takes", "completed", "failed", "audio seconds"
    );
    for row in rows {
        table += &format!(
            "{:<10}  {:<width$}  {:>5}  {:>9}  {:>6}  {:>13.1}\n",
            row.day, row.person, row.takes, row.completed, row.failed, row.audio_seconds
        );
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spend(person: &str, at: u64, status: &str, seconds: Option<f64>) -> Spend {
        Spend {
            id: format!("{person}-{at}"),
            at,
            person: person.into(),
            settings: "{}".into(),
            status: status.into(),
            audio_seconds: seconds,
        }
    }

    #[test]
    fn the_log_reads_by_day_newest_first_then_by_person() {
        // 2026-12-06 and 2026-12-07, UTC.
        let (sixth, seventh) = (1_796_515_200, 1_796_601_600);
        let spends = [
            spend("bea", sixth + 10, "COMPLETED", Some(2.5)),
            spend("ada", seventh + 5, "COMPLETED", Some(1.25)),
            spend("ada", seventh + 9, "FAILED", None),
            spend("ada", seventh + 20, "HTTP 402", None),
            spend("ada", seventh + 30, "QUEUED", None),
            spend("bea", seventh + 40, "COMPLETED", Some(3.0)),
        ];
        let rows = by_day(&spends);
        let summary: Vec<_> = rows
            .iter()
            .map(|row| (row.day.as_str(), row.person.as_str(), row.takes, row.completed, row.failed))
            .collect();
        assert_eq!(
            summary,
            [("2026-12-07", "ada", 4, 1, 2), ("2026-12-07", "bea", 1, 1, 0), ("2026-12-06", "bea", 1, 1, 0)]
        );
        assert_eq!(rows[0].audio_seconds, 1.25);
        let csv = csv(&rows);
        assert_eq!(csv.lines().next(), Some("person,day,takes,completed,failed,audio_seconds"));
        assert_eq!(csv.lines().nth(1), Some("ada,2026-12-07,4,1,2,1.25"));
        let table = table(&rows);
        assert!(table.lines().nth(3).unwrap().starts_with("2026-12-06  bea"), "{table}");
    }

    #[test]
    fn a_name_with_commas_or_quotes_stays_one_csv_field() {
        let rows = by_day(&[spend("Ada \"A\", Lovelace", 0, "COMPLETED", None)]);
        assert_eq!(csv(&rows).lines().nth(1), Some("\"Ada \"\"A\"\", Lovelace\",1970-01-01,1,1,0,0.0"));
    }

    #[test]
    fn a_submission_is_logged_by_the_job_it_opened_or_else_by_the_gateways_answer() {
        let accepted = spend_of("ada", "{}", Some(StatusCode::ACCEPTED), Some("zonos-2_x"), &[], 1);
        assert_eq!((accepted.id.as_str(), accepted.status.as_str()), ("zonos-2_x", "QUEUED"));
        let at_once = spend_of("ada", "{}", Some(StatusCode::OK), None, &["zonos-2_y".into()], 1);
        assert_eq!((at_once.id.as_str(), at_once.status.as_str()), ("zonos-2_y", "COMPLETED"));
        let refused = spend_of("ada", "{}", Some(StatusCode::PAYMENT_REQUIRED), None, &[], 1);
        assert_eq!(refused.status, "HTTP 402");
        let other = spend_of("ada", "{}", Some(StatusCode::PAYMENT_REQUIRED), None, &[], 1);
        assert_ne!(refused.id, other.id, "each its own id");
        assert_eq!(spend_of("ada", "{}", None, None, &[], 1).status, "no answer");
    }
}
