//! Where a server-side fetch may go. The sandbox fetches references and calls webhooks at addresses its callers
//! name: exposed on a network, it must not become their way into the machine's own services or its private network.
//! Only public addresses are reached, unless a host was allowed by name, or the sandbox itself listens on loopback
//! (then loopback is its own world, as in the demo and the tests). The check runs on every address a name resolves
//! to, at connection time (so a DNS answer that changes between a check and the connection can't slip through), and
//! redirects are never followed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether `ip` is an address on the public internet: not loopback, private, link-local, shared (CGNAT),
/// documentation, multicast, unspecified or reserved; an IPv4 address written in IPv6 is judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(mapped) => is_public_v4(mapped),
            None => is_public_v6(ip),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        // 0.0.0.0/8 "this network", 100.64.0.0/10 shared address space, 192.0.0.0/24 protocol assignments,
        // 198.18.0.0/15 benchmarking, 240.0.0.0/4 reserved.
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // fc00::/7 unique local, fe80::/10 link-local, 2001:db8::/32 documentation, 64:ff9b::/96 and ::ffff:0:0/96
        // translation (an IPv4 address in disguise), 2002::/16 6to4 (likewise).
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || (first == 0x0064 && ip.segments()[1] == 0xff9b)
        || first == 0x2002
        || ip.to_ipv4().is_some())
}

/// Where a server listening at `local` reaches itself: on every interface, by loopback (of the same family).
pub fn own_address(local: SocketAddr) -> SocketAddr {
    match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from((Ipv4Addr::LOCALHOST, local.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::from((Ipv6Addr::LOCALHOST, local.port())),
        _ => local,
    }
}

/// The sandbox's rule for where it may fetch from.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    /// Loopback addresses may be reached (the sandbox listens on loopback itself).
    pub loopback: bool,
    /// Hosts allowed by name, at whatever address they resolve to.
    pub allowed_hosts: Vec<String>,
    /// The serving process's own address (see [`own_address`]), for a sandbox mounted beside its proxy: it calls
    /// the proxy back there (webhooks, uploaded references) whatever address the server listens on. Only that
    /// address and port, so a server exposed on a network opens no other loopback service to its callers.
    pub own: Option<SocketAddr>,
}

impl Reach {
    /// Where a sandbox listening at `local` may fetch from: public addresses, `allowed_hosts`, and loopback when it
    /// listens there itself.
    pub fn listening_at(local: SocketAddr, allowed_hosts: Vec<String>) -> Reach {
        Reach { loopback: local.ip().is_loopback(), allowed_hosts, own: None }
    }

    /// Whether a connection to `ip`, named `host`, is allowed.
    pub fn allows(&self, host: &str, ip: IpAddr) -> bool {
        is_public(ip) || (self.loopback && is_loopback(ip)) || self.allows_host(host)
    }

    fn is_own(&self, ip: IpAddr, port: Option<u16>) -> bool {
        port.is_some_and(|port| self.own == Some(SocketAddr::new(ip, port)))
    }

    fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.allowed_hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(host))
    }

    /// Whether `url` may be fetched, as far as can be told before resolving its name: its scheme is http(s), and an
    /// address written in it is allowed. A name is checked by [`Resolver`] when the connection is made.
    pub fn allows_url(&self, url: &reqwest::Url) -> bool {
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        // An address written in the URL is connected to as it is, without the resolver: judged here, port and all.
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
            Some(url::Host::Domain(_)) => return true,
            None => return false,
        };
        self.allows(&ip.to_string(), ip) || self.is_own(ip, url.port_or_known_default())
    }

    /// The resolved addresses of `host` that may be reached.
    pub fn filter(&self, host: &str, resolved: impl IntoIterator<Item = SocketAddr>) -> Vec<SocketAddr> {
        resolved.into_iter().filter(|address| self.allows(host, address.ip())).collect()
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => ip.is_loopback(),
        IpAddr::V6(ip) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|mapped| mapped.is_loopback()),
    }
}

/// Resolves names for the sandbox's client and keeps only the addresses its [`Reach`] allows: a name that resolves
/// to nothing allowed fails to connect, whatever it resolved to the moment before.
#[derive(Debug, Clone)]
pub struct Resolver {
    reach: Arc<Reach>,
}

impl Resolver {
    pub fn new(reach: Reach) -> Resolver {
        Resolver { reach: Arc::new(reach) }
    }
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let reach = Arc::clone(&self.reach);
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let allowed = reach.filter(&host, resolved);
            if allowed.is_empty() {
                return Err(format!("{host} resolves to no address this server may reach").into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "192.0.0.8",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "2001:db8::1",
            // IPv4 in IPv6 clothing: mapped, compatible, NAT64, 6to4.
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:c0a8:101::1",
        ] {
            assert!(!is_public(ip(private)), "{private} is not public");
        }
        for public in ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(ip(public)), "{public} is public");
        }
    }

    #[test]
    fn loopback_is_reached_only_when_the_sandbox_listens_there() {
        let exposed = Reach::default();
        let local = Reach { loopback: true, ..Reach::default() };
        for loopback in ["127.0.0.1", "127.5.5.5", "::1", "::ffff:127.0.0.1"] {
            assert!(!exposed.allows("localhost", ip(loopback)), "{loopback}");
            assert!(local.allows("localhost", ip(loopback)), "{loopback}");
        }
        // Listening on loopback opens loopback only, never the private network.
        for private in ["10.0.0.1", "192.168.0.10", "169.254.169.254", "::ffff:10.0.0.1"] {
            assert!(!local.allows("intranet", ip(private)), "{private}");
        }
    }

    #[test]
    fn a_server_on_every_interface_reaches_itself_by_loopback_and_nothing_else_there() {
        let v4 = own_address("0.0.0.0:9000".parse().unwrap());
        let v6 = own_address("[::]:9000".parse().unwrap());
        assert_eq!((v4.to_string(), v6.to_string()), ("127.0.0.1:9000".to_owned(), "[::1]:9000".to_owned()));
        assert_eq!(own_address("192.168.1.20:9000".parse().unwrap()).to_string(), "192.168.1.20:9000");
        for own in [v4, v6] {
            let reach = Reach { own: Some(own), ..Reach::default() };
            let at = |path: &str| format!("http://{own}{path}").parse::<reqwest::Url>().unwrap();
            assert!(reach.allows_url(&at("/api/webhooks/token")), "{own}");
            // Another port on loopback, or another loopback address, stays out of reach; so does its name.
            let other_port = SocketAddr::new(own.ip(), 6379);
            assert!(!reach.allows_url(&format!("http://{other_port}/").parse().unwrap()), "{other_port}");
            assert!(!reach.allows_url(&"http://127.0.0.2:9000/".parse().unwrap()));
            assert!(!reach.allows("localhost", own.ip()));
        }
    }

    #[test]
    fn a_host_allowed_by_name_is_reached_wherever_it_resolves() {
        let reach = Reach { allowed_hosts: vec!["voices.internal".into(), "10.0.0.7".into()], ..Reach::default() };
        assert!(reach.allows("voices.internal", ip("10.0.0.5")));
        assert!(reach.allows("VOICES.internal", ip("10.0.0.5")));
        assert!(!reach.allows("other.internal", ip("10.0.0.5")));
        assert!(reach.allows_url(&"http://10.0.0.7/ref.wav".parse().unwrap()));
        assert!(!reach.allows_url(&"http://10.0.0.8/ref.wav".parse().unwrap()));
    }

    #[test]
    fn urls_with_an_address_are_judged_before_any_connection() {
        let reach = Reach::default();
        for refused in [
            "http://127.0.0.1:6379/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::ffff:a00:1]/x.wav",
            "http://0.0.0.0:22/",
            "ftp://8.8.8.8/x.wav",
            "file:///etc/passwd",
        ] {
            assert!(!reach.allows_url(&refused.parse().unwrap()), "{refused}");
        }
        assert!(reach.allows_url(&"https://8.8.8.8/x.wav".parse().unwrap()));
        // A name is judged by the resolver, at connection time.
        assert!(reach.allows_url(&"https://cdn.example/x.wav".parse().unwrap()));
    }

    #[test]
    fn a_dns_answer_that_rebinds_keeps_only_what_may_be_reached() {
        let reach = Reach::default();
        let answer =
            |addresses: &[&str]| addresses.iter().map(|address| SocketAddr::new(ip(address), 443)).collect::<Vec<_>>();
        // The first answer was public; the one at connection time points inside: nothing is left to connect to.
        assert_eq!(reach.filter("rebind.example", answer(&["127.0.0.1", "10.0.0.1", "::1"])), vec![]);
        // Mixed answers keep their public part only.
        assert_eq!(
            reach.filter("mixed.example", answer(&["192.168.1.1", "93.184.216.34"])),
            answer(&["93.184.216.34"])
        );
    }

    #[tokio::test]
    async fn the_resolver_refuses_a_name_that_resolves_only_to_loopback() {
        // "localhost" resolves (from /etc/hosts) to loopback without any traffic leaving the machine.
        let refused = Resolver::new(Reach::default()).resolve("localhost".parse::<Name>().unwrap()).await;
        assert!(refused.is_err());
        let allowed = Resolver::new(Reach { loopback: true, ..Reach::default() })
            .resolve("localhost".parse::<Name>().unwrap())
            .await
            .expect("loopback is allowed when listening on loopback");
        assert!(allowed.into_iter().all(|address| address.ip().is_loopback()));
    }
}
