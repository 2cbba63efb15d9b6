use serde::{Deserialize, Serialize};

/// The queue system's error body, e.g. `{"error": "Insufficient Balance", "message": "..."}`.
///
/// Both fields default to empty when absent: gateways in front of the queue (an API manager refusing a key, say)
/// answer with other shapes, and their message should still reach the user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub message: String,
}

impl ErrorBody {
    pub fn new(error: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorBody { error: error.into(), message: message.into() }
    }

    /// The most useful text to show: the message, else the error title.
    pub fn summary(&self) -> &str {
        if self.message.trim().is_empty() {
            &self.error
        } else {
            &self.message
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_prefers_the_message() {
        assert_eq!(ErrorBody::new("Insufficient Balance", "Top up.").summary(), "Top up.");
        assert_eq!(ErrorBody::new("Forbidden", "").summary(), "Forbidden");
    }

    #[test]
    fn other_shapes_still_parse() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"statusCode": 401, "message": "Access denied due to invalid subscription key."}"#)
                .unwrap();
        assert_eq!(body.summary(), "Access denied due to invalid subscription key.");
    }
}
