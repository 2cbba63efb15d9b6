//! What keeps a page left open on the internet from draining the wallet: a per-client rate limit on submissions
//! (governor) and an optional daily cap on submissions sent upstream.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::error::ProxyError;

const DAY: u64 = 24 * 60 * 60;

pub struct Limits {
    per_client: DefaultKeyedRateLimiter<IpAddr>,
    daily_cap: Option<u32>,
    /// The UTC day number and how many submissions were sent upstream on it.
    today: Mutex<(u64, u32)>,
}

/// A place reserved under the daily cap; given back unless kept (the gateway may have accepted the submission).
#[must_use]
pub struct Reservation {
    limits: Arc<Limits>,
    day: u64,
    kept: bool,
}

impl Reservation {
    /// The gateway accepted it: it counts.
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if !self.kept {
            let mut today = self.limits.today.lock().expect("cap lock");
            if today.0 == self.day {
                today.1 = today.1.saturating_sub(1);
            }
        }
    }
}

impl Limits {
    /// `per_minute` submissions a minute per client address, in bursts of up to that many; `daily_cap` in all.
    pub fn new(per_minute: NonZeroU32, daily_cap: Option<u32>) -> Limits {
        Limits { per_client: RateLimiter::keyed(Quota::per_minute(per_minute)), daily_cap, today: Mutex::new((0, 0)) }
    }

    /// Admits one submission from `client`, or says how long to wait.
    pub fn admit(self: &Arc<Self>, client: IpAddr) -> Result<Reservation, ProxyError> {
        // Addresses that have not called for a while are forgotten, so the map does not grow without end.
        if self.per_client.len() > 10_000 {
            self.per_client.retain_recent();
        }
        self.per_client
            .check_key(&client)
            .map_err(|not_until| ProxyError::RateLimited(not_until.wait_time_from(DefaultClock::default().now())))?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let day = now / DAY;
        let mut today = self.today.lock().expect("cap lock");
        if today.0 != day {
            *today = (day, 0);
        }
        if self.daily_cap.is_some_and(|cap| today.1 >= cap) {
            return Err(ProxyError::DailyCap(Duration::from_secs((day + 1) * DAY - now)));
        }
        today.1 += 1;
        Ok(Reservation { limits: Arc::clone(self), day, kept: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn the_cap_counts_only_kept_submissions() {
        let limits = Arc::new(Limits::new(NonZeroU32::new(100).unwrap(), Some(2)));
        limits.admit(CLIENT).unwrap().keep();
        drop(limits.admit(CLIENT).unwrap()); // refused upstream: given back
        limits.admit(CLIENT).unwrap().keep();
        let Err(ProxyError::DailyCap(wait)) = limits.admit(CLIENT) else { panic!("the cap holds") };
        assert!(wait <= Duration::from_secs(DAY) && wait > Duration::ZERO, "{wait:?}");
    }

    #[test]
    fn each_client_has_its_own_rate() {
        let limits = Arc::new(Limits::new(NonZeroU32::new(2).unwrap(), None));
        let other = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));
        limits.admit(CLIENT).unwrap().keep();
        limits.admit(CLIENT).unwrap().keep();
        let Err(ProxyError::RateLimited(wait)) = limits.admit(CLIENT) else { panic!("the rate holds") };
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(30), "{wait:?}");
        limits.admit(other).unwrap().keep();
    }
}
