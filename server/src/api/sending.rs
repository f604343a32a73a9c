//! Sending rating invitations (issue 19): the invitation settings and their templates
//! (`GET`/`PUT /settings/invitations`) and sending by hand (`POST /invitations/send`). The
//! scheduler that sends them by itself is `services::sending`; the opt-out link is in
//! `api::invitations` with the other link endpoints.

use axum::extract::State;
use pingjia_domain::FieldError;
use pingjia_domain::invitations::{
    InvitationSettings, MAX_SEND_SELECTION, SendInvitations, SendReport,
};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::records::{RecordQuery, selected_ids};
use crate::db::sending as stored;
use crate::error::AppError;
use crate::http::authz::{ADMIN, CurrentUser, Rule, get, post, put};
use crate::http::extract::{ClientIp, Json};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::sending;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(send_invitations))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/settings/invitations", ADMIN),
    put("/api/v1/settings/invitations", ADMIN),
    post("/api/v1/invitations/send", ADMIN),
];

/// The invitation settings and their eight message templates.
///
/// Whether invitations are sent by themselves, the delay after a record ends, the reminder,
/// the suppression, the channel order, the language, and one template per channel (sms,
/// email) × language (zh, en) × kind (invitation, reminder).
#[utoipa::path(
    get,
    path = "/settings/invitations",
    tag = "invitations",
    operation_id = "get_invitation_settings",
    responses((status = 200, description = "The settings", body = InvitationSettings))
)]
async fn get_settings(State(state): State<AppState>) -> Result<Json<InvitationSettings>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(stored::settings(&mut conn).await?))
}

/// Set the invitation settings and templates.
///
/// All of them at once (the eight templates included). Refused with 422 naming the field
/// (`delay_minutes`, `channel_order`, `templates`, `templates[3].body`,
/// `templates[3].subject`): a number out of range (`out_of_range`), an empty channel order
/// (`required`) or one naming a channel twice (`duplicate`), not exactly the eight templates
/// (`incomplete`, `duplicate`; a webhook template is `invalid`), an unknown placeholder
/// (`unknown_placeholders`), a template without `{{link}}` or `{{opt_out}}`
/// (`missing_placeholder`), an SMS over 3 segments with the sample values
/// (`too_many_segments`), an e-mail without a subject (`required`), a control character
/// (`control_character`; a subject is a mail header: no line break either). Switching
/// invitations on invites the records ended at least the delay ago that are still in their
/// rating window. Audited.
#[utoipa::path(
    put,
    path = "/settings/invitations",
    tag = "invitations",
    operation_id = "put_invitation_settings",
    request_body = InvitationSettings,
    responses(
        (status = 200, description = "Saved", body = InvitationSettings),
        (status = 422, description = "A field is invalid (per-field `errors`)"),
    )
)]
async fn put_settings(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(input): Json<InvitationSettings>,
) -> Result<Json<InvitationSettings>, AppError> {
    input.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let before = stored::settings(&mut tx).await?;
    stored::save_settings(&mut tx, &input, caller.id, now).await?;
    let summary = |s: &InvitationSettings| {
        json!({
            "enabled": s.enabled, "delay_minutes": s.delay_minutes,
            "reminder_hours": s.reminder_hours, "suppression_days": s.suppression_days,
            "channel_order": s.channel_order.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "language": s.language.as_str(),
        })
    };
    let changed: Vec<String> = input
        .templates
        .iter()
        .filter(|t| !before.templates.contains(t))
        .map(|t| {
            format!(
                "{}.{}.{}",
                t.channel.as_str(),
                t.language.as_str(),
                t.kind.as_str()
            )
        })
        .collect();
    let entry = Entry::new(now, Action::InvitationSettingsChanged)
        .by(Actor::user(&caller, ip))
        .on("invitation_settings", 1)
        .details(json!({
            "before": summary(&before),
            "after": summary(&input),
            "templates_changed": changed,
        }));
    audit::record(&mut *tx, &entry).await?;
    let saved = stored::settings(&mut tx).await?;
    tx.commit().await?;
    state.invitations.wake();
    Ok(Json(saved))
}

/// Send (or resend) the invitations of some records by hand, now.
///
/// Either `record_ids` or `filter` (the filters of `GET /service-records`), at most 5000
/// records (422 naming `record_ids` or `filter` otherwise, or when both or neither are
/// given, or an id is unknown). Each record not skipped gets one message through the first
/// channel of the settings' order that reaches its customer and is set up; it is sent by the
/// delivery queue. Suppression and `enabled` do not apply; a customer's opt-out and a
/// record's "do not invite" do. Without `resend`, invited records are skipped
/// (`already_invited`); with it they get a new message whose link replaces their earlier
/// links. The answer counts the records selected, the messages queued and the skipped ones
/// by reason. Audited (counts only).
#[utoipa::path(
    post,
    path = "/invitations/send",
    tag = "invitations",
    operation_id = "send_invitations",
    request_body = SendInvitations,
    responses(
        (status = 200, description = "What was queued and skipped", body = SendReport),
        (status = 422, description = "No selection, both kinds, too many records, or an unknown record (per-field `errors`)"),
    )
)]
async fn send_invitations(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(input): Json<SendInvitations>,
) -> Result<Json<SendReport>, AppError> {
    let too_many = |field: &str| {
        AppError::Validation(vec![FieldError::new(
            field,
            "too_many",
            format!("select at most {MAX_SEND_SELECTION} records"),
        )])
    };
    let ids = match (&input.record_ids, &input.filter) {
        (Some(ids), None) => {
            if ids.is_empty() {
                return Err(AppError::Validation(vec![FieldError::new(
                    "record_ids",
                    "required",
                    "select at least one record",
                )]));
            }
            if ids.len() > MAX_SEND_SELECTION as usize {
                return Err(too_many("record_ids"));
            }
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        (None, Some(filter)) => {
            check_paging(1, 1, 1, filter.from, filter.to)?;
            let query = RecordQuery {
                from: filter.from,
                to: filter.to,
                agent_id: filter.agent_id,
                team_id: filter.team_id,
                service_type: filter.service_type.as_deref(),
                channel: filter.channel,
                rated: filter.rated,
                invitation: filter.invitation,
            };
            let mut conn = state.pool.acquire().await?;
            let (total, ids) = selected_ids(&mut conn, &query, MAX_SEND_SELECTION).await?;
            if total > i64::from(MAX_SEND_SELECTION) {
                return Err(too_many("filter"));
            }
            ids
        }
        _ => {
            return Err(AppError::Validation(vec![FieldError::new(
                "record_ids",
                "invalid",
                "give either record_ids or filter",
            )]));
        }
    };
    let report = sending::send_by_hand(&state, &ids, input.resend).await?;
    let skipped: serde_json::Map<String, serde_json::Value> = report
        .skipped
        .iter()
        .map(|s| (s.reason.as_str().to_owned(), json!(s.count)))
        .collect();
    let entry = Entry::new(state.clock.now(), Action::InvitationsSent)
        .by(Actor::user(&caller, ip))
        .details(json!({
            "by": if input.record_ids.is_some() { "record_ids" } else { "filter" },
            "resend": input.resend,
            "selected": report.selected,
            "queued": report.queued,
            "skipped": skipped,
        }));
    audit::record(&state.pool, &entry).await?;
    Ok(Json(report))
}
