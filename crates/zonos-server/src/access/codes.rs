//! Access codes: `<id>-<secret>`, handed to a person once. The store keeps, under the id, the person's name, what
//! they may do, and only an Argon2 hash of the secret: a copy of the store signs nobody in. Checking a code is one
//! Argon2 verification, run for unknown ids too (against a hash of nothing), so that its time says nothing of
//! which ids exist. An invite is a code that signs in a number of times (its uses), handed over as a link.

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use serde::{Deserialize, Serialize};

use crate::store::Budget;

/// Hex digits of a code's id, and of its secret (122 random bits, a v4 UUID's).
const ID_DIGITS: usize = 8;
const SECRET_DIGITS: usize = 32;

/// What the store keeps of a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRecord {
    pub id: String,
    /// Who signs in with it.
    pub name: String,
    /// The secret's Argon2 hash, as a PHC string.
    pub hash: String,
    /// When it stops working (Unix seconds), if ever.
    pub expires_at: Option<u64>,
    /// How many submissions its holder may send, a day and in all.
    #[serde(default)]
    pub budget: Budget,
    /// How many times it may sign someone in (an invite's), if not without end.
    #[serde(default)]
    pub uses: Option<u32>,
    /// Its holder may read the spend log and revoke people.
    #[serde(default)]
    pub admin: bool,
}

/// What a new code may do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grant {
    pub expires_at: Option<u64>,
    pub budget: Budget,
    pub uses: Option<u32>,
    pub admin: bool,
}

/// Why a code could not be made.
#[derive(Debug, thiserror::Error)]
#[error("could not hash an access code: {0}")]
pub struct HashError(String);

fn hash(secret: &str) -> Result<String, HashError> {
    Argon2::default()
        .hash_password(secret.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| HashError(error.to_string()))
}

/// Makes a code for `name`: the code to hand over (shown once), and what the store keeps of it.
pub fn mint(name: &str, grant: Grant) -> Result<(String, CodeRecord), HashError> {
    let id = uuid::Uuid::new_v4().simple().to_string()[..ID_DIGITS].to_owned();
    let secret = uuid::Uuid::new_v4().simple().to_string();
    let record = CodeRecord {
        id: id.clone(),
        name: name.to_owned(),
        hash: hash(&secret)?,
        expires_at: grant.expires_at,
        budget: grant.budget,
        uses: grant.uses,
        admin: grant.admin,
    };
    Ok((format!("{id}-{secret}"), record))
}

/// A typed code's id and secret, if it has a code's shape (spaces around it forgiven).
pub fn split(code: &str) -> Option<(&str, &str)> {
    let (id, secret) = code.trim().split_once('-')?;
    let hex = |text: &str, digits: usize| text.len() == digits && text.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(id, ID_DIGITS) && hex(secret, SECRET_DIGITS)).then_some((id, secret))
}

/// What an unknown id's secret is checked against: the same work as a known one's.
fn hash_of_nothing() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash("").expect("hashing with the default parameters"))
}

/// The record `secret` opens, if `record` is its id's (`None`: an unknown id) and it has not expired at `now`.
/// Blocking: an Argon2 verification, whatever the answer.
pub fn check(record: Option<CodeRecord>, secret: &str, now: u64) -> Option<CodeRecord> {
    let stored = record.as_ref().map_or(hash_of_nothing(), |record| record.hash.as_str());
    let matches =
        PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(secret.as_bytes(), &hash).is_ok());
    record.filter(|record| matches && record.expires_at.is_none_or(|expiry| now < expiry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minted_code_opens_its_record_and_nothing_else() {
        let (code, record) = mint("ada", Grant::default()).unwrap();
        let (id, secret) = split(&code).unwrap();
        assert_eq!((id, record.name.as_str()), (record.id.as_str(), "ada"));
        assert!(!record.hash.contains(secret) && record.hash.starts_with("$argon2id$"), "only a hash is kept");
        assert_eq!(check(Some(record.clone()), secret, 0), Some(record.clone()));
        let (_, other) =
            split(&mint("basil", Grant::default()).unwrap().0).map(|(id, s)| (id.to_owned(), s.to_owned())).unwrap();
        assert_eq!(check(Some(record), &other, 0), None, "another code's secret");
        assert_eq!(check(None, secret, 0), None, "an unknown id");
    }

    #[test]
    fn an_expired_code_opens_nothing() {
        let grant = Grant { expires_at: Some(1_000), ..Grant::default() };
        let (code, record) = mint("ada", grant).unwrap();
        let secret = split(&code).unwrap().1.to_owned();
        assert!(check(Some(record.clone()), &secret, 999).is_some());
        assert_eq!(check(Some(record), &secret, 1_000), None);
    }

    #[test]
    fn only_a_codes_shape_is_read_as_one() {
        let id = "0123abcd";
        let secret = "0123456789abcdef0123456789abcdef";
        assert_eq!(split(&format!("  {id}-{secret}\n")), Some((id, secret)));
        for wrong in
            ["", "0123abcd", &format!("{id}{secret}"), &format!("{id}-{secret}0"), &format!("0123abcz-{secret}")]
        {
            assert_eq!(split(wrong), None, "{wrong:?}");
        }
    }
}
