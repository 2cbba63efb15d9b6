//! Which names this server answers to. A page on any site can make a browser send requests to `127.0.0.1` by giving
//! its own domain that address (DNS rebinding): the requests then carry that domain as their Host, and would spend
//! the key of a proxy on the person's laptop. So a request must name this server: an address it listens on (an
//! address can't be rebound), a `localhost` name, the `--public-url` host, or a host given with `--allow-host`;
//! anything else is answered 421.

use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone)]
pub struct AllowedHosts {
    bound: IpAddr,
    names: Vec<String>,
}

/// The host of a Host header or a URL's authority, without its port or brackets, lower-cased.
pub fn host_of(authority: &str) -> String {
    let host = match authority.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None if authority.matches(':').count() == 1 => authority.split(':').next().unwrap_or_default(),
        None => authority,
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether a page's `Origin` is the site the request was sent to (its `Host`).
pub fn origin_is_host(origin: &str, host: &str) -> bool {
    origin.split_once("://").map(|(_, authority)| authority) == Some(host)
}

impl AllowedHosts {
    /// Names this server answers to, listening at `bound`: `public_url`'s host and `extra` hosts too.
    pub fn new(bound: SocketAddr, public_url: Option<&str>, extra: &[String]) -> AllowedHosts {
        let public = public_url
            .and_then(|url| url.split_once("://"))
            .map(|(_, rest)| host_of(rest.split('/').next().unwrap_or_default()));
        let names = public.into_iter().chain(extra.iter().map(|host| host_of(host))).collect();
        AllowedHosts { bound: bound.ip(), names }
    }

    pub fn allows(&self, host_header: &str) -> bool {
        let host = host_of(host_header);
        match host.parse::<IpAddr>() {
            // Listening everywhere, it answers at each of the machine's addresses.
            Ok(ip) => self.bound.is_unspecified() || ip == self.bound,
            Err(_) => host == "localhost" || host.ends_with(".localhost") || self.names.contains(&host),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_answers_to_its_own_names_only() {
        let local = AllowedHosts::new("127.0.0.1:8080".parse().unwrap(), None, &[]);
        for allowed in ["127.0.0.1:8080", "127.0.0.1", "localhost:8080", "LOCALHOST", "studio.localhost:8080"] {
            assert!(local.allows(allowed), "{allowed}");
        }
        for refused in
            ["attacker.example", "attacker.example:8080", "127.0.0.1.nip.io:8080", "10.0.0.5:8080", "[::1]:8080", ""]
        {
            assert!(!local.allows(refused), "{refused}");
        }
    }

    #[test]
    fn the_public_url_and_allowed_hosts_are_its_names_too() {
        let deployed = AllowedHosts::new(
            "0.0.0.0:8080".parse().unwrap(),
            Some("https://studio.example.com/studio"),
            &["intranet.example:8443".into()],
        );
        for allowed in [
            "studio.example.com",
            "Studio.Example.com:443",
            "intranet.example",
            "192.168.1.20:8080",
            "[2001:db8::5]:8080",
        ] {
            assert!(deployed.allows(allowed), "{allowed}");
        }
        assert!(!deployed.allows("evil.example.com"));
        assert!(!deployed.allows("example.com"));
    }
}
