//! Login throttling: after [`MAX_FAILURES_PER_LOGIN`] failed logins for one login within
//! [`WINDOW`] (since its last success), or [`MAX_FAILURES_PER_IP`] failed logins from one
//! address within [`WINDOW`], further attempts are refused, right password or not, until
//! enough failures have left the window. Known and unknown logins are counted alike, so the
//! refusal does not tell whether an account exists.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use pingjia_domain::auth::{LoginKind, normalize_login};
use sqlx::SqlitePool;

use crate::time::{from_db, to_db};

/// How far back failures count.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failed logins for one login within the window before it is refused.
pub const MAX_FAILURES_PER_LOGIN: i64 = 5;
/// Failed logins from one address within the window before it is refused.
pub const MAX_FAILURES_PER_IP: i64 = 20;
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

/// Seconds until an attempt for `key` from `ip` would be heard, or `None` when it may be made
/// now.
pub async fn retry_after(
    pool: &SqlitePool,
    key: &str,
    ip: IpAddr,
    now: DateTime<Utc>,
) -> Result<Option<u64>, sqlx::Error> {
    let since = to_db(now - WINDOW);
    // The failures that count for the login: in the window and after its last success.
    let by_login: Vec<String> = sqlx::query_scalar(
        "SELECT at FROM login_attempts
         WHERE login_key = ? AND succeeded = 0 AND at > ?
           AND id > COALESCE(
               (SELECT MAX(id) FROM login_attempts WHERE login_key = ? AND succeeded = 1), 0)
         ORDER BY at DESC LIMIT ?",
    )
    .bind(key)
    .bind(&since)
    .bind(key)
    .bind(MAX_FAILURES_PER_LOGIN)
    .fetch_all(pool)
    .await?;
    let by_ip: Vec<String> = sqlx::query_scalar(
        "SELECT at FROM login_attempts
         WHERE ip = ? AND succeeded = 0 AND at > ?
         ORDER BY at DESC LIMIT ?",
    )
    .bind(ip.to_string())
    .bind(&since)
    .bind(MAX_FAILURES_PER_IP)
    .fetch_all(pool)
    .await?;
    let mut wait = None;
    for (failures, max) in [
        (by_login, MAX_FAILURES_PER_LOGIN),
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
    Ok(wait)
}

/// Records an attempt, and forgets attempts older than a day.
pub async fn note(
    pool: &SqlitePool,
    key: &str,
    ip: IpAddr,
    now: DateTime<Utc>,
    succeeded: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_attempts (login_key, ip, at, succeeded) VALUES (?, ?, ?, ?)")
        .bind(key)
        .bind(ip.to_string())
        .bind(to_db(now))
        .bind(succeeded)
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM login_attempts WHERE at < ?")
        .bind(to_db(now - KEEP))
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
