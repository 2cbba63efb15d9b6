//! A JSON object that gives a key twice reads differently to different readers: most keep the last value, some the
//! first. A body validated by one reader and sent to another could pass an invalid value; so such a body is
//! refused, naming the key.

use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

/// The first key that the top-level object of `json` gives twice, if any; `None` too when `json` is not an object
/// (that is for the parser that follows to say).
pub fn first_duplicate_key(json: &[u8]) -> Option<String> {
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Option<String>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut seen = HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                map.next_value::<IgnoredAny>()?;
                if !seen.insert(key.clone()) {
                    return Ok(Some(key));
                }
            }
            Ok(None)
        }
    }
    serde_json::Deserializer::from_slice(json).deserialize_map(Keys).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_given_twice_is_named() {
        assert_eq!(
            first_duplicate_key(br#"{"max_tokens": 0, "text": "a", "max_tokens": 100}"#).as_deref(),
            Some("max_tokens")
        );
        // Escapes are read: the same key written two ways is still the same key.
        assert_eq!(first_duplicate_key(br#"{"seed": 1, "se\u0065d": 2}"#).as_deref(), Some("seed"));
        assert_eq!(first_duplicate_key(br#"{"text": "a", "seed": 1}"#), None);
        // Nested objects are values, not the request's fields.
        assert_eq!(first_duplicate_key(br#"{"a": {"b": 1, "b": 2}}"#), None);
        assert_eq!(first_duplicate_key(b"[1, 2]"), None);
        assert_eq!(first_duplicate_key(b"not json"), None);
    }
}
