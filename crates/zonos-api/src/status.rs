use std::fmt;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A job's status. The documented flow is QUEUED → PROCESSING → COMPLETED | FAILED | ERROR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// Request accepted, waiting to be processed.
    Queued,
    /// Being processed by the model.
    Processing,
    /// Done: the output holds the result.
    Completed,
    /// Failed: the `error` field says why.
    Failed,
    /// System error: not charged.
    Error,
}

impl JobStatus {
    pub const ALL: [JobStatus; 5] =
        [JobStatus::Queued, JobStatus::Processing, JobStatus::Completed, JobStatus::Failed, JobStatus::Error];

    /// The status as the gateway writes it.
    pub fn code(self) -> &'static str {
        match self {
            JobStatus::Queued => "QUEUED",
            JobStatus::Processing => "PROCESSING",
            JobStatus::Completed => "COMPLETED",
            JobStatus::Failed => "FAILED",
            JobStatus::Error => "ERROR",
        }
    }

    /// Whether the job has ended: nothing more will change.
    pub fn is_final(self) -> bool {
        matches!(self, JobStatus::Completed | JobStatus::Failed | JobStatus::Error)
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A status word the contract does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStatus(pub String);

impl fmt::Display for UnknownStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown status {:?}: expected QUEUED, PROCESSING, COMPLETED, FAILED or ERROR", self.0)
    }
}

/// Case-insensitive: gateways differ in how they write the same word.
impl FromStr for JobStatus {
    type Err = UnknownStatus;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        JobStatus::ALL
            .into_iter()
            .find(|status| status.code().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| UnknownStatus(text.to_owned()))
    }
}

impl Serialize for JobStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for JobStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_documented_status_in_any_case() {
        for status in JobStatus::ALL {
            assert_eq!(status.code().parse::<JobStatus>(), Ok(status));
            assert_eq!(status.code().to_lowercase().parse::<JobStatus>(), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.code());
        }
        assert!("DONE".parse::<JobStatus>().is_err());
    }

    #[test]
    fn only_completed_failed_and_error_are_final() {
        let finals: Vec<JobStatus> = JobStatus::ALL.into_iter().filter(|status| status.is_final()).collect();
        assert_eq!(finals, [JobStatus::Completed, JobStatus::Failed, JobStatus::Error]);
    }
}
