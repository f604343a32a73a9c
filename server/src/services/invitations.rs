//! Rating invitations and their links: issuing a link for a record ([`issue`], which the
//! sending side and the admins' resend call) and checking a link a request carries
//! ([`resolve`]).
//!
//! A token is 32 bytes from the operating system's random source, base64url (43 characters):
//! the link `/r/{token}`. Only its SHA-256 is stored; [`LinkToken`] never prints it. A link
//! grants its record and that record's evaluation, nothing else: the link's handlers
//! (`api::rating_links`) act for the record's customer on that record only, and no session
//! is made.

use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::evaluations::{RatingState, rate_until, rating_state};
use pingjia_domain::invitations::{
    InvitationChannel, LINK_EXPIRED, LINK_REVOKED, LINK_UNKNOWN, TOKEN_BYTES, is_link_token,
    link_open, link_path,
};
use rand::TryRngCore;
use rand::rngs::OsRng;

use axum::http::StatusCode;

use crate::db::evaluations::record_row;
use crate::db::invitations;
use crate::error::{AppError, Coded};
use crate::http::session::token_hash;
use crate::time::from_db;

/// A link's token in the clear: what goes into the message, once. Its `Debug` hides it, so
/// that it cannot reach a log line by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkToken(String);

impl LinkToken {
    /// A fresh token from the operating system's random source.
    pub fn generate() -> Result<LinkToken, AppError> {
        use base64::Engine;
        let mut bytes = [0u8; TOKEN_BYTES];
        OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| AppError::Internal(format!("the OS random source failed: {e}")))?;
        Ok(LinkToken(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        ))
    }

    /// The token, to put in the message.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The app's path of the link: `/r/{token}`.
    pub fn path(&self) -> String {
        link_path(&self.0)
    }

    /// What is stored of it.
    pub fn hash(&self) -> String {
        token_hash(&self.0)
    }
}

impl std::fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkToken(…)")
    }
}

/// What becomes of the links issued before a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Earlier {
    /// They keep working (a reminder: the first message's link still opens the form). A
    /// revoked invitation gets no new link this way.
    Keep,
    /// They stop working, and a revoked invitation works again through the new link (an
    /// admin's resend).
    Replace,
}

/// A link just issued.
#[derive(Debug)]
pub struct Issued {
    pub invitation_id: i64,
    pub token: LinkToken,
    /// Whether this made the invitation (the record's first link).
    pub created: bool,
}

/// Issues a link for the record `record_id` at `now`, in the caller's transaction (one that
/// writes, `db::begin_write`): the record's invitation is made on its first link, to the
/// record's customer, expiring when its rating window closes (`rating_window_days` from the
/// service's end). Answers the clear token, which is not kept: put it in the message.
///
/// 404 when the record does not exist; 409 when it cannot be rated now (`already_rated`,
/// `service_not_ended`, `rating_window_closed`), and `invitation_revoked` for a
/// [`Earlier::Keep`] link of a revoked invitation.
pub async fn issue(
    tx: &mut Conn,
    record_id: i64,
    now: DateTime<Utc>,
    rating_window_days: u32,
    earlier: Earlier,
) -> Result<Issued, AppError> {
    let token = LinkToken::generate()?;
    let record = record_row(&mut *tx, record_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The service record {record_id}")))?;
    let ended_at = from_db(&record.ended_at)?;
    match rating_state(ended_at, record.number.is_some(), now, rating_window_days) {
        RatingState::Awaiting => {}
        RatingState::Rated => {
            return Err(Coded::conflict(
                "already_rated",
                "This service has already been rated: there is nothing to invite to",
            )
            .reference(record.number.unwrap_or_default())
            .into());
        }
        RatingState::NotEnded => {
            return Err(Coded::conflict(
                "service_not_ended",
                "This service has not ended yet: it cannot be rated yet",
            )
            .into());
        }
        RatingState::Expired => {
            return Err(Coded::conflict(
                "rating_window_closed",
                "The rating window of this service has closed",
            )
            .into());
        }
    }
    let (invitation_id, created) = match invitations::of_record(&mut *tx, record_id).await? {
        Some(existing) => {
            if existing.revoked_at.is_some() && earlier == Earlier::Keep {
                return Err(Coded::conflict(
                    "invitation_revoked",
                    "This record's invitation was revoked; resend it to issue a new link",
                )
                .into());
            }
            (existing.id, false)
        }
        None => {
            let expires_at = rate_until(ended_at, rating_window_days);
            let id = invitations::insert(&mut *tx, record_id, record.customer_id, expires_at, now)
                .await?;
            (id, true)
        }
    };
    invitations::add_link(
        &mut *tx,
        invitation_id,
        &token.hash(),
        earlier == Earlier::Replace,
        now,
    )
    .await?;
    Ok(Issued {
        invitation_id,
        token,
        created,
    })
}

/// Records that the invitation `invitation_id` went out through `channel` at `now` (the
/// sending side calls this once the message left; the first sending time is kept).
pub async fn mark_sent(
    conn: &mut Conn,
    invitation_id: i64,
    channel: InvitationChannel,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    Ok(invitations::mark_sent(conn, invitation_id, channel, now).await?)
}

/// What a working link grants: one record of one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub invitation_id: i64,
    pub record_id: i64,
    /// The record's customer, for whom the link's holder acts.
    pub customer_id: i64,
}

/// The grant of the link carrying `token` at `now`: 404 `link_unknown` for a token nobody
/// issued (or not shaped like one), 410 `link_revoked` for a revoked invitation or a link a
/// newer one replaced, 410 `link_expired` once the rating window has closed (and, for a rated
/// record, its appeal window too).
pub async fn resolve(
    conn: &mut Conn,
    token: &str,
    now: DateTime<Utc>,
    appeal_window_hours: u32,
) -> Result<Grant, AppError> {
    let unknown = || {
        AppError::from(Coded::new(
            StatusCode::NOT_FOUND,
            LINK_UNKNOWN,
            "This rating link is not known; check that it was copied whole, or sign in",
        ))
    };
    if !is_link_token(token) {
        return Err(unknown());
    }
    let link = invitations::link_by_hash(conn, &token_hash(token))
        .await?
        .ok_or_else(unknown)?;
    if link.revoked_at.is_some()
        || link.superseded_at.is_some()
        || link.record_customer_id != link.customer_id
    {
        return Err(Coded::new(
            StatusCode::GONE,
            LINK_REVOKED,
            "This rating link has been withdrawn; sign in to rate the service",
        )
        .into());
    }
    let expires_at = from_db(&link.expires_at)?;
    let submitted_at = link.submitted_at.as_deref().map(from_db).transpose()?;
    if !link_open(expires_at, submitted_at, appeal_window_hours, now) {
        return Err(Coded::new(
            StatusCode::GONE,
            LINK_EXPIRED,
            "This rating link has expired: the time to rate this service is over",
        )
        .into());
    }
    Ok(Grant {
        invitation_id: link.invitation_id,
        record_id: link.service_record_id,
        customer_id: link.customer_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_random_bits_in_base64url_and_never_printed() {
        let a = LinkToken::generate().unwrap();
        let b = LinkToken::generate().unwrap();
        assert_ne!(a, b);
        assert!(is_link_token(a.as_str()), "{}", a.as_str());
        assert_eq!(a.path(), format!("/r/{}", a.as_str()));
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.as_str());
        assert!(!format!("{a:?}").contains(a.as_str()));
    }
}
