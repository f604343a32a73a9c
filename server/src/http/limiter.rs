//! Rating links' look-ups, limited per address, so that nobody can try tokens at speed (a
//! token has 256 random bits, so guessing is hopeless anyway; this keeps it cheap) or flood
//! the link's endpoints:
//!
//! * After [`MAX_FAILURES`] look-ups of links that do not work (unknown, expired, revoked)
//!   from one address within [`WINDOW`], that address is refused any link until the oldest of
//!   them leaves the window.
//! * After [`MAX_LOOKUPS`] look-ups of any link from one address within [`WINDOW`], the same.
//!
//! The same limiter with other [`Limits`] counts the one-time sign-in codes' requests and
//! wrong codes per address (`services::sign_in_codes`).
//!
//! Refused requests answer 429 `link_rate_limited` with `Retry-After`. Measured by the app's
//! clock. On SQLite (one instance has the file) the counts live in memory: a restart forgets
//! them, which only gives an attacker one more window. On PostgreSQL the instances sharing the
//! database count together: each look-up is a row of `address_lookups` (`db::leases`), those
//! older than the window deleted at most once a minute.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::db::leases;
use crate::db::sql::{Dialect, Pool};
use crate::error::AppError;

/// How far back look-ups count.
pub const WINDOW: Duration = Duration::minutes(15);
/// Look-ups of links that do not work from one address within the window before it is refused.
pub const MAX_FAILURES: usize = 10;
/// Look-ups of any link from one address within the window before it is refused (a customer
/// rating and appealing through a link makes a handful).
pub const MAX_LOOKUPS: usize = 120;
/// Addresses remembered at most; beyond, the quiet ones are forgotten first.
const MAX_ADDRESSES: usize = 100_000;

#[derive(Debug, Default)]
struct Seen {
    /// When, and whether the link failed, oldest first, within the window.
    lookups: VecDeque<(DateTime<Utc>, bool)>,
}

impl Seen {
    fn forget_before(&mut self, since: DateTime<Utc>) {
        while self.lookups.front().is_some_and(|(at, _)| *at <= since) {
            self.lookups.pop_front();
        }
    }

    /// Seconds until one more look-up is heard, when it is not now.
    fn wait(&self, now: DateTime<Utc>, limits: &Limits) -> Option<u64> {
        let oldest_of = |count: usize, failed_only: bool| {
            self.lookups
                .iter()
                .rev()
                .filter(|(_, failed)| *failed || !failed_only)
                .nth(count - 1)
                .map(|(at, _)| *at)
        };
        [
            oldest_of(limits.max_failures, true),
            oldest_of(limits.max_lookups, false),
        ]
        .into_iter()
        .flatten()
        .map(|oldest| (oldest + limits.window - now).num_seconds().max(1) as u64)
        .max()
    }
}

/// The limits of a [`LinkLimiter`]: within `window`, at most `max_failures` failed look-ups
/// and `max_lookups` look-ups of any kind from one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub window: Duration,
    pub max_failures: usize,
    pub max_lookups: usize,
}

/// The rating links' limits.
pub const LINK_LIMITS: Limits = Limits {
    window: WINDOW,
    max_failures: MAX_FAILURES,
    max_lookups: MAX_LOOKUPS,
};

/// The look-ups of each address. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct LinkLimiter {
    /// Its name in `address_lookups`.
    name: &'static str,
    seen: Arc<Mutex<HashMap<IpAddr, Seen>>>,
    limits: Limits,
    /// The minute of the last deletion of old look-ups from the database.
    pruned: Arc<AtomicI64>,
}

impl Default for LinkLimiter {
    /// The rating links' limiter ([`LINK_LIMITS`]).
    fn default() -> Self {
        LinkLimiter::new("rating_links", LINK_LIMITS)
    }
}

impl LinkLimiter {
    /// A limiter named `name` with other `limits` (the one-time codes' requests, for instance).
    pub fn new(name: &'static str, limits: Limits) -> Self {
        LinkLimiter {
            name,
            seen: Arc::default(),
            limits,
            pruned: Arc::default(),
        }
    }

    /// Whether a look-up from `ip` is heard at `now`, counting the look-ups of every instance
    /// on `pool`'s database: `Err` with the seconds to wait when it is not.
    pub async fn allow(&self, pool: &Pool, ip: IpAddr, now: DateTime<Utc>) -> Result<(), Refused> {
        if pool.dialect() == Dialect::Sqlite {
            return self.check(ip, now).map_err(Refused::Wait);
        }
        let mut conn = pool.acquire().await?;
        let since = now - self.limits.window;
        let keep = self.limits.max_lookups.max(self.limits.max_failures);
        let mut newest_first =
            leases::lookups(&mut conn, self.name, &ip.to_string(), since, keep).await?;
        newest_first.reverse();
        let seen = Seen {
            lookups: newest_first.into(),
        };
        match seen.wait(now, &self.limits) {
            Some(seconds) => Err(Refused::Wait(seconds)),
            None => Ok(()),
        }
    }

    /// Counts a look-up from `ip` at `now`, `failed` when the link did not work, for every
    /// instance on `pool`'s database. A count the database failed to keep is logged (one
    /// look-up less counted), and what was looked up is answered.
    pub async fn count(&self, pool: &Pool, ip: IpAddr, now: DateTime<Utc>, failed: bool) {
        if pool.dialect() == Dialect::Sqlite {
            self.note(ip, now, failed);
            return;
        }
        let minute = now.timestamp().div_euclid(60);
        let prune = (self.pruned.swap(minute, Ordering::Relaxed) != minute)
            .then(|| now - self.limits.window);
        let counted = async {
            let mut conn = pool.acquire().await?;
            leases::note_lookup(&mut conn, self.name, &ip.to_string(), now, failed, prune).await
        }
        .await;
        if let Err(error) = counted {
            tracing::error!(limiter = self.name, %error, "counting a look-up");
        }
    }

    /// Whether a look-up from `ip` is heard at `now`, by this instance's counts: `Err(seconds)`
    /// to wait when it is not.
    pub fn check(&self, ip: IpAddr, now: DateTime<Utc>) -> Result<(), u64> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let Some(entry) = seen.get_mut(&ip) else {
            return Ok(());
        };
        entry.forget_before(now - self.limits.window);
        match entry.wait(now, &self.limits) {
            Some(seconds) => Err(seconds),
            None => Ok(()),
        }
    }

    /// Counts a look-up from `ip` at `now`, `failed` when the link did not work, in this
    /// instance.
    pub fn note(&self, ip: IpAddr, now: DateTime<Utc>, failed: bool) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= MAX_ADDRESSES && !seen.contains_key(&ip) {
            let since = now - self.limits.window;
            seen.retain(|_, s| {
                s.forget_before(since);
                !s.lookups.is_empty()
            });
        }
        let entry = seen.entry(ip).or_default();
        entry.forget_before(now - self.limits.window);
        entry.lookups.push_back((now, failed));
        // More than either limit is never needed to decide.
        while entry.lookups.len() > self.limits.max_lookups.max(self.limits.max_failures) {
            entry.lookups.pop_front();
        }
    }
}

/// Why [`LinkLimiter::allow`] refused.
#[derive(Debug)]
pub enum Refused {
    /// Too many look-ups: the seconds until one more is heard.
    Wait(u64),
    /// The database could not tell.
    Failed(AppError),
}

impl From<sqlx::Error> for Refused {
    fn from(error: sqlx::Error) -> Self {
        Refused::Failed(error.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        "2026-11-20T08:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn failed_lookups_refuse_their_address_until_the_oldest_leaves_the_window() {
        let limiter = LinkLimiter::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for i in 0..MAX_FAILURES {
            assert_eq!(limiter.check(a, at(i as i64)), Ok(()));
            limiter.note(a, at(i as i64), true);
        }
        assert_eq!(limiter.check(a, at(10)), Err(5 * 60));
        assert_eq!(limiter.check(b, at(10)), Ok(()), "another address is not");
        assert_eq!(
            limiter.check(a, at(15)),
            Ok(()),
            "the first one left the window"
        );
    }

    #[test]
    fn working_lookups_count_against_the_higher_limit() {
        let limiter = LinkLimiter::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..MAX_LOOKUPS - 1 {
            limiter.note(a, at(0), false);
        }
        assert_eq!(limiter.check(a, at(1)), Ok(()));
        limiter.note(a, at(1), false);
        assert_eq!(limiter.check(a, at(1)), Err(14 * 60));
    }
}
