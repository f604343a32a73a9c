//! The audit log: who did what, when and from where. Append-only (the database refuses every
//! UPDATE and DELETE of `audit_log`); written in the same transaction as the change it
//! records, so a change and its record stand or fall together.
//!
//! ```text
//! let mut tx = db::begin_write(&state.pool).await?;
//! // ... the change ...
//! audit::record(&mut *tx, &Entry::new(now, Action::UserUpdated).by(&actor).on("user", id)
//!     .details(json!({ "changes": changes }))).await?;
//! tx.commit().await?;
//! ```

use crate::db::sql;
use std::net::IpAddr;

use crate::db::sql::On;
use chrono::{DateTime, Utc};

use crate::time::to_db;

/// What happened: the domain's table of actions, with their stored names and their words.
pub use pingjia_domain::audit::AuditAction as Action;

/// Who acted: the signed-in user, if any, and the client's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub ip: IpAddr,
}

impl Actor {
    /// A signed-in user acting from `ip`.
    pub fn user(user: &crate::http::authz::CurrentUser, ip: IpAddr) -> Actor {
        Actor {
            user_id: Some(user.id),
            ip,
        }
    }
}

/// One line of the audit log, built with [`Entry::new`] and the builder methods.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub action: Action,
    pub actor_user_id: Option<i64>,
    pub actor_ip: Option<IpAddr>,
    pub target_type: Option<&'static str>,
    pub target_id: Option<String>,
    /// A JSON object: old and new values, reasons, counts. Never a password or a token.
    pub details: serde_json::Map<String, serde_json::Value>,
}

impl Entry {
    pub fn new(at: DateTime<Utc>, action: Action) -> Entry {
        Entry {
            at,
            action,
            actor_user_id: None,
            actor_ip: None,
            target_type: None,
            target_id: None,
            details: serde_json::Map::new(),
        }
    }

    /// Who did it.
    pub fn by(mut self, actor: Actor) -> Entry {
        self.actor_user_id = actor.user_id;
        self.actor_ip = Some(actor.ip);
        self
    }

    /// What it was done to, e.g. `("user", 42)`.
    pub fn on(mut self, target_type: &'static str, target_id: impl ToString) -> Entry {
        self.target_type = Some(target_type);
        self.target_id = Some(target_id.to_string());
        self
    }

    /// The details, a JSON object (anything else is kept under `"value"`).
    pub fn details(mut self, details: serde_json::Value) -> Entry {
        self.details = match details {
            serde_json::Value::Object(map) => map,
            other => serde_json::Map::from_iter([("value".to_owned(), other)]),
        };
        self
    }
}

/// Adds `field` to a `changes` object as `{"old": .., "new": ..}` when its value changed.
pub fn change<T: PartialEq + serde::Serialize>(
    changes: &mut serde_json::Map<String, serde_json::Value>,
    field: &str,
    old: T,
    new: T,
) {
    if old != new {
        changes.insert(
            field.to_owned(),
            serde_json::json!({ "old": old, "new": new }),
        );
    }
}

/// Appends `entry` through `executor`: the pool, or the transaction of the change it records.
/// Adds the writing of `entry` to `batch` (see [`record`]).
pub fn push(batch: &mut crate::db::batch::Batch, entry: &Entry) {
    let q = batch.statement();
    q.push(
        "INSERT INTO audit_log (at, actor_user_id, actor_ip, action, target_type, target_id, details) ",
    );
    q.push_values(std::iter::once(entry), |mut row, entry| {
        row.push_bind(to_db(entry.at))
            .push_bind(entry.actor_user_id)
            .push_bind(entry.actor_ip.map(|ip| ip.to_string()))
            .push_bind(entry.action.as_str())
            .push_bind(entry.target_type)
            .push_bind(entry.target_id.clone())
            .push_bind(serde_json::Value::Object(entry.details.clone()).to_string());
    });
}

pub async fn record<'e, E>(executor: E, entry: &Entry) -> Result<(), sqlx::Error>
where
    E: Into<On<'e>>,
{
    sql::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_ip, action, target_type, target_id, details)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(to_db(entry.at))
    .bind(entry.actor_user_id)
    .bind(entry.actor_ip.map(|ip| ip.to_string()))
    .bind(entry.action.as_str())
    .bind(entry.target_type)
    .bind(&entry.target_id)
    .bind(serde_json::Value::Object(entry.details.clone()).to_string())
    .execute(executor)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_built_step_by_step() {
        let at: DateTime<Utc> = "2026-11-22T03:00:00Z".parse().unwrap();
        let actor = Actor {
            user_id: Some(1),
            ip: "192.0.2.7".parse().unwrap(),
        };
        let entry = Entry::new(at, Action::UserUpdated)
            .by(actor)
            .on("user", 42)
            .details(
                serde_json::json!({ "changes": { "disabled": { "old": false, "new": true } } }),
            );
        assert_eq!(entry.action.as_str(), "user.updated");
        assert_eq!(entry.actor_user_id, Some(1));
        assert_eq!(entry.target_id.as_deref(), Some("42"));
        assert_eq!(entry.details["changes"]["disabled"]["new"], true);
        let wrapped = Entry::new(at, Action::UsersImported).details(serde_json::json!(3));
        assert_eq!(wrapped.details["value"], 3);
    }

    #[test]
    fn changes_keep_old_and_new_values_of_changed_fields() {
        let mut changes = serde_json::Map::new();
        change(&mut changes, "role", "agent", "team_lead");
        change(&mut changes, "disabled", false, false);
        change(&mut changes, "team_id", Some(1), None);
        assert_eq!(
            serde_json::Value::Object(changes),
            serde_json::json!({
                "role": { "old": "agent", "new": "team_lead" },
                "team_id": { "old": 1, "new": null },
            })
        );
    }
}
