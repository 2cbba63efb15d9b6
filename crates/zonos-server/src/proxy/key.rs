//! The gateway key: held by the server only, and never printed, logged or serialized.

use std::fmt;

/// An API key. Its `Debug` and `Display` hide it, so no log line or error message can carry it by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// A key as read from the environment or a key file; surrounding whitespace (a file's newline) is not part of it.
    pub fn new(key: &str) -> Option<ApiKey> {
        let key = key.trim();
        (!key.is_empty()).then(|| ApiKey(key.to_owned()))
    }

    /// The key itself, for the one header that carries it upstream.
    pub(super) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("ApiKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_trimmed_required_and_never_shown() {
        let key = ApiKey::new(" secret-key\n").unwrap();
        assert_eq!(key.expose(), "secret-key");
        assert_eq!(format!("{key:?}"), "ApiKey(…)");
        assert_eq!(ApiKey::new(" \n"), None);
    }
}
