//! Sessions: a random token in an `HttpOnly`, `SameSite=Strict` cookie; the store keeps, under the token's SHA-256
//! (a copy of the store opens no session), who it is and what they may do. Ended in the store, a session is ended on
//! every replica at its next request: nothing of it is cached in a process.

use axum::http::{header, HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};

use crate::store::Budget;
use sha2::{Digest, Sha256};

use super::codes::CodeRecord;

/// The session cookie's name.
pub const COOKIE: &str = "zonos_session";

/// Who a session is: from the code that opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// Their budgets of submissions, as their code gave them at sign-in.
    #[serde(default)]
    pub budget: Budget,
    /// They may read the spend log and revoke people.
    #[serde(default)]
    pub admin: bool,
}

impl From<&CodeRecord> for Person {
    fn from(code: &CodeRecord) -> Person {
        Person { name: code.name.clone(), budget: code.budget, admin: code.admin }
    }
}

/// A new session's token: 244 random bits (two v4 UUIDs), in hex.
pub fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// What the store keys a session by.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session token a request carries, if any.
pub fn token_of(headers: &HeaderMap) -> Option<&str> {
    cookie_of(headers, COOKIE)
}

/// The value of the cookie `name` a request carries, if any.
pub fn cookie_of<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|cookie| cookie.trim().strip_prefix(name)?.strip_prefix('='))
        .filter(|value| !value.is_empty())
}

/// The cookie that hands `token` over for `seconds` (none: the cookie that ends it); `Secure` when the page is
/// served over https.
pub fn cookie(token: Option<&str>, seconds: u64, secure: bool) -> HeaderValue {
    set_cookie(COOKIE, "Strict", token, seconds, secure)
}

/// The cookie `name` with `value` (none: the cookie that ends it), for `seconds`, readable by no script.
pub fn set_cookie(name: &str, same_site: &str, value: Option<&str>, seconds: u64, secure: bool) -> HeaderValue {
    let (value, max_age) = value.map_or(("", 0), |value| (value, seconds));
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"))
        .expect("a token is hex")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_read_back_from_the_cookie_it_was_handed_in() {
        let token = new_token();
        assert_eq!(token.len(), 64);
        let set = cookie(Some(&token), 600, true);
        let set = set.to_str().unwrap();
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.ends_with("; Secure"), "{set}");
        let mut headers = HeaderMap::new();
        let pair = set.split(';').next().unwrap();
        headers.insert(header::COOKIE, HeaderValue::from_str(&format!("theme=dark; {pair}; other=1")).unwrap());
        assert_eq!(token_of(&headers), Some(token.as_str()));
        assert_ne!(token_hash(&token), token, "the store never sees the token");
    }

    #[test]
    fn no_cookie_an_empty_one_or_a_lookalike_is_no_session() {
        let mut headers = HeaderMap::new();
        assert_eq!(token_of(&headers), None);
        for cookies in [format!("{COOKIE}="), format!("{COOKIE}x=abc"), "other=1".to_owned()] {
            headers.insert(header::COOKIE, HeaderValue::from_str(&cookies).unwrap());
            assert_eq!(token_of(&headers), None, "{cookies}");
        }
        assert!(cookie(None, 600, false).to_str().unwrap().contains("Max-Age=0"), "ending it expires it");
    }
}
