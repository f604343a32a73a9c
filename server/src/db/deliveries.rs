//! The delivery queue as stored (`deliveries`): enqueuing, claiming due messages, recording
//! each attempt's outcome, what a restart finds half-sent, and the log.

use crate::db::sql;
use crate::db::sql::{Conn, Dialect};
use chrono::{DateTime, Utc};
use pingjia_domain::delivery::{
    DeliveryChannel, DeliveryEntry, DeliveryState, DeliverySubject, Purpose,
};
use pingjia_domain::invitations::InvitationState;

use crate::db::sending::state_sql;
use crate::error::AppError;
use crate::time::{from_db, to_db};

/// A message to store (see `services::delivery::enqueue`).
pub(crate) struct NewDelivery<'a> {
    pub(crate) message_id: &'a str,
    pub(crate) dedupe_key: &'a str,
    pub(crate) channel: DeliveryChannel,
    pub(crate) purpose: Purpose,
    pub(crate) subject: Option<(&'a str, i64)>,
    pub(crate) recipient: &'a str,
    pub(crate) content: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) due: DateTime<Utc>,
    pub(crate) now: DateTime<Utc>,
}

/// Stores `d` unless a delivery with its dedupe key exists: the new id, or `None`.
pub(crate) async fn insert(
    conn: &mut Conn,
    d: &NewDelivery<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO deliveries (message_id, dedupe_key, channel, purpose, subject_kind,
             subject_id, recipient, content, summary, status, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(d.message_id)
    .bind(d.dedupe_key)
    .bind(d.channel.as_str())
    .bind(d.purpose.as_str())
    .bind(d.subject.map(|s| s.0))
    .bind(d.subject.map(|s| s.1))
    .bind(d.recipient)
    .bind(d.content)
    .bind(d.summary)
    .bind(to_db(d.due))
    .bind(to_db(d.now))
    .fetch_optional(conn)
    .await
}

/// The id of the delivery with `dedupe_key`.
pub(crate) async fn id_of_key(
    conn: &mut Conn,
    dedupe_key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar("SELECT id FROM deliveries WHERE dedupe_key = ?")
        .bind(dedupe_key)
        .fetch_optional(conn)
        .await
}

/// A delivery taken by the worker to send.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Claimed {
    pub(crate) id: i64,
    pub(crate) message_id: String,
    pub(crate) channel: String,
    pub(crate) recipient: String,
    pub(crate) content: String,
    /// With this attempt.
    pub(crate) attempts: i64,
    pub(crate) purpose: String,
    pub(crate) subject_kind: Option<String>,
    pub(crate) subject_id: Option<i64>,
    /// A registered endpoint's delivery (an event), sent to that endpoint.
    pub(crate) endpoint_id: Option<i64>,
}

const CLAIMED: &str = "RETURNING id, message_id, channel, recipient, content, attempts, purpose, \
     subject_kind, subject_id, endpoint_id";

/// Whether the waiting delivery `d` may be sent now as far as its endpoint goes: not an
/// endpoint's, or its endpoint is enabled and no earlier delivery of it waits or is being sent
/// (an endpoint's events go one after the other, in order).
const ENDPOINT_READY: &str = "(d.endpoint_id IS NULL OR (
        EXISTS (SELECT 1 FROM webhook_endpoints w
                WHERE w.id = d.endpoint_id AND w.enabled = TRUE AND w.deleted_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM deliveries p
                        WHERE p.endpoint_id = d.endpoint_id AND p.id < d.id
                          AND p.status IN ('queued', 'retrying', 'sending'))))";

/// Marks the delivery `id` as one to the endpoint `endpoint_id`, of the event `event_id`.
pub(crate) async fn set_endpoint(
    conn: &mut Conn,
    id: i64,
    endpoint_id: i64,
    event_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE deliveries SET endpoint_id = ?, event_id = ? WHERE id = ?")
        .bind(endpoint_id)
        .bind(event_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes up to `limit` deliveries due at `now` (`sending`, one more attempt), oldest due
/// first: those of `channels` (set up), and the registered endpoints' that may go
/// ([`ENDPOINT_READY`]).
pub(crate) async fn claim_due(
    conn: &mut Conn,
    now: DateTime<Utc>,
    channels: &[DeliveryChannel],
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let names: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
    // On PostgreSQL, several instances claim at once: the rows another claim holds are
    // skipped, and a row another claim took meanwhile is left (the status, checked again on the
    // row as it now is). SQLite's single writer claims one at a time.
    let lock = match conn.dialect() {
        Dialect::Sqlite => "",
        Dialect::Postgres => " FOR UPDATE OF d SKIP LOCKED",
    };
    sql::query_as(&format!(
        "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = ?1
         WHERE id IN (SELECT id FROM deliveries d
                      WHERE status IN ('queued', 'retrying') AND next_attempt_at <= ?1
                        AND (d.endpoint_id IS NOT NULL
                             OR channel IN (SELECT value FROM json_each(?2)))
                        AND {ENDPOINT_READY}
                      ORDER BY next_attempt_at, id LIMIT ?3{lock})
           AND status IN ('queued', 'retrying')
         {CLAIMED}"
    ))
    .bind(to_db(now))
    .bind(serde_json::json!(names).to_string())
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Takes the delivery `id` if it waits (any time), for a test sent at once.
pub(crate) async fn claim_one(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Claimed>, sqlx::Error> {
    sql::query_as(&format!(
        "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = ?
         WHERE id = ? AND status IN ('queued', 'retrying') {CLAIMED}"
    ))
    .bind(to_db(now))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Tells why the due deliveries of `channel` wait (its settings are missing), without an
/// attempt.
pub(crate) async fn note_waiting(
    conn: &mut Conn,
    now: DateTime<Utc>,
    channel: DeliveryChannel,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE deliveries SET last_error = ?
         WHERE status IN ('queued', 'retrying') AND next_attempt_at <= ? AND channel = ?
           AND endpoint_id IS NULL AND last_error IS DISTINCT FROM ?",
    )
    .bind(reason)
    .bind(to_db(now))
    .bind(channel.as_str())
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// The attempt of `id` succeeded at `now`, the receiver answering `response`.
pub(crate) async fn record_sent(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
    response: &str,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE deliveries SET status = 'sent', sent_at = ?, claimed_at = NULL,
             next_attempt_at = NULL, last_error = NULL, response = ?
         WHERE id = ? AND status = 'sending'",
    )
    .bind(to_db(now))
    .bind(response)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The attempt of `id` failed with `error`: tried again at `next`, or given up (`None`).
pub(crate) async fn record_failure(
    conn: &mut Conn,
    id: i64,
    next: Option<DateTime<Utc>>,
    error: &str,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE deliveries SET status = ?, next_attempt_at = ?, claimed_at = NULL,
             last_error = ? WHERE id = ? AND status = 'sending'",
    )
    .bind(if next.is_some() { "retrying" } else { "failed" })
    .bind(next.map(to_db))
    .bind(error)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// What a forgotten message's content is (valid JSON, as the column requires).
pub(crate) const FORGOTTEN: &str = "null";

/// Forgets the message of every sign-in code's delivery that is done (sent, failed or given
/// up): its text holds the code, which is kept nowhere else in clear. The log keeps its summary,
/// which never had the code.
pub(crate) async fn forget_spent_codes(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    let done = sql::query(
        "UPDATE deliveries SET content = ?1 WHERE purpose = ?2
           AND status IN ('sent', 'failed') AND content <> ?1",
    )
    .bind(FORGOTTEN)
    .bind(pingjia_domain::delivery::Purpose::OneTimeCode.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Gives up `id` if it waits for a retry (a test is tried once), keeping its reason.
pub(crate) async fn give_up(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE deliveries SET status = 'failed', next_attempt_at = NULL
         WHERE id = ? AND status = 'retrying'",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// After a restart, the deliveries left `sending` since `taken_before` or earlier (the process
/// that took them stopped while handing them over; whether the receiver got them is unknown):
/// those of `resend` channels are due again at `now` (the receiver drops a repeat by its id),
/// the others failed with `reason` (an admin decides). How many of each.
pub(crate) async fn recover_interrupted(
    conn: &mut Conn,
    now: DateTime<Utc>,
    taken_before: DateTime<Utc>,
    resend: &[DeliveryChannel],
    resend_note: &str,
    reason: &str,
) -> Result<(u64, u64), sqlx::Error> {
    let names: Vec<&str> = resend.iter().map(|c| c.as_str()).collect();
    let names = serde_json::json!(names).to_string();
    let again = sql::query(
        "UPDATE deliveries SET status = 'retrying', next_attempt_at = ?, claimed_at = NULL,
             last_error = ?
         WHERE status = 'sending' AND claimed_at <= ?
           AND channel IN (SELECT value FROM json_each(?))",
    )
    .bind(to_db(now))
    .bind(resend_note)
    .bind(to_db(taken_before))
    .bind(&names)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let failed = sql::query(
        "UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, claimed_at = NULL,
             last_error = ? WHERE status = 'sending' AND claimed_at <= ?",
    )
    .bind(reason)
    .bind(to_db(taken_before))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok((again, failed))
}

/// When the next waiting delivery that may go is due (one behind an earlier delivery of its
/// endpoint, or of a disabled endpoint, waits for that).
pub(crate) async fn next_due(conn: &mut Conn) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar(&format!(
        "SELECT MIN(next_attempt_at) FROM deliveries d
         WHERE status IN ('queued', 'retrying') AND {ENDPOINT_READY}"
    ))
    .fetch_one(conn)
    .await
}

/// Makes `id` due again at `now` (a failed or waiting delivery tried again by hand).
pub(crate) async fn retry(conn: &mut Conn, id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE deliveries SET status = 'queued', next_attempt_at = ?
         WHERE id = ? AND status IN ('queued', 'retrying', 'failed')",
    )
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives up the waiting deliveries among `ids` with `reason`.
pub(crate) async fn cancel_waiting(
    conn: &mut Conn,
    ids: &[i64],
    reason: &str,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, last_error = ?
         WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))
           AND status IN ('queued', 'retrying')",
    )
    .bind(reason)
    .bind(serde_json::json!(ids).to_string())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    message_id: String,
    channel: String,
    purpose: String,
    subject_kind: Option<String>,
    subject_id: Option<i64>,
    recipient: String,
    summary: String,
    status: String,
    attempts: i64,
    next_attempt_at: Option<String>,
    last_error: Option<String>,
    created_at: String,
    sent_at: Option<String>,
    invitation_state: Option<String>,
}

impl EntryRow {
    fn into_entry(self) -> Result<DeliveryEntry, AppError> {
        let bad = |what: &str, v: &str| AppError::Internal(format!("delivery {what} {v}"));
        let time = |t: Option<String>| t.as_deref().map(from_db).transpose();
        Ok(DeliveryEntry {
            id: self.id,
            message_id: self.message_id,
            channel: DeliveryChannel::parse(&self.channel)
                .ok_or_else(|| bad("channel", &self.channel))?,
            purpose: Purpose::parse(&self.purpose).ok_or_else(|| bad("purpose", &self.purpose))?,
            subject: match (self.subject_kind, self.subject_id) {
                (Some(kind), Some(id)) => Some(DeliverySubject { kind, id }),
                _ => None,
            },
            recipient: self.recipient,
            summary: self.summary,
            status: DeliveryState::parse(&self.status)
                .ok_or_else(|| bad("status", &self.status))?,
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            next_attempt_at: time(self.next_attempt_at)?,
            last_error: self.last_error,
            created_at: from_db(&self.created_at)?,
            sent_at: time(self.sent_at)?,
            invitation_state: self
                .invitation_state
                .as_deref()
                .map(|s| InvitationState::parse(s).ok_or_else(|| bad("invitation state", s)))
                .transpose()?,
        })
    }
}

/// The log's select: the delivery and, for an invitation's message, the invitation's state.
fn entry_select() -> String {
    format!(
        "SELECT id, message_id, channel, purpose, subject_kind, subject_id, recipient, summary, \
         status, attempts, next_attempt_at, last_error, created_at, sent_at, \
         (SELECT {} FROM invitations i \
          JOIN service_records r ON r.id = i.service_record_id \
          LEFT JOIN evaluations e ON e.service_record_id = r.id \
          LEFT JOIN deliveries d ON d.id = i.delivery_id \
          WHERE deliveries.subject_kind = 'invitation' AND i.id = deliveries.subject_id) \
             AS invitation_state \
         FROM deliveries",
        state_sql("r", "e", "i", "d")
    )
}

/// The delivery `id` as the log shows it.
pub(crate) async fn entry(conn: &mut Conn, id: i64) -> Result<Option<DeliveryEntry>, AppError> {
    let row: Option<EntryRow> = sql::query_as(&format!("{} WHERE id = ?", entry_select()))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(EntryRow::into_entry).transpose()
}

/// The log's filters (each when given); the period is of the day created, UTC bounds given.
#[derive(Debug, Default)]
pub(crate) struct LogFilter {
    pub(crate) channel: Option<DeliveryChannel>,
    pub(crate) status: Option<DeliveryState>,
    pub(crate) purpose: Option<Purpose>,
    pub(crate) from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub(crate) until: Option<DateTime<Utc>>,
}

const LOG_WHERE: &str = "WHERE (?1 IS NULL OR channel = ?1) AND (?2 IS NULL OR status = ?2) \
     AND (?3 IS NULL OR purpose = ?3) AND (?4 IS NULL OR created_at >= ?4) \
     AND (?5 IS NULL OR created_at < ?5)";

/// A page of the log, newest first, and how many match.
pub(crate) async fn log(
    conn: &mut Conn,
    filter: &LogFilter,
    page: u32,
    per_page: u32,
) -> Result<(Vec<DeliveryEntry>, u64), AppError> {
    let channel = filter.channel.map(DeliveryChannel::as_str);
    let status = filter.status.map(DeliveryState::as_str);
    let purpose = filter.purpose.map(Purpose::as_str);
    let from = filter.from.map(to_db);
    let until = filter.until.map(to_db);
    let total: i64 = sql::query_scalar(&format!("SELECT COUNT(*) FROM deliveries {LOG_WHERE}"))
        .bind(channel)
        .bind(status)
        .bind(purpose)
        .bind(&from)
        .bind(&until)
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<EntryRow> = sql::query_as(&format!(
        "{} {LOG_WHERE} ORDER BY id DESC LIMIT ?6 OFFSET ?7",
        entry_select()
    ))
    .bind(channel)
    .bind(status)
    .bind(purpose)
    .bind(&from)
    .bind(&until)
    .bind(i64::from(per_page))
    .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
    .fetch_all(&mut *conn)
    .await?;
    let items = rows
        .into_iter()
        .map(EntryRow::into_entry)
        .collect::<Result<_, _>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}
