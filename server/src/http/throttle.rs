//! Login throttling, so that guessing is slow and nobody can keep another person out:
//!
//! * After [`MAX_FAILURES_PER_LOGIN_AND_ADDRESS`] failed logins for one login from one address
//!   within [`WINDOW`] (since that address's last success with it), that address is refused for
//!   that login, right password or not, until enough failures have left the window. Another
//!   address is not: five wrong passwords from an attacker do not lock the admin out.
//! * After [`MAX_FAILURES_PER_IP`] failed logins from one address within [`WINDOW`], whatever
//!   the logins, the address is refused.
//! * After [`SLOW_AFTER`] failed logins for one login from any addresses within [`WINDOW`] (since
//!   its last success), every attempt for it is heard only after a delay that doubles with each
//!   further failure, up to [`MAX_DELAY_SECONDS`]: guessing from many addresses is slowed down,
//!   and the owner, from their own address, still gets in.
//!
//! Known and unknown logins are counted alike, so neither answer tells whether an account
//! exists.

use crate::db::sql;
use std::net::IpAddr;

use crate::db::sql::Pool;
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::auth::{LoginKind, normalize_login};

use crate::time::{from_db, to_db};

/// How far back failures count.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failed logins for one login from one address within the window before that address is
/// refused for that login.
pub const MAX_FAILURES_PER_LOGIN_AND_ADDRESS: i64 = 5;
/// Failed logins from one address within the window before it is refused.
pub const MAX_FAILURES_PER_IP: i64 = 20;
/// Failed logins for one login, from all addresses, within the window before its attempts are
/// slowed down.
pub const SLOW_AFTER: i64 = 5;
/// The longest an attempt is held back.
pub const MAX_DELAY_SECONDS: u64 = 30;
/// Attempts are kept this long.
const KEEP: Duration = Duration::days(1);

/// The key attempts are counted under: the kind and the normalised login, e.g. `staff:E1001`.
pub fn login_key(kind: LoginKind, login: &str) -> String {
    let kind = match kind {
        LoginKind::Customer => "customer",
        LoginKind::Staff => "staff",
    };
    format!("{kind}:{}", normalize_login(login))
}

/// Seconds an attempt is held back after `failures` failed logins for its login (all
/// addresses): none below [`SLOW_AFTER`], then 1, 2, 4, … up to [`MAX_DELAY_SECONDS`].
pub fn delay_seconds(failures: i64) -> u64 {
    if failures < SLOW_AFTER {
        return 0;
    }
    let doublings = (failures - SLOW_AFTER).min(16) as u32;
    (1u64 << doublings).min(MAX_DELAY_SECONDS)
}

/// What becomes of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Refused: it may be made again in this many seconds.
    Refused { retry_after: u64 },
    /// Heard, after this many seconds.
    Heard { delay_seconds: u64 },
}

/// Whether an attempt for `key` from `ip` is heard now, later, or refused.
pub async fn verdict(
    pool: &Pool,
    key: &str,
    ip: IpAddr,
    now: DateTime<Utc>,
) -> Result<Verdict, sqlx::Error> {
    let since = to_db(now - WINDOW);
    let ip = ip.to_string();
    // The failures that count for the login from this address: in the window and after the
    // last success of the login from it.
    let by_pair: Vec<String> = sql::query_scalar(
        "SELECT at FROM login_attempts
         WHERE login_key = ? AND ip = ? AND succeeded = FALSE AND at > ?
           AND id > COALESCE(
               (SELECT MAX(id) FROM login_attempts
                WHERE login_key = ? AND ip = ? AND succeeded = TRUE), 0)
         ORDER BY at DESC LIMIT ?",
    )
    .bind(key)
    .bind(&ip)
    .bind(&since)
    .bind(key)
    .bind(&ip)
    .bind(MAX_FAILURES_PER_LOGIN_AND_ADDRESS)
    .fetch_all(pool)
    .await?;
    let by_ip: Vec<String> = sql::query_scalar(
        "SELECT at FROM login_attempts
         WHERE ip = ? AND succeeded = FALSE AND at > ?
         ORDER BY at DESC LIMIT ?",
    )
    .bind(&ip)
    .bind(&since)
    .bind(MAX_FAILURES_PER_IP)
    .fetch_all(pool)
    .await?;
    let mut wait = None;
    for (failures, max) in [
        (by_pair, MAX_FAILURES_PER_LOGIN_AND_ADDRESS),
        (by_ip, MAX_FAILURES_PER_IP),
    ] {
        if failures.len() as i64 >= max {
            // The oldest of the last `max` failures: once it leaves the window, one more
            // attempt is heard.
            let oldest = from_db(failures.last().expect("max is positive"))?;
            let seconds = (oldest + WINDOW - now).num_seconds().max(1) as u64;
            wait = Some(wait.map_or(seconds, |w: u64| w.max(seconds)));
        }
    }
    if let Some(retry_after) = wait {
        return Ok(Verdict::Refused { retry_after });
    }
    // The failures for the login from everywhere, since its last success.
    let by_login: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM login_attempts
         WHERE login_key = ? AND succeeded = FALSE AND at > ?
           AND id > COALESCE(
               (SELECT MAX(id) FROM login_attempts WHERE login_key = ? AND succeeded = TRUE), 0)",
    )
    .bind(key)
    .bind(&since)
    .bind(key)
    .fetch_one(pool)
    .await?;
    Ok(Verdict::Heard {
        delay_seconds: delay_seconds(by_login),
    })
}

/// Records an attempt, and forgets attempts older than a day.
pub async fn note(
    pool: &Pool,
    key: &str,
    ip: IpAddr,
    now: DateTime<Utc>,
    succeeded: bool,
) -> Result<(), sqlx::Error> {
    sql::query("INSERT INTO login_attempts (login_key, ip, at, succeeded) VALUES (?, ?, ?, ?)")
        .bind(key)
        .bind(ip.to_string())
        .bind(to_db(now))
        .bind(succeeded)
        .execute(pool)
        .await?;
    sql::query("DELETE FROM login_attempts WHERE at < ?")
        .bind(to_db(now - KEEP))
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_from_the_fifth_failure_up_to_half_a_minute() {
        let delays: Vec<u64> = (0..12).map(delay_seconds).collect();
        assert_eq!(delays, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 30, 30]);
        assert_eq!(delay_seconds(i64::MAX), MAX_DELAY_SECONDS);
    }

    #[test]
    fn keys_name_the_kind_and_the_normalised_login() {
        assert_eq!(login_key(LoginKind::Staff, " e1001 "), "staff:E1001");
        assert_eq!(
            login_key(LoginKind::Customer, "138 0000 0001"),
            "customer:13800000001"
        );
        assert_ne!(
            login_key(LoginKind::Staff, "M000001"),
            login_key(LoginKind::Customer, "M000001")
        );
    }
}
