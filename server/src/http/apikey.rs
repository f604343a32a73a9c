//! API keys: how the company's helpdesk authenticates to the ingestion endpoint
//! (`Authorization: Bearer <key>`), instead of a session. A key is 256 random bits,
//! `pj_` + base64url; the server stores its SHA-256 and its first characters only.

use crate::db::sql;
use crate::db::sql::Pool;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};

use crate::error::AppError;
use crate::http::session::token_hash;
use crate::time::to_db;

/// What every key starts with.
pub const KEY_PREFIX: &str = "pj_";
/// How many leading characters of a key are kept to recognise it.
pub const VISIBLE_CHARS: usize = 10;

/// A new secret key.
pub fn generate() -> String {
    format!(
        "{KEY_PREFIX}{}",
        URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
    )
}

/// The part of a key that is stored and shown.
pub fn visible_prefix(key: &str) -> String {
    key.chars().take(VISIBLE_CHARS).collect()
}

/// The key of an `Authorization: Bearer <key>` header, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = value.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty()).then_some(key)
}

/// The client of a request authenticated by an API key, resolved by
/// [`crate::http::authz::authorize`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiClient {
    /// The key's id.
    pub key_id: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for ApiClient {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<ApiClient>()
            .copied()
            .ok_or_else(|| AppError::Unauthorized("Send an API key".to_owned()))
    }
}

/// The client a key belongs to at `now`: `None` when the key is unknown or revoked. Using a
/// key records when it was last used.
pub async fn resolve(
    pool: &Pool,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<ApiClient>, sqlx::Error> {
    let id: Option<i64> = sql::query_scalar(
        "UPDATE api_keys SET last_used_at = ? WHERE key_hash = ? AND revoked_at IS NULL
         RETURNING id",
    )
    .bind(to_db(now))
    .bind(token_hash(key))
    .fetch_optional(pool)
    .await?;
    Ok(id.map(|key_id| ApiClient { key_id }))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn keys_are_long_random_and_recognisable() {
        let key = generate();
        assert!(key.starts_with(KEY_PREFIX));
        assert_eq!(key.len(), 3 + 43);
        assert_ne!(key, generate());
        assert_eq!(visible_prefix(&key).len(), VISIBLE_CHARS);
    }

    #[test]
    fn bearer_keys_are_read_from_the_authorization_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer pj_abc"),
        );
        assert_eq!(bearer(&headers), Some("pj_abc"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer  pj_x "),
        );
        assert_eq!(bearer(&headers), Some("pj_x"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic YTpi"),
        );
        assert_eq!(bearer(&headers), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer(&headers), None);
    }
}
