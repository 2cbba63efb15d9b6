//! `--access header`: a reverse proxy in front (oauth2-proxy, Authelia, nginx's `auth_request`) signs people in and
//! names them in a header (`Remote-User` unless told). The header is believed only from a `--trusted-proxy`: the
//! socket's own peer, never an address a forwarding header claims. From anyone else, a request that brings one is
//! refused, as a forgery.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderName};

use super::LONGEST_NAME;
use crate::net::client::TrustedProxies;

/// What a request says of who it is from.
#[derive(Debug, PartialEq, Eq)]
pub enum Vouched {
    /// The person the trusted proxy named.
    Name(String),
    /// No one: the header is absent, or the trusted proxy sent something that names no one.
    Nobody,
    /// The header came from a peer that is not a trusted proxy.
    Forged,
}

/// Who the request from `peer` is from, as its identity `header` says.
pub fn vouched(header: &HeaderName, trusted: &TrustedProxies, peer: IpAddr, headers: &HeaderMap) -> Vouched {
    let values: Vec<_> = headers.get_all(header).iter().collect();
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
        Some(name) => Vouched::Name(name.to_owned()),
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

    fn remote_user() -> HeaderName {
        HeaderName::from_static("remote-user")
    }

    #[test]
    fn the_header_is_believed_from_a_trusted_proxy_only() {
        let trusted = TrustedProxies(vec!["127.0.0.1/32".parse().unwrap()]);
        let (proxy, stranger): (IpAddr, IpAddr) = ("127.0.0.1".parse().unwrap(), "10.1.2.3".parse().unwrap());
        assert_eq!(vouched(&remote_user(), &trusted, proxy, &headers(&[" ada "])), Vouched::Name("ada".into()));
        assert_eq!(vouched(&remote_user(), &trusted, stranger, &headers(&["ada"])), Vouched::Forged);
        assert_eq!(vouched(&remote_user(), &trusted, stranger, &headers(&[])), Vouched::Nobody);
    }

    #[test]
    fn a_trusted_proxy_that_names_no_one_clearly_names_no_one() {
        let trusted = TrustedProxies(vec!["127.0.0.1/32".parse().unwrap()]);
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let long = "a".repeat(LONGEST_NAME + 1);
        for values in [vec![""], vec!["  "], vec!["ada", "olga"], vec![long.as_str()]] {
            assert_eq!(vouched(&remote_user(), &trusted, proxy, &headers(&values)), Vouched::Nobody, "{values:?}");
        }
    }
}
