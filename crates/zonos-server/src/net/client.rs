//! Who is calling, for the rate limits: the socket's peer, unless that peer is a reverse proxy this server was told
//! to trust (`--trusted-proxy CIDR`); then the address that proxy saw, read from `X-Forwarded-For` (or `Forwarded`)
//! from the right, skipping the trusted proxies in front, so that a client can't choose its own address by writing
//! the header. IPv6 clients are counted per /64: one subscriber's network holds a whole /64.

use std::net::{IpAddr, Ipv6Addr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The reverse proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&canonical(ip)))
    }

    /// The client's address: `peer`, or, if `peer` is trusted, the rightmost untrusted address its forwarding
    /// headers name (all of them trusted: the leftmost).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let forwarded = forwarded_for(headers);
        let mut client = peer;
        for address in forwarded.into_iter().rev() {
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        client
    }
}

/// An IPv4 address written in IPv6 is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The addresses a chain of proxies recorded, oldest first: `Forwarded: for=` if given, else `X-Forwarded-For`.
/// An entry that is not an address (`unknown`, an obfuscated name) ends the chain there.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| headers.get_all(name).iter().filter_map(|value| value.to_str().ok()).collect::<Vec<_>>();
    let forwarded = values("forwarded");
    let entries: Vec<String> = if forwarded.is_empty() {
        values("x-forwarded-for")
            .iter()
            .flat_map(|value| value.split(','))
            .map(|entry| entry.trim().to_owned())
            .collect()
    } else {
        forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.trim().split_once('=')?;
                    key.eq_ignore_ascii_case("for").then(|| value.trim_matches('"').to_owned())
                })
            })
            .collect()
    };
    let parsed: Vec<Option<IpAddr>> = entries.iter().map(|entry| parse_address(entry)).collect();
    // Only the well-formed tail can be trusted: what comes before a malformed entry is the client's own writing.
    let tail = parsed.iter().rposition(Option::is_none).map_or(0, |bad| bad + 1);
    parsed[tail..].iter().map(|address| canonical(address.expect("well-formed"))).collect()
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:5678`.
fn parse_address(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    if let Some(rest) = entry.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    entry.rsplit_once(':').and_then(|(ip, port)| port.parse::<u16>().ok().and(ip.parse().ok()))
}

/// The key a client's limits are counted under: its IPv4 address, or its IPv6 /64.
pub fn limit_key(client: IpAddr) -> String {
    match canonical(client) {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => {
            let [a, b, c, d, ..] = ip.segments();
            format!("{}/64", Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
        }
        map
    }

    fn trusted(nets: &[&str]) -> TrustedProxies {
        TrustedProxies(nets.iter().map(|net| net.parse().unwrap()).collect())
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_writes() {
        let forged = headers(&[("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.9")]);
        assert_eq!(TrustedProxies::default().client(ip("198.51.100.7"), &forged), ip("198.51.100.7"));
        assert_eq!(trusted(&["10.0.0.0/8"]).client(ip("198.51.100.7"), &forged), ip("198.51.100.7"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_address_is_the_client() {
        let proxies = trusted(&["127.0.0.1/32", "10.0.0.0/8"]);
        // The client wrote a first entry itself; nginx appended what it saw; an inner proxy appended its own.
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.2")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &chain), ip("198.51.100.7"));
        let standard =
            headers(&[("forwarded", r#"for=6.6.6.6, for="[2001:db8:1::5]:4711";proto=https, for=10.0.0.2"#)]);
        assert_eq!(proxies.client(ip("::ffff:127.0.0.1"), &standard), ip("2001:db8:1::5"));
        // Nothing forwarded: the proxy itself is all there is to count.
        assert_eq!(proxies.client(ip("10.0.0.3"), &HeaderMap::new()), ip("10.0.0.3"));
        // A malformed entry ends what can be believed.
        let garbled = headers(&[("x-forwarded-for", "198.51.100.7, not-an-address, 10.0.0.2")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &garbled), ip("10.0.0.2"));
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), limit_key(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(limit_key(ip("2001:db8:1:2::1")), limit_key(ip("2001:db8:1:3::1")));
        assert_eq!(limit_key(ip("::ffff:198.51.100.7")), "198.51.100.7");
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
    }
}
