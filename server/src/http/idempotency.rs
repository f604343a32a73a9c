//! Creating requests made safe to retry with an `Idempotency-Key` header, for any route.
//!
//! A handler takes the [`IdempotencyKey`] (missing or malformed: a 400 problem with the code
//! `idempotency_key_required` or `idempotency_key_invalid`) and the body as [`HashedJson`],
//! then answers through [`idempotent`], which calls [`Idempotency::begin`]:
//!
//! * the same user sent the same key with the same body (SHA-256 of the raw bytes) to the same
//!   route before, and it succeeded: [`Begin::Replay`], the stored status, `Location` and body
//!   exactly, with `Idempotent-Replayed: true`, even after a restart;
//! * the same key with another body or on another route: a 422 problem,
//!   `idempotency_key_reused`;
//! * the same user and key while the first request is still being handled: a 409 problem,
//!   `idempotency_in_flight`, with `Retry-After: 1` (an in-memory marker, [`InFlight`]);
//! * otherwise [`Begin::Proceed`]: the handler does its work and, in the same transaction,
//!   stores its answer ([`Idempotency::finish`]), so the answer and what it created exist
//!   together or not at all.
//!
//! Errors are never stored: a request that failed may be retried with the same key. Keys are
//! kept [`KEEP_HOURS`] hours: older rows are ignored, and deleted when an answer is stored (at
//! most once a minute).
//!
//! ```text
//! idempotent(&state, caller.id, &key, ROUTE, &body.hash, async |idempotency| {
//!     let mut tx = db::begin_write(&state.pool).await?;
//!     // ... the change ...
//!     let body = to_json("evaluation", &created)?;
//!     idempotency.finish(tx, StatusCode::CREATED, Some(&location), body, now).await
//! })
//! .await
//! ```

use crate::db::sql;
use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::db::sql::{Conn, Tx};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::evaluations::{IDEMPOTENCY_KEY_HEADER, is_valid_idempotency_key};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::db::is_unique_violation;
use crate::error::{AppError, Coded};
use crate::http::extract::json_object;
use crate::http::state::AppState;
use crate::time::to_db;

/// The header a replayed answer carries.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// How long a key is remembered.
pub const KEEP_HOURS: i64 = 24;

/// Seconds a client should wait before retrying while the first request is in flight.
const IN_FLIGHT_RETRY_AFTER: u64 = 1;

/// The `Idempotency-Key` header of a request: 8 to 128 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let Some(value) = parts.headers.get(IDEMPOTENCY_KEY_HEADER) else {
            return Err(Coded::bad_request(
                "idempotency_key_required",
                format!(
                    "Send an `{IDEMPOTENCY_KEY_HEADER}` header (a random UUID, kept for the \
                     retries of this request)"
                ),
            )
            .into());
        };
        match value.to_str() {
            Ok(key) if is_valid_idempotency_key(key) => Ok(IdempotencyKey(key.to_owned())),
            _ => Err(Coded::bad_request(
                "idempotency_key_invalid",
                format!(
                    "The `{IDEMPOTENCY_KEY_HEADER}` header must be 8 to 128 visible ASCII \
                     characters"
                ),
            )
            .into()),
        }
    }
}

/// A JSON body, parsed as [`crate::http::extract::Json`] parses it (same problems for a malformed
/// body, a wrong shape or a missing `Content-Type`), with the SHA-256 of its raw bytes.
#[derive(Debug, Clone)]
pub struct HashedJson<T> {
    pub value: T,
    /// SHA-256 of the body as sent, lowercase hex.
    pub hash: String,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for HashedJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let (parts, body) = request.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| AppError::Rejected {
                status: e.status(),
                detail: e.body_text(),
            })?;
        let hash = sha256_hex(&bytes);
        let value = json_object(parts, bytes, state).await?;
        Ok(HashedJson { value, hash })
    }
}

/// SHA-256, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The (user, key) pairs whose first request is being handled now, in this process, and when
/// the forgotten keys were last deleted. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct InFlight(Arc<Mutex<HashSet<(i64, String)>>>, Arc<AtomicI64>);

impl InFlight {
    /// Marks `(user_id, key)` as in flight until the guard is dropped; `None` when it already
    /// is.
    pub fn claim(&self, user_id: i64, key: &str) -> Option<InFlightGuard> {
        let entry = (user_id, key.to_owned());
        let inserted = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(entry.clone());
        inserted.then(|| InFlightGuard {
            set: self.clone(),
            entry,
        })
    }

    /// Whether `(user_id, key)` is in flight.
    pub fn contains(&self, user_id: i64, key: &str) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&(user_id, key.to_owned()))
    }
}

/// Removes its (user, key) pair from [`InFlight`] when dropped: when the handler returns,
/// fails or panics.
#[derive(Debug)]
pub struct InFlightGuard {
    set: InFlight,
    entry: (i64, String),
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.set
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.entry);
    }
}

/// What [`Idempotency::begin`] found.
#[derive(Debug)]
pub enum Begin {
    /// The first answer, to send again.
    Replay(Response),
    /// A new request: handle it, then [`Idempotency::finish`] it with the answer.
    Proceed(Idempotency),
}

/// A request being handled under its idempotency key, marked in flight until dropped.
#[derive(Debug)]
pub struct Idempotency {
    user_id: i64,
    key: String,
    route: &'static str,
    request_hash: String,
    _in_flight: InFlightGuard,
}

#[derive(sqlx::FromRow)]
struct StoredRow {
    route: String,
    request_hash: String,
    status: i64,
    location: Option<String>,
    response: String,
}

impl Idempotency {
    /// Looks the key up for `user_id` on `route` (e.g. `POST /api/v1/evaluations`), the body
    /// hashing to `request_hash`: a replay, a new request, or one of the problems of the
    /// module's description.
    pub async fn begin(
        state: &AppState,
        user_id: i64,
        key: &IdempotencyKey,
        route: &'static str,
        request_hash: &str,
    ) -> Result<Begin, AppError> {
        let key = &key.0;
        let Some(guard) = state.in_flight.claim(user_id, key) else {
            return Err(in_flight());
        };
        // Claimed first, so no other request of this instance with this key can store an
        // answer meanwhile (another instance's can: see `idempotent`).
        match stored_answer(state, user_id, key, route, request_hash).await? {
            Some(response) => Ok(Begin::Replay(response)),
            None => Ok(Begin::Proceed(Idempotency {
                user_id,
                key: key.clone(),
                route,
                request_hash: request_hash.to_owned(),
                _in_flight: guard,
            })),
        }
    }

    /// Stores the answer of a successful request, through `conn`: the transaction of what it
    /// created. Forgets the keys older than [`KEEP_HOURS`] on the way. `body` is the JSON sent.
    async fn store(
        &self,
        conn: &mut Conn,
        status: StatusCode,
        location: Option<&str>,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        // At most once a minute (by the clock of `now`): a statement less in most
        // transactions, and forgotten rows are ignored until they go.
        let pruned = &self._in_flight.set.1;
        let minute = now.timestamp().div_euclid(60);
        if pruned.swap(minute, Ordering::Relaxed) != minute {
            sql::query("DELETE FROM idempotency_keys WHERE created_at < ?")
                .bind(to_db(cutoff(now)))
                .execute(&mut *conn)
                .await?;
        }
        sql::query(
            "INSERT INTO idempotency_keys
                 (user_id, key, route, request_hash, status, location, response, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(self.user_id)
        .bind(&self.key)
        .bind(self.route)
        .bind(&self.request_hash)
        .bind(i64::from(status.as_u16()))
        .bind(location)
        .bind(body)
        .bind(to_db(now))
        .execute(&mut *conn)
        .await
        .map_err(|e| {
            // Only another process sharing the database gets here: this one holds the marker.
            if is_unique_violation(&e) {
                in_flight()
            } else {
                AppError::from(e)
            }
        })?;
        Ok(())
    }
}

impl Idempotency {
    /// Adds to `batch` (run in the transaction of what the request created) the storing of
    /// its answer, as [`Idempotency::finish`] stores it; the caller then commits and answers
    /// with [`stored_response`], holding this value (the key's in-flight marker) until then.
    pub fn push_store(
        &self,
        batch: &mut crate::db::batch::Batch,
        status: StatusCode,
        location: Option<&str>,
        body: &str,
        now: DateTime<Utc>,
    ) {
        let pruned = &self._in_flight.set.1;
        let minute = now.timestamp().div_euclid(60);
        if pruned.swap(minute, Ordering::Relaxed) != minute {
            batch
                .statement()
                .push("DELETE FROM idempotency_keys WHERE created_at < ")
                .push_bind(to_db(cutoff(now)));
        }
        let q = batch.statement();
        q.push(
            "INSERT INTO idempotency_keys
                 (user_id, key, route, request_hash, status, location, response, created_at) ",
        );
        q.push_values(std::iter::once(self), |mut row, this| {
            row.push_bind(this.user_id)
                .push_bind(this.key.clone())
                .push_bind(this.route)
                .push_bind(this.request_hash.clone())
                .push_bind(i64::from(status.as_u16()))
                .push_bind(location.map(str::to_owned))
                .push_bind(body.to_owned())
                .push_bind(to_db(now));
        });
    }

    /// Stores the answer of a successful request in `tx` (the transaction of what it created),
    /// commits it, and answers it: the first answer is the bytes its replays will be.
    pub async fn finish(
        self,
        mut tx: Tx,
        status: StatusCode,
        location: Option<&str>,
        body: String,
        now: DateTime<Utc>,
    ) -> Result<Response, AppError> {
        self.store(&mut tx, status, location, &body, now).await?;
        tx.commit().await?;
        Ok(stored_response(status, location, body))
    }
}

/// An idempotent creating handler: looks `key` up for `user_id` on `route` with the body
/// hashing to `request_hash` (see [`Idempotency::begin`]); a replay is answered as stored,
/// otherwise `handle` does the work and ends with [`Idempotency::finish`].
pub async fn idempotent<F>(
    state: &AppState,
    user_id: i64,
    key: &IdempotencyKey,
    route: &'static str,
    request_hash: &str,
    handle: F,
) -> Result<Response, AppError>
where
    F: AsyncFnOnce(Idempotency) -> Result<Response, AppError>,
{
    match Idempotency::begin(state, user_id, key, route, request_hash).await? {
        Begin::Replay(response) => Ok(response),
        Begin::Proceed(idempotency) => match handle(idempotency).await {
            // The same request sent to another instance of the server on the same database
            // (a client's retry through the load balancer) may have been handled meanwhile:
            // this one then failed on what that one created (a conflict, a unique key), and
            // its answer is the first one.
            Err(e) if matches!(e.status(), StatusCode::CONFLICT) || is_database(&e) => {
                match stored_answer(state, user_id, &key.0, route, request_hash).await {
                    Ok(Some(first)) => Ok(first),
                    _ => Err(e),
                }
            }
            answered => answered,
        },
    }
}

fn is_database(e: &AppError) -> bool {
    matches!(e, AppError::Database(_))
}

/// The answer stored for `key` of `user_id`, as its replay; 422 `idempotency_key_reused` when
/// it answered another route or body.
async fn stored_answer(
    state: &AppState,
    user_id: i64,
    key: &str,
    route: &'static str,
    request_hash: &str,
) -> Result<Option<Response>, AppError> {
    let stored: Option<StoredRow> = sql::query_as(
        "SELECT route, request_hash, status, location, response FROM idempotency_keys
         WHERE user_id = ? AND key = ? AND created_at >= ?",
    )
    .bind(user_id)
    .bind(key)
    .bind(to_db(cutoff(state.clock.now())))
    .fetch_optional(&state.pool)
    .await?;
    let Some(stored) = stored else {
        return Ok(None);
    };
    if stored.route != route || stored.request_hash != request_hash {
        return Err(Coded::unprocessable(
            "idempotency_key_reused",
            format!(
                "This `{IDEMPOTENCY_KEY_HEADER}` was already used for another request; \
                 send a new key with a new request"
            ),
        )
        .into());
    }
    let status = u16::try_from(stored.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .ok_or_else(|| AppError::Internal(format!("stored status {}", stored.status)))?;
    let mut response = stored_response(status, stored.location.as_deref(), stored.response);
    response
        .headers_mut()
        .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    Ok(Some(response))
}

/// The oldest creation time of a key still remembered at `now`.
fn cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::hours(KEEP_HOURS)
}

pub(crate) fn in_flight() -> AppError {
    Coded::conflict(
        "idempotency_in_flight",
        "A request with this key is still being handled; try again in a moment",
    )
    .retry_after(IN_FLIGHT_RETRY_AFTER)
    .into()
}

/// A JSON answer as stored: the first answer and its replays are the same bytes.
pub fn stored_response(status: StatusCode, location: Option<&str>, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_flight_markers_last_as_long_as_their_guard() {
        let set = InFlight::default();
        let guard = set.claim(1, "key-00000001").unwrap();
        assert!(set.contains(1, "key-00000001"));
        assert!(set.claim(1, "key-00000001").is_none());
        let other_user = set.claim(2, "key-00000001").unwrap();
        drop(guard);
        assert!(!set.contains(1, "key-00000001"));
        assert!(set.contains(2, "key-00000001"));
        drop(other_user);
        assert!(set.claim(1, "key-00000001").is_some());
    }

    #[test]
    fn a_panic_releases_the_marker() {
        let set = InFlight::default();
        let inner = set.clone();
        let result = std::panic::catch_unwind(move || {
            let _guard = inner.claim(1, "key-00000001").unwrap();
            panic!("the handler failed");
        });
        assert!(result.is_err());
        assert!(!set.contains(1, "key-00000001"));
    }

    #[test]
    fn bodies_hash_to_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
