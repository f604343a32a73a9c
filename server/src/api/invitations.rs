//! Rating invitations and their links (issue 19).
//!
//! **The link** `/r/{token}` opens one record's rating form without signing in. Its holder
//! reads the form (`GET /rating-links/{token}`, which counts as "opened" and changes nothing
//! else: mail scanners follow links), rates the record (`POST /rating-links/{token}/evaluation`,
//! the very submission of `POST /evaluations`), then reads its appeals and appeals within the
//! appeal window (`GET`/`POST /rating-links/{token}/appeals`, the very filing of
//! `POST /evaluations/{number}/appeals`). The token grants that record and its evaluation
//! only: the handlers act for the record's customer on that record, no session is made, and
//! every other endpoint still asks for one. Look-ups are limited per address
//! (`http::limiter`). The token is in the path, never in a query string; the request log
//! shows such paths redacted (`http::web::redacted_path`).
//!
//! **Admins** read a record's invitation, issue or resend its link by hand (the new link
//! replaces the earlier ones) and revoke it.

use axum::extract::State;
use axum::response::Response;
use pingjia_domain::appeals::{AppealList, NewAppeal};
use pingjia_domain::evaluations::{Evaluation, NewEvaluation, RatingForm};
use pingjia_domain::invitations::{Invitation, IssuedInvitation, LINK_RATE_LIMITED, OptOut};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use axum::http::StatusCode;

use super::appeals::{Appellant, appeals_of, file};
use super::evaluations::{Rater, form_of, submit};
use crate::db::begin_write;
use crate::db::invitations;
use crate::error::{AppError, Coded};
use crate::http::authz::{ADMIN, Access, CurrentUser, Rule, delete, get, post};
use crate::http::extract::{ClientIp, Json, Path};
use crate::http::idempotency::{HashedJson, IdempotencyKey};
use crate::http::limiter::Refused;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::invitations::{self as links, Earlier, Grant};
use crate::services::sending;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(link_form))
        .routes(routes!(link_submit))
        .routes(routes!(link_appeals, link_file_appeal))
        .routes(routes!(link_opt_out))
        .routes(routes!(invitation, issue_invitation, revoke_invitation))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs). The
/// links' routes are public: the token in the path is what they check.
pub const RULES: &[Rule] = &[
    get("/api/v1/rating-links/{token}", Access::Public),
    post("/api/v1/rating-links/{token}/evaluation", Access::Public),
    get("/api/v1/rating-links/{token}/appeals", Access::Public),
    post("/api/v1/rating-links/{token}/appeals", Access::Public),
    post("/api/v1/rating-links/{token}/opt-out", Access::Public),
    get("/api/v1/service-records/{id}/invitation", ADMIN),
    post("/api/v1/service-records/{id}/invitation", ADMIN),
    delete("/api/v1/service-records/{id}/invitation", ADMIN),
];

/// What the link carrying `token` grants, from `ip`: refused with 429 `link_rate_limited`
/// when the address looked up too many links; each look-up is counted, the failed ones
/// against the lower limit.
async fn grant(state: &AppState, ip: std::net::IpAddr, token: &str) -> Result<Grant, AppError> {
    let now = state.clock.now();
    match state.link_limiter.allow(&state.pool, ip, now).await {
        Ok(()) => {}
        Err(Refused::Wait(retry_after)) => {
            return Err(Coded::new(
                StatusCode::TOO_MANY_REQUESTS,
                LINK_RATE_LIMITED,
                "Too many rating links were looked up from this address; try again later",
            )
            .retry_after(retry_after)
            .into());
        }
        Err(Refused::Failed(e)) => return Err(e),
    }
    let hours = state.settings.get(&state.pool).await?.appeal_window_hours;
    let mut conn = state.pool.acquire().await?;
    let found = links::resolve(&mut conn, token, now, hours).await;
    state
        .link_limiter
        .count(&state.pool, ip, now, found.is_err())
        .await;
    found
}

/// The number of the evaluation of the link's record: 404 before it is rated.
async fn evaluation_number(state: &AppState, grant: &Grant) -> Result<String, AppError> {
    form_of(state, grant.customer_id, grant.record_id)
        .await?
        .evaluation
        .map(|e| e.number)
        .ok_or_else(|| {
            AppError::NotFound("The evaluation of this link's service (not rated yet)".to_owned())
        })
}

/// The rating form of the link's record, without signing in.
///
/// The same form as `GET /me/service-records/{id}`: the record, its dimensions, its rating
/// state and deadline, and its evaluation once rated (with `can_appeal`). Reading it counts
/// as opening the invitation (the first time) and changes nothing else. The link works until
/// the record's rating window closes, and once the record is rated also while its evaluation
/// may be appealed.
#[utoipa::path(
    get,
    path = "/rating-links/{token}",
    tag = "invitations",
    operation_id = "rating_link_form",
    params(("token" = String, Path, description = "The link's token (43 base64url characters)")),
    responses(
        (status = 200, description = "The rating form", body = RatingForm),
        (status = 404, description = "`link_unknown`: no such link"),
        (status = 410, description = "`link_expired` (its time is over) or `link_revoked` (withdrawn or replaced by a newer link)"),
        (status = 429, description = "`link_rate_limited`: too many look-ups from this address; try again after `Retry-After` seconds",
         headers(("retry-after" = u64, description = "Seconds until a look-up is heard again"))),
    )
)]
async fn link_form(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Result<Json<RatingForm>, AppError> {
    let grant = grant(&state, ip, &token).await?;
    let form = form_of(&state, grant.customer_id, grant.record_id).await?;
    let mut conn = state.pool.acquire().await?;
    invitations::mark_opened(&mut conn, grant.invitation_id, state.clock.now()).await?;
    Ok(Json(form))
}

/// Rate the link's record, without signing in.
///
/// Exactly `POST /evaluations` (the same `Idempotency-Key` handling, checks and answers),
/// for the link's record only: a `service_record_id` other than the link's answers 404.
#[utoipa::path(
    post,
    path = "/rating-links/{token}/evaluation",
    tag = "invitations",
    operation_id = "rating_link_submit",
    params(
        ("token" = String, Path, description = "The link's token"),
        ("Idempotency-Key" = String, Header, description = "8 to 128 visible ASCII characters; the same for every retry of this submission"),
    ),
    request_body = NewEvaluation,
    responses(
        (status = 201, description = "Submitted (or, with `Idempotent-Replayed: true`, the first answer to this key again)", body = Evaluation,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is a replay of the first answer"))),
        (status = 400, description = "No `Idempotency-Key` (`idempotency_key_required`), an invalid one (`idempotency_key_invalid`), or a malformed body"),
        (status = 404, description = "`link_unknown`, or the body names another record"),
        (status = 409, description = "`service_not_ended`, `rating_window_closed`, `already_rated` (with `reference`) or `idempotency_in_flight` (with `Retry-After`)"),
        (status = 410, description = "`link_expired` or `link_revoked`"),
        (status = 422, description = "Invalid answers (per-field `errors`), or `idempotency_key_reused`"),
        (status = 429, description = "`link_rate_limited`, with `Retry-After`"),
    )
)]
async fn link_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    key: IdempotencyKey,
    body: HashedJson<NewEvaluation>,
) -> Result<Response, AppError> {
    let grant = grant(&state, ip, &token).await?;
    if body.value.service_record_id != grant.record_id {
        return Err(AppError::NotFound(format!(
            "The service record {}",
            body.value.service_record_id
        )));
    }
    let rater = Rater {
        customer_id: grant.customer_id,
        ip,
        by_link: true,
    };
    submit(&state, rater, &key, body).await
}

/// The appeals of the evaluation of the link's record, newest first.
///
/// As `GET /evaluations/{number}/appeals`; 404 while the record is not rated.
#[utoipa::path(
    get,
    path = "/rating-links/{token}/appeals",
    tag = "invitations",
    operation_id = "rating_link_appeals",
    params(("token" = String, Path, description = "The link's token")),
    responses(
        (status = 200, description = "The evaluation's appeals", body = AppealList),
        (status = 404, description = "`link_unknown`, or the record is not rated yet"),
        (status = 410, description = "`link_expired` or `link_revoked`"),
        (status = 429, description = "`link_rate_limited`, with `Retry-After`"),
    )
)]
async fn link_appeals(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Result<Json<AppealList>, AppError> {
    let grant = grant(&state, ip, &token).await?;
    let number = evaluation_number(&state, &grant).await?;
    Ok(Json(appeals_of(&state, grant.customer_id, &number).await?))
}

/// Appeal the evaluation of the link's record, without signing in.
///
/// Exactly `POST /evaluations/{number}/appeals` (the same `Idempotency-Key` handling, checks
/// and answers) on the link's record's evaluation; 404 while the record is not rated.
#[utoipa::path(
    post,
    path = "/rating-links/{token}/appeals",
    tag = "invitations",
    operation_id = "rating_link_file_appeal",
    params(
        ("token" = String, Path, description = "The link's token"),
        ("Idempotency-Key" = String, Header, description = "8 to 128 visible ASCII characters; the same for every retry of this filing"),
    ),
    request_body = NewAppeal,
    responses(
        (status = 201, description = "Filed (or, with `Idempotent-Replayed: true`, the first answer to this key again)", body = pingjia_domain::appeals::Appeal,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is a replay of the first answer"))),
        (status = 400, description = "No `Idempotency-Key`, an invalid one, or a malformed body"),
        (status = 404, description = "`link_unknown`, or the record is not rated yet"),
        (status = 409, description = "`appeal_window_closed`, `appeal_pending` (with `reference`) or `idempotency_in_flight`"),
        (status = 410, description = "`link_expired` or `link_revoked`"),
        (status = 422, description = "Invalid fields (per-field `errors`), or `idempotency_key_reused`"),
        (status = 429, description = "`link_rate_limited`, with `Retry-After`"),
    )
)]
async fn link_file_appeal(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    key: IdempotencyKey,
    body: HashedJson<NewAppeal>,
) -> Result<Response, AppError> {
    let grant = grant(&state, ip, &token).await?;
    let number = evaluation_number(&state, &grant).await?;
    let appellant = Appellant {
        customer_id: grant.customer_id,
        ip,
        by_link: true,
    };
    file(&state, appellant, &number, &key, body).await
}

/// Opt out of rating invitations through the link.
///
/// The link's customer gets no more invitations or reminders from now on (records stay
/// ratable by signing in), and the messages of theirs still waiting are cancelled. The token
/// is the grant: the link must work (a link whose time is over answers 410). Idempotent: the
/// answer carries the first opt-out's time. The app's page `/r/{token}/opt-out` asks before
/// it calls this (a GET never changes anything). Limited per address like the other link
/// look-ups. Audited, without the link.
#[utoipa::path(
    post,
    path = "/rating-links/{token}/opt-out",
    tag = "invitations",
    operation_id = "rating_link_opt_out",
    params(("token" = String, Path, description = "The link's token")),
    responses(
        (status = 200, description = "Opted out", body = OptOut),
        (status = 404, description = "`link_unknown`"),
        (status = 410, description = "`link_expired` or `link_revoked`"),
        (status = 429, description = "`link_rate_limited`, with `Retry-After`"),
    )
)]
async fn link_opt_out(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Result<Json<OptOut>, AppError> {
    let grant = grant(&state, ip, &token).await?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let answer = sending::opt_out(&mut tx, &grant, now).await?;
    if answer.opted_out_at == now {
        let entry = Entry::new(now, Action::InvitationOptedOut)
            .by(Actor { user_id: None, ip })
            .on("user", grant.customer_id)
            .details(json!({ "service_record_id": grant.record_id }));
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(Json(answer))
}

fn no_invitation(id: i64) -> AppError {
    AppError::NotFound(format!("An invitation of the service record {id}"))
}

/// The invitation of a service record: its channel and states, never its link.
#[utoipa::path(
    get,
    path = "/service-records/{id}/invitation",
    tag = "invitations",
    operation_id = "record_invitation",
    params(("id" = i64, Path, description = "The service record")),
    responses(
        (status = 200, description = "The invitation", body = Invitation),
        (status = 404, description = "The record was not invited (or does not exist)"),
    )
)]
async fn invitation(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Invitation>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let row = invitations::of_record(&mut conn, id)
        .await?
        .ok_or_else(|| no_invitation(id))?;
    Ok(Json(row.into_invitation()?))
}

/// Issue, or issue again, a service record's rating link by hand.
///
/// Makes the record's invitation on its first link; each call issues a new link that
/// replaces the earlier ones (they answer `link_revoked`) and lifts a revocation. The answer
/// carries the link's path this once: the server keeps only its hash. The record must be
/// ratable now: 409 `already_rated`, `service_not_ended` or `rating_window_closed` otherwise.
/// Audited, without the link.
#[utoipa::path(
    post,
    path = "/service-records/{id}/invitation",
    tag = "invitations",
    operation_id = "issue_invitation",
    params(("id" = i64, Path, description = "The service record")),
    responses(
        (status = 200, description = "The new link and the invitation", body = IssuedInvitation),
        (status = 404, description = "No such service record"),
        (status = 409, description = "`already_rated` (with `reference`), `service_not_ended` or `rating_window_closed`"),
    )
)]
async fn issue_invitation(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<IssuedInvitation>, AppError> {
    let window = state.settings.get(&state.pool).await?.rating_window_days;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let issued = links::issue(&mut tx, id, now, window, Earlier::Replace).await?;
    let entry = Entry::new(now, Action::InvitationIssued)
        .by(Actor::user(&caller, ip))
        .on("service_record", id)
        .details(json!({ "first": issued.created }));
    audit::record(&mut *tx, &entry).await?;
    let invitation = invitations::of_record(&mut tx, id)
        .await?
        .ok_or_else(|| no_invitation(id))?
        .into_invitation()?;
    tx.commit().await?;
    Ok(Json(IssuedInvitation {
        link: issued.token.path(),
        invitation,
    }))
}

/// Revoke a service record's invitation: none of its links works any more (`link_revoked`).
///
/// Idempotent (the first revocation's time is kept); issuing a link again lifts it. Audited.
#[utoipa::path(
    delete,
    path = "/service-records/{id}/invitation",
    tag = "invitations",
    operation_id = "revoke_invitation",
    params(("id" = i64, Path, description = "The service record")),
    responses(
        (status = 200, description = "The invitation, revoked", body = Invitation),
        (status = 404, description = "The record was not invited (or does not exist)"),
    )
)]
async fn revoke_invitation(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Invitation>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let row = invitations::of_record(&mut tx, id)
        .await?
        .ok_or_else(|| no_invitation(id))?;
    invitations::revoke(&mut tx, row.id, now).await?;
    let entry = Entry::new(now, Action::InvitationRevoked)
        .by(Actor::user(&caller, ip))
        .on("service_record", id);
    audit::record(&mut *tx, &entry).await?;
    let invitation = invitations::of_record(&mut tx, id)
        .await?
        .ok_or_else(|| no_invitation(id))?
        .into_invitation()?;
    tx.commit().await?;
    Ok(Json(invitation))
}
