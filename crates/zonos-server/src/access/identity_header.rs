//! `--access header`: a reverse proxy in front (oauth2-proxy, Authelia, nginx's `auth_request`) signs people in and
//! names them in a header (`Remote-User` unless told). The header is believed only from a `--trusted-proxy`: the
//! socket's own peer, never an address a forwarding header claims. From anyone else, a request that brings one is
//! refused, as a forgery.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderName};

use super::sessions::Person;
use crate::net::client::TrustedProxies;
use crate::store::Budget;

/// How the reverse proxy names people, and what they may do.
#[derive(Debug, Clone)]
pub struct HeaderSignIn {
    /// The header it names them in.
    pub header: HeaderName,
    /// What each person it names may send (`--default-budget`, `--default-total`).
    pub budget: Budget,
    /// Who of them may read the spend log and revoke people (`--admin`).
    pub admins: Vec<String>,
}

impl Default for HeaderSignIn {
    fn default() -> HeaderSignIn {
        HeaderSignIn { header: HeaderName::from_static("remote-user"), budget: Budget::default(), admins: Vec::new() }
    }
}

/// What a request says of who it is from.
#[derive(Debug, PartialEq, Eq)]
pub enum Vouched {
    Person(Person),
    /// No one: the header is absent, or the trusted proxy sent something that names no one.
    Nobody,
    /// The header came from a peer that is not a trusted proxy.
    Forged,
}

/// The longest name believed: a proxy's user names and e-mail addresses are far shorter.
const LONGEST_NAME: usize = 256;

/// Who the request from `peer` is from, as its identity header says.
pub fn vouched(sign_in: &HeaderSignIn, trusted: &TrustedProxies, peer: IpAddr, headers: &HeaderMap) -> Vouched {
    let values: Vec<_> = headers.get_all(&sign_in.header).iter().collect();
    if values.is_empty() {
        return Vouched::Nobody;
    }
    if !trusted.trusts(peer) {
        return Vouched::Forged;
    }
    // One readable name: two values mean a proxy that passes on what the client sent beside its own.
    let name = match values.as_slice() {
        [one] => one.to_str().ok().map(str::trim),
        _ => None,
    };
    match name.filter(|name| !name.is_empty() && name.len() <= LONGEST_NAME) {
        Some(name) => Vouched::Person(Person {
            name: name.to_owned(),
            budget: sign_in.budget,
            admin: sign_in.admins.iter().any(|admin| admin == name),
        }),
        None => Vouched::Nobody,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("remote-user", HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn sign_in() -> HeaderSignIn {
        HeaderSignIn {
            budget: Budget { daily: Some(20), in_all: None },
            admins: vec!["olga".into()],
            ..Default::default()
        }
    }

    #[test]
    fn the_header_is_believed_from_a_trusted_proxy_only() {
        let trusted = TrustedProxies(vec!["127.0.0.1/32".parse().unwrap()]);
        let (proxy, stranger): (IpAddr, IpAddr) = ("127.0.0.1".parse().unwrap(), "10.1.2.3".parse().unwrap());
        let ada = Person { name: "ada".into(), budget: Budget { daily: Some(20), in_all: None }, admin: false };
        assert_eq!(vouched(&sign_in(), &trusted, proxy, &headers(&["ada"])), Vouched::Person(ada));
        assert_eq!(vouched(&sign_in(), &trusted, stranger, &headers(&["ada"])), Vouched::Forged);
        assert_eq!(vouched(&sign_in(), &trusted, stranger, &headers(&[])), Vouched::Nobody);
        let Vouched::Person(olga) = vouched(&sign_in(), &trusted, proxy, &headers(&["olga"])) else { panic!() };
        assert!(olga.admin, "named by --admin");
    }

    #[test]
    fn a_trusted_proxy_that_names_no_one_clearly_names_no_one() {
        let trusted = TrustedProxies(vec!["127.0.0.1/32".parse().unwrap()]);
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let long = "a".repeat(LONGEST_NAME + 1);
        for values in [vec![""], vec!["  "], vec!["ada", "olga"], vec![long.as_str()]] {
            assert_eq!(vouched(&sign_in(), &trusted, proxy, &headers(&values)), Vouched::Nobody, "{values:?}");
        }
    }
}
