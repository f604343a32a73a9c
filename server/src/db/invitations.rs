//! Rating invitations as stored (`invitations`, one per service record) and their links
//! (`invitation_links`, the SHA-256 of each token, never the token). Issuing a link and
//! checking one are [`crate::services::invitations`]'.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::invitations::{Invitation, InvitationChannel};

use crate::db::batch::Batch;
use crate::db::parse_stored;
use crate::time::{from_db, to_db};

#[derive(sqlx::FromRow)]
pub(crate) struct InvitationRow {
    pub(crate) id: i64,
    pub(crate) service_record_id: i64,
    pub(crate) customer_id: i64,
    channel: Option<String>,
    pub(crate) expires_at: String,
    created_at: String,
    sent_at: Option<String>,
    opened_at: Option<String>,
    rated_at: Option<String>,
    pub(crate) revoked_at: Option<String>,
    opted_out_at: Option<String>,
    /// The newest link's.
    link_issued_at: String,
    links_issued: i64,
}

fn optional(text: Option<&str>) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    text.map(from_db).transpose()
}

impl InvitationRow {
    pub(crate) fn into_invitation(self) -> Result<Invitation, sqlx::Error> {
        Ok(Invitation {
            service_record_id: self.service_record_id,
            customer_id: self.customer_id,
            channel: self
                .channel
                .as_deref()
                .map(|c| parse_stored(c, InvitationChannel::parse))
                .transpose()?,
            created_at: from_db(&self.created_at)?,
            link_issued_at: from_db(&self.link_issued_at)?,
            links_issued: u32::try_from(self.links_issued).unwrap_or(u32::MAX),
            sent_at: optional(self.sent_at.as_deref())?,
            opened_at: optional(self.opened_at.as_deref())?,
            rated_at: optional(self.rated_at.as_deref())?,
            revoked_at: optional(self.revoked_at.as_deref())?,
            opted_out_at: optional(self.opted_out_at.as_deref())?,
            expires_at: from_db(&self.expires_at)?,
        })
    }
}

const INVITATION_SELECT: &str = "SELECT i.id, i.service_record_id, i.customer_id, i.channel,
        i.expires_at, i.created_at, i.sent_at, i.opened_at, i.rated_at, i.revoked_at,
        i.opted_out_at,
        COALESCE((SELECT MAX(l.issued_at) FROM invitation_links l
                  WHERE l.invitation_id = i.id), i.created_at) AS link_issued_at,
        (SELECT COUNT(*) FROM invitation_links l WHERE l.invitation_id = i.id) AS links_issued
     FROM invitations i";

/// The invitation of the record `record_id`, if it was invited.
pub(crate) async fn of_record(
    conn: &mut Conn,
    record_id: i64,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    sql::query_as(&format!(
        "{INVITATION_SELECT} WHERE i.service_record_id = ?"
    ))
    .bind(record_id)
    .fetch_optional(conn)
    .await
}

/// Creates the invitation of the record `record_id` to its customer, whose links work until
/// `expires_at`; its id. A second one for the same record is a UNIQUE violation.
pub(crate) async fn insert(
    conn: &mut Conn,
    record_id: i64,
    customer_id: i64,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO invitations (service_record_id, customer_id, expires_at, created_at)
         VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(record_id)
    .bind(customer_id)
    .bind(to_db(expires_at))
    .bind(to_db(now))
    .fetch_one(conn)
    .await
}

/// Adds a link (the SHA-256 of its token) to the invitation `invitation_id`; with
/// `replace_earlier` its earlier links stop working, and a revoked invitation works again
/// through the new link.
pub(crate) async fn add_link(
    conn: &mut Conn,
    invitation_id: i64,
    token_hash: &str,
    replace_earlier: bool,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    if replace_earlier {
        sql::query(
            "UPDATE invitation_links SET superseded_at = ?
             WHERE invitation_id = ? AND superseded_at IS NULL",
        )
        .bind(to_db(now))
        .bind(invitation_id)
        .execute(&mut *conn)
        .await?;
        sql::query("UPDATE invitations SET revoked_at = NULL WHERE id = ?")
            .bind(invitation_id)
            .execute(&mut *conn)
            .await?;
    }
    sql::query(
        "INSERT INTO invitation_links (invitation_id, token_hash, issued_at) VALUES (?, ?, ?)",
    )
    .bind(invitation_id)
    .bind(token_hash)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// A link found by its token's hash, with what decides whether it works.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct LinkRow {
    pub(crate) invitation_id: i64,
    pub(crate) service_record_id: i64,
    pub(crate) customer_id: i64,
    /// The record's customer now (the invitation's, unless the record was moved).
    pub(crate) record_customer_id: i64,
    pub(crate) expires_at: String,
    pub(crate) revoked_at: Option<String>,
    pub(crate) superseded_at: Option<String>,
    /// The record's evaluation's, once rated.
    pub(crate) submitted_at: Option<String>,
}

/// The link whose token hashes to `token_hash`, if one was issued.
pub(crate) async fn link_by_hash(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<LinkRow>, sqlx::Error> {
    sql::query_as(
        "SELECT i.id AS invitation_id, i.service_record_id, i.customer_id,
                r.customer_id AS record_customer_id, i.expires_at, i.revoked_at,
                l.superseded_at, e.submitted_at
         FROM invitation_links l
         JOIN invitations i ON i.id = l.invitation_id
         JOIN service_records r ON r.id = i.service_record_id
         LEFT JOIN evaluations e ON e.service_record_id = i.service_record_id
         WHERE l.token_hash = ?",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

/// Records that a link of the invitation was opened, the first time only.
pub(crate) async fn mark_opened(
    conn: &mut Conn,
    invitation_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE invitations SET opened_at = ? WHERE id = ? AND opened_at IS NULL")
        .bind(to_db(now))
        .bind(invitation_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds to a submission's batch: the invitation of the record `record_id`, if any, is rated
/// at `now` (whether the customer came through its link or signed in).
pub(crate) fn push_rated(batch: &mut Batch, record_id: i64, now: DateTime<Utc>) {
    let q = batch.statement();
    q.push("UPDATE invitations SET rated_at = ")
        .push_bind(to_db(now))
        .push(" WHERE service_record_id = ")
        .push_bind(record_id)
        .push(" AND rated_at IS NULL");
}

/// Records that the invitation went out through `channel` (the sending side calls this).
pub(crate) async fn mark_sent(
    conn: &mut Conn,
    invitation_id: i64,
    channel: InvitationChannel,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE invitations SET channel = ?, sent_at = COALESCE(sent_at, ?) WHERE id = ?")
        .bind(channel.as_str())
        .bind(to_db(now))
        .bind(invitation_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Revokes the invitation `invitation_id` at `now` (kept when it was revoked already): none
/// of its links works any more.
pub(crate) async fn revoke(
    conn: &mut Conn,
    invitation_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE invitations SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
        .bind(to_db(now))
        .bind(invitation_id)
        .execute(conn)
        .await?;
    Ok(())
}
