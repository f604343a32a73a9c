//! Sessions: an opaque random token in an HttpOnly, SameSite=Strict cookie, stored on the
//! server only as its SHA-256. A session ends after [`IDLE_TIMEOUT`] without use, after
//! [`ABSOLUTE_LIFETIME`] whatever the activity, or when it is revoked (logout, password change
//! or reset, the user disabled).

use crate::db::sql;
use std::net::IpAddr;

use crate::db::sql::{On, Pool};
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use cookie::{Cookie, SameSite};
use pingjia_domain::wire::Role;
use sha2::{Digest, Sha256};

use crate::db::parse_stored;
use crate::http::identity::CurrentUser;
use crate::time::{from_db, to_db};

/// The cookie holding the session token.
pub const COOKIE: &str = "pingjia_session";
/// A session unused this long has ended.
pub const IDLE_TIMEOUT: Duration = Duration::hours(2);
/// A session ends this long after the login, however active.
pub const ABSOLUTE_LIFETIME: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, so reads do not all turn into writes.
pub const TOUCH_INTERVAL: Duration = Duration::minutes(1);
/// Longest `User-Agent` kept with a session.
const MAX_USER_AGENT_LEN: usize = 256;

/// A session token as the client holds it: 256 random bits, base64url without padding.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

impl Token {
    /// A fresh token from the thread's CSPRNG (ChaCha seeded by the operating system).
    pub fn generate() -> Token {
        Token(URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database stores: the SHA-256 of the token, lowercase hex.
    pub fn hash(&self) -> String {
        token_hash(&self.0)
    }
}

/// The SHA-256 of a secret (a session token, an API key), lowercase hex: what is stored.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The session token a request's `Cookie` headers carry, if any.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == COOKIE && !cookie.value().is_empty())
        .map(|cookie| cookie.value().to_owned())
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, Path=/, Secure when served over
/// HTTPS, kept by the browser no longer than the session's absolute lifetime.
pub fn set_cookie(token: &Token, secure: bool) -> HeaderValue {
    let cookie = Cookie::build((COOKIE, token.as_str()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(
            ABSOLUTE_LIFETIME.num_seconds(),
        ))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("base64url is a valid header value")
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let cookie = Cookie::build((COOKIE, ""))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(secure)
        .removal()
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("a removal cookie is a valid header value")
}

/// A session just created.
#[derive(Debug)]
pub struct NewSession {
    pub id: i64,
    pub token: Token,
    pub expires_at: DateTime<Utc>,
}

/// Starts a session for `user_id` at `now`.
pub async fn create<'e, E>(
    executor: E,
    user_id: i64,
    now: DateTime<Utc>,
    ip: IpAddr,
    user_agent: Option<&str>,
) -> Result<NewSession, sqlx::Error>
where
    E: Into<On<'e>>,
{
    let token = Token::generate();
    // Whole seconds, as stored, so the login's answer and later `me` answers agree.
    let expires_at = now.trunc_subsecs(0) + ABSOLUTE_LIFETIME;
    let user_agent = user_agent.map(|ua| ua.chars().take(MAX_USER_AGENT_LEN).collect::<String>());
    let id = sql::query_scalar(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(token.hash())
    .bind(user_id)
    .bind(to_db(now))
    .bind(to_db(now))
    .bind(to_db(expires_at))
    .bind(ip.to_string())
    .bind(user_agent)
    .fetch_one(executor)
    .await?;
    Ok(NewSession {
        id,
        token,
        expires_at,
    })
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: i64,
    last_seen_at: String,
    expires_at: String,
    user_id: i64,
    role: String,
    team_id: Option<i64>,
}

/// The signed-in user of a token at `now`: `None` when the session is unknown, revoked,
/// idle for [`IDLE_TIMEOUT`], past its absolute expiry, or its user is disabled. Using a
/// session keeps it alive (`last_seen_at`, written at most every [`TOUCH_INTERVAL`]).
pub async fn resolve(
    pool: &Pool,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row: Option<SessionRow> = sql::query_as(
        "SELECT s.id AS session_id, s.last_seen_at, s.expires_at, u.id AS user_id, u.role, u.team_id
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?
           AND s.last_seen_at > ? AND u.disabled = FALSE",
    )
    .bind(token_hash(token))
    .bind(to_db(now))
    .bind(to_db(now - IDLE_TIMEOUT))
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if from_db(&row.last_seen_at)? <= now - TOUCH_INTERVAL {
        sql::query("UPDATE sessions SET last_seen_at = ? WHERE id = ?")
            .bind(to_db(now))
            .bind(row.session_id)
            .execute(pool)
            .await?;
    }
    Ok(Some(CurrentUser {
        id: row.user_id,
        role: parse_stored(&row.role, Role::parse)?,
        team_id: row.team_id,
        session_id: row.session_id,
        session_expires_at: from_db(&row.expires_at)?,
    }))
}

/// Ends one session.
pub async fn revoke<'e, E>(
    executor: E,
    session_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error>
where
    E: Into<On<'e>>,
{
    sql::query("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(to_db(now))
        .bind(session_id)
        .execute(executor)
        .await?;
    Ok(())
}

/// Ends the session a token belongs to, if it is still open (a login replacing the one the
/// browser had).
pub async fn revoke_token<'e, E>(
    executor: E,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error>
where
    E: Into<On<'e>>,
{
    sql::query("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL")
        .bind(to_db(now))
        .bind(token_hash(token))
        .execute(executor)
        .await?;
    Ok(())
}

/// Ends every open session of a user but `keep` (the one making the request, when the user
/// changes their own password); answers how many ended.
pub async fn revoke_all<'e, E>(
    executor: E,
    user_id: i64,
    keep: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error>
where
    E: Into<On<'e>>,
{
    let done = sql::query(
        "UPDATE sessions SET revoked_at = ?
         WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND id IS DISTINCT FROM ?",
    )
    .bind(to_db(now))
    .bind(user_id)
    .bind(to_db(now))
    .bind(keep)
    .execute(executor)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes sessions that ended more than a week before `now`; they serve no purpose then.
pub async fn prune(pool: &Pool, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let cutoff = to_db(now - Duration::days(7));
    sql::query("DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?")
        .bind(&cutoff)
        .bind(&cutoff)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_base64url_and_stored_as_sha256_hex() {
        let token = Token::generate();
        assert_eq!(token.as_str().len(), 43);
        assert_eq!(URL_SAFE_NO_PAD.decode(token.as_str()).unwrap().len(), 32);
        assert_ne!(token, Token::generate());
        let hash = token.hash();
        assert_eq!(hash.len(), 64);
        assert!(
            hash.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(format!("{token:?}"), "Token(..)");
    }

    #[test]
    fn cookies_are_http_only_strict_and_secure_behind_https() {
        let token = Token::generate();
        let plain = set_cookie(&token, false);
        let plain = plain.to_str().unwrap();
        assert!(plain.starts_with(&format!("pingjia_session={}", token.as_str())));
        for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(plain.contains(part), "{plain}");
        }
        assert!(!plain.contains("Secure"));
        assert!(
            set_cookie(&token, true)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
        let cleared = clear_cookie(false);
        let cleared = cleared.to_str().unwrap();
        assert!(cleared.starts_with("pingjia_session=;"));
        assert!(cleared.contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        assert_eq!(token_from(&headers), None);
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; lang=zh"),
        );
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; pingjia_session=tok_en-1; b=2"),
        );
        assert_eq!(token_from(&headers).as_deref(), Some("tok_en-1"));
        let mut empty = HeaderMap::new();
        empty.insert(header::COOKIE, HeaderValue::from_static("pingjia_session="));
        assert_eq!(token_from(&empty), None);
    }
}
