//! The demo's rating invitations of the last nine weeks (this month's and the last month's
//! response rates, side by side), in every state, so that the response
//! rate, its funnel and the delivery log have real figures at first start: the records the
//! scheduler would have invited (each customer at most once in 7 days), invited 30 minutes
//! after it ended
//! through the customer's e-mail when they have one, else by SMS. The messages are those the
//! scheduler writes (`services::sending::compose`, queued by `services::delivery::enqueue`),
//! then aged: most were sent, some failed, the last hour's wait for the gateway; a day later
//! the unanswered ones got their reminder. Who opened, who opted out and which an admin
//! revoked is decided by the record's id, so a seeding is the same every time. The records
//! rated before their invitation would have gone out are left uninvited, as the scheduler
//! would have.
//!
//! Invitations are on in the demo, e-mail first: after a start, the records that end get
//! their invitations from the scheduler, subject to the 7 days' suppression these rows set.

use crate::db::sql;
use std::collections::HashMap;

use crate::db::sql::Conn;
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::delivery::Purpose;
use pingjia_domain::evaluations::rate_until;
use pingjia_domain::invitations::{InvitationChannel, MessageKind};

use crate::db::settings;
use crate::error::AppError;
use crate::services::delivery::{Outgoing, enqueue};
use crate::services::invitations::LinkToken;
use crate::services::sending::{Facts, compose};
use crate::time::{from_db, to_db};

/// How far back the demo's invitations go.
const WEEKS: i64 = 9;
/// The scheduler's delay in the demo.
const DELAY_MINUTES: i64 = 30;
/// A customer's invitations are this many days apart at least (the settings' default).
const SUPPRESSION_DAYS: i64 = 7;
/// The reminder's delay in the demo.
const REMINDER_HOURS: i64 = 24;
/// The gateway's answer when nothing listens at the demo's address.
const REFUSED: &str = "Connection refused (os error 111)";

/// The error a refused connection leaves, as the sender writes it for the channel: the SMS
/// gateway's in both languages (the log shows the reader's), the mail server's as it said it.
fn refused(channel: InvitationChannel) -> String {
    match channel {
        InvitationChannel::Sms => {
            format!("短信网关无法连接 / the SMS gateway could not be reached: {REFUSED}")
        }
        _ => REFUSED.to_owned(),
    }
}

#[derive(sqlx::FromRow)]
struct Candidate {
    record_id: i64,
    external_id: String,
    customer_id: i64,
    customer_no: Option<String>,
    customer_name: String,
    phone: Option<String>,
    email: Option<String>,
    agent_name: String,
    type_name_zh: String,
    type_name_en: String,
    ended_at: String,
    submitted_at: Option<String>,
}

/// A number in `0..1000` from `id` and `salt`: the demo's dice, the same on every seeding.
fn dice(id: i64, salt: u64) -> u64 {
    let mut x =
        (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 29;
    x % 1000
}

fn stored(e: AppError) -> sqlx::Error {
    sqlx::Error::Protocol(format!("demo invitations: {e}"))
}

/// Writes the demo's invitations as at `now`, and switches invitations on.
pub(crate) async fn insert(conn: &mut Conn, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE invitation_settings SET enabled = TRUE, delay_minutes = ?, reminder_hours = ?,
             channel_order = '[\"email\",\"sms\",\"webhook\"]'
         WHERE id = 1",
    )
    .bind(DELAY_MINUTES)
    .bind(REMINDER_HOURS)
    .execute(&mut *conn)
    .await?;
    let window_days = settings::load(&mut *conn).await?.rating_window_days;
    let invitation_settings = crate::db::sending::settings(&mut *conn)
        .await
        .map_err(stored)?;
    let delay = Duration::minutes(DELAY_MINUTES);
    let candidates: Vec<Candidate> = sql::query_as(
        "SELECT r.id AS record_id, r.external_id, r.customer_id, c.customer_no,
                c.display_name AS customer_name, c.phone, c.email,
                a.display_name AS agent_name, st.name_zh AS type_name_zh,
                st.name_en AS type_name_en, r.ended_at, e.submitted_at
         FROM service_records r
         JOIN users c ON c.id = r.customer_id
         JOIN users a ON a.id = r.agent_id
         JOIN service_types st ON st.code = r.service_type
         LEFT JOIN evaluations e ON e.service_record_id = r.id
         WHERE r.ended_at > ?1 AND r.ended_at <= ?2
         ORDER BY r.ended_at, r.id",
    )
    .bind(to_db(now - Duration::weeks(WEEKS)))
    .bind(to_db(now - delay))
    .fetch_all(&mut *conn)
    .await?;
    let mut last_invited: HashMap<i64, DateTime<Utc>> = HashMap::new();
    for c in candidates {
        let ended = from_db(&c.ended_at)?;
        let created = ended + delay;
        let rated = c.submitted_at.as_deref().map(from_db).transpose()?;
        let suppressed = last_invited
            .get(&c.customer_id)
            .is_some_and(|last| created - *last < Duration::days(SUPPRESSION_DAYS));
        if suppressed || rated.is_some_and(|r| r <= created + Duration::seconds(4)) {
            continue;
        }
        last_invited.insert(c.customer_id, created);
        let (channel, recipient) = match (&c.email, &c.phone) {
            (Some(email), _) => (InvitationChannel::Email, email.as_str()),
            (None, Some(phone)) => (InvitationChannel::Sms, phone.as_str()),
            (None, None) => continue,
        };
        let expires = rate_until(ended, window_days);
        let id: i64 = sql::query_scalar(
            "INSERT INTO invitations (service_record_id, customer_id, expires_at, created_at)
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(c.record_id)
        .bind(c.customer_id)
        .bind(to_db(expires))
        .bind(to_db(created))
        .fetch_one(&mut *conn)
        .await?;
        let facts = Facts {
            invitation_id: id,
            record_id: c.record_id,
            external_id: &c.external_id,
            customer_no: c.customer_no.as_deref(),
            customer_name: &c.customer_name,
            agent_name: &c.agent_name,
            type_name_zh: &c.type_name_zh,
            type_name_en: &c.type_name_en,
            expires_at: expires,
        };
        let queue = |kind: MessageKind, at: DateTime<Utc>| {
            compose(&invitation_settings, channel, kind, &facts, at)
                .map(|content| (kind, at, content))
        };
        // The first message: waiting for the gateway in the last hour, else mostly sent.
        let roll = dice(c.record_id, 1);
        let waiting = now - created < Duration::hours(1) && rated.is_none();
        let failed = !waiting && rated.is_none() && roll < 40;
        let sent = created + Duration::seconds(4);
        let Some((kind, at, content)) = queue(MessageKind::Invitation, created) else {
            continue;
        };
        let first = enqueue(
            &mut *conn,
            at,
            &Outgoing {
                purpose: Purpose::Invitation,
                subject: Some(("invitation", id)),
                recipient,
                content,
                dedupe_key: &format!("invitation:{id}:first"),
                not_before: None,
            },
        )
        .await
        .map_err(stored)?;
        debug_assert_eq!(kind, MessageKind::Invitation);
        sql::query("UPDATE invitations SET delivery_id = ? WHERE id = ?")
            .bind(first.id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        if waiting {
            sql::query(
                "UPDATE deliveries SET status = 'retrying', attempts = 1, last_error = ?,
                     next_attempt_at = ? WHERE id = ?",
            )
            .bind(refused(channel))
            .bind(to_db(now + Duration::minutes(1)))
            .bind(first.id)
            .execute(&mut *conn)
            .await?;
            continue;
        }
        if failed {
            sql::query(
                "UPDATE deliveries SET status = 'failed', attempts = 6, last_error = ?,
                     next_attempt_at = NULL WHERE id = ?",
            )
            .bind(refused(channel))
            .bind(first.id)
            .execute(&mut *conn)
            .await?;
            continue;
        }
        mark_sent(conn, first.id, sent).await?;
        sql::query(
            "INSERT INTO invitation_links (invitation_id, token_hash, issued_at) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(LinkToken::generate().map_err(stored)?.hash())
        .bind(to_db(sent))
        .execute(&mut *conn)
        .await?;
        // What the customer did: rated (their evaluation), opened, opted out; an admin revoked.
        let later = |salt: u64, hours: i64| {
            sent + Duration::minutes(
                i64::try_from(dice(c.record_id, salt)).unwrap_or(0) * hours * 60 / 1000 + 1,
            )
        };
        let opened = match rated {
            Some(r) => Some((r - Duration::minutes(2)).max(sent)),
            None if dice(c.record_id, 2) < 380 => Some(later(3, 20)).filter(|t| *t < now),
            None => None,
        };
        let opted_out = (rated.is_none() && dice(c.record_id, 4) < 45)
            .then(|| opened.unwrap_or(sent) + Duration::minutes(1))
            .filter(|t| *t < now);
        let revoked = (rated.is_none() && opted_out.is_none() && dice(c.record_id, 5) < 20)
            .then(|| later(6, 48))
            .filter(|t| *t < now);
        sql::query(
            "UPDATE invitations SET channel = ?, sent_at = ?, opened_at = ?, rated_at = ?,
                 opted_out_at = ?, revoked_at = ? WHERE id = ?",
        )
        .bind(channel.as_str())
        .bind(to_db(sent))
        .bind(opened.map(to_db))
        .bind(rated.map(to_db))
        .bind(opted_out.map(to_db))
        .bind(revoked.map(to_db))
        .bind(id)
        .execute(&mut *conn)
        .await?;
        if let Some(at) = opted_out {
            sql::query(
                "UPDATE users SET invitations_opted_out_at = ?
                 WHERE id = ? AND invitations_opted_out_at IS NULL",
            )
            .bind(to_db(at))
            .bind(c.customer_id)
            .execute(&mut *conn)
            .await?;
        }
        // One reminder a day later, when it was still unanswered then.
        let reminded = sent + Duration::hours(REMINDER_HOURS);
        let answered = [rated, opted_out, revoked]
            .into_iter()
            .flatten()
            .any(|t| t < reminded);
        if reminded < now
            && reminded < expires
            && !answered
            && let Some((_, at, content)) = queue(MessageKind::Reminder, reminded)
        {
            let reminder = enqueue(
                &mut *conn,
                at,
                &Outgoing {
                    purpose: Purpose::Reminder,
                    subject: Some(("invitation", id)),
                    recipient,
                    content,
                    dedupe_key: &format!("invitation:{id}:reminder"),
                    not_before: None,
                },
            )
            .await
            .map_err(stored)?;
            mark_sent(conn, reminder.id, reminded + Duration::seconds(3)).await?;
        }
    }
    Ok(())
}

async fn mark_sent(conn: &mut Conn, delivery: i64, at: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE deliveries SET status = 'sent', attempts = 1, sent_at = ?, next_attempt_at = NULL
         WHERE id = ?",
    )
    .bind(to_db(at))
    .bind(delivery)
    .execute(conn)
    .await?;
    Ok(())
}
