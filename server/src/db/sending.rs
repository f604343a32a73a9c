//! Sending invitations as stored: the settings and their eight templates
//! (`invitation_settings`, `message_templates`), where a record stands with its invitation
//! ([`state_sql`], the one expression of it), the records the scheduler finds due, the
//! reminders due, a selection sent by hand, and a customer's opt-out.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::invitations::{
    InvitationChannel, InvitationSettings, MessageKind, MessageLanguage, MessageTemplate,
};

use crate::db::parse_stored;
use crate::error::AppError;
use crate::time::to_db;

/// The SQL expression of a record's [`InvitationState`](pingjia_domain::invitations::InvitationState),
/// over the record `r`, its evaluation `e` (LEFT JOIN), its invitation `i` (LEFT JOIN) and the
/// invitation's message `d` (LEFT JOIN `deliveries d ON d.id = i.delivery_id`). In order: no
/// invitation (do not invite / not invited), rated, revoked, opted out, opened, then its
/// message: waiting (queued), given up (failed), else sent (a link given by hand counts as
/// sent).
pub(crate) fn state_sql(r: &str, e: &str, i: &str, d: &str) -> String {
    format!(
        "(CASE WHEN {i}.id IS NULL THEN \
              CASE WHEN {r}.do_not_invite = TRUE THEN 'do_not_invite' ELSE 'not_invited' END \
          WHEN {i}.rated_at IS NOT NULL OR {e}.id IS NOT NULL THEN 'rated' \
          WHEN {i}.revoked_at IS NOT NULL THEN 'revoked' \
          WHEN {i}.opted_out_at IS NOT NULL THEN 'opted_out' \
          WHEN {i}.opened_at IS NOT NULL THEN 'opened' \
          WHEN {d}.status IN ('queued', 'sending', 'retrying') THEN 'queued' \
          WHEN {d}.status = 'failed' THEN 'failed' \
          ELSE 'sent' END)"
    )
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    enabled: bool,
    delay_minutes: i64,
    reminder_hours: i64,
    suppression_days: i64,
    channel_order: String,
    language: String,
}

#[derive(sqlx::FromRow)]
struct TemplateRow {
    channel: String,
    language: String,
    kind: String,
    subject: Option<String>,
    body: String,
}

fn number(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// The invitation settings with their templates (sms before email, zh before en, the
/// invitation before the reminder).
pub(crate) async fn settings(conn: &mut Conn) -> Result<InvitationSettings, AppError> {
    let row: SettingsRow = sql::query_as(
        "SELECT enabled, delay_minutes, reminder_hours, suppression_days, channel_order, language
         FROM invitation_settings WHERE id = 1",
    )
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<TemplateRow> = sql::query_as(
        "SELECT channel, language, kind, subject, body FROM message_templates
         ORDER BY channel DESC, language DESC, kind",
    )
    .fetch_all(&mut *conn)
    .await?;
    let order: Vec<String> = serde_json::from_str(&row.channel_order)
        .map_err(|e| AppError::Internal(format!("channel_order: {e}")))?;
    let mut templates = Vec::with_capacity(rows.len());
    for t in rows {
        templates.push(MessageTemplate {
            channel: parse_stored(&t.channel, InvitationChannel::parse)?,
            language: parse_stored(&t.language, MessageLanguage::parse)?,
            kind: parse_stored(&t.kind, MessageKind::parse)?,
            subject: t.subject,
            body: t.body,
        });
    }
    Ok(InvitationSettings {
        enabled: row.enabled,
        delay_minutes: number(row.delay_minutes),
        reminder_hours: number(row.reminder_hours),
        suppression_days: number(row.suppression_days),
        channel_order: order
            .iter()
            .map(|c| parse_stored(c, InvitationChannel::parse))
            .collect::<Result<_, _>>()?,
        language: parse_stored(&row.language, MessageLanguage::parse)?,
        templates,
    })
}

/// Stores checked settings and their templates, changed by `by` at `now`.
pub(crate) async fn save_settings(
    conn: &mut Conn,
    s: &InvitationSettings,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let order: Vec<&str> = s.channel_order.iter().map(|c| c.as_str()).collect();
    sql::query(
        "UPDATE invitation_settings SET enabled = ?, delay_minutes = ?, reminder_hours = ?,
             suppression_days = ?, channel_order = ?, language = ?, updated_at = ?,
             updated_by = ? WHERE id = 1",
    )
    .bind(s.enabled)
    .bind(i64::from(s.delay_minutes))
    .bind(i64::from(s.reminder_hours))
    .bind(i64::from(s.suppression_days))
    .bind(serde_json::json!(order).to_string())
    .bind(s.language.as_str())
    .bind(to_db(now))
    .bind(by)
    .execute(&mut *conn)
    .await?;
    sql::query("DELETE FROM message_templates")
        .execute(&mut *conn)
        .await?;
    for t in &s.templates {
        sql::query(
            "INSERT INTO message_templates (channel, language, kind, subject, body)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(t.channel.as_str())
        .bind(t.language.as_str())
        .bind(t.kind.as_str())
        .bind(t.subject.as_deref())
        .bind(&t.body)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A record that may get an invitation now, with what its message says and where it can go.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Candidate {
    pub(crate) record_id: i64,
    pub(crate) external_id: String,
    pub(crate) customer_id: i64,
    pub(crate) customer_no: Option<String>,
    pub(crate) customer_name: String,
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) type_name_zh: String,
    pub(crate) type_name_en: String,
    pub(crate) ended_at: String,
    /// Whether it was rated.
    pub(crate) rated: bool,
    pub(crate) do_not_invite: bool,
    pub(crate) opted_out: bool,
    /// Its invitation, if it has one.
    pub(crate) invitation_id: Option<i64>,
}

const CANDIDATE_SELECT: &str = "SELECT r.id AS record_id, r.external_id, r.customer_id,
        c.customer_no, c.display_name AS customer_name, c.phone, c.email,
        a.display_name AS agent_name, st.name_zh AS type_name_zh, st.name_en AS type_name_en,
        r.ended_at,
        EXISTS (SELECT 1 FROM evaluations e WHERE e.service_record_id = r.id) AS rated,
        r.do_not_invite, c.invitations_opted_out_at IS NOT NULL AS opted_out,
        (SELECT i.id FROM invitations i WHERE i.service_record_id = r.id) AS invitation_id
     FROM service_records r
     JOIN users c ON c.id = r.customer_id
     JOIN users a ON a.id = r.agent_id
     JOIN service_types st ON st.code = r.service_type";

/// The records due for their invitation at the scheduler's run, oldest end first, at most
/// `limit`: ended in `(window_start, ended_before]`, not marked do-not-invite, not invited,
/// not rated, their customer not opted out and not invited since `suppressed_since` (none is
/// when `None`), after `after` (the last `(ended_at, id)` of the previous batch). One query
/// on `service_records_invitable`.
pub(crate) async fn due(
    conn: &mut Conn,
    window_start: DateTime<Utc>,
    ended_before: DateTime<Utc>,
    suppressed_since: Option<DateTime<Utc>>,
    after: (&str, i64),
    limit: i64,
) -> Result<Vec<Candidate>, sqlx::Error> {
    sql::query_as(&format!(
        "{CANDIDATE_SELECT}
         WHERE r.do_not_invite = FALSE AND r.ended_at > ?1 AND r.ended_at <= ?2
           AND r.ended_at >= ?5 AND NOT (r.ended_at = ?5 AND r.id <= ?6)
           AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.service_record_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.service_record_id = r.id)
           AND c.invitations_opted_out_at IS NULL
           AND (?3 IS NULL OR NOT EXISTS (SELECT 1 FROM invitations p
                    WHERE p.customer_id = r.customer_id AND p.created_at > ?3))
         ORDER BY r.ended_at, r.id LIMIT ?4"
    ))
    .bind(to_db(window_start))
    .bind(to_db(ended_before))
    .bind(suppressed_since.map(to_db))
    .bind(limit)
    .bind(after.0)
    .bind(after.1)
    .fetch_all(conn)
    .await
}

/// The records `ids` as candidates (a selection sent by hand), in the order of `ids`' ids.
pub(crate) async fn candidates(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<Candidate>, sqlx::Error> {
    sql::query_as(&format!(
        "{CANDIDATE_SELECT} WHERE r.id IN (SELECT CAST(value AS BIGINT) FROM json_each(?)) ORDER BY r.id"
    ))
    .bind(serde_json::json!(ids).to_string())
    .fetch_all(conn)
    .await
}

/// The invitation `id`'s message is the delivery `delivery_id`.
pub(crate) async fn set_delivery(
    conn: &mut Conn,
    invitation_id: i64,
    delivery_id: i64,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE invitations SET delivery_id = ? WHERE id = ?")
        .bind(delivery_id)
        .bind(invitation_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The earlier links of the invitation stop working (a resend by hand), and a revocation is
/// lifted: the resent message's link is the one that works.
pub(crate) async fn supersede_links(
    conn: &mut Conn,
    invitation_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
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
        .execute(conn)
        .await?;
    Ok(())
}

/// An invitation due for its reminder.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ReminderDue {
    pub(crate) invitation_id: i64,
    pub(crate) record_id: i64,
    pub(crate) external_id: String,
    pub(crate) customer_no: Option<String>,
    pub(crate) customer_name: String,
    pub(crate) agent_name: String,
    pub(crate) type_name_zh: String,
    pub(crate) type_name_en: String,
    pub(crate) expires_at: String,
    /// How the invitation went, and to whom.
    pub(crate) channel: String,
    pub(crate) recipient: String,
}

/// The invitations sent at or before `sent_before`, still open at `now`, not rated, revoked
/// or opted out, whose customer has not opted out and that have no reminder yet (its dedupe
/// key `invitation:{id}:reminder`), at most `limit`.
pub(crate) async fn reminders_due(
    conn: &mut Conn,
    sent_before: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<ReminderDue>, sqlx::Error> {
    sql::query_as(
        "SELECT i.id AS invitation_id, r.id AS record_id, r.external_id, c.customer_no,
                c.display_name AS customer_name, a.display_name AS agent_name,
                st.name_zh AS type_name_zh, st.name_en AS type_name_en, i.expires_at,
                i.channel, d.recipient
         FROM invitations i
         JOIN service_records r ON r.id = i.service_record_id
         JOIN users c ON c.id = i.customer_id
         JOIN users a ON a.id = r.agent_id
         JOIN service_types st ON st.code = r.service_type
         JOIN deliveries d ON d.id = i.delivery_id
         WHERE i.sent_at IS NOT NULL AND i.sent_at <= ?1
           AND i.rated_at IS NULL AND i.revoked_at IS NULL AND i.opted_out_at IS NULL
           AND i.channel IS NOT NULL AND i.expires_at > ?2
           AND r.do_not_invite = FALSE AND r.customer_id = i.customer_id
           AND c.invitations_opted_out_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.service_record_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM deliveries x
                           WHERE x.dedupe_key = 'invitation:' || i.id || ':reminder')
         ORDER BY i.sent_at, i.id LIMIT ?3",
    )
    .bind(to_db(sent_before))
    .bind(to_db(now))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// What the outbox needs of an invitation just before its message leaves.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Sending {
    pub(crate) record_id: i64,
    pub(crate) opted_out: bool,
    pub(crate) do_not_invite: bool,
}

/// The invitation `id` as the outbox sends its message.
pub(crate) async fn sending(
    conn: &mut Conn,
    invitation_id: i64,
) -> Result<Option<Sending>, sqlx::Error> {
    sql::query_as(
        "SELECT i.service_record_id AS record_id,
                c.invitations_opted_out_at IS NOT NULL AS opted_out, r.do_not_invite
         FROM invitations i
         JOIN users c ON c.id = i.customer_id
         JOIN service_records r ON r.id = i.service_record_id
         WHERE i.id = ?",
    )
    .bind(invitation_id)
    .fetch_optional(conn)
    .await
}

/// The customer `customer_id` gets no more invitations from `now` (the first opt-out's time
/// is kept), and their invitations not yet rated are marked opted out: the first opt-out's
/// time. `None` when they are not a customer.
pub(crate) async fn opt_out(
    conn: &mut Conn,
    customer_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    let at: Option<String> = sql::query_scalar(
        "UPDATE users SET invitations_opted_out_at = COALESCE(invitations_opted_out_at, ?)
         WHERE id = ? AND role = 'customer' RETURNING invitations_opted_out_at",
    )
    .bind(to_db(now))
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(at) = at else { return Ok(None) };
    sql::query(
        "UPDATE invitations SET opted_out_at = ?
         WHERE customer_id = ? AND opted_out_at IS NULL AND rated_at IS NULL",
    )
    .bind(&at)
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    Ok(Some(at))
}

/// The waiting messages (invitations and reminders) of the customer's invitations.
pub(crate) async fn waiting_messages(
    conn: &mut Conn,
    customer_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sql::query_scalar(
        "SELECT d.id FROM deliveries d
         JOIN invitations i ON d.subject_kind = 'invitation' AND d.subject_id = i.id
         WHERE i.customer_id = ? AND d.status IN ('queued', 'retrying')",
    )
    .bind(customer_id)
    .fetch_all(conn)
    .await
}
