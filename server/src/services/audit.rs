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

/// What happened. The stored names are stable: reports and filters rely on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A successful login.
    Login,
    /// A failed login (unknown login, wrong password, disabled, no password).
    LoginFailed,
    /// A login refused by throttling, before any password check.
    LoginThrottled,
    Logout,
    /// A user changed their own password.
    PasswordChanged,
    UserCreated,
    UserUpdated,
    /// An admin set a user's password.
    UserPasswordReset,
    /// Users created from an import file.
    UsersImported,
    TeamCreated,
    TeamUpdated,
    DimensionCreated,
    DimensionUpdated,
    DimensionDeleted,
    ServiceTypeCreated,
    ServiceTypeUpdated,
    ServiceTypesReordered,
    ServiceTypeDeleted,
    /// Service records created from an import file.
    RecordsImported,
    /// A service record from the helpdesk created its customer or completed their details.
    CustomerFromRecord,
    ApiKeyCreated,
    ApiKeyRevoked,
    /// One setting changed (one entry per key, with the old and new value).
    SettingChanged,
    /// A day of the working-day calendar set or changed.
    CalendarDaySet,
    CalendarDayDeleted,
    /// A year of the calendar replaced at once.
    CalendarYearReplaced,
    /// A customer submitted an evaluation.
    EvaluationSubmitted,
    /// A customer appealed their evaluation.
    AppealFiled,
    /// An admin approved an appeal: the evaluation has a new version.
    AppealApproved,
    /// An admin rejected an appeal.
    AppealRejected,
    /// The anomaly rules flagged an evaluation for review (no actor: the system).
    EvaluationFlagged,
    /// An admin kept a flagged evaluation.
    EvaluationKept,
    /// An admin deleted an evaluation: hidden from statistics, never erased.
    EvaluationDeleted,
    /// An admin restored a deleted evaluation.
    EvaluationRestored,
    /// A term added to the abusive-word lexicon.
    AbusiveTermAdded,
    /// A term removed from the abusive-word lexicon.
    AbusiveTermRemoved,
    /// A QA checklist template created or replaced.
    QaTemplateSaved,
    /// An inspection plan created and its sample drawn.
    QaPlanCreated,
    /// An inspection of a sampled record submitted or replaced.
    InspectionSubmitted,
    /// The owner of a rectification reported its result.
    RectificationReported,
    /// An inspector re-checked a rectification (closed or sent back).
    RectificationRechecked,
    /// A word added to the word cloud's stop words.
    StopWordAdded,
    /// A word removed from the word cloud's stop words.
    StopWordRemoved,
    /// An agent judged a suggestion reasonable (a plan opened) or not.
    SuggestionAssessed,
    /// An agent submitted the measures of an improvement plan.
    ImprovementPlanSubmitted,
    /// A lead or admin acknowledged a plan or sent it back.
    ImprovementPlanReviewed,
    /// A lead recorded a low-score callback.
    CallbackRecorded,
    /// Addresses subscribed to a weekly or monthly report.
    ReportSubscriptionCreated,
    ReportSubscriptionUpdated,
    ReportSubscriptionRemoved,
    /// A report mail tried again by hand.
    ReportDeliveryRetried,
    /// The mail server's settings changed (never the password itself).
    SmtpSettingsChanged,
    /// A test mail sent through the mail server.
    SmtpTestMailSent,
    /// The SMS gateway's settings changed (never the secret itself).
    SmsGatewayChanged,
    /// The webhook channel changed (its URL, or a new secret made).
    WebhookChannelChanged,
    /// An endpoint that receives events registered (issue 21).
    WebhookEndpointCreated,
    /// An endpoint changed (its address, events, filters, enabled).
    WebhookEndpointChanged,
    /// An endpoint deleted.
    WebhookEndpointDeleted,
    /// An endpoint's signing secret made anew.
    WebhookEndpointSecretRotated,
    /// A test message sent through a channel.
    ChannelTestSent,
    /// A delivery of the log tried again by hand.
    DeliveryRetried,
    /// A record's rating link issued (or issued again) by hand; never the link itself.
    InvitationIssued,
    /// A record's invitation revoked.
    InvitationRevoked,
    /// The invitation settings or templates changed.
    InvitationSettingsChanged,
    /// Invitations sent by hand to a selection of records (counts, never links).
    InvitationsSent,
    /// A customer opted out of invitations through a link (never the link).
    InvitationOptedOut,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Login => "auth.login",
            Action::LoginFailed => "auth.login_failed",
            Action::LoginThrottled => "auth.login_throttled",
            Action::Logout => "auth.logout",
            Action::PasswordChanged => "auth.password_changed",
            Action::UserCreated => "user.created",
            Action::UserUpdated => "user.updated",
            Action::UserPasswordReset => "user.password_reset",
            Action::UsersImported => "users.imported",
            Action::TeamCreated => "team.created",
            Action::TeamUpdated => "team.updated",
            Action::DimensionCreated => "dimension.created",
            Action::DimensionUpdated => "dimension.updated",
            Action::DimensionDeleted => "dimension.deleted",
            Action::ServiceTypeCreated => "service_type.created",
            Action::ServiceTypeUpdated => "service_type.updated",
            Action::ServiceTypesReordered => "service_types.reordered",
            Action::ServiceTypeDeleted => "service_type.deleted",
            Action::RecordsImported => "service_records.imported",
            Action::CustomerFromRecord => "customer.from_record",
            Action::ApiKeyCreated => "api_key.created",
            Action::ApiKeyRevoked => "api_key.revoked",
            Action::SettingChanged => "setting.changed",
            Action::CalendarDaySet => "calendar.day_set",
            Action::CalendarDayDeleted => "calendar.day_deleted",
            Action::CalendarYearReplaced => "calendar.year_replaced",
            Action::EvaluationSubmitted => "evaluation.submitted",
            Action::AppealFiled => "appeal.filed",
            Action::AppealApproved => "appeal.approved",
            Action::AppealRejected => "appeal.rejected",
            Action::EvaluationFlagged => "evaluation.flagged",
            Action::EvaluationKept => "evaluation.kept",
            Action::EvaluationDeleted => "evaluation.deleted",
            Action::EvaluationRestored => "evaluation.restored",
            Action::AbusiveTermAdded => "abusive_term.added",
            Action::AbusiveTermRemoved => "abusive_term.removed",
            Action::QaTemplateSaved => "qa_template.saved",
            Action::QaPlanCreated => "qa_plan.created",
            Action::InspectionSubmitted => "qa_inspection.submitted",
            Action::RectificationReported => "qa_rectification.reported",
            Action::RectificationRechecked => "qa_rectification.rechecked",
            Action::StopWordAdded => "stop_word.added",
            Action::StopWordRemoved => "stop_word.removed",
            Action::SuggestionAssessed => "suggestion.assessed",
            Action::ImprovementPlanSubmitted => "improvement_plan.submitted",
            Action::ImprovementPlanReviewed => "improvement_plan.reviewed",
            Action::CallbackRecorded => "callback.recorded",
            Action::ReportSubscriptionCreated => "report_subscription.created",
            Action::ReportSubscriptionUpdated => "report_subscription.updated",
            Action::ReportSubscriptionRemoved => "report_subscription.removed",
            Action::ReportDeliveryRetried => "report_delivery.retried",
            Action::SmtpSettingsChanged => "smtp_settings.changed",
            Action::SmtpTestMailSent => "smtp_settings.test_mail",
            Action::SmsGatewayChanged => "sms_gateway.changed",
            Action::WebhookChannelChanged => "webhook_channel.changed",
            Action::WebhookEndpointCreated => "webhook_endpoint.created",
            Action::WebhookEndpointChanged => "webhook_endpoint.changed",
            Action::WebhookEndpointDeleted => "webhook_endpoint.deleted",
            Action::WebhookEndpointSecretRotated => "webhook_endpoint.secret_rotated",
            Action::ChannelTestSent => "channel.test_sent",
            Action::DeliveryRetried => "delivery.retried",
            Action::InvitationIssued => "invitation.issued",
            Action::InvitationRevoked => "invitation.revoked",
            Action::InvitationSettingsChanged => "invitation_settings.changed",
            Action::InvitationsSent => "invitations.sent",
            Action::InvitationOptedOut => "invitation.opted_out",
        }
    }
}

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
