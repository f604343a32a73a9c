//! The notification centre as stored (`notifications`, `notification_settings`, issue 21):
//! who is told of an event, the notifications themselves, read marks and each person's
//! settings.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::events::EventType;
use pingjia_domain::notifications::{Notification, NotificationSetting};
use pingjia_domain::wire::Role;

use crate::db::parse_stored;
use crate::error::AppError;
use crate::time::{from_db, to_db};

/// A person to tell, with their role (their page for the thing depends on it) and how.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Recipient {
    pub(crate) id: i64,
    pub(crate) role: String,
    /// Told in the app.
    pub(crate) in_app: bool,
    /// Told by e-mail, here (the kind is on for e-mail and the person has an address).
    pub(crate) email: Option<String>,
}

impl Recipient {
    pub(crate) fn role(&self) -> Result<Role, sqlx::Error> {
        parse_stored(&self.role, Role::parse)
    }
}

/// Whom an event names, before their settings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Named<'a> {
    /// These people.
    pub(crate) ids: &'a [i64],
    /// The lead of this team.
    pub(crate) lead_of_team: Option<i64>,
    /// Every active admin.
    pub(crate) admins: bool,
    /// Every active QA inspector.
    pub(crate) inspectors: bool,
    /// Never these, whatever else names them (a disputed inspection's inspector).
    pub(crate) except: &'a [i64],
}

/// The active people `named` names, each once, who are told of `event_type` in the app
/// (unless they turned it off) or by e-mail (if they turned it on and have an address).
pub(crate) async fn recipients(
    conn: &mut Conn,
    event_type: EventType,
    named: &Named<'_>,
) -> Result<Vec<Recipient>, sqlx::Error> {
    let json = |ids: &[i64]| serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
    sql::query_as(
        "SELECT id, role, in_app, email FROM (
             SELECT u.id, u.role, COALESCE(s.in_app, TRUE) AS in_app,
                    CASE WHEN s.email = TRUE THEN u.email END AS email
             FROM users u
             LEFT JOIN notification_settings s ON s.user_id = u.id AND s.type = ?4
             WHERE u.disabled = FALSE
               AND (u.id IN (SELECT CAST(value AS BIGINT) FROM json_each(?1))
                    OR u.id = (SELECT lead_user_id FROM teams WHERE id = ?2)
                    OR (?3 AND u.role = 'admin')
                    OR (?5 AND u.role = 'qa_inspector'))
               AND u.id NOT IN (SELECT CAST(value AS BIGINT) FROM json_each(?6))) r
         WHERE in_app = TRUE OR email IS NOT NULL
         ORDER BY id",
    )
    .bind(json(named.ids))
    .bind(named.lead_of_team)
    .bind(named.admins)
    .bind(event_type.as_str())
    .bind(named.inspectors)
    .bind(json(named.except))
    .fetch_all(conn)
    .await
}

/// A notification to store.
pub(crate) struct NewNotification<'a> {
    pub(crate) user_id: i64,
    pub(crate) event_id: i64,
    pub(crate) event_type: EventType,
    pub(crate) subject: &'a str,
    pub(crate) link: &'a str,
    pub(crate) due_at: Option<DateTime<Utc>>,
    pub(crate) now: DateTime<Utc>,
}

/// Stores `n` once per person and event: its id when new.
pub(crate) async fn insert(
    conn: &mut Conn,
    n: &NewNotification<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO notifications (user_id, event_id, type, subject, link, due_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, event_id) DO NOTHING RETURNING id",
    )
    .bind(n.user_id)
    .bind(n.event_id)
    .bind(n.event_type.as_str())
    .bind(n.subject)
    .bind(n.link)
    .bind(n.due_at.map(to_db))
    .bind(to_db(n.now))
    .fetch_optional(conn)
    .await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    #[sqlx(rename = "type")]
    event_type: String,
    subject: String,
    link: String,
    due_at: Option<String>,
    created_at: String,
    read_at: Option<String>,
}

impl Row {
    fn into_wire(self) -> Result<Notification, AppError> {
        let time = |t: Option<String>| t.as_deref().map(from_db).transpose();
        Ok(Notification {
            id: self.id,
            event_type: parse_stored(&self.event_type, EventType::parse)?,
            subject: self.subject,
            link: self.link,
            due_at: time(self.due_at)?,
            created_at: from_db(&self.created_at)?,
            read_at: time(self.read_at)?,
        })
    }
}

const COLUMNS: &str = "id, type, subject, link, due_at, created_at, read_at";

/// A page of `user_id`'s notifications, newest first (only the unread with `unread_only`),
/// and how many match.
pub(crate) async fn page(
    conn: &mut Conn,
    user_id: i64,
    unread_only: bool,
    page: u32,
    per_page: u32,
) -> Result<(Vec<Notification>, u64), AppError> {
    let total: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM notifications
         WHERE user_id = ?1 AND (NOT ?2 OR read_at IS NULL)",
    )
    .bind(user_id)
    .bind(unread_only)
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<Row> = sql::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications
         WHERE user_id = ?1 AND (NOT ?2 OR read_at IS NULL)
         ORDER BY id DESC LIMIT ?3 OFFSET ?4"
    ))
    .bind(user_id)
    .bind(unread_only)
    .bind(i64::from(per_page))
    .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
    .fetch_all(conn)
    .await?;
    let items = rows
        .into_iter()
        .map(Row::into_wire)
        .collect::<Result<_, _>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// How many notifications of `user_id` are unread.
pub(crate) async fn unread(conn: &mut Conn, user_id: i64) -> Result<u64, sqlx::Error> {
    let n: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Marks `user_id`'s notification `id` (or all of them, `None`) read at `now`: how many
/// changed.
pub(crate) async fn mark_read(
    conn: &mut Conn,
    user_id: i64,
    id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sql::query(
        "UPDATE notifications SET read_at = ?1
         WHERE user_id = ?2 AND (?3 IS NULL OR id = ?3) AND read_at IS NULL",
    )
    .bind(to_db(now))
    .bind(user_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// `user_id`'s settings for `kinds` (in the app unless turned off, by e-mail if turned on).
pub(crate) async fn settings(
    conn: &mut Conn,
    user_id: i64,
    kinds: &[EventType],
) -> Result<Vec<NotificationSetting>, sqlx::Error> {
    let stored: Vec<(String, bool, bool)> =
        sql::query_as("SELECT type, in_app, email FROM notification_settings WHERE user_id = ?")
            .bind(user_id)
            .fetch_all(conn)
            .await?;
    Ok(kinds
        .iter()
        .map(|k| {
            let (in_app, email) = stored
                .iter()
                .find(|(t, _, _)| t == k.as_str())
                .map_or((true, false), |(_, in_app, email)| (*in_app, *email));
            NotificationSetting {
                event_type: *k,
                in_app,
                email,
            }
        })
        .collect())
}

/// Stores `user_id`'s `settings`.
pub(crate) async fn set_settings(
    conn: &mut Conn,
    user_id: i64,
    settings: &[NotificationSetting],
) -> Result<(), sqlx::Error> {
    for s in settings {
        sql::query(
            "INSERT INTO notification_settings (user_id, type, in_app, email) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (user_id, type) DO UPDATE SET in_app = ?3, email = ?4",
        )
        .bind(user_id)
        .bind(s.event_type.as_str())
        .bind(s.in_app)
        .bind(s.email)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Where `user_id`'s notifications by e-mail go (their address), if anywhere.
pub(crate) async fn email_to(conn: &mut Conn, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar("SELECT email FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}
